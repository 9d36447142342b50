// The one place that talks to the etcd3 client: unary KV calls with a deadline, our own retry
// rules, and the highest revision this client has seen (a watch "from now on" starts there).
//
// Why the etcd3 client's fault handling is switched off: by default it retries every
// "recoverable" error three times (RESOURCE_EXHAUSTED included, so an oversized transaction is sent
// three times) and opens a per-host circuit breaker after three failures, which then fails every
// call for 5 s — including the first calls after etcd comes back. Instead, reads are retried
// while etcd is unreachable (up to the request timeout), and a write is retried only when it
// certainly never left this process; otherwise its fate is unknown and the caller is told so.
import { setTimeout as sleep } from 'node:timers/promises';
import {
  Etcd3,
  type IOptions,
  type IRangeRequest,
  type IRequestOp,
  type IRangeResponse,
  type ITxnRequest,
  type ITxnResponse,
} from 'etcd3';
import { WeirError } from '@weir/model';
import { neverSent, storeError, transient } from './errors.js';
import { ReadBatcher } from './read-batch.js';

type Policy = NonNullable<NonNullable<IOptions['faultHandling']>['global']>;

const noDisposable = { dispose: (): void => undefined };
const neverAborted = new AbortController().signal;

/** A cockatiel-compatible policy that just runs the call (see the header comment). */
const passThrough: Policy = {
  _altReturn: undefined as never, // a type-only member in cockatiel; never read
  onSuccess: () => noDisposable,
  onFailure: () => noDisposable,
  execute: async (fn, signal) => fn({ signal: signal ?? neverAborted }),
};

export interface ConnectionOptions {
  /** etcd client URLs: "http://host:port" or "host:port". */
  readonly endpoints: readonly string[];
  /** Deadline of one call, and how long reads keep retrying while etcd is unreachable. */
  readonly requestTimeoutMs: number;
  /** At most this many ranges in one batched read transaction (etcd's --max-txn-ops). */
  readonly maxReadBatchOps: number;
}

/** A transaction that only reads: no conditions, only ranges (those are batched). */
function isPlainRead(request: ITxnRequest): boolean {
  return (
    (request.compare ?? []).length === 0 &&
    (request.failure ?? []).length === 0 &&
    (request.success ?? []).every((op) => op.request_range !== undefined)
  );
}

export class EtcdConnection {
  readonly client: Etcd3;
  private seen = 0;
  private closed = false;
  /** Every read goes through here: see read-batch.ts. */
  private readonly reads: ReadBatcher;

  constructor(private readonly options: ConnectionOptions) {
    if (options.endpoints.length === 0) throw new WeirError('WEIR_MODEL_INVALID', 'etcd: no endpoints');
    this.client = new Etcd3({
      hosts: options.endpoints.map((e) => (/^[a-z]+:\/\//.test(e) ? e : `http://${e}`)),
      faultHandling: { global: passThrough, host: () => passThrough },
      defaultCallOptions: (context) =>
        context.isStream ? {} : { deadline: Date.now() + options.requestTimeoutMs },
      grpcOptions: {
        // Large lists and watch catch-ups exceed gRPC's 4 MiB default.
        'grpc.max_receive_message_length': 1 << 30,
        'grpc.max_send_message_length': 1 << 30,
        // Come back quickly after an etcd restart (gRPC's default backoff grows to 120 s).
        'grpc.initial_reconnect_backoff_ms': 100,
        'grpc.max_reconnect_backoff_ms': 1000,
        // Notice a silently dead server (no RST) on long-lived watch streams. etcd refuses pings
        // more often than every 5 s (--grpc-keepalive-min-time).
        'grpc.keepalive_time_ms': 10_000,
        'grpc.keepalive_timeout_ms': 5_000,
      },
    });
    this.reads = new ReadBatcher(
      (ops, what) =>
        this.call(what, true, async () => {
          const response = await this.client.kv.txn({ success: ops as IRequestOp[] });
          this.observe(response.header.revision);
          return response;
        }),
      options.maxReadBatchOps,
    );
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** The highest store revision any response to this client carried. */
  get revisionSeen(): number {
    return this.seen;
  }

  observe(revision: string | number | undefined): number {
    const r = Number(revision ?? 0);
    if (r > this.seen) this.seen = r;
    return r;
  }

  /** A range, batched with other reads of this turn (its header: the batch's, at its revision). */
  async range(request: IRangeRequest, what: string): Promise<IRangeResponse> {
    const { header, responses } = await this.reads.read([{ request_range: request }], what);
    const response = responses[0]?.response_range;
    if (!response) throw new WeirError('WEIR_STORE_UNAVAILABLE', `${what}: etcd sent no range response`);
    return { ...response, header };
  }

  /**
   * A transaction; `readOnly` ones (and writes that never left) are retried while etcd is away.
   * Plain reads (ranges only, no conditions) are batched like `range`.
   */
  async txn(request: ITxnRequest, what: string, readOnly: boolean): Promise<ITxnResponse> {
    if (readOnly && isPlainRead(request)) {
      const { header, responses } = await this.reads.read(request.success ?? [], what);
      return { header, succeeded: true, responses: [...responses] };
    }
    return this.call(what, readOnly, async () => {
      const response = await this.client.kv.txn(request);
      this.observe(response.header.revision);
      return response;
    });
  }

  /** Runs one etcd call under the retry rules above, mapping failures to store errors. */
  async call<T>(what: string, idempotent: boolean, fn: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.options.requestTimeoutMs;
    for (let delay = 25; ; delay = Math.min(delay * 2, 500)) {
      if (this.closed) throw new WeirError('WEIR_STORE_UNAVAILABLE', `${what}: the store was closed`);
      try {
        return await fn();
      } catch (error) {
        const retry = transient(error) && (idempotent || neverSent(error));
        if (!retry || Date.now() + delay > deadline || this.closed) throw storeError(error, what);
        await sleep(delay);
      }
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.client.close();
  }
}
