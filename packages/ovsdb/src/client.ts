// OvsdbClient: a connection that comes back. It keeps one OvsdbConnection open to the target,
// reconnecting with exponential backoff after any failure (refused, closed, protocol error,
// missed inactivity probe), and tells its users through events:
//   connected(connection)  — a new session is up; replicas re-issue their monitors here;
//   disconnected(reason)   — the session is gone; every lock is lost with it.
// Requests made while disconnected wait for the next session (up to their timeout). A request
// in flight when the session drops rejects with OVSDB_DISCONNECTED and is NOT retried: whether
// a transaction committed is unknown at that point, so only the caller can decide.
import { Backoff, type BackoffOptions } from './backoff.js';
import { sleep, systemClock, type Clock } from './clock.js';
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  OvsdbConnection,
  type ConnectionOptions,
} from './connection.js';
import type { DatabaseSchema, TableMap } from './data/schema.js';
import { OvsdbDatabase } from './database.js';
import { OvsdbError, toOvsdbError } from './errors.js';
import { TypedEmitter } from './events.js';
import type { RequestOptions } from './protocol/jsonrpc.js';
import type { Transport } from './protocol/transport.js';
import type { WireOperation } from './transaction/operations.js';

export interface OvsdbClientOptions extends ConnectionOptions {
  /** `unix:PATH` or `tcp:HOST:PORT` (`tcp:[IPv6]:PORT`). */
  readonly target: string;
  /** Per connection attempt. Default 10 s. Also bounds OvsdbClient.connect() overall. */
  readonly connectTimeoutMs?: number;
  /** Backoff between attempts; `false` makes the first disconnect final. */
  readonly reconnect?: BackoffOptions | false;
  /**
   * A connection that stayed up this long resets the backoff; shorter ones (a server that
   * accepts and drops at once) keep backing off. Default 5 s.
   */
  readonly stableAfterMs?: number;
  readonly transport?: Transport;
}

type ClientEvents = {
  readonly connected: readonly [connection: OvsdbConnection];
  readonly disconnected: readonly [reason: OvsdbError];
  /** A connection attempt failed; the client will retry (unless reconnect is false). */
  readonly connectFailed: readonly [reason: OvsdbError];
  /** A lock we asked for is ours (now, or after reconnecting). */
  readonly locked: readonly [lockId: string];
  /** Another client stole one of our locks; we do not ask for it again by ourselves. */
  readonly stolen: readonly [lockId: string];
  /** The client is closed for good (close() or reconnect disabled). */
  readonly closed: readonly [reason: OvsdbError];
};

export class OvsdbClient extends TypedEmitter<ClientEvents> {
  readonly target: string;
  private readonly options: OvsdbClientOptions;
  private readonly clock: Clock;
  private readonly backoff: Backoff | undefined;
  private readonly stop = new AbortController();
  private current: OvsdbConnection | undefined;
  private started = false;
  private closeReason: OvsdbError | undefined;
  private lastError: OvsdbError | undefined;
  private readonly waiters = new Set<() => void>();
  /** Locks we want: re-requested on every new connection until unlock(). */
  private readonly wantedLocks = new Set<string>();

