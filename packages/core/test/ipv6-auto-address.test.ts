// IPv6 auto-address subnets (SLAAC, DHCPv6-stateless) with Neutron's semantics: every port but a
// router interface gets the EUI-64 address of its MAC there, never a drawn one; explicit
// addresses there are refused; a new MAC moves them; the subnet's create and delete add and take
// back those addresses on the network's ports, atomically with the subnet.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { isWeirError, type LogicalPort } from '@weir/model';
import {
  addRouterInterface,
  createNetwork,
  createPort,
  createPorts,
  createRouter,
  createSubnet,
  deleteNetwork,
  deletePort,
  deleteSubnet,
  eui64Address,
  parsePrefix,
  updatePort,
  updateSubnet,
  type SubnetInput,
} from '../src/index.js';
import { portJoinsDuringSubnetCreate, portJoinsDuringSubnetDelete } from './helpers/auto-address-races.js';
import { newEnv, type Env } from './helpers/env.js';

let env: Env;
beforeEach(async () => {
  env = await newEnv();
});
afterEach(async () => {
  await env.close();
});

/** WHATWG URL parsing canonicalises IPv6 text independently of the code under test. */
const canonical = (ip: string): string => new URL(`http://[${ip}]/`).hostname.slice(1, -1);

/**
 * The EUI-64 address computed by hand, as RFC 4291 appendix A describes it: the MAC's first
 * byte with the universal/local bit flipped, ff:fe between its halves, after a /64's four groups.
 */
function expectedEui64(cidr: string, mac: string): string {
  const groups = canonical(cidr.split('/')[0] ?? '')
    .replace('::', ':0:0:0:0:')
    .split(':')
    .filter((g) => g !== '')
    .slice(0, 4);
  const b = mac.split(':').map((h) => Number.parseInt(h, 16));
  const hex = (x: number, y: number): string => (((x ?? 0) << 8) | (y ?? 0)).toString(16);
  const iid = [
    hex((b[0] ?? 0) ^ 0x02, b[1] ?? 0),
    hex(b[2] ?? 0, 0xff),
    hex(0xfe, b[3] ?? 0),
    hex(b[4] ?? 0, b[5] ?? 0),
  ];
  return canonical([...groups, ...iid].join(':'));
}

async function rejectsWith(p: Promise<unknown>, kind: string, message?: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isWeirError(e), String(e));
    assert.equal(e.kind ?? e.code, kind, e.message);
    if (message !== undefined) assert.equal(e.message, message);
    return true;
  });
}

async function subnet(networkId: string, cidr: string, more: Partial<SubnetInput> = {}) {
  return createSubnet(env.ctx, env.alice, { networkId, cidr, ...more });
}

const slaac = { ipv6RaMode: 'slaac', ipv6AddressMode: 'slaac' } as const;
const stateless = { ipv6RaMode: 'dhcpv6-stateless', ipv6AddressMode: 'dhcpv6-stateless' } as const;

const ipOn = (p: LogicalPort, subnetId: string): string[] =>
  p.fixedIps.filter((f) => f.subnetId === subnetId).map((f) => f.ipAddress);

describe('EUI-64 addresses', () => {
  it('match known vectors and the hand computation', () => {
    const at = (cidr: string, mac: string): string => {
      const prefix = parsePrefix(cidr);
      assert.ok(prefix);
      return canonical(
        eui64Address(prefix, mac)
          .value.toString(16)
          .padStart(32, '0')
          .replace(/(.{4})(?!$)/g, '$1:'),
      );
    };
    assert.equal(at('2001:db8::/64', 'fa:16:3e:60:22:c3'), '2001:db8::f816:3eff:fe60:22c3');
    // RFC 7042's documentation MAC: the U/L bit is set by the flip (00 -> 02).
    assert.equal(at('2001:db8:1:2::/64', '00:00:5e:00:53:01'), '2001:db8:1:2:200:5eff:fe00:5301');
    // A locally administered MAC loses the bit (02 -> 00).
    assert.equal(at('fd00::/64', '02:00:00:00:00:01'), 'fd00::ff:fe00:1');
    assert.equal(expectedEui64('2001:db8::/64', 'fa:16:3e:60:22:c3'), '2001:db8::f816:3eff:fe60:22c3');
  });
});

