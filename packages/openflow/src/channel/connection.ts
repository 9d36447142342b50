// One OpenFlow 1.3 connection to a switch: handshake, transaction ids with request/reply
// promises (multipart replies collected), echo keepalive in both directions, batched writes that
// respect socket backpressure, and typed errors. It works on any stream socket, whichever side
// dialled: `connectToSwitch` (active) and `OpenFlowListener` (passive) both produce one.
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { Writer } from '../bytes.js';
import { OFP13_VERSION } from '../constants.js';
import { OpenFlowError } from '../errors.js';
import { decodeMessage, encodeMessageInto } from '../messages/codec.js';
import { errorName } from '../messages/describe-error.js';
import type {
  Envelope,
  MultipartReplyBody,
  MultipartRequestBody,
  OpenFlowMessage,
} from '../messages/types.js';
import { MessageFramer } from './framer.js';

/** The switch answered with an OpenFlow ERROR. */
export class SwitchError extends OpenFlowError {
  override readonly name = 'SwitchError';
  constructor(
    readonly xid: number,
    readonly errorType: number,
    readonly errorCode: number,
    readonly experimenter: number | undefined,
    /** The first bytes of the failed request, as the switch quoted them. */
    readonly data: Buffer,
    context = '',
  ) {
    const name = errorName({
      errorType,
      code: errorCode,
      ...(experimenter === undefined ? {} : { experimenter }),
    });
    super('OF_SWITCH_ERROR', `switch error ${name}${context ? ` ${context}` : ''} (xid ${xid})`);
    this.errorName = name;
  }

  readonly errorName: string;
}

export interface ConnectionOptions {
  /** Send an echo request after this long without receiving anything. Default 5 s. */
  readonly echoIntervalMs?: number;
  /** Close the connection when an echo gets no reply within this time. Default 10 s. */
  readonly echoTimeoutMs?: number;
  /** Default timeout for request/reply exchanges. Default 30 s. */
  readonly requestTimeoutMs?: number;
  /** Time allowed for HELLO + FEATURES. Default 10 s. */
  readonly handshakeTimeoutMs?: number;
  /** Batched writes are cut into chunks of at most this many bytes. Default 256 KiB. */
  readonly chunkBytes?: number;
}

export interface SwitchFeatures {
  readonly datapathId: bigint;
  readonly nBuffers: number;
  readonly nTables: number;
  readonly capabilities: number;
}

type ConnectionEvents = {
  /** Asynchronous messages: packet-ins, port status, flow removed, unsolicited errors… */
  message: [Envelope];
  /** A message from the switch that could not be decoded; the connection carries on. */
  decodeError: [OpenFlowError, Buffer];
  close: [OpenFlowError | undefined];
};

interface Pending {
  resolve: (replies: Envelope[]) => void;
  reject: (error: Error) => void;
  replies: Envelope[];
  timer: NodeJS.Timeout | undefined;
  what: string;
}

interface ErrorWatch {
  from: number;
  to: number;
  onError: (env: Envelope<Extract<OpenFlowMessage, { type: 'error' }>>) => void;
}

const REPLY_TYPES = new Set<OpenFlowMessage['type']>([
  'echo_reply',
  'features_reply',
  'get_config_reply',
  'multipart_reply',
  'barrier_reply',
  'role_reply',
  'bundle_control',
]);

export class OpenFlowConnection extends EventEmitter<ConnectionEvents> {
  private readonly framer = new MessageFramer();
  private readonly pending = new Map<number, Pending>();
  private readonly watches = new Set<ErrorWatch>();
  private xid = Math.floor(Math.random() * 0x7fffffff);
  private lastReceived = Date.now();
  private echoOutstanding = false;
  private closed = false;
  private keepalive: NodeJS.Timeout | undefined;
  private readonly writer = new Writer(64 * 1024);
  /**
   * sendBatch's encoding buffer, kept between batches: a fresh one per batch (a chunk's size,
   * 256 KiB+) made every small bundle allocate a third of a megabyte of external memory, which
   * drives V8 into extra full GCs. Undefined while a batch holds it (batches can overlap).
   */
  private batchWriter: Writer | undefined = new Writer(4096);
  private features_: SwitchFeatures | undefined;
  /** Messages that failed to decode since the connection opened. */
  decodeErrors = 0;

