// The etcd v3 driver of the Store contract (../store.ts). Key layout: ../shared/keys.ts (ADR 0006);
// how each call maps to etcd: commit.ts, reads.ts, watch.ts, unique-keys.ts, leases.ts.
import { WeirError, type TableName, type Tables } from '@weir/model';
import { keyLayout, type KeyLayout } from '../shared/keys.js';
import { checkListOptions, checkTable } from '../shared/queries.js';
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
import { enc } from './codec.js';
import { commitOps, type CommitContext } from './commit.js';
import { EtcdConnection } from './connection.js';
import { Leases } from './leases.js';
import { countObjects, getObject, listClaims, listObjects, type ReadContext } from './reads.js';
import { Known } from './known.js';
import { UniqueKeys } from './unique-keys.js';
import { EtcdWatch, type WatchContext } from './watch.js';

export interface EtcdStoreOptions {
  /** etcd client URLs ("http://host:port") or "host:port" of each cluster member. */
  readonly endpoints: readonly string[];
  /** Every key of this store lives under it (no trailing slash). Default "weir". */
  readonly prefix?: string;
  /** Deadline of one etcd call; reads retry while etcd is unreachable for this long. Default 10 s. */
  readonly requestTimeoutMs?: number;
  /** The server's --max-txn-ops (Weir runs etcd with 10000; etcd's default is 128). */
  readonly maxTxnOps?: number;
  /** The server's --max-request-bytes (Weir: 16 MiB; etcd's default is 1.5 MiB). */
  readonly maxRequestBytes?: number;
  /** Unique keys reserved per round trip (default 64). */
  readonly uniqueKeyBlock?: number;
  /** Called when a watch listener throws (default: a process warning). */
  readonly onListenerError?: (error: unknown) => void;
  /** Test hooks that inject faults. */
  readonly faults?: EtcdFaults;
}

export interface EtcdFaults {
  /** Runs between a commit's reads and its transaction (attempt 1, 2…): a rival write goes here. */
  readonly beforeCommitTxn?: (attempt: number) => Promise<void>;
}

const warnListenerError = (error: unknown): void => {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.emitWarning(`a store watch listener threw: ${text}`);
};

export class EtcdStore implements Store {
  readonly driver = 'etcd' as const;
  private readonly connection: EtcdConnection;
  private readonly keys: KeyLayout;
  private readonly known = new Known();
  private readonly commitContext: CommitContext;
  private readonly readContext: ReadContext;
  private readonly watchContext: WatchContext;
  private readonly uniqueKeys: UniqueKeys;
  private readonly leases: Leases;
  private readonly watches = new Set<EtcdWatch>();
  /** Watches starting "from now" still reading what now is; commits wait for them. */
  private writeBarrier: Promise<unknown> = Promise.resolve();

  constructor(options: EtcdStoreOptions) {
    const maxTxnOps = options.maxTxnOps ?? 10_000;
    this.connection = new EtcdConnection({
      endpoints: options.endpoints,
      requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
      // Small batches: they form under concurrency, and a big one would delay its first reader.
      maxReadBatchOps: Math.min(maxTxnOps, 128),
    });
    this.keys = keyLayout(options.prefix ?? 'weir');
    const limits = { maxTxnOps, maxRequestBytes: options.maxRequestBytes ?? 16 * 1024 * 1024 };
    this.commitContext = {
      connection: this.connection,
      keys: this.keys,
      limits,
      known: this.known,
      beforeTxn: options.faults?.beforeCommitTxn,
    };
    this.readContext = { connection: this.connection, keys: this.keys, known: this.known, maxTxnOps };
    this.watchContext = {
      connection: this.connection,
      keys: this.keys,
      known: this.known,
      onListenerError: options.onListenerError ?? warnListenerError,
    };
    this.uniqueKeys = new UniqueKeys(
      this.connection,
      (t) => this.keys.uniqueKey(t),
      options.uniqueKeyBlock ?? 64,
    );
    this.leases = new Leases(this.connection, () => this.writeBarrier);
  }

  /** One round trip: proves etcd answers and learns the revision a watch "from now" starts at. */
  async connect(): Promise<void> {
    await this.revision();
  }

  async get<T extends TableName>(table: T, id: string): Promise<Tables[T] | undefined> {
    checkTable(table);
    return (await getObject(this.readContext, table, id)) as Tables[T] | undefined;
  }

  async list<T extends TableName>(table: T, options: ListOptions = {}): Promise<ListResult<Tables[T]>> {
    checkListOptions(table, options);
    return (await listObjects(this.readContext, table, options)) as ListResult<Tables[T]>;
  }

  async count(table: TableName, options: ListOptions = {}): Promise<number> {
    checkListOptions(table, options);
    return countObjects(this.readContext, table, options);
  }

  listClaims(namespace: string): Promise<readonly Claim[]> {
    return listClaims(this.readContext, namespace);
  }

  async commit(ops: readonly WriteOp[]): Promise<CommitResult> {
    await this.writeBarrier;
    return commitOps(this.commitContext, ops);
  }

  allocateUniqueKey(table: TableName): Promise<number> {
    checkTable(table);
    return this.uniqueKeys.allocate(table);
  }

  watch(filter: WatchFilter, listener: (batch: WatchBatch) => void): Watch {
    if (this.connection.isClosed)
      throw new WeirError('WEIR_STORE_UNAVAILABLE', 'watch: the store was closed');
    for (const table of filter.tables ?? []) checkTable(table);
    const from = filter.fromRevision;
    if (from !== undefined && (!Number.isSafeInteger(from) || from < 0))
      throw new WeirError('WEIR_MODEL_INVALID', 'fromRevision must be a non-negative integer');
    // "From now on" = after the store's revision, read now. This client's commits wait for that
    // read (the write barrier), so none of its later writes can be missed; another client's write
    // racing with the read may land on either side of it, as concurrent operations may.
    let start: { known: number; exact?: Promise<number> } = { known: from ?? this.connection.revisionSeen };
    if (from === undefined) {
      const exact = this.revision().catch(() => this.connection.revisionSeen);
      this.writeBarrier = Promise.all([this.writeBarrier, exact]);
      start = { known: start.known, exact };
    }
    const watch = new EtcdWatch(this.watchContext, filter, listener, start, (w) => this.watches.delete(w));
    this.watches.add(watch);
    return watch;
  }

  grantLease(ttlSeconds: number): Promise<Lease> {
    return this.leases.grant(ttlSeconds);
  }

  async revision(): Promise<number> {
    const r = await this.connection.range({ key: enc(`${this.keys.prefix}/`) }, 'revision');
    return Number(r.header.revision);
  }

  async compact(revision: number): Promise<void> {
    if (!Number.isSafeInteger(revision) || revision < 0)
      throw new WeirError('WEIR_MODEL_INVALID', 'revision must be a non-negative integer');
    // Like the embedded stores, a revision in the future compacts everything there is.
    const target = Math.min(revision, await this.revision());
    if (target < 1) return;
    try {
      await this.connection.call('compact', true, () =>
        this.connection.client.kv.compact({ revision: target }),
      );
    } catch (error) {
      // Already compacted at or beyond `target`: nothing left to do.
      if (!(error instanceof WeirError && error.code === 'WEIR_STORE_COMPACTED')) throw error;
    }
  }

  /** Stops watches and keep-alives (leases then run down on the server) and disconnects. */
  close(): Promise<void> {
    if (!this.connection.isClosed) {
      for (const watch of [...this.watches]) watch.close();
      this.leases.releaseAll();
      this.connection.close();
    }
    return Promise.resolve();
  }
}
