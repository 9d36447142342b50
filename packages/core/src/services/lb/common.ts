// What the load-balancer services share: Octavia's errors (kind = Octavia's exception class, message
// = its wording, which the openstack CLI prints verbatim), the claim namespaces that keep the graph's
// unique values unique under concurrent writers, Octavia's protocol tables, statuses and reads.
import type { Listener, Member, ModelObject, Pool, Subnet, TableName, Tables } from '@weir/model';
import { WeirError } from '@weir/model';
import type { WriteOp } from '@weir/nbdb';
import type { Actor, CoreContext } from '../../context.js';
import { isVisible } from '../../objects.js';

// ---- claims (ADR 0006): one namespace per parent, released with the child ----

/** Listener ports of a load balancer: key `<L4 protocol>:<port>`, owner the listener. */
export const listenerPortNamespace = (loadBalancerId: string): string => `lb-listener:${loadBalancerId}`;
/** Member endpoints of a pool: key `<address>:<port>` (`[v6]:port`), owner the member. */
export const memberNamespace = (poolId: string): string => `lb-member:${poolId}`;
/** The pool's one health monitor: key `monitor`, owner the monitor. */
export const monitorNamespace = (poolId: string): string => `lb-monitor:${poolId}`;
export const MONITOR_KEY = 'monitor';

export function memberKey(address: string, protocolPort: number): string {
  return address.includes(':') ? `[${address}]:${protocolPort}` : `${address}:${protocolPort}`;
}

// ---- Octavia's errors ----

export type LbResource = 'Load Balancer' | 'Listener' | 'Pool' | 'Member' | 'Health Monitor';

/** Octavia's NotFound (404): "<Resource> <id> not found." */
export function lbNotFound(resource: LbResource | 'Subnet', id: string): WeirError {
  return new WeirError('WEIR_CORE_NOT_FOUND', `${resource} ${id} not found.`, [], 'NotFound');
}

/** Octavia's InvalidSubresource (400): a referenced network object that does not exist or is not visible. */
export function invalidSubresource(resource: 'Port' | 'Network' | 'Subnet', id: string): WeirError {
  return new WeirError('WEIR_CORE_BAD_REQUEST', `${resource} ${id} not found.`, [], 'InvalidSubresource');
}

/** Octavia's ValidationException (400). */
export function validationFailure(detail: string): WeirError {
  return new WeirError('WEIR_CORE_BAD_REQUEST', `Validation failure: ${detail}`, [], 'ValidationException');
}

/** Octavia's InvalidOption (400). */
export function invalidOption(value: string, option: string): WeirError {
  return new WeirError(
    'WEIR_CORE_BAD_REQUEST',
    `${value} is not a valid option for ${option}`,
    [{ field: option, reason: 'not a valid option' }],
    'InvalidOption',
  );
}

/** The API's type check (400), worded as wsme words it. */
export function invalidField(field: string, value: unknown, why: string): WeirError {
  return new WeirError(
    'WEIR_CORE_BAD_REQUEST',
    `Invalid input for field/attribute ${field}. Value: '${String(value)}'. ${why}`,
    [{ field, reason: why }],
    'InvalidInput',
  );
}

export function lbConflict(kind: string, message: string): WeirError {
  return new WeirError('WEIR_CORE_CONFLICT', message, [], kind);
}

export function checkInteger(field: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value)) throw invalidField(field, value, 'Value should be an integer');
  if (value < min) throw invalidField(field, value, `Value should be greater or equal to ${min}`);
  if (value > max) throw invalidField(field, value, `Value should be lower or equal to ${max}`);
  return value;
}

// ---- protocols (octavia/common/constants.py) ----

export type Protocol = Listener['protocol'];
export const LISTENER_PROTOCOLS: readonly Protocol[] = [
  'TCP',
  'UDP',
  'SCTP',
  'HTTP',
  'HTTPS',
  'TERMINATED_HTTPS',
];
/** Pools speak to members; TLS termination is a listener's job only. */
export const POOL_PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP', 'HTTP', 'HTTPS'];

/** L4_PROTOCOL_MAP: listeners whose L4 protocols are equal may not share a port. */
export function l4Protocol(p: Protocol): 'TCP' | 'UDP' | 'SCTP' {
  return p === 'UDP' || p === 'SCTP' ? p : 'TCP';
}

