// One client of an embedded engine: the Store interface the callers hold. Several clients may
// share an engine (two API replicas in one process, or a test's "second client"); each has its own
// watches and leases, and the engine closes with its last client.
import type { TableName, Tables } from '@weir/model';
import { unavailable } from '../shared/errors.js';
import type {
  Claim,
  CommitResult,
  Lease,
  ListOptions,
  ListResult,
  Store,
  Watch,
  WatchBatch,
  WatchFilter,
  WriteOp,
} from '../store.js';
import type { Engine } from './engine.js';

export class EmbeddedStore implements Store {
  private closed = false;
  private readonly watches = new Set<Watch>();

  constructor(
    readonly driver: 'memory' | 'file',
    private readonly engine: Engine,
    /** Called once when this client closes (the driver releases the engine when it was the last). */
    private readonly onClose: () => Promise<void>,
  ) {}

  private live(): Engine {
    if (this.closed) throw unavailable('this store client is closed');
    return this.engine;
  }

  async get<T extends TableName>(table: T, id: string): Promise<Tables[T] | undefined> {
    return this.live().get(table, id);
  }

  async list<T extends TableName>(table: T, options?: ListOptions): Promise<ListResult<Tables[T]>> {
    return this.live().list(table, options);
  }

  async count(table: TableName, options?: ListOptions): Promise<number> {
    return this.live().count(table, options);
  }

  async listClaims(namespace: string): Promise<readonly Claim[]> {
    return this.live().listClaims(namespace);
  }

  async commit(ops: readonly WriteOp[]): Promise<CommitResult> {
    return this.live().commit(ops);
  }

  async allocateUniqueKey(table: TableName): Promise<number> {
    return this.live().allocateUniqueKey(table);
  }

  watch(filter: WatchFilter, listener: (batch: WatchBatch) => void): Watch {
    const inner = this.live().watch(filter, listener);
    const watches = this.watches;
    const watch: Watch = {
      get revision() {
        return inner.revision;
      },
      close() {
        watches.delete(watch);
        inner.close();
      },
    };
    watches.add(watch);
    return watch;
  }

  grantLease(ttlSeconds: number): Promise<Lease> {
    // An executor that throws rejects the promise: errors stay asynchronous, as for every call.
    return new Promise((resolve) => {
      const engine = this.live();
      const id = engine.grantLease(ttlSeconds, this);
      resolve({ id, ttlSeconds, revoke: () => engine.revokeLease(id) });
    });
  }

  async revision(): Promise<number> {
    return this.live().revision();
  }

  async compact(revision: number): Promise<void> {
    return this.live().compact(revision);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const w of [...this.watches]) w.close();
    this.engine.clientGone(this);
    await this.onClose();
  }
}
