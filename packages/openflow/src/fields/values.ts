// Conversions between field values and wire bytes, and the address text forms.
import type { Reader, Writer } from '../bytes.js';
import { OpenFlowError, invalid } from '../errors.js';
import type { FieldSpec } from './registry.js';
import type { FieldValue } from './types.js';

export type Value = FieldValue;

/** "00".."ff", for formatting MAC addresses without padStart/join. */
const HEX2 = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** The value of a hex digit's character code, or -1. */
function hexDigit(c: number): number {
  return c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
}

/**
 * An address written as bytes with separators — a MAC ("aa:bb:cc:dd:ee:ff", one or two hex
 * digits a byte) or an IPv4 address ("10.0.0.1") — as an integer (at most 48 bits: exact).
 * Hand-rolled (no split/regex): this runs for every address of every flow encoded or traced.
 */
function bytesTextToNumber(text: string, kind: 'mac' | 'ipv4'): number {
  const hex = kind === 'mac';
  const sep = hex ? 58 : 46; // ':' or '.'
  const lastSep = hex ? 5 : 3;
  let n = 0;
  let part = 0;
  let digits = 0;
  let seps = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const d = hex ? hexDigit(c) : c >= 48 && c <= 57 ? c - 48 : -1;
    if (d >= 0) {
      part = part * (hex ? 16 : 10) + d;
      if (++digits > (hex ? 2 : 3) || part > 255) throw badAddress(kind, text);
    } else if (c === sep && digits > 0 && seps < lastSep) {
      n = n * 256 + part;
      part = 0;
      digits = 0;
      seps++;
    } else {
      throw badAddress(kind, text);
    }
  }
  if (seps !== lastSep || digits === 0) throw badAddress(kind, text);
  return n * 256 + part;
}

function badAddress(kind: 'mac' | 'ipv4' | 'ipv6', text: string): OpenFlowError {
  return invalid(`invalid ${kind === 'mac' ? 'MAC' : kind === 'ipv4' ? 'IPv4' : 'IPv6'} address: ${text}`);
}

/** The canonical text of a 48-bit integer MAC: six lowercase two-digit groups. */
function macFromNumber(n: number): string {
  const hi = Math.floor(n / 0x100000000) & 0xffff;
  const lo = n >>> 0;
  return `${HEX2[hi >>> 8]}:${HEX2[hi & 0xff]}:${HEX2[lo >>> 24]}:${HEX2[(lo >>> 16) & 0xff]}:${HEX2[(lo >>> 8) & 0xff]}:${HEX2[lo & 0xff]}`;
}

export function macToBytes(mac: string): Buffer {
  const b = Buffer.allocUnsafe(6);
  b.writeUIntBE(bytesTextToNumber(mac, 'mac'), 0, 6);
  return b;
}

export function macFromBytes(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += (i ? ':' : '') + (HEX2[b[i] as number] as string);
  return s;
}

export function ipv4ToNumber(ip: string): number {
  return bytesTextToNumber(ip, 'ipv4');
}

