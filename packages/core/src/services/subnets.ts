// Subnets with Neutron's validation: canonical CIDR, no overlap within the network, gateway and
// allocation pools inside the CIDR and not overlapping each other or the gateway, DNS servers and
// host routes well-formed. A subnet create bumps its network's version, so concurrent creates
// on one network are serialised (and overlap checks cannot race); port creates only check it.
// IPv6 auto-address subnets (SLAAC, DHCPv6-stateless) change the network's ports as they come
// and go (see subnet-auto-addresses.ts). A subnet may take its CIDR from a subnet pool
// (subnet-allocation.ts), in the same commit that creates it; its delete gives it back.
import type { AllocationPoolT, HostRouteT, Subnet, WeirError } from '@weir/model';
import type { WriteOp } from '@weir/nbdb';
import {
  formatIp,
  formatPrefix,
  lastOf,
  parseIp,
  parsePrefix,
  prefixContains,
  prefixesOverlap,
  rangesOverlap,
  type Ip,
  type Prefix,
  type Range,
} from '../addr.js';
import type { Actor, CoreContext } from '../context.js';
import { badRequest, conflict, forbidden, inUse, invalidInput } from '../errors.js';
import { isAutoAddressSubnet, isReservedAddress, subnetView } from '../ipam.js';
import { baseFields, readOwned, readVisible, touch, type BaseInput } from '../objects.js';
import { checkQuota } from '../quota.js';
import { checkRevision, type IfMatchOptions } from '../revision.js';
import { withRetries } from '../retry.js';
import { allocateFromPool, releaseFromPool, resolvePool, type PoolAllocation } from './subnet-allocation.js';
import { addAutoAddressOps, removeAutoAddressOps } from './subnet-auto-addresses.js';

export interface SubnetInput extends BaseInput {
  readonly networkId: string;
  readonly ipVersion?: 4 | 6;
  /** Absent: allocated from the subnet pool (subnetpoolId or the default one). */
  readonly cidr?: string;
  readonly subnetpoolId?: string;
  readonly useDefaultSubnetpool?: boolean;
  /** The prefix length to allocate from the pool (default: the pool's default_prefixlen). */
  readonly prefixlen?: number;
  /** undefined: the first address; null: no gateway. */
  readonly gatewayIp?: string | null;
  readonly allocationPools?: readonly AllocationPoolT[];
  readonly enableDhcp?: boolean;
  readonly dnsNameservers?: readonly string[];
  readonly hostRoutes?: readonly HostRouteT[];
  readonly ipv6RaMode?: Subnet['ipv6RaMode'];
  readonly ipv6AddressMode?: Subnet['ipv6AddressMode'];
  readonly projectId?: string;
}

export type SubnetPatch = Partial<
  Pick<
    SubnetInput,
    | 'name'
    | 'description'
    | 'tags'
    | 'gatewayIp'
    | 'allocationPools'
    | 'enableDhcp'
    | 'dnsNameservers'
    | 'hostRoutes'
  >
>;

function parseCidr(cidr: string, ipVersion: 4 | 6 | undefined): Prefix {
  const loose = parsePrefix(cidr, false);
  if (!loose) throw invalidInput(`'${cidr}' is not a valid IP subnet`, 'cidr');
  const canonical = formatPrefix(loose);
  if (canonical !== cidr)
    throw invalidInput(`'${cidr}' isn't a recommended CIDR, '${canonical}' is recommended`, 'cidr');
  if (ipVersion !== undefined && ipVersion !== loose.version) {
    throw badRequest(
      'InvalidInput',
      `Invalid input for operation: cidr '${cidr}' does not match the ip_version '${ipVersion}'.`,
    );
  }
  if (loose.version === 4 && loose.length > 30)
    throw invalidInput(`prefix length of ${cidr} is too long (at most /30)`, 'cidr');
  if (loose.version === 6 && loose.length > 126)
    throw invalidInput(`prefix length of ${cidr} is too long (at most /126)`, 'cidr');
  return loose;
}

function parseAddressIn(prefix: Prefix, text: string, what: string): Ip {
  const ip = parseIp(text);
  if (!ip || ip.version !== prefix.version)
    throw invalidInput(`'${text}' is not a valid IPv${prefix.version} address`, what);
  return ip;
}

