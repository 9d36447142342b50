// One OVSDB session: the RFC 7047 methods over a JsonRpcPeer, at the wire level (no schema).
// It does not reconnect; OvsdbClient does that by opening a new OvsdbConnection.
//
// Monitor notifications are routed to the handler registered for their monitor id. The handler
// is registered *before* the monitor request is sent: ovsdb-server may send the first update
// right behind the reply, in the same read, before the reply's promise continuation runs.
import type { Duplex } from 'node:stream';
import { systemClock, type Clock } from './clock.js';
import { parseSchema } from './data/schema-parser.js';
import type { DatabaseSchema } from './data/schema.js';
import { isUuid } from './data/wire.js';
import { OvsdbError } from './errors.js';
import { TypedEmitter } from './events.js';
import { JsonRpcPeer, type RequestOptions } from './protocol/jsonrpc.js';
import { isRecord } from './protocol/messages.js';
import { netTransport, type Transport } from './protocol/transport.js';
import type { WireMonitorRequests, WireOperation } from './transaction/operations.js';
import { checkTransactResult } from './transaction/results.js';

export interface ConnectionOptions {
  /** Default 30 s; 0 disables. */
  readonly requestTimeoutMs?: number;
  /** Idle time before an `echo` probe; a probe unanswered for as long closes the connection. Default 5 s; 0 disables. */
  readonly probeIntervalMs?: number;
  /** Largest accepted message. Default 64 MiB. */
  readonly maxMessageBytes?: number;
  readonly clock?: Clock;
}

export interface OpenOptions extends ConnectionOptions {
  /** Default 10 s. */
  readonly connectTimeoutMs?: number;
  readonly transport?: Transport;
}

/** What a monitor handler receives for each update/update2/update3 notification. */
export interface MonitorNotification {
  readonly method: 'update' | 'update2' | 'update3';
  /** update3 only. */
  readonly lastTxnId?: string;
  /** `<table-updates>` (update) or `<table-updates2>` (update2/update3), not yet validated. */
  readonly updates: unknown;
}

export type MonitorHandler = (notification: MonitorNotification) => void;

export interface MonitorCondSinceResult {
  readonly found: boolean;
  readonly lastTxnId: string;
  readonly updates: unknown;
}

type ConnectionEvents = {
  /** A lock requested earlier (lock was queued) is now ours. */
  readonly locked: readonly [lockId: string];
  /** Another client stole a lock we held. */
  readonly stolen: readonly [lockId: string];
  readonly closed: readonly [reason: OvsdbError];
};

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
export const DEFAULT_PROBE_INTERVAL_MS = 5_000;
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

export class OvsdbConnection extends TypedEmitter<ConnectionEvents> {
  private readonly peer: JsonRpcPeer;
  private readonly monitors = new Map<string, MonitorHandler>();

  /** Opens `target` (`unix:PATH`, `tcp:HOST:PORT`) and returns the connection. */
  static async open(target: string, options: OpenOptions = {}): Promise<OvsdbConnection> {
    const clock = options.clock ?? systemClock;
    const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    const abort = new AbortController();
    const timer = clock.setTimeout(() => abort.abort(), timeoutMs);
    try {
      const stream = await (options.transport ?? netTransport)(target, abort.signal);
      return new OvsdbConnection(stream, options);
    } finally {
      clock.clearTimeout(timer);
    }
  }

  constructor(stream: Duplex, options: ConnectionOptions = {}) {
    super();
    this.peer = new JsonRpcPeer(stream, {
      clock: options.clock ?? systemClock,
      maxMessageBytes: options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
      requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      probeIntervalMs: options.probeIntervalMs ?? DEFAULT_PROBE_INTERVAL_MS,
      onNotification: (method, params) => this.onNotification(method, params),
    });
    void this.peer.closed.then((reason) => {
      this.monitors.clear();
      this.emit('closed', reason);
    });
  }

  /** Resolves (never rejects) with the reason once the connection is over. */
  get closed(): Promise<OvsdbError> {
    return this.peer.closed;
  }

  get isClosed(): boolean {
    return this.peer.isClosed;
  }

  close(reason?: OvsdbError): void {
    this.peer.close(reason);
  }

  /** Sends any method; resolves with the raw `result`. */
  request(method: string, params: readonly unknown[], options?: RequestOptions): Promise<unknown> {
    return this.peer.request(method, params, options);
  }

  async listDbs(options?: RequestOptions): Promise<string[]> {
    const result = await this.peer.request('list_dbs', [], options);
    if (!Array.isArray(result) || !result.every((name) => typeof name === 'string')) {
      throw new OvsdbError('OVSDB_PROTOCOL', 'list_dbs reply is not an array of strings', {
        details: result,
      });
    }
    return result;
  }

  /** get_schema, validated and normalised. */
  async getSchema(database: string, options?: RequestOptions): Promise<DatabaseSchema> {
    return parseSchema(await this.peer.request('get_schema', [database], options));
  }

  /**
   * Sends a transaction; resolves with one result object per operation, or rejects with
   * OvsdbTransactionError (OVSDB_TXN_FAILED) naming the failing operation.
   */
  async transact(
    database: string,
    operations: readonly WireOperation[],
    options?: RequestOptions,
  ): Promise<readonly Readonly<Record<string, unknown>>[]> {
    const result = await this.peer.request('transact', [database, ...operations], options);
    return checkTransactResult(operations, result);
  }

