import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { isWeirError } from '@weir/model';
import {
  createNetwork,
  createPort,
  createSubnet,
  deleteNetwork,
  deletePort,
  deleteSubnet,
  updateNetwork,
  updateSubnet,
} from '../src/index.js';
import { newEnv, type Env } from './helpers/env.js';

let env: Env;
beforeEach(async () => {
  env = await newEnv();
});
afterEach(async () => {
  await env.close();
});

function kindOf(error: unknown): string | undefined {
  return isWeirError(error) ? (error.kind ?? error.code) : undefined;
}

async function rejectsKind(p: Promise<unknown>, kind: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.equal(kindOf(e), kind, String(e));
    return true;
  });
}

describe('networks', () => {
  it('creates tenant networks with a unique VNI, the overlay MTU and defaults', async () => {
    const nets = await Promise.all(
      Array.from({ length: 50 }, (_, i) => createNetwork(env.ctx, env.alice, { name: `n${i}` })),
    );
    const vnis = new Set(nets.map((n) => n.segmentationId));
    assert.equal(vnis.size, 50);
    const n = nets[0];
    assert.ok(n);
    assert.equal(n.networkType, 'geneve');
    assert.equal(n.mtu, 1450);
    assert.equal(n.topic, env.alice.projectId);
    assert.equal(n.shared, false);
    assert.equal(n.portSecurityEnabled, true);
    assert.ok(n.version > 0 && n.uniqueKey > 0);
    assert.equal(new Set(nets.map((x) => x.uniqueKey)).size, 50, 'unique keys are unique');
  });

  it('keeps provider attributes, sharing and external for admins', async () => {
    await assert.rejects(
      createNetwork(env.ctx, env.alice, {
        networkType: 'vlan',
        physicalNetwork: 'physnet1',
        segmentationId: 100,
      }),
      (e: unknown) => isWeirError(e, 'WEIR_CORE_FORBIDDEN'),
    );
    await assert.rejects(createNetwork(env.ctx, env.alice, { shared: true }), (e: unknown) =>
      isWeirError(e, 'WEIR_CORE_FORBIDDEN'),
    );
    const v = await createNetwork(env.ctx, env.admin, {
      networkType: 'vlan',
      physicalNetwork: 'physnet1',
      segmentationId: 100,
    });
    assert.equal(v.segmentationId, 100);
    await rejectsKind(
      createNetwork(env.ctx, env.admin, {
        networkType: 'vlan',
        physicalNetwork: 'physnet1',
        segmentationId: 100,
      }),
      'VlanIdInUse',
    );
    // The same VLAN on another physical network is fine.
    await createNetwork(env.ctx, env.admin, {
      networkType: 'vlan',
      physicalNetwork: 'physnet2',
      segmentationId: 100,
    });
    await createNetwork(env.ctx, env.admin, { networkType: 'flat', physicalNetwork: 'ext' });
    await rejectsKind(
      createNetwork(env.ctx, env.admin, { networkType: 'flat', physicalNetwork: 'ext' }),
      'FlatNetworkInUse',
    );
    await rejectsKind(
      createNetwork(env.ctx, env.admin, { networkType: 'geneve', segmentationId: 16777216 }),
      'InvalidInput',
    );
  });

  it('refuses to delete a network with ports, deletes it with its subnets and frees its VNI', async () => {
    const n = await createNetwork(env.ctx, env.admin, { networkType: 'geneve', segmentationId: 4242 });
    await createSubnet(env.ctx, env.admin, { networkId: n.id, cidr: '10.1.0.0/24' });
    const p = await createPort(env.ctx, env.admin, { networkId: n.id });
    await rejectsKind(deleteNetwork(env.ctx, env.admin, n.id), 'NetworkInUse');
    await deletePort(env.ctx, env.admin, p.id);
    await deleteNetwork(env.ctx, env.admin, n.id);
    assert.equal(await env.store.get('logical_switch', n.id), undefined);
    assert.equal((await env.store.list('subnet')).items.length, 0);
    const again = await createNetwork(env.ctx, env.admin, { networkType: 'geneve', segmentationId: 4242 });
    assert.equal(again.segmentationId, 4242);
    // Nothing the old network's port held is left behind.
    assert.deepEqual(await env.store.listClaims(`mac:${n.id}`), []);
  });

  it('hides other projects’ networks and lets owners update theirs', async () => {
    const n = await createNetwork(env.ctx, env.alice, { name: 'mine' });
    await rejectsKind(updateNetwork(env.ctx, env.bob, n.id, { name: 'x' }), 'NetworkNotFound');
    await rejectsKind(deleteNetwork(env.ctx, env.bob, n.id), 'NetworkNotFound');
    const u = await updateNetwork(env.ctx, env.alice, n.id, { name: 'renamed', adminStateUp: false });
    assert.equal(u.name, 'renamed');
    assert.equal(u.adminStateUp, false);
    assert.ok(u.version > n.version);
    await rejectsKind(
      updateNetwork(env.ctx, env.alice, n.id, { name: 'y' }, { ifMatchVersion: n.version }),
      'RevisionNumberConstraintFailed',
    );
  });
});