function defaultGateway(prefix: Prefix): Ip {
  return { version: prefix.version, value: prefix.network + 1n };
}

function checkGateway(prefix: Prefix, gateway: Ip | undefined, cidr: string): void {
  if (!gateway) return;
  const view = { prefix } as Parameters<typeof isReservedAddress>[0];
  if (!prefixContains(prefix, gateway) || isReservedAddress(view, gateway)) {
    throw badRequest(
      'InvalidInput',
      `Invalid input for operation: Gateway IP ${formatIp(gateway)} conflicts with subnet ${cidr} (not a usable address of it).`,
    );
  }
}

/** Neutron's default pools: the whole subnet minus network, broadcast (IPv4) and gateway. */
export function defaultPools(prefix: Prefix, gateway: Ip | undefined): Range[] {
  const first = prefix.network + 1n;
  const last = prefix.version === 4 ? lastOf(prefix) - 1n : lastOf(prefix);
  if (last < first) return [];
  const v = prefix.version;
  if (!gateway || gateway.value < first || gateway.value > last) return [{ version: v, first, last }];
  const out: Range[] = [];
  if (gateway.value > first) out.push({ version: v, first, last: gateway.value - 1n });
  if (gateway.value < last) out.push({ version: v, first: gateway.value + 1n, last });
  return out;
}

function validatePools(
  prefix: Prefix,
  pools: readonly AllocationPoolT[],
  gateway: Ip | undefined,
  cidr: string,
): Range[] {
  const ranges = pools.map((p): Range => {
    const first = parseAddressIn(prefix, p.start, 'allocation_pools');
    const last = parseAddressIn(prefix, p.end, 'allocation_pools');
    if (first.value > last.value)
      throw badRequest(
        'InvalidAllocationPool',
        `The allocation pool ${p.start}-${p.end} spans beyond the subnet cidr ${cidr}.`,
      );
    const r = { version: prefix.version, first: first.value, last: last.value };
    const view = { prefix } as Parameters<typeof isReservedAddress>[0];
    if (
      !prefixContains(prefix, first) ||
      !prefixContains(prefix, last) ||
      isReservedAddress(view, first) ||
      isReservedAddress(view, last)
    ) {
      throw badRequest(
        'OutOfBoundsAllocationPool',
        `The allocation pool ${p.start}-${p.end} spans beyond the subnet cidr ${cidr}.`,
      );
    }
    return r;
  });
  for (let i = 0; i < ranges.length; i++) {
    for (let j = 0; j < i; j++) {
      if (rangesOverlap(ranges[i] as Range, ranges[j] as Range)) {
        throw badRequest(
          'OverlappingAllocationPools',
          `Found overlapping allocation pools: ${pools[i]?.start}-${pools[i]?.end} and ${pools[j]?.start}-${pools[j]?.end} for subnet ${cidr}.`,
        );
      }
    }
  }
  if (gateway) {
    for (const [i, r] of ranges.entries()) {
      if (gateway.value >= r.first && gateway.value <= r.last) {
        throw conflict(
          'GatewayConflictWithAllocationPools',
          `Gateway ip ${formatIp(gateway)} conflicts with allocation pool ${pools[i]?.start}-${pools[i]?.end}.`,
        );
      }
    }
  }
  return ranges;
}

function poolsToModel(ranges: readonly Range[]): AllocationPoolT[] {
  return ranges.map((r) => ({
    start: formatIp({ version: r.version, value: r.first }),
    end: formatIp({ version: r.version, value: r.last }),
  }));
}

function validateDns(servers: readonly string[]): string[] {
  const out: string[] = [];
  for (const s of servers) {
    const ip = parseIp(s);
    if (!ip) throw invalidInput(`'${s}' is not a valid nameserver`, 'dns_nameservers');
    const c = formatIp(ip);
    if (out.includes(c)) throw invalidInput(`Duplicate nameserver '${s}'`, 'dns_nameservers');
    out.push(c);
  }
  return out;
}