  /** monitor_cond: resolves with the initial `<table-updates2>`; later ones go to `handler`. */
  async monitorCond(
    database: string,
    monitorId: unknown,
    requests: WireMonitorRequests,
    handler: MonitorHandler,
    options?: RequestOptions,
  ): Promise<unknown> {
    return this.withMonitor(monitorId, handler, () =>
      this.peer.request('monitor_cond', [database, monitorId, requests], options),
    );
  }

  /**
   * monitor_cond_since: asks for the changes since `lastTxnId` (use ZERO_UUID for everything).
   * `found` false means the server could not: the updates are then a complete initial state.
   */
  async monitorCondSince(
    database: string,
    monitorId: unknown,
    requests: WireMonitorRequests,
    lastTxnId: string,
    handler: MonitorHandler,
    options?: RequestOptions,
  ): Promise<MonitorCondSinceResult> {
    const result = await this.withMonitor(monitorId, handler, () =>
      this.peer.request('monitor_cond_since', [database, monitorId, requests, lastTxnId], options),
    );
    if (
      !Array.isArray(result) ||
      result.length !== 3 ||
      typeof result[0] !== 'boolean' ||
      !isUuid(result[1])
    ) {
      throw new OvsdbError(
        'OVSDB_PROTOCOL',
        'monitor_cond_since reply is not [found, last-txn-id, updates]',
        {
          details: result,
        },
      );
    }
    return { found: result[0], lastTxnId: result[1], updates: result[2] as unknown };
  }

  /** monitor_cond_change: new conditions (and optionally a new id) for an existing monitor. */
  async monitorCondChange(
    monitorId: unknown,
    newMonitorId: unknown,
    requests: WireMonitorRequests,
    options?: RequestOptions,
  ): Promise<void> {
    const oldKey = JSON.stringify(monitorId);
    const newKey = JSON.stringify(newMonitorId);
    const handler = this.monitors.get(oldKey);
    if (handler !== undefined && oldKey !== newKey) {
      // Updates for the changed condition may arrive before the reply, under the new id.
      this.monitors.set(newKey, handler);
    }
    try {
      await this.peer.request('monitor_cond_change', [monitorId, newMonitorId, requests], options);
    } catch (error) {
      if (oldKey !== newKey) this.monitors.delete(newKey);
      throw error;
    }
    if (oldKey !== newKey) this.monitors.delete(oldKey);
  }

  async monitorCancel(monitorId: unknown, options?: RequestOptions): Promise<void> {
    await this.peer.request('monitor_cancel', [monitorId], options);
    this.monitors.delete(JSON.stringify(monitorId));
  }

  /** lock: true if granted now; false if queued (a `locked` event follows when granted). */
  async lock(lockId: string, options?: RequestOptions): Promise<boolean> {
    return this.lockReply(await this.peer.request('lock', [lockId], options));
  }

  /** steal: takes the lock from its holder (who gets `stolen`). */
  async steal(lockId: string, options?: RequestOptions): Promise<boolean> {
    return this.lockReply(await this.peer.request('steal', [lockId], options));
  }

  async unlock(lockId: string, options?: RequestOptions): Promise<void> {
    await this.peer.request('unlock', [lockId], options);
  }

  async echo(params: readonly unknown[] = [], options?: RequestOptions): Promise<unknown[]> {
    const result = await this.peer.request('echo', params, options);
    if (!Array.isArray(result)) throw new OvsdbError('OVSDB_PROTOCOL', 'echo reply is not an array');
    return result as unknown[];
  }

  private lockReply(result: unknown): boolean {
    if (!isRecord(result) || typeof result['locked'] !== 'boolean') {
      throw new OvsdbError('OVSDB_PROTOCOL', 'lock reply is not {"locked": boolean}', { details: result });
    }
    return result['locked'];
  }

  private async withMonitor<T>(
    monitorId: unknown,
    handler: MonitorHandler,
    send: () => Promise<T>,
  ): Promise<T> {
    const key = JSON.stringify(monitorId);
    if (this.monitors.has(key)) {
      throw new OvsdbError(
        'OVSDB_INVALID_ARGUMENT',
        `monitor id ${key} is already in use on this connection`,
      );
    }
    this.monitors.set(key, handler);
    try {
      return await send();
    } catch (error) {
      this.monitors.delete(key);
      throw error;
    }
  }

  private onNotification(method: string, params: readonly unknown[]): void {
    switch (method) {
      case 'update':
      case 'update2': {
        if (params.length !== 2) throw new OvsdbError('OVSDB_PROTOCOL', `${method} needs 2 params`);
        this.monitors.get(JSON.stringify(params[0]))?.({ method, updates: params[1] });
        return;
      }
      case 'update3': {
        const lastTxnId = params[1];
        if (params.length !== 3 || !isUuid(lastTxnId)) {
          throw new OvsdbError('OVSDB_PROTOCOL', 'update3 needs [monitor-id, last-txn-id, updates]');
        }
        this.monitors.get(JSON.stringify(params[0]))?.({ method, lastTxnId, updates: params[2] });
        return;
      }
      case 'locked':
      case 'stolen': {
        const lockId = params[0];
        if (params.length !== 1 || typeof lockId !== 'string') {
          throw new OvsdbError('OVSDB_PROTOCOL', `${method} needs one lock id`);
        }
        this.emit(method, lockId);
        return;
      }
      default:
        // Unknown notifications are ignored, as JSON-RPC peers must tolerate extensions.
        return;
    }
  }
}
