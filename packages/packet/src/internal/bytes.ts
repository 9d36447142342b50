// Small helpers shared by every codec. Decoders read through a DataView made once per call and
// check lengths before reading, so a short buffer becomes PACKET_TRUNCATED, never a RangeError.
import { PacketDecodeError, PacketEncodeError, type PacketLayer } from '../errors.js';

export const EMPTY: Uint8Array = new Uint8Array(0);

export function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Throws PACKET_TRUNCATED unless `length` bytes are available from `offset` up to `end`. */
export function need(layer: PacketLayer, offset: number, length: number, end: number, what: string): void {
  if (offset + length > end) {
    throw new PacketDecodeError(
      'PACKET_TRUNCATED',
      layer,
      offset,
      `${what} needs ${length} bytes, ${Math.max(0, end - offset)} left`,
    );
  }
}

/** Bytes as ISO-8859-1 text: every byte maps to one character, so text round-trips exactly. */
export function latin1(bytes: Uint8Array, start: number, end: number): string {
  let text = '';
  for (let i = start; i < end; i++) text += String.fromCharCode(bytes[i] ?? 0);
  return text;
}

/** Writes ISO-8859-1 text; characters above U+00FF cannot be represented and are refused. */
export function writeLatin1(
  layer: PacketLayer,
  field: string,
  text: string,
  out: Uint8Array,
  offset: number,
): void {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0xff)
      throw new PacketEncodeError(
        'PACKET_FIELD_RANGE',
        layer,
        `${field}: character U+${c.toString(16)} is not Latin-1`,
      );
    out[offset + i] = c;
  }
}

/** Refuses a number that does not fit an unsigned field of `bits` bits. */
export function checkUint(layer: PacketLayer, field: string, value: number, bits: number): number {
  if (!Number.isInteger(value) || value < 0 || value >= 2 ** bits) {
    throw new PacketEncodeError(
      'PACKET_FIELD_RANGE',
      layer,
      `${field} must be an integer in [0, ${2 ** bits - 1}], got ${value}`,
    );
  }
  return value;
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
