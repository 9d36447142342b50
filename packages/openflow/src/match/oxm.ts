// OXM TLVs (OpenFlow 1.3 §7.2.3) and the ofp_match structure that carries them.
import type { Reader, Writer } from '../bytes.js';
import { OpenFlowError, invalid } from '../errors.js';
import {
  fieldByHeader,
  fieldByName,
  matchRank,
  type FieldSpec,
  type WireHeader,
} from '../fields/registry.js';
import type { FieldMatch } from '../fields/types.js';
import {
  checkValue,
  isFullMask,
  isZeroMask,
  maskValue,
  readValue,
  writeValue,
  type Value,
} from '../fields/values.js';
import { checkPrerequisites } from './prerequisites.js';
import type { Match, MatchEntry, UnknownMatchField } from './types.js';

const OFPMT_OXM = 1;
const EXPERIMENTER_CLASS = 0xffff;

export function oxmHeaderWord(h: WireHeader, payloadLength: number, hasMask: boolean): number {
  return ((h.oxmClass << 16) | (h.field << 9) | (hasMask ? 0x100 : 0) | payloadLength) >>> 0;
}

/** Writes a field header (no value) as Nicira actions use it: class/field/len, mask bit clear. */
export function writeFieldHeader(w: Writer, h: WireHeader, valueBytes: number, hasMask = false): void {
  const exp = h.experimenter === undefined ? 0 : 4;
  w.u32(oxmHeaderWord(h, exp + valueBytes * (hasMask ? 2 : 1), hasMask));
  if (h.experimenter !== undefined) w.u32(h.experimenter);
}

/** Reads a header written by writeFieldHeader; returns the field and whether a mask follows. */
export function readFieldHeader(r: Reader): {
  spec: FieldSpec | undefined;
  header: WireHeader;
  hasMask: boolean;
  length: number;
} {
  const word = r.u32('field header');
  const oxmClass = word >>> 16;
  const field = (word >>> 9) & 0x7f;
  const hasMask = (word & 0x100) !== 0;
  let length = word & 0xff;
  let header: WireHeader = { oxmClass, field };
  if (oxmClass === EXPERIMENTER_CLASS) {
    if (length < 4)
      throw new OpenFlowError('OF_BAD_LENGTH', `experimenter OXM with length ${length}`, r.offset - 4);
    header = { oxmClass, field, experimenter: r.u32('OXM experimenter') };
    length -= 4;
  }
  return { spec: fieldByHeader(header), header, hasMask, length };
}

function sortKey(e: MatchEntry): number {
  return e.field === 'unknown' ? 1e6 : (matchRank.get(e.field) ?? 1e5);
}

/** Entries in canonical (Open vSwitch) order; unknown entries last. Stable. */
export function canonicalMatchOrder(match: Match): readonly MatchEntry[] {
  // Ranks are looked up once per entry (not once per comparison); matches are short, so an
  // insertion sort on the ranks beats Array.prototype.sort with a comparator here.
  const n = match.length;
  const ranks = new Array<number>(n);
  let sorted = true;
  for (let i = 0; i < n; i++) {
    ranks[i] = sortKey(match[i] as MatchEntry);
    if (i > 0 && (ranks[i] as number) < (ranks[i - 1] as number)) sorted = false;
  }
  if (sorted) return match;
  const out = [...match];
  for (let i = 1; i < n; i++) {
    const e = out[i] as MatchEntry;
    const r = ranks[i] as number;
    let j = i - 1;
    while (j >= 0 && (ranks[j] as number) > r) {
      out[j + 1] = out[j] as MatchEntry;
      ranks[j + 1] = ranks[j] as number;
      j--;
    }
    out[j + 1] = e;
    ranks[j + 1] = r;
  }
  return out;
}

/**
 * The match as Open vSwitch would encode it: xxreg constraints split into the 32-bit registers
 * they overlay (OpenFlow 1.3 has no 128-bit register OXM), masks that cover every bit dropped,
 * masked-off value bits cleared, canonical order.
 */
export function normalizeMatch(match: Match): readonly MatchEntry[] {
  let plain = true;
  for (const e of match) {
    if (e.field !== 'unknown' && (e.mask !== undefined || e.field.startsWith('xxreg'))) {
      plain = false;
      break;
    }
  }
  if (plain) return canonicalMatchOrder(match);
  const out: MatchEntry[] = [];
  for (const e of match) {
    if (e.field === 'unknown') {
      out.push(e);
      continue;
    }
    const spec = specFor(e);
    if (e.field.startsWith('xxreg')) {
      const x = Number(e.field.slice(5));
      const v = BigInt(e.value);
      const m = e.mask === undefined ? (1n << 128n) - 1n : BigInt(e.mask);
      for (let i = 0; i < 4; i++) {
        const shift = BigInt((3 - i) * 32);
        const wm = Number((m >> shift) & 0xffffffffn);
        if (wm === 0) continue;
        const wv = (Number((v >> shift) & 0xffffffffn) & wm) >>> 0;
        out.push(wm === 0xffffffff ? makeEntry(`reg${x * 4 + i}`, wv) : makeEntry(`reg${x * 4 + i}`, wv, wm));
      }
      continue;
    }
    if (e.mask === undefined) out.push(e);
    else if (isZeroMask(spec, e.mask))
      continue; // a zero mask matches anything: no constraint
    else if (isFullMask(spec, e.mask)) out.push(makeEntry(e.field, maskValue(spec, e.value, e.mask)));
    else out.push(makeEntry(e.field, maskValue(spec, e.value, e.mask), e.mask));
  }
  // xxregN overlays reg(4N)..reg(4N+3): a match on both would send one register twice.
  for (let i = 0; i < out.length; i++) {
    const f = (out[i] as MatchEntry).field;
    if (f === 'unknown') continue;
    for (let j = 0; j < i; j++) {
      if ((out[j] as MatchEntry).field === f)
        throw invalid(`field ${f} is constrained twice (directly and through an xxreg)`);
    }
  }
  return canonicalMatchOrder(out);
}

