// Index arithmetic shared by the drivers: the (index, value) entries an object is listed under,
// and what changes between two versions of an object, so index maintenance is incremental (one
// object's change touches only its own entries, never a scan).
import { TABLES, type ModelObject, type TableName } from '@weir/model';

export interface IndexEntry {
  readonly name: string;
  readonly value: string;
}

export interface IndexDiff {
  readonly added: readonly IndexEntry[];
  readonly removed: readonly IndexEntry[];
}

const NO_ENTRIES: readonly IndexEntry[] = [];

export function hasIndex(table: TableName, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(TABLES[table].indexes, name);
}

/** Every (index, value) pair `object` is listed under; values are de-duplicated per index. */
export function indexEntries(table: TableName, object: ModelObject | undefined): readonly IndexEntry[] {
  if (!object) return NO_ENTRIES;
  const out: IndexEntry[] = [];
  const indexes = TABLES[table].indexes as Readonly<Record<string, (o: ModelObject) => readonly string[]>>;
  for (const name in indexes) {
    const fn = indexes[name] as (o: ModelObject) => readonly string[];
    const values = fn(object);
    if (values.length === 1) out.push({ name, value: values[0] as string });
    else for (const value of new Set(values)) out.push({ name, value });
  }
  return out;
}

const entryKey = (e: IndexEntry): string => `${e.name}\u0000${e.value}`;

/** The entries to add and remove when `prev` becomes `next` (either may be absent). */
export function indexDiff(
  table: TableName,
  prev: ModelObject | undefined,
  next: ModelObject | undefined,
): IndexDiff {
  const before = indexEntries(table, prev);
  const after = indexEntries(table, next);
  if (before.length === 0 || after.length === 0) return { added: after, removed: before };
  const beforeKeys = new Set(before.map(entryKey));
  const afterKeys = new Set(after.map(entryKey));
  return {
    added: after.filter((e) => !beforeKeys.has(entryKey(e))),
    removed: before.filter((e) => !afterKeys.has(entryKey(e))),
  };
}