function validateRoutes(version: 4 | 6, routes: readonly HostRouteT[]): HostRouteT[] {
  const seen = new Set<string>();
  return routes.map((r) => {
    const dest = parsePrefix(r.destination, false);
    const hop = parseIp(r.nexthop);
    if (!dest || dest.version !== version)
      throw invalidInput(`'${r.destination}' is not a valid IPv${version} destination`, 'host_routes');
    if (!hop || hop.version !== version)
      throw invalidInput(`'${r.nexthop}' is not a valid IPv${version} nexthop`, 'host_routes');
    const route = { destination: formatPrefix(dest), nexthop: formatIp(hop) };
    const key = `${route.destination}|${route.nexthop}`;
    if (seen.has(key)) throw invalidInput(`Duplicate hostroute '${r.destination}'`, 'host_routes');
    seen.add(key);
    return route;
  });
}

/** Neutron's _validate_subnet on the IPv6 modes (in its order), for a new subnet. */
function validateIpv6Modes(input: SubnetInput, prefix: Prefix, cidr: string, enableDhcp: boolean): void {
  const ra = input.ipv6RaMode;
  const address = input.ipv6AddressMode;
  if (prefix.version === 4) {
    if (ra) throw invalidInput('ipv6_ra_mode is not valid when ip_version is 4', 'ipv6_ra_mode');
    if (address)
      throw invalidInput('ipv6_address_mode is not valid when ip_version is 4', 'ipv6_address_mode');
    return;
  }
  if (!ra && !address) return;
  if (!enableDhcp)
    throw invalidInput(
      'ipv6_ra_mode or ipv6_address_mode cannot be set when enable_dhcp is set to False',
      'enable_dhcp',
    );
  if (ra && address && ra !== address) {
    throw invalidInput(
      `ipv6_ra_mode set to '${ra}' with ipv6_address_mode set to '${address}' is not valid. If both attributes are set, they must be the same value`,
      'ipv6_ra_mode',
    );
  }
  // Hosts build their address from a 64-bit interface id (EUI-64), so the prefix is a /64.
  const modes = { ...(ra ? { ipv6RaMode: ra } : {}), ...(address ? { ipv6AddressMode: address } : {}) };
  if (isAutoAddressSubnet(modes) && prefix.length !== 64) {
    throw invalidInput(
      `Invalid CIDR ${cidr} for IPv6 address mode. OpenStack uses the EUI-64 address format, which requires the prefix to be /64`,
      'cidr',
    );
  }
}

/** The checks Neutron makes on a create before any allocation (_create_subnet_precommit). */
function checkPoolRequest(input: SubnetInput): void {
  const bad = (msg: string): WeirError => badRequest('BadRequest', `Bad subnets request: ${msg}.`);
  if (input.cidr !== undefined && input.prefixlen !== undefined)
    throw bad('cidr and prefixlen must not be supplied together');
  if (input.useDefaultSubnetpool === true && input.subnetpoolId !== undefined)
    throw bad('subnetpool_id and use_default_subnetpool cannot both be specified');
  const fromPool = input.subnetpoolId !== undefined || input.useDefaultSubnetpool === true;
  if (!fromPool && input.cidr === undefined)
    throw bad('a subnetpool must be specified in the absence of a cidr');
  if (fromPool && input.cidr === undefined && input.allocationPools !== undefined)
    throw bad('allocation_pools allowed only for specific subnet requests');
}

interface Layout {
  readonly prefix: Prefix;
  readonly cidr: string;
  readonly gateway: Ip | undefined;
  readonly pools: Range[];
}

/** The subnet's addresses once its prefix is known: gateway, allocation pools, IPv6 modes. */
function layoutOf(input: SubnetInput, prefix: Prefix): Layout {
  const cidr = formatPrefix(prefix);
  const gateway =
    input.gatewayIp === null
      ? undefined
      : input.gatewayIp === undefined
        ? defaultGateway(prefix)
        : parseAddressIn(prefix, input.gatewayIp, 'gateway_ip');
  checkGateway(prefix, gateway, cidr);
  const pools =
    input.allocationPools === undefined
      ? defaultPools(prefix, gateway)
      : validatePools(prefix, input.allocationPools, gateway, cidr);
  validateIpv6Modes(input, prefix, cidr, input.enableDhcp ?? true);
  return { prefix, cidr, gateway, pools };
}