describe('subnets', () => {
  it('derives gateway and allocation pools like Neutron', async () => {
    const n = await createNetwork(env.ctx, env.alice, {});
    const s = await createSubnet(env.ctx, env.alice, { networkId: n.id, cidr: '192.168.1.0/24' });
    assert.equal(s.gatewayIp, '192.168.1.1');
    assert.deepEqual(s.allocationPools, [{ start: '192.168.1.2', end: '192.168.1.254' }]);
    const mid = await createSubnet(env.ctx, env.alice, {
      networkId: n.id,
      cidr: '192.168.2.0/24',
      gatewayIp: '192.168.2.100',
    });
    assert.deepEqual(mid.allocationPools, [
      { start: '192.168.2.1', end: '192.168.2.99' },
      { start: '192.168.2.101', end: '192.168.2.254' },
    ]);
    const nogw = await createSubnet(env.ctx, env.alice, {
      networkId: n.id,
      cidr: '192.168.3.0/24',
      gatewayIp: null,
    });
    assert.equal(nogw.gatewayIp, null);
    assert.deepEqual(nogw.allocationPools, [{ start: '192.168.3.1', end: '192.168.3.254' }]);
    const v6 = await createSubnet(env.ctx, env.alice, { networkId: n.id, cidr: 'fd00:1::/64', ipVersion: 6 });
    assert.equal(v6.gatewayIp, 'fd00:1::1');
    assert.deepEqual(v6.allocationPools, [{ start: 'fd00:1::2', end: 'fd00:1::ffff:ffff:ffff:ffff' }]);
  });

  it('refuses bad CIDRs, overlaps, gateways and pools with Neutron’s errors', async () => {
    const n = await createNetwork(env.ctx, env.alice, {});
    await rejectsKind(
      createSubnet(env.ctx, env.alice, { networkId: n.id, cidr: '10.0.0.5/24' }),
      'InvalidInput',
    );
    await rejectsKind(createSubnet(env.ctx, env.alice, { networkId: n.id, cidr: 'banana' }), 'InvalidInput');
    await rejectsKind(
      createSubnet(env.ctx, env.alice, { networkId: n.id, cidr: '10.0.0.0/24', ipVersion: 6 }),
      'InvalidInput',
    );
    await createSubnet(env.ctx, env.alice, { networkId: n.id, cidr: '10.0.0.0/16' });
    await rejectsKind(
      createSubnet(env.ctx, env.alice, { networkId: n.id, cidr: '10.0.5.0/24' }),
      'InvalidInput',
    );
    await rejectsKind(
      createSubnet(env.ctx, env.alice, { networkId: n.id, cidr: '10.1.0.0/24', gatewayIp: '10.2.0.1' }),
      'InvalidInput',
    );
    await rejectsKind(
      createSubnet(env.ctx, env.alice, { networkId: n.id, cidr: '10.1.0.0/24', gatewayIp: '10.1.0.255' }),
      'InvalidInput',
    );
    await rejectsKind(
      createSubnet(env.ctx, env.alice, {
        networkId: n.id,
        cidr: '10.1.0.0/24',
        allocationPools: [{ start: '10.1.0.1', end: '10.1.0.50' }],
      }),
      'GatewayConflictWithAllocationPools',
    );
    await rejectsKind(
      createSubnet(env.ctx, env.alice, {
        networkId: n.id,
        cidr: '10.1.0.0/24',
        allocationPools: [{ start: '10.1.0.10', end: '10.1.1.50' }],
      }),
      'OutOfBoundsAllocationPool',
    );
    await rejectsKind(
      createSubnet(env.ctx, env.alice, {
        networkId: n.id,
        cidr: '10.1.0.0/24',
        allocationPools: [
          { start: '10.1.0.10', end: '10.1.0.50' },
          { start: '10.1.0.40', end: '10.1.0.60' },
        ],
      }),
      'OverlappingAllocationPools',
    );
    await rejectsKind(
      createSubnet(env.ctx, env.alice, {
        networkId: n.id,
        cidr: '10.1.0.0/24',
        dnsNameservers: ['8.8.8.8', '8.8.8.8'],
      }),
      'InvalidInput',
    );
    // The same CIDR on another network is fine (isolation is per network).
    const other = await createNetwork(env.ctx, env.alice, {});
    await createSubnet(env.ctx, env.alice, { networkId: other.id, cidr: '10.0.0.0/16' });
  });

  it('serialises concurrent subnet creates on one network: overlapping CIDRs never both win', async () => {
    const n = await createNetwork(env.ctx, env.alice, {});
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () =>
        createSubnet(env.ctx, env.alice, { networkId: n.id, cidr: '10.9.0.0/24' }),
      ),
    );
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    assert.equal(
      (await env.store.list('subnet', { index: { name: 'network', value: n.id } })).items.length,
      1,
    );
  });

  it('refuses to delete a subnet with allocations and updates pools and gateway', async () => {
    const n = await createNetwork(env.ctx, env.alice, {});
    const s = await createSubnet(env.ctx, env.alice, { networkId: n.id, cidr: '10.5.0.0/24' });
    const p = await createPort(env.ctx, env.alice, { networkId: n.id });
    await rejectsKind(deleteSubnet(env.ctx, env.alice, s.id), 'SubnetInUse');
    await rejectsKind(
      updateSubnet(env.ctx, env.alice, s.id, { gatewayIp: p.fixedIps[0]?.ipAddress ?? '' }),
      'GatewayIpInUse',
    );
    const u = await updateSubnet(env.ctx, env.alice, s.id, {
      allocationPools: [{ start: '10.5.0.100', end: '10.5.0.200' }],
      dnsNameservers: ['10.5.0.53'],
    });
    assert.deepEqual(u.allocationPools, [{ start: '10.5.0.100', end: '10.5.0.200' }]);
    assert.deepEqual(u.dnsNameservers, ['10.5.0.53']);
  });
});
