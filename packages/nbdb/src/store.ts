// The northbound store: one interface, three drivers (memory:, file:PATH, etcd://…).
//
// Contract, identical for every driver (the conformance suite in test/conformance proves it):
// - Objects live in tables (see @weir/model TABLES) under a topic (their project, or a shared
//   topic). An object's `version` is the store revision of its last write; revisions only grow.
// - Every write goes through `commit`, which applies all its operations or none. Conditions
//   (compare-and-swap on versions, absence of an id, ownership of a claim, emptiness of an index
//   or no newcomer in it) are checked atomically with the writes. A failed condition throws a WeirError whose code says
//   why (WEIR_STORE_CONFLICT / _EXISTS / _NOT_FOUND / _CLAIMED) and whose `details[0].field` is
//   "/ops/<index>" of the operation that failed, when the driver can tell.
// - Claims are unique values owned by an object ("10.0.0.5 in subnet S is port P's"): the IPAM,
//   MAC, segmentation-id and quota rules of @weir/core are built on them.
// - Watches deliver every committed change, grouped per revision (one transaction's changes
//   arrive together), in revision order, and can resume from a revision. If the store no longer
//   has the history needed to resume, the watcher receives a `reset` (never a silent gap): it must
//   re-list, then it keeps receiving events from that point on.
import type { ModelObject, TableName, Tables } from '@weir/model';

export interface IndexQuery {
  readonly name: string;
  readonly value: string;
}

export interface ListOptions {
  /** Only objects of this topic. */
  readonly topic?: string;
  /** Only objects listed under this index value (see TABLES[table].indexes). */
  readonly index?: IndexQuery;
}

export interface ListResult<T> {
  readonly items: readonly T[];
  /** The store revision the list reflects (resume a watch from it to miss nothing). */
  readonly revision: number;
}

export interface Claim {
  readonly key: string;
  readonly owner: string;
}

export type WriteOp =
  /** Create; fails with WEIR_STORE_EXISTS if the id is taken (in any topic). `version` is ignored. */
  | {
      readonly kind: 'create';
      readonly table: TableName;
      readonly object: ModelObject;
      readonly lease?: string;
    }
  /**
   * Compare-and-swap update: `object.version` must equal the stored version (WEIR_STORE_CONFLICT
   * otherwise; WEIR_STORE_NOT_FOUND if gone). The topic may not change.
   */
  | { readonly kind: 'update'; readonly table: TableName; readonly object: ModelObject }
  /** Delete; with `expectedVersion`, only if unchanged. Fails with WEIR_STORE_NOT_FOUND if absent. */
  | {
      readonly kind: 'delete';
      readonly table: TableName;
      readonly id: string;
      readonly expectedVersion?: number;
    }
  /** Condition only: the object exists with this version, or (`'absent'`) does not exist. */
  | {
      readonly kind: 'check';
      readonly table: TableName;
      readonly id: string;
      readonly version: number | 'absent';
    }
  /** Condition only: no object of `table` is listed under this index value. */
  | { readonly kind: 'checkEmpty'; readonly table: TableName; readonly index: IndexQuery }
  /**
   * Condition only: no object of `table` has joined this index value after revision `since` (the
   * revision of a `list` under it). With that list, "these are all the objects under V" holds
   * until the commit, which checkEmpty cannot say of a value that lists objects (etcd: every
   * index key in the range was created at or before `since`). The embedded drivers judge it by
   * the versions of the objects listed, so they also fail it when one of those was written after
   * `since`; a caller that relies on it writes those objects with a version check anyway.
   */
  | {
      readonly kind: 'checkNoneJoined';
      readonly table: TableName;
      readonly index: IndexQuery;
      readonly since: number;
    }
  /** Take a unique value; fails with WEIR_STORE_CLAIMED if another owner holds it (same owner: no-op). */
  | { readonly kind: 'claim'; readonly namespace: string; readonly key: string; readonly owner: string }
  /** Give a value back; fails with WEIR_STORE_CLAIMED if another owner holds it (free: no-op). */
  | { readonly kind: 'release'; readonly namespace: string; readonly key: string; readonly owner: string };

export interface CommitResult {
  readonly revision: number;
  /** The created and updated objects as stored (with their new `version`), in op order. */
  readonly written: readonly ModelObject[];
}

export type WatchEvent =
  | {
      readonly type: 'put';
      readonly table: TableName;
      readonly object: ModelObject;
      readonly prev?: ModelObject;
    }
  | { readonly type: 'delete'; readonly table: TableName; readonly prev: ModelObject }
  /** History needed to resume is gone: re-list everything the watch covers, then carry on. */
  | { readonly type: 'reset' };

export interface WatchBatch {
  /** The revision of the transaction these events come from (or, for a reset, the store's). */
  readonly revision: number;
  readonly events: readonly WatchEvent[];
}

export interface WatchFilter {
  /** Tables to watch; empty or absent: all. */
  readonly tables?: readonly TableName[];
  /** Topics to watch; absent: all. */
  readonly topics?: readonly string[];
  /** Deliver changes with revision > fromRevision (default: from now on). */
  readonly fromRevision?: number;
}

export interface Watch {
  /** The last revision delivered (or the starting point). */
  readonly revision: number;
  close(): void;
}

export interface Lease {
  readonly id: string;
  readonly ttlSeconds: number;
  /** Ends the lease now: objects created under it are deleted. */
  revoke(): Promise<void>;
}

export interface Store {
  readonly driver: 'memory' | 'file' | 'etcd';

  get<T extends TableName>(table: T, id: string): Promise<Tables[T] | undefined>;
  list<T extends TableName>(table: T, options?: ListOptions): Promise<ListResult<Tables[T]>>;
  /** How many objects `list` would return, without transferring them (quotas, InUse checks). */
  count(table: TableName, options?: ListOptions): Promise<number>;
  /** The claims in one namespace (e.g. every allocated address of a subnet). */
  listClaims(namespace: string): Promise<readonly Claim[]>;
  /** Applies all operations atomically or none; see WriteOp for the conditions. */
  commit(ops: readonly WriteOp[]): Promise<CommitResult>;
  /** A 32-bit key unique within the table across every writer (never reused). */
  allocateUniqueKey(table: TableName): Promise<number>;
  /** Calls `listener` with every change matching `filter`, per revision, in order. */
  watch(filter: WatchFilter, listener: (batch: WatchBatch) => void): Watch;
  /** A lease that stays alive while this store client runs (kept alive automatically). */
  grantLease(ttlSeconds: number): Promise<Lease>;
  revision(): Promise<number>;
  /** Forgets history up to `revision` (watches resuming from before it get a reset). */
  compact(revision: number): Promise<void>;
  close(): Promise<void>;
}
