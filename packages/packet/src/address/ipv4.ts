// IPv4 addresses are dotted-quad text ("192.0.2.1") everywhere in the API.
import { PacketAddressError } from '../errors.js';

/** Dotted-quad text without leading zeros, e.g. "192.0.2.1". */
export type Ipv4Address = string;

export const IPV4_ANY: Ipv4Address = '0.0.0.0';
export const IPV4_BROADCAST: Ipv4Address = '255.255.255.255';

export function formatIpv4(bytes: Uint8Array, offset = 0): Ipv4Address {
  return `${bytes[offset] ?? 0}.${bytes[offset + 1] ?? 0}.${bytes[offset + 2] ?? 0}.${bytes[offset + 3] ?? 0}`;
}

/**
 * Parses strict dotted-quad text into `out`; returns false on anything else. Leading zeros are
 * refused because some stacks read "010" as octal: the address would be ambiguous.
 */
function parseInto(text: string, out: Uint8Array | undefined, offset: number): boolean {
  let part = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 0x2e;
    if (c === 0x2e) {
      if (digits === 0 || part > 3) return false;
      if (out) out[offset + part] = value;
      part++;
      value = 0;
      digits = 0;
    } else if (c >= 0x30 && c <= 0x39) {
      if (digits > 0 && value === 0) return false;
      value = value * 10 + (c - 0x30);
      digits++;
      if (value > 255) return false;
    } else {
      return false;
    }
  }
  return part === 4;
}

export function writeIpv4Address(text: string, out: Uint8Array, offset: number): void {
  if (!parseInto(text, out, offset)) throw new PacketAddressError('ipv4', text);
}

export function parseIpv4(text: string): Uint8Array {
  const out = new Uint8Array(4);
  writeIpv4Address(text, out, 0);
  return out;
}

export function isIpv4(text: string): boolean {
  return parseInto(text, undefined, 0);
}

/** The address as an unsigned 32-bit number, for subnet arithmetic. */
export function ipv4ToNumber(text: Ipv4Address): number {
  const b = parseIpv4(text);
  return (b[0] ?? 0) * 0x1000000 + ((b[1] ?? 0) << 16) + ((b[2] ?? 0) << 8) + (b[3] ?? 0);
}

export function numberToIpv4(value: number): Ipv4Address {
  return `${(value >>> 24) & 0xff}.${(value >>> 16) & 0xff}.${(value >>> 8) & 0xff}.${value & 0xff}`;
}

/** Limited broadcast, multicast (224/4), class E (240/4) or "this network" (0/8): not a host. */
export function isIpv4Unicast(text: Ipv4Address): boolean {
  const first = parseIpv4(text)[0] ?? 0;
  return first !== 0 && first !== 127 && first < 224;
}
