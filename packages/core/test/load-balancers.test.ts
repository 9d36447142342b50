import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { isWeirError } from '@weir/model';
import { openStore } from '@weir/nbdb';
import {
  LB_VIP_OWNER,
  createListener,
  createLoadBalancer,
  createMember,
  createNetwork,
  createPool,
  createPort,
  createSubnet,
  createHealthMonitor,
  deleteLoadBalancer,
  ipNamespace,
  listenerPortNamespace,
  memberNamespace,
  monitorNamespace,
  statusTree,
  updateListener,
  updateLoadBalancer,
  vipDeviceId,
} from '../src/index.js';
import { faultyStore, newEnv, snapshot, type Env } from './helpers/env.js';
import { assertNothingLeft, lbGraph, lbNet, rejectsWith } from './helpers/lb-fixtures.js';

let env: Env;
beforeEach(async () => {
  env = await newEnv();
});
afterEach(async () => {
  await env.close();
});

describe('load balancers: the VIP', () => {
  it('on a subnet: makes an Octavia VIP port and is ACTIVE/ONLINE at once', async () => {
    const net = await lbNet(env);
    const lb = await net.lb({ name: 'web', vipAddress: '10.20.0.100' });
    assert.equal(lb.provisioningStatus, 'ACTIVE');
    assert.equal(lb.operatingStatus, 'ONLINE');
    assert.equal(lb.provider, 'weir');
    assert.equal(lb.vipAddress, '10.20.0.100');
    assert.equal(lb.vipSubnetId, net.subnetId);
    assert.equal(lb.vipNetworkId, net.networkId);
    const port = await env.store.get('logical_port', lb.vipPortId);
    assert.equal(port?.deviceOwner, 'Octavia');
    assert.equal(port?.deviceId, `lb-${lb.id}`);
    assert.equal(port?.name, `octavia-lb-${lb.id}`);
    assert.equal(port?.topic, env.alice.projectId);
    assert.equal(port?.portSecurityEnabled, true);
    assert.deepEqual(port?.securityGroups, []);
    assert.deepEqual(port?.fixedIps, [{ subnetId: net.subnetId, ipAddress: '10.20.0.100' }]);
  });

  it('on a network: picks the IPv4 subnet, or the one holding the requested address', async () => {
    const network = await createNetwork(env.ctx, env.alice, {});
    const v6 = await createSubnet(env.ctx, env.alice, { networkId: network.id, cidr: 'fd00:20::/64' });
    const v4 = await createSubnet(env.ctx, env.alice, { networkId: network.id, cidr: '10.21.0.0/24' });
    const a = await createLoadBalancer(env.ctx, env.alice, { vipNetworkId: network.id });
    assert.equal(a.vipSubnetId, v4.id);
    const b = await createLoadBalancer(env.ctx, env.alice, {
      vipNetworkId: network.id,
      vipAddress: 'fd00:20::0:7',
    });
    assert.equal(b.vipSubnetId, v6.id);
    assert.equal(b.vipAddress, 'fd00:20::7');
    const c = await createLoadBalancer(env.ctx, env.alice, { vipNetworkId: network.id, vipSubnetId: v6.id });
    assert.equal(c.vipSubnetId, v6.id);
  });

  it('on a network: refuses a network without (the right) subnet', async () => {
    const empty = await createNetwork(env.ctx, env.alice, {});
    const e1 = await rejectsWith(
      createLoadBalancer(env.ctx, env.alice, { vipNetworkId: empty.id }),
      'WEIR_CORE_BAD_REQUEST',
      'ValidationException',
    );
    assert.equal(e1.message, 'Validation failure: Supplied network does not contain a subnet.');
    const net = await lbNet(env);
    await rejectsWith(
      createLoadBalancer(env.ctx, env.alice, { vipNetworkId: net.networkId, vipAddress: '192.0.2.1' }),
      'WEIR_CORE_BAD_REQUEST',
      'ValidationException',
    );
    const other = await lbNet(env, { cidr: '10.22.0.0/24' });
    const e2 = await rejectsWith(
      createLoadBalancer(env.ctx, env.alice, { vipNetworkId: net.networkId, vipSubnetId: other.subnetId }),
      'WEIR_CORE_BAD_REQUEST',
      'InvalidSubresource',
    );
    assert.equal(e2.message, `Subnet ${other.subnetId} not found.`);
    await rejectsWith(
      createLoadBalancer(env.ctx, env.alice, { vipNetworkId: randomUUID() }),
      'WEIR_CORE_BAD_REQUEST',
      'InvalidSubresource',
    );
  });

  it('on an existing port: takes it over, and hands it back on delete', async () => {
    const net = await lbNet(env);
    const port = await createPort(env.ctx, env.alice, { networkId: net.networkId, name: 'mine' });
    const lb = await createLoadBalancer(env.ctx, env.alice, { vipPortId: port.id });
    assert.equal(lb.vipPortId, port.id);
    assert.equal(lb.vipAddress, port.fixedIps[0]?.ipAddress);
    const taken = await env.store.get('logical_port', port.id);
    assert.equal(taken?.deviceOwner, LB_VIP_OWNER);
    assert.equal(taken?.deviceId, vipDeviceId(lb.id));
    // A second load balancer cannot have it.
    const e = await rejectsWith(
      createLoadBalancer(env.ctx, env.alice, { vipPortId: port.id }),
      'WEIR_CORE_BAD_REQUEST',
      'ValidationException',
    );
    assert.equal(e.message, `Validation failure: Port ${port.id} is already used by device lb-${lb.id}`);
    await deleteLoadBalancer(env.ctx, env.alice, lb.id);
    const back = await env.store.get('logical_port', port.id);
    assert.equal(back?.deviceOwner, '');
    assert.equal(back?.deviceId, '');
    assert.equal(back?.name, 'mine');
  });

  it('on an existing port: refuses ports in use, of others, or with an unclear address', async () => {
    const net = await lbNet(env);
    const vm = await createPort(env.ctx, env.alice, { networkId: net.networkId, deviceId: 'vm-1' });
    await rejectsWith(
      createLoadBalancer(env.ctx, env.alice, { vipPortId: vm.id }),
      'WEIR_CORE_BAD_REQUEST',
      'ValidationException',
    );
    const bobs = await lbNet(env, { actor: env.bob });
    const bobPort = await createPort(env.ctx, env.bob, { networkId: bobs.networkId });
    await rejectsWith(
      createLoadBalancer(env.ctx, env.alice, { vipPortId: bobPort.id }),
      'WEIR_CORE_BAD_REQUEST',
      'InvalidSubresource',
    );
    const two = await createPort(env.ctx, env.alice, {
      networkId: net.networkId,
      fixedIps: [{ subnetId: net.subnetId }, { subnetId: net.subnetId }],
    });
    const e = await rejectsWith(
      createLoadBalancer(env.ctx, env.alice, { vipPortId: two.id }),
      'WEIR_CORE_BAD_REQUEST',
      'ValidationException',
    );
    assert.match(e.message, /VIP port's subnet could not be determined/);
    await rejectsWith(
      createLoadBalancer(env.ctx, env.alice, { vipPortId: two.id, vipAddress: '10.20.0.250' }),
      'WEIR_CORE_BAD_REQUEST',
      'ValidationException',
    );
    const chosen = two.fixedIps[1]?.ipAddress ?? '';
    const lb = await createLoadBalancer(env.ctx, env.alice, { vipPortId: two.id, vipAddress: chosen });
    assert.equal(lb.vipAddress, chosen);
  });

  it('refuses requests without a VIP, with a bad address, provider or project', async () => {
    const net = await lbNet(env);
    const e = await rejectsWith(
      createLoadBalancer(env.ctx, env.alice, {}),
      'WEIR_CORE_BAD_REQUEST',
      'VIPValidationException',
    );
    assert.equal(
      e.message,
      'Validation failure: VIP must contain one of: vip_port_id, vip_network_id, vip_subnet_id.',
    );
    await rejectsWith(net.lb({ vipAddress: '10.20.0.300' }), 'WEIR_CORE_BAD_REQUEST', 'InvalidInput');
    const p = await rejectsWith(
      net.lb({ provider: 'amphora' }),
      'WEIR_CORE_BAD_REQUEST',
      'ProviderNotEnabled',
    );
    assert.equal(p.message, "Provider 'amphora' is not enabled.");
    await rejectsWith(net.lb({ projectId: env.bob.projectId }), 'WEIR_CORE_FORBIDDEN', 'PolicyNotAuthorized');
    // Bob cannot see Alice's subnet; a shared network's subnet is fine.
    await rejectsWith(net.lb({}, env.bob), 'WEIR_CORE_BAD_REQUEST', 'InvalidSubresource');
    const shared = await lbNet(env, { shared: true, cidr: '10.23.0.0/24' });
    const lb = await shared.lb({}, env.bob);
    assert.equal(lb.topic, env.bob.projectId);
    assert.equal((await env.store.get('logical_port', lb.vipPortId))?.topic, env.bob.projectId);
    // The admin may create for another project.
    const forBob = await shared.lb({ projectId: env.bob.projectId }, env.admin);
    assert.equal(forBob.topic, env.bob.projectId);
  });

  it('a taken VIP address is the IPAM 409, and nothing is left of the attempt', async () => {
    const net = await lbNet(env);
    await net.lb({ vipAddress: '10.20.0.9' });
    const before = await snapshot(env.store);
    await rejectsWith(net.lb({ vipAddress: '10.20.0.9' }), 'WEIR_CORE_CONFLICT', 'IpAddressAlreadyAllocated');
    assert.deepEqual(await snapshot(env.store), before);
    assert.equal((await env.store.list('load_balancer')).items.length, 1);
  });

  it('if the load balancer commit fails, its new VIP port is deleted again', async () => {
    const store = faultyStore(await openStore('memory:'));
    const faulty = await newEnv(store);
    try {
      const net = await lbNet(faulty);
      const before = await snapshot(store);
      store.failOn(2); // 1: the VIP port, 2: the load balancer
      await assert.rejects(net.lb({ name: 'doomed' }), /injected fault/);
      assert.deepEqual(await snapshot(store), before);
      assert.deepEqual((await store.list('load_balancer')).items, []);
      assert.deepEqual(await store.listClaims(ipNamespace(net.subnetId)), []);
    } finally {
      await faulty.close();
    }
  });
});

describe('load balancers: update, delete, status', () => {
  it('updates name, description and admin state (operating status follows)', async () => {
    const lb = await (await lbNet(env)).lb();
    const u = await updateLoadBalancer(env.ctx, env.alice, lb.id, {
      name: 'n',
      description: 'd',
      adminStateUp: false,
    });
    assert.equal(u.name, 'n');
    assert.equal(u.description, 'd');
    assert.equal(u.operatingStatus, 'OFFLINE');
    const e = await rejectsWith(
      updateLoadBalancer(env.ctx, env.bob, lb.id, { name: 'x' }),
      'WEIR_CORE_NOT_FOUND',
      'NotFound',
    );
    assert.equal(e.message, `Load Balancer ${lb.id} not found.`);
  });

  it('deletes a childless load balancer with its VIP port', async () => {
    const net = await lbNet(env);
    const lb = await net.lb();
    await deleteLoadBalancer(env.ctx, env.alice, lb.id);
    assert.equal(await env.store.get('load_balancer', lb.id), undefined);
    assert.equal(await env.store.get('logical_port', lb.vipPortId), undefined);
    assert.deepEqual(await env.store.listClaims(ipNamespace(net.subnetId)), []);
  });

  it('refuses to delete a load balancer with children unless cascading', async () => {
    const net = await lbNet(env);
    const lb = await net.lb();
    await createPool(env.ctx, env.alice, {
      loadBalancerId: lb.id,
      protocol: 'TCP',
      lbAlgorithm: 'ROUND_ROBIN',
    });
    const e = await rejectsWith(
      deleteLoadBalancer(env.ctx, env.alice, lb.id),
      'WEIR_CORE_BAD_REQUEST',
      'ValidationException',
    );
    assert.equal(e.message, `Validation failure: Cannot delete Load Balancer ${lb.id} - it has children`);
    assert.ok(await env.store.get('load_balancer', lb.id));
  });

  it('cascade: the whole graph and the VIP port go in one commit, no claim left', async () => {
    const net = await lbNet(env);
    const graph = await lbGraph(env, net);
    assert.ok((await env.store.listClaims(listenerPortNamespace(graph.lb.id))).length === 2);
    const commits = env.ctx.stats.commits;
    await deleteLoadBalancer(env.ctx, env.alice, graph.lb.id, { cascade: true });
    assert.equal(env.ctx.stats.commits, commits + 1);
    await assertNothingLeft(env.store, graph, net.subnetId);
    await rejectsWith(deleteLoadBalancer(env.ctx, env.alice, graph.lb.id), 'WEIR_CORE_NOT_FOUND', 'NotFound');
  });

  it('status tree: load balancer → listeners → default pool → monitor and members', async () => {
    const net = await lbNet(env);
    const g = await lbGraph(env, net);
    await updateListener(env.ctx, env.alice, g.listeners[1]?.id ?? '', { adminStateUp: false });
    const tree = await statusTree(env.ctx, env.alice, g.lb.id);
    const s = (o: { id: string; name: string }, operatingStatus: string) => ({
      id: o.id,
      name: o.name,
      provisioningStatus: 'ACTIVE',
      operatingStatus,
    });
    const [http, dns] = g.listeners as [(typeof g.listeners)[0], (typeof g.listeners)[0]];
    const [web, resolvers] = g.pools as [(typeof g.pools)[0], (typeof g.pools)[0]];
    const [a, b, r] = g.members as [(typeof g.members)[0], (typeof g.members)[0], (typeof g.members)[0]];
    const [webCheck, dnsCheck] = g.monitors as [(typeof g.monitors)[0], (typeof g.monitors)[0]];
    const member = (m: typeof a) => ({ ...s(m, 'ONLINE'), address: m.address, protocolPort: m.protocolPort });
    assert.deepEqual(tree, {
      loadbalancer: {
        ...s(g.lb, 'ONLINE'),
        listeners: [
          {
            ...s(http, 'ONLINE'),
            pools: [
              {
                ...s(web, 'ONLINE'),
                healthmonitor: { ...s(webCheck, 'ONLINE'), type: 'HTTP' },
                members: [member(a), member(b)],
              },
            ],
          },
          {
            ...s(dns, 'OFFLINE'),
            pools: [
              {
                ...s(resolvers, 'ONLINE'),
                healthmonitor: { ...s(dnsCheck, 'ONLINE'), type: 'UDP-CONNECT' },
                members: [member(r)],
              },
            ],
          },
        ],
      },
    });
    await rejectsWith(statusTree(env.ctx, env.bob, g.lb.id), 'WEIR_CORE_NOT_FOUND', 'NotFound');
  });
});

/** Two store clients on one in-memory store, as two API replicas would be. */
async function replicas(): Promise<[Env, Env]> {
  const name = `lb-race-${randomUUID()}`;
  return [await newEnv(await openStore(`memory:${name}`)), await newEnv(await openStore(`memory:${name}`))];
}

/** Runs `f` after `ticks` turns of the event loop. */
async function later<T>(ticks: number, f: () => Promise<T>): Promise<T> {
  for (let t = 0; t < ticks; t++) await new Promise((resolve) => setImmediate(resolve));
  return f();
}

async function race(
  attempts: readonly (() => Promise<unknown>)[],
): Promise<{ won: number; kinds: string[] }> {
  const results = await Promise.allSettled(attempts.map((a) => a()));
  const kinds: string[] = [];
  for (const r of results) {
    if (r.status === 'fulfilled') continue;
    assert.ok(isWeirError(r.reason), String(r.reason));
    kinds.push(r.reason.kind ?? r.reason.code);
  }
  return { won: results.length - kinds.length, kinds };
}

describe('load balancers: concurrent writers', () => {
  let r1: Env;
  let r2: Env;
  beforeEach(async () => {
    [r1, r2] = await replicas();
  });
  afterEach(async () => {
    await r1.close();
    await r2.close();
  });
  const pick = (i: number): Env => (i % 2 ? r1 : r2);
  const raced = (): void =>
    assert.ok(r1.ctx.stats.retries + r2.ctx.stats.retries > 0, 'the race reached the store');

  it('listeners racing for one port (TCP, HTTP, HTTPS alike): exactly one wins', async () => {
    const lb = await (await lbNet(r1)).lb();
    const protocols = ['TCP', 'HTTP', 'HTTPS'] as const;
    const { won, kinds } = await race(
      Array.from(
        { length: 12 },
        (_, i) => () =>
          createListener(pick(i).ctx, r1.alice, {
            loadBalancerId: lb.id,
            protocol: protocols[i % 3] ?? 'TCP',
            protocolPort: 443,
          }),
      ),
    );
    assert.equal(won, 1);
    raced();
    assert.ok(
      kinds.every((k) => k === 'DuplicateListenerEntry'),
      kinds.join(),
    );
    assert.equal((await r1.store.list('listener')).items.length, 1);
    assert.equal((await r1.store.listClaims(listenerPortNamespace(lb.id))).length, 1);
  });

  it('members racing for one address and port: exactly one wins', async () => {
    const lb = await (await lbNet(r1)).lb();
    const pool = await createPool(r1.ctx, r1.alice, {
      loadBalancerId: lb.id,
      protocol: 'TCP',
      lbAlgorithm: 'ROUND_ROBIN',
    });
    const { won, kinds } = await race(
      Array.from(
        { length: 12 },
        (_, i) => () =>
          createMember(pick(i).ctx, r1.alice, pool.id, {
            address: '10.20.0.50',
            protocolPort: 80,
            name: `m${i}`,
          }),
      ),
    );
    assert.equal(won, 1);
    raced();
    assert.ok(
      kinds.every((k) => k === 'DuplicateMemberEntry'),
      kinds.join(),
    );
    assert.equal((await r1.store.list('member')).items.length, 1);
    assert.equal((await r1.store.listClaims(memberNamespace(pool.id))).length, 1);
  });

  it('health monitors racing for one pool: exactly one wins', async () => {
    const lb = await (await lbNet(r1)).lb();
    const pool = await createPool(r1.ctx, r1.alice, {
      loadBalancerId: lb.id,
      protocol: 'TCP',
      lbAlgorithm: 'ROUND_ROBIN',
    });
    const { won, kinds } = await race(
      Array.from(
        { length: 10 },
        (_, i) => () =>
          createHealthMonitor(pick(i).ctx, r1.alice, {
            poolId: pool.id,
            type: 'TCP',
            delay: 5,
            timeout: 3,
            maxRetries: 3,
          }),
      ),
    );
    assert.equal(won, 1);
    raced();
    assert.ok(
      kinds.every((k) => k === 'DuplicateHealthMonitor'),
      kinds.join(),
    );
    const monitors = (await r1.store.list('health_monitor')).items;
    assert.equal(monitors.length, 1);
    assert.equal((await r1.store.get('pool', pool.id))?.healthMonitorId, monitors[0]?.id);
    assert.deepEqual(await r1.store.listClaims(monitorNamespace(pool.id)), [
      { key: 'monitor', owner: monitors[0]?.id },
    ]);
  });

  it("pools racing to be one listener's default pool: exactly one wins", async () => {
    const lb = await (await lbNet(r1)).lb();
    const listener = await createListener(r1.ctx, r1.alice, {
      loadBalancerId: lb.id,
      protocol: 'HTTP',
      protocolPort: 80,
    });
    const { won, kinds } = await race(
      Array.from(
        { length: 10 },
        (_, i) => () =>
          createPool(pick(i).ctx, r1.alice, {
            listenerId: listener.id,
            protocol: 'HTTP',
            lbAlgorithm: 'ROUND_ROBIN',
          }),
      ),
    );
    assert.equal(won, 1);
    raced();
    assert.ok(
      kinds.every((k) => k === 'DuplicatePoolEntry'),
      kinds.join(),
    );
    const pools = (await r1.store.list('pool')).items;
    assert.equal(pools.length, 1);
    assert.equal((await r1.store.get('listener', listener.id))?.defaultPoolId, pools[0]?.id);
  });

  it('load balancers racing for one VIP port: exactly one wins', async () => {
    const net = await lbNet(r1);
    const port = await createPort(r1.ctx, r1.alice, { networkId: net.networkId });
    const { won, kinds } = await race(
      Array.from(
        { length: 10 },
        (_, i) => () => createLoadBalancer(pick(i).ctx, r1.alice, { vipPortId: port.id }),
      ),
    );
    assert.equal(won, 1);
    raced();
    assert.ok(
      kinds.every((k) => k === 'ValidationException'),
      kinds.join(),
    );
    const lbs = (await r1.store.list('load_balancer')).items;
    assert.equal(lbs.length, 1);
    assert.equal((await r1.store.get('logical_port', port.id))?.deviceId, vipDeviceId(lbs[0]?.id ?? ''));
  });

  it('a cascade delete racing with new children leaves no orphan', async () => {
    const outcomes = { fulfilled: 0, rejected: 0 };
    for (let round = 0; round < 5; round++) {
      const net = await lbNet(r1, { cidr: `10.${30 + round}.0.0/24` });
      const graph = await lbGraph(r1, net);
      const web = graph.pools[0]?.id ?? '';
      // Children start a few ticks later in some rounds, so some land before the delete, some after.
      const results = await Promise.allSettled([
        deleteLoadBalancer(r2.ctx, r2.alice, graph.lb.id, { cascade: true }),
        ...Array.from({ length: 6 }, (_, i) =>
          later((i * (round + 1)) % 7, () =>
            createMember(pick(i).ctx, r1.alice, web, { address: `10.20.1.${i + 1}`, protocolPort: 80 }),
          ),
        ),
        later(round % 4, () =>
          createListener(r1.ctx, r1.alice, {
            loadBalancerId: graph.lb.id,
            protocol: 'TCP',
            protocolPort: 9000,
          }),
        ),
        later((round + 2) % 5, () =>
          createPool(r1.ctx, r1.alice, {
            loadBalancerId: graph.lb.id,
            protocol: 'TCP',
            lbAlgorithm: 'ROUND_ROBIN',
          }),
        ),
      ]);
      assert.equal(
        results[0]?.status,
        'fulfilled',
        String((results[0] as PromiseRejectedResult | undefined)?.reason),
      );
      for (const r of results.slice(1))
        if (r.status === 'rejected')
          assert.ok(isWeirError(r.reason, 'WEIR_CORE_NOT_FOUND'), String(r.reason));
      await assertNothingLeft(r1.store, graph, net.subnetId);
      for (const r of results.slice(1)) outcomes[r.status]++;
    }
    // Both orders happened: children made before the delete went with it, later ones found nothing.
    assert.ok(outcomes.fulfilled > 0 && outcomes.rejected > 0, JSON.stringify(outcomes));
    raced();
  });
});