function specFor(e: FieldMatch): FieldSpec {
  const spec = fieldByName(e.field);
  if (!spec?.oxm) throw invalid(`field ${e.field} cannot be matched`);
  return spec;
}

/** Validates a match before encoding: known fields, value types and widths, no duplicates, masks allowed, prerequisites. */
export function validateMatch(match: Match): void {
  for (let i = 0; i < match.length; i++) {
    const e = match[i] as MatchEntry;
    if (e.field === 'unknown') continue;
    const spec = specFor(e);
    for (let j = 0; j < i; j++) {
      if ((match[j] as MatchEntry).field === e.field)
        throw invalid(`field ${e.field} appears twice in a match`);
    }
    checkValue(spec, e.value);
    if (e.mask !== undefined) {
      if (!spec.maskable) throw invalid(`field ${e.field} cannot be masked`);
      checkValue(spec, e.mask, 'mask');
    }
  }
  checkPrerequisites(match);
}

export function writeOxm(w: Writer, e: MatchEntry): void {
  if (e.field === 'unknown') {
    const header: WireHeader =
      e.experimenter === undefined
        ? { oxmClass: e.oxmClass, field: e.oxmField }
        : { oxmClass: e.oxmClass, field: e.oxmField, experimenter: e.experimenter };
    const exp = e.experimenter === undefined ? 0 : 4;
    w.u32(oxmHeaderWord(header, exp + e.payload.length, e.hasMask));
    if (e.experimenter !== undefined) w.u32(e.experimenter);
    w.bytes(e.payload);
    return;
  }
  const spec = specFor(e);
  const header = spec.oxm as WireHeader;
  writeFieldHeader(w, header, spec.bytes, e.mask !== undefined);
  // OpenFlow requires value bits outside the mask to be zero (else OFPBMC_BAD_WILDCARDS).
  writeValue(w, spec, e.mask === undefined ? e.value : maskValue(spec, e.value, e.mask));
  if (e.mask !== undefined) writeValue(w, spec, e.mask);
}

export function readOxm(r: Reader): MatchEntry {
  const start = r.offset;
  const { spec, header, hasMask, length } = readFieldHeader(r);
  if (!spec || length !== spec.bytes * (hasMask ? 2 : 1)) {
    // Unknown field, or a known header with an unexpected width (e.g. a future variant): keep raw.
    const payload = Buffer.from(r.bytes(length, 'OXM payload'));
    if (spec && spec.oxm && header.oxmClass === spec.oxm.oxmClass) {
      throw new OpenFlowError('OF_BAD_LENGTH', `OXM ${spec.name} has length ${length}`, start);
    }
    const unknown: UnknownMatchField = {
      field: 'unknown',
      oxmClass: header.oxmClass,
      oxmField: header.field,
      ...(header.experimenter === undefined ? {} : { experimenter: header.experimenter }),
      hasMask,
      payload,
    };
    return unknown;
  }
  const value = readValue(r, spec);
  const mask = hasMask ? readValue(r, spec) : undefined;
  return makeEntry(spec.name, value, mask);
}

/** Builds a FieldMatch from runtime values (the registry guarantees the value types agree). */
export function makeEntry(field: string, value: Value, mask?: Value): FieldMatch {
  return (mask === undefined ? { field, value } : { field, value, mask }) as FieldMatch;
}

/** Encodes a complete ofp_match (type, length, OXMs, padding to 8 bytes). */
export function writeMatch(w: Writer, match: Match): void {
  validateMatch(match);
  const start = w.length;
  w.u16(OFPMT_OXM);
  w.u16(0); // patched
  for (const e of normalizeMatch(match)) writeOxm(w, e);
  w.patchU16(start + 2, w.length - start);
  w.pad8(start);
}

export function readMatch(r: Reader): Match {
  const start = r.offset;
  const type = r.u16('ofp_match.type');
  const length = r.u16('ofp_match.length');
  if (type !== OFPMT_OXM)
    throw new OpenFlowError('OF_UNSUPPORTED', `ofp_match type ${type} (only OXM)`, start);
  if (length < 4) throw new OpenFlowError('OF_BAD_LENGTH', `ofp_match length ${length}`, start);
  const body = r.sub(length - 4, 'ofp_match fields');
  const entries: MatchEntry[] = [];
  while (body.remaining > 0) entries.push(readOxm(body));
  const padded = (length + 7) & ~7;
  r.skip(padded - length, 'ofp_match padding');
  return entries;
}

/** Size in bytes of the padded ofp_match for `match`. */
export function matchLength(match: Match): number {
  let n = 4;
  for (const e of match) {
    if (e.field === 'unknown') n += 4 + (e.experimenter === undefined ? 0 : 4) + e.payload.length;
    else {
      const spec = specFor(e);
      n += 4 + (spec.oxm?.experimenter === undefined ? 0 : 4) + spec.bytes * (e.mask === undefined ? 1 : 2);
    }
  }
  return (n + 7) & ~7;
}
