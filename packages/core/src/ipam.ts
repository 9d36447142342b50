// IPAM with Neutron's semantics, correct under concurrency without locks.
//
// Every allocated address is a claim in namespace "ip:<subnetId>" owned by the port (ADR 0006).
// A port create claims its addresses in the same commit that creates the port, so two writers can
// never hold the same address: the loser's commit fails with WEIR_STORE_CLAIMED and it retries
// with another address. Deleting a port releases its claims in the same commit, so no address is
// ever lost. Choosing a candidate:
// - small pools (≤ 4,096 addresses): list the subnet's claims and pick a random free address
//   (random, not lowest, so concurrent writers rarely pick the same one); none free →
//   IpAddressGenerationFailure;
// - large pools: probe random addresses without listing (listing 10,000 claims per create would
//   be O(N) per change); after a few lost probes, fall back to listing to detect exhaustion.
// IPv6 auto-address subnets (SLAAC, DHCPv6-stateless) are not drawn from: every port but a
// router's gets the EUI-64 address of its MAC there (Neutron's implicit address), claimed the
// same way. It lies outside the pools by nature; MACs are unique per network, so it cannot
// collide with another port's, only with an address given explicitly to a router interface.
import type { LogicalSwitch, Subnet } from '@weir/model';
import { WeirError } from '@weir/model';
import type { WriteOp } from '@weir/nbdb';
import {
  eui64Address,
  formatIp,
  lastOf,
  parseIp,
  parsePrefix,
  prefixContains,
  rangeSize,
  type Ip,
  type Prefix,
  type Range,
} from './addr.js';
import type { CoreContext } from './context.js';
import { badRequest, conflict, invalidInput } from './errors.js';

export const ipNamespace = (subnetId: string): string => `ip:${subnetId}`;
export const macNamespace = (networkId: string): string => `mac:${networkId}`;

const LIST_THRESHOLD = 4096n;
const PROBES_BEFORE_LISTING = 8;
/** From this many addresses of one subnet in one request on, the claims are listed once. */
const BULK_PICKS = 8;
/**
 * The subnet's claims as listed during one attempt, keyed by that attempt's set of addresses
 * already chosen in the subnet (a new attempt has a new set, so a retry lists afresh).
 */
const listedClaims = new WeakMap<ReadonlySet<string>, Set<string>>();

export interface SubnetView {
  readonly subnet: Subnet;
  readonly prefix: Prefix;
  readonly pools: readonly Range[];
  readonly gateway: Ip | undefined;
}

export function subnetView(subnet: Subnet): SubnetView {
  const prefix = parsePrefix(subnet.cidr);
  if (!prefix)
    throw new WeirError('WEIR_MODEL_INVALID', `subnet ${subnet.id} has an invalid cidr ${subnet.cidr}`);
  const pools = subnet.allocationPools.map((p): Range => {
    const first = parseIp(p.start);
    const last = parseIp(p.end);
    if (!first || !last) throw new WeirError('WEIR_MODEL_INVALID', `subnet ${subnet.id} has an invalid pool`);
    return { version: prefix.version, first: first.value, last: last.value };
  });
  const gw = subnet.gatewayIp === null ? undefined : parseIp(subnet.gatewayIp);
  return { subnet, prefix, pools, gateway: gw };
}

/** Addresses a port may not hold: the IPv4 network and broadcast addresses. */
export function isReservedAddress(view: SubnetView, ip: Ip): boolean {
  if (view.prefix.version !== 4 || view.prefix.length >= 31) return false;
  return ip.value === view.prefix.network || ip.value === lastOf(view.prefix);
}

export interface FixedIpRequest {
  readonly subnetId?: string;
  readonly ipAddress?: string;
}

export interface PlannedIp {
  readonly subnetId: string;
  readonly ipAddress: string;
  /** True when the caller asked for this exact address (a lost claim is then their 409, not a race). */
  readonly explicit: boolean;
}

/** What of a port decides its automatic addresses. */
export interface PortAddressing {
  readonly macAddress: string;
  /** The caller chose the MAC, so its EUI-64 addresses too (a lost claim is their 409). */
  readonly macExplicit: boolean;
  readonly deviceOwner: string;
}

/** Neutron's ROUTER_INTERFACE_OWNERS: they may hold any address of an auto-address subnet. */
export const ROUTER_INTERFACE_OWNERS: ReadonlySet<string> = new Set([
  'network:router_interface',
  'network:router_interface_distributed',
  'network:ha_router_replicated_interface',
]);

/** ROUTER_INTERFACE_OWNERS_SNAT: ports that get no automatic address (routers advertise them). */
export const ROUTER_INTERFACE_OWNERS_SNAT: ReadonlySet<string> = new Set([
  ...ROUTER_INTERFACE_OWNERS,
  'network:router_centralized_snat',
]);

const AUTO_MODES: ReadonlySet<string> = new Set(['slaac', 'dhcpv6-stateless']);

