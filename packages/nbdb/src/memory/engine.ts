// The embedded store engine, shared by the memory: and file: drivers and by every client opened
// on the same data. A commit is planned, applied and given its revision synchronously, in the one
// JavaScript turn of the `commit` call, so it is atomic and serialised with every other commit by
// construction. With a journal (file:), its effects are visible to readers and watchers only once
// the journal says they are durable: reads wait for the revision they observed, watch batches are
// published when their revision becomes durable, and even a refusal is reported only after the
// state it was judged on is durable — nobody acts on a write a crash could still take back.
import { WeirError, type ModelObject, type TableName, type Tables } from '@weir/model';
import { unavailable } from '../shared/errors.js';
import { normalizeOps } from '../shared/ops.js';
import { checkListOptions, checkTable } from '../shared/queries.js';
import type {
  Claim,
  CommitResult,
  ListOptions,
  ListResult,
  Watch,
  WatchBatch,
  WatchFilter,
  WriteOp,
} from '../store.js';
import { applyPlan, type ApplyStepHook } from './apply.js';
import { Fifo } from './fifo.js';
import { History } from './history.js';
import { entryOf, type Journal } from './journal.js';
import { LeaseManager } from './leases.js';
import { isEmptyPlan, planCommit, planDeletes, type Plan } from './plan.js';
import { parseLeaseRef, type Entry, type StoreState } from './state.js';
import { UniqueKeys } from './unique-keys.js';
import { WatchHub, type ListenerErrorHandler } from './watch-hub.js';

export const DEFAULT_HISTORY_REVISIONS = 10_000;

export interface EngineOptions {
  /** Revisions of watch history kept for resuming watches (default 10,000). */
  readonly historyRevisions?: number;
  /** Called when a watch listener throws (default: a process warning). */
  readonly onListenerError?: ListenerErrorHandler;
  /** Test hooks that inject faults. */
  readonly faults?: EngineFaults;
}

export interface EngineFaults {
  /** Called before each step of applying a commit; throwing aborts (and must roll back) the apply. */
  readonly beforeApplyStep?: ApplyStepHook;
}

interface Waiter {
  readonly revision: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

function journalRecord(plan: Plan, maxBytes: number): string {
  const record = JSON.stringify(entryOf(plan));
  // Characters <= bytes <= 3 x characters: count bytes only when it can matter.
  const bytes = record.length * 3 <= maxBytes ? record.length : Buffer.byteLength(record);
  if (bytes > maxBytes)
    throw new WeirError(
      'WEIR_STORE_TOO_LARGE',
      `the commit would take ${bytes} bytes in the log; the limit is ${maxBytes} (split it)`,
    );
  return record;
}

export class Engine {
  private durableRevision: number;
  private readonly history: History;
  private readonly hub: WatchHub;
  private readonly leases: LeaseManager;
  /** Applied batches whose revision is not durable yet, in revision order. */
  private readonly unpublished = new Fifo<WatchBatch>();
  private readonly waiters = new Fifo<Waiter>();
  private readonly keys: UniqueKeys;
  private failure: WeirError | undefined;
  private closed = false;

  constructor(
    readonly state: StoreState,
    private readonly journal: Journal | undefined,
    private readonly options: EngineOptions = {},
  ) {
    this.durableRevision = state.revision;
    this.history = new History(options.historyRevisions ?? DEFAULT_HISTORY_REVISIONS, state.revision);
    this.hub = new WatchHub(options.onListenerError);
    this.leases = new LeaseManager((id) => this.endLease(id));
    this.keys = new UniqueKeys(
      state,
      journal && {
        block: journal.uniqueKeyBlock,
        persist: (table, limit) => this.persistKeyReservation(table, limit),
      },
    );
  }

  get isOpen(): boolean {
    return !this.closed && !this.failure;
  }

  /** Throws if the engine cannot serve requests (closed, or its disk failed). */
  assertUsable(): void {
    if (this.failure) throw this.failure;
    if (this.closed) throw unavailable('the store is closed');
  }

  // ---- reads ---------------------------------------------------------------------------------

