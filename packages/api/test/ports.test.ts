// Neutron ports over HTTP: CRUD, IPAM through the API, native atomic bulk create, the fixed_ips
// and other list filters, the binding attributes and their policy, address pairs, If-Match.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { asProject, startTestServer, type TestServer } from './helpers/server.js';
import type { Many, NetworkView, One, PortView, SubnetView } from './helpers/wire.js';

type Port = One<'port', PortView>;
type Ports = Many<'ports', PortView>;

const BOB = 'b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0';

describe('Neutron ports', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(async () => {
    await s.close();
  });

  const network = async (
    cidr: string,
    extra: Record<string, unknown> = {},
    headers?: Record<string, string>,
  ): Promise<{ net: NetworkView; sub: SubnetView }> => {
    const n = await s.neutron<One<'network', NetworkView>>(
      'POST',
      '/v2.0/networks',
      { network: extra },
      headers,
    );
    assert.equal(n.status, 201, n.text);
    const sub = await s.neutron<One<'subnet', SubnetView>>(
      'POST',
      '/v2.0/subnets',
      { subnet: { network_id: n.body.network.id, ip_version: 4, cidr } },
      headers,
    );
    assert.equal(sub.status, 201, sub.text);
    return { net: n.body.network, sub: sub.body.subnet };
  };
  const port = async (body: Record<string, unknown>, headers?: Record<string, string>): Promise<PortView> => {
    const r = await s.neutron<Port>('POST', '/v2.0/ports', { port: body }, headers);
    assert.equal(r.status, 201, r.text);
    return r.body.port;
  };
  const ids = (r: { body: Ports }): string[] => r.body.ports.map((p) => p.id).sort();

  it('create with a MAC, an address and the default security group; show, update, delete', async () => {
    const { net, sub } = await network('10.0.0.0/24');
    const p = await port({ network_id: net.id, name: 'vm1' });
    assert.match(p.mac_address, /^fa:16:3e(:[0-9a-f]{2}){3}$/);
    assert.equal(p.fixed_ips.length, 1);
    assert.equal(p.fixed_ips[0]?.subnet_id, sub.id);
    assert.equal(p.status, 'DOWN');
    assert.equal(p.admin_state_up, true);
    assert.equal(p.security_groups.length, 1);
    assert.equal(p.port_security_enabled, true);
    assert.equal(p.device_owner, '');
    assert.equal(p['binding:vnic_type'], 'normal');
    assert.equal(p['binding:host_id'], '');
    assert.equal(p['binding:vif_type'], 'unbound');
    assert.equal(p.trunk_details, undefined);
    const shown = await s.neutron<Port>('GET', `/v2.0/ports/${p.id}`);
    assert.deepEqual(shown.body.port, p);

    const u = await s.neutron<Port>('PUT', `/v2.0/ports/${p.id}`, {
      port: {
        name: 'vm1b',
        admin_state_up: false,
        device_id: 'dev-1',
        device_owner: 'compute:nova',
        'binding:host_id': 'host-1',
        'binding:profile': { local_link: 'eth1' },
      },
    });
    assert.equal(u.status, 200, u.text);
    assert.equal(u.body.port.name, 'vm1b');
    assert.equal(u.body.port.admin_state_up, false);
    assert.equal(u.body.port['binding:host_id'], 'host-1');
    assert.equal(u.body.port['binding:vif_type'], 'ovs');
    assert.deepEqual(u.body.port['binding:profile'], { local_link: 'eth1' });
    // A new address on the same subnet: the old one is released, the new one taken.
    const moved = await s.neutron<Port>('PUT', `/v2.0/ports/${p.id}`, {
      port: { fixed_ips: [{ ip_address: '10.0.0.77' }] },
    });
    assert.equal(moved.status, 200, moved.text);
    assert.deepEqual(moved.body.port.fixed_ips, [{ subnet_id: sub.id, ip_address: '10.0.0.77' }]);
    // A new MAC is claimed and the old one freed; one another port holds is a 409.
    const other = await port({ network_id: net.id });
    const remac = await s.neutron<Port>('PUT', `/v2.0/ports/${p.id}`, {
      port: { mac_address: 'FA:16:3E:01:02:03' },
    });
    assert.equal(remac.status, 200, remac.text);
    assert.equal(remac.body.port.mac_address, 'fa:16:3e:01:02:03');
    const taken = await s.neutron('PUT', `/v2.0/ports/${other.id}`, {
      port: { mac_address: 'fa:16:3e:01:02:03' },
    });
    assert.equal(taken.status, 409);
    assert.equal(taken.error?.type, 'MacAddressInUse');
    const reuse = await s.neutron('PUT', `/v2.0/ports/${other.id}`, { port: { mac_address: p.mac_address } });
    assert.equal(reuse.status, 200, reuse.text);
    const ro = await s.neutron('PUT', `/v2.0/ports/${p.id}`, { port: { network_id: net.id } });
    assert.equal(ro.status, 400);
    assert.equal(ro.error?.message, 'Cannot update read-only attribute network_id');

    assert.equal((await s.neutron('DELETE', `/v2.0/ports/${p.id}`)).status, 204);
    const gone = await s.neutron('GET', `/v2.0/ports/${p.id}`);
    assert.equal(gone.status, 404);
    assert.equal(gone.error?.type, 'PortNotFound');
    assert.equal(gone.error?.message, `Port ${p.id} could not be found.`);
  });

  it('IPAM through the API: explicit address, subnet only, duplicates and exhaustion are 409s', async () => {
    const { net, sub } = await network('10.1.0.0/29'); // .2 – .6 usable
    const a = await port({ network_id: net.id, fixed_ips: [{ subnet_id: sub.id, ip_address: '10.1.0.5' }] });
    assert.deepEqual(a.fixed_ips, [{ subnet_id: sub.id, ip_address: '10.1.0.5' }]);
    const b = await port({ network_id: net.id, fixed_ips: [{ subnet_id: sub.id }] });
    assert.equal(b.fixed_ips[0]?.subnet_id, sub.id);
    assert.notEqual(b.fixed_ips[0]?.ip_address, '10.1.0.5');

    const dup = await s.neutron('POST', '/v2.0/ports', {
      port: { network_id: net.id, fixed_ips: [{ ip_address: '10.1.0.5' }] },
    });
    assert.equal(dup.status, 409);
    assert.equal(dup.error?.type, 'IpAddressAlreadyAllocated');
    assert.equal(dup.error?.message, `IP address 10.1.0.5 already allocated in subnet ${sub.id}`);
    const mac = await s.neutron('POST', '/v2.0/ports', {
      port: { network_id: net.id, mac_address: a.mac_address.toUpperCase() },
    });
    assert.equal(mac.status, 409);
    assert.equal(mac.error?.type, 'MacAddressInUse');
    assert.equal(
      mac.error?.message,
      `Unable to complete operation for network ${net.id}. The mac address ${a.mac_address} is in use.`,
    );
    const outside = await s.neutron('POST', '/v2.0/ports', {
      port: { network_id: net.id, fixed_ips: [{ ip_address: '192.168.9.9' }] },
    });
    assert.equal(outside.status, 400);
    assert.equal(outside.error?.type, 'InvalidIpForNetwork');
    const badSubnet = await s.neutron('POST', '/v2.0/ports', {
      port: { network_id: net.id, fixed_ips: [{ subnet_id: '0b5c1bd3-9d42-4a7e-8d38-7f2b8e0e9a11' }] },
    });
    assert.equal(badSubnet.status, 400);
    assert.equal(badSubnet.error?.type, 'InvalidInput');
    const twice = await s.neutron('POST', '/v2.0/ports', {
      port: { network_id: net.id, fixed_ips: [{ ip_address: '10.1.0.3' }, { ip_address: '10.1.0.3' }] },
    });
    assert.equal(twice.status, 400);
    assert.equal(
      twice.error?.message,
      "Invalid input for fixed_ips. Reason: Duplicate IP address '10.1.0.3'.",
    );

    for (let i = 0; i < 3; i++) await port({ network_id: net.id });
    const full = await s.neutron('POST', '/v2.0/ports', { port: { network_id: net.id } });
    assert.equal(full.status, 409);
    assert.equal(full.error?.type, 'IpAddressGenerationFailure');
    assert.equal(full.error?.message, `No more IP addresses available on network ${net.id}.`);
    // A port may also have no address at all.
    const bare = await port({ network_id: net.id, fixed_ips: [] });
    assert.deepEqual(bare.fixed_ips, []);
    assert.deepEqual(bare.security_groups, []);
  });

  it('bulk create of 50 ports is one all-or-nothing request', async () => {
    const { net, sub } = await network('10.2.0.0/24');
    const count = async (): Promise<number> =>
      (await s.neutron<Ports>('GET', `/v2.0/ports?network_id=${net.id}&fields=id`)).body.ports.length;
    const taken = await port({ network_id: net.id, fixed_ips: [{ ip_address: '10.2.0.200' }] });
    const before = await count();
    const items = Array.from({ length: 50 }, (_, i) => ({ network_id: net.id, name: `bulk-${i}` }));
    // One bad item (an address another port holds): nothing is created.
    const bad = items.map((p, i) => (i === 37 ? { ...p, fixed_ips: [{ ip_address: '10.2.0.200' }] } : p));
    const refused = await s.neutron('POST', '/v2.0/ports', { ports: bad });
    assert.equal(refused.status, 409, refused.text);
    assert.equal(refused.error?.type, 'IpAddressAlreadyAllocated');
    assert.equal(await count(), before);
    // The same request without it: all 50, in order, distinct addresses, tags honoured.
    const ok = await s.neutron<Ports>('POST', '/v2.0/ports', {
      ports: items.map((p) => ({ ...p, tags: ['bulk'] })),
    });
    assert.equal(ok.status, 201, ok.text);
    assert.deepEqual(
      ok.body.ports.map((p) => p.name),
      items.map((p) => p.name),
    );
    const addresses = new Set(ok.body.ports.map((p) => p.fixed_ips[0]?.ip_address));
    assert.equal(addresses.size, 50);
    assert.ok(!addresses.has(taken.fixed_ips[0]?.ip_address));
    assert.ok(ok.body.ports.every((p) => p.tags.includes('bulk') && p.fixed_ips[0]?.subnet_id === sub.id));
    assert.equal(await count(), before + 50);
    const ext = await s.neutron('GET', '/v2.0/extensions/tag-ports-during-bulk-creation');
    assert.equal(ext.status, 200);
  });

  it('list filters: fixed_ips (address, subnet, substring), device, owner, MAC, groups, host', async () => {
    const { net, sub } = await network('10.3.0.0/24');
    const second = await s.neutron<One<'subnet', SubnetView>>('POST', '/v2.0/subnets', {
      subnet: { network_id: net.id, ip_version: 4, cidr: '10.33.0.0/24' },
    });
    const sub2 = second.body.subnet;
    const p1 = await port({
      network_id: net.id,
      fixed_ips: [{ ip_address: '10.3.0.5' }],
      device_id: 'vm-1',
      device_owner: 'compute:nova',
      'binding:host_id': 'node-a',
    });
    const p2 = await port({
      network_id: net.id,
      fixed_ips: [{ ip_address: '10.3.0.50' }],
      device_id: 'vm-2',
    });
    const p3 = await port({
      network_id: net.id,
      fixed_ips: [{ subnet_id: sub2.id, ip_address: '10.33.0.5' }],
    });
    const q = async (query: string): Promise<string[]> => {
      const r = await s.neutron<Ports>('GET', `/v2.0/ports?network_id=${net.id}&${query}`);
      assert.equal(r.status, 200, `${query}: ${r.text}`);
      return ids(r);
    };
    assert.deepEqual(await q('fixed_ips=ip_address%3D10.3.0.5'), [p1.id]);
    assert.deepEqual(
      await q('fixed_ips=ip_address%3D10.3.0.5&fixed_ips=ip_address%3D10.33.0.5'),
      [p1.id, p3.id].sort(),
    );
    assert.deepEqual(await q(`fixed_ips=subnet_id%3D${sub.id}`), [p1.id, p2.id].sort());
    assert.deepEqual(await q(`fixed_ips=subnet_id%3D${sub2.id}&fixed_ips=ip_address%3D10.3.0.5`), []);
    assert.deepEqual(await q('fixed_ips=ip_address_substr%3D0.5'), [p1.id, p2.id, p3.id].sort());
    assert.deepEqual(await q('fixed_ips=ip_address_substr%3D.50'), [p2.id]);
    assert.deepEqual(await q('device_id=vm-1&device_id=vm-2'), [p1.id, p2.id].sort());
    assert.deepEqual(await q('device_id='), [p3.id]);
    assert.deepEqual(await q('device_owner=compute:nova'), [p1.id]);
    assert.deepEqual(await q(`mac_address=${p2.mac_address.toUpperCase().replace(/:/g, '-')}`), [p2.id]);
    assert.deepEqual(await q(`security_groups=${p1.security_groups[0] ?? ''}`), [p1.id, p2.id, p3.id].sort());
    assert.deepEqual(await q('binding:host_id=node-a'), [p1.id]);
    // Without the network filter: answered through the subnet index.
    const bySubnet = await s.neutron<Ports>('GET', `/v2.0/ports?fixed_ips=subnet_id%3D${sub2.id}`);
    assert.deepEqual(ids(bySubnet), [p3.id]);
    const malformed = await s.neutron('GET', '/v2.0/ports?fixed_ips=10.3.0.5');
    assert.equal(malformed.status, 400);
    assert.equal(
      malformed.error?.message,
      "Invalid input for operation: '10.3.0.5' is not of the form <key>=[value].",
    );
    assert.equal((await s.neutron('GET', '/v2.0/ports?binding:profile=x')).status, 400);
  });

  it('binding policy and visibility for non-admins; other projects see nothing', async () => {
    const bob = asProject(BOB);
    const { net } = await network('10.4.0.0/24', {}, bob);
    for (const attr of ['binding:host_id', 'binding:profile'] as const) {
      const value = attr === 'binding:host_id' ? 'node-x' : { a: 'b' };
      const r = await s.neutron('POST', '/v2.0/ports', { port: { network_id: net.id, [attr]: value } }, bob);
      assert.equal(r.status, 403, r.text);
      assert.equal(r.error?.type, 'PolicyNotAuthorized');
      assert.equal(r.error?.message, `(rule:create_port:${attr}) is disallowed by policy`);
    }
    const mine = await port({ network_id: net.id, 'binding:vnic_type': 'direct' }, bob);
    assert.equal(mine['binding:vnic_type'], 'direct');
    for (const hidden of ['binding:host_id', 'binding:profile', 'binding:vif_type', 'binding:vif_details']) {
      assert.ok(!(hidden in mine), hidden);
    }
    const upd = await s.neutron('PUT', `/v2.0/ports/${mine.id}`, { port: { 'binding:host_id': 'h' } }, bob);
    assert.equal(upd.status, 403);
    assert.equal(upd.error?.message, '(rule:update_port:binding:host_id) is disallowed by policy');
    // The admin sees the binding of Bob's port; Bob does not see the admin's ports.
    const adminView = await s.neutron<Port>('GET', `/v2.0/ports/${mine.id}`);
    assert.equal(adminView.body.port['binding:vif_type'], 'unbound');
    const { net: adminNet } = await network('10.5.0.0/24');
    const theirs = await port({ network_id: adminNet.id });
    assert.equal((await s.neutron('GET', `/v2.0/ports/${theirs.id}`, undefined, bob)).status, 404);
    const listed = await s.neutron<Ports>('GET', '/v2.0/ports', undefined, bob);
    assert.deepEqual(ids(listed), [mine.id]);
    // A reader may look but not change anything.
    const reader = asProject(BOB, ['reader']);
    assert.equal((await s.neutron('GET', `/v2.0/ports/${mine.id}`, undefined, reader)).status, 200);
    const denied = await s.neutron('POST', '/v2.0/ports', { port: { network_id: net.id } }, reader);
    assert.equal(denied.status, 403);
    // On a shared network of another project, only a subnet-chosen address is allowed.
    const { net: sharedNet } = await network('10.6.0.0/24', { shared: true });
    const explicit = await s.neutron(
      'POST',
      '/v2.0/ports',
      { port: { network_id: sharedNet.id, fixed_ips: [{ ip_address: '10.6.0.9' }] } },
      bob,
    );
    assert.equal(explicit.status, 403);
    assert.equal(explicit.error?.message, '(rule:create_port:fixed_ips:ip_address) is disallowed by policy');
    const onShared = await port({ network_id: sharedNet.id }, bob);
    assert.equal(onShared.project_id, BOB);
  });

  it('allowed address pairs and port security', async () => {
    const { net } = await network('10.7.0.0/24');
    const p = await port({
      network_id: net.id,
      allowed_address_pairs: [
        { ip_address: '10.7.0.200' },
        { ip_address: '10.9.0.0/24', mac_address: 'fa:16:3e:aa:bb:cc' },
      ],
    });
    assert.deepEqual(p.allowed_address_pairs, [
      { ip_address: '10.7.0.200', mac_address: p.mac_address },
      { ip_address: '10.9.0.0/24', mac_address: 'fa:16:3e:aa:bb:cc' },
    ]);
    const noSecurity = await s.neutron('PUT', `/v2.0/ports/${p.id}`, {
      port: { port_security_enabled: false },
    });
    assert.equal(noSecurity.status, 409, noSecurity.text);
    assert.equal(noSecurity.error?.type, 'AddressPairAndPortSecurityRequired');
    const cleared = await s.neutron<Port>('PUT', `/v2.0/ports/${p.id}`, {
      port: { port_security_enabled: false, allowed_address_pairs: [], security_groups: [] },
    });
    assert.equal(cleared.status, 200, cleared.text);
    assert.equal(cleared.body.port.port_security_enabled, false);
    assert.deepEqual(cleared.body.port.security_groups, []);
    const missing = await s.neutron('POST', '/v2.0/ports', {
      port: { network_id: net.id, allowed_address_pairs: [{ mac_address: 'fa:16:3e:00:00:01' }] },
    });
    assert.equal(missing.status, 400);
    assert.equal(missing.error?.type, 'AllowedAddressPairsMissingIP');
    assert.equal(missing.error?.message, 'AllowedAddressPair must contain ip_address');
  });

  it('unknown attributes, even ones named like Object.prototype members, are refused', async () => {
    const { net } = await network('10.9.0.0/24');
    for (const key of ['constructor', 'toString', 'bogus']) {
      const r = await s.neutron('POST', '/v2.0/ports', { port: { network_id: net.id, [key]: 1 } });
      assert.equal(r.status, 400);
      assert.equal(r.error?.message, `Unrecognized attribute(s) '${key}'`);
    }
    assert.equal((await s.neutron('GET', '/v2.0/ports?constructor=1')).status, 400);
    assert.equal((await s.neutron('GET', '/v2.0/ports?sort_key=toString')).status, 400);
  });

  it('IPv6 SLAAC: the EUI-64 address of the MAC, explicit addresses refused, subnet delete with ports', async () => {
    const n = await s.neutron<One<'network', NetworkView>>('POST', '/v2.0/networks', { network: {} });
    const netId = n.body.network.id;
    const slaac = { ip_version: 6, ipv6_ra_mode: 'slaac', ipv6_address_mode: 'slaac' };
    const short = await s.neutron('POST', '/v2.0/subnets', {
      subnet: { network_id: netId, cidr: '2001:db8:9::/63', ...slaac },
    });
    assert.equal(short.status, 400, short.text);
    assert.equal(short.error?.type, 'InvalidInput');
    assert.equal(
      short.error?.message,
      'Invalid input for operation: Invalid CIDR 2001:db8:9::/63 for IPv6 address mode. OpenStack uses the EUI-64 address format, which requires the prefix to be /64.',
    );
    const sub = await s.neutron<One<'subnet', SubnetView>>('POST', '/v2.0/subnets', {
      subnet: { network_id: netId, cidr: '2001:db8:9::/64', ...slaac },
    });
    assert.equal(sub.status, 201, sub.text);
    const subId = sub.body.subnet.id;
    // prefix + fa:16:3e:60:22:c3 with the U/L bit flipped and ff:fe inserted
    const p = await port({ network_id: netId, mac_address: 'fa:16:3e:60:22:c3' });
    assert.deepEqual(p.fixed_ips, [{ subnet_id: subId, ip_address: '2001:db8:9:0:f816:3eff:fe60:22c3' }]);
    const refused = await s.neutron('POST', '/v2.0/ports', {
      port: { network_id: netId, fixed_ips: [{ subnet_id: subId, ip_address: '2001:db8:9::5' }] },
    });
    assert.equal(refused.status, 400, refused.text);
    assert.equal(refused.error?.type, 'AllocationOnAutoAddressSubnet');
    assert.equal(
      refused.error?.message,
      `IPv6 address 2001:db8:9::5 cannot be directly assigned to a port on subnet ${subId} as the subnet is configured for automatic addresses`,
    );
    // The subnet goes, its address leaves the port, the port keeps the network in use.
    assert.equal((await s.neutron('DELETE', `/v2.0/subnets/${subId}`)).status, 204);
    const after = await s.neutron<Port>('GET', `/v2.0/ports/${p.id}`);
    assert.deepEqual(after.body.port.fixed_ips, []);
    assert.ok(after.body.port.revision_number > p.revision_number);
    const busy = await s.neutron('DELETE', `/v2.0/networks/${netId}`);
    assert.equal(busy.status, 409, busy.text);
    assert.equal(busy.error?.type, 'NetworkInUse');
  });

  it('If-Match on update and delete', async () => {
    const { net } = await network('10.8.0.0/24');
    const p = await port({ network_id: net.id });
    const stale = { 'if-match': `revision_number=${p.revision_number + 1000}` };
    const u = await s.neutron('PUT', `/v2.0/ports/${p.id}`, { port: { name: 'x' } }, stale);
    assert.equal(u.status, 412);
    assert.equal(u.error?.type, 'RevisionNumberConstraintFailed');
    assert.equal((await s.neutron('DELETE', `/v2.0/ports/${p.id}`, undefined, stale)).status, 412);
    const fresh = { 'if-match': `revision_number=${p.revision_number}` };
    assert.equal((await s.neutron('DELETE', `/v2.0/ports/${p.id}`, undefined, fresh)).status, 204);
  });
});
