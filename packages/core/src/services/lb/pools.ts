// Pools: the members a listener sends traffic to, with an algorithm and session persistence. A
// pool is created on a load balancer, or for a listener whose default pool it becomes (at most
// one: the listener's CAS-updated defaultPoolId decides between concurrent creates). Deleting a
// pool takes its members and monitor with it and clears it from the listeners that used it, in
// one commit; member and monitor creates CAS-update their pool, so none can slip past that delete.
import type { HealthMonitor, Member, Pool } from '@weir/model';
import type { WriteOp } from '@weir/nbdb';
import type { Actor, CoreContext } from '../../context.js';
import { baseFields, touch, type BaseInput } from '../../objects.js';
import { checkQuota } from '../../quota.js';
import { withRetries } from '../../retry.js';
import {
  MONITOR_KEY,
  POOL_PROTOCOLS,
  checkPoolProtocol,
  commitFor,
  invalidOption,
  isDatagram,
  lbConflict,
  memberKey,
  memberNamespace,
  monitorNamespace,
  operatingStatus,
  readLbObject,
  validationFailure,
  type Protocol,
} from './common.js';

const ALGORITHMS: readonly Pool['lbAlgorithm'][] = [
  'ROUND_ROBIN',
  'LEAST_CONNECTIONS',
  'SOURCE_IP',
  'SOURCE_IP_PORT',
];

export interface SessionPersistenceInput {
  readonly type: string;
  readonly cookieName?: string;
  readonly persistenceTimeout?: number;
}

export interface PoolInput extends BaseInput {
  readonly loadBalancerId?: string;
  readonly listenerId?: string;
  readonly protocol: Protocol;
  readonly lbAlgorithm: Pool['lbAlgorithm'];
  readonly sessionPersistence?: SessionPersistenceInput | null;
  readonly adminStateUp?: boolean;
}

export interface PoolPatch extends BaseInput {
  readonly lbAlgorithm?: Pool['lbAlgorithm'];
  /** null: no session persistence. */
  readonly sessionPersistence?: SessionPersistenceInput | null;
  readonly adminStateUp?: boolean;
}

/** An RFC 6265 token, as Octavia checks it: no controls, spaces or separators. */
function isCookieName(name: string): boolean {
  if (name === '') return false;
  for (const ch of name) {
    const c = ch.codePointAt(0) ?? 0;
    if (c <= 0x20 || c === 0x7f || c > 0xff || '"(),/:;<=>?@[\\]{}'.includes(ch)) return false;
  }
  return true;
}

/** Octavia's pool and check_session_persistence rules. */
function sessionPersistence(
  protocol: Protocol,
  sp: SessionPersistenceInput | null | undefined,
): Pool['sessionPersistence'] {
  if (!sp) return null;
  if (sp.type !== 'SOURCE_IP' && sp.type !== 'HTTP_COOKIE' && sp.type !== 'APP_COOKIE')
    throw invalidOption(sp.type, 'session_persistence type');
  if (isDatagram(protocol)) {
    if (sp.cookieName !== undefined)
      throw validationFailure('Cookie names are not supported for UDP/SCTP pools.');
    if (sp.type !== 'SOURCE_IP') {
      throw validationFailure(
        `Session persistence of type ${sp.type} is not supported for UDP/SCTP protocol pools.`,
      );
    }
  } else if (sp.persistenceTimeout !== undefined) {
    throw validationFailure(
      'persistence_timeout and persistence_granularity is only for UDP and SCTP protocol pools.',
    );
  }
  if (sp.cookieName !== undefined) {
    if (sp.type !== 'APP_COOKIE') {
      throw validationFailure(
        'Field "cookie_name" can only be specified with session persistence of type "APP_COOKIE".',
      );
    }
    if (!isCookieName(sp.cookieName)) throw validationFailure('Supplied "cookie_name" is invalid.');
  } else if (sp.type === 'APP_COOKIE') {
    throw validationFailure(
      'Field "cookie_name" must be specified when using the "APP_COOKIE" session persistence type.',
    );
  }
  if (
    sp.persistenceTimeout !== undefined &&
    (!Number.isInteger(sp.persistenceTimeout) || sp.persistenceTimeout < 0)
  )
    throw invalidOption(String(sp.persistenceTimeout), 'persistence_timeout');
  return {
    type: sp.type,
    ...(sp.cookieName === undefined ? {} : { cookieName: sp.cookieName }),
    ...(sp.persistenceTimeout === undefined ? {} : { persistenceTimeout: sp.persistenceTimeout }),
  };
}

function checkAlgorithm(algorithm: string): void {
  if (!ALGORITHMS.includes(algorithm as Pool['lbAlgorithm'])) throw invalidOption(algorithm, 'lb_algorithm');
}

/** The load balancer a new pool goes on: the one named, or its listener's. */
async function poolLoadBalancerId(ctx: CoreContext, actor: Actor, input: PoolInput): Promise<string> {
  if (input.listenerId === undefined) {
    if (input.loadBalancerId === undefined)
      throw validationFailure('Must provide at least one of: loadbalancer_id, listener_id');
    return input.loadBalancerId;
  }
  const listener = await readLbObject(ctx, actor, 'listener', input.listenerId);
  if (input.loadBalancerId !== undefined && input.loadBalancerId !== listener.loadBalancerId) {
    throw validationFailure(
      `Listener ${listener.id} is not on load balancer ${input.loadBalancerId}; a pool must be on its listener's load balancer.`,
    );
  }
  return listener.loadBalancerId;
}

