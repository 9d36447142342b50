// Load-balancer fixtures: a tenant network to put VIPs on, a whole Octavia graph in one call, and
// the "nothing left behind" check a cascade delete must pass.
import assert from 'node:assert/strict';
import type { HealthMonitor, Listener, LoadBalancer, Member, Pool } from '@weir/model';
import type { Store } from '@weir/nbdb';
import type { Actor } from '../../src/index.js';
import {
  createHealthMonitor,
  createListener,
  createLoadBalancer,
  createMember,
  createNetwork,
  createPool,
  createSubnet,
  ipNamespace,
  listenerPortNamespace,
  macNamespace,
  memberNamespace,
  monitorNamespace,
  type LoadBalancerInput,
} from '../../src/index.js';
import type { Env } from './env.js';

export { rejectsWith } from './trunk-fixtures.js';

export interface LbNet {
  readonly networkId: string;
  readonly subnetId: string;
  /** A load balancer with its VIP on the subnet. */
  lb(input?: Partial<LoadBalancerInput>, actor?: Actor): Promise<LoadBalancer>;
}

export async function lbNet(
  env: Env,
  options: { actor?: Actor; cidr?: string; shared?: boolean } = {},
): Promise<LbNet> {
  const owner = options.actor ?? env.alice;
  const network = await createNetwork(
    env.ctx,
    options.shared ? env.admin : owner,
    options.shared ? { shared: true, projectId: owner.projectId } : {},
  );
  const subnet = await createSubnet(env.ctx, options.shared ? env.admin : owner, {
    networkId: network.id,
    cidr: options.cidr ?? '10.20.0.0/24',
    projectId: owner.projectId,
  });
  return {
    networkId: network.id,
    subnetId: subnet.id,
    lb: (input = {}, actor = owner) =>
      createLoadBalancer(env.ctx, actor, { vipSubnetId: subnet.id, ...input }),
  };
}

export interface LbGraph {
  readonly lb: LoadBalancer;
  readonly listeners: readonly Listener[];
  readonly pools: readonly Pool[];
  readonly members: readonly Member[];
  readonly monitors: readonly HealthMonitor[];
}

/** A load balancer with an HTTP and a UDP listener, their pools, members and monitors, and a spare pool. */
export async function lbGraph(env: Env, net: LbNet, actor: Actor = env.alice): Promise<LbGraph> {
  const lb = await net.lb({ name: 'web' }, actor);
  const http = await createListener(env.ctx, actor, {
    loadBalancerId: lb.id,
    protocol: 'HTTP',
    protocolPort: 80,
    name: 'http',
  });
  const dns = await createListener(env.ctx, actor, {
    loadBalancerId: lb.id,
    protocol: 'UDP',
    protocolPort: 53,
    name: 'dns',
  });
  const web = await createPool(env.ctx, actor, {
    listenerId: http.id,
    protocol: 'HTTP',
    lbAlgorithm: 'ROUND_ROBIN',
    name: 'web',
  });
  const resolvers = await createPool(env.ctx, actor, {
    listenerId: dns.id,
    protocol: 'UDP',
    lbAlgorithm: 'SOURCE_IP',
    name: 'resolvers',
  });
  const spare = await createPool(env.ctx, actor, {
    loadBalancerId: lb.id,
    protocol: 'TCP',
    lbAlgorithm: 'LEAST_CONNECTIONS',
    name: 'spare',
  });
  const members = [
    await createMember(env.ctx, actor, web.id, { address: '10.20.0.11', protocolPort: 8080, name: 'a' }),
    await createMember(env.ctx, actor, web.id, { address: '10.20.0.12', protocolPort: 8080, name: 'b' }),
    await createMember(env.ctx, actor, resolvers.id, { address: '10.20.0.21', protocolPort: 53 }),
    await createMember(env.ctx, actor, spare.id, { address: '10.20.0.31', protocolPort: 22 }),
  ];
  const monitors = [
    await createHealthMonitor(env.ctx, actor, {
      poolId: web.id,
      type: 'HTTP',
      delay: 5,
      timeout: 3,
      maxRetries: 3,
      name: 'web-check',
    }),
    await createHealthMonitor(env.ctx, actor, {
      poolId: resolvers.id,
      type: 'UDP-CONNECT',
      delay: 5,
      timeout: 3,
      maxRetries: 2,
    }),
  ];
  return { lb, listeners: [http, dns], pools: [web, resolvers, spare], members, monitors };
}

/** Asserts that nothing of `graph` is left: no object, no claim, no VIP port or its addresses. */
export async function assertNothingLeft(store: Store, graph: LbGraph, subnetId: string): Promise<void> {
  for (const t of ['load_balancer', 'listener', 'pool', 'member', 'health_monitor'] as const)
    assert.deepEqual((await store.list(t)).items, [], `${t} left behind`);
  assert.equal(await store.get('logical_port', graph.lb.vipPortId), undefined, 'VIP port left behind');
  const namespaces = [
    listenerPortNamespace(graph.lb.id),
    ...graph.pools.flatMap((p) => [memberNamespace(p.id), monitorNamespace(p.id)]),
    ipNamespace(subnetId),
    macNamespace(graph.lb.vipNetworkId),
  ];
  for (const ns of namespaces) assert.deepEqual(await store.listClaims(ns), [], `claims left in ${ns}`);
}