/** VALID_LISTENER_POOL_PROTOCOL_MAP (without PROXY, which Weir does not speak). */
const POOLS_FOR_LISTENER: Readonly<Record<Protocol, readonly Protocol[]>> = {
  TCP: ['HTTP', 'HTTPS', 'TCP'],
  HTTP: ['HTTP'],
  HTTPS: ['HTTPS', 'TCP'],
  TERMINATED_HTTPS: ['HTTP'],
  UDP: ['UDP'],
  SCTP: ['SCTP'],
};

export function checkPoolProtocol(listenerProtocol: Protocol, poolProtocol: Protocol): void {
  if (!POOLS_FOR_LISTENER[listenerProtocol].includes(poolProtocol)) {
    throw validationFailure(
      `The pool protocol '${poolProtocol}' is invalid while the listener protocol is '${listenerProtocol}'.`,
    );
  }
}

export function isDatagram(p: Protocol): boolean {
  return p === 'UDP' || p === 'SCTP';
}

// ---- statuses ----

/**
 * Weir realises load balancers in its own data plane as soon as they are committed (no amphora to
 * boot), so provisioning is ACTIVE at once; operating status follows the admin state.
 */
export function operatingStatus(adminStateUp: boolean): 'ONLINE' | 'OFFLINE' {
  return adminStateUp ? 'ONLINE' : 'OFFLINE';
}

/** A member nobody monitors is NO_MONITOR (Octavia); a monitored one starts ONLINE until the data plane says. */
export function memberStatus(adminStateUp: boolean, monitored: boolean): Member['operatingStatus'] {
  if (!adminStateUp) return 'OFFLINE';
  return monitored ? 'ONLINE' : 'NO_MONITOR';
}

// ---- reads ----

const TITLES = {
  load_balancer: 'Load Balancer',
  listener: 'Listener',
  pool: 'Pool',
  member: 'Member',
  health_monitor: 'Health Monitor',
} as const satisfies Partial<Record<TableName, LbResource>>;

type LbTable = keyof typeof TITLES;

/** Reads a load-balancer object of the actor's project (any, for admins), or Octavia's 404. */
export async function readLbObject<T extends LbTable>(
  ctx: CoreContext,
  actor: Actor,
  table: T,
  id: string,
): Promise<Tables[T]> {
  const o = await ctx.store.get(table, id);
  if (!o || !(actor.admin || o.topic === actor.projectId)) throw lbNotFound(TITLES[table], id);
  return o;
}

/**
 * A subnet the actor may use for a VIP or a member: its own, or one of a shared or external network
 * (objects.ts's isVisible knows network sharing, not subnets of shared networks).
 */
export async function subnetSeenBy(ctx: CoreContext, actor: Actor, id: string): Promise<Subnet | undefined> {
  const subnet = await ctx.store.get('subnet', id);
  if (!subnet) return undefined;
  if (isVisible(actor, subnet)) return subnet;
  const network = await ctx.store.get('logical_switch', subnet.networkId);
  return network && isVisible(actor, network, 'logical_switch') ? subnet : undefined;
}

/** The member, or 404 when it belongs to another pool (Octavia nests members under their pool). */
export function checkInPool(member: Member, poolId: string): Member {
  if (member.poolId !== poolId) throw lbNotFound('Member', member.id);
  return member;
}

/** Creation order: timestamps are to the second, so the store's growing unique keys break ties. */
export function byCreation<T extends ModelObject>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.uniqueKey - b.uniqueKey);
}

/** The pool without its `listenerId` (the listener it was created for let go of it). */
export function withoutListener(pool: Pool): Pool {
  const { listenerId: _dropped, ...rest } = pool;
  return rest;
}

/** Commits `ops` and returns the object `id` as written (with its new version). */
export async function commitFor<T extends ModelObject>(
  ctx: CoreContext,
  ops: readonly WriteOp[],
  id: string,
): Promise<T> {
  const result = await ctx.store.commit(ops);
  ctx.stats.commits++;
  const written = result.written.find((o) => o.id === id);
  if (!written) throw new Error(`commit did not return ${id}`); // a driver bug, not a race: never retried
  return written as T;
}