describe('auto-address subnets: create validation', () => {
  it("refuses what Neutron refuses, with Neutron's messages", async () => {
    const n = await createNetwork(env.ctx, env.alice, {});
    const cases: [Partial<SubnetInput> & { cidr: string }, string][] = [
      [
        { cidr: '2001:db8::/63', ...slaac },
        'Invalid input for operation: Invalid CIDR 2001:db8::/63 for IPv6 address mode. OpenStack uses the EUI-64 address format, which requires the prefix to be /64.',
      ],
      [
        { cidr: '2001:db8::/80', ipv6RaMode: 'dhcpv6-stateless' },
        'Invalid input for operation: Invalid CIDR 2001:db8::/80 for IPv6 address mode. OpenStack uses the EUI-64 address format, which requires the prefix to be /64.',
      ],
      [
        { cidr: '2001:db8::/64', ipv6RaMode: 'slaac', ipv6AddressMode: 'dhcpv6-stateful' },
        "Invalid input for operation: ipv6_ra_mode set to 'slaac' with ipv6_address_mode set to 'dhcpv6-stateful' is not valid. If both attributes are set, they must be the same value.",
      ],
      [
        { cidr: '2001:db8::/64', ...slaac, enableDhcp: false },
        'Invalid input for operation: ipv6_ra_mode or ipv6_address_mode cannot be set when enable_dhcp is set to False.',
      ],
      [
        { cidr: '10.0.0.0/24', ipv6RaMode: 'slaac' },
        'Invalid input for operation: ipv6_ra_mode is not valid when ip_version is 4.',
      ],
      [
        { cidr: '10.0.0.0/24', ipv6AddressMode: 'slaac' },
        'Invalid input for operation: ipv6_address_mode is not valid when ip_version is 4.',
      ],
    ];
    for (const [input, message] of cases) {
      await rejectsWith(subnet(n.id, input.cidr, input), 'InvalidInput', message);
    }
    // Stateful DHCPv6 draws addresses, so any prefix length will do.
    await subnet(n.id, '2001:db8:5::/80', { ipv6AddressMode: 'dhcpv6-stateful' });
    const s = await subnet(n.id, '2001:db8:6::/64', stateless);
    await rejectsWith(
      updateSubnet(env.ctx, env.alice, s.id, { enableDhcp: false }),
      'InvalidInput',
      'Invalid input for operation: Cannot disable enable_dhcp with ipv6 attributes set.',
    );
  });
});