export function ipv4FromNumber(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 0xff}.${(n >>> 8) & 0xff}.${n & 0xff}`;
}

/** Scratch space for ipv6ToBigInt's 16-bit groups (it is synchronous, so one array serves). */
const V6_GROUPS = new Uint16Array(8);

/** Parses any RFC 4291 text form (incl. an embedded IPv4 tail) into a 128-bit integer. */
export function ipv6ToBigInt(ip: string): bigint {
  // Hand-rolled (no split/regex): this runs for every IPv6 field of every flow encoded or traced.
  const g = V6_GROUPS;
  const len = ip.length;
  let n = 0; // groups read
  let gap = -1; // where "::" stands, counted in groups
  let group = 0;
  let digits = 0;
  let start = 0; // where the current group's text starts
  let v4Tail = false;
  let i = 0;
  if (len >= 2 && ip.charCodeAt(0) === 58 && ip.charCodeAt(1) === 58) {
    gap = 0;
    i = start = 2;
  }
  for (; i < len; i++) {
    const c = ip.charCodeAt(i);
    const h = hexDigit(c);
    if (h >= 0) {
      if (++digits > 4) throw badAddress('ipv6', ip);
      group = group * 16 + h;
    } else if (c === 58 && digits > 0 && n < 8) {
      g[n++] = group;
      group = 0;
      digits = 0;
      start = i + 1;
      if (ip.charCodeAt(start) === 58) {
        if (gap >= 0) throw badAddress('ipv6', ip);
        gap = n;
        start = ++i + 1;
      }
    } else if (c === 46 && digits > 0 && n <= 6) {
      // "::ffff:1.2.3.4": the rest is an IPv4 address, the last two groups.
      const v4 = ipv4ToNumber(ip.slice(start));
      g[n++] = v4 >>> 16;
      g[n++] = v4 & 0xffff;
      v4Tail = true;
      break;
    } else {
      throw badAddress('ipv6', ip);
    }
  }
  if (v4Tail) {
    // the IPv4 address ended the text
  } else if (digits > 0) {
    if (n === 8) throw badAddress('ipv6', ip);
    g[n++] = group;
  } else if (gap !== n || start !== len) {
    // Empty text, or a trailing single ':' ("1::2:"); a trailing "::" ("1::") is fine.
    throw badAddress('ipv6', ip);
  }
  if (gap < 0 ? n !== 8 : n > 7) throw badAddress('ipv6', ip);
  if (gap >= 0) {
    // Move the groups after "::" to the end and zero the ones it stands for.
    const fill = 8 - n;
    for (let j = n - 1; j >= gap; j--) g[j + fill] = g[j] as number;
    g.fill(0, gap, gap + fill);
  }
  const w = (k: number): bigint => BigInt((g[k] as number) * 0x10000 + (g[k + 1] as number));
  return (w(0) << 96n) | (w(2) << 64n) | (w(4) << 32n) | w(6);
}

/** Formats like glibc's inet_ntop (what ovs-ofctl prints): RFC 5952 plus dotted IPv4 tails. */
export function ipv6FromBigInt(n: bigint): string {
  const w: number[] = [];
  for (let i = 7; i >= 0; i--) w.push(Number((n >> BigInt(i * 16)) & 0xffffn));
  // Longest run of at least two zero words; the first one wins a tie.
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (w[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen < 2) bestStart = -1;
  const dottedTail = bestStart === 0 && (bestLen === 6 || (bestLen === 5 && w[5] === 0xffff));
  const parts: string[] = [];
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      parts.push(i === 0 ? ':' : '');
      i += bestLen - 1;
      if (i === 7) parts.push('');
      continue;
    }
    if (dottedTail && i === 6) {
      parts.push(ipv4FromNumber((((w[6] as number) << 16) | (w[7] as number)) >>> 0));
      break;
    }
    parts.push((w[i] as number).toString(16));
  }
  return parts.join(':');
}

export function ipv6ToBytes(ip: string): Buffer {
  const n = ipv6ToBigInt(ip);
  const b = Buffer.alloc(16);
  b.writeBigUInt64BE(n >> 64n, 0);
  b.writeBigUInt64BE(n & 0xffffffffffffffffn, 8);
  return b;
}

export function ipv6FromBytes(b: Uint8Array): string {
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  return ipv6FromBigInt((buf.readBigUInt64BE(0) << 64n) | buf.readBigUInt64BE(8));
}

/** Normalises an address/number to the canonical representation for its kind. */
export function canonicalValue(spec: FieldSpec, value: Value): Value {
  switch (spec.kind) {
    case 'mac':
      return macFromNumber(bytesTextToNumber(String(value), 'mac'));
    case 'ipv4':
      return ipv4FromNumber(ipv4ToNumber(String(value)));
    case 'ipv6':
      return ipv6FromBigInt(ipv6ToBigInt(String(value)));
    case 'u64':
    case 'u128':
      return BigInt(value);
    default:
      return Number(value);
  }
}

function badValue(spec: FieldSpec, value: unknown, what: string, why: string): OpenFlowError {
  return invalid(`${spec.name} ${what} ${String(value)}: ${why}`);
}

/** Checks that `value` has the right JS type and fits the field; throws OF_INVALID_ARGUMENT. */
export function checkValue(spec: FieldSpec, value: unknown, what = 'value'): void {
  // No closures here: this is on the encode hot path.
  switch (spec.kind) {
    case 'mac':
    case 'ipv4':
    case 'ipv6':
      if (typeof value !== 'string') throw badValue(spec, value, what, 'expected a string');
      return;
    case 'u64':
    case 'u128':
      if (typeof value !== 'bigint') throw badValue(spec, value, what, 'expected a bigint');
      if (value < 0n || value >= spec.limitBig)
        throw badValue(spec, value, what, `does not fit ${spec.bits} bits`);
      return;
    default:
      if (typeof value !== 'number' || !Number.isInteger(value))
        throw badValue(spec, value, what, 'expected an integer');
      if (value < 0 || value >= spec.limit)
        throw badValue(spec, value, what, `does not fit ${spec.bits} bits`);
  }
}

export function writeValue(w: Writer, spec: FieldSpec, value: Value): void {
  switch (spec.kind) {
    case 'u8':
      w.u8(Number(value));
      return;
    case 'u16':
      w.u16(Number(value));
      return;
    case 'u32':
      w.u32(Number(value));
      return;
    case 'u64':
      w.u64(BigInt(value));
      return;
    case 'u128': {
      const v = BigInt(value);
      w.u64(v >> 64n);
      w.u64(v & 0xffffffffffffffffn);
      return;
    }
    case 'mac':
      w.bytes(macToBytes(String(value)));
      return;
    case 'ipv4':
      w.u32(ipv4ToNumber(String(value)));
      return;
    case 'ipv6':
      w.bytes(ipv6ToBytes(String(value)));
      return;
  }
}

export function readValue(r: Reader, spec: FieldSpec): Value {
  switch (spec.kind) {
    case 'u8':
      return r.u8(spec.name);
    case 'u16':
      return r.u16(spec.name);
    case 'u32':
      return r.u32(spec.name);
    case 'u64':
      return r.u64(spec.name);
    case 'u128': {
      const hi = r.u64(spec.name);
      return (hi << 64n) | r.u64(spec.name);
    }
    case 'mac':
      return macFromBytes(r.bytes(6, spec.name));
    case 'ipv4':
      return ipv4FromNumber(r.u32(spec.name));
    case 'ipv6':
      return ipv6FromBytes(r.bytes(16, spec.name));
  }
}

/**
 * A field value as an unsigned integer, for bit operations (masks, subfields, hashing):
 * addresses become their integer form ("0a:00:00:00:00:01" → 0x0a0000000001n, "10.0.0.1" →
 * 0x0a000001n, IPv6 → 128 bits), numbers and bigints are taken as they are. Malformed address
 * text throws OF_INVALID_ARGUMENT; widths are not checked (see `FieldSpec.limitBig`).
 */
export function valueToBigInt(spec: FieldSpec, value: FieldValue): bigint {
  switch (spec.kind) {
    case 'mac':
      return BigInt(bytesTextToNumber(String(value), 'mac'));
    case 'ipv4':
      return BigInt(ipv4ToNumber(String(value)));
    case 'ipv6':
      return ipv6ToBigInt(String(value));
    default:
      return BigInt(value);
  }
}

/**
 * The inverse of `valueToBigInt`: the value in the field's own type — canonical address text
 * (lowercase MAC, dotted IPv4, IPv6 as ovs-ofctl prints it), a bigint for 64- and 128-bit fields,
 * a number otherwise. `n` must fit the field.
 */
export function valueFromBigInt(spec: FieldSpec, n: bigint): FieldValue {
  switch (spec.kind) {
    case 'mac':
      return macFromNumber(Number(n & 0xffffffffffffn));
    case 'ipv4':
      return ipv4FromNumber(Number(n & 0xffffffffn));
    case 'ipv6':
      return ipv6FromBigInt(n);
    case 'u64':
    case 'u128':
      return n;
    default:
      return Number(n);
  }
}

export function assertNever(x: never, what: string): never {
  throw new OpenFlowError('OF_UNSUPPORTED', `unsupported ${what}: ${JSON.stringify(x)}`);
}

/** value & mask, in the value's own representation (OpenFlow requires masked-off bits to be 0). */
export function maskValue(spec: FieldSpec, value: Value, mask: Value): Value {
  return valueFromBigInt(spec, valueToBigInt(spec, value) & valueToBigInt(spec, mask));
}

/** True when `mask` covers every meaningful bit of the field: such a match is exact. */
export function isFullMask(spec: FieldSpec, mask: Value): boolean {
  const bits = spec.limitBig - 1n;
  return (valueToBigInt(spec, mask) & bits) === bits;
}

export function isZeroMask(spec: FieldSpec, mask: Value): boolean {
  return valueToBigInt(spec, mask) === 0n;
}
