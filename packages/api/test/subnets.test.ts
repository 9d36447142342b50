// Neutron subnets over HTTP: create/show/list/update/delete with Neutron's defaults, its request
// checks and messages, subnets of shared networks visible to other projects, SubnetInUse, tags
// and If-Match.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { asProject, startTestServer, type TestServer } from './helpers/server.js';
import type { Many, NetworkView, One, PortView, SubnetView } from './helpers/wire.js';

type Sub = One<'subnet', SubnetView>;
type Subs = Many<'subnets', SubnetView>;
type Net = One<'network', NetworkView>;

const BOB = 'b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0';

describe('Neutron subnets', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(async () => {
    await s.close();
  });
  const network = async (body: Record<string, unknown> = {}, headers?: Record<string, string>) => {
    const r = await s.neutron<Net>('POST', '/v2.0/networks', { network: body }, headers);
    assert.equal(r.status, 201, r.text);
    return r.body.network;
  };
  const subnet = async (body: Record<string, unknown>, headers?: Record<string, string>) => {
    const r = await s.neutron<Sub>('POST', '/v2.0/subnets', { subnet: { ip_version: 4, ...body } }, headers);
    assert.equal(r.status, 201, r.text);
    return r.body.subnet;
  };

  it("create with Neutron's defaults, show, list by network, update, delete", async () => {
    const n = await network({ name: 'n1' });
    const sn = await subnet({ network_id: n.id, cidr: '10.0.0.0/24', name: 's1' });
    assert.equal(sn.name, 's1');
    assert.equal(sn.ip_version, 4);
    assert.equal(sn.gateway_ip, '10.0.0.1');
    assert.deepEqual(sn.allocation_pools, [{ start: '10.0.0.2', end: '10.0.0.254' }]);
    assert.equal(sn.enable_dhcp, true);
    assert.deepEqual(sn.dns_nameservers, []);
    assert.deepEqual(sn.host_routes, []);
    assert.equal(sn.subnetpool_id, null);
    assert.equal(sn.ipv6_ra_mode, null);
    assert.equal(sn.project_id, n.project_id);
    const net = await s.neutron<Net>('GET', `/v2.0/networks/${n.id}`);
    assert.deepEqual(net.body.network.subnets, [sn.id]);
    assert.equal((await s.neutron<Sub>('GET', `/v2.0/subnets/${sn.id}`)).body.subnet.cidr, '10.0.0.0/24');

    const other = await network();
    await subnet({ network_id: other.id, cidr: '10.9.0.0/24' });
    const listed = await s.neutron<Subs>('GET', `/v2.0/subnets?network_id=${n.id}`);
    assert.deepEqual(
      listed.body.subnets.map((x) => x.id),
      [sn.id],
    );
    const byCidr = await s.neutron<Subs>('GET', '/v2.0/subnets?cidr=10.9.0.0/24&fields=network_id');
    assert.deepEqual(byCidr.body.subnets, [{ network_id: other.id }]);

    const u = await s.neutron<Sub>('PUT', `/v2.0/subnets/${sn.id}`, {
      subnet: {
        name: 's1b',
        gateway_ip: '10.0.0.254',
        allocation_pools: [{ start: '10.0.0.10', end: '10.0.0.20' }],
        dns_nameservers: ['8.8.8.8', '1.1.1.1'],
        host_routes: [{ destination: '192.168.0.0/16', nexthop: '10.0.0.5' }],
        enable_dhcp: false,
      },
    });
    assert.equal(u.status, 200, u.text);
    assert.equal(u.body.subnet.name, 's1b');
    assert.equal(u.body.subnet.gateway_ip, '10.0.0.254');
    assert.deepEqual(u.body.subnet.allocation_pools, [{ start: '10.0.0.10', end: '10.0.0.20' }]);
    assert.deepEqual(u.body.subnet.dns_nameservers, ['8.8.8.8', '1.1.1.1']);
    assert.deepEqual(u.body.subnet.host_routes, [{ destination: '192.168.0.0/16', nexthop: '10.0.0.5' }]);
    assert.equal(u.body.subnet.enable_dhcp, false);
    assert.ok(u.body.subnet.revision_number > sn.revision_number);
    // A pool that now covers the gateway is core's 409.
    const clash = await s.neutron('PUT', `/v2.0/subnets/${sn.id}`, {
      subnet: { allocation_pools: [{ start: '10.0.0.200', end: '10.0.0.254' }] },
    });
    assert.equal(clash.status, 409, clash.text);
    assert.equal(clash.error?.type, 'GatewayConflictWithAllocationPools');

    for (const attr of [{ cidr: '10.1.0.0/24' }, { ip_version: 6 }, { network_id: other.id }]) {
      const r = await s.neutron('PUT', `/v2.0/subnets/${sn.id}`, { subnet: attr });
      assert.equal(r.status, 400, JSON.stringify(attr));
      assert.equal(r.error?.message, `Cannot update read-only attribute ${Object.keys(attr)[0]}`);
    }
    assert.equal((await s.neutron('DELETE', `/v2.0/subnets/${sn.id}`)).status, 204);
    const gone = await s.neutron('GET', `/v2.0/subnets/${sn.id}`);
    assert.equal(gone.status, 404);
    assert.equal(gone.error?.type, 'SubnetNotFound');
    assert.equal(gone.error?.message, `Subnet ${sn.id} could not be found.`);
  });

  it('no gateway, IPv6 with SLAAC', async () => {
    const n = await network();
    const none = await subnet({ network_id: n.id, cidr: '10.2.0.0/29', gateway_ip: null });
    assert.equal(none.gateway_ip, null);
    assert.deepEqual(none.allocation_pools, [{ start: '10.2.0.1', end: '10.2.0.6' }]);
    const v6 = await subnet({
      network_id: n.id,
      ip_version: 6,
      cidr: '2001:DB8::/64',
      ipv6_ra_mode: 'slaac',
      ipv6_address_mode: 'slaac',
    });
    assert.equal(v6.cidr, '2001:db8::/64');
    assert.equal(v6.gateway_ip, '2001:db8::1');
    assert.equal(v6.ipv6_address_mode, 'slaac');
  });

  it("refuses what Neutron refuses, with Neutron's messages", async () => {
    const n = await network();
    await subnet({ network_id: n.id, cidr: '10.3.0.0/24' });
    const cases: [Record<string, unknown>, number, string, string][] = [
      [
        { network_id: n.id, cidr: '10.4.0.1/24' },
        400,
        'HTTPBadRequest',
        "Invalid input for cidr. Reason: '10.4.0.1/24' isn't a recognized IP subnet cidr, '10.4.0.0/24' is recommended.",
      ],
      [
        { network_id: n.id, cidr: '10.4.0.0/24', ip_version: 5 },
        400,
        'HTTPBadRequest',
        'Invalid input for ip_version. Reason: 5 is not in [4, 6].',
      ],
      [
        { cidr: '10.4.0.0/24' },
        400,
        'HTTPBadRequest',
        "Failed to parse request. Required attribute 'network_id' not specified",
      ],
      [
        { network_id: n.id },
        400,
        'BadRequest',
        'Bad subnets request: a subnetpool must be specified in the absence of a cidr.',
      ],
      [
        { network_id: n.id, cidr: '10.4.0.0/24', ip_version: 6 },
        400,
        'InvalidInput',
        "Invalid input for operation: cidr '10.4.0.0/24' does not match the ip_version '6'.",
      ],
      [
        { network_id: n.id, cidr: '10.3.0.0/16' },
        400,
        'InvalidInput',
        `Invalid input for operation: Requested subnet with cidr: 10.3.0.0/16 for network: ${n.id} overlaps with another subnet.`,
      ],
      [
        { network_id: n.id, cidr: '10.4.0.0/24', dns_nameservers: ['8.8.8.8', '8.8.8.8'] },
        400,
        'HTTPBadRequest',
        "Invalid input for dns_nameservers. Reason: Duplicate nameserver '8.8.8.8'.",
      ],
      [
        {
          network_id: n.id,
          cidr: '10.4.0.0/24',
          host_routes: [{ destination: '10.5.0.1/16', nexthop: '10.4.0.1' }],
        },
        400,
        'HTTPBadRequest',
        "Invalid input for host_routes. Reason: '10.5.0.1/16' is not a valid CIDR.",
      ],
      [
        { network_id: n.id, cidr: '10.4.0.0/24', allocation_pools: [{ start: '10.4.0.2' }] },
        400,
        'HTTPBadRequest',
        "Invalid input for allocation_pools. Reason: Validation of dictionary's keys failed. Expected keys: {'start', 'end'} Provided keys: {'start'}.",
      ],
      [
        { network_id: '6bc9a6c4-8d1b-4a8c-9b43-5b0f1f0c0d11', cidr: '10.4.0.0/24' },
        404,
        'NetworkNotFound',
        'Network 6bc9a6c4-8d1b-4a8c-9b43-5b0f1f0c0d11 could not be found.',
      ],
    ];
    for (const [body, status, type, message] of cases) {
      const r = await s.neutron('POST', '/v2.0/subnets', { subnet: { ip_version: 4, ...body } });
      assert.equal(r.status, status, `${JSON.stringify(body)}: ${r.text}`);
      assert.equal(r.error?.type, type, JSON.stringify(body));
      assert.equal(r.error?.message, message);
    }
    const filter = await s.neutron('GET', '/v2.0/subnets?allocation_pools=x');
    assert.equal(filter.status, 400);
  });

  it('subnets of shared networks are visible to every project; others are not', async () => {
    const shared = await network({ shared: true });
    const pub = await subnet({ network_id: shared.id, cidr: '10.20.0.0/24' });
    const priv = await subnet({ network_id: (await network()).id, cidr: '10.21.0.0/24' });
    const bob = asProject(BOB);
    const bobNet = await network({}, bob);
    const own = await subnet({ network_id: bobNet.id, cidr: '10.22.0.0/24' }, bob);
    assert.equal(own.project_id, BOB);

    const ids = (await s.neutron<Subs>('GET', '/v2.0/subnets', undefined, bob)).body.subnets.map((x) => x.id);
    assert.deepEqual(ids.sort(), [pub.id, own.id].sort());
    const byNet = await s.neutron<Subs>('GET', `/v2.0/subnets?network_id=${shared.id}`, undefined, bob);
    assert.deepEqual(
      byNet.body.subnets.map((x) => x.id),
      [pub.id],
    );
    assert.equal((await s.neutron('GET', `/v2.0/subnets/${pub.id}`, undefined, bob)).status, 200);
    assert.equal((await s.neutron('GET', `/v2.0/subnets/${priv.id}`, undefined, bob)).status, 404);
    // Only the network's owner adds subnets to it.
    const denied = await s.neutron(
      'POST',
      '/v2.0/subnets',
      { subnet: { network_id: shared.id, ip_version: 4, cidr: '10.23.0.0/24' } },
      bob,
    );
    assert.equal(denied.status, 403, denied.text);
    assert.equal(denied.error?.type, 'PolicyNotAuthorized');
    // Nor may they change or delete another project's subnet.
    assert.equal((await s.neutron('DELETE', `/v2.0/subnets/${pub.id}`, undefined, bob)).status, 404);
  });

  it('refuses to delete a subnet ports use (SubnetInUse 409)', async () => {
    const n = await network();
    const sn = await subnet({ network_id: n.id, cidr: '10.30.0.0/24' });
    const p = await s.neutron<One<'port', PortView>>('POST', '/v2.0/ports', { port: { network_id: n.id } });
    assert.equal(p.status, 201, p.text);
    const busy = await s.neutron('DELETE', `/v2.0/subnets/${sn.id}`);
    assert.equal(busy.status, 409);
    assert.equal(busy.error?.type, 'SubnetInUse');
    assert.equal(
      busy.error?.message,
      `Unable to complete operation on subnet ${sn.id}: One or more ports have an IP allocation from this subnet.`,
    );
    assert.equal((await s.neutron('DELETE', `/v2.0/ports/${p.body.port.id}`)).status, 204);
    assert.equal((await s.neutron('DELETE', `/v2.0/subnets/${sn.id}`)).status, 204);
  });

  it('tags and If-Match', async () => {
    const n = await network();
    const sn = await subnet({ network_id: n.id, cidr: '10.40.0.0/24', tags: ['a'] });
    assert.deepEqual(sn.tags, ['a']);
    assert.equal((await s.neutron('PUT', `/v2.0/subnets/${sn.id}/tags/b`)).status, 201);
    const tagged = await s.neutron<Subs>('GET', '/v2.0/subnets?tags=a,b');
    assert.deepEqual(
      tagged.body.subnets.map((x) => x.id),
      [sn.id],
    );
    const current = (await s.neutron<Sub>('GET', `/v2.0/subnets/${sn.id}`)).body.subnet;
    const stale = await s.neutron(
      'PUT',
      `/v2.0/subnets/${sn.id}`,
      { subnet: { name: 'x' } },
      { 'if-match': `revision_number=${sn.revision_number}` },
    );
    assert.equal(stale.status, 412);
    assert.equal(stale.error?.type, 'RevisionNumberConstraintFailed');
    const staleDelete = await s.neutron('DELETE', `/v2.0/subnets/${sn.id}`, undefined, {
      'if-match': `revision_number=${sn.revision_number}`,
    });
    assert.equal(staleDelete.status, 412);
    const ok = await s.neutron('DELETE', `/v2.0/subnets/${sn.id}`, undefined, {
      'if-match': `revision_number=${current.revision_number}`,
    });
    assert.equal(ok.status, 204);
  });
});
