// Replica: an in-memory copy of selected tables, kept current by monitor_cond_since, across
// reconnects.
//
// Lifecycle, per connection of the client:
//  1. register the update handler, then send monitor_cond_since with the last transaction id
//     we applied (all zeros the first time); updates that arrive before the reply is applied are
//     queued, so they are applied after it, in server order;
//  2. reply found=true: the server sent only what changed since that id → applied as a batch;
//     found=false: it sent everything → the replica is replaced by diff (replaceAll), so rows
//     that did not change produce no events;
//  3. emit `synced`; from then on every update3 is one batch → one `change` event.
// Bad data in an update (wrong shape, modify of an unknown row...) closes the connection: the
// client reconnects with backoff and the replica resyncs from scratch. Until then the replica
// keeps its last consistent state and reports `isSynced === false`.
// Servers without monitor_cond_since (OVS < 2.12) get monitor_cond instead, always resyncing.
import type { OvsdbClient } from '../client.js';
import type {
  MonitorCondSinceResult,
  MonitorHandler,
  MonitorNotification,
  OvsdbConnection,
} from '../connection.js';
import { encodeMonitorCondition } from '../data/rows.js';
import { getColumn, getTable, type DatabaseSchema, type TableMap } from '../data/schema.js';
import { ZERO_UUID } from '../data/wire.js';
import { OvsdbError, toOvsdbError } from '../errors.js';
import { TypedEmitter } from '../events.js';
import type { MonitorCondition } from '../data/row-types.js';
import type { WireMonitorRequest, WireMonitorRequests } from '../transaction/operations.js';
import type { TableName } from '../transaction/transaction.js';
import { ReplicaState, type StoredChange } from './replica-state.js';
import type { ReplicaRows, ReplicaSpec, RowChange, TableSpec } from './spec.js';
import { parseTableUpdates2 } from './table-updates.js';
import { createTableView, type TableView } from './table-view.js';

export interface ReplicaOptions {
  /** Monitor id on the wire; default a unique string per replica. */
  readonly monitorId?: string;
  /** Timeout of the monitor request (initial dumps can be large). Default 60 s. */
  readonly monitorTimeoutMs?: number;
}

export interface ChangeBatch<Rows> {
  readonly changes: readonly RowChange<Rows>[];
  /** True for the batch that brought the replica in line after (re)connecting. */
  readonly resync: boolean;
}

/** The batch type of a replica's `change` event: `ChangeBatchOf<typeof replica>`. */
export type ChangeBatchOf<R> =
  R extends Replica<infer S, infer Spec> ? ChangeBatch<ReplicaRows<S, Spec>> : never;

export type ReplicaEvents<Rows> = {
  /** One server transaction (or one resync), after the replica has applied it. */
  readonly change: readonly [batch: ChangeBatch<Rows>];
  /** The replica matches the server (after the first dump and after every resync). */
  readonly synced: readonly [info: { readonly found: boolean; readonly lastTxnId: string }];
  /** The connection dropped: the replica keeps its data but may fall behind until resynced. */
  readonly stale: readonly [reason: OvsdbError];
  /** Bad monitor data; the connection is being reset (the replica resyncs afterwards). */
  readonly error: readonly [error: OvsdbError];
};

let replicaCounter = 0;

export class Replica<S extends TableMap<S>, Spec extends ReplicaSpec<S>> extends TypedEmitter<
  ReplicaEvents<ReplicaRows<S, Spec>>
