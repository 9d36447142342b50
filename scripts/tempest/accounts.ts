// The identities a tempest run needs: one provisioning admin (creates the external network), and
// pre-provisioned accounts for tempest's workers — each test class locks a primary and maybe an alt
// member account and an admin account for its duration, so every worker needs two members and one
// admin at once. Every account has its own project (tempest expects isolation between them).
// Passwords are random per run; the server's configuration gets only their scrypt hashes.
import { randomBytes } from 'node:crypto';
import { hashPassword } from '../../packages/api/src/index.js';

export interface Account {
  readonly username: string;
  readonly project: string;
  readonly password: string;
  readonly role: 'admin' | 'member';
}

export interface Accounts {
  /** Used by the harness itself (external network); not given to tempest. */
  readonly provisioner: Account;
  readonly tempest: readonly Account[];
}

const password = (): string => randomBytes(18).toString('base64url');

export function makeAccounts(concurrency: number): Accounts {
  const tempest: Account[] = [];
  // One spare of each beyond the strict need: a class whose cleanup is slow still holds its lock.
  for (let i = 1; i <= 2 * concurrency + 1; i++) {
    tempest.push({
      username: `tempest-user-${i}`,
      project: `tempest-user-${i}`,
      password: password(),
      role: 'member',
    });
  }
  for (let i = 1; i <= concurrency + 1; i++) {
    tempest.push({
      username: `tempest-admin-${i}`,
      project: `tempest-admin-${i}`,
      password: password(),
      role: 'admin',
    });
  }
  return {
    provisioner: { username: 'weir-admin', project: 'admin', password: password(), role: 'admin' },
    tempest,
  };
}

/** The `identity` section of the server's configuration. */
export async function identitySection(accounts: Accounts): Promise<Record<string, unknown>> {
  const all = [accounts.provisioner, ...accounts.tempest];
  const users = await Promise.all(
    all.map(async (a) => ({
      name: a.username,
      password_hash: await hashPassword(a.password),
      projects: { [a.project]: [a.role] },
    })),
  );
  return {
    token_ttl_seconds: 7200,
    users,
    projects: all.map((a) => ({ name: a.project, description: `tempest: ${a.username}` })),
  };
}

/** tempest's accounts.yaml (YAML is a superset of JSON: one JSON document is a valid file). */
export function accountsYaml(accounts: Accounts): string {
  return JSON.stringify(
    accounts.tempest.map((a) => ({
      username: a.username,
      project_name: a.project,
      password: a.password,
      user_domain_name: 'Default',
      project_domain_name: 'Default',
      roles: [a.role],
    })),
    null,
    2,
  );
}