describe('auto-address subnets: ports', () => {
  it('a port gets IPv4, one stateful IPv6 and the EUI-64 address on every auto subnet, claimed', async () => {
    const n = await createNetwork(env.ctx, env.alice, {});
    const a = await subnet(n.id, '2001:db8:a::/64', slaac);
    const v4 = await subnet(n.id, '10.0.0.0/24');
    const stateful = await subnet(n.id, '2001:db8:f::/64', { ipv6AddressMode: 'dhcpv6-stateful' });
    const b = await subnet(n.id, '2001:db8:b::/64', stateless);
    // Only the address mode set: still automatic (DHCPv6-stateless without RAs).
    const c = await subnet(n.id, '2001:db8:c::/64', { ipv6AddressMode: 'slaac' });
    const mac = 'fa:16:3e:60:22:c3';
    const p = await createPort(env.ctx, env.alice, { networkId: n.id, macAddress: mac });
    assert.equal(p.fixedIps.length, 5, JSON.stringify(p.fixedIps));
    assert.equal(ipOn(p, v4.id).length, 1);
    assert.equal(ipOn(p, stateful.id).length, 1);
    assert.notEqual(ipOn(p, stateful.id)[0], expectedEui64(stateful.cidr, mac));
    for (const s of [a, b, c]) {
      assert.deepEqual(ipOn(p, s.id), [expectedEui64(s.cidr, mac)]);
      assert.deepEqual(await env.store.listClaims(`ip:${s.id}`), [
        { key: expectedEui64(s.cidr, mac), owner: p.id },
      ]);
    }
    assert.deepEqual(ipOn(p, a.id), ['2001:db8:a:0:f816:3eff:fe60:22c3']);
    // Deleting the port releases them.
    await deletePort(env.ctx, env.alice, p.id);
    for (const s of [a, b, c]) assert.deepEqual(await env.store.listClaims(`ip:${s.id}`), []);
  });

  it('a generated MAC gives its own EUI-64 address; bulk ports get distinct ones', async () => {
    const n = await createNetwork(env.ctx, env.alice, {});
    const s = await subnet(n.id, '2001:db8::/64', slaac);
    const ports = await createPorts(
      env.ctx,
      env.alice,
      Array.from({ length: 5 }, () => ({ networkId: n.id })),
    );
    for (const p of ports) assert.deepEqual(ipOn(p, s.id), [expectedEui64(s.cidr, p.macAddress)]);
    assert.equal(new Set(ports.map((p) => p.fixedIps[0]?.ipAddress)).size, 5);
    assert.equal((await env.store.listClaims(`ip:${s.id}`)).length, 5);
  });

  it('fixed_ips: an address on an auto subnet is refused, a subnet-only entry means the EUI-64 address', async () => {
    const n = await createNetwork(env.ctx, env.alice, {});
    const s = await subnet(n.id, '2001:db8::/64', slaac);
    const v4 = await subnet(n.id, '10.0.0.0/24');
    await rejectsWith(
      createPort(env.ctx, env.alice, {
        networkId: n.id,
        fixedIps: [{ subnetId: s.id, ipAddress: '2001:db8::5' }],
      }),
      'AllocationOnAutoAddressSubnet',
      `IPv6 address 2001:db8::5 cannot be directly assigned to a port on subnet ${s.id} as the subnet is configured for automatic addresses`,
    );
    await rejectsWith(
      createPort(env.ctx, env.alice, { networkId: n.id, fixedIps: [{ ipAddress: '2001:db8::5' }] }),
      'AllocationOnAutoAddressSubnet',
    );
    assert.deepEqual(await env.store.listClaims(`ip:${s.id}`), []);
    const mac = 'fa:16:3e:00:00:01';
    const bySubnet = await createPort(env.ctx, env.alice, {
      networkId: n.id,
      macAddress: mac,
      fixedIps: [{ subnetId: s.id }, { subnetId: s.id }],
    });
    assert.deepEqual(bySubnet.fixedIps, [{ subnetId: s.id, ipAddress: expectedEui64(s.cidr, mac) }]);
    // Naming only the IPv4 subnet still brings the implicit address.
    const v4Only = await createPort(env.ctx, env.alice, {
      networkId: n.id,
      macAddress: 'fa:16:3e:00:00:02',
      fixedIps: [{ subnetId: v4.id }],
    });
    assert.equal(ipOn(v4Only, v4.id).length, 1);
    assert.deepEqual(ipOn(v4Only, s.id), [expectedEui64(s.cidr, 'fa:16:3e:00:00:02')]);
    // An empty fixed_ips list asks for no address, yet the implicit one is not asked for (Neutron).
    const none = await createPort(env.ctx, env.alice, { networkId: n.id, fixedIps: [] });
    assert.deepEqual(none.fixedIps, [{ subnetId: s.id, ipAddress: expectedEui64(s.cidr, none.macAddress) }]);
  });

  it('router interfaces get no implicit address and may hold any address there', async () => {
    const n = await createNetwork(env.ctx, env.admin, {});
    const s = await createSubnet(env.ctx, env.admin, { networkId: n.id, cidr: '2001:db8::/64', ...slaac });
    for (const deviceOwner of [
      'network:router_interface',
      'network:router_interface_distributed',
      'network:ha_router_replicated_interface',
      'network:router_centralized_snat',
    ]) {
      const p = await createPort(env.ctx, env.admin, { networkId: n.id, deviceOwner });
      assert.deepEqual(p.fixedIps, [], deviceOwner);
    }
    const gw = await createPort(env.ctx, env.admin, {
      networkId: n.id,
      deviceOwner: 'network:router_interface',
      fixedIps: [{ subnetId: s.id, ipAddress: '2001:db8::1' }],
    });
    assert.deepEqual(gw.fixedIps, [{ subnetId: s.id, ipAddress: '2001:db8::1' }]);
    // A router's interface by subnet takes the gateway address.
    const r = await createRouter(env.ctx, env.admin, {});
    const other = await createSubnet(env.ctx, env.admin, {
      networkId: n.id,
      cidr: '2001:db8:1::/64',
      ...slaac,
    });
    const info = await addRouterInterface(env.ctx, env.admin, r.id, { subnetId: other.id });
    const port = await env.store.get('logical_port', info.portId);
    assert.deepEqual(port?.fixedIps, [{ subnetId: other.id, ipAddress: '2001:db8:1::1' }]);
  });

  it("a MAC whose EUI-64 address a router interface holds is the caller's 409", async () => {
    const n = await createNetwork(env.ctx, env.admin, {});
    const s = await createSubnet(env.ctx, env.admin, { networkId: n.id, cidr: '2001:db8::/64', ...slaac });
    const mac = 'fa:16:3e:12:34:56';
    await createPort(env.ctx, env.admin, {
      networkId: n.id,
      deviceOwner: 'network:router_interface',
      fixedIps: [{ subnetId: s.id, ipAddress: expectedEui64(s.cidr, mac) }],
    });
    await rejectsWith(
      createPort(env.ctx, env.admin, { networkId: n.id, macAddress: mac }),
      'IpAddressAlreadyAllocated',
      `IP address ${expectedEui64(s.cidr, mac)} already allocated in subnet ${s.id}`,
    );
  });

  it('a new MAC moves the EUI-64 addresses (old claim released, new one taken) and nothing else', async () => {
    const n = await createNetwork(env.ctx, env.alice, {});
    const s = await subnet(n.id, '2001:db8::/64', slaac);
    const v4 = await subnet(n.id, '10.0.0.0/24');
    const p = await createPort(env.ctx, env.alice, { networkId: n.id, macAddress: 'fa:16:3e:00:00:0a' });
    const v4Address = ipOn(p, v4.id)[0];
    const moved = await updatePort(env.ctx, env.alice, p.id, { macAddress: 'FA:16:3E:00:00:0B' });
    assert.equal(moved.macAddress, 'fa:16:3e:00:00:0b');
    assert.deepEqual(ipOn(moved, v4.id), [v4Address]);
    assert.deepEqual(ipOn(moved, s.id), [expectedEui64(s.cidr, 'fa:16:3e:00:00:0b')]);
    assert.deepEqual(await env.store.listClaims(`ip:${s.id}`), [
      { key: expectedEui64(s.cidr, 'fa:16:3e:00:00:0b'), owner: p.id },
    ]);
    // A MAC whose EUI-64 address is taken fails as a whole: the port and its claims stay.
    const holder = await createPort(env.ctx, env.admin, {
      networkId: n.id,
      deviceOwner: 'network:router_interface',
      fixedIps: [{ subnetId: s.id, ipAddress: expectedEui64(s.cidr, 'fa:16:3e:00:00:0c') }],
    });
    await rejectsWith(
      updatePort(env.ctx, env.alice, p.id, { macAddress: 'fa:16:3e:00:00:0c' }),
      'IpAddressAlreadyAllocated',
    );
    const after = await env.store.get('logical_port', p.id);
    assert.deepEqual(after, moved);
    assert.deepEqual(
      [...(await env.store.listClaims(`ip:${s.id}`))].sort((x, y) => x.key.localeCompare(y.key)),
      [
        { key: expectedEui64(s.cidr, 'fa:16:3e:00:00:0b'), owner: p.id },
        { key: expectedEui64(s.cidr, 'fa:16:3e:00:00:0c'), owner: holder.id },
      ].sort((x, y) => x.key.localeCompare(y.key)),
    );
    assert.deepEqual(await env.store.listClaims(`mac:${n.id}`).then((c) => c.find((x) => x.owner === p.id)), {
      key: 'fa:16:3e:00:00:0b',
      owner: p.id,
    });
  });

  it('a fixed_ips update keeps the implicit addresses and refuses explicit ones there', async () => {
    const n = await createNetwork(env.ctx, env.alice, {});
    const s = await subnet(n.id, '2001:db8::/64', slaac);
    const v4 = await subnet(n.id, '10.0.0.0/24');
    const p = await createPort(env.ctx, env.alice, { networkId: n.id });
    const eui = expectedEui64(s.cidr, p.macAddress);
    // Dropping every entry drops the IPv4 address but not the implicit one (Neutron).
    const bare = await updatePort(env.ctx, env.alice, p.id, { fixedIps: [], securityGroups: [] });
    assert.deepEqual(bare.fixedIps, [{ subnetId: s.id, ipAddress: eui }]);
    assert.deepEqual(await env.store.listClaims(`ip:${v4.id}`), []);
    // Echoing the port's own addresses back (as clients do) is fine, a new one there is not.
    const back = await updatePort(env.ctx, env.alice, p.id, {
      fixedIps: [
        { subnetId: s.id, ipAddress: eui },
        { subnetId: v4.id, ipAddress: '10.0.0.7' },
      ],
    });
    assert.deepEqual(ipOn(back, s.id), [eui]);
    assert.deepEqual(ipOn(back, v4.id), ['10.0.0.7']);
    await rejectsWith(
      updatePort(env.ctx, env.alice, p.id, { fixedIps: [{ subnetId: s.id, ipAddress: '2001:db8::9' }] }),
      'AllocationOnAutoAddressSubnet',
    );
    assert.deepEqual(await env.store.get('logical_port', p.id), back);
  });
});

