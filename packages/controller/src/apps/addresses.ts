// Address helpers the apps need to turn model addresses (`10.0.0.5`, `10.0.0.0/24`, `fd00::/64`)
// into OpenFlow matches. Pure string and bigint arithmetic: apps may not import node:net.
import type { FieldMatch } from '@weir/openflow';

export function isIpv6(address: string): boolean {
  return address.includes(':');
}

function v4ToNumber(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function v4FromNumber(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

function v6ToBigInt(ip: string): bigint {
  const [head = '', tail] = ip.split('::');
  const parse = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const groups = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return groups.reduce((n, g) => (n << 16n) | BigInt(parseInt(g, 16)), 0n);
}

function v6FromBigInt(n: bigint): string {
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((n >> BigInt(i * 16)) & 0xffffn).toString(16));
  return groups.join(':');
}

/**
 * A match of `field` (ip_src, arp_spa, ipv6_src…) on an address or a prefix: exact for an address
 * or a full-length prefix, masked otherwise.
 */
export function addressMatch(field: FieldMatch['field'], addressOrPrefix: string): FieldMatch {
  const [address = '', lengthText] = addressOrPrefix.split('/');
  const v6 = isIpv6(address);
  const bits = v6 ? 128 : 32;
  const length = lengthText === undefined ? bits : Number(lengthText);
  if (length >= bits) return { field, value: address } as FieldMatch;
  if (v6) {
    const mask = ((1n << 128n) - 1n) ^ ((1n << BigInt(128 - length)) - 1n);
    return { field, value: v6FromBigInt(v6ToBigInt(address) & mask), mask: v6FromBigInt(mask) } as FieldMatch;
  }
  const mask = length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
  return {
    field,
    value: v4FromNumber((v4ToNumber(address) & mask) >>> 0),
    mask: v4FromNumber(mask),
  } as FieldMatch;
}

/** The IPv6 link-local address (fe80::/64 + modified EUI-64) of a MAC: what a port uses for ND. */
export function linkLocalOf(mac: string): string {
  const b = mac.split(':').map((h) => parseInt(h, 16));
  const [b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0] = b;
  const group = (x: number, y: number): string => ((x << 8) | y).toString(16);
  return `fe80::${group(b0 ^ 0x02, b1)}:${group(b2, 0xff)}:${group(0xfe, b3)}:${group(b4, b5)}`;
}