  async get<T extends TableName>(table: T, id: string): Promise<Tables[T] | undefined> {
    checkTable(table);
    return this.readDurable(() => this.state.get(table, id)?.object as Tables[T] | undefined);
  }

  async list<T extends TableName>(table: T, options: ListOptions = {}): Promise<ListResult<Tables[T]>> {
    checkListOptions(table, options);
    return this.readDurable(() => ({
      items: this.select(table, options) as Tables[T][],
      revision: this.state.revision,
    }));
  }

  async count(table: TableName, options: ListOptions = {}): Promise<number> {
    checkListOptions(table, options);
    return this.readDurable(() => {
      const t = this.state.tables.get(table);
      if (!t) return 0;
      const { topic, index } = options;
      if (index) {
        if (topic === undefined) return t.countUnder(index.name, index.value);
        let n = 0;
        for (const id of t.idsUnder(index.name, index.value)) if (t.byId.get(id)?.object.topic === topic) n++;
        return n;
      }
      return topic === undefined ? t.byId.size : (t.byTopic.get(topic)?.size ?? 0);
    });
  }

  async listClaims(namespace: string): Promise<readonly Claim[]> {
    return this.readDurable(() => {
      const keys = this.state.claims.get(namespace);
      return keys ? [...keys].map(([key, owner]) => ({ key, owner })) : [];
    });
  }

  async revision(): Promise<number> {
    return this.readDurable(() => this.state.revision);
  }

  private select(table: TableName, options: ListOptions): ModelObject[] {
    const t = this.state.tables.get(table);
    if (!t) return [];
    const { topic, index } = options;
    if (index) {
      const ids = t.idsUnder(index.name, index.value);
      const out: ModelObject[] = [];
      for (const id of ids) {
        const entry = t.byId.get(id) as Entry;
        if (topic === undefined || entry.object.topic === topic) out.push(entry.object);
      }
      return out;
    }
    const entries = topic === undefined ? t.byId.values() : (t.byTopic.get(topic)?.values() ?? []);
    return Array.from(entries, (e) => e.object);
  }

  /** Reads now, returns once what was read is durable. */
  private async readDurable<T>(read: () => T): Promise<T> {
    this.assertUsable();
    const value = read();
    await this.durable(this.state.revision);
    return value;
  }

  // ---- writes --------------------------------------------------------------------------------

  async commit(ops: readonly WriteOp[]): Promise<CommitResult> {
    this.assertUsable();
    const normalized = normalizeOps(ops);
    let plan: Plan;
    try {
      plan = planCommit(this.state, normalized, (lease) => this.leases.alive(lease));
    } catch (error) {
      await this.durable(this.state.revision);
      throw error;
    }
    if (isEmptyPlan(plan)) {
      await this.durable(this.state.revision);
      return { revision: this.state.revision, written: [] };
    }
    await this.commitPlan(plan);
    return { revision: plan.revision, written: plan.written };
  }

  /** Applies `plan` now (synchronously) and resolves when it is durable. */
  private commitPlan(plan: Plan): Promise<void> {
    // Serialised before anything is applied, so a commit too large for the journal changes nothing.
    const record = this.journal ? journalRecord(plan, this.journal.maxRecordBytes) : undefined;
    applyPlan(this.state, plan, this.options.faults?.beforeApplyStep);
    const batch: WatchBatch = { revision: plan.revision, events: plan.events };
    this.unpublished.push(batch);
    if (!this.journal) {
      this.markDurable(plan.revision);
      return Promise.resolve();
    }
    return this.journal.append(record as string).then(
      () => this.markDurable(plan.revision),
      (error: unknown) => {
        throw this.fail(error);
      },
    );
  }

  async allocateUniqueKey(table: TableName): Promise<number> {
    checkTable(table);
    this.assertUsable();
    return this.keys.allocate(table);
  }

  private async persistKeyReservation(table: TableName, limit: number): Promise<void> {
    try {
      await (this.journal as Journal).append(
        JSON.stringify({ r: this.state.revision, k: { [table]: limit } }),
      );
    } catch (error) {
      throw this.fail(error);
    }
  }

