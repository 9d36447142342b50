// Active mode: dial a switch (ovs-vswitchd's `unix:<rundir>/<bridge>.mgmt` or a `ptcp:` port) and
// keep the connection up, reconnecting with exponential backoff. Each successful connection is
// announced with `connected`; a consumer resyncs the switch then (see the controller's installer).
import { EventEmitter } from 'node:events';
import { OpenFlowError } from '../errors.js';
import { OpenFlowConnection, type ConnectionOptions } from './connection.js';
import { connectTarget, formatTarget, parseTarget, type Target } from './transport.js';

export interface ClientOptions extends ConnectionOptions {
  /** First retry delay; doubles up to maxBackoffMs. Default 100 ms. */
  readonly minBackoffMs?: number;
  /** Default 5 s. */
  readonly maxBackoffMs?: number;
  readonly connectTimeoutMs?: number;
}

type ClientEvents = {
  connected: [OpenFlowConnection];
  disconnected: [OpenFlowError | undefined];
  /** A connection attempt failed; the client will retry after `delayMs`. */
  retry: [OpenFlowError, number];
};

export class SwitchClient extends EventEmitter<ClientEvents> {
  private readonly target: Target;
  private stopped = false;
  private current: OpenFlowConnection | undefined;
  private timer: NodeJS.Timeout | undefined;
  private backoff: number;

  constructor(
    target: string,
    private readonly options: ClientOptions = {},
  ) {
    super();
    this.target = parseTarget(target);
    this.backoff = options.minBackoffMs ?? 100;
  }

  get connection(): OpenFlowConnection | undefined {
    return this.current;
  }

  /** Starts connecting (and reconnecting) in the background. */
  start(): void {
    this.stopped = false;
    void this.attempt();
  }

  /** Resolves with the next ready connection (the current one if there is one). */
  ready(timeoutMs = 30_000): Promise<OpenFlowConnection> {
    if (this.current && !this.current.isClosed) return Promise.resolve(this.current);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('connected', onConnected);
        reject(
          new OpenFlowError(
            'OF_TIMEOUT',
            `no connection to ${formatTarget(this.target)} within ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      const onConnected = (c: OpenFlowConnection): void => {
        clearTimeout(timer);
        resolve(c);
      };
      this.once('connected', onConnected);
    });
  }

  private async attempt(): Promise<void> {
    if (this.stopped) return;
    try {
      const socket = await connectTarget(this.target, this.options.connectTimeoutMs ?? 5000);
      const conn = await OpenFlowConnection.open(socket, this.options);
      if (this.stopped) {
        conn.close();
        return;
      }
      this.backoff = this.options.minBackoffMs ?? 100;
      this.current = conn;
      conn.once('close', (reason) => {
        if (this.current === conn) this.current = undefined;
        this.emit('disconnected', reason);
        this.schedule(this.options.minBackoffMs ?? 100);
      });
      this.emit('connected', conn);
    } catch (error) {
      const e = error instanceof OpenFlowError ? error : new OpenFlowError('OF_DISCONNECTED', String(error));
      const delay = this.backoff;
      this.backoff = Math.min(this.backoff * 2, this.options.maxBackoffMs ?? 5000);
      this.emit('retry', e, delay);
      this.schedule(delay);
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.attempt(), delayMs);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.current?.close();
    this.current = undefined;
  }
}