/** Neutron's _validate_network_subnetpools (no address scopes): one pool per IP version. */
function checkPoolAffinity(siblings: readonly Subnet[], version: 4 | 6, poolId: string | undefined): void {
  for (const s of siblings) {
    if (s.ipVersion === version && s.subnetpoolId !== poolId) {
      throw badRequest(
        'NetworkSubnetPoolAffinityError',
        'Subnets hosted on the same network must be allocated from the same subnet pool.',
      );
    }
  }
}

/** The prefix a pool gave, held to the limits of any subnet's CIDR (at most /30 or /126). */
function allocatedPrefix(allocation: PoolAllocation | undefined, input: SubnetInput): Prefix {
  // checkPoolRequest made sure that a request without a cidr names a pool.
  if (!allocation) throw new Error('a subnet without a cidr needs a subnet pool');
  return parseCidr(formatPrefix(allocation.prefix), input.ipVersion);
}

export async function createSubnet(ctx: CoreContext, actor: Actor, input: SubnetInput): Promise<Subnet> {
  checkPoolRequest(input);
  // A given cidr is checked before anything is read, as Neutron does.
  const given = input.cidr === undefined ? undefined : parseCidr(input.cidr, input.ipVersion);
  const fixed = given && layoutOf(input, given);
  const dns = validateDns(input.dnsNameservers ?? []);
  const givenRoutes = given && validateRoutes(given.version, input.hostRoutes ?? []);
  return withRetries(ctx, 'create subnet', async () => {
    const pool = await resolvePool(ctx, actor, input);
    const network = await readVisible(ctx, actor, 'logical_switch', 'network', input.networkId);
    if (!actor.admin && network.topic !== actor.projectId) {
      throw forbidden('(rule:create_subnet) is disallowed by policy: network is owned by another project');
    }
    const topic = input.projectId ?? network.topic;
    await checkQuota(ctx, topic, 'subnet', 'subnet');
    const allocation =
      pool &&
      (await allocateFromPool(ctx, pool, {
        ...(given ? { cidr: given } : {}),
        ...(input.gatewayIp === undefined ? {} : { gatewayIp: input.gatewayIp }),
        ...(input.prefixlen === undefined ? {} : { prefixlen: input.prefixlen }),
        projectId: topic,
      }));
    const { prefix, cidr, gateway, pools } = fixed ?? layoutOf(input, allocatedPrefix(allocation, input));
    const routes = givenRoutes ?? validateRoutes(prefix.version, input.hostRoutes ?? []);
    const siblings = await ctx.store.list('subnet', { index: { name: 'network', value: network.id } });
    for (const s of siblings.items) {
      const other = parsePrefix(s.cidr);
      if (other && prefixesOverlap(prefix, other)) {
        throw badRequest(
          'InvalidInput',
          `Invalid input for operation: Requested subnet with cidr: ${cidr} for network: ${network.id} overlaps with another subnet.`,
        );
      }
    }
    checkPoolAffinity(siblings.items, prefix.version, pool?.id);
    const base = await baseFields(ctx, 'subnet', topic, input);
    const subnet: Subnet = {
      ...base,
      networkId: network.id,
      ipVersion: prefix.version,
      cidr,
      gatewayIp: gateway ? formatIp(gateway) : null,
      allocationPools: poolsToModel(pools),
      enableDhcp: input.enableDhcp ?? true,
      dnsNameservers: dns,
      hostRoutes: routes,
      ...(input.ipv6RaMode ? { ipv6RaMode: input.ipv6RaMode } : {}),
      ...(input.ipv6AddressMode ? { ipv6AddressMode: input.ipv6AddressMode } : {}),
      ...(pool ? { subnetpoolId: pool.id } : {}),
    };
    const ops: WriteOp[] = [
      // Touch the network: a concurrent subnet create on it (overlap race) or a network delete
      // (which would miss this subnet) then fails its compare-and-swap.
      { kind: 'update', table: 'logical_switch', object: touch(ctx, network) },
      { kind: 'create', table: 'subnet', object: subnet },
      ...(allocation ? allocation.ops(subnet.id) : []),
    ];
    if (isAutoAddressSubnet(subnet)) ops.push(...(await addAutoAddressOps(ctx, subnet)));
    const result = await ctx.store.commit(ops);
    ctx.stats.commits++;
    return result.written[1] as Subnet;
  });
}

