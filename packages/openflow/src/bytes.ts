// Bounds-checked big-endian reader and a growable writer. All codecs use these two, so every read
// past the end of a message is an OpenFlowError('OF_TRUNCATED'), never an out-of-range exception.
import { OpenFlowError, invalid } from './errors.js';

export class Reader {
  private pos: number;

  constructor(
    readonly buf: Buffer,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  get offset(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number, what: string): void {
    if (n < 0 || this.pos + n > this.end) {
      throw new OpenFlowError(
        'OF_TRUNCATED',
        `truncated ${what}: need ${n} bytes, have ${this.end - this.pos}`,
        this.pos,
      );
    }
  }

  u8(what = 'u8'): number {
    this.need(1, what);
    return this.buf[this.pos++] as number;
  }

  u16(what = 'u16'): number {
    this.need(2, what);
    const v = this.buf.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  u32(what = 'u32'): number {
    this.need(4, what);
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  u64(what = 'u64'): bigint {
    this.need(8, what);
    const v = this.buf.readBigUInt64BE(this.pos);
    this.pos += 8;
    return v;
  }

  /** A view (not a copy) of the next n bytes. */
  bytes(n: number, what = 'bytes'): Buffer {
    this.need(n, what);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  skip(n: number, what = 'padding'): void {
    this.need(n, what);
    this.pos += n;
  }

  /** A reader over the next n bytes; this reader moves past them. */
  sub(n: number, what = 'structure'): Reader {
    this.need(n, what);
    const r = new Reader(this.buf, this.pos, this.pos + n);
    this.pos += n;
    return r;
  }

  peekU16(at = this.pos, what = 'u16'): number {
    if (at < 0 || at + 2 > this.end) throw new OpenFlowError('OF_TRUNCATED', `truncated ${what}`, at);
    return this.buf.readUInt16BE(at);
  }

  peekU32(at = this.pos, what = 'u32'): number {
    if (at < 0 || at + 4 > this.end) throw new OpenFlowError('OF_TRUNCATED', `truncated ${what}`, at);
    return this.buf.readUInt32BE(at);
  }

  /** A zero-terminated string in a fixed-size field. */
  fixedString(n: number, what = 'string'): string {
    const raw = this.bytes(n, what);
    const nul = raw.indexOf(0);
    return raw.subarray(0, nul === -1 ? n : nul).toString('latin1');
  }
}

export class Writer {
  private buf: Buffer;
  private pos = 0;

  constructor(initialSize = 256) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  get length(): number {
    return this.pos;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  // Every write checks its value: an out-of-range or non-integer value is the caller's bug and
  // becomes OF_INVALID_ARGUMENT naming the field, never silently truncated bytes on the wire.
  u8(v: number, what = 'u8 field'): void {
    if ((v & 0xff) !== v) throw rangeError(what, v, 8);
    this.ensure(1);
    this.buf[this.pos++] = v;
  }

  u16(v: number, what = 'u16 field'): void {
    if ((v & 0xffff) !== v) throw rangeError(what, v, 16);
    this.ensure(2);
    const b = this.buf;
    b[this.pos] = v >>> 8;
    b[this.pos + 1] = v & 0xff;
    this.pos += 2;
  }

  u32(v: number, what = 'u32 field'): void {
    if (v >>> 0 !== v) throw rangeError(what, v, 32);
    this.ensure(4);
    const b = this.buf;
    const p = this.pos;
    b[p] = v >>> 24;
    b[p + 1] = (v >>> 16) & 0xff;
    b[p + 2] = (v >>> 8) & 0xff;
    b[p + 3] = v & 0xff;
    this.pos += 4;
  }

  u64(v: bigint, what = 'u64 field'): void {
    if (typeof v !== 'bigint' || BigInt.asUintN(64, v) !== v) throw rangeError(what, v, 64);
    this.ensure(8);
    if (v === 0n) {
      for (let i = 0; i < 8; i++) this.buf[this.pos + i] = 0;
    } else {
      this.buf.writeBigUInt64BE(v, this.pos);
    }
    this.pos += 8;
  }

  bytes(b: Uint8Array, what = 'bytes'): void {
    if (!(b instanceof Uint8Array)) throw invalid(`${what} must be a Buffer or Uint8Array, got ${typeof b}`);
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  zeros(n: number): void {
    this.ensure(n);
    // Padding is usually a few bytes: a loop beats Buffer.fill's call overhead there.
    if (n <= 16) for (let i = 0; i < n; i++) this.buf[this.pos + i] = 0;
    else this.buf.fill(0, this.pos, this.pos + n);
    this.pos += n;
  }

  /** Zero-pads so that (length - start) is a multiple of 8. */
  pad8(start: number): void {
    const rem = (this.pos - start) % 8;
    if (rem !== 0) this.zeros(8 - rem);
  }

  /** A NUL-terminated string in a fixed field of n bytes (at most n - 1 characters). */
  fixedString(s: string, n: number, what = 'string'): void {
    if (typeof s !== 'string') throw invalid(`${what} must be a string`);
    const raw = Buffer.from(s, 'latin1');
    if (raw.length > n - 1) throw invalid(`${what} "${s}" is longer than ${n - 1} characters`);
    this.ensure(n);
    this.buf.fill(0, this.pos, this.pos + n);
    raw.copy(this.buf, this.pos);
    this.pos += n;
  }

  patchU16(at: number, v: number): void {
    this.buf.writeUInt16BE(v & 0xffff, at);
  }

  patchU32(at: number, v: number): void {
    this.buf.writeUInt32BE(v >>> 0, at);
  }

  /** A copy of the bytes written so far. */
  toBuffer(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.pos));
  }

  /** A view of the bytes written so far (valid until the next write). */
  view(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  reset(): void {
    this.pos = 0;
  }
}

function rangeError(what: string, v: unknown, bits: number): OpenFlowError {
  const shown = typeof v === 'bigint' ? `${v}n` : String(v);
  return invalid(`${what} ${shown} is not a ${bits}-bit unsigned integer`);
}