/** Neutron's is_auto_address_subnet: hosts configure their own addresses (SLAAC, DHCPv6-stateless). */
export function isAutoAddressSubnet(subnet: Pick<Subnet, 'ipv6RaMode' | 'ipv6AddressMode'>): boolean {
  return (
    (subnet.ipv6AddressMode !== undefined && AUTO_MODES.has(subnet.ipv6AddressMode)) ||
    (subnet.ipv6RaMode !== undefined && AUTO_MODES.has(subnet.ipv6RaMode))
  );
}

/** The address a MAC autoconfigures on an auto-address subnet. */
export function autoAddressOf(subnet: Subnet, mac: string): string {
  return formatIp(eui64Address(subnetView(subnet).prefix, mac));
}

/**
 * The port's implicit addresses: its EUI-64 address on every auto-address subnet of the network
 * but those in `settled` (where it already has one); none for router interfaces.
 */
export function autoAddresses(
  subnets: readonly Subnet[],
  port: PortAddressing,
  settled: ReadonlySet<string> = new Set(),
  taken: Map<string, Set<string>> = new Map(),
): PlannedIp[] {
  if (ROUTER_INTERFACE_OWNERS_SNAT.has(port.deviceOwner)) return [];
  const out: PlannedIp[] = [];
  for (const s of subnets) {
    if (!isAutoAddressSubnet(s) || settled.has(s.id)) continue;
    const ipAddress = autoAddressOf(s, port.macAddress);
    takenSet(taken, s.id).add(ipAddress);
    out.push({ subnetId: s.id, ipAddress, explicit: port.macExplicit });
  }
  return out;
}

function takenSet(taken: Map<string, Set<string>>, id: string): Set<string> {
  let s = taken.get(id);
  if (!s) taken.set(id, (s = new Set()));
  return s;
}

function poolSize(view: SubnetView): bigint {
  let n = 0n;
  for (const r of view.pools) n += rangeSize(r);
  return n;
}

/** The i-th address across the pools (0 ≤ i < poolSize). */
function poolAddress(view: SubnetView, i: bigint): bigint {
  let rest = i;
  for (const r of view.pools) {
    const size = rangeSize(r);
    if (rest < size) return r.first + rest;
    rest -= size;
  }
  throw new Error('pool index out of range');
}

function randomBigInt(ctx: CoreContext, n: bigint): bigint {
  if (n <= 0x7fffffffn) return BigInt(ctx.random(Number(n)));
  const bytes = ctx.randomBytes(16);
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v % n;
}

export function exhausted(network: LogicalSwitch | string): WeirError {
  const id = typeof network === 'string' ? network : network.id;
  return new WeirError(
    'WEIR_CORE_IP_EXHAUSTED',
    `No more IP addresses available on network ${id}.`,
    [],
    'IpAddressGenerationFailure',
  );
}

/**
 * Picks a free address of the subnet for a new port. `taken` holds addresses this same request
 * already chose (several fixed IPs on one subnet). `round` grows with lost races.
 */
export async function pickAddress(
  ctx: CoreContext,
  view: SubnetView,
  taken: ReadonlySet<string>,
  round: number,
): Promise<string | undefined> {
  const size = poolSize(view);
  if (size === 0n) return undefined;
  let listed = listedClaims.get(taken);
  // A request that picks many addresses in one subnet (a bulk create) would almost surely lose
  // a random draw somewhere and retry the whole commit; it lists the claims once instead.
  if (!listed && size > LIST_THRESHOLD && round < PROBES_BEFORE_LISTING && taken.size < BULK_PICKS) {
    for (let i = 0; i < 16; i++) {
      const candidate = formatIp({
        version: view.prefix.version,
        value: poolAddress(view, randomBigInt(ctx, size)),
      });
      if (!taken.has(candidate)) return candidate;
    }
  }
  if (!listed) {
    listed = new Set((await ctx.store.listClaims(ipNamespace(view.subnet.id))).map((c) => c.key));
    listedClaims.set(taken, listed);
  }
  const used = listed;
  for (const t of taken) used.add(t);
  // Scan from a random offset so concurrent writers spread over the pool.
  const start = randomBigInt(ctx, size);
  const limit = size < 1_000_000n ? size : 1_000_000n;
  for (let i = 0n; i < limit; i++) {
    const value = poolAddress(view, (start + i) % size);
    const candidate = formatIp({ version: view.prefix.version, value });
    if (!used.has(candidate)) return candidate;
  }
  return undefined;
}

/** Validates an explicitly requested address against its subnet; returns its canonical text. */
export function validateRequestedAddress(view: SubnetView, text: string): string {
  const ip = parseIp(text);
  if (!ip) throw invalidInput(`'${text}' is not a valid IP address`, 'fixed_ips');
  if (!prefixContains(view.prefix, ip) || isReservedAddress(view, ip)) {
    throw badRequest('InvalidIpForSubnet', `IP address ${text} is not a valid IP for the specified subnet.`);
  }
  return formatIp(ip);
}

/**
 * A port's addresses at creation. With no requests: one address from the first IPv4 subnet that
 * has room and one from the first stateful IPv6 subnet that has room (Neutron's default); with
 * requests, those. Either way plus the implicit EUI-64 address on every auto-address subnet.
 */
