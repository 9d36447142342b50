// Listeners: a protocol and port on a load balancer's VIP. Two listeners of one load balancer may
// not share a port when their L4 protocols are equal (TCP, HTTP, HTTPS and TERMINATED_HTTPS are
// all TCP): the port is a claim taken in the listener's commit, so concurrent creates cannot both
// get it. A listener create also CAS-updates its load balancer, so a cascade delete that read the
// children before it cannot miss it; a default pool is CAS-updated for the same reason.
import type { Listener, Pool } from '@weir/model';
import type { WriteOp } from '@weir/nbdb';
import type { Actor, CoreContext } from '../../context.js';
import { baseFields, touch, type BaseInput } from '../../objects.js';
import { checkQuota } from '../../quota.js';
import { withRetries } from '../../retry.js';
import {
  LISTENER_PROTOCOLS,
  checkInteger,
  checkPoolProtocol,
  commitFor,
  invalidOption,
  l4Protocol,
  lbConflict,
  lbNotFound,
  listenerPortNamespace,
  operatingStatus,
  readLbObject,
  validationFailure,
  withoutListener,
  type Protocol,
} from './common.js';

/** Octavia's MAX_TIMEOUT (ms) for the listener timeouts. */
const MAX_TIMEOUT = 24 * 24 * 60 * 60 * 1000;

export interface ListenerTimeouts {
  readonly connectionLimit?: number;
  readonly timeoutClientData?: number;
  readonly timeoutMemberConnect?: number;
  readonly timeoutMemberData?: number;
}

export interface ListenerInput extends BaseInput, ListenerTimeouts {
  readonly loadBalancerId: string;
  readonly protocol: Protocol;
  readonly protocolPort: number;
  readonly defaultPoolId?: string;
  readonly adminStateUp?: boolean;
}

export interface ListenerPatch extends BaseInput, ListenerTimeouts {
  readonly adminStateUp?: boolean;
  /** null: the listener has no default pool any more. */
  readonly defaultPoolId?: string | null;
}

function listenerPortKey(protocol: Protocol, protocolPort: number): string {
  return `${l4Protocol(protocol)}:${protocolPort}`;
}

function checkTimeouts(t: ListenerTimeouts): void {
  if (t.connectionLimit !== undefined)
    checkInteger('connection_limit', t.connectionLimit, -1, Number.MAX_SAFE_INTEGER);
  if (t.timeoutClientData !== undefined)
    checkInteger('timeout_client_data', t.timeoutClientData, 0, MAX_TIMEOUT);
  if (t.timeoutMemberConnect !== undefined)
    checkInteger('timeout_member_connect', t.timeoutMemberConnect, 0, MAX_TIMEOUT);
  if (t.timeoutMemberData !== undefined)
    checkInteger('timeout_member_data', t.timeoutMemberData, 0, MAX_TIMEOUT);
}

function validateListener(input: ListenerInput): void {
  if (!LISTENER_PROTOCOLS.includes(input.protocol)) throw invalidOption(String(input.protocol), 'protocol');
  // Weir keeps no certificates, so it has nothing to terminate TLS with.
  if (input.protocol === 'TERMINATED_HTTPS') {
    throw validationFailure(
      'An SNI or default certificate container reference must be provided for TERMINATED_HTTPS listeners.',
    );
  }
  checkInteger('protocol_port', input.protocolPort, 1, 65535);
  checkTimeouts(input);
}

/** A pool that may become the default pool of a `protocol` listener of `loadBalancerId`. */
async function readDefaultPool(
  ctx: CoreContext,
  loadBalancerId: string,
  poolId: string,
  protocol: Protocol,
): Promise<Pool> {
  const pool = await ctx.store.get('pool', poolId);
  if (!pool || pool.loadBalancerId !== loadBalancerId) throw lbNotFound('Pool', poolId);
  checkPoolProtocol(protocol, pool.protocol);
  return pool;
}

