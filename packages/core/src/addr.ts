// Address arithmetic for IPAM: IPv4 and IPv6 addresses as bigints, prefixes, ranges. Parsing and
// canonical text come from ipaddr.js; everything else is plain bigint math.
import ipaddr from 'ipaddr.js';

export type IpVersion = 4 | 6;

export interface Ip {
  readonly version: IpVersion;
  readonly value: bigint;
}

export interface Prefix {
  readonly version: IpVersion;
  /** First address (host bits zero). */
  readonly network: bigint;
  readonly length: number;
}

export interface Range {
  readonly version: IpVersion;
  readonly first: bigint;
  readonly last: bigint;
}

export const bitsOf = (v: IpVersion): number => (v === 4 ? 32 : 128);

/** Strict parse: IPv4 only in four-part decimal, IPv6 any RFC 4291 form. Undefined if invalid. */
export function parseIp(text: string): Ip | undefined {
  if (typeof text !== 'string') return undefined;
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) {
    const b = ipaddr.IPv4.parse(text).toByteArray();
    return {
      version: 4,
      value: BigInt(((b[0] ?? 0) * 2 ** 24 + (b[1] ?? 0) * 2 ** 16 + (b[2] ?? 0) * 256 + (b[3] ?? 0)) >>> 0),
    };
  }
  if (text.includes(':') && ipaddr.IPv6.isValid(text) && !text.includes('%')) {
    const parts = ipaddr.IPv6.parse(text).parts;
    let v = 0n;
    for (const p of parts) v = (v << 16n) | BigInt(p);
    return { version: 6, value: v };
  }
  return undefined;
}

export function formatIp(ip: Ip): string {
  if (ip.version === 4) {
    const n = Number(ip.value);
    return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
  }
  const parts: number[] = [];
  for (let i = 7; i >= 0; i--) parts.push(Number((ip.value >> BigInt(i * 16)) & 0xffffn));
  return new ipaddr.IPv6(parts).toString();
}

/** Canonical text of an address (lower-case, compressed IPv6), or undefined if invalid. */
export function canonicalIp(text: string): string | undefined {
  const ip = parseIp(text);
  return ip ? formatIp(ip) : undefined;
}

/** Parses "a/n". With `strict`, host bits must be zero. */
export function parsePrefix(text: string, strict = true): Prefix | undefined {
  if (typeof text !== 'string') return undefined;
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIp(text.slice(0, slash));
  const lenText = text.slice(slash + 1);
  if (!ip || !/^(0|[1-9][0-9]{0,2})$/.test(lenText)) return undefined;
  const length = Number(lenText);
  const bits = bitsOf(ip.version);
  if (length > bits) return undefined;
  const hostMask = (1n << BigInt(bits - length)) - 1n;
  if (strict && (ip.value & hostMask) !== 0n) return undefined;
  return { version: ip.version, network: ip.value & ~hostMask & ((1n << BigInt(bits)) - 1n), length };
}

export function formatPrefix(p: Prefix): string {
  return `${formatIp({ version: p.version, value: p.network })}/${p.length}`;
}

export function lastOf(p: Prefix): bigint {
  return p.network | ((1n << BigInt(bitsOf(p.version) - p.length)) - 1n);
}

export function sizeOf(p: Prefix): bigint {
  return 1n << BigInt(bitsOf(p.version) - p.length);
}

export function prefixContains(p: Prefix, ip: Ip): boolean {
  return ip.version === p.version && ip.value >= p.network && ip.value <= lastOf(p);
}

export function prefixesOverlap(a: Prefix, b: Prefix): boolean {
  return a.version === b.version && a.network <= lastOf(b) && b.network <= lastOf(a);
}

export function rangesOverlap(a: Range, b: Range): boolean {
  return a.version === b.version && a.first <= b.last && b.first <= a.last;
}

export function rangeSize(r: Range): bigint {
  return r.last - r.first + 1n;
}

/**
 * RFC 4291 appendix A's modified EUI-64 interface identifier of a MAC (colon form): ff:fe in the
 * middle, the universal/local bit flipped. What a host autoconfigures (SLAAC) from its MAC.
 */
export function eui64InterfaceId(mac: string): bigint {
  const hex = mac.replace(/[:-]/g, '');
  if (!/^[0-9a-fA-F]{12}$/.test(hex)) throw new Error(`not a MAC address: ${mac}`);
  const eui48 = BigInt(`0x${hex}`);
  const eui64 = ((eui48 >> 24n) << 40n) | (0xfffen << 24n) | (eui48 & 0xffffffn);
  return eui64 ^ (1n << 57n);
}

/** The SLAAC address of a MAC in an IPv6 prefix (a /64: the interface id fills the host bits). */
export function eui64Address(prefix: Prefix, mac: string): Ip {
  const hostMask = (1n << BigInt(128 - prefix.length)) - 1n;
  return { version: 6, value: prefix.network | (eui64InterfaceId(mac) & hostMask) };
}
