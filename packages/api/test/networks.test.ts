// Neutron networks over HTTP: create/show/list/update/delete, Neutron's request checks and
// error shapes, bulk create, sorting and pagination, tags, If-Match.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from './helpers/server.js';
import type { Many, NetworkView, One } from './helpers/wire.js';

type Net = One<'network', NetworkView>;
type Nets = Many<'networks', NetworkView>;

describe('Neutron networks', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(async () => {
    await s.close();
  });
  const create = async (network: Record<string, unknown>): Promise<NetworkView> => {
    const r = await s.neutron<Net>('POST', '/v2.0/networks', { network });
    assert.equal(r.status, 201, r.text);
    return r.body.network;
  };

  it('create, show, list with filters and fields, update, delete', async () => {
    const n = await create({ name: 'blue', mtu: 1400 });
    assert.equal(n.name, 'blue');
    assert.equal(n.mtu, 1400);
    assert.equal(n.project_id, n.tenant_id);
    assert.deepEqual(n.subnets, []);
    assert.equal((await s.neutron<Net>('GET', `/v2.0/networks/${n.id}`)).body.network.id, n.id);
    const listed = await s.neutron<Nets>('GET', '/v2.0/networks?name=blue&fields=id&fields=name');
    assert.deepEqual(listed.body.networks, [{ id: n.id, name: 'blue' }]);
    assert.equal((await s.neutron<Nets>('GET', '/v2.0/networks?name=red')).body.networks.length, 0);
    const u = await s.neutron<Net>('PUT', `/v2.0/networks/${n.id}`, { network: { name: 'green' } });
    assert.equal(u.status, 200);
    assert.equal(u.body.network.name, 'green');
    assert.ok(u.body.network.revision_number > n.revision_number);
    assert.equal((await s.neutron('DELETE', `/v2.0/networks/${n.id}`)).status, 204);
    const gone = await s.neutron('GET', `/v2.0/networks/${n.id}`);
    assert.equal(gone.status, 404);
    assert.equal(gone.error?.type, 'NetworkNotFound');
  });

  it("refuses what Neutron refuses, with Neutron's messages", async () => {
    const cases: [unknown, number, RegExp][] = [
      [{ network: { foo: 1 } }, 400, /^Unrecognized attribute\(s\) 'foo'$/],
      [{ network: { status: 'DOWN' } }, 400, /^Attribute 'status' not allowed in POST$/],
      [
        { network: { admin_state_up: 'maybe' } },
        400,
        /^Invalid input for admin_state_up\. Reason: 'maybe' cannot be converted to boolean\.$/,
      ],
      [
        { network: { mtu: 10 } },
        400,
        /^Invalid input for mtu\. Reason: '10' is too small - must be at least '68'\.$/,
      ],
      [{ nope: {} }, 400, /^Unable to find 'network' in request body$/],
      [[1, 2], 400, /^Body contains invalid data$/],
      [{ network: 'x' }, 400, /^Body contains invalid data$/],
    ];
    for (const [body, status, message] of cases) {
      const r = await s.neutron('POST', '/v2.0/networks', body);
      assert.equal(r.status, status, JSON.stringify(body));
      assert.match(r.error?.message ?? '', message);
    }
  });

  it('bulk create is all or nothing', async () => {
    const ok = await s.neutron<Nets>('POST', '/v2.0/networks', {
      networks: [{ name: 'b1' }, { name: 'b2' }],
    });
    assert.equal(ok.status, 201);
    assert.equal(ok.body.networks.length, 2);
    const count = async (): Promise<number> =>
      (await s.neutron<Nets>('GET', '/v2.0/networks')).body.networks.length;
    const before = await count();
    const bad = await s.neutron('POST', '/v2.0/networks', {
      networks: [
        { name: 'b3' },
        { name: 'b4', 'provider:network_type': 'geneve', 'provider:physical_network': 'p1' },
      ],
    });
    assert.equal(bad.status, 400, bad.text);
    assert.equal(await count(), before);
  });

  it('sorting and pagination follow next links to the end', async () => {
    for (let i = 0; i < 7; i++) await create({ name: `page-${i}` });
    const names: string[] = [];
    const filter = Array.from({ length: 7 }, (_, i) => `name=page-${i}`).join('&');
    let url: string | undefined = `/v2.0/networks?limit=3&sort_key=name&sort_dir=desc&${filter}`;
    while (url) {
      const r: Awaited<ReturnType<typeof s.neutron<Nets>>> = await s.neutron<Nets>('GET', url);
      assert.equal(r.status, 200, r.text);
      names.push(...r.body.networks.map((n) => n.name));
      const next = r.body.networks_links?.find((l) => l.rel === 'next');
      url = next ? new URL(next.href).pathname + new URL(next.href).search : undefined;
    }
    assert.deepEqual(names, ['page-6', 'page-5', 'page-4', 'page-3', 'page-2', 'page-1', 'page-0']);
    assert.equal((await s.neutron('GET', '/v2.0/networks?sort_key=bogus')).status, 400);
    assert.equal((await s.neutron('GET', '/v2.0/networks?bogus=1')).status, 400);
    assert.equal((await s.neutron('GET', '/v2.0/networks?limit=-1')).status, 400);
  });

  it('boolean filters in any spelling (router:external=True, shared=False)', async () => {
    const ext = await create({ name: 'bool-ext', 'router:external': true });
    const plain = await create({ name: 'bool-plain' });
    const names = async (q: string): Promise<string[]> =>
      (await s.neutron<Nets>('GET', `/v2.0/networks?name=bool-ext&name=bool-plain&${q}`)).body.networks
        .map((n) => n.id)
        .sort();
    assert.deepEqual(await names('router:external=True'), [ext.id]);
    assert.deepEqual(await names('router:external=1'), [ext.id]);
    assert.deepEqual(await names('router:external=False'), [plain.id]);
    assert.deepEqual(await names('shared=False'), [ext.id, plain.id].sort());
    assert.deepEqual(await names('shared=True'), []);
  });

  it('tags: add, check, replace, remove, filter', async () => {
    const n = await create({ name: 'tagged' });
    assert.equal((await s.neutron('PUT', `/v2.0/networks/${n.id}/tags/red`)).status, 201);
    assert.equal((await s.neutron('GET', `/v2.0/networks/${n.id}/tags/red`)).status, 204);
    assert.equal((await s.neutron('GET', `/v2.0/networks/${n.id}/tags/blue`)).status, 404);
    const put = await s.neutron<{ tags: string[] }>('PUT', `/v2.0/networks/${n.id}/tags`, {
      tags: ['a', 'b'],
    });
    assert.deepEqual(put.body.tags, ['a', 'b']);
    const any = await s.neutron<Nets>('GET', '/v2.0/networks?tags-any=b,zz');
    assert.deepEqual(
      any.body.networks.map((x) => x.id),
      [n.id],
    );
    assert.equal((await s.neutron('DELETE', `/v2.0/networks/${n.id}/tags/a`)).status, 204);
    assert.deepEqual((await s.neutron<{ tags: string[] }>('GET', `/v2.0/networks/${n.id}/tags`)).body.tags, [
      'b',
    ]);
  });

  it('If-Match on revision_number: a stale revision is 412', async () => {
    const n = await create({ name: 'rev' });
    const stale = await s.neutron(
      'PUT',
      `/v2.0/networks/${n.id}`,
      { network: { name: 'x' } },
      { 'if-match': `revision_number=${n.revision_number + 1000}` },
    );
    assert.equal(stale.status, 412);
    assert.equal(stale.error?.type, 'RevisionNumberConstraintFailed');
    const fresh = await s.neutron(
      'PUT',
      `/v2.0/networks/${n.id}`,
      { network: { name: 'x' } },
      { 'if-match': `revision_number=${n.revision_number}` },
    );
    assert.equal(fresh.status, 200);
  });
});
