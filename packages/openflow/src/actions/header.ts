// Action framing shared by every action codec: type, length (patched at the end, padded to 8),
// and for Nicira actions the vendor id and subtype.
import type { Writer } from '../bytes.js';
import { NX_VENDOR_ID, OFPAT } from '../constants.js';

/** Starts an action; returns its start offset for endAction. */
export function beginAction(w: Writer, type: number): number {
  const start = w.length;
  w.u16(type);
  w.u16(0);
  return start;
}

/** Starts a Nicira action: 10 bytes of header (type, len, vendor, subtype). */
export function beginNx(w: Writer, subtype: number): number {
  const start = beginAction(w, OFPAT.EXPERIMENTER);
  w.u32(NX_VENDOR_ID);
  w.u16(subtype);
  return start;
}

/** Pads the action to a multiple of 8 bytes and writes its length. */
export function endAction(w: Writer, start: number): void {
  w.pad8(start);
  w.patchU16(start + 2, w.length - start);
}
