// Two `weir server` replicas on ONE real etcd behave as one Keystone: no token_secret in the
// configuration (the replicas agree on one through the store), each accepts the other's tokens,
// sees the other's projects, and refuses a token the other revoked.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EtcdInstance } from '@weir/lab';
import { authHeader, identitySection, login } from './helpers/keystone.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import type { Many, NetworkView, One, ProjectView } from './helpers/wire.js';

/** Polls until `check` holds (a watch delivers within milliseconds; allow a few seconds). */
async function eventually(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`${what}: not within 5 s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('Keystone facade: two replicas on one etcd', () => {
  let etcd: EtcdInstance;
  let a: TestServer;
  let b: TestServer;
  let db = '';
  let identity: Record<string, unknown> = {};
  before(async () => {
    etcd = await EtcdInstance.start();
    const hosts = etcd.endpoints.map((e) => e.replace(/^https?:\/\//, '')).join(',');
    db = `etcd://${hosts}/keystone${process.pid}`;
    identity = await identitySection();
    // Started together: both race to create the token secret and seed the projects.
    [a, b] = await Promise.all([
      startTestServer({ auth: 'keystone', identity, db }),
      startTestServer({ auth: 'keystone', identity, db }),
    ]);
  });
  after(async () => {
    await a?.close();
    await b?.close();
    await etcd?.stop();
  });

  it("accept each other's tokens", async () => {
    const fromA = authHeader(await login(a, 'alice', 'demo'));
    const created = await b.neutron<One<'network', NetworkView>>(
      'POST',
      '/v2.0/networks',
      { network: { name: 'x' } },
      fromA,
    );
    assert.equal(created.status, 201, created.text);
    const fromB = authHeader(await login(b, 'alice', 'demo'));
    const listed = await a.neutron<Many<'networks', NetworkView>>('GET', '/v2.0/networks', undefined, fromB);
    assert.deepEqual(
      listed.body.networks.map((n) => n.id),
      [created.body.network.id],
    );
    // The configured projects were seeded once.
    assert.equal((await a.store.list('project')).items.length, 3);
  });

  it("see each other's projects and their enabled state", async () => {
    const adminA = authHeader(await login(a, 'admin', 'admin'));
    const adminB = authHeader(await login(b, 'admin', 'admin'));
    const made = await a.keystone<One<'project', ProjectView>>(
      'POST',
      '/v3/projects',
      { project: { name: 'shared' } },
      adminA,
    );
    assert.equal(made.status, 201);
    const seen = await b.keystone<Many<'projects', ProjectView>>(
      'GET',
      '/v3/projects?name=shared',
      undefined,
      adminB,
    );
    assert.deepEqual(
      seen.body.projects.map((p) => p.id),
      [made.body.project.id],
    );
    // A name taken on one replica is taken on the other.
    assert.equal(
      (await b.keystone('POST', '/v3/projects', { project: { name: 'shared' } }, adminB)).status,
      409,
    );
    // Disabled through B: A refuses tokens for it once its watch has told it.
    const alice = authHeader(await login(a, 'alice', 'demo'));
    const demo = (
      await a.keystone<Many<'projects', ProjectView>>('GET', '/v3/projects?name=demo', undefined, adminA)
    ).body.projects[0];
    await b.keystone('PATCH', `/v3/projects/${demo?.id}`, { project: { enabled: false } }, adminB);
    await eventually(
      'A refuses the disabled project',
      async () => (await a.neutron('GET', '/v2.0/networks', undefined, alice)).status === 401,
    );
    await b.keystone('PATCH', `/v3/projects/${demo?.id}`, { project: { enabled: true } }, adminB);
    await eventually(
      'A accepts it again',
      async () => (await a.neutron('GET', '/v2.0/networks', undefined, alice)).status === 200,
    );
  });

  it('a token revoked on one replica is refused by the other', async () => {
    const t = await login(a, 'bob', 'demo');
    assert.equal((await b.neutron('GET', '/v2.0/networks', undefined, authHeader(t))).status, 200);
    const del = await a.keystone('DELETE', '/v3/auth/tokens', undefined, {
      'x-auth-token': t,
      'x-subject-token': t,
    });
    assert.equal(del.status, 204);
    await eventually(
      'B refuses the revoked token',
      async () => (await b.neutron('GET', '/v2.0/networks', undefined, authHeader(t))).status === 401,
    );
  });

  it('a replica started later joins with the same secret', async () => {
    // Its own etcd client, as another process would have.
    const late = await startTestServer({ auth: 'keystone', identity, db });
    try {
      const t = await login(late, 'alice', 'demo');
      assert.equal((await b.neutron('GET', '/v2.0/networks', undefined, authHeader(t))).status, 200);
    } finally {
      await late.close();
    }
  });
});
