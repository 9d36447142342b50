// Matches in the normal form a switch compares them in: one (field, value, mask) per constrained
// field, masks as integers (an exact match has the all-ones mask), value bits outside the mask
// cleared, zero masks dropped, xxreg constraints split into the 32-bit registers they overlay
// (as OVS stores them), sorted by field name. Two matches are the same flow identity exactly when
// their normal forms are equal, which is what the string key encodes.
import {
  fieldByName,
  valueToBigInt,
  type FieldName,
  type FieldSpec,
  type Match,
  type MatchEntry,
} from '@weir/openflow';
import { Refusal } from './errors.js';

/** A field's registry entry; RangeError for a name @weir/openflow does not know. */
export function specOf(field: string): FieldSpec {
  const spec = fieldByName(field);
  if (!spec) throw new RangeError(`unknown field ${field}`);
  return spec;
}

export interface FieldConstraint {
  readonly field: FieldName;
  readonly value: bigint;
  readonly mask: bigint;
}

export type NormalMatch = readonly FieldConstraint[];

/**
 * The normal form of a match. Refuses (with the error OVS sends) what a switch refuses while
 * decoding a match: unknown fields, a field twice, masks on unmaskable fields, malformed values.
 */
export function normalizeMatch(match: Match): NormalMatch {
  const out: FieldConstraint[] = [];
  for (const e of match) pushEntry(out, e);
  if (out.length > 1) out.sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
  return out;
}

function pushEntry(out: FieldConstraint[], e: MatchEntry): void {
  if (e.field === 'unknown') throw new Refusal('OFPBMC_BAD_FIELD', `unknown OXM class ${e.oxmClass}`);
  const spec = specOf(e.field);
  if (!spec.oxm) throw new Refusal('OFPBMC_BAD_FIELD', `${e.field} cannot be matched`);
  if (e.mask !== undefined && !spec.maskable)
    throw new Refusal('OFPBMC_BAD_MASK', `${e.field} is not maskable`);
  const ones = spec.limitBig - 1n;
  let value: bigint;
  let mask: bigint;
  try {
    value = valueToBigInt(spec, e.value);
    mask = e.mask === undefined ? ones : valueToBigInt(spec, e.mask) & ones;
  } catch (error) {
    throw new Refusal('OFPBMC_BAD_VALUE', (error as Error).message);
  }
  if (value >= spec.limitBig) throw new Refusal('OFPBMC_BAD_VALUE', `${e.field} value too wide`);
  if (e.field.startsWith('xxreg')) {
    // xxregN is reg(4N)..reg(4N+3), most significant first.
    const base = Number(e.field.slice(5)) * 4;
    for (let i = 0; i < 4; i++) {
      const shift = BigInt((3 - i) * 32);
      const m = (mask >> shift) & 0xffffffffn;
      if (m !== 0n) add(out, `reg${base + i}` as FieldName, (value >> shift) & m, m);
    }
    return;
  }
  if (mask !== 0n) add(out, e.field, value & mask, mask);
}

function add(out: FieldConstraint[], field: FieldName, value: bigint, mask: bigint): void {
  if (out.some((c) => c.field === field)) throw new Refusal('OFPBMC_DUP_FIELD', `${field} appears twice`);
  out.push({ field, value, mask });
}

/**
 * A flow's identity within its table: equal keys ⇔ same priority and equal normal forms. Built
 * with join() so it is one flat string (a `+=` chain leaves a tree of string fragments behind,
 * which for 20,000 flows per switch is real memory).
 */
export function flowKey(priority: number, m: NormalMatch): string {
  const parts: string[] = [String(priority)];
  for (const c of m) {
    const mask = c.mask === specOf(c.field).limitBig - 1n ? '' : `/${c.mask.toString(16)}`;
    parts.push(`${c.field}=${c.value.toString(16)}${mask}`);
  }
  return parts.join(' ');
}

/**
 * OpenFlow's non-strict selection (modify, delete, flow stats): `flow` is selected by `request`
 * when it is at least as specific — every bit the request constrains, the flow constrains to the
 * same value.
 */
export function isAtLeastAsSpecific(flow: NormalMatch, request: NormalMatch): boolean {
  for (const r of request) {
    const f = flow.find((c) => c.field === r.field);
    if (!f || (f.mask & r.mask) !== r.mask || (f.value & r.mask) !== r.value) return false;
  }
  return true;
}

/** Whether some packet could match both (OFPFF_CHECK_OVERLAP). */
export function overlaps(a: NormalMatch, b: NormalMatch): boolean {
  for (const x of a) {
    const y = b.find((c) => c.field === x.field);
    if (y && ((x.value ^ y.value) & x.mask & y.mask) !== 0n) return false;
  }
  return true;
}