> {
  readonly monitorId: string;
  private readonly state: ReplicaState;
  private readonly requests = new Map<string, WireMonitorRequest>();
  private readonly views = new Map<string, TableView<unknown>>();
  private lastTxnId = ZERO_UUID;
  private synced = false;
  private closed = false;
  /** The connection our monitor lives on, once its reply has been applied. */
  private active: OvsdbConnection | undefined;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly client: OvsdbClient,
    private readonly schema: DatabaseSchema<S>,
    spec: Spec,
    private readonly options: ReplicaOptions = {},
  ) {
    super();
    this.monitorId = options.monitorId ?? `replica-${++replicaCounter}`;
    const columns = new Map<string, readonly string[]>();
    for (const [table, tableSpec] of Object.entries(spec) as [
      string,
      TableSpec<unknown> | true | undefined,
    ][]) {
      if (tableSpec === undefined) continue;
      const tableSchema = getTable(schema, table);
      const wanted =
        tableSpec === true || tableSpec.columns === undefined
          ? Object.keys(tableSchema.columns)
          : tableSpec.columns;
      const monitored = wanted.filter((c) => c !== '_uuid' && c !== '_version');
      for (const column of monitored) getColumn(schema, table, column);
      columns.set(table, monitored);
      const where = tableSpec === true ? undefined : tableSpec.where;
      this.requests.set(table, this.request(table, monitored, where));
    }
    this.state = new ReplicaState(schema, columns);
    for (const [table, rows] of this.state.tables) this.views.set(table, createTableView(table, rows));
  }

  /** Starts replicating (now if the client is connected, else when it connects). */
  start(): this {
    if (this.unsubscribe.length > 0 || this.closed) return this;
    this.unsubscribe.push(
      this.client.on('connected', (connection) => void this.monitor(connection)),
      this.client.on('disconnected', (reason) => this.onDisconnected(reason)),
      this.client.on('closed', (reason) => this.onDisconnected(reason)),
    );
    this.client.start();
    const connection = this.client.connection;
    if (connection !== undefined && !connection.isClosed) void this.monitor(connection);
    return this;
  }

  /** True while the replica is known to match the server. */
  get isSynced(): boolean {
    return this.synced;
  }

  /** The id of the last server transaction applied (all zeros for servers without history). */
  get lastTransactionId(): string {
    return this.lastTxnId;
  }

  table<T extends Extract<keyof Spec, TableName<S>>>(name: T): TableView<ReplicaRows<S, Spec>[T]> {
    const view = this.views.get(name);
    if (view === undefined) throw new OvsdbError('OVSDB_INVALID_ARGUMENT', `table ${name} is not replicated`);
    return view as TableView<ReplicaRows<S, Spec>[T]>;
  }

  /** Resolves once synced (at once if already), or rejects with OVSDB_TIMEOUT / OVSDB_CLOSED. */
  whenSynced(timeoutMs = 30_000): Promise<void> {
    if (this.synced) return Promise.resolve();
    if (this.closed) return Promise.reject(new OvsdbError('OVSDB_CLOSED', 'replica closed'));
    const abort = new AbortController();
    const timer = setTimeout(
      () => abort.abort(new OvsdbError('OVSDB_TIMEOUT', `replica not synced within ${timeoutMs} ms`)),
      timeoutMs,
    );
    return this.next('synced', abort.signal).then(
      () => clearTimeout(timer),
      (error: unknown) => {
        clearTimeout(timer);
        throw error;
      },
    );
  }

  /**
   * Changes a table's monitor condition (monitor_cond_change). Rows that stop matching are
   * reported as deletes, rows that start matching as inserts. While disconnected the new
   * condition is simply used by the next resync.
   */
  async setCondition<T extends Extract<keyof Spec, TableName<S>>>(
    table: T,
    where: readonly MonitorCondition<S[T]>[],
  ): Promise<void> {
    const current = this.requests.get(table);
    if (current === undefined)
      throw new OvsdbError('OVSDB_INVALID_ARGUMENT', `table ${table} is not replicated`);
    const next = this.request(table, current.columns ?? [], where);
    this.requests.set(table, next);
    const connection = this.active;
    if (connection === undefined || connection.isClosed) {
      // The server's history cannot tell us about rows that only now match: start afresh.
      this.lastTxnId = ZERO_UUID;
      return;
    }
    await connection.monitorCondChange(this.monitorId, this.monitorId, {
      [table]: [{ where: next.where ?? [true] }],
    });
  }

  /** Stops replicating; cancels the monitor if connected. The data stays readable. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.synced = false;
    for (const off of this.unsubscribe.splice(0)) off();
    const connection = this.active;
    this.active = undefined;
    if (connection !== undefined && !connection.isClosed) {
      await connection.monitorCancel(this.monitorId).catch(() => undefined);
    }
  }

  private request(
    table: string,
    columns: readonly string[],
    where: readonly unknown[] | undefined,
  ): WireMonitorRequest {
    const tableSchema = getTable(this.schema, table);
    return {
      columns,
      ...(where === undefined
        ? {}
        : { where: where.map((c) => encodeMonitorCondition(tableSchema, table, c)) }),
      select: { initial: true, insert: true, delete: true, modify: true },
    };
  }

  private monitorRequests(): WireMonitorRequests {
    return Object.fromEntries(this.requests);
  }

  private onDisconnected(reason: OvsdbError): void {
    this.active = undefined;
    if (!this.synced) return;
    this.synced = false;
    this.emit('stale', reason);
  }

  private async monitor(connection: OvsdbConnection): Promise<void> {
    if (this.closed) return;
    let ready = false;
    const queued: MonitorNotification[] = [];
    const onUpdate = (notification: MonitorNotification): void => {
      if (this.closed) return;
      if (!ready) queued.push(notification);
      else this.onUpdate(connection, notification);
    };
    // Conditions may change (setCondition) while the request is in flight; compared below.
    const sent = new Map(
      [...this.requests].map(([table, request]) => [table, JSON.stringify(request.where)]),
    );
    try {
      const { found, lastTxnId, updates } = await this.openMonitor(connection, onUpdate);
      if (connection.isClosed) return;
      if (this.closed) {
        // close() ran while the monitor was being set up: the server-side monitor is ours to end.
        await connection.monitorCancel(this.monitorId).catch(() => undefined);
        return;
      }
      const parsed = parseTableUpdates2(updates);
      const changes = found ? this.state.applyUpdates(parsed) : this.state.replaceAll(parsed);
      this.lastTxnId = lastTxnId;
      this.active = connection;
      this.synced = true;
      this.emitChanges(changes, true);
      ready = true;
      for (const notification of queued.splice(0)) this.onUpdate(connection, notification);
      if (connection.isClosed) return;
      await this.sendChangedConditions(connection, sent);
      if (connection.isClosed || this.closed) return;
      this.emit('synced', { found, lastTxnId: this.lastTxnId });
    } catch (error) {
      if (this.closed || connection.isClosed) return; // The next connection starts over.
      this.fail(connection, toOvsdbError(error, 'OVSDB_PROTOCOL', 'monitor failed'));
    }
  }

  /** monitor_cond_since, or monitor_cond on servers that do not know it (a full dump each time). */
  private async openMonitor(
    connection: OvsdbConnection,
    onUpdate: MonitorHandler,
  ): Promise<MonitorCondSinceResult> {
    const options = { timeoutMs: this.options.monitorTimeoutMs ?? 60_000 };
    const requests = this.monitorRequests();
    try {
      return await connection.monitorCondSince(
        this.schema.name,
        this.monitorId,
        requests,
        this.lastTxnId,
        onUpdate,
        options,
      );
    } catch (error) {
      const unknownMethod =
        error instanceof OvsdbError &&
        error.code === 'OVSDB_RPC_ERROR' &&
        /unknown method/.test(error.message);
      if (!unknownMethod) throw error;
    }
    const updates = await connection.monitorCond(
      this.schema.name,
      this.monitorId,
      requests,
      onUpdate,
      options,
    );
    return { found: false, lastTxnId: ZERO_UUID, updates };
  }

  /** monitor_cond_change for tables whose condition changed after `sent` was captured. */
  private async sendChangedConditions(
    connection: OvsdbConnection,
    sent: ReadonlyMap<string, string>,
  ): Promise<void> {
    const changed: Record<string, WireMonitorRequest[]> = {};
    for (const [table, request] of this.requests) {
      if (JSON.stringify(request.where) !== sent.get(table))
        changed[table] = [{ where: request.where ?? [true] }];
    }
    if (Object.keys(changed).length > 0) {
      await connection.monitorCondChange(this.monitorId, this.monitorId, changed);
    }
  }

  private onUpdate(connection: OvsdbConnection, notification: MonitorNotification): void {
    if (this.closed || connection.isClosed) return;
    if (notification.method === 'update') {
      this.fail(
        connection,
        new OvsdbError('OVSDB_PROTOCOL', 'got a legacy "update" for a monitor_cond monitor'),
      );
      return;
    }
    try {
      const changes = this.state.applyUpdates(parseTableUpdates2(notification.updates));
      if (notification.lastTxnId !== undefined) this.lastTxnId = notification.lastTxnId;
      this.emitChanges(changes, false);
    } catch (error) {
      this.fail(connection, toOvsdbError(error, 'OVSDB_PROTOCOL', 'bad monitor update'));
    }
  }

  /** Drops the connection so the client reconnects; the next monitor starts from scratch. */
  private fail(connection: OvsdbConnection, error: OvsdbError): void {
    this.lastTxnId = ZERO_UUID;
    this.active = undefined;
    const wasSynced = this.synced;
    this.synced = false;
    this.emit('error', error);
    if (wasSynced) this.emit('stale', error);
    connection.close(error);
  }

  private emitChanges(changes: readonly StoredChange[], resync: boolean): void {
    if (changes.length === 0) return;
    // StoredChange is the untyped form of RowChange; the schema guarantees the row shapes.
    this.emit('change', {
      changes: changes as unknown as readonly RowChange<ReplicaRows<S, Spec>>[],
      resync,
    });
  }
}