export async function createListener(
  ctx: CoreContext,
  actor: Actor,
  input: ListenerInput,
): Promise<Listener> {
  validateListener(input);
  const lb = await readLbObject(ctx, actor, 'load_balancer', input.loadBalancerId);
  await checkQuota(ctx, lb.topic, 'listener', 'listener');
  const base = await baseFields(ctx, 'listener', lb.topic, input);
  return withRetries(ctx, 'create listener', async () => {
    const current = await readLbObject(ctx, actor, 'load_balancer', input.loadBalancerId);
    const siblings = await ctx.store.list('listener', { index: { name: 'loadBalancer', value: current.id } });
    const clash = siblings.items.find(
      (l) => l.protocolPort === input.protocolPort && l4Protocol(l.protocol) === l4Protocol(input.protocol),
    );
    if (clash) {
      throw lbConflict(
        'DuplicateListenerEntry',
        `Another Listener on this Load Balancer is already using protocol ${clash.protocol} and protocol_port ${input.protocolPort}`,
      );
    }
    const adminStateUp = input.adminStateUp ?? true;
    const listener: Listener = {
      ...base,
      loadBalancerId: current.id,
      protocol: input.protocol,
      protocolPort: input.protocolPort,
      // Octavia's defaults.
      connectionLimit: input.connectionLimit ?? -1,
      timeoutClientData: input.timeoutClientData ?? 50000,
      timeoutMemberConnect: input.timeoutMemberConnect ?? 5000,
      timeoutMemberData: input.timeoutMemberData ?? 50000,
      adminStateUp,
      provisioningStatus: 'ACTIVE',
      operatingStatus: operatingStatus(adminStateUp),
      ...(input.defaultPoolId === undefined ? {} : { defaultPoolId: input.defaultPoolId }),
    };
    const ops: WriteOp[] = [
      { kind: 'update', table: 'load_balancer', object: touch(ctx, current) },
      {
        kind: 'claim',
        namespace: listenerPortNamespace(current.id),
        key: listenerPortKey(listener.protocol, listener.protocolPort),
        owner: listener.id,
      },
      { kind: 'create', table: 'listener', object: listener },
    ];
    if (input.defaultPoolId !== undefined) {
      const pool = await readDefaultPool(ctx, current.id, input.defaultPoolId, input.protocol);
      ops.push({ kind: 'update', table: 'pool', object: touch(ctx, pool) });
    }
    return commitFor<Listener>(ctx, ops, listener.id);
  });
}

export async function updateListener(
  ctx: CoreContext,
  actor: Actor,
  id: string,
  patch: ListenerPatch,
): Promise<Listener> {
  checkTimeouts(patch);
  return withRetries(ctx, 'update listener', async () => {
    const current = await readLbObject(ctx, actor, 'listener', id);
    const { defaultPoolId: oldPoolId, ...rest } = current;
    const adminStateUp = patch.adminStateUp ?? current.adminStateUp;
    const newPoolId = patch.defaultPoolId === undefined ? oldPoolId : (patch.defaultPoolId ?? undefined);
    const next: Listener = touch(ctx, {
      ...rest,
      ...(patch.name === undefined ? {} : { name: patch.name }),
      ...(patch.description === undefined ? {} : { description: patch.description }),
      ...(patch.tags === undefined ? {} : { tags: [...patch.tags] }),
      ...(patch.connectionLimit === undefined ? {} : { connectionLimit: patch.connectionLimit }),
      ...(patch.timeoutClientData === undefined ? {} : { timeoutClientData: patch.timeoutClientData }),
      ...(patch.timeoutMemberConnect === undefined
        ? {}
        : { timeoutMemberConnect: patch.timeoutMemberConnect }),
      ...(patch.timeoutMemberData === undefined ? {} : { timeoutMemberData: patch.timeoutMemberData }),
      ...(newPoolId === undefined ? {} : { defaultPoolId: newPoolId }),
      adminStateUp,
      operatingStatus: operatingStatus(adminStateUp),
    });
    const ops: WriteOp[] = [{ kind: 'update', table: 'listener', object: next }];
    if (newPoolId !== oldPoolId) {
      if (newPoolId !== undefined) {
        const pool = await readDefaultPool(ctx, current.loadBalancerId, newPoolId, current.protocol);
        ops.push({ kind: 'update', table: 'pool', object: touch(ctx, pool) });
      }
      const old = oldPoolId === undefined ? undefined : await ctx.store.get('pool', oldPoolId);
      if (old?.listenerId === id)
        ops.push({ kind: 'update', table: 'pool', object: touch(ctx, withoutListener(old)) });
    }
    return commitFor<Listener>(ctx, ops, id);
  });
}

/** Deletes the listener and frees its port (the caller adds what else must change with it). */
export function listenerDeleteOps(listener: Listener): WriteOp[] {
  return [
    { kind: 'delete', table: 'listener', id: listener.id, expectedVersion: listener.version },
    {
      kind: 'release',
      namespace: listenerPortNamespace(listener.loadBalancerId),
      key: listenerPortKey(listener.protocol, listener.protocolPort),
      owner: listener.id,
    },
  ];
}

/** As in Octavia, a listener goes even with a default pool: the pool stays on the load balancer. */
export async function deleteListener(ctx: CoreContext, actor: Actor, id: string): Promise<void> {
  await withRetries(ctx, 'delete listener', async () => {
    const listener = await readLbObject(ctx, actor, 'listener', id);
    const ops = listenerDeleteOps(listener);
    const pools = await ctx.store.list('pool', { index: { name: 'listener', value: id } });
    for (const pool of pools.items)
      ops.push({ kind: 'update', table: 'pool', object: touch(ctx, withoutListener(pool)) });
    await ctx.store.commit(ops);
    ctx.stats.commits++;
  });
}
