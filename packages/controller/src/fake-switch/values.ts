// Field values as unsigned integers. Matching, masking, subfield moves and hashing all work on
// bits, so the fake converts @weir/openflow's typed values ("aa:bb:…", "10.0.0.1", numbers,
// bigints) to bigints once and back only when it reports a packet. @weir/openflow keeps its own
// converters private, hence these few lines here.
import { fieldByName, type FieldName, type FieldSpec, type FieldValues } from '@weir/openflow';

export type TypedValue = FieldValues[FieldName];

export function specOf(field: string): FieldSpec {
  const spec = fieldByName(field);
  if (!spec) throw new RangeError(`unknown field ${field}`);
  return spec;
}

const ONES = new Map<string, bigint>();

/** All meaningful bits of a field set (cached: this is on every flow's path). */
export function fieldOnes(spec: FieldSpec): bigint {
  let ones = ONES.get(spec.name);
  if (ones === undefined) {
    ones = spec.limitBig - 1n;
    ONES.set(spec.name, ones);
  }
  return ones;
}

const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;
const SHORT_MAC = /^[0-9a-f]{1,2}(:[0-9a-f]{1,2}){5}$/i;

function macToBig(mac: string): bigint {
  // The fast path is the canonical form every decoded match carries.
  if (MAC.test(mac)) return BigInt(`0x${mac.replaceAll(':', '')}`);
  if (!SHORT_MAC.test(mac)) throw new RangeError(`invalid MAC address ${mac}`);
  return mac.split(':').reduce((n, p) => (n << 8n) | BigInt(Number.parseInt(p, 16)), 0n);
}

function bigToMac(n: bigint): string {
  const out: string[] = [];
  for (let i = 5; i >= 0; i--)
    out.push(
      Number((n >> BigInt(i * 8)) & 0xffn)
        .toString(16)
        .padStart(2, '0'),
    );
  return out.join(':');
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function ipv4ToBig(ip: string): bigint {
  const m = IPV4.exec(ip);
  let n = 0;
  for (let i = 1; i <= 4; i++) {
    const b = Number(m?.[i] ?? 256);
    if (b > 255) throw new RangeError(`invalid IPv4 address ${ip}`);
    n = n * 256 + b;
  }
  return BigInt(n);
}

function bigToIpv4(n: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 0xffn)).join('.');
}

function ipv6ToBig(ip: string): bigint {
  let text = ip;
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail?.[1]) {
    const v4 = ipv4ToBig(tail[1]);
    text = `${text.slice(0, -tail[1].length)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) throw new RangeError(`invalid IPv6 address ${ip}`);
  const groups = (s: string | undefined): string[] => (s ? s.split(':') : []);
  const head = groups(halves[0]);
  const rest = groups(halves[1]);
  const fill = 8 - head.length - rest.length;
  if ((halves.length === 1 && fill !== 0) || fill < 0) throw new RangeError(`invalid IPv6 address ${ip}`);
  let n = 0n;
  for (const g of [...head, ...new Array<string>(fill).fill('0'), ...rest]) {
    if (!/^[0-9a-f]{1,4}$/i.test(g)) throw new RangeError(`invalid IPv6 address ${ip}`);
    n = (n << 16n) | BigInt(Number.parseInt(g, 16));
  }
  return n;
}

/** RFC 5952 text: lowercase, longest run (≥ 2) of zero groups as "::". */
function bigToIpv6(n: bigint): string {
  const w = Array.from({ length: 8 }, (_, i) => Number((n >> BigInt((7 - i) * 16)) & 0xffffn));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = (a: number[]): string => a.map((x) => x.toString(16)).join(':');
  if (best < 0) return hex(w);
  return `${hex(w.slice(0, best))}::${hex(w.slice(best + bestLen))}`;
}

/** A field value as an unsigned integer. Throws RangeError on a malformed value. */
export function toBig(spec: FieldSpec, value: TypedValue): bigint {
  switch (spec.kind) {
    case 'mac':
      return macToBig(String(value));
    case 'ipv4':
      return ipv4ToBig(String(value));
    case 'ipv6':
      return ipv6ToBig(String(value));
    default:
      return BigInt(value);
  }
}

/** The typed value @weir/openflow uses for a field, from its integer form. */
export function fromBig(spec: FieldSpec, n: bigint): TypedValue {
  switch (spec.kind) {
    case 'mac':
      return bigToMac(n);
    case 'ipv4':
      return bigToIpv4(n);
    case 'ipv6':
      return bigToIpv6(n);
    case 'u64':
    case 'u128':
      return n;
    default:
      return Number(n);
  }
}
