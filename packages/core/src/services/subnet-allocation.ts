// A subnet's CIDR from a subnet pool, as Neutron's SubnetRequestFactory and SubnetAllocator do
// (ipam/requests.py, ipam/subnet_alloc.py): with no cidr and no gateway, any free prefix of
// `prefixlen` (the pool's default_prefixlen when absent), the smallest free block first; with a
// cidr (or a gateway, which with the prefix length names one), exactly that prefix, which must be
// free in the pool. The length must lie within the pool's min and max; the pool's default_quota
// bounds what one project holds.
//
// Concurrency: the allocation is made in the subnet's own create commit, with
// - a claim of the CIDR in the pool's namespace (owner: the subnet), the allocation record that
//   subnet deletes release; two writers that picked the same prefix (the choice is deterministic,
//   so that is the usual race) collide on it and the loser retries;
// - checkNoneJoined on the pool's subnets as listed: prefixes of different lengths can overlap
//   without being equal (10.0.0.0/24 and 10.0.0.0/25), which no claim on an exact key sees, so a
//   subnet allocated from the pool after the list makes the commit fail and the retry re-reads;
// - a version check of the pool, so prefixes removed meanwhile are never allocated from.
import type { SubnetPool } from '@weir/model';
import { WeirError } from '@weir/model';
import type { WriteOp } from '@weir/nbdb';
import { bitsOf, formatPrefix, parseIp, type IpVersion, type Prefix } from '../addr.js';
import type { Actor, CoreContext } from '../context.js';
import { badRequest, invalidInput } from '../errors.js';
import { isVisible, readVisible } from '../objects.js';
import { difference, firstFit, isSubset, setOf } from '../prefix-set.js';
import { parsePrefixes } from './subnet-pool-spec.js';

/** The claims of a pool's allocated CIDRs: key = CIDR, owner = subnet id. */
export const subnetPoolNamespace = (poolId: string): string => `subnetpool:${poolId}`;

export interface PoolRequest {
  readonly subnetpoolId?: string;
  readonly useDefaultSubnetpool?: boolean;
  readonly ipVersion?: IpVersion;
}

export interface PrefixRequest {
  /** A specific prefix (the request's cidr). */
  readonly cidr?: Prefix;
  /** With no cidr, a gateway address names the prefix of `prefixlen` around it. */
  readonly gatewayIp?: string | null;
  readonly prefixlen?: number;
  /** The subnet's project, whose allocations the pool's quota counts. */
  readonly projectId: string;
}

export interface PoolAllocation {
  readonly pool: SubnetPool;
  readonly prefix: Prefix;
  /** The claim and conditions that make the allocation safe, for the subnet's create commit. */
  ops(subnetId: string): WriteOp[];
}

const subnetsRequest = (msg: string): WeirError => badRequest('BadRequest', `Bad subnets request: ${msg}.`);

/** The pool a subnet create names (or the default one of its IP version), undefined: none. */
export async function resolvePool(
  ctx: CoreContext,
  actor: Actor,
  req: PoolRequest,
): Promise<SubnetPool | undefined> {
  let pool: SubnetPool | undefined;
  if (req.useDefaultSubnetpool === true) {
    const version = req.ipVersion;
    if (version === undefined)
      throw subnetsRequest('ip_version must be specified in the absence of cidr and subnetpool_id');
    const defaults = await ctx.store.list('subnet_pool', {
      index: { name: 'isDefault', value: String(version) },
    });
    // Neutron reads the default through the caller's view: a default pool is usually shared.
    pool = defaults.items.find((p) => isVisible(actor, p, 'subnet_pool'));
    if (!pool) throw subnetsRequest(`No default subnetpool found for IPv${version}`);
  } else if (req.subnetpoolId !== undefined) {
    pool = await readVisible(ctx, actor, 'subnet_pool', 'subnetpool', req.subnetpoolId);
  }
  if (pool && req.ipVersion !== undefined && req.ipVersion !== pool.ipVersion) {
    throw subnetsRequest(`Cannot allocate IPv${req.ipVersion} subnet from IPv${pool.ipVersion} subnet pool`);
  }
  return pool;
}

