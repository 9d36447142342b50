// Neutron subnet pools over HTTP: the resource (Neutron's view, with prefix lengths as strings),
// its refusals and policy, subnets allocated from pools, the prefix actions, tags, and the
// extensions that announce them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { asProject, startTestServer, type TestServer } from './helpers/server.js';
import type { Many, NetworkView, One, Standard, SubnetView } from './helpers/wire.js';

interface PoolView extends Standard {
  readonly prefixes: string[];
  readonly ip_version: 4 | 6;
  readonly default_prefixlen: string;
  readonly min_prefixlen: string;
  readonly max_prefixlen: string;
  readonly default_quota: number | null;
  readonly shared: boolean;
  readonly is_default: boolean;
  readonly address_scope_id: string | null;
}

type Pool = One<'subnetpool', PoolView>;
type Pools = Many<'subnetpools', PoolView>;
type Sub = One<'subnet', SubnetView>;

const ALICE = asProject('a1'.repeat(16));
const BOB = asProject('b2'.repeat(16));

describe('Neutron subnet pools', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(async () => {
    await s.close();
  });
  const createPool = async (
    subnetpool: Record<string, unknown>,
    headers: Record<string, string> = ALICE,
  ): Promise<PoolView> => {
    const r = await s.neutron<Pool>('POST', '/v2.0/subnetpools', { subnetpool }, headers);
    assert.equal(r.status, 201, r.text);
    return r.body.subnetpool;
  };
  const network = async (headers: Record<string, string> = ALICE): Promise<string> => {
    const r = await s.neutron<One<'network', NetworkView>>(
      'POST',
      '/v2.0/networks',
      { network: {} },
      headers,
    );
    assert.equal(r.status, 201, r.text);
    return r.body.network.id;
  };
  const createSubnet = (subnet: Record<string, unknown>, headers: Record<string, string> = ALICE) =>
    s.neutron<Sub>('POST', '/v2.0/subnets', { subnet: { ip_version: 4, ...subnet } }, headers);

  it("create, show, list, update, delete, in Neutron's shape", async () => {
    const p = await createPool({
      name: 'pool',
      prefixes: ['192.168.1.0/24', '192.168.0.0/24', '10.10.0.0/21'],
      default_prefixlen: 25,
      min_prefixlen: 24,
      max_prefixlen: 30,
      shared: 'false',
    });
    assert.deepEqual(p.prefixes, ['10.10.0.0/21', '192.168.0.0/23']);
    assert.deepEqual(
      [p.ip_version, p.default_prefixlen, p.min_prefixlen, p.max_prefixlen, p.default_quota],
      [4, '25', '24', '30', null],
    );
    assert.deepEqual([p.shared, p.is_default, p.address_scope_id], [false, false, null]);
    assert.equal(p.project_id, 'a1'.repeat(16));
    assert.equal(p.tenant_id, p.project_id);
    assert.deepEqual(p.tags, []);
    const shown = await s.neutron<Pool>('GET', `/v2.0/subnetpools/${p.id}`, undefined, ALICE);
    assert.deepEqual(shown.body.subnetpool, p);
    const listed = await s.neutron<Pools>('GET', '/v2.0/subnetpools?name=pool&fields=id', undefined, ALICE);
    assert.deepEqual(listed.body.subnetpools, [{ id: p.id }]);
    const u = await s.neutron<Pool>(
      'PUT',
      `/v2.0/subnetpools/${p.id}`,
      { subnetpool: { name: 'renamed', prefixes: ['10.10.0.0/16', '192.168.0.0/23'], default_quota: 512 } },
      ALICE,
    );
    assert.equal(u.status, 200, u.text);
    assert.deepEqual([u.body.subnetpool.name, u.body.subnetpool.default_quota], ['renamed', 512]);
    assert.deepEqual(u.body.subnetpool.prefixes, ['10.10.0.0/16', '192.168.0.0/23']);
    assert.ok(u.body.subnetpool.revision_number > p.revision_number);
    assert.equal((await s.neutron('DELETE', `/v2.0/subnetpools/${p.id}`, undefined, ALICE)).status, 204);
    const gone = await s.neutron('GET', `/v2.0/subnetpools/${p.id}`, undefined, ALICE);
    assert.equal(gone.status, 404);
    assert.deepEqual(gone.error, {
      type: 'SubnetPoolNotFound',
      message: `Subnet pool ${p.id} could not be found.`,
    });
  });

  it("refuses what Neutron refuses, with Neutron's messages", async () => {
    const p = await createPool({ name: 'x', prefixes: ['10.40.0.0/16'] });
    const cases: [string, string, unknown, number, string, string][] = [
      [
        'POST',
        '/v2.0/subnetpools',
        { subnetpool: { prefixes: ['10.0.0.0/8'] } },
        400,
        'HTTPBadRequest',
        "Failed to parse request. Required attribute 'name' not specified",
      ],
      [
        'POST',
        '/v2.0/subnetpools',
        { subnetpool: { name: 'y' } },
        400,
        'HTTPBadRequest',
        "Failed to parse request. Required attribute 'prefixes' not specified",
      ],
      [
        'POST',
        '/v2.0/subnetpools',
        { subnetpool: { name: ' ', prefixes: ['10.0.0.0/8'] } },
        400,
        'HTTPBadRequest',
        "Invalid input for name. Reason: ' ' Blank strings are not permitted.",
      ],
      [
        'POST',
        '/v2.0/subnetpools',
        { subnetpool: { name: 'y', prefixes: ['10.0.0.1/8'] } },
        400,
        'HTTPBadRequest',
        "Invalid input for prefixes. Reason: '10.0.0.1/8' isn't a recognized IP subnet cidr, '10.0.0.0/8' is recommended.",
      ],
      [
        'POST',
        '/v2.0/subnetpools',
        { subnetpool: { name: 'y', prefixes: ['10.0.0.0/8'], min_prefixlen: -1 } },
        400,
        'HTTPBadRequest',
        "Invalid input for min_prefixlen. Reason: '-1' should be non-negative.",
      ],
      [
        'POST',
        '/v2.0/subnetpools',
        { subnetpool: { name: 'y', prefixes: ['10.0.0.0/8', 'fd00::/8'] } },
        400,
        'PrefixVersionMismatch',
        'Cannot mix IPv4 and IPv6 prefixes in a subnet pool.',
      ],
      [
        'POST',
        '/v2.0/subnetpools',
        { subnetpool: { name: 'y', prefixes: ['10.0.0.0/8'], shared: true } },
        403,
        'PolicyNotAuthorized',
        '(rule:create_subnetpool:shared) is disallowed by policy',
      ],
      [
        'POST',
        '/v2.0/subnetpools',
        { subnetpool: { name: 'y', prefixes: ['10.0.0.0/8'], is_default: true } },
        403,
        'PolicyNotAuthorized',
        '(rule:create_subnetpool:is_default) is disallowed by policy',
      ],
      [
        'PUT',
        `/v2.0/subnetpools/${p.id}`,
        { subnetpool: { shared: true } },
        400,
        'HTTPBadRequest',
        'Cannot update read-only attribute shared',
      ],
      [
        'PUT',
        `/v2.0/subnetpools/${p.id}`,
        { subnetpool: { prefixes: ['10.40.0.0/24'] } },
        400,
        'IllegalSubnetPoolPrefixUpdate',
        'Illegal update to prefixes: Existing prefixes must be a subset of the new prefixes.',
      ],
      [
        'PUT',
        `/v2.0/subnetpools/${p.id}`,
        { subnetpool: { min_prefixlen: 20, max_prefixlen: 16 } },
        400,
        'IllegalSubnetPoolPrefixBounds',
        'Illegal prefix bounds: min_prefixlen=20, max_prefixlen=16.',
      ],
      [
        'PUT',
        `/v2.0/subnetpools/${p.id}`,
        { subnetpool: { is_default: false } },
        403,
        'PolicyNotAuthorized',
        '(rule:update_subnetpool:is_default) is disallowed by policy',
      ],
    ];
    for (const [method, path, body, status, type, message] of cases) {
      const r = await s.neutron(method, path, body, ALICE);
      assert.equal(r.status, status, `${method} ${JSON.stringify(body)}: ${r.text}`);
      assert.deepEqual(r.error, { type, message });
    }
  });

  it('shared pools are seen and used by every project, changed only by their owner', async () => {
    const shared = await createPool(
      { name: 'public', prefixes: ['10.50.0.0/16'], default_prefixlen: 24, shared: true },
      {},
    );
    const mine = await createPool({ name: 'mine', prefixes: ['10.51.0.0/16'] });
    const seen = await s.neutron<Pools>('GET', '/v2.0/subnetpools', undefined, BOB);
    const ids = seen.body.subnetpools.map((p) => p.id);
    assert.ok(ids.includes(shared.id) && !ids.includes(mine.id));
    assert.equal((await s.neutron('GET', `/v2.0/subnetpools/${mine.id}`, undefined, BOB)).status, 404);
    const put = await s.neutron('PUT', `/v2.0/subnetpools/${shared.id}`, { subnetpool: { name: 'b' } }, BOB);
    assert.equal(put.status, 403, put.text);
    const sub = await createSubnet({ network_id: await network(BOB), subnetpool_id: shared.id }, BOB);
    assert.equal(sub.status, 201, sub.text);
    assert.deepEqual([sub.body.subnet.cidr, sub.body.subnet.subnetpool_id], ['10.50.0.0/24', shared.id]);
    const other = await createSubnet({ network_id: await network(BOB), subnetpool_id: mine.id }, BOB);
    assert.equal(other.status, 404);
    assert.deepEqual(other.error, {
      type: 'SubnetPoolNotFound',
      message: `Subnet pool ${mine.id} could not be found.`,
    });
  });

  it('subnets take their cidr from a pool, give it back, and keep the pool in use', async () => {
    const p = await createPool({
      name: 'alloc',
      prefixes: ['10.60.0.0/24'],
      min_prefixlen: 25,
      max_prefixlen: 26,
    });
    const a = await createSubnet({ network_id: await network(), subnetpool_id: p.id });
    assert.equal(a.status, 201, a.text);
    assert.deepEqual(
      [a.body.subnet.cidr, a.body.subnet.gateway_ip, a.body.subnet.subnetpool_id],
      ['10.60.0.0/25', '10.60.0.1', p.id],
    );
    const b = await createSubnet({ network_id: await network(), subnetpool_id: p.id, prefixlen: 26 });
    assert.equal(b.body.subnet.cidr, '10.60.0.128/26');
    const c = await createSubnet({
      network_id: await network(),
      subnetpool_id: p.id,
      cidr: '10.60.0.192/26',
    });
    assert.equal(c.body.subnet.cidr, '10.60.0.192/26');
    const full = await createSubnet({ network_id: await network(), subnetpool_id: p.id, prefixlen: '26' });
    assert.equal(full.status, 500, full.text);
    assert.deepEqual(full.error, {
      type: 'SubnetAllocationError',
      message: 'Failed to allocate subnet: Insufficient prefix space to allocate subnet size /26.',
    });
    const both = await createSubnet({
      network_id: await network(),
      subnetpool_id: p.id,
      cidr: '10.60.0.0/25',
      prefixlen: 25,
    });
    assert.deepEqual(
      [both.status, both.error?.message],
      [400, 'Bad subnets request: cidr and prefixlen must not be supplied together.'],
    );
    const busy = await s.neutron('DELETE', `/v2.0/subnetpools/${p.id}`, undefined, ALICE);
    assert.equal(busy.status, 400);
    assert.deepEqual(busy.error, {
      type: 'SubnetPoolDeleteError',
      message: 'Unable to delete subnet pool: Subnet pool has existing allocations.',
    });
    const filtered = await s.neutron<Many<'subnets', SubnetView>>(
      'GET',
      `/v2.0/subnets?subnetpool_id=${p.id}`,
      undefined,
      ALICE,
    );
    assert.equal(filtered.body.subnets.length, 3);
    for (const sub of [a, b, c])
      assert.equal(
        (await s.neutron('DELETE', `/v2.0/subnets/${sub.body.subnet.id}`, undefined, ALICE)).status,
        204,
      );
    assert.equal((await s.neutron('DELETE', `/v2.0/subnetpools/${p.id}`, undefined, ALICE)).status, 204);
  });

  it('use_default_subnetpool takes the default pool of the IP version', async () => {
    const none = await createSubnet({
      network_id: await network(),
      ip_version: 6,
      use_default_subnetpool: true,
    });
    assert.deepEqual(
      [none.status, none.error?.message],
      [400, 'Bad subnets request: No default subnetpool found for IPv6.'],
    );
    const d = await createPool(
      { name: 'v6', prefixes: ['2001:db8::/48'], shared: true, is_default: true },
      {},
    );
    assert.equal(d.is_default, true);
    const again = await s.neutron('POST', '/v2.0/subnetpools', {
      subnetpool: { name: 'v6b', prefixes: ['fd00::/48'], is_default: true },
    });
    assert.equal(again.status, 400);
    assert.equal(again.error?.type, 'InvalidInput');
    const sub = await createSubnet({
      network_id: await network(),
      ip_version: 6,
      use_default_subnetpool: true,
    });
    assert.equal(sub.status, 201, sub.text);
    assert.deepEqual([sub.body.subnet.cidr, sub.body.subnet.subnetpool_id], ['2001:db8::/64', d.id]);
  });

  it('add_prefixes and remove_prefixes answer the compacted prefixes', async () => {
    const p = await createPool({
      name: 'ops',
      prefixes: ['192.168.1.0/24', '10.10.10.0/24'],
      min_prefixlen: 24,
    });
    const path = (action: string) => `/v2.0/subnetpools/${p.id}/${action}`;
    const added = await s.neutron(
      'PUT',
      path('add_prefixes'),
      { prefixes: ['192.168.0.0/24', '172.16.0.0/21'] },
      ALICE,
    );
    assert.equal(added.status, 200, added.text);
    assert.deepEqual(added.body, { prefixes: ['10.10.10.0/24', '172.16.0.0/21', '192.168.0.0/23'] });
    const sub = await createSubnet({
      network_id: await network(),
      subnetpool_id: p.id,
      cidr: '172.16.0.0/24',
    });
    assert.equal(sub.status, 201, sub.text);
    const inUse = await s.neutron('PUT', path('remove_prefixes'), { prefixes: ['172.16.0.0/21'] }, ALICE);
    assert.deepEqual([inUse.status, inUse.error?.type], [400, 'IllegalSubnetPoolPrefixUpdate']);
    const removed = await s.neutron('PUT', path('remove_prefixes'), { prefixes: ['192.168.0.0/24'] }, ALICE);
    assert.deepEqual(removed.body, { prefixes: ['10.10.10.0/24', '172.16.0.0/21', '192.168.1.0/24'] });
    for (const body of [{}, { prefixes: [] }, { prefixes: 'x' }, []]) {
      const r = await s.neutron('PUT', path('add_prefixes'), body, ALICE);
      assert.deepEqual(
        [r.status, r.error?.message],
        [400, 'Request body contains invalid data'],
        JSON.stringify(body),
      );
    }
    const unknown = await s.neutron('PUT', `/v2.0/subnetpools/${'c0'.repeat(16)}/add_prefixes`, {}, ALICE);
    assert.deepEqual([unknown.status, unknown.error?.type], [404, 'SubnetPoolNotFound']);
    const shown = await s.neutron<Pool>('GET', `/v2.0/subnetpools/${p.id}`, undefined, ALICE);
    assert.deepEqual(shown.body.subnetpool.prefixes, ['10.10.10.0/24', '172.16.0.0/21', '192.168.1.0/24']);
  });

  it('takes tags, and announces the extensions it implements', async () => {
    const p = await createPool({ name: 'tagged', prefixes: ['10.70.0.0/16'] });
    assert.equal(
      (await s.neutron('PUT', `/v2.0/subnetpools/${p.id}/tags/red`, undefined, ALICE)).status,
      201,
    );
    const tags = await s.neutron('GET', `/v2.0/subnetpools/${p.id}/tags`, undefined, ALICE);
    assert.deepEqual(tags.body, { tags: ['red'] });
    const listed = await s.neutron<Pools>('GET', '/v2.0/subnetpools?tags=red', undefined, ALICE);
    assert.deepEqual(
      listed.body.subnetpools.map((x) => x.id),
      [p.id],
    );
    for (const alias of ['subnet_allocation', 'subnetpool-prefix-ops', 'default-subnetpools']) {
      assert.equal((await s.neutron('GET', `/v2.0/extensions/${alias}`)).status, 200, alias);
    }
    assert.equal((await s.neutron('GET', '/v2.0/extensions/address-scope')).status, 404);
  });
});