describe('auto-address subnets: create and delete with ports on the network', () => {
  it('a new auto subnet gives existing ports (not router interfaces) their address in its commit', async () => {
    const n = await createNetwork(env.ctx, env.admin, {});
    const v4 = await createSubnet(env.ctx, env.admin, { networkId: n.id, cidr: '10.0.0.0/24' });
    const vm = await createPort(env.ctx, env.admin, { networkId: n.id });
    const rif = await createPort(env.ctx, env.admin, {
      networkId: n.id,
      deviceOwner: 'network:router_interface',
      fixedIps: [{ subnetId: v4.id, ipAddress: '10.0.0.1' }],
    });
    const s = await createSubnet(env.ctx, env.admin, { networkId: n.id, cidr: '2001:db8::/64', ...slaac });
    const vmAfter = await env.store.get('logical_port', vm.id);
    assert.ok(vmAfter);
    assert.deepEqual(ipOn(vmAfter, s.id), [expectedEui64(s.cidr, vm.macAddress)]);
    assert.ok(vmAfter.version > vm.version, 'the port was updated');
    assert.deepEqual(await env.store.get('logical_port', rif.id), rif);
    assert.deepEqual(await env.store.listClaims(`ip:${s.id}`), [
      { key: expectedEui64(s.cidr, vm.macAddress), owner: vm.id },
    ]);
    // A stateful subnet changes no port.
    const stateful = await createSubnet(env.ctx, env.admin, {
      networkId: n.id,
      cidr: '2001:db8:1::/64',
      ipv6AddressMode: 'dhcpv6-stateful',
    });
    assert.deepEqual(await env.store.get('logical_port', vm.id), vmAfter);
    assert.deepEqual(await env.store.listClaims(`ip:${stateful.id}`), []);
  });

  it('deleting an auto subnet takes its addresses back from the ports; the network stays in use', async () => {
    const n = await createNetwork(env.ctx, env.alice, {});
    const s = await subnet(n.id, '2001:db8::/64', slaac);
    const v4 = await subnet(n.id, '10.0.0.0/24');
    const p = await createPort(env.ctx, env.alice, { networkId: n.id });
    const q = await createPort(env.ctx, env.alice, { networkId: n.id, fixedIps: [{ subnetId: s.id }] });
    await deleteSubnet(env.ctx, env.alice, s.id);
    assert.equal(await env.store.get('subnet', s.id), undefined);
    const pAfter = await env.store.get('logical_port', p.id);
    assert.deepEqual(
      pAfter?.fixedIps,
      p.fixedIps.filter((f) => f.subnetId === v4.id),
    );
    assert.ok((pAfter?.version ?? 0) > p.version);
    assert.deepEqual((await env.store.get('logical_port', q.id))?.fixedIps, []);
    assert.deepEqual(await env.store.listClaims(`ip:${s.id}`), []);
    await rejectsWith(deleteNetwork(env.ctx, env.alice, n.id), 'NetworkInUse');
    // A non-auto subnet with a port on it is still in use.
    await rejectsWith(deleteSubnet(env.ctx, env.alice, v4.id), 'SubnetInUse');
  });

  it('a router interface keeps an auto subnet in use, and the refused delete changes nothing', async () => {
    const n = await createNetwork(env.ctx, env.admin, {});
    const s = await createSubnet(env.ctx, env.admin, { networkId: n.id, cidr: '2001:db8::/64', ...slaac });
    const vm = await createPort(env.ctx, env.admin, { networkId: n.id });
    const r = await createRouter(env.ctx, env.admin, {});
    await addRouterInterface(env.ctx, env.admin, r.id, { subnetId: s.id });
    const claims = await env.store.listClaims(`ip:${s.id}`);
    await rejectsWith(
      deleteSubnet(env.ctx, env.admin, s.id),
      'SubnetInUse',
      `Unable to complete operation on subnet ${s.id}: One or more ports have an IP allocation from this subnet.`,
    );
    assert.ok(await env.store.get('subnet', s.id));
    assert.deepEqual(await env.store.get('logical_port', vm.id), vm);
    assert.deepEqual(await env.store.listClaims(`ip:${s.id}`), claims);
  });

  it('the EUI-64 addresses of a deleted subnet can come back with a new one', async () => {
    const n = await createNetwork(env.ctx, env.alice, {});
    const s = await subnet(n.id, '2001:db8::/64', slaac);
    const p = await createPort(env.ctx, env.alice, { networkId: n.id });
    await deleteSubnet(env.ctx, env.alice, s.id);
    const again = await subnet(n.id, '2001:db8::/64', stateless);
    const after = await env.store.get('logical_port', p.id);
    assert.deepEqual(after?.fixedIps, [
      { subnetId: again.id, ipAddress: expectedEui64(again.cidr, p.macAddress) },
    ]);
  });
});

describe('auto-address subnets: races with port creates (memory)', () => {
  it('a port created while the subnet is being created gets its address too', () =>
    portJoinsDuringSubnetCreate(env.store));
  it('a port created while the subnet is being deleted loses its address too', () =>
    portJoinsDuringSubnetDelete(env.store));
});
