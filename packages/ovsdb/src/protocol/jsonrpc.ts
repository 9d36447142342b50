// One JSON-RPC 1.0 session over a byte stream, as RFC 7047 uses it:
//  - requests carry numeric ids; each resolves or rejects exactly once (reply, timeout or close);
//  - the server's `echo` requests are answered at once (ovsdb-server drops silent clients);
//  - our own `echo` is sent when nothing has arrived for `probeIntervalMs`; no reply within
//    another interval means the peer is gone even if the socket looks open;
//  - anything malformed closes the session with a typed error: after bad input the stream
//    position is unknown, and a reconnect (handled above this layer) is the only safe recovery.
import type { Duplex } from 'node:stream';
import type { Clock, ClockTimer } from '../clock.js';
import { OvsdbError, toOvsdbError } from '../errors.js';
import { JsonSplitter } from './json-splitter.js';
import { describeRpcError, parseMessage, type IncomingRequest, type IncomingResponse } from './messages.js';

export interface JsonRpcPeerOptions {
  readonly clock: Clock;
  readonly maxMessageBytes: number;
  /** Default timeout for request(); 0 disables. */
  readonly requestTimeoutMs: number;
  /** Idle time before we probe with `echo`; 0 disables the probe. */
  readonly probeIntervalMs: number;
  /** Called for notifications (`id` null), in arrival order. */
  readonly onNotification: (method: string, params: readonly unknown[]) => void;
}

export interface RequestOptions {
  /** Overrides the default request timeout; 0 waits forever. */
  readonly timeoutMs?: number;
}

interface Pending {
  readonly method: string;
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: OvsdbError) => void;
  readonly timer: ClockTimer | undefined;
}

export class JsonRpcPeer {
  private readonly splitter: JsonSplitter;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private lastReceived: number;
  private probeTimer: ClockTimer | undefined;
  private closeReason: OvsdbError | undefined;
  private readonly closedPromise: Promise<OvsdbError>;
  private resolveClosed!: (reason: OvsdbError) => void;

  constructor(
    private readonly stream: Duplex,
    private readonly options: JsonRpcPeerOptions,
  ) {
    this.splitter = new JsonSplitter({ maxMessageBytes: options.maxMessageBytes });
    this.lastReceived = options.clock.now();
    this.closedPromise = new Promise((resolve) => {
      this.resolveClosed = resolve;
    });
    stream.on('data', (chunk: Buffer | string) => this.onData(chunk));
    stream.on('error', (error: Error) =>
      this.close(
        new OvsdbError('OVSDB_DISCONNECTED', `connection error: ${error.message}`, { cause: error }),
      ),
    );
    stream.on('end', () => this.close(new OvsdbError('OVSDB_DISCONNECTED', 'connection closed by peer')));
    stream.on('close', () => this.close(new OvsdbError('OVSDB_DISCONNECTED', 'connection closed')));
    this.scheduleProbe();
  }

  /** Resolves (never rejects) with the reason once the session is over. */
  get closed(): Promise<OvsdbError> {
    return this.closedPromise;
  }

  get isClosed(): boolean {
    return this.closeReason !== undefined;
  }

  /** Sends a request; resolves with its `result` or rejects with an OvsdbError. */
  request(method: string, params: readonly unknown[], options: RequestOptions = {}): Promise<unknown> {
    if (this.closeReason) return Promise.reject(this.closeReason);
    const id = this.nextId++;
    return new Promise<unknown>((resolve, reject) => {
      const timeoutMs = options.timeoutMs ?? this.options.requestTimeoutMs;
      const timer =
        timeoutMs > 0
          ? this.options.clock.setTimeout(() => {
              this.pending.delete(id);
              reject(new OvsdbError('OVSDB_TIMEOUT', `${method} got no reply within ${timeoutMs} ms`));
            }, timeoutMs)
          : undefined;
      this.pending.set(id, { method, resolve, reject, timer });
      this.send({ id, method, params });
    });
  }

  /** Sends a notification (a request that expects no reply). */
  notify(method: string, params: readonly unknown[]): void {
    this.send({ id: null, method, params });
  }

  /** Ends the session; pending requests reject with `reason`. Idempotent. */
  close(reason: OvsdbError = new OvsdbError('OVSDB_CLOSED', 'connection closed by the client')): void {
    if (this.closeReason) return;
    this.closeReason = reason;
    if (this.probeTimer !== undefined) this.options.clock.clearTimeout(this.probeTimer);
    for (const [id, pending] of this.pending) {
      this.pending.delete(id);
      if (pending.timer !== undefined) this.options.clock.clearTimeout(pending.timer);
      pending.reject(reason);
    }
    this.stream.destroy();
    this.resolveClosed(reason);
  }

  private send(message: unknown): void {
    if (this.closeReason) return;
    try {
      this.stream.write(JSON.stringify(message));
    } catch (error) {
      this.close(toOvsdbError(error, 'OVSDB_DISCONNECTED', 'write failed'));
    }
  }

  private onData(chunk: Buffer | string): void {
    if (this.closeReason) return;
    this.lastReceived = this.options.clock.now();
    try {
      const texts = this.splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
      for (const text of texts) {
        if (this.closeReason) return;
        const message = parseMessage(text);
        if (message.kind === 'request') this.onRequest(message);
        else this.onResponse(message);
      }
    } catch (error) {
      this.close(toOvsdbError(error, 'OVSDB_PROTOCOL', 'bad data from server'));
    }
  }

  private onRequest(message: IncomingRequest): void {
    if (message.id === null) {
      this.options.onNotification(message.method, message.params);
    } else if (message.method === 'echo') {
      this.send({ id: message.id, result: message.params, error: null });
    } else {
      this.send({ id: message.id, result: null, error: 'unknown method' });
    }
  }

  private onResponse(message: IncomingResponse): void {
    const id = message.id;
    const pending = typeof id === 'number' ? this.pending.get(id) : undefined;
    if (pending === undefined) {
      // A reply to a request that already timed out is normal; a reply to an id we never used
      // means the peer is confused, and nothing it sends afterwards can be trusted.
      if (typeof id === 'number' && Number.isInteger(id) && id > 0 && id < this.nextId) return;
      throw new OvsdbError('OVSDB_PROTOCOL', `reply to unknown request id ${JSON.stringify(id)}`);
    }
    this.pending.delete(id as number);
    if (pending.timer !== undefined) this.options.clock.clearTimeout(pending.timer);
    if (message.error !== null) {
      pending.reject(
        new OvsdbError('OVSDB_RPC_ERROR', `${pending.method} failed: ${describeRpcError(message.error)}`, {
          details: message.error,
        }),
      );
    } else {
      pending.resolve(message.result);
    }
  }

  private scheduleProbe(delayMs = this.options.probeIntervalMs): void {
    const interval = this.options.probeIntervalMs;
    if (interval <= 0 || this.closeReason) return;
    this.probeTimer = this.options.clock.setTimeout(() => {
      this.probeTimer = undefined;
      const idle = this.options.clock.now() - this.lastReceived;
      if (idle < interval) {
        this.scheduleProbe(interval - idle);
        return;
      }
      this.request('echo', [], { timeoutMs: interval }).then(
        () => this.scheduleProbe(),
        (error: unknown) => {
          if (error instanceof OvsdbError && error.code === 'OVSDB_TIMEOUT') {
            this.close(new OvsdbError('OVSDB_TIMEOUT', `no reply to inactivity probe within ${interval} ms`));
          }
        },
      );
    }, delayMs);
  }
}