  /**
   * Creates a client and waits for its first connection (retrying with backoff for up to
   * `connectTimeoutMs`). Rejects, with the client closed, if none comes up in time.
   */
  static async connect(options: OvsdbClientOptions): Promise<OvsdbClient> {
    const client = new OvsdbClient(options);
    client.start();
    try {
      await client.whenConnected(options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
    } catch (error) {
      client.close();
      throw error;
    }
    return client;
  }

  constructor(options: OvsdbClientOptions) {
    super();
    this.options = options;
    this.target = options.target;
    this.clock = options.clock ?? systemClock;
    this.backoff = options.reconnect === false ? undefined : new Backoff(options.reconnect);
  }

  /** Starts connecting in the background. Idempotent. */
  start(): void {
    if (this.started || this.closeReason) return;
    this.started = true;
    void this.run();
  }

  /** The live connection, if any. */
  get connection(): OvsdbConnection | undefined {
    return this.current;
  }

  get isClosed(): boolean {
    return this.closeReason !== undefined;
  }

  /** Resolves with the live connection, waiting up to `timeoutMs` for one. */
  whenConnected(
    timeoutMs: number = this.options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
  ): Promise<OvsdbConnection> {
    if (this.current && !this.current.isClosed) return Promise.resolve(this.current);
    if (this.closeReason) return Promise.reject(this.closeReason);
    this.start();
    return new Promise((resolve, reject) => {
      const timer =
        timeoutMs > 0
          ? this.clock.setTimeout(() => {
              this.waiters.delete(wake);
              const reason = this.lastError ? `: ${this.lastError.message}` : '';
              reject(
                new OvsdbError(
                  'OVSDB_DISCONNECTED',
                  `not connected to ${this.target} within ${timeoutMs} ms${reason}`,
                  {
                    cause: this.lastError,
                  },
                ),
              );
            }, timeoutMs)
          : undefined;
      const wake = (): void => {
        this.waiters.delete(wake);
        if (timer !== undefined) this.clock.clearTimeout(timer);
        if (this.current && !this.current.isClosed) resolve(this.current);
        else reject(this.closeReason ?? new OvsdbError('OVSDB_DISCONNECTED', 'not connected'));
      };
      this.waiters.add(wake);
    });
  }

  /** Typed access to one database. */
  database<S extends TableMap<S>>(schema: DatabaseSchema<S>): OvsdbDatabase<S> {
    return new OvsdbDatabase<S>(this, schema);
  }

  listDbs(options?: RequestOptions): Promise<string[]> {
    return this.withConnection(options, (c) => c.listDbs(options));
  }

  getSchema(database: string, options?: RequestOptions): Promise<DatabaseSchema> {
    return this.withConnection(options, (c) => c.getSchema(database, options));
  }

  /** Raw transact (wire operations); see OvsdbDatabase.transaction() for the typed builder. */
  transact(
    database: string,
    operations: readonly WireOperation[],
    options?: RequestOptions,
  ): Promise<readonly Readonly<Record<string, unknown>>[]> {
    return this.withConnection(options, (c) => c.transact(database, operations, options));
  }

  echo(params: readonly unknown[] = [], options?: RequestOptions): Promise<unknown[]> {
    return this.withConnection(options, (c) => c.echo(params, options));
  }

  /**
   * Asks for a lock and keeps asking after every reconnect until unlock(). Resolves true if it
   * was granted at once; otherwise a `locked` event follows when it is.
   */
  lock(lockId: string, options?: RequestOptions): Promise<boolean> {
    this.wantedLocks.add(lockId);
    return this.withConnection(options, async (c) => this.granted(lockId, await c.lock(lockId, options)));
  }

  /** Takes the lock from whoever holds it; also kept across reconnects until unlock(). */
  steal(lockId: string, options?: RequestOptions): Promise<boolean> {
    this.wantedLocks.add(lockId);
    return this.withConnection(options, async (c) => this.granted(lockId, await c.steal(lockId, options)));
  }

  async unlock(lockId: string, options?: RequestOptions): Promise<void> {
    this.wantedLocks.delete(lockId);
    const connection = this.current;
    if (connection && !connection.isClosed) await connection.unlock(lockId, options);
  }

  /** Closes the connection and stops reconnecting. Pending requests reject with OVSDB_CLOSED. */
  close(): void {
    if (this.closeReason) return;
    this.closeReason = new OvsdbError('OVSDB_CLOSED', 'client closed');
    this.stop.abort();
    this.current?.close(this.closeReason);
    this.finish();
  }

  private finish(): void {
    for (const wake of [...this.waiters]) wake();
    this.emit('closed', this.closeReason ?? new OvsdbError('OVSDB_CLOSED', 'client closed'));
  }

  private async withConnection<T>(
    options: RequestOptions | undefined,
    call: (connection: OvsdbConnection) => Promise<T>,
  ): Promise<T> {
    const connection = await this.whenConnected(options?.timeoutMs);
    return call(connection);
  }

  private granted(lockId: string, locked: boolean): boolean {
    if (locked) this.emit('locked', lockId);
    return locked;
  }

  private async run(): Promise<void> {
    while (!this.closeReason) {
      let connection: OvsdbConnection;
      try {
        connection = await OvsdbConnection.open(this.target, this.options);
      } catch (error) {
        this.lastError = toOvsdbError(error, 'OVSDB_CONNECT_FAILED', `cannot connect to ${this.target}`);
        if (this.closeReason) return;
        this.emit('connectFailed', this.lastError);
        if (!(await this.pause())) return;
        continue;
      }
      if (this.closeReason) {
        connection.close(this.closeReason);
        return;
      }
      const since = this.clock.now();
      await this.session(connection);
      if (this.closeReason) return;
      if (this.backoff && this.clock.now() - since >= (this.options.stableAfterMs ?? 5_000))
        this.backoff.reset();
      if (!(await this.pause())) return;
    }
  }

  /** Runs one connection until it closes. */
  private async session(connection: OvsdbConnection): Promise<void> {
    this.current = connection;
    const offLocked = connection.on('locked', (lockId) => this.emit('locked', lockId));
    const offStolen = connection.on('stolen', (lockId) => {
      this.wantedLocks.delete(lockId);
      this.emit('stolen', lockId);
    });
    this.emit('connected', connection);
    for (const wake of [...this.waiters]) wake();
    for (const lockId of this.wantedLocks) {
      connection.lock(lockId).then(
        (locked) => this.granted(lockId, locked),
        () => undefined, // The connection died; the next one asks again.
      );
    }
    const reason = await connection.closed;
    offLocked();
    offStolen();
    this.current = undefined;
    this.lastError = reason;
    if (!this.closeReason) this.emit('disconnected', reason);
  }

  /** Waits out the backoff; false when the client is closed (or reconnect is disabled). */
  private async pause(): Promise<boolean> {
    if (!this.backoff) {
      this.closeReason = this.lastError ?? new OvsdbError('OVSDB_DISCONNECTED', 'disconnected');
      this.finish();
      return false;
    }
    return (await sleep(this.clock, this.backoff.next(), this.stop.signal)) && !this.closeReason;
  }
}
