// Structural equality and copying of decoded values and rows. Sets and maps hold only atoms
// (primitives), so `===` on elements is exact.
import { isMapValue, isSetValue, type Atom, type OvsdbValue } from './schema.js';

export function valueEquals(a: OvsdbValue, b: OvsdbValue): boolean {
  if (a === b) return true;
  if (isSetValue(a) && isSetValue(b)) {
    if (a.size !== b.size) return false;
    for (const element of a) if (!b.has(element)) return false;
    return true;
  }
  if (isMapValue(a) && isMapValue(b)) {
    if (a.size !== b.size) return false;
    for (const [key, value] of a) {
      if (!b.has(key) || b.get(key) !== value) return false;
    }
    return true;
  }
  return false;
}

/** Equality over the union of both rows' columns (a missing column equals undefined). */
export function rowEquals(
  a: Readonly<Record<string, OvsdbValue>>,
  b: Readonly<Record<string, OvsdbValue>>,
): boolean {
  for (const key of Object.keys(a)) if (!valueEquals(a[key], b[key])) return false;
  for (const key of Object.keys(b)) if (!(key in a) && b[key] !== undefined) return false;
  return true;
}

/** Names of the columns whose values differ between two rows. */
export function changedColumns(
  a: Readonly<Record<string, OvsdbValue>>,
  b: Readonly<Record<string, OvsdbValue>>,
): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((key) => !valueEquals(a[key], b[key]));
}

/** A plain JSON-friendly rendering (Sets → arrays, Maps → objects/pairs) for logs and tests. */
export function toPlain(value: OvsdbValue): unknown {
  if (isSetValue(value)) return [...value].sort(compareAtoms);
  if (isMapValue(value)) {
    const entries = [...value].sort(([a], [b]) => compareAtoms(a, b));
    return entries.every(([key]) => typeof key === 'string') ? Object.fromEntries(entries) : entries;
  }
  return value;
}

export function compareAtoms(a: Atom, b: Atom): number {
  if (typeof a === typeof b) return a < b ? -1 : a > b ? 1 : 0;
  return typeof a < typeof b ? -1 : 1;
}