export async function createPool(ctx: CoreContext, actor: Actor, input: PoolInput): Promise<Pool> {
  if (!POOL_PROTOCOLS.includes(input.protocol)) throw invalidOption(String(input.protocol), 'protocol');
  checkAlgorithm(input.lbAlgorithm);
  const persistence = sessionPersistence(input.protocol, input.sessionPersistence);
  const lbId = await poolLoadBalancerId(ctx, actor, input);
  const lb = await readLbObject(ctx, actor, 'load_balancer', lbId);
  await checkQuota(ctx, lb.topic, 'pool', 'pool');
  const base = await baseFields(ctx, 'pool', lb.topic, input);
  return withRetries(ctx, 'create pool', async () => {
    const current = await readLbObject(ctx, actor, 'load_balancer', lbId);
    const adminStateUp = input.adminStateUp ?? true;
    const pool: Pool = {
      ...base,
      loadBalancerId: current.id,
      protocol: input.protocol,
      lbAlgorithm: input.lbAlgorithm,
      sessionPersistence: persistence,
      adminStateUp,
      provisioningStatus: 'ACTIVE',
      operatingStatus: operatingStatus(adminStateUp),
      ...(input.listenerId === undefined ? {} : { listenerId: input.listenerId }),
    };
    const ops: WriteOp[] = [{ kind: 'update', table: 'load_balancer', object: touch(ctx, current) }];
    if (input.listenerId !== undefined) {
      const listener = await readLbObject(ctx, actor, 'listener', input.listenerId);
      if (listener.defaultPoolId !== undefined)
        throw lbConflict('DuplicatePoolEntry', 'This listener already has a default pool');
      checkPoolProtocol(listener.protocol, pool.protocol);
      ops.push({
        kind: 'update',
        table: 'listener',
        object: touch(ctx, { ...listener, defaultPoolId: pool.id }),
      });
    }
    ops.push({ kind: 'create', table: 'pool', object: pool });
    return commitFor<Pool>(ctx, ops, pool.id);
  });
}

export async function updatePool(
  ctx: CoreContext,
  actor: Actor,
  id: string,
  patch: PoolPatch,
): Promise<Pool> {
  if (patch.lbAlgorithm !== undefined) checkAlgorithm(patch.lbAlgorithm);
  return withRetries(ctx, 'update pool', async () => {
    const current = await readLbObject(ctx, actor, 'pool', id);
    const adminStateUp = patch.adminStateUp ?? current.adminStateUp;
    const next: Pool = touch(ctx, {
      ...current,
      ...(patch.name === undefined ? {} : { name: patch.name }),
      ...(patch.description === undefined ? {} : { description: patch.description }),
      ...(patch.tags === undefined ? {} : { tags: [...patch.tags] }),
      ...(patch.lbAlgorithm === undefined ? {} : { lbAlgorithm: patch.lbAlgorithm }),
      ...(patch.sessionPersistence === undefined
        ? {}
        : { sessionPersistence: sessionPersistence(current.protocol, patch.sessionPersistence) }),
      adminStateUp,
      operatingStatus: operatingStatus(adminStateUp),
    });
    return commitFor<Pool>(ctx, [{ kind: 'update', table: 'pool', object: next }], id);
  });
}

/** The pool's members and monitor, as a delete must see them. */
export async function poolChildren(
  ctx: CoreContext,
  pool: Pool,
): Promise<{ members: Member[]; monitors: HealthMonitor[] }> {
  const byPool = { index: { name: 'pool', value: pool.id } };
  return {
    members: [...(await ctx.store.list('member', byPool)).items],
    monitors: [...(await ctx.store.list('health_monitor', byPool)).items],
  };
}

/** Deletes a pool with its members and monitor, giving back their claims. */
export function poolDeleteOps(
  pool: Pool,
  children: { members: readonly Member[]; monitors: readonly HealthMonitor[] },
): WriteOp[] {
  const ops: WriteOp[] = [];
  for (const m of children.members) {
    ops.push(
      { kind: 'delete', table: 'member', id: m.id, expectedVersion: m.version },
      {
        kind: 'release',
        namespace: memberNamespace(pool.id),
        key: memberKey(m.address, m.protocolPort),
        owner: m.id,
      },
    );
  }
  for (const hm of children.monitors) {
    ops.push(
      { kind: 'delete', table: 'health_monitor', id: hm.id, expectedVersion: hm.version },
      { kind: 'release', namespace: monitorNamespace(pool.id), key: MONITOR_KEY, owner: hm.id },
    );
  }
  ops.push({ kind: 'delete', table: 'pool', id: pool.id, expectedVersion: pool.version });
  return ops;
}

export async function deletePool(ctx: CoreContext, actor: Actor, id: string): Promise<void> {
  await withRetries(ctx, 'delete pool', async () => {
    const pool = await readLbObject(ctx, actor, 'pool', id);
    const ops = poolDeleteOps(pool, await poolChildren(ctx, pool));
    // Listeners that used it as their default pool lose it.
    const users = await ctx.store.list('listener', { index: { name: 'defaultPool', value: id } });
    for (const listener of users.items) {
      const { defaultPoolId: _dropped, ...rest } = listener;
      ops.push({ kind: 'update', table: 'listener', object: touch(ctx, rest) });
    }
    await ctx.store.commit(ops);
    ctx.stats.commits++;
  });
}
