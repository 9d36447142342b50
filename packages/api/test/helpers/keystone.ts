// A keystone-mode server for tests: users and projects in the configuration (cheap scrypt hashes
// so start-up stays fast), and helpers to get tokens the way clients do.
import type { Store } from '@weir/nbdb';
import { hashPassword } from '../../src/index.js';
import { startTestServer, type TestServer } from './server.js';

/** scrypt at N=1024: the format and the check are the real ones, the cost is a test's. */
const CHEAP = { N: 1024, r: 8, p: 1 } as const;

export const USERS = {
  admin: { password: 'admin-secret', projects: { admin: ['admin'] } },
  alice: { password: 'alice-secret', projects: { demo: ['member'] } },
  rita: { password: 'rita-secret', projects: { demo: ['reader'] } },
  bob: { password: 'bob-secret', projects: { demo: ['member'], other: ['member'] } },
} as const;
export type UserName = keyof typeof USERS;

export async function identitySection(extra: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const users = await Promise.all(
    Object.entries(USERS).map(async ([name, u]) => ({
      name,
      password_hash: await hashPassword(u.password, CHEAP),
      projects: u.projects,
    })),
  );
  return {
    token_ttl_seconds: 3600,
    users,
    projects: [{ name: 'admin' }, { name: 'demo', description: 'the demo project' }, { name: 'other' }],
    ...extra,
  };
}

export async function startKeystoneServer(
  options: { store?: Store; clock?: () => number; identity?: Record<string, unknown> } = {},
): Promise<TestServer> {
  return startTestServer(
    { auth: 'keystone', identity: options.identity ?? (await identitySection()) },
    options.store,
    options.clock ? { clock: options.clock } : {},
  );
}

/** The body keystoneauth sends for password auth scoped to a project by name. */
export function passwordAuth(user: string, password: string, project?: string): unknown {
  return {
    auth: {
      identity: {
        methods: ['password'],
        password: { user: { name: user, domain: { name: 'Default' }, password } },
      },
      ...(project === undefined
        ? {}
        : { scope: { project: { name: project, domain: { name: 'Default' } } } }),
    },
  };
}

/** A project-scoped token for a configured user (throws unless Keystone says 201). */
export async function login(s: TestServer, user: UserName, project: string): Promise<string> {
  const r = await s.keystone('POST', '/v3/auth/tokens', passwordAuth(user, USERS[user].password, project));
  const token = r.headers.get('x-subject-token');
  if (r.status !== 201 || !token) throw new Error(`login ${user}@${project}: ${r.status} ${r.text}`);
  return token;
}

export const authHeader = (token: string): Record<string, string> => ({ 'x-auth-token': token });
