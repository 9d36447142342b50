import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { isWeirError } from '@weir/model';
import {
  createNetwork,
  createPort,
  createPorts,
  createSecurityGroup,
  createLoadBalancer,
  createSubnet,
  createContext,
  deletePort,
  deleteSecurityGroup,
  updatePort,
} from '../src/index.js';
import type { Store } from '@weir/nbdb';
import { newEnv, type Env } from './helpers/env.js';

let env: Env;
beforeEach(async () => {
  env = await newEnv();
});
afterEach(async () => {
  await env.close();
});

async function rejectsKind(p: Promise<unknown>, kind: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isWeirError(e), String(e));
    assert.equal(e.kind ?? e.code, kind, e.message);
    return true;
  });
}

async function net(cidr = '10.0.0.0/24', actor = env.alice) {
  const n = await createNetwork(env.ctx, actor, {});
  const s = await createSubnet(env.ctx, actor, { networkId: n.id, cidr });
  return { n, s };
}

describe('ports', () => {
  it('gets a MAC, an address, the default security group and DOWN status', async () => {
    const { n, s } = await net();
    const p = await createPort(env.ctx, env.alice, { networkId: n.id, name: 'vm1' });
    assert.match(p.macAddress, /^fa:16:3e(:[0-9a-f]{2}){3}$/);
    assert.equal(p.fixedIps.length, 1);
    assert.equal(p.fixedIps[0]?.subnetId, s.id);
    assert.equal(p.status, 'DOWN');
    assert.equal(p.securityGroups.length, 1);
    const sg = await env.store.get('security_group', p.securityGroups[0] ?? '');
    assert.equal(sg?.name, 'default');
    assert.equal(sg?.rules.length, 4);
    // The claims exist and are the port's.
    const claims = await env.store.listClaims(`ip:${s.id}`);
    assert.deepEqual(claims, [{ key: p.fixedIps[0]?.ipAddress, owner: p.id }]);
  });

  it('honours explicit addresses and MACs, and refuses taken ones with 409s', async () => {
    const { n, s } = await net();
    const p = await createPort(env.ctx, env.alice, {
      networkId: n.id,
      macAddress: 'FA-16-3E-00-00-01',
      fixedIps: [{ ipAddress: '10.0.0.50' }],
    });
    assert.equal(p.macAddress, 'fa:16:3e:00:00:01');
    assert.deepEqual(p.fixedIps, [{ subnetId: s.id, ipAddress: '10.0.0.50' }]);
    await rejectsKind(
      createPort(env.ctx, env.alice, {
        networkId: n.id,
        fixedIps: [{ subnetId: s.id, ipAddress: '10.0.0.50' }],
      }),
      'IpAddressAlreadyAllocated',
    );
    await rejectsKind(
      createPort(env.ctx, env.alice, { networkId: n.id, macAddress: 'fa:16:3e:00:00:01' }),
      'MacAddressInUse',
    );
    // Outside the pools but inside the subnet is allowed (Neutron); network/broadcast are not.
    await createPort(env.ctx, env.alice, { networkId: n.id, fixedIps: [{ ipAddress: '10.0.0.1' }] });
    await rejectsKind(
      createPort(env.ctx, env.alice, { networkId: n.id, fixedIps: [{ ipAddress: '10.0.0.255' }] }),
      'InvalidIpForSubnet',
    );
    await rejectsKind(
      createPort(env.ctx, env.alice, { networkId: n.id, fixedIps: [{ ipAddress: '10.9.0.5' }] }),
      'InvalidIpForNetwork',
    );
    await rejectsKind(
      createPort(env.ctx, env.alice, { networkId: n.id, macAddress: '01:00:5e:00:00:01' }),
      'InvalidInput',
    );
    // Nothing leaked from the refused attempts.
    assert.equal((await env.store.listClaims(`ip:${s.id}`)).length, 2);
    assert.equal((await env.store.listClaims(`mac:${n.id}`)).length, 2);
  });

  it('allocates several addresses when asked and one per IP version by default', async () => {
    const n = await createNetwork(env.ctx, env.alice, {});
    const s4 = await createSubnet(env.ctx, env.alice, { networkId: n.id, cidr: '10.0.0.0/29' });
    const s6 = await createSubnet(env.ctx, env.alice, { networkId: n.id, cidr: 'fd00::/64', ipVersion: 6 });
    const dual = await createPort(env.ctx, env.alice, { networkId: n.id });
    assert.deepEqual(dual.fixedIps.map((f) => f.subnetId).sort(), [s4.id, s6.id].sort());
    const two = await createPort(env.ctx, env.alice, {
      networkId: n.id,
      fixedIps: [{ subnetId: s4.id }, { subnetId: s4.id }],
    });
    assert.equal(new Set(two.fixedIps.map((f) => f.ipAddress)).size, 2);
  });

  it('reuses every released address and MAC (no address is ever lost)', async () => {
    const { n, s } = await net('10.0.0.0/29'); // 5 usable addresses (.2 – .6)
    const ports = [];
    for (let i = 0; i < 5; i++) ports.push(await createPort(env.ctx, env.alice, { networkId: n.id }));
    await rejectsKind(createPort(env.ctx, env.alice, { networkId: n.id }), 'IpAddressGenerationFailure');
    for (const p of ports) await deletePort(env.ctx, env.alice, p.id);
    assert.deepEqual(await env.store.listClaims(`ip:${s.id}`), []);
    assert.deepEqual(await env.store.listClaims(`mac:${n.id}`), []);
    for (let i = 0; i < 5; i++) await createPort(env.ctx, env.alice, { networkId: n.id });
  });

  it('enforces port security rules for security groups and address pairs', async () => {
    const { n } = await net();
    await rejectsKind(
      createPort(env.ctx, env.alice, {
        networkId: n.id,
        portSecurityEnabled: false,
        allowedAddressPairs: [{ ipAddress: '10.0.0.99' }],
      }),
      'AddressPairAndPortSecurityRequired',
    );
    const sg = await createSecurityGroup(env.ctx, env.alice, { name: 'web' });
    await rejectsKind(
      createPort(env.ctx, env.alice, {
        networkId: n.id,
        portSecurityEnabled: false,
        securityGroups: [sg.id],
      }),
      'PortSecurityAndIPRequiredForSecurityGroups',
    );
    const open = await createPort(env.ctx, env.alice, { networkId: n.id, portSecurityEnabled: false });
    assert.deepEqual(open.securityGroups, []);
    const pairs = await createPort(env.ctx, env.alice, {
      networkId: n.id,
      allowedAddressPairs: [
        { ipAddress: '10.0.0.0/28' },
        { ipAddress: '10.0.0.99', macAddress: 'fa:16:3e:aa:bb:cc' },
      ],
    });
    assert.equal(pairs.allowedAddressPairs[0]?.macAddress, pairs.macAddress);
    await rejectsKind(
      createPort(env.ctx, env.alice, {
        networkId: n.id,
        securityGroups: ['00000000-0000-4000-8000-000000000000'],
      }),
      'SecurityGroupNotFound',
    );
    // Bob cannot use Alice's group.
    const bobNet = await net('10.1.0.0/24', env.bob);
    await rejectsKind(
      createPort(env.ctx, env.bob, { networkId: bobNet.n.id, securityGroups: [sg.id] }),
      'SecurityGroupNotFound',
    );
  });

  it('keeps other projects out, except on shared networks, and binding:host_id for admins', async () => {
    const { n } = await net();
    await rejectsKind(createPort(env.ctx, env.bob, { networkId: n.id }), 'NetworkNotFound');
    await rejectsKind(
      createPort(env.ctx, env.alice, { networkId: n.id, binding: { hostId: 'n1' } }),
      'PolicyNotAuthorized',
    );
    const shared = await createNetwork(env.ctx, env.admin, { shared: true });
    await createSubnet(env.ctx, env.admin, { networkId: shared.id, cidr: '172.16.0.0/24' });
    const bobs = await createPort(env.ctx, env.bob, { networkId: shared.id });
    assert.equal(bobs.topic, env.bob.projectId);
    const bound = await createPort(env.ctx, env.admin, { networkId: shared.id, binding: { hostId: 'n2' } });
    assert.equal(bound.binding.hostId, 'n2');
    assert.equal(bound.binding.vifType, 'ovs');
  });

  it('updates fixed IPs, keeping held addresses and releasing dropped ones', async () => {
    const { n, s } = await net();
    const p = await createPort(env.ctx, env.alice, {
      networkId: n.id,
      fixedIps: [{ ipAddress: '10.0.0.10' }],
    });
    const u1 = await updatePort(env.ctx, env.alice, p.id, {
      fixedIps: [{ ipAddress: '10.0.0.10' }, { ipAddress: '10.0.0.11' }],
    });
    assert.deepEqual(u1.fixedIps.map((f) => f.ipAddress).sort(), ['10.0.0.10', '10.0.0.11']);
    const u2 = await updatePort(env.ctx, env.alice, p.id, { fixedIps: [{ ipAddress: '10.0.0.11' }] });
    assert.deepEqual(
      u2.fixedIps.map((f) => f.ipAddress),
      ['10.0.0.11'],
    );
    assert.deepEqual(
      (await env.store.listClaims(`ip:${s.id}`)).map((c) => c.key),
      ['10.0.0.11'],
    );
    const other = await createPort(env.ctx, env.alice, { networkId: n.id });
    await rejectsKind(
      updatePort(env.ctx, env.alice, other.id, { fixedIps: [{ ipAddress: '10.0.0.11' }] }),
      'IpAddressAlreadyAllocated',
    );
    const named = await updatePort(env.ctx, env.alice, p.id, { name: 'x', adminStateUp: false });
    assert.equal(named.name, 'x');
    await rejectsKind(
      updatePort(env.ctx, env.alice, p.id, { name: 'y' }, { ifMatchVersion: p.version }),
      'RevisionNumberConstraintFailed',
    );
  });

  it('bulk-creates ports all or nothing', async () => {
    const { n, s } = await net('10.0.0.0/29');
    const three = await createPorts(env.ctx, env.alice, [
      { networkId: n.id },
      { networkId: n.id },
      { networkId: n.id },
    ]);
    assert.equal(new Set(three.map((p) => p.fixedIps[0]?.ipAddress)).size, 3);
    // Three more do not fit in the two remaining addresses: none is created.
    await rejectsKind(
      createPorts(env.ctx, env.alice, [{ networkId: n.id }, { networkId: n.id }, { networkId: n.id }]),
      'IpAddressGenerationFailure',
    );
    assert.equal((await env.store.list('logical_port')).items.length, 3);
    assert.equal((await env.store.listClaims(`ip:${s.id}`)).length, 3);
    await rejectsKind(
      createPorts(env.ctx, env.alice, [
        { networkId: n.id, fixedIps: [{ ipAddress: '10.0.0.6' }] },
        { networkId: n.id, fixedIps: [{ ipAddress: '10.0.0.6' }] },
      ]),
      'IpAddressAlreadyAllocated',
    );
  });

  it('draws a generated MAC again when it repeats one planned earlier in the same bulk request', async () => {
    const { n } = await net();
    // The first two draws are the same MAC; a bulk request of generated MACs must not fail on it.
    const draws = [Buffer.from([1, 2, 3]), Buffer.from([1, 2, 3]), Buffer.from([4, 5, 6])];
    const ctx = { ...env.ctx, randomBytes: (k: number) => draws.shift() ?? Buffer.alloc(k, 7) };
    const two = await createPorts(ctx, env.alice, [{ networkId: n.id }, { networkId: n.id }]);
    assert.deepEqual(
      two.map((p) => p.macAddress),
      ['fa:16:3e:01:02:03', 'fa:16:3e:04:05:06'],
    );
    // Explicit duplicates are still the caller's conflict.
    await rejectsKind(
      createPorts(env.ctx, env.alice, [
        { networkId: n.id, macAddress: 'fa:16:3e:aa:bb:cc' },
        { networkId: n.id, macAddress: 'fa:16:3e:aa:bb:cc' },
      ]),
      'MacAddressInUse',
    );
  });

  it('refuses to delete router, floating-IP and load-balancer VIP ports directly', async () => {
    const { n, s } = await net();
    const lb = await createLoadBalancer(env.ctx, env.alice, { vipSubnetId: s.id });
    await rejectsKind(deletePort(env.ctx, env.alice, lb.vipPortId), 'PortInUse');
    const p = await createPort(env.ctx, env.admin, {
      networkId: n.id,
      deviceOwner: 'network:router_interface',
      deviceId: 'r1',
    });
    await rejectsKind(deletePort(env.ctx, env.admin, p.id), 'L3PortInUse');
  });
});

