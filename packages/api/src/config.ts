// `weir server` configuration: a YAML (or JSON) file, then command-line flags on top. Validated
// once at start-up with the same schema language as the model, then frozen. Keys are snake_case
// like OpenStack's own configuration.
import { readFileSync } from 'node:fs';
import Type, { type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { describeErrors } from '@weir/model';
import { parse as parseYaml } from 'yaml';
import { identityProblems } from './keystone/directory.js';

const HostPort = Type.String({ pattern: '^(\\[[0-9a-fA-F:.]+\\]|[A-Za-z0-9.-]+):\\d{1,5}$' });
const Role = Type.Union([Type.Literal('admin'), Type.Literal('member'), Type.Literal('reader')]);

export const UserSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 255 }),
    /** Stable id (32 hex digits); derived from the name when absent. */
    id: Type.Optional(Type.String({ pattern: '^[0-9a-f]{32}$' })),
    domain: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    /** scrypt hash made by `weir hash-password` (never a clear-text password). */
    password_hash: Type.String({ pattern: '^scrypt\\$' }),
    /** project name → roles the user has on it. */
    projects: Type.Record(Type.String({ minLength: 1, maxLength: 64 }), Type.Array(Role, { minItems: 1 })),
  },
  { additionalProperties: false },
);

export const ProjectConfigSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 64 }),
    id: Type.Optional(Type.String({ pattern: '^[0-9a-f]{32}$' })),
    domain: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    description: Type.Optional(Type.String({ maxLength: 255 })),
  },
  { additionalProperties: false },
);

export const ServerConfigSchema = Type.Object(
  {
    db: Type.String({ minLength: 1 }),
    auth: Type.Union([Type.Literal('none'), Type.Literal('keystone')]),
    listen: Type.Object(
      { network: HostPort, load_balancer: HostPort, identity: HostPort },
      { additionalProperties: false },
    ),
    /** URLs clients are told to use (catalog, links); default: http://<listen>. */
    public_urls: Type.Optional(
      Type.Object(
        {
          network: Type.Optional(Type.String()),
          load_balancer: Type.Optional(Type.String()),
          identity: Type.Optional(Type.String()),
        },
        { additionalProperties: false },
      ),
    ),
    region: Type.String({ minLength: 1, maxLength: 64 }),
    /** The project every request acts in with `auth: none` (admin of it). */
    default_project_id: Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,64}$' }),
    identity: Type.Object(
      {
        /** HMAC key for tokens; all replicas must share it. At least 32 characters. */
        token_secret: Type.Optional(Type.String({ minLength: 32 })),
        token_ttl_seconds: Type.Integer({ minimum: 60, maximum: 7 * 86400 }),
        users: Type.Array(UserSchema, { maxItems: 10000 }),
        projects: Type.Array(ProjectConfigSchema, { maxItems: 10000 }),
      },
      { additionalProperties: false },
    ),
    core: Type.Object(
      {
        overlay_mtu: Type.Optional(Type.Integer({ minimum: 576, maximum: 9000 })),
        tenant_network_type: Type.Optional(Type.Union([Type.Literal('geneve'), Type.Literal('vxlan')])),
        vni_range: Type.Optional(
          Type.Tuple([Type.Integer({ minimum: 1 }), Type.Integer({ maximum: 16777215 })]),
        ),
        vlan_ranges: Type.Optional(
          Type.Record(
            Type.String(),
            Type.Tuple([Type.Integer({ minimum: 1 }), Type.Integer({ maximum: 4094 })]),
          ),
        ),
        quotas: Type.Optional(Type.Record(Type.String(), Type.Integer({ minimum: -1 }))),
      },
      { additionalProperties: false },
    ),
    limits: Type.Object(
      {
        body_bytes: Type.Integer({ minimum: 1024, maximum: 64 * 1024 * 1024 }),
        max_depth: Type.Integer({ minimum: 4, maximum: 256 }),
      },
      { additionalProperties: false },
    ),
    log_level: Type.Union([
      Type.Literal('silent'),
      Type.Literal('error'),
      Type.Literal('warn'),
      Type.Literal('info'),
      Type.Literal('debug'),
    ]),
  },
  { additionalProperties: false },
);

export type ServerConfig = Static<typeof ServerConfigSchema>;

export const DEFAULT_SERVER_CONFIG: ServerConfig = {
  db: 'memory:',
  auth: 'none',
  listen: { network: '127.0.0.1:9696', load_balancer: '127.0.0.1:9876', identity: '127.0.0.1:5000' },
  region: 'RegionOne',
  default_project_id: '0000000000000000000000000000000a',
  identity: { token_ttl_seconds: 3600, users: [], projects: [] },
  core: {},
  // Neutron's (oslo.middleware) default request size limit.
  limits: { body_bytes: 114_688, max_depth: 32 },
  log_level: 'warn',
};

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Overrides = { -readonly [K in keyof ServerConfig]?: unknown };

/** Reads the file (if any), merges defaults and overrides, validates, and freezes. */
export function loadServerConfig(
  file: string | undefined,
  overrides: Overrides = {},
): Readonly<ServerConfig> {
  let fromFile: Record<string, unknown> = {};
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new ConfigError(`cannot read ${file}: ${(error as Error).message}`);
    }
    let parsed: unknown;
    try {
      parsed = parseYaml(text, { maxAliasCount: 100 });
    } catch (error) {
      throw new ConfigError(`${file} is not valid YAML: ${(error as Error).message}`);
    }
    if (parsed !== null && parsed !== undefined && (typeof parsed !== 'object' || Array.isArray(parsed))) {
      throw new ConfigError(`${file} must hold a mapping of settings`);
    }
    fromFile = (parsed ?? {}) as Record<string, unknown>;
  }
  const merged: Record<string, unknown> = { ...DEFAULT_SERVER_CONFIG, ...fromFile };
  for (const key of ['listen', 'identity', 'limits', 'core'] as const) {
    const inFile = fromFile[key];
    if (typeof inFile === 'object' && inFile !== null)
      merged[key] = { ...DEFAULT_SERVER_CONFIG[key], ...inFile };
  }
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    if (key === 'listen' && typeof value === 'object') {
      merged.listen = { ...(merged.listen as object), ...(value as object) };
    } else merged[key] = value;
  }
  const validator = Compile(ServerConfigSchema);
  if (!validator.Check(merged)) {
    const lines = describeErrors(validator.Errors(merged))
      .slice(0, 10)
      .map((e) => `  ${e.field ?? '/'}: ${e.reason}`);
    throw new ConfigError(`invalid configuration${file ? ` in ${file}` : ''}:\n${lines.join('\n')}`);
  }
  // What the schema cannot say: names unique, role assignments on configured projects, real hashes.
  const problems = identityProblems(merged.identity);
  if (problems.length > 0) {
    const lines = problems.slice(0, 10).map((p) => `  ${p}`);
    throw new ConfigError(`invalid configuration${file ? ` in ${file}` : ''}:\n${lines.join('\n')}`);
  }
  return deepFreeze(merged);
}

function deepFreeze<T>(o: T): T {
  if (typeof o === 'object' && o !== null) {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}
