// Sets of addresses given as prefixes, with the operations subnet pools need (what netaddr's
// IPSet does for Neutron): union, difference, containment, and the canonical form — the fewest
// aligned prefixes covering exactly the set, in address order (IPSet.compact + iter_cidrs, or
// cidr_merge). A set is kept as sorted, disjoint, non-adjacent ranges (IPv4 ones first); the
// two versions never mix (IPv4 0.0.0.0/8 and IPv6 ::/104 are different addresses).
import { bitsOf, lastOf, type IpVersion, type Prefix, type Range } from './addr.js';

export type PrefixSet = readonly Range[];

function rangeOf(p: Prefix): Range {
  return { version: p.version, first: p.network, last: lastOf(p) };
}

const byAddress = (a: Range, b: Range): number =>
  a.version - b.version || (a.first < b.first ? -1 : a.first > b.first ? 1 : 0);

const meet = (a: Range, b: Range): boolean =>
  a.version === b.version && a.first <= b.last && b.first <= a.last;

/** The set covered by `prefixes`. */
export function setOf(prefixes: readonly Prefix[]): PrefixSet {
  const sorted = prefixes.map(rangeOf).sort(byAddress);
  const out: Range[] = [];
  for (const r of sorted) {
    const prev = out[out.length - 1];
    // Overlapping or adjacent ranges merge (10.0.0.0/24 + 10.0.1.0/24 = 10.0.0.0/23).
    if (prev && prev.version === r.version && r.first <= prev.last + 1n) {
      if (r.last > prev.last) out[out.length - 1] = { ...prev, last: r.last };
    } else out.push(r);
  }
  return out;
}

/** `a` minus `b`. */
export function difference(a: PrefixSet, b: PrefixSet): PrefixSet {
  const out: Range[] = [];
  for (const r of a) {
    let first = r.first;
    for (const cut of b) {
      if (cut.version !== r.version || cut.last < first || cut.first > r.last) continue;
      if (cut.first > first) out.push({ version: r.version, first, last: cut.first - 1n });
      first = cut.last + 1n;
      if (first > r.last) break;
    }
    if (first <= r.last) out.push({ version: r.version, first, last: r.last });
  }
  return out;
}

export function intersects(a: PrefixSet, b: PrefixSet): boolean {
  return a.some((x) => b.some((y) => meet(x, y)));
}

/** Every address of `inner` is in `outer`. */
export function isSubset(inner: PrefixSet, outer: PrefixSet): boolean {
  return difference(inner, outer).length === 0;
}

/** The fewest aligned prefixes covering the set, in address order. */
export function prefixesOf(set: PrefixSet): Prefix[] {
  const out: Prefix[] = [];
  for (const r of set) {
    const bits = bitsOf(r.version);
    let first = r.first;
    while (first <= r.last) {
      // The largest block that starts at `first` (alignment) and ends within the range.
      let size = 0;
      while (size < bits && (first & ((1n << BigInt(size + 1)) - 1n)) === 0n) size++;
      while (first + (1n << BigInt(size)) - 1n > r.last) size--;
      out.push({ version: r.version, network: first, length: bits - size });
      first += 1n << BigInt(size);
    }
  }
  return out;
}

/** The canonical form of a prefix list (Neutron compacts every pool's prefixes this way). */
export function compact(prefixes: readonly Prefix[]): Prefix[] {
  return prefixesOf(setOf(prefixes));
}

/**
 * Neutron's SubnetAllocator choice for "any subnet of length `length`": the free space as
 * prefixes, smallest first (longest length), by address among equals, and the first prefix of
 * `length` in the first one large enough — so small holes fill before large blocks are split.
 * Deterministic: two writers choosing at once choose the same, and one loses its claim.
 */
export function firstFit(free: PrefixSet, length: number, version: IpVersion): Prefix | undefined {
  const blocks = prefixesOf(free).filter((p) => p.version === version);
  blocks.sort((a, b) => b.length - a.length || (a.network < b.network ? -1 : 1));
  const block = blocks.find((p) => p.length <= length);
  return block ? { version, network: block.network, length } : undefined;
}
