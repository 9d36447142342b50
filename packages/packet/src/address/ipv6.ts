// IPv6 addresses are RFC 5952 canonical text ("2001:db8::1") in everything this library returns;
// any RFC 4291 text form is accepted as input.
import { PacketAddressError } from '../errors.js';
import { formatIpv4 } from './ipv4.js';
import type { MacAddress } from './mac.js';
import { HEX_BYTE } from './mac.js';

/** RFC 5952 canonical text, e.g. "2001:db8::1", "fe80::1", "::ffff:192.0.2.1". */
export type Ipv6Address = string;

export const IPV6_UNSPECIFIED: Ipv6Address = '::';
export const IPV6_ALL_NODES: Ipv6Address = 'ff02::1';
export const IPV6_ALL_ROUTERS: Ipv6Address = 'ff02::2';

/** Formats 16 bytes at `offset` per RFC 5952: lower case, no leading zeros, longest zero run as "::". */
export function formatIpv6(bytes: Uint8Array, offset = 0): Ipv6Address {
  // Called for every decoded IPv6 packet (twice): plain loops and string concatenation only.
  let bestStart = -1;
  let bestLength = 1; // a single zero group is never compressed
  let runStart = -1;
  for (let i = 0; i < 8; i++) {
    const zero = bytes[offset + 2 * i] === 0 && bytes[offset + 2 * i + 1] === 0;
    if (zero && runStart < 0) runStart = i;
    if ((!zero || i === 7) && runStart >= 0) {
      const length = (zero ? i + 1 : i) - runStart;
      if (length > bestLength) {
        bestStart = runStart;
        bestLength = length;
      }
      runStart = -1;
    }
  }
  // IPv4-mapped addresses keep their dotted tail (RFC 5952 section 5).
  if (bestStart === 0 && bestLength === 5 && bytes[offset + 10] === 0xff && bytes[offset + 11] === 0xff) {
    return `::ffff:${formatIpv4(bytes, offset + 12)}`;
  }
  let text = '';
  let separator = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      text += '::';
      separator = '';
      i += bestLength - 1;
      continue;
    }
    const group = ((bytes[offset + 2 * i] ?? 0) << 8) | (bytes[offset + 2 * i + 1] ?? 0);
    text += separator + group.toString(16);
    separator = ':';
  }
  return text;
}

function hexGroup(text: string): number {
  if (text.length === 0 || text.length > 4) return -1;
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let d: number;
    if (c >= 0x30 && c <= 0x39) d = c - 0x30;
    else if ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66) d = (c | 0x20) - 0x57;
    else return -1;
    value = value * 16 + d;
  }
  return value;
}

/** Parses groups of one side of "::" into 16-bit values; a dotted IPv4 tail counts as two groups. */
function parseGroups(text: string, allowIpv4Tail: boolean): number[] | undefined {
  if (text === '') return [];
  const parts = text.split(':');
  const groups: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? '';
    if (allowIpv4Tail && i === parts.length - 1 && part.includes('.')) {
      const v4 = part.split('.');
      if (v4.length !== 4) return undefined;
      const octets = v4.map((o) => (/^(0|[1-9][0-9]{0,2})$/.test(o) ? Number(o) : 256));
      if (octets.some((o) => o > 255)) return undefined;
      groups.push(((octets[0] ?? 0) << 8) | (octets[1] ?? 0), ((octets[2] ?? 0) << 8) | (octets[3] ?? 0));
    } else {
      const g = hexGroup(part);
      if (g < 0) return undefined;
      groups.push(g);
    }
  }
  return groups;
}

function parseInto(text: string, out: Uint8Array | undefined, offset: number): boolean {
  if (text.length < 2 || text.length > 45) return false;
  const gap = text.indexOf('::');
  let groups: number[];
  if (gap < 0) {
    const all = parseGroups(text, true);
    if (!all || all.length !== 8) return false;
    groups = all;
  } else {
    if (text.indexOf('::', gap + 1) >= 0) return false;
    const head = parseGroups(text.slice(0, gap), false);
    const tail = parseGroups(text.slice(gap + 2), true);
    if (!head || !tail || head.length + tail.length > 7) return false;
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  }
  if (out) {
    for (let i = 0; i < 8; i++) {
      const g = groups[i] ?? 0;
      out[offset + 2 * i] = g >> 8;
      out[offset + 2 * i + 1] = g & 0xff;
    }
  }
  return true;
}

export function writeIpv6Address(text: string, out: Uint8Array, offset: number): void {
  if (!parseInto(text, out, offset)) throw new PacketAddressError('ipv6', text);
}

export function parseIpv6(text: string): Uint8Array {
  const out = new Uint8Array(16);
  writeIpv6Address(text, out, 0);
  return out;
}

export function isIpv6(text: string): boolean {
  return parseInto(text, undefined, 0);
}

/** Canonical form of any accepted IPv6 text. */
export function normalizeIpv6(text: string): Ipv6Address {
  return formatIpv6(parseIpv6(text));
}

/** The solicited-node multicast group of an address (RFC 4291 section 2.7.1): ff02::1:ffXX:XXXX. */
export function solicitedNodeMulticast(address: Ipv6Address): Ipv6Address {
  const b = parseIpv6(address);
  const out = new Uint8Array(16);
  out.set([0xff, 0x02], 0);
  out.set([0, 0, 0, 0, 0, 1, 0xff, b[13] ?? 0, b[14] ?? 0, b[15] ?? 0], 6);
  return formatIpv6(out);
}

/** The Ethernet group address of an IPv6 multicast address (RFC 2464 section 7): 33:33 + low 32 bits. */
export function ipv6MulticastMac(address: Ipv6Address): MacAddress {
  const b = parseIpv6(address);
  return `33:33:${[12, 13, 14, 15].map((i) => HEX_BYTE[b[i] ?? 0] ?? '00').join(':')}`;
}

export function isIpv6Multicast(address: Ipv6Address): boolean {
  return parseIpv6(address)[0] === 0xff;
}
