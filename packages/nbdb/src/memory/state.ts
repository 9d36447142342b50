// The embedded drivers' data: objects per table (by id and by topic), secondary indexes, claims,
// lease bindings, unique-key reservations and the revision. One mutating primitive, `setEntry`,
// keeps every structure consistent for one object and is its own inverse (swap `next` and `prev`),
// which is what lets a commit undo itself if anything throws half-way.
import type { ModelObject, TableName } from '@weir/model';
import type { IndexDiff } from '../shared/indexes.js';

export interface Entry {
  /** Deeply frozen; `object.version` is the revision of its last write. */
  readonly object: ModelObject;
  /** The lease the object was created under (it is deleted when the lease ends). */
  readonly lease?: string;
}

/**
 * The ids listed under one index value. Most values list one object (a device id, a port's own
 * subnet set…), so a lone id is kept as a string and a Set is made only for the second one: a Set
 * per value would cost ~150 bytes for each of 100,000 ports.
 */
type Ids = string | Set<string>;

export class TableState {
  readonly byId = new Map<string, Entry>();
  readonly byTopic = new Map<string, Map<string, Entry>>();
  /** index name -> value -> ids listed under it. */
  readonly indexes = new Map<string, Map<string, Ids>>();

  idsUnder(index: string, value: string): Iterable<string> {
    const ids = this.indexes.get(index)?.get(value);
    return ids === undefined ? [] : typeof ids === 'string' ? [ids] : ids;
  }

  countUnder(index: string, value: string): number {
    const ids = this.indexes.get(index)?.get(value);
    return ids === undefined ? 0 : typeof ids === 'string' ? 1 : ids.size;
  }

  addToIndex(index: string, value: string, id: string): void {
    let values = this.indexes.get(index);
    if (!values) {
      values = new Map();
      this.indexes.set(index, values);
    }
    const ids = values.get(value);
    if (ids === undefined) values.set(value, id);
    else if (typeof ids === 'string') {
      if (ids !== id) values.set(value, new Set([ids, id]));
    } else ids.add(id);
  }

  removeFromIndex(index: string, value: string, id: string): void {
    const values = this.indexes.get(index);
    const ids = values?.get(value);
    if (ids === undefined || !values) return;
    if (typeof ids === 'string') {
      if (ids === id) values.delete(value);
    } else if (ids.delete(id) && ids.size === 1) {
      values.set(value, ids.values().next().value as string);
    }
  }
}

const leaseRef = (table: TableName, id: string): string => `${table}\u0000${id}`;

export function parseLeaseRef(ref: string): { table: TableName; id: string } {
  const cut = ref.indexOf('\u0000');
  return { table: ref.slice(0, cut) as TableName, id: ref.slice(cut + 1) };
}

export class StoreState {
  revision = 0;
  readonly tables = new Map<TableName, TableState>();
  /** namespace -> key -> owner. */
  readonly claims = new Map<string, Map<string, string>>();
  /** lease id -> "table\0id" of the objects bound to it. */
  readonly leased = new Map<string, Set<string>>();
  /** table -> highest unique key that may have been handed out (the file driver persists it). */
  readonly uniqueKeyReserved = new Map<TableName, number>();

  table(name: TableName): TableState {
    let t = this.tables.get(name);
    if (!t) {
      t = new TableState();
      this.tables.set(name, t);
    }
    return t;
  }

  get(table: TableName, id: string): Entry | undefined {
    return this.tables.get(table)?.byId.get(id);
  }

  claimOwner(namespace: string, key: string): string | undefined {
    return this.claims.get(namespace)?.get(key);
  }

  /**
   * Replaces object `id` of `table`: `prev` is what is stored now (undefined: absent), `next` what
   * it becomes (undefined: deleted), `diff` the index entries that change between them.
   */
  setEntry(
    table: TableName,
    id: string,
    next: Entry | undefined,
    prev: Entry | undefined,
    diff: IndexDiff,
  ): void {
    const t = this.table(table);
    if (next) t.byId.set(id, next);
    else t.byId.delete(id);
    if (prev && prev.object.topic !== next?.object.topic) {
      const topic = t.byTopic.get(prev.object.topic);
      topic?.delete(id);
      if (topic?.size === 0) t.byTopic.delete(prev.object.topic);
    }
    if (next) {
      let topic = t.byTopic.get(next.object.topic);
      if (!topic) {
        topic = new Map();
        t.byTopic.set(next.object.topic, topic);
      }
      topic.set(id, next);
    }
    for (const { name, value } of diff.removed) t.removeFromIndex(name, value, id);
    for (const { name, value } of diff.added) t.addToIndex(name, value, id);
    if (prev?.lease !== next?.lease) {
      if (prev?.lease !== undefined) {
        const refs = this.leased.get(prev.lease);
        refs?.delete(leaseRef(table, id));
        if (refs?.size === 0) this.leased.delete(prev.lease);
      }
      if (next?.lease !== undefined) {
        let refs = this.leased.get(next.lease);
        if (!refs) {
          refs = new Set();
          this.leased.set(next.lease, refs);
        }
        refs.add(leaseRef(table, id));
      }
    }
  }

  /** Sets (owner) or removes (undefined) a claim; returns the previous owner. */
  setClaim(namespace: string, key: string, owner: string | undefined): string | undefined {
    let keys = this.claims.get(namespace);
    const prev = keys?.get(key);
    if (owner === undefined) {
      keys?.delete(key);
      if (keys?.size === 0) this.claims.delete(namespace);
    } else {
      if (!keys) {
        keys = new Map();
        this.claims.set(namespace, keys);
      }
      keys.set(key, owner);
    }
    return prev;
  }
}
