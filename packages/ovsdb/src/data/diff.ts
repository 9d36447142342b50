// update2 "modify" semantics (ovsdb-server(7), "update2 notification"; ovsdb_datum_apply_diff
// in OVS lib/ovsdb-data.c):
//  - columns that can hold at most one element carry the new value;
//  - "composite" columns (max > 1) carry a diff:
//      set: the symmetric difference old △ new — each element in the diff is toggled;
//      map: for each key in the diff: absent in old → add it; present with the same value →
//           remove it; present with another value → replace the value.
// The diff may hold more elements than the column's max (old and new both full), so it is
// decoded with the element count unconstrained.
import { OvsdbError } from '../errors.js';
import { decodeDatum, relaxed } from './datum.js';
import {
  isComposite,
  isMapValue,
  isSetValue,
  type Atom,
  type ColumnType,
  type OvsdbValue,
} from './schema.js';
import type { WireAtom, WireDatum } from './wire.js';

/** Applies an update2 modify entry for one column to its old value; returns the new value. */
export function applyDatumDiff(
  type: ColumnType,
  old: OvsdbValue,
  diffJson: unknown,
  context: string,
): OvsdbValue {
  if (!isComposite(type)) return decodeDatum(type, diffJson, context);
  const diff = decodeDatum(relaxed(type), diffJson, context);
  if (isMapValue(diff)) {
    if (!isMapValue(old)) throw inconsistent(context, 'map diff for a non-map value');
    const next = new Map<Atom, Atom>(old);
    for (const [key, value] of diff) {
      if (!next.has(key)) next.set(key, value);
      else if (next.get(key) === value) next.delete(key);
      else next.set(key, value);
    }
    return next;
  }
  if (isSetValue(diff)) {
    if (!isSetValue(old)) throw inconsistent(context, 'set diff for a non-set value');
    const next = new Set<Atom>(old);
    for (const element of diff) {
      if (next.has(element)) next.delete(element);
      else next.add(element);
    }
    // The server never produces a state outside the column's bounds; if applying the diff
    // does, our replica has drifted from the server's.
    if (type.max !== 'unlimited' && next.size > type.max) throw inconsistent(context, 'set grew beyond max');
    return next;
  }
  throw inconsistent(context, 'diff is not a set or map');
}

function inconsistent(context: string, problem: string): OvsdbError {
  return new OvsdbError('OVSDB_INCONSISTENT', `${context}: ${problem}`);
}

/**
 * The update2 modify entry that turns `old` into `next` (the inverse of applyDatumDiff), in wire
 * form with atoms encoded by `encode`. Used by tests and by servers written with this library.
 */
export function computeDatumDiff(
  type: ColumnType,
  old: OvsdbValue,
  next: OvsdbValue,
  encode: (atom: Atom) => WireAtom,
): WireDatum {
  if (!isComposite(type)) {
    if (next === undefined) return ['set', []];
    if (typeof next === 'object') throw new OvsdbError('OVSDB_INVALID_ARGUMENT', 'not a scalar value');
    return encode(next);
  }
  if (isMapValue(old) && isMapValue(next)) {
    const pairs: (readonly [WireAtom, WireAtom])[] = [];
    for (const [key, value] of old) {
      if (!next.has(key)) pairs.push([encode(key), encode(value)]);
    }
    for (const [key, value] of next) {
      if (old.get(key) !== value) pairs.push([encode(key), encode(value)]);
    }
    return ['map', pairs];
  }
  if (isSetValue(old) && isSetValue(next)) {
    const atoms: WireAtom[] = [];
    for (const element of old) if (!next.has(element)) atoms.push(encode(element));
    for (const element of next) if (!old.has(element)) atoms.push(encode(element));
    return ['set', atoms];
  }
  throw new OvsdbError('OVSDB_INVALID_ARGUMENT', 'computeDatumDiff: old and new must both be sets or maps');
}
