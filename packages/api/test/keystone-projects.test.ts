// The Keystone facade's projects (store-backed, seeded from the configuration), the Default
// domain, users and roles, with Keystone's policy and messages; configuration checks.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadServerConfig } from '../src/index.js';
import { authHeader, identitySection, login, startKeystoneServer } from './helpers/keystone.js';
import type { TestServer } from './helpers/server.js';
import type { Many, One, ProjectView } from './helpers/wire.js';

type Project = One<'project', ProjectView>;
type Projects = Many<'projects', ProjectView>;

describe('Keystone facade: projects, domains, users, roles', () => {
  let s: TestServer;
  let admin: Record<string, string>;
  let alice: Record<string, string>;
  before(async () => {
    s = await startKeystoneServer();
    admin = authHeader(await login(s, 'admin', 'admin'));
    alice = authHeader(await login(s, 'alice', 'demo'));
  });
  after(async () => {
    await s.close();
  });

  it('seeds the configured projects into the store, once', async () => {
    const r = await s.keystone<Projects>('GET', '/v3/projects', undefined, admin);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.projects.map((p) => p.name).sort(), ['admin', 'demo', 'other']);
    const demo = r.body.projects.find((p) => p.name === 'demo');
    assert.equal(demo?.description, 'the demo project');
    assert.equal(demo?.domain_id, 'default');
    assert.equal(demo?.parent_id, 'default');
    assert.equal(demo?.links.self, `${s.urls.identity}/v3/projects/${demo?.id}`);
    assert.equal((await s.store.list('project')).items.length, 3);
    // A second server on the same store seeds nothing new (and fails nothing).
    const again = await startKeystoneServer({ store: s.store });
    await again.close();
    assert.equal((await s.store.list('project')).items.length, 3);
  });

  it('create, show, filter by name, update, delete (admin)', async () => {
    const c = await s.keystone<Project>(
      'POST',
      '/v3/projects',
      { project: { name: 'p1', description: 'd' } },
      admin,
    );
    assert.equal(c.status, 201, c.text);
    const p = c.body.project;
    assert.match(p.id, /^[0-9a-f]{32}$/);
    assert.deepEqual(
      [p.name, p.description, p.enabled, p.domain_id, p.is_domain],
      ['p1', 'd', true, 'default', false],
    );
    assert.equal(
      (await s.keystone<Project>('GET', `/v3/projects/${p.id}`, undefined, admin)).body.project.name,
      'p1',
    );
    const byName = await s.keystone<Projects>('GET', '/v3/projects?name=p1', undefined, admin);
    assert.deepEqual(
      byName.body.projects.map((x) => x.id),
      [p.id],
    );
    const dup = await s.keystone('POST', '/v3/projects', { project: { name: 'p1' } }, admin);
    assert.equal(dup.status, 409);
    assert.equal(
      dup.error?.message,
      'Conflict occurred attempting to store project - Duplicate entry found with name p1 at domain ID default.',
    );
    const u = await s.keystone<Project>(
      'PATCH',
      `/v3/projects/${p.id}`,
      { project: { name: 'p2', enabled: false } },
      admin,
    );
    assert.equal(u.status, 200, u.text);
    assert.deepEqual([u.body.project.name, u.body.project.enabled], ['p2', false]);
    // The old name is free again, the new one taken.
    const reuse = await s.keystone<Project>('POST', '/v3/projects', { project: { name: 'p1' } }, admin);
    assert.equal(reuse.status, 201);
    assert.equal(
      (await s.keystone('PATCH', `/v3/projects/${reuse.body.project.id}`, { project: { name: 'p2' } }, admin))
        .status,
      409,
    );
    const disabled = await s.keystone<Projects>('GET', '/v3/projects?enabled=false', undefined, admin);
    assert.deepEqual(
      disabled.body.projects.map((x) => x.name),
      ['p2'],
    );
    assert.equal((await s.keystone('DELETE', `/v3/projects/${p.id}`, undefined, admin)).status, 204);
    const gone = await s.keystone('GET', `/v3/projects/${p.id}`, undefined, admin);
    assert.equal(gone.status, 404);
    assert.equal(gone.error?.message, `Could not find project: ${p.id}.`);
    assert.equal((await s.keystone('DELETE', `/v3/projects/${p.id}`, undefined, admin)).status, 404);
    assert.equal((await s.keystone('POST', '/v3/projects', { project: { name: 'p2' } }, admin)).status, 201);
  });

  it("refuses bad project bodies with Keystone's messages", async () => {
    const cases: [string, unknown, RegExp][] = [
      ['POST', { project: {} }, /^Invalid input for field 'project': 'name' is a required property$/],
      ['POST', {}, /^'project' is a required property$/],
      ['POST', { project: { name: '' } }, /^Invalid input for field 'project\/name': '' is too short$/],
      ['POST', { project: { name: 'x'.repeat(65) } }, /is too long$/],
      [
        'POST',
        { project: { name: 5 } },
        /^Invalid input for field 'project\/name': 5 is not of type 'string'$/,
      ],
      ['POST', { project: { name: 'q', enabled: 'yes' } }, /'yes' is not of type 'boolean'$/],
      ['POST', { project: { name: 'q', domain_id: 'elsewhere' } }, /^Could not find domain: elsewhere\.$/],
      ['POST', { project: { name: 'q', tags: ['a/b'] } }, /does not match/],
    ];
    for (const [method, body, message] of cases) {
      const r = await s.keystone(method, '/v3/projects', body, admin);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.match(r.error?.message ?? '', message);
    }
    const demo = (await s.keystone<Projects>('GET', '/v3/projects?name=demo', undefined, admin)).body
      .projects[0];
    const empty = await s.keystone('PATCH', `/v3/projects/${demo?.id}`, { project: {} }, admin);
    assert.equal(empty.status, 400);
    const move = await s.keystone(
      'PATCH',
      `/v3/projects/${demo?.id}`,
      { project: { domain_id: 'x' } },
      admin,
    );
    assert.equal(move.error?.message, 'Update of `domain_id` is not allowed.');
  });

  it('non-admins: their own project and projects only', async () => {
    const denied = await s.keystone('GET', '/v3/projects', undefined, alice);
    assert.equal(denied.status, 403);
    assert.equal(
      denied.error?.message,
      'You are not authorized to perform the requested action: identity:list_projects.',
    );
    assert.equal((await s.keystone('POST', '/v3/projects', { project: { name: 'z' } }, alice)).status, 403);
    const mine = await s.keystone<Projects>('GET', '/v3/auth/projects', undefined, alice);
    assert.deepEqual(
      mine.body.projects.map((p) => p.name),
      ['demo'],
    );
    const demoId = mine.body.projects[0]?.id ?? '';
    assert.equal((await s.keystone('GET', `/v3/projects/${demoId}`, undefined, alice)).status, 200);
    const all = await s.keystone<Projects>('GET', '/v3/projects', undefined, admin);
    const adminId = all.body.projects.find((p) => p.name === 'admin')?.id ?? '';
    assert.equal((await s.keystone('GET', `/v3/projects/${adminId}`, undefined, alice)).status, 403);
    assert.equal((await s.keystone('GET', '/v3/projects')).status, 401);
  });

  it('domains (Default only), users, roles', async () => {
    const d = await s.keystone<Many<'domains', { id: string; name: string }>>(
      'GET',
      '/v3/domains?name=Default',
      undefined,
      admin,
    );
    assert.deepEqual(
      d.body.domains.map((x) => [x.id, x.name]),
      [['default', 'Default']],
    );
    assert.equal(
      (await s.keystone<Many<'domains', unknown>>('GET', '/v3/domains?name=Other', undefined, admin)).body
        .domains.length,
      0,
    );
    assert.equal((await s.keystone('GET', '/v3/domains/default', undefined, alice)).status, 200);
    assert.equal((await s.keystone('GET', '/v3/domains/other', undefined, admin)).status, 404);
    const token = await s.keystone<{ token: { user: { id: string } } }>('GET', '/v3/auth/tokens', undefined, {
      ...alice,
      'x-subject-token': alice['x-auth-token'] as string,
    });
    const aliceId = token.body.token.user.id;
    const user = await s.keystone<One<'user', { name: string; domain_id: string }>>(
      'GET',
      `/v3/users/${aliceId}`,
      undefined,
      alice,
    );
    assert.deepEqual([user.body.user.name, user.body.user.domain_id], ['alice', 'default']);
    const roles = await s.keystone<Many<'roles', { name: string }>>('GET', '/v3/roles', undefined, admin);
    assert.deepEqual(
      roles.body.roles.map((r) => r.name),
      ['admin', 'member', 'reader'],
    );
    assert.equal((await s.keystone('GET', '/v3/roles', undefined, alice)).status, 403);
  });
});

describe('Keystone facade: configuration checks', () => {
  it('refuses role assignments on unknown projects, duplicate names and bad hashes', async () => {
    const base = await identitySection();
    const bad = (identity: Record<string, unknown>): string => {
      try {
        loadServerConfig(undefined, { identity });
      } catch (error) {
        return (error as Error).message;
      }
      return 'accepted';
    };
    const users = base.users as Record<string, unknown>[];
    assert.match(
      bad({ ...base, users: [{ ...users[0], projects: { nowhere: ['member'] } }] }),
      /has roles on 'nowhere', which is not in identity\.projects/,
    );
    assert.match(bad({ ...base, users: [users[0], users[0]] }), /user 'admin' is listed twice/);
    assert.match(
      bad({ ...base, users: [{ ...users[0], password_hash: 'scrypt$1$plain' }] }),
      /weir hash-password/,
    );
    assert.match(bad({ ...base, projects: [{ name: 'x', domain: 'Elsewhere' }] }), /only the Default domain/);
    assert.equal(bad(base), 'accepted');
  });
});