  // ---- durability and watches ----------------------------------------------------------------

  /** Resolves once `revision` is durable. */
  private durable(revision: number): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (revision <= this.durableRevision) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ revision, resolve, reject }));
  }

  private markDurable(revision: number): void {
    if (revision <= this.durableRevision) return;
    this.durableRevision = revision;
    for (let b = this.unpublished.peek(); b && b.revision <= revision; b = this.unpublished.peek()) {
      this.unpublished.shift();
      this.history.push(b);
      this.hub.publish(b);
    }
    for (let w = this.waiters.peek(); w && w.revision <= revision; w = this.waiters.peek()) {
      this.waiters.shift();
      w.resolve();
    }
  }

  /**
   * The journal failed: the in-memory state is now ahead of the disk, so the engine refuses every
   * further request (a reopen reads the truth back from disk). Returns the error to report.
   */
  private fail(cause: unknown): WeirError {
    if (!this.failure) {
      const why = cause instanceof Error ? cause.message : String(cause);
      this.failure = unavailable(`the store could not write to disk (${why}); it must be reopened`);
      for (const w of this.waiters.drain()) w.reject(this.failure);
      this.leases.clear();
      this.hub.closeAll();
    }
    return this.failure;
  }

  watch(filter: WatchFilter, listener: (batch: WatchBatch) => void): Watch {
    this.assertUsable();
    for (const table of filter.tables ?? []) checkTable(table);
    const from = filter.fromRevision;
    if (from !== undefined && (!Number.isSafeInteger(from) || from < 0))
      throw new WeirError('WEIR_MODEL_INVALID', 'fromRevision must be a non-negative integer');
    const start = from ?? this.state.revision;
    const backlog = this.history.since(start) ?? 'reset';
    return this.hub.add(filter, listener, start, backlog, this.state.revision);
  }

  async compact(revision: number): Promise<void> {
    this.assertUsable();
    this.history.compact(revision);
    return Promise.resolve();
  }

  // ---- leases --------------------------------------------------------------------------------

  grantLease(ttlSeconds: number, owner: object): string {
    this.assertUsable();
    if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds < 1)
      throw new WeirError('WEIR_MODEL_INVALID', 'ttlSeconds must be a positive integer');
    return this.leases.grant(ttlSeconds, owner);
  }

  revokeLease(id: string): Promise<void> {
    this.assertUsable();
    return this.leases.revoke(id);
  }

  /** A client closed: the leases it kept alive now run down. */
  clientGone(owner: object): void {
    if (this.isOpen) this.leases.ownerGone(owner);
  }

  /**
   * Deletes, in one revision, the objects bound to leases this engine never granted: after a
   * restart, the leases of the previous process. Their holders' liveness cannot be known any more
   * (an embedded lease lives only as long as the process that granted it), and a live holder
   * re-registers, while a dead one — the usual case after a crash — must not linger forever.
   */
  async dropOrphanedLeaseObjects(): Promise<number> {
    const refs = [...this.state.leased]
      .filter(([lease]) => !this.leases.alive(lease))
      .flatMap(([, set]) => [...set].map(parseLeaseRef));
    const plan = planDeletes(this.state, refs);
    if (isEmptyPlan(plan)) return 0;
    await this.commitPlan(plan);
    return plan.writes.length;
  }

  private async endLease(id: string): Promise<void> {
    const refs = [...(this.state.leased.get(id) ?? [])].map(parseLeaseRef);
    const plan = planDeletes(this.state, refs);
    if (!isEmptyPlan(plan) && this.isOpen) await this.commitPlan(plan);
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.leases.clear();
    this.hub.closeAll();
    try {
      await this.journal?.close();
    } catch (error) {
      // A journal that already failed has nothing more to say: the failure was reported.
      if (!this.failure) throw error;
    } finally {
      const error = this.failure ?? unavailable('the store was closed before the write was durable');
      for (const w of this.waiters.drain()) w.reject(error);
    }
  }
}
