// Splits a byte stream into OpenFlow messages using the header's length field. A length below
// the header size cannot be resynchronised, so it is reported as a fatal protocol error.
import { OFP_HEADER_LEN } from '../constants.js';
import { OpenFlowError } from '../errors.js';

export class MessageFramer {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  /** Adds received bytes; returns the complete messages now available (each its own Buffer view). */
  push(chunk: Buffer): Buffer[] {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes < OFP_HEADER_LEN) return [];
    let buf =
      this.pending.length === 1
        ? (this.pending[0] as Buffer)
        : Buffer.concat(this.pending, this.pendingBytes);
    const out: Buffer[] = [];
    let at = 0;
    while (buf.length - at >= OFP_HEADER_LEN) {
      const length = buf.readUInt16BE(at + 2);
      if (length < OFP_HEADER_LEN) {
        throw new OpenFlowError('OF_PROTOCOL', `message length ${length} is shorter than the header`, at + 2);
      }
      if (buf.length - at < length) break;
      out.push(buf.subarray(at, at + length));
      at += length;
    }
    buf = buf.subarray(at);
    this.pending = buf.length ? [buf] : [];
    this.pendingBytes = buf.length;
    return out;
  }
}