export async function planFixedIps(
  ctx: CoreContext,
  network: LogicalSwitch,
  subnets: readonly Subnet[],
  requests: readonly FixedIpRequest[] | undefined,
  port: PortAddressing,
  round: number,
  /** Addresses already chosen by other ports of the same (bulk) request, per subnet. */
  taken: Map<string, Set<string>> = new Map(),
): Promise<PlannedIp[]> {
  const chosen =
    requests === undefined
      ? await planDefaultIps(ctx, network, subnets, round, taken)
      : await planRequestedIps(ctx, network, subnets, requests, port.deviceOwner, round, taken);
  return [...chosen, ...autoAddresses(subnets, port, new Set(), taken)];
}

async function planDefaultIps(
  ctx: CoreContext,
  network: LogicalSwitch,
  subnets: readonly Subnet[],
  round: number,
  taken: Map<string, Set<string>>,
): Promise<PlannedIp[]> {
  const out: PlannedIp[] = [];
  const v4 = subnets.filter((s) => s.ipVersion === 4);
  const v6Stateful = subnets.filter((s) => s.ipVersion === 6 && !isAutoAddressSubnet(s));
  for (const candidates of [v4, v6Stateful]) {
    if (candidates.length === 0) continue;
    let chosen: PlannedIp | undefined;
    for (const s of candidates) {
      const address = await pickAddress(ctx, subnetView(s), takenSet(taken, s.id), round);
      if (address !== undefined) {
        chosen = { subnetId: s.id, ipAddress: address, explicit: false };
        break;
      }
    }
    if (!chosen) throw exhausted(network);
    takenSet(taken, chosen.subnetId).add(chosen.ipAddress);
    out.push(chosen);
  }
  return out;
}

/**
 * Resolves fixed-IP requests into concrete addresses. A subnet-only request for an auto-address
 * subnet is left to the implicit address (router interfaces excepted); an explicit address there
 * is refused but for router interfaces (Neutron's AllocationOnAutoAddressSubnet).
 */
export async function planRequestedIps(
  ctx: CoreContext,
  network: LogicalSwitch,
  subnets: readonly Subnet[],
  requests: readonly FixedIpRequest[],
  deviceOwner: string,
  round: number,
  taken: Map<string, Set<string>> = new Map(),
): Promise<PlannedIp[]> {
  const views = new Map(subnets.map((s) => [s.id, subnetView(s)]));
  const out: PlannedIp[] = [];
  for (const r of requests) {
    let view: SubnetView | undefined;
    if (r.subnetId !== undefined) {
      view = views.get(r.subnetId);
      if (!view)
        throw badRequest(
          'InvalidInput',
          `Invalid input for operation: Failed to create port on network ${network.id}, because fixed_ips included invalid subnet ${r.subnetId}.`,
        );
    } else if (r.ipAddress !== undefined) {
      const ip = parseIp(r.ipAddress);
      if (!ip) throw invalidInput(`'${r.ipAddress}' is not a valid IP address`, 'fixed_ips');
      view = [...views.values()].find((v) => prefixContains(v.prefix, ip));
      if (!view)
        throw badRequest(
          'InvalidIpForNetwork',
          `IP address ${r.ipAddress} is not a valid IP for any of the subnets on the specified network.`,
        );
    } else {
      throw invalidInput('fixed_ips entries need subnet_id or ip_address', 'fixed_ips');
    }
    const s = view.subnet;
    const auto = isAutoAddressSubnet(s);
    if (r.ipAddress !== undefined) {
      const address = validateRequestedAddress(view, r.ipAddress);
      if (auto && !ROUTER_INTERFACE_OWNERS.has(deviceOwner))
        throw badRequest(
          'AllocationOnAutoAddressSubnet',
          `IPv6 address ${r.ipAddress} cannot be directly assigned to a port on subnet ${s.id} as the subnet is configured for automatic addresses`,
        );
      if (takenSet(taken, s.id).has(address))
        throw conflict(
          'IpAddressAlreadyAllocated',
          `IP address ${address} already allocated in subnet ${s.id}`,
        );
      takenSet(taken, s.id).add(address);
      out.push({ subnetId: s.id, ipAddress: address, explicit: true });
    } else if (!auto || ROUTER_INTERFACE_OWNERS_SNAT.has(deviceOwner)) {
      const address = await pickAddress(ctx, view, takenSet(taken, s.id), round);
      if (address === undefined) throw exhausted(network);
      takenSet(taken, s.id).add(address);
      out.push({ subnetId: s.id, ipAddress: address, explicit: false });
    }
  }
  return out;
}

export function claimOps(owner: string, ips: readonly PlannedIp[]): WriteOp[] {
  return ips.map((ip): WriteOp => ({
    kind: 'claim',
    namespace: ipNamespace(ip.subnetId),
    key: ip.ipAddress,
    owner,
  }));
}

export function releaseOps(
  owner: string,
  ips: readonly { subnetId: string; ipAddress: string }[],
): WriteOp[] {
  return ips.map((ip): WriteOp => ({
    kind: 'release',
    namespace: ipNamespace(ip.subnetId),
    key: ip.ipAddress,
    owner,
  }));
}
