// The real `openstack` CLI (keystoneauth password auth, service catalog, then Neutron and
// Keystone calls) against a server with `auth: keystone`: exactly what a user with an openrc
// does. Each call costs ~1.5-2.5 s, so only what the real client proves is here.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startKeystoneServer, USERS, type UserName } from './helpers/keystone.js';
import type { TestServer } from './helpers/server.js';

const OPENSTACK = '/usr/bin/openstack';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

describe('openstack CLI with Keystone password auth', { skip: !existsSync(OPENSTACK) }, () => {
  let s: TestServer;
  let home: string;
  before(async () => {
    s = await startKeystoneServer();
    home = mkdtempSync(join(tmpdir(), 'weir-cli-ks-'));
  });
  after(async () => {
    await s.close();
    rmSync(home, { recursive: true, force: true });
  });

  /** One CLI call with an openrc-like environment (no clouds.yaml: HOME is empty). */
  const os = (as: { user: UserName; project: string; password?: string }, ...args: string[]): Promise<Run> =>
    new Promise((resolve) => {
      const env = {
        PATH: '/usr/bin:/bin',
        HOME: home,
        OS_AUTH_URL: `${s.urls.identity}/v3`,
        OS_USERNAME: as.user,
        OS_PASSWORD: as.password ?? USERS[as.user].password,
        OS_PROJECT_NAME: as.project,
        OS_USER_DOMAIN_NAME: 'Default',
        OS_PROJECT_DOMAIN_NAME: 'Default',
        OS_IDENTITY_API_VERSION: '3',
        OS_INTERFACE: 'public',
      };
      execFile(OPENSTACK, args, { env, timeout: 60_000 }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      });
    });
  const json = async <T>(as: { user: UserName; project: string }, ...args: string[]): Promise<T> => {
    const r = await os(as, ...args, '-f', 'json');
    assert.equal(r.code, 0, `openstack ${args.join(' ')}: ${r.stderr}`);
    return JSON.parse(r.stdout) as T;
  };
  const alice = { user: 'alice', project: 'demo' } as const;
  const admin = { user: 'admin', project: 'admin' } as const;

  it('token issue, network create and list through the catalog', async () => {
    const token = await json<{ id: string; project_id: string; user_id: string; expires: string }>(
      alice,
      'token',
      'issue',
    );
    assert.ok(token.id.startsWith('w1.'));
    assert.match(token.project_id, /^[0-9a-f]{32}$/);
    const net = await json<{ id: string; project_id: string; name: string }>(
      alice,
      'network',
      'create',
      'blue',
    );
    assert.equal(net.project_id, token.project_id);
    const list = await json<{ ID: string; Name: string }[]>(alice, 'network', 'list');
    assert.deepEqual(
      list.map((n) => [n.ID, n.Name]),
      [[net.id, 'blue']],
    );
  });

  it('project list: every project for the admin, their own for a member', async () => {
    const projects = await json<{ Name: string }[]>(admin, 'project', 'list');
    assert.deepEqual(projects.map((p) => p.Name).sort(), ['admin', 'demo', 'other']);
    // For a non-admin, `GET /v3/projects` is a 403 and the client falls back to the user's own
    // projects (`GET /v3/users/{id}/projects`).
    const mine = await json<{ Name: string }[]>(alice, 'project', 'list');
    assert.deepEqual(
      mine.map((p) => p.Name),
      ['demo'],
    );
  });

  it('a wrong password: the client prints the 401', async () => {
    const r = await os({ ...alice, password: 'wrong' }, 'network', 'list');
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /The request you have made requires authentication\. \(HTTP 401\)/);
  });
});