function allocationError(reason: string): WeirError {
  return new WeirError(
    'WEIR_CORE_PREFIX_EXHAUSTED',
    `Failed to allocate subnet: ${reason}.`,
    [],
    'SubnetAllocationError',
  );
}

/** The prefix a gateway address names with a prefix length (Neutron: IPNetwork(gw/len).cidr). */
function prefixAround(gateway: string, length: number, version: IpVersion): Prefix {
  const ip = parseIp(gateway);
  if (!ip || ip.version !== version)
    throw invalidInput(`'${gateway}' is not a valid IPv${version} address`, 'gateway_ip');
  const hostBits = BigInt(bitsOf(version) - length);
  return { version, network: (ip.value >> hostBits) << hostBits, length };
}

/** Quota units of a prefix: /32s for IPv4, /64s for IPv6 (fractions for longer IPv6 ones). */
function quotaUnits(version: IpVersion, length: number): number {
  return 2 ** ((version === 4 ? 32 : 64) - length);
}

export async function allocateFromPool(
  ctx: CoreContext,
  pool: SubnetPool,
  req: PrefixRequest,
): Promise<PoolAllocation> {
  const version = pool.ipVersion;
  const length = req.cidr?.length ?? req.prefixlen ?? pool.defaultPrefixlen;
  if (length > pool.maxPrefixlen) {
    throw badRequest(
      'MaxPrefixSubnetAllocationError',
      `Unable to allocate subnet with prefix length ${length}, maximum allowed prefix is ${pool.maxPrefixlen}.`,
    );
  }
  if (length < pool.minPrefixlen) {
    throw badRequest(
      'MinPrefixSubnetAllocationError',
      `Unable to allocate subnet with prefix length ${length}, minimum allowed prefix is ${pool.minPrefixlen}.`,
    );
  }
  const allocated = await ctx.store.list('subnet', { index: { name: 'subnetPool', value: pool.id } });
  // Neutron's `if quota:` — a quota of 0 means none.
  if (pool.defaultQuota) {
    let used = 0;
    for (const s of allocated.items) {
      if (s.topic === req.projectId) used += quotaUnits(version, Number(s.cidr.split('/')[1]));
    }
    if (used + quotaUnits(version, length) > pool.defaultQuota) {
      throw new WeirError(
        'WEIR_CORE_QUOTA',
        'Per-project subnet pool prefix quota exceeded.',
        [],
        'SubnetPoolQuotaExceeded',
      );
    }
  }
  const free = difference(
    setOf(parsePrefixes(pool.prefixes)),
    setOf(parsePrefixes(allocated.items.map((s) => s.cidr))),
  );
  const wanted =
    req.cidr ??
    (typeof req.gatewayIp === 'string' ? prefixAround(req.gatewayIp, length, version) : undefined);
  let prefix: Prefix;
  if (wanted) {
    if (!isSubset(setOf([wanted]), free))
      throw allocationError('Cannot allocate requested subnet from the available set of prefixes');
    prefix = wanted;
  } else {
    const found = firstFit(free, length, version);
    if (!found) throw allocationError(`Insufficient prefix space to allocate subnet size /${length}`);
    prefix = found;
  }
  return {
    pool,
    prefix,
    ops: (subnetId) => [
      { kind: 'claim', namespace: subnetPoolNamespace(pool.id), key: formatPrefix(prefix), owner: subnetId },
      {
        kind: 'checkNoneJoined',
        table: 'subnet',
        index: { name: 'subnetPool', value: pool.id },
        since: allocated.revision,
      },
      { kind: 'check', table: 'subnet_pool', id: pool.id, version: pool.version },
    ],
  };
}

/** The release of a subnet's allocation, for its delete commit (none if not from a pool). */
export function releaseFromPool(subnet: {
  readonly id: string;
  readonly cidr: string;
  readonly subnetpoolId?: string;
}): WriteOp[] {
  if (subnet.subnetpoolId === undefined) return [];
  return [
    {
      kind: 'release',
      namespace: subnetPoolNamespace(subnet.subnetpoolId),
      key: subnet.cidr,
      owner: subnet.id,
    },
  ];
}
