// The replica's data and the two ways it changes, both all-or-nothing:
//  - applyUpdates(): one update2/update3 batch (one server transaction). Every row of the batch
//    is decoded and computed first; only if all succeed is the state mutated. A consumer can
//    therefore never observe half a transaction, and a bad batch leaves the replica intact.
//  - replaceAll(): a full initial state after a resync (monitor_cond_since found=false). The
//    new state is built aside and compared with the old one, and only the difference is
//    applied and reported — unchanged rows produce no events.
// Rows are frozen plain objects with `_uuid`; an update replaces the row object (copy on write),
// so a row a consumer holds never changes under it.
import { applyDatumDiff } from '../data/diff.js';
import { decodeRow } from '../data/rows.js';
import { findColumn, getTable, type DatabaseSchema, type OvsdbValue } from '../data/schema.js';
import { rowEquals } from '../data/values.js';
import { OvsdbError } from '../errors.js';
import type { RowUpdate2, TableUpdates2 } from './table-updates.js';

export type StoredRow = Readonly<Record<string, OvsdbValue>> & { readonly _uuid: string };

export type StoredChange =
  | {
      readonly table: string;
      readonly kind: 'insert';
      readonly uuid: string;
      readonly old: undefined;
      readonly new: StoredRow;
    }
  | {
      readonly table: string;
      readonly kind: 'update';
      readonly uuid: string;
      readonly old: StoredRow;
      readonly new: StoredRow;
    }
  | {
      readonly table: string;
      readonly kind: 'delete';
      readonly uuid: string;
      readonly old: StoredRow;
      readonly new: undefined;
    };

export class ReplicaState {
  /** table → uuid → row. The Map objects are stable for the replica's lifetime. */
  readonly tables = new Map<string, Map<string, StoredRow>>();

  constructor(
    private readonly schema: DatabaseSchema<unknown>,
    /** table → monitored columns (defaults are filled for these). */
    private readonly columns: ReadonlyMap<string, readonly string[]>,
  ) {
    for (const table of columns.keys()) this.tables.set(table, new Map());
  }

  /** Applies one batch; returns the changes, in server order. Throws without changing anything. */
  applyUpdates(updates: TableUpdates2): StoredChange[] {
    const changes: StoredChange[] = [];
    for (const [table, rows] of updates) {
      const current = this.tables.get(table);
      if (current === undefined) continue; // Not monitored: ignore rather than trust.
      for (const [uuid, update] of rows) {
        const change = this.computeChange(table, uuid, current.get(uuid), update);
        if (change !== undefined) changes.push(change);
      }
    }
    this.commit(changes);
    return changes;
  }

  /**
   * Replaces the whole state with `initial` (a complete dump of `<table-updates2>` with only
   * initial/insert rows); returns the changes that turn the old state into the new one.
   */
  replaceAll(initial: TableUpdates2): StoredChange[] {
    const next = new Map<string, Map<string, StoredRow>>();
    for (const table of this.tables.keys()) next.set(table, new Map());
    for (const [table, rows] of initial) {
      const target = next.get(table);
      if (target === undefined) continue;
      for (const [uuid, update] of rows) {
        if (update.kind !== 'initial' && update.kind !== 'insert') {
          throw new OvsdbError('OVSDB_PROTOCOL', `initial state of ${table} contains a ${update.kind}`);
        }
        target.set(uuid, this.decode(table, uuid, update.row));
      }
    }
    const changes = diffStates(this.tables, next);
    this.commit(changes);
    return changes;
  }

  /** Forgets every row (without reporting); used when a replica is closed. */
  clear(): void {
    for (const rows of this.tables.values()) rows.clear();
  }

  private computeChange(
    table: string,
    uuid: string,
    old: StoredRow | undefined,
    update: RowUpdate2,
  ): StoredChange | undefined {
    switch (update.kind) {
      case 'initial':
      case 'insert': {
        // Also used for rows that start matching after monitor_cond_change; an insert for a
        // row we hold replaces it (ovsdb-idl is just as tolerant).
        const row = this.decode(table, uuid, update.row);
        if (old === undefined) return { table, kind: 'insert', uuid, old: undefined, new: row };
        return rowEquals(old, row) ? undefined : { table, kind: 'update', uuid, old, new: row };
      }
      case 'modify': {
        if (old === undefined) {
          throw new OvsdbError('OVSDB_INCONSISTENT', `modify of unknown row ${uuid} in ${table}`);
        }
        const row = this.modify(table, old, update.diff);
        return rowEquals(old, row) ? undefined : { table, kind: 'update', uuid, old, new: row };
      }
      case 'delete':
        // Deleting a row we never had changes nothing a consumer could see.
        return old === undefined ? undefined : { table, kind: 'delete', uuid, old, new: undefined };
    }
  }

  private decode(table: string, uuid: string, json: Readonly<Record<string, unknown>>): StoredRow {
    const row = decodeRow(getTable(this.schema, table), table, json, this.columns.get(table));
    row['_uuid'] = uuid;
    return Object.freeze(row) as StoredRow;
  }

  private modify(table: string, old: StoredRow, diff: Readonly<Record<string, unknown>>): StoredRow {
    const schema = getTable(this.schema, table);
    const row: Record<string, OvsdbValue> = { ...old };
    for (const [name, value] of Object.entries(diff)) {
      const column = findColumn(schema, name);
      if (column === undefined) continue;
      row[name] = applyDatumDiff(column.type, old[name], value, `${table}.${name}`);
    }
    return Object.freeze(row) as StoredRow;
  }

  private commit(changes: readonly StoredChange[]): void {
    for (const change of changes) {
      const rows = this.tables.get(change.table);
      if (rows === undefined) continue;
      if (change.kind === 'delete') rows.delete(change.uuid);
      else rows.set(change.uuid, change.new);
    }
  }
}

/** The changes that turn `before` into `after`: only rows that differ, deletes last per table. */
export function diffStates(
  before: ReadonlyMap<string, ReadonlyMap<string, StoredRow>>,
  after: ReadonlyMap<string, ReadonlyMap<string, StoredRow>>,
): StoredChange[] {
  const changes: StoredChange[] = [];
  const tables = new Set([...before.keys(), ...after.keys()]);
  for (const table of tables) {
    const oldRows = before.get(table) ?? new Map<string, StoredRow>();
    const newRows = after.get(table) ?? new Map<string, StoredRow>();
    for (const [uuid, row] of newRows) {
      const old = oldRows.get(uuid);
      if (old === undefined) changes.push({ table, kind: 'insert', uuid, old: undefined, new: row });
      else if (!rowEquals(old, row)) changes.push({ table, kind: 'update', uuid, old, new: row });
    }
    for (const [uuid, old] of oldRows) {
      if (!newRows.has(uuid)) changes.push({ table, kind: 'delete', uuid, old, new: undefined });
    }
  }
  return changes;
}