export async function updateSubnet(
  ctx: CoreContext,
  actor: Actor,
  id: string,
  patch: SubnetPatch,
  options: IfMatchOptions = {},
): Promise<Subnet> {
  return withRetries(ctx, 'update subnet', async () => {
    const current = await readOwned(ctx, actor, 'subnet', 'subnet', id);
    checkRevision(current, options.ifMatchVersion);
    const prefix = parseCidr(current.cidr, current.ipVersion);
    if (patch.enableDhcp === false && (current.ipv6RaMode || current.ipv6AddressMode))
      throw invalidInput('Cannot disable enable_dhcp with ipv6 attributes set', 'enable_dhcp');
    const gateway =
      patch.gatewayIp === undefined
        ? current.gatewayIp === null
          ? undefined
          : parseIp(current.gatewayIp)
        : patch.gatewayIp === null
          ? undefined
          : parseAddressIn(prefix, patch.gatewayIp, 'gateway_ip');
    checkGateway(prefix, gateway, current.cidr);
    if (patch.gatewayIp !== undefined && gateway) {
      // A new gateway address may not be held by a port (Neutron's GatewayIpInUse).
      const claims = await ctx.store.listClaims(`ip:${id}`);
      if (claims.some((c) => c.key === formatIp(gateway))) {
        throw conflict(
          'GatewayIpInUse',
          `Gateway ip ${formatIp(gateway)} conflicts with allocation pool or is in use.`,
        );
      }
    }
    const pools =
      patch.allocationPools === undefined
        ? validatePools(prefix, current.allocationPools, gateway, current.cidr)
        : validatePools(prefix, patch.allocationPools, gateway, current.cidr);
    const next: Subnet = touch(ctx, {
      ...current,
      ...(patch.name === undefined ? {} : { name: patch.name }),
      ...(patch.description === undefined ? {} : { description: patch.description }),
      ...(patch.tags === undefined ? {} : { tags: [...patch.tags] }),
      gatewayIp: gateway ? formatIp(gateway) : null,
      allocationPools: poolsToModel(pools),
      ...(patch.enableDhcp === undefined ? {} : { enableDhcp: patch.enableDhcp }),
      ...(patch.dnsNameservers === undefined ? {} : { dnsNameservers: validateDns(patch.dnsNameservers) }),
      ...(patch.hostRoutes === undefined
        ? {}
        : { hostRoutes: validateRoutes(current.ipVersion, patch.hostRoutes) }),
    });
    subnetView(next); // sanity: the stored form must parse back
    const result = await ctx.store.commit([{ kind: 'update', table: 'subnet', object: next }]);
    ctx.stats.commits++;
    return result.written[0] as Subnet;
  });
}

export async function deleteSubnet(
  ctx: CoreContext,
  actor: Actor,
  id: string,
  options: IfMatchOptions = {},
): Promise<void> {
  await withRetries(ctx, 'delete subnet', async () => {
    const subnet = await readOwned(ctx, actor, 'subnet', 'subnet', id);
    checkRevision(subnet, options.ifMatchVersion);
    if (isAutoAddressSubnet(subnet)) {
      // Its addresses are implicit: they leave the ports with it (router interfaces excepted).
      await ctx.store.commit([
        ...(await removeAutoAddressOps(ctx, subnet)),
        { kind: 'delete', table: 'subnet', id, expectedVersion: subnet.version },
        ...releaseFromPool(subnet),
      ]);
      ctx.stats.commits++;
      return;
    }
    if ((await ctx.store.count('logical_port', { index: { name: 'subnet', value: id } })) > 0) {
      throw inUse(
        'SubnetInUse',
        `Unable to complete operation on subnet ${id}: One or more ports have an IP allocation from this subnet.`,
      );
    }
    await ctx.store.commit([
      { kind: 'checkEmpty', table: 'logical_port', index: { name: 'subnet', value: id } },
      { kind: 'delete', table: 'subnet', id, expectedVersion: subnet.version },
      ...releaseFromPool(subnet),
    ]);
    ctx.stats.commits++;
  });
}
