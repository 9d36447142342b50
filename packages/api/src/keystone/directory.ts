// Users, role assignments and the configured projects, from the configuration file (the facade
// has no user API: users and their passwords are the operator's, in `identity.users`). One domain,
// Default; three roles, admin ⊃ member ⊃ reader as Keystone's default implied roles.
// Ids that the configuration does not give are derived from names, so every replica computes the
// same ones.
import { createHash } from 'node:crypto';
import type { ServerConfig } from '../config.js';
import { parseHash } from './passwords.js';

export const DEFAULT_DOMAIN = {
  id: 'default',
  name: 'Default',
  description: 'The default domain',
} as const;

export const ROLE_NAMES = ['admin', 'member', 'reader'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

/** Keystone's default implied roles: admin implies member, member implies reader. */
const IMPLIES: Readonly<Record<RoleName, readonly RoleName[]>> = {
  admin: ['admin', 'member', 'reader'],
  member: ['member', 'reader'],
  reader: ['reader'],
};

export function derivedId(kind: string, ...parts: string[]): string {
  return createHash('sha256')
    .update(['weir', kind, ...parts].join('\u0000'))
    .digest('hex')
    .slice(0, 32);
}

export const roleId = (name: string): string => derivedId('role', name);

/** The roles a token carries for these assigned roles: the assigned ones and what they imply. */
export function withImplied(roles: Iterable<RoleName>): RoleName[] {
  const out = new Set<RoleName>();
  for (const r of roles) for (const implied of IMPLIES[r]) out.add(implied);
  return ROLE_NAMES.filter((r) => out.has(r));
}

export interface User {
  readonly id: string;
  readonly name: string;
  readonly domainId: string;
  readonly passwordHash: string;
  /** project id → roles (implied ones included). */
  readonly roles: ReadonlyMap<string, readonly RoleName[]>;
}

export interface ConfiguredProject {
  readonly id: string;
  readonly name: string;
  readonly domainId: string;
  readonly description: string;
}

export interface Directory {
  readonly users: readonly User[];
  readonly projects: readonly ConfiguredProject[];
  userById(id: string): User | undefined;
  userByName(name: string, domainId: string): User | undefined;
  /** The user's roles on a project (empty: no access). */
  rolesOn(user: User, projectId: string): readonly RoleName[];
}

type IdentityConfig = ServerConfig['identity'];

/** Only the Default domain exists; the configuration may name it by id or by name. */
function domainOf(value: string | undefined): string | undefined {
  if (value === undefined || value === DEFAULT_DOMAIN.id || value === DEFAULT_DOMAIN.name)
    return DEFAULT_DOMAIN.id;
  return undefined;
}

/** What is wrong with the identity section beyond its schema (empty: nothing). */
export function identityProblems(identity: IdentityConfig): string[] {
  const problems: string[] = [];
  const projectNames = new Set<string>();
  const projectIds = new Set<string>();
  for (const p of identity.projects) {
    if (domainOf(p.domain) === undefined)
      problems.push(`identity.projects: project '${p.name}': only the Default domain exists`);
    if (projectNames.has(p.name)) problems.push(`identity.projects: project '${p.name}' is listed twice`);
    const id = p.id ?? derivedId('project', DEFAULT_DOMAIN.id, p.name);
    if (projectIds.has(id)) problems.push(`identity.projects: project id ${id} is used twice`);
    projectNames.add(p.name);
    projectIds.add(id);
  }
  const userNames = new Set<string>();
  const userIds = new Set<string>();
  for (const u of identity.users) {
    if (domainOf(u.domain) === undefined)
      problems.push(`identity.users: user '${u.name}': only the Default domain exists`);
    if (userNames.has(u.name)) problems.push(`identity.users: user '${u.name}' is listed twice`);
    const id = u.id ?? derivedId('user', DEFAULT_DOMAIN.id, u.name);
    if (userIds.has(id)) problems.push(`identity.users: user id ${id} is used twice`);
    userNames.add(u.name);
    userIds.add(id);
    if (parseHash(u.password_hash) === undefined)
      problems.push(
        `identity.users: user '${u.name}': password_hash is not a hash made by \`weir hash-password\``,
      );
    for (const name of Object.keys(u.projects)) {
      if (!projectNames.has(name))
        problems.push(
          `identity.users: user '${u.name}' has roles on '${name}', which is not in identity.projects`,
        );
    }
  }
  return problems;
}

export function buildDirectory(identity: IdentityConfig): Directory {
  const problems = identityProblems(identity);
  if (problems.length > 0) throw new Error(`invalid identity configuration: ${problems.join('; ')}`);
  const projects: ConfiguredProject[] = identity.projects.map((p) => ({
    id: p.id ?? derivedId('project', DEFAULT_DOMAIN.id, p.name),
    name: p.name,
    domainId: DEFAULT_DOMAIN.id,
    description: p.description ?? '',
  }));
  const projectByName = new Map(projects.map((p) => [p.name, p]));
  const users: User[] = identity.users.map((u) => {
    const roles = new Map<string, readonly RoleName[]>();
    for (const [name, assigned] of Object.entries(u.projects)) {
      roles.set((projectByName.get(name) as ConfiguredProject).id, withImplied(assigned));
    }
    return {
      id: u.id ?? derivedId('user', DEFAULT_DOMAIN.id, u.name),
      name: u.name,
      domainId: DEFAULT_DOMAIN.id,
      passwordHash: u.password_hash,
      roles,
    };
  });
  const byId = new Map(users.map((u) => [u.id, u]));
  const byName = new Map(users.map((u) => [`${u.domainId}/${u.name}`, u]));
  return {
    users,
    projects,
    userById: (id) => byId.get(id),
    userByName: (name, domainId) => byName.get(`${domainId}/${name}`),
    rolesOn: (user, projectId) => user.roles.get(projectId) ?? [],
  };
}
