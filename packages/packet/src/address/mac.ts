// MAC addresses travel through this library as lower-case colon text ("02:00:5e:00:53:01"): easy
// to log, compare and use as a map key. These helpers convert at the wire boundary.
import { PacketAddressError } from '../errors.js';

/** Lower-case colon-separated text, e.g. "02:00:5e:00:53:01". */
export type MacAddress = string;

export const BROADCAST_MAC: MacAddress = 'ff:ff:ff:ff:ff:ff';
export const ZERO_MAC: MacAddress = '00:00:00:00:00:00';

/** Two-digit lower-case hex for every byte value, so formatting never calls toString(16). */
export const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, i) =>
  i.toString(16).padStart(2, '0'),
);

/** Formats `length` bytes (6 for Ethernet) from `offset` as colon-separated hex. */
export function formatMac(bytes: Uint8Array, offset = 0, length = 6): MacAddress {
  let text = HEX_BYTE[bytes[offset] ?? 0] ?? '00';
  for (let i = 1; i < length; i++) text += `:${HEX_BYTE[bytes[offset + i] ?? 0] ?? '00'}`;
  return text;
}

function hexDigit(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

/**
 * Parses hex bytes separated by ':' or '-' (two digits each, either case) into `out` at `offset`.
 * Returns the number of bytes, or -1 when the text is not in that form or exceeds `max` bytes.
 */
function parseHexBytes(text: string, out: Uint8Array | undefined, offset: number, max: number): number {
  if (text.length === 0) return 0;
  if ((text.length + 1) % 3 !== 0) return -1;
  const count = (text.length + 1) / 3;
  if (count > max) return -1;
  const sep = text.charCodeAt(2);
  for (let i = 0; i < count; i++) {
    const hi = hexDigit(text.charCodeAt(i * 3));
    const lo = hexDigit(text.charCodeAt(i * 3 + 1));
    if (hi < 0 || lo < 0) return -1;
    if (i < count - 1 && text.charCodeAt(i * 3 + 2) !== sep) return -1;
    if (out) out[offset + i] = (hi << 4) | lo;
  }
  return count > 1 && sep !== 0x3a && sep !== 0x2d ? -1 : count;
}

/** Writes a 6-byte MAC into `out` at `offset`. Accepts ':' or '-' separators, any case. */
export function writeMac(text: string, out: Uint8Array, offset: number): void {
  if (text.length !== 17 || parseHexBytes(text, out, offset, 6) !== 6)
    throw new PacketAddressError('mac', text);
}

export function parseMac(text: string): Uint8Array {
  const out = new Uint8Array(6);
  writeMac(text, out, 0);
  return out;
}

export function isMac(text: string): boolean {
  return text.length === 17 && parseHexBytes(text, undefined, 0, 6) === 6;
}

/** Canonical (lower-case, colon) form of a MAC given in any accepted notation. */
export function normalizeMac(text: string): MacAddress {
  return formatMac(parseMac(text));
}

/**
 * Hardware addresses of other lengths (DHCP chaddr holds up to 16 bytes): colon hex, possibly
 * empty. Returns the byte count written.
 */
export function writeHardwareAddress(text: string, out: Uint8Array, offset: number, max: number): number {
  const n = parseHexBytes(text, out, offset, max);
  if (n < 0) throw new PacketAddressError('mac', text);
  return n;
}

export function isMulticastMac(mac: MacAddress): boolean {
  return (hexDigit(mac.charCodeAt(1)) & 1) === 1;
}
