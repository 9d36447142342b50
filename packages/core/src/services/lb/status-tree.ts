// The status tree `openstack loadbalancer status show` prints (Octavia's StatusResponse): the load
// balancer, its listeners, each listener's pool with its monitor and members. As in Octavia, a pool
// no listener uses is not part of the tree.
import type { HealthMonitor, Listener, LoadBalancer, Member, Pool } from '@weir/model';
import type { Actor, CoreContext } from '../../context.js';
import { byCreation, readLbObject } from './common.js';

interface Statuses {
  readonly id: string;
  readonly name: string;
  readonly provisioningStatus: LoadBalancer['provisioningStatus'];
  readonly operatingStatus: LoadBalancer['operatingStatus'];
}

export interface MemberStatus extends Statuses {
  readonly address: string;
  readonly protocolPort: number;
}

export interface HealthMonitorStatus extends Statuses {
  readonly type: HealthMonitor['type'];
}

export interface PoolStatus extends Statuses {
  readonly healthmonitor?: HealthMonitorStatus;
  readonly members: readonly MemberStatus[];
}

export interface ListenerStatus extends Statuses {
  readonly pools: readonly PoolStatus[];
}

export interface LoadBalancerStatus extends Statuses {
  readonly listeners: readonly ListenerStatus[];
}

export interface StatusTree {
  readonly loadbalancer: LoadBalancerStatus;
}

function statuses(o: LoadBalancer | Listener | Pool | Member | HealthMonitor): Statuses {
  return {
    id: o.id,
    name: o.name,
    provisioningStatus: o.provisioningStatus,
    operatingStatus: o.operatingStatus,
  };
}

async function poolStatus(ctx: CoreContext, pool: Pool): Promise<PoolStatus> {
  const byPool = { index: { name: 'pool', value: pool.id } };
  const members = byCreation((await ctx.store.list('member', byPool)).items);
  const monitor = (await ctx.store.list('health_monitor', byPool)).items[0];
  return {
    ...statuses(pool),
    ...(monitor ? { healthmonitor: { ...statuses(monitor), type: monitor.type } } : {}),
    members: members.map((m) => ({ ...statuses(m), address: m.address, protocolPort: m.protocolPort })),
  };
}

export async function statusTree(
  ctx: CoreContext,
  actor: Actor,
  loadBalancerId: string,
): Promise<StatusTree> {
  const lb = await readLbObject(ctx, actor, 'load_balancer', loadBalancerId);
  const listeners = byCreation(
    (await ctx.store.list('listener', { index: { name: 'loadBalancer', value: lb.id } })).items,
  );
  const out: ListenerStatus[] = [];
  for (const listener of listeners) {
    const pool = listener.defaultPoolId ? await ctx.store.get('pool', listener.defaultPoolId) : undefined;
    out.push({ ...statuses(listener), pools: pool ? [await poolStatus(ctx, pool)] : [] });
  }
  return { loadbalancer: { ...statuses(lb), listeners: out } };
}
