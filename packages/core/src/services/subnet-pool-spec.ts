// A subnet pool's prefixes and prefix lengths checked and completed as Neutron's
// SubnetPoolReader does (ipam/subnet_alloc.py), for create and for update alike: prefixes all
// of one IP version and compacted; min_prefixlen defaults to 8 (IPv4) or 64 (IPv6),
// max_prefixlen to the address size, default_prefixlen to min_prefixlen; min ≤ default ≤ max ≤
// the address size. Neutron's exception types and wording, since clients print them.
import type { SubnetPool, WeirError } from '@weir/model';
import { bitsOf, formatPrefix, parsePrefix, type IpVersion, type Prefix } from '../addr.js';
import { badRequest, invalidInput } from '../errors.js';
import { compact } from '../prefix-set.js';

export interface PoolSpecInput {
  readonly prefixes: readonly string[];
  readonly minPrefixlen?: number;
  readonly maxPrefixlen?: number;
  readonly defaultPrefixlen?: number;
}

export type PoolSpec = Pick<
  SubnetPool,
  'ipVersion' | 'prefixes' | 'minPrefixlen' | 'maxPrefixlen' | 'defaultPrefixlen'
>;

const DEFAULT_MIN: Readonly<Record<IpVersion, number>> = { 4: 8, 6: 64 };

/** Parses prefixes given as text (the API has checked their form; core does not trust it). */
export function parsePrefixes(texts: readonly string[], field = 'prefixes'): Prefix[] {
  return texts.map((t) => {
    const p = parsePrefix(t);
    if (!p) throw invalidInput(`'${t}' is not a valid IP subnet`, field);
    return p;
  });
}

function bounds(
  kind: 'min_prefixlen' | 'max_prefixlen' | 'default_prefixlen',
  length: number,
  base: string,
  baseLength: number,
): WeirError {
  return badRequest(
    'IllegalSubnetPoolPrefixBounds',
    `Illegal prefix bounds: ${kind}=${length}, ${base}=${baseLength}.`,
  );
}

export function readPoolSpec(input: PoolSpecInput): PoolSpec {
  if (input.prefixes.length === 0)
    throw badRequest('EmptySubnetPoolPrefixList', 'Empty subnet pool prefix list.');
  const prefixes = parsePrefixes(input.prefixes);
  const version = (prefixes[0] as Prefix).version;
  if (prefixes.some((p) => p.version !== version))
    throw badRequest('PrefixVersionMismatch', 'Cannot mix IPv4 and IPv6 prefixes in a subnet pool.');
  const bits = bitsOf(version);
  const min = input.minPrefixlen ?? DEFAULT_MIN[version];
  const max = input.maxPrefixlen ?? bits;
  const dflt = input.defaultPrefixlen ?? min;
  // In Neutron's order: min against max, max against the address size, then the default.
  if (min > max) throw bounds('min_prefixlen', min, 'max_prefixlen', max);
  if (max > bits) throw bounds('max_prefixlen', max, 'ip_version_max', bits);
  if (dflt < min) throw bounds('default_prefixlen', dflt, 'min_prefixlen', min);
  if (dflt > max) throw bounds('default_prefixlen', dflt, 'max_prefixlen', max);
  return {
    ipVersion: version,
    prefixes: compact(prefixes).map(formatPrefix),
    minPrefixlen: min,
    maxPrefixlen: max,
    defaultPrefixlen: dflt,
  };
}
