// Rebuilding the state from a snapshot and log entries. Entries are results (objects as stored,
// deletions, claims), so replay checks no conditions and validates no objects — the frames' CRCs
// vouch for the bytes — but it does check that revisions follow each other, which catches a lost or
// misplaced log file.
import { WeirError, type TableName } from '@weir/model';
import { deepFreeze } from '../shared/clone.js';
import { indexDiff } from '../shared/indexes.js';
import type { JournalEntry, PutRecord } from '../memory/journal.js';
import { StoreState, type Entry } from '../memory/state.js';
import type { SnapshotData } from './snapshot.js';

function put(state: StoreState, [table, object, lease]: PutRecord): void {
  const prev = state.get(table, object.id);
  const next: Entry =
    lease === undefined ? { object: deepFreeze(object) } : { object: deepFreeze(object), lease };
  state.setEntry(table, object.id, next, prev, indexDiff(table, prev?.object, next.object));
}

function reserveKeys(state: StoreState, k: Readonly<Partial<Record<TableName, number>>>): void {
  for (const [table, reserved] of Object.entries(k) as [TableName, number][]) {
    state.uniqueKeyReserved.set(table, Math.max(state.uniqueKeyReserved.get(table) ?? 0, reserved));
  }
}

export function stateFromSnapshot(data: SnapshotData): StoreState {
  const state = new StoreState();
  for (const record of data.objects) put(state, record);
  for (const [namespace, key, owner] of data.claims) state.setClaim(namespace, key, owner);
  for (const [table, reserved] of data.uniqueKeys) state.uniqueKeyReserved.set(table, reserved);
  state.revision = data.revision;
  return state;
}

/**
 * Applies one log entry. Entries at or below the state's revision are already in it (a snapshot is
 * captured while the entries just before it may still be queued for the new log) and are skipped,
 * except their key reservations, which are idempotent. Throws WEIR_STORE_CORRUPT on a gap.
 */
export function replayEntry(state: StoreState, entry: JournalEntry, where: string): void {
  if (entry.k) reserveKeys(state, entry.k);
  const changes = entry.p || entry.d || entry.c || entry.u;
  if (!changes || entry.r <= state.revision) return;
  if (entry.r !== state.revision + 1)
    throw new WeirError(
      'WEIR_STORE_CORRUPT',
      `${where}: revision ${entry.r} follows ${state.revision} (a log entry is missing)`,
    );
  for (const record of entry.p ?? []) put(state, record);
  for (const [table, id] of entry.d ?? []) {
    const prev = state.get(table, id);
    if (!prev)
      throw new WeirError('WEIR_STORE_CORRUPT', `${where}: deletes ${table} ${id}, which does not exist`);
    state.setEntry(table, id, undefined, prev, indexDiff(table, prev.object, undefined));
  }
  for (const [namespace, key, owner] of entry.c ?? []) state.setClaim(namespace, key, owner);
  for (const [namespace, key] of entry.u ?? []) state.setClaim(namespace, key, undefined);
  state.revision = entry.r;
}
