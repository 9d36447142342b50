// Health monitors: at most one per pool (a claim in the pool's namespace, taken with the monitor,
// and the pool's CAS-updated healthMonitorId). Creating or deleting one flips the pool's members
// between NO_MONITOR and monitored in the same commit, so the status tree never disagrees with it.
//
// Octavia's API reference says a timeout "must be less than the delay value", but Octavia does not
// enforce it and its own cookbook creates `--delay 5 --timeout 10`; Weir accepts what Octavia
// accepts, so clients that work there work here.
import type { HealthMonitor, Member, Pool } from '@weir/model';
import type { WriteOp } from '@weir/nbdb';
import type { Actor, CoreContext } from '../../context.js';
import { baseFields, touch, type BaseInput } from '../../objects.js';
import { checkQuota } from '../../quota.js';
import { withRetries } from '../../retry.js';
import {
  MONITOR_KEY,
  checkInteger,
  commitFor,
  invalidField,
  invalidOption,
  isDatagram,
  lbConflict,
  memberStatus,
  monitorNamespace,
  operatingStatus,
  readLbObject,
  validationFailure,
} from './common.js';

type MonitorType = HealthMonitor['type'];
const TYPES: readonly MonitorType[] = ['PING', 'TCP', 'HTTP', 'HTTPS', 'UDP-CONNECT', 'TLS-HELLO', 'SCTP'];
const HTTP_METHODS = ['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'TRACE'];
/** Octavia's expected_codes pattern: a list of codes, or one range. */
const EXPECTED_CODES = /^(\d{3}(\s*,\s*\d{3})*)$|^(\d{3}-\d{3})$/;
/** Octavia's [api_settings] udp_connect_min_interval_health_monitor default. */
const UDP_CONNECT_MIN_DELAY = 3;
/** Large enough for any probe interval anyone means; keeps the numbers sane. */
const MAX_SECONDS = 2_147_483;

export interface HttpCheck {
  readonly httpMethod?: string;
  readonly urlPath?: string;
  readonly expectedCodes?: string;
}

export interface HealthMonitorInput extends BaseInput, HttpCheck {
  readonly poolId: string;
  readonly type: MonitorType;
  readonly delay: number;
  readonly timeout: number;
  readonly maxRetries: number;
  readonly maxRetriesDown?: number;
  readonly adminStateUp?: boolean;
}

export interface HealthMonitorPatch extends BaseInput, HttpCheck {
  readonly delay?: number;
  readonly timeout?: number;
  readonly maxRetries?: number;
  readonly maxRetriesDown?: number;
  readonly adminStateUp?: boolean;
}

const isHttp = (type: MonitorType): boolean => type === 'HTTP' || type === 'HTTPS';

/** The HTTP fields, checked (only HTTP(S) monitors may have them) and canonical. */
function httpCheck(type: MonitorType, input: HttpCheck): HttpCheck {
  if (!isHttp(type)) {
    const given = (
      [
        ['http_method', input.httpMethod],
        ['url_path', input.urlPath],
        ['expected_codes', input.expectedCodes],
      ] as const
    ).find(([, v]) => v !== undefined);
    if (given) throw invalidOption(given[0], `health monitors of type ${type}`);
    return {};
  }
  if (input.httpMethod !== undefined && !HTTP_METHODS.includes(input.httpMethod))
    throw invalidOption(input.httpMethod, 'http_method');
  if (input.urlPath !== undefined && !/^\/[\x21-\x7e]*$/.test(input.urlPath))
    throw invalidField('url_path', input.urlPath, 'Value should be a URL path starting with /');
  if (input.expectedCodes !== undefined && !EXPECTED_CODES.test(input.expectedCodes))
    throw invalidField(
      'expected_codes',
      input.expectedCodes,
      'Value should be HTTP codes: 200 or 200,202 or 200-204',
    );
  return {
    ...(input.httpMethod === undefined ? {} : { httpMethod: input.httpMethod }),
    ...(input.urlPath === undefined ? {} : { urlPath: input.urlPath }),
    ...(input.expectedCodes === undefined ? {} : { expectedCodes: input.expectedCodes.replace(/\s+/g, '') }),
  };
}

function checkTimers(t: {
  delay?: number;
  timeout?: number;
  maxRetries?: number;
  maxRetriesDown?: number;
}): void {
  if (t.delay !== undefined) checkInteger('delay', t.delay, 1, MAX_SECONDS);
  if (t.timeout !== undefined) checkInteger('timeout', t.timeout, 1, MAX_SECONDS);
  if (t.maxRetries !== undefined) checkInteger('max_retries', t.maxRetries, 1, 10);
  if (t.maxRetriesDown !== undefined) checkInteger('max_retries_down', t.maxRetriesDown, 1, 10);
}

/** Which monitors suit which pools (Octavia's health_monitor controller). */
function checkForPool(pool: Pool, type: MonitorType, delay: number): void {
  if (isDatagram(pool.protocol)) {
    if (!['UDP-CONNECT', 'SCTP', 'TCP', 'HTTP'].includes(type)) {
      throw validationFailure(
        `The associated pool protocol is ${pool.protocol}, so only a UDP-CONNECT/SCTP/TCP/HTTP health monitor is supported.`,
      );
    }
    if (type === 'UDP-CONNECT' && delay < UDP_CONNECT_MIN_DELAY) {
      throw validationFailure(
        `The request delay value ${delay} should be larger than ${UDP_CONNECT_MIN_DELAY} for UDP-CONNECT health monitor type.`,
      );
    }
  } else if (type === 'UDP-CONNECT' || type === 'SCTP') {
    throw validationFailure(`The ${type} type is only supported for pools of type UDP/SCTP.`);
  }
}

/** Member updates that make their operating status agree with whether the pool is monitored. */
function memberStatusOps(ctx: CoreContext, members: readonly Member[], monitored: boolean): WriteOp[] {
  const ops: WriteOp[] = [];
  for (const m of members) {
    const status = memberStatus(m.adminStateUp, monitored);
    if (status !== m.operatingStatus)
      ops.push({ kind: 'update', table: 'member', object: touch(ctx, { ...m, operatingStatus: status }) });
  }
  return ops;
}

async function membersOf(ctx: CoreContext, poolId: string): Promise<readonly Member[]> {
  return (await ctx.store.list('member', { index: { name: 'pool', value: poolId } })).items;
}

export async function createHealthMonitor(
  ctx: CoreContext,
  actor: Actor,
  input: HealthMonitorInput,
): Promise<HealthMonitor> {
  if (!TYPES.includes(input.type)) throw invalidOption(String(input.type), 'type');
  checkTimers(input);
  const http = httpCheck(input.type, input);
  const pool = await readLbObject(ctx, actor, 'pool', input.poolId);
  checkForPool(pool, input.type, input.delay);
  await checkQuota(ctx, pool.topic, 'healthmonitor', 'health_monitor');
  const base = await baseFields(ctx, 'health_monitor', pool.topic, input);
  return withRetries(ctx, 'create health monitor', async () => {
    const current = await readLbObject(ctx, actor, 'pool', input.poolId);
    if (current.healthMonitorId !== undefined)
      throw lbConflict('DuplicateHealthMonitor', 'This pool already has a health monitor');
    const adminStateUp = input.adminStateUp ?? true;
    const monitor: HealthMonitor = {
      ...base,
      poolId: current.id,
      type: input.type,
      delay: input.delay,
      timeout: input.timeout,
      maxRetries: input.maxRetries,
      maxRetriesDown: input.maxRetriesDown ?? 3,
      // Octavia's defaults for HTTP(S) checks.
      ...(isHttp(input.type) ? { httpMethod: 'GET', urlPath: '/', expectedCodes: '200' } : {}),
      ...http,
      adminStateUp,
      provisioningStatus: 'ACTIVE',
      operatingStatus: operatingStatus(adminStateUp),
    };
    return commitFor<HealthMonitor>(
      ctx,
      [
        { kind: 'claim', namespace: monitorNamespace(current.id), key: MONITOR_KEY, owner: monitor.id },
        { kind: 'create', table: 'health_monitor', object: monitor },
        {
          kind: 'update',
          table: 'pool',
          object: touch(ctx, { ...current, healthMonitorId: monitor.id }),
        },
        ...memberStatusOps(ctx, await membersOf(ctx, current.id), true),
      ],
      monitor.id,
    );
  });
}

export async function updateHealthMonitor(
  ctx: CoreContext,
  actor: Actor,
  id: string,
  patch: HealthMonitorPatch,
): Promise<HealthMonitor> {
  checkTimers(patch);
  return withRetries(ctx, 'update health monitor', async () => {
    const current = await readLbObject(ctx, actor, 'health_monitor', id);
    const http = httpCheck(current.type, patch);
    if (patch.delay !== undefined) {
      const pool = await ctx.store.get('pool', current.poolId);
      if (pool) checkForPool(pool, current.type, patch.delay);
    }
    const adminStateUp = patch.adminStateUp ?? current.adminStateUp;
    const next: HealthMonitor = touch(ctx, {
      ...current,
      ...(patch.name === undefined ? {} : { name: patch.name }),
      ...(patch.description === undefined ? {} : { description: patch.description }),
      ...(patch.tags === undefined ? {} : { tags: [...patch.tags] }),
      ...(patch.delay === undefined ? {} : { delay: patch.delay }),
      ...(patch.timeout === undefined ? {} : { timeout: patch.timeout }),
      ...(patch.maxRetries === undefined ? {} : { maxRetries: patch.maxRetries }),
      ...(patch.maxRetriesDown === undefined ? {} : { maxRetriesDown: patch.maxRetriesDown }),
      ...http,
      adminStateUp,
      operatingStatus: operatingStatus(adminStateUp),
    });
    return commitFor<HealthMonitor>(ctx, [{ kind: 'update', table: 'health_monitor', object: next }], id);
  });
}

export async function deleteHealthMonitor(ctx: CoreContext, actor: Actor, id: string): Promise<void> {
  await withRetries(ctx, 'delete health monitor', async () => {
    const monitor = await readLbObject(ctx, actor, 'health_monitor', id);
    const ops: WriteOp[] = [
      { kind: 'delete', table: 'health_monitor', id, expectedVersion: monitor.version },
      { kind: 'release', namespace: monitorNamespace(monitor.poolId), key: MONITOR_KEY, owner: id },
    ];
    const pool = await ctx.store.get('pool', monitor.poolId);
    if (pool?.healthMonitorId === id) {
      const { healthMonitorId: _dropped, ...rest } = pool;
      ops.push(
        { kind: 'update', table: 'pool', object: touch(ctx, rest) },
        ...memberStatusOps(ctx, await membersOf(ctx, pool.id), false),
      );
    }
    await ctx.store.commit(ops);
    ctx.stats.commits++;
  });
}