describe('ports and the remembered default security group', () => {
  it('a default group deleted since it was remembered is not referenced: the create re-reads it', async () => {
    const { n } = await net();
    const first = await createPort(env.ctx, env.alice, { networkId: n.id });
    const remembered = first.securityGroups[0] as string;
    assert.equal(env.ctx.memo.defaultSecurityGroups.get(env.alice.projectId)?.id, remembered);
    await deletePort(env.ctx, env.alice, first.id);
    await deleteSecurityGroup(env.ctx, env.admin, remembered);
    const second = await createPort(env.ctx, env.alice, { networkId: n.id });
    const group = second.securityGroups[0] as string;
    assert.notEqual(group, remembered, 'a new default group');
    assert.ok(await env.store.get('security_group', group), 'the referenced group exists');
  });

  it('a group deleted between the read and the commit fails the create instead of dangling', async () => {
    const { n } = await net();
    const sg = await createSecurityGroup(env.ctx, env.alice, { name: 'web' });
    // A store whose first port commit is preceded by another writer deleting the group.
    const racing = Object.create(env.store) as Store;
    let raced = false;
    racing.commit = async (ops) => {
      if (!raced && ops.some((o) => o.kind === 'create' && o.table === 'logical_port')) {
        raced = true;
        await deleteSecurityGroup(env.ctx, env.alice, sg.id);
      }
      return env.store.commit(ops);
    };
    const ctx = createContext(racing);
    await rejectsKind(
      createPort(ctx, env.alice, { networkId: n.id, securityGroups: [sg.id] }),
      'SecurityGroupNotFound',
    );
    assert.ok(raced);
    const left = await env.store.list('logical_port', { index: { name: 'securityGroup', value: sg.id } });
    assert.equal(left.items.length, 0);
  });
});
