// Frames: how the write-ahead log and the snapshots put records on disk.
//
//   offset 0  magic   4 bytes  D7 45 49 52  (0xD7 can never start valid UTF-8 followed by "EIR",
//                                            so a frame start is never found inside JSON text)
//   offset 4  length  u32 LE   payload bytes (1 .. MAX_FRAME_BYTES)
//   offset 8  crc     u32 LE   CRC-32 of the payload
//   offset 12 payload          UTF-8 JSON
//
// A reader distinguishes a *torn tail* (the last write was cut short by a crash: nothing valid
// follows the first bad frame — safe to truncate, since a frame is acknowledged only after it is
// synced and every later frame was unacknowledged) from *corruption* (a bad frame with a valid
// frame after it: data that had been synced is damaged — refuse to guess).
import { crc32 } from 'node:zlib';

export const FRAME_MAGIC = Buffer.from([0xd7, 0x45, 0x49, 0x52]);
export const FRAME_HEADER_BYTES = 12;
/** A frame is one group commit, or one chunk of a snapshot; far above either in practice. */
export const MAX_FRAME_BYTES = 256 * 1024 * 1024;

export function encodeFrame(payload: Buffer): Buffer {
  if (payload.length === 0 || payload.length > MAX_FRAME_BYTES)
    throw new RangeError(`frame payload of ${payload.length} bytes is out of range`);
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payload.length);
  FRAME_MAGIC.copy(frame, 0);
  frame.writeUInt32LE(payload.length, 4);
  frame.writeUInt32LE(crc32(payload), 8);
  payload.copy(frame, FRAME_HEADER_BYTES);
  return frame;
}

export function encodeJsonFrame(value: unknown): Buffer {
  return encodeFrame(Buffer.from(JSON.stringify(value), 'utf8'));
}

export interface Frame {
  readonly offset: number;
  readonly payload: Buffer;
}

export interface ScanResult {
  readonly frames: readonly Frame[];
  /** Where the valid frames end (the file should be truncated here if `tail` is 'torn'). */
  readonly end: number;
  /** 'clean': the file ends with a whole frame; 'torn': garbage after `end` and no valid frame in it; 'corrupt': a bad frame at `end` with a valid one after it. */
  readonly tail: 'clean' | 'torn' | 'corrupt';
}

/** The frame at `offset`, or undefined if there is no whole, valid frame there. */
function frameAt(buf: Buffer, offset: number): Frame | undefined {
  if (buf.length - offset < FRAME_HEADER_BYTES) return undefined;
  if (buf.compare(FRAME_MAGIC, 0, 4, offset, offset + 4) !== 0) return undefined;
  const length = buf.readUInt32LE(offset + 4);
  if (length === 0 || length > MAX_FRAME_BYTES || offset + FRAME_HEADER_BYTES + length > buf.length)
    return undefined;
  const payload = buf.subarray(offset + FRAME_HEADER_BYTES, offset + FRAME_HEADER_BYTES + length);
  if (crc32(payload) !== buf.readUInt32LE(offset + 8)) return undefined;
  return { offset, payload };
}

/** Whether a valid frame starts anywhere after `offset`. */
function validFrameAfter(buf: Buffer, offset: number): boolean {
  for (let at = buf.indexOf(FRAME_MAGIC, offset + 1); at >= 0; at = buf.indexOf(FRAME_MAGIC, at + 1)) {
    if (frameAt(buf, at)) return true;
  }
  return false;
}

export function scanFrames(buf: Buffer, start = 0): ScanResult {
  const frames: Frame[] = [];
  let offset = start;
  while (offset < buf.length) {
    const frame = frameAt(buf, offset);
    if (!frame) return { frames, end: offset, tail: validFrameAfter(buf, offset) ? 'corrupt' : 'torn' };
    frames.push(frame);
    offset += FRAME_HEADER_BYTES + frame.payload.length;
  }
  return { frames, end: offset, tail: 'clean' };
}
