// Octavia's batch member update: `PUT /v2/lbaas/pools/{pool_id}/members` with {"members": […]}
// replaces the pool's member set (core: lb/member-batch.ts, one commit); `?additive_only=true`
// keeps the members the request leaves out. 202 with no body, as Octavia answers.
import { batchUpdateMembers, type MemberInput } from '@weir/core';
import type { FastifyInstance } from 'fastify';
import { invalidInput, isObject, parseAttrs, rootObject } from '../body.js';
import { values } from '../query.js';
import type { ResourceDeps } from '../resource.js';
import { checkId, denyReadOnly, octavia, PREFIXES } from '../routes.js';
import { py } from '../../neutron/validators.js';
import { pick } from '../views.js';
import { boolFromString } from './load-balancers.js';
import { MEMBER_INPUT, MEMBER_POST } from './members.js';

const SPEC = { arg: 'members_', root: 'members', attrs: MEMBER_POST };

/** The checked entries of a batch body. */
export function batchEntries(body: unknown): MemberInput[] {
  const list = rootObject(body, SPEC.arg, SPEC.root);
  if (!Array.isArray(list)) throw invalidInput(SPEC.arg, body, `Value not a valid list: ${py(list)}`);
  return list.map((item: unknown) => {
    if (!isObject(item)) throw invalidInput(SPEC.root, item, 'Value should be a JSON object');
    return pick<MemberInput>(parseAttrs(item, SPEC, 'POST'), MEMBER_INPUT) as MemberInput;
  });
}

export function registerMemberBatch(app: FastifyInstance, deps: ResourceDeps): void {
  for (const prefix of PREFIXES) {
    app.put(
      `${prefix}/pools/:parentId/members`,
      octavia(async (req, reply) => {
        denyReadOnly(req.principal);
        const poolId = checkId('Pool', req.params.parentId ?? '');
        const entries = batchEntries(req.body);
        const additiveOnly = boolFromString(values(req.query, 'additive_only').at(-1));
        await batchUpdateMembers(deps.core, req.principal, poolId, entries, { additiveOnly });
        return reply.code(202).send();
      }),
    );
  }
}
