// What the engine asks of durable storage (the file driver's write-ahead log; the memory driver
// has none). An entry is the *result* of a commit — objects as stored, deletions, claim changes —
// never the operations, so replaying it needs no conditions and no validation.
import type { ModelObject, TableName } from '@weir/model';
import type { Plan } from './plan.js';

export type PutRecord =
  | readonly [table: TableName, object: ModelObject]
  | readonly [table: TableName, object: ModelObject, lease: string];

export interface JournalEntry {
  /** The revision the entry produces (an entry with only `k` keeps the current revision). */
  readonly r: number;
  /** Objects written (created or updated), with the lease they are bound to. */
  readonly p?: readonly PutRecord[];
  /** Objects deleted. */
  readonly d?: readonly (readonly [table: TableName, id: string])[];
  /** Claims taken. */
  readonly c?: readonly (readonly [namespace: string, key: string, owner: string])[];
  /** Claims released. */
  readonly u?: readonly (readonly [namespace: string, key: string])[];
  /** Unique keys reserved: table -> highest key that may be handed out. */
  readonly k?: Readonly<Partial<Record<TableName, number>>>;
}

export interface Journal {
  /**
   * Makes `record` (the JSON text of one JournalEntry) durable; records are appended, and their
   * promises settle, in call order.
   */
  append(record: string): Promise<void>;
  /** The largest record accepted (a commit whose record is larger is refused before it applies). */
  readonly maxRecordBytes: number;
  /** Unique keys reserved per durable write (a key is handed out only once its block is durable). */
  readonly uniqueKeyBlock: number;
  /** Flushes what is pending and releases the storage. */
  close(): Promise<void>;
}

export function entryOf(plan: Plan): JournalEntry {
  const p: PutRecord[] = [];
  const d: (readonly [TableName, string])[] = [];
  for (const w of plan.writes) {
    if (!w.next) d.push([w.table, w.id]);
    else if (w.next.lease === undefined) p.push([w.table, w.next.object]);
    else p.push([w.table, w.next.object, w.next.lease]);
  }
  const c: (readonly [string, string, string])[] = [];
  const u: (readonly [string, string])[] = [];
  for (const claim of plan.claims) {
    if (claim.owner === undefined) u.push([claim.namespace, claim.key]);
    else c.push([claim.namespace, claim.key, claim.owner]);
  }
  return {
    r: plan.revision,
    ...(p.length > 0 ? { p } : {}),
    ...(d.length > 0 ? { d } : {}),
    ...(c.length > 0 ? { c } : {}),
    ...(u.length > 0 ? { u } : {}),
  };
}
