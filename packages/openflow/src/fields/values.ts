// Conversions between field values and wire bytes, and the address text forms.
import type { Reader, Writer } from '../bytes.js';
import { OpenFlowError, invalid } from '../errors.js';
import type { FieldSpec } from './registry.js';

export type Value = number | bigint | string;

const MAC_RE = /^[0-9a-f]{1,2}(:[0-9a-f]{1,2}){5}$/i;

export function macToBytes(mac: string): Buffer {
  if (!MAC_RE.test(mac)) throw invalid(`invalid MAC address: ${mac}`);
  return Buffer.from(mac.split(':').map((h) => Number.parseInt(h, 16)));
}

export function macFromBytes(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += (i ? ':' : '') + (b[i] as number).toString(16).padStart(2, '0');
  return s;
}

export function ipv4ToNumber(ip: string): number {
  // Hand-rolled (no split/regex): this runs for every IPv4 field of every flow encoded.
  let n = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      part = part * 10 + (c - 48);
      if (++digits > 3 || part > 255) throw invalid(`invalid IPv4 address: ${ip}`);
    } else if (c === 46 && digits > 0 && dots < 3) {
      n = n * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else {
      throw invalid(`invalid IPv4 address: ${ip}`);
    }
  }
  if (dots !== 3 || digits === 0) throw invalid(`invalid IPv4 address: ${ip}`);
  return n * 256 + part;
}

export function ipv4FromNumber(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 0xff}.${(n >>> 8) & 0xff}.${n & 0xff}`;
}

/** Parses any RFC 4291 text form (incl. an embedded IPv4 tail) into a 128-bit integer. */
export function ipv6ToBigInt(ip: string): bigint {
  let text = ip;
  const lastColon = text.lastIndexOf(':');
  if (lastColon >= 0 && text.includes('.', lastColon)) {
    // "::ffff:1.2.3.4" -> "::ffff:102:304"
    const v4 = ipv4ToNumber(text.slice(lastColon + 1));
    text = `${text.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) throw invalid(`invalid IPv6 address: ${ip}`);
  const parse = (s: string): number[] =>
    s === ''
      ? []
      : s.split(':').map((g) => {
          if (!/^[0-9a-f]{1,4}$/i.test(g)) throw invalid(`invalid IPv6 address: ${ip}`);
          return Number.parseInt(g, 16);
        });
  const head = parse(halves[0] ?? '');
  const rest = halves.length === 2 ? parse(halves[1] ?? '') : [];
  const explicit = head.length + rest.length;
  if (halves.length === 1 ? explicit !== 8 : explicit > 7) throw invalid(`invalid IPv6 address: ${ip}`);
  const groups = [...head, ...new Array<number>(8 - explicit).fill(0), ...rest];
  let n = 0n;
  for (const g of groups) n = (n << 16n) | BigInt(g);
  return n;
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
      return macFromBytes(macToBytes(String(value)));
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

/** A value as a bigint (for bit operations on subfields); addresses become their integer form. */
export function valueToBigInt(spec: FieldSpec, value: Value): bigint {
  switch (spec.kind) {
    case 'mac':
      return BigInt(`0x${macToBytes(String(value)).toString('hex')}`);
    case 'ipv4':
      return BigInt(ipv4ToNumber(String(value)));
    case 'ipv6':
      return ipv6ToBigInt(String(value));
    default:
      return BigInt(value);
  }
}

export function valueFromBigInt(spec: FieldSpec, n: bigint): Value {
  switch (spec.kind) {
    case 'mac': {
      const hex = n.toString(16).padStart(12, '0');
      return macFromBytes(Buffer.from(hex, 'hex'));
    }
    case 'ipv4':
      return ipv4FromNumber(Number(n));
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
  const bits = (1n << BigInt(spec.bits)) - 1n;
  return (valueToBigInt(spec, mask) & bits) === bits;
}

export function isZeroMask(spec: FieldSpec, mask: Value): boolean {
  return valueToBigInt(spec, mask) === 0n;
}

/** The all-ones mask of a field, in its own representation. */
export function fullMask(spec: FieldSpec): Value {
  return valueFromBigInt(spec, (1n << BigInt(spec.bytes * 8)) - 1n);
}
