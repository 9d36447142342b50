// Projects (the Keystone facade's) and per-project quotas.
import Type, { type Static } from 'typebox';
import { BaseFields, Timestamp, Topic } from './common.js';

export const ProjectSchema = Type.Object(
  {
    ...BaseFields,
    /** Keystone project ids are 32 hex digits, not UUIDs; the id is also the project's topic. */
    id: Topic,
    domainId: Type.String({ maxLength: 64 }),
    enabled: Type.Boolean(),
  },
  { additionalProperties: false },
);

export const QuotaResource = Type.Union([
  Type.Literal('network'),
  Type.Literal('subnet'),
  Type.Literal('port'),
  Type.Literal('router'),
  Type.Literal('floatingip'),
  Type.Literal('security_group'),
  Type.Literal('security_group_rule'),
  Type.Literal('trunk'),
  Type.Literal('loadbalancer'),
  Type.Literal('listener'),
  Type.Literal('pool'),
  Type.Literal('member'),
  Type.Literal('healthmonitor'),
]);

/** Limits for one project (the object's id is the project id); -1 means unlimited. */
export const QuotaSchema = Type.Object(
  {
    ...BaseFields,
    /** The project id. */
    id: Topic,
    limits: Type.Record(Type.String({ maxLength: 32 }), Type.Integer({ minimum: -1 })),
  },
  { additionalProperties: false },
);

/**
 * A revoked Keystone token, by its audit id (tokens are self-contained, so revocation is the one
 * thing a replica must learn from the store; every replica watches this table). The record can
 * be deleted once the token would have expired anyway.
 */
export const TokenRevocationSchema = Type.Object(
  {
    ...BaseFields,
    /** The token's audit id (22 url-safe base64 characters, as Keystone's). */
    id: Topic,
    expiresAt: Timestamp,
  },
  { additionalProperties: false },
);

export type Project = Static<typeof ProjectSchema>;
export type TokenRevocation = Static<typeof TokenRevocationSchema>;
export type Quota = Static<typeof QuotaSchema>;
export type QuotaResourceT = Static<typeof QuotaResource>;