  private constructor(
    private readonly socket: Duplex,
    private readonly options: Required<ConnectionOptions>,
  ) {
    super();
  }

  /** Runs the OpenFlow 1.3 handshake on a connected socket and returns the ready connection. */
  static async open(socket: Duplex, options: ConnectionOptions = {}): Promise<OpenFlowConnection> {
    const conn = new OpenFlowConnection(socket, {
      echoIntervalMs: options.echoIntervalMs ?? 5000,
      echoTimeoutMs: options.echoTimeoutMs ?? 10_000,
      requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
      handshakeTimeoutMs: options.handshakeTimeoutMs ?? 10_000,
      chunkBytes: options.chunkBytes ?? 256 * 1024,
    });
    await conn.handshake();
    return conn;
  }

  get features(): SwitchFeatures {
    if (!this.features_) throw new OpenFlowError('OF_PROTOCOL', 'connection not ready');
    return this.features_;
  }

  get datapathId(): bigint {
    return this.features.datapathId;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private handshake(): Promise<void> {
    return new Promise((resolve, reject) => {
      let helloSeen = false;
      const fail = (error: OpenFlowError): void => {
        clearTimeout(timer);
        this.destroy(error);
        reject(error);
      };
      const timer = setTimeout(
        () => fail(new OpenFlowError('OF_TIMEOUT', 'OpenFlow handshake timed out')),
        this.options.handshakeTimeoutMs,
      );
      const onHello = (env: Envelope): boolean => {
        if (helloSeen || env.message.type !== 'hello') return false;
        helloSeen = true;
        const versions = env.message.versions;
        const ok = versions.length > 0 ? versions.includes(OFP13_VERSION) : env.version >= OFP13_VERSION;
        if (!ok) {
          // OFPET_HELLO_FAILED / OFPHFC_INCOMPATIBLE, with a readable reason as OVS does.
          this.send({
            type: 'error',
            errorType: 0,
            code: 0,
            data: Buffer.from('We support only OpenFlow 1.3'),
          });
          fail(
            new OpenFlowError(
              'OF_PROTOCOL',
              `peer does not speak OpenFlow 1.3 (offers ${versions.join(',') || env.version})`,
            ),
          );
          return true;
        }
        this.request({ type: 'features_request' }, 'features')
          .then((reply) => {
            if (reply.message.type !== 'features_reply')
              throw new OpenFlowError('OF_PROTOCOL', 'bad features reply');
            const m = reply.message;
            this.features_ = {
              datapathId: m.datapathId,
              nBuffers: m.nBuffers,
              nTables: m.nTables,
              capabilities: m.capabilities,
            };
            clearTimeout(timer);
            this.startKeepalive();
            resolve();
          })
          .catch((error: unknown) =>
            fail(error instanceof OpenFlowError ? error : new OpenFlowError('OF_PROTOCOL', String(error))),
          );
        return true;
      };
      this.helloHandler = onHello;
      this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
      this.socket.on('error', (error: Error) =>
        this.destroy(new OpenFlowError('OF_DISCONNECTED', error.message)),
      );
      this.socket.on('close', () =>
        this.destroy(new OpenFlowError('OF_DISCONNECTED', 'connection closed by peer')),
      );
      this.send({ type: 'hello', versions: [OFP13_VERSION] });
    });
  }

  private helloHandler: ((env: Envelope) => boolean) | undefined;

  private startKeepalive(): void {
    const tick = Math.max(100, Math.floor(this.options.echoIntervalMs / 2));
    this.keepalive = setInterval(() => {
      if (this.closed || this.echoOutstanding) return;
      if (Date.now() - this.lastReceived < this.options.echoIntervalMs) return;
      this.echoOutstanding = true;
      this.request({ type: 'echo_request', data: Buffer.alloc(0) }, 'echo', this.options.echoTimeoutMs)
        .then(() => {
          this.echoOutstanding = false;
        })
        .catch(() => this.destroy(new OpenFlowError('OF_TIMEOUT', 'switch did not answer echo requests')));
    }, tick);
    this.keepalive.unref();
  }

  nextXid(): number {
    this.xid = (this.xid + 1) >>> 0;
    if (this.xid === 0) this.xid = 1;
    return this.xid;
  }

  /** Reserves `n` consecutive transaction ids (for batches whose errors are mapped back by xid). */
  reserveXids(n: number): number {
    const first = this.nextXid();
    if (first + n > 0xffffffff) {
      this.xid = 0;
      return this.reserveXids(n);
    }
    this.xid = first + n - 1;
    return first;
  }

  /** Sends one message without waiting for anything; returns its xid. */
  send(message: OpenFlowMessage, xid = this.nextXid()): number {
    if (this.closed) throw new OpenFlowError('OF_DISCONNECTED', 'connection is closed');
    this.writer.reset();
    encodeMessageInto(this.writer, message, xid);
    this.socket.write(this.writer.toBuffer());
    return xid;
  }

  /**
   * Sends many messages with consecutive xids starting at `firstXid`, in chunks, waiting for the
   * socket to drain between chunks so memory stays bounded whatever the count.
   */
  async sendBatch(messages: Iterable<OpenFlowMessage>, firstXid: number): Promise<number> {
    let xid = firstXid;
    const w = this.batchWriter ?? new Writer(4096);
    this.batchWriter = undefined;
    w.reset();
    let n = 0;
    try {
      for (const m of messages) {
        encodeMessageInto(w, m, xid);
        xid = (xid + 1) >>> 0;
        n++;
        if (w.length >= this.options.chunkBytes) {
          // toBuffer copies, so the writer is free again before the socket has sent the chunk.
          await this.writeChunk(w.toBuffer());
          w.reset();
        }
      }
      if (w.length > 0) await this.writeChunk(w.toBuffer());
    } finally {
      w.reset();
      this.batchWriter = w;
    }
    return n;
  }

  /**
   * Holds writes until uncork(), so messages sent back to back leave in one system call (a small
   * bundle's open, adds, commit and barrier). Waiting for the socket to drain uncorks first.
   */
  cork(): void {
    if (!this.closed) this.socket.cork();
  }

  uncork(): void {
    while (this.socket.writableCorked > 0) this.socket.uncork();
  }

  private writeChunk(chunk: Buffer): Promise<void> {
    if (this.closed) return Promise.reject(new OpenFlowError('OF_DISCONNECTED', 'connection is closed'));
    if (this.socket.write(chunk)) return Promise.resolve();
    // Corked, 'drain' would never come: let the held bytes go before waiting for it.
    this.uncork();
    return new Promise((resolve, reject) => {
      const onDrain = (): void => {
        this.off('close', onClose);
        resolve();
      };
      const onClose = (): void => {
        this.socket.off('drain', onDrain);
        reject(new OpenFlowError('OF_DISCONNECTED', 'connection closed while writing'));
      };
      this.socket.once('drain', onDrain);
      this.once('close', onClose);
    });
  }

  /** Sends a request and resolves with its reply (all parts, for multipart). Rejects with SwitchError. */
  request(
    message: OpenFlowMessage,
    what: string = message.type,
    timeoutMs = this.options.requestTimeoutMs,
  ): Promise<Envelope> {
    return this.requestAll(message, what, timeoutMs).then(
      (replies) => replies[replies.length - 1] as Envelope,
    );
  }

  private requestAll(message: OpenFlowMessage, what: string, timeoutMs: number): Promise<Envelope[]> {
    if (this.closed) return Promise.reject(new OpenFlowError('OF_DISCONNECTED', 'connection is closed'));
    const xid = this.nextXid();
    return new Promise((resolve, reject) => {
      const entry: Pending = { resolve, reject, replies: [], timer: undefined, what };
      entry.timer = setTimeout(() => {
        this.pending.delete(xid);
        reject(new OpenFlowError('OF_TIMEOUT', `no reply to ${what} (xid ${xid}) within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(xid, entry);
      this.send(message, xid);
    });
  }

  /** A multipart request; resolves with the bodies of every reply part. */
  async multipart(body: MultipartRequestBody): Promise<MultipartReplyBody[]> {
    const replies = await this.requestAll(
      { type: 'multipart_request', more: false, body },
      `multipart ${body.kind}`,
      this.options.requestTimeoutMs,
    );
    return replies.map((r) => {
      if (r.message.type !== 'multipart_reply')
        throw new OpenFlowError('OF_PROTOCOL', `unexpected ${r.message.type}`);
      return r.message.body;
    });
  }

  /** Resolves when the switch has processed everything sent before it. */
  async barrier(timeoutMs = this.options.requestTimeoutMs): Promise<void> {
    await this.request({ type: 'barrier_request' }, 'barrier', timeoutMs);
  }

  /** Calls `onError` for every ERROR whose xid is in [from, to] until the returned function is called. */
  watchErrors(from: number, to: number, onError: ErrorWatch['onError']): () => void {
    const w: ErrorWatch = { from, to, onError };
    this.watches.add(w);
    return () => this.watches.delete(w);
  }

  close(): void {
    this.destroy(undefined);
  }

  private destroy(reason: OpenFlowError | undefined): void {
    if (this.closed) return;
    this.closed = true;
    if (this.keepalive) clearInterval(this.keepalive);
    const error = reason ?? new OpenFlowError('OF_DISCONNECTED', 'connection closed');
    for (const [, p] of this.pending) {
      if (p.timer) clearTimeout(p.timer);
      p.reject(error);
    }
    this.pending.clear();
    this.socket.destroy();
    this.emit('close', reason);
  }

  private onData(chunk: Buffer): void {
    this.lastReceived = Date.now();
    let messages: Buffer[];
    try {
      messages = this.framer.push(chunk);
    } catch (error) {
      this.destroy(error instanceof OpenFlowError ? error : new OpenFlowError('OF_PROTOCOL', String(error)));
      return;
    }
    for (const raw of messages) {
      let env: Envelope;
      try {
        env = decodeMessage(raw);
      } catch (error) {
        const e = error instanceof OpenFlowError ? error : new OpenFlowError('OF_BAD_VALUE', String(error));
        this.decodeErrors++;
        const xid = raw.readUInt32BE(4);
        const p = this.pending.get(xid);
        if (p) this.settle(xid, p, e);
        this.emit('decodeError', e, raw);
        continue;
      }
      this.dispatch(env);
      if (this.closed) return;
    }
  }

  private settle(xid: number, p: Pending, error?: Error): void {
    this.pending.delete(xid);
    if (p.timer) clearTimeout(p.timer);
    if (error) p.reject(error);
    else p.resolve(p.replies);
  }

  private dispatch(env: Envelope): void {
    const m = env.message;
    if (m.type === 'hello') {
      this.helloHandler?.(env);
      return;
    }
    if (m.type === 'echo_request') {
      if (!this.closed) this.send({ type: 'echo_reply', data: m.data }, env.xid);
      return;
    }
    const p = this.pending.get(env.xid);
    if (m.type === 'error') {
      const error = new SwitchError(
        env.xid,
        m.errorType,
        m.code,
        m.experimenter,
        m.data,
        p ? `in reply to ${p.what}` : '',
      );
      if (p) {
        this.settle(env.xid, p, error);
        return;
      }
      let watched = false;
      for (const w of this.watches) {
        if (env.xid >= w.from && env.xid <= w.to) {
          w.onError(env as Envelope<Extract<OpenFlowMessage, { type: 'error' }>>);
          watched = true;
        }
      }
      if (!watched) this.emit('message', env);
      return;
    }
    if (p && REPLY_TYPES.has(m.type)) {
      p.replies.push(env);
      if (m.type === 'multipart_reply' && m.more) return;
      this.settle(env.xid, p);
      return;
    }
    this.emit('message', env);
  }
}
