// Reads issued in the same turn of the event loop go to etcd as ONE read-only transaction.
//
// Why: on etcd, a port create is half a dozen small reads (its network, the subnets' index and
// objects, the project's quota and port count) before its commit, and with a few concurrent API
// requests the gRPC calls themselves — not etcd, not our logic — were most of the API server's CPU
// (profile at 8 clients: grpc-js + http2 internals > 30 %). One transaction of N ranges costs about
// what one range costs. A read-only transaction is served like a range (no raft proposal), and all
// its ranges see one revision, so batching never weakens what a caller was promised: each caller
// gets the responses to its own ranges, with the transaction's header (the revision it was read at,
// as a standalone range's header would say).
//
// Failure: if the combined transaction fails for a reason that concerns one member (a compacted
// revision asked by a paging read, a request etcd finds too large), every member is sent again on
// its own, so each caller sees exactly the error (or result) it would have seen unbatched. If etcd
// is unreachable, all members get that error (each would have, after as long a wait).
import type { IRequestOp, IResponseHeader, IResponseOp } from 'etcd3';
import { isWeirError } from '@weir/model';

export interface ReadResult {
  readonly header: IResponseHeader;
  readonly responses: readonly IResponseOp[];
}

/** Sends one read-only transaction of `ops` (with the connection's retry rules). */
export type SendReads = (ops: readonly IRequestOp[], what: string) => Promise<ReadResult>;

interface Member {
  readonly ops: readonly IRequestOp[];
  readonly what: string;
  readonly resolve: (result: ReadResult) => void;
  readonly reject: (error: unknown) => void;
}

export class ReadBatcher {
  private queue: Member[] = [];
  private queuedOps = 0;
  private flushPending = false;

  /** `maxOps`: at most this many ranges in one transaction (etcd's --max-txn-ops). */
  constructor(
    private readonly send: SendReads,
    private readonly maxOps: number,
  ) {}

  read(ops: readonly IRequestOp[], what: string): Promise<ReadResult> {
    // A member that would overflow the batch sends what is queued first.
    if (this.queue.length > 0 && this.queuedOps + ops.length > this.maxOps) this.flush();
    return new Promise<ReadResult>((resolve, reject) => {
      this.queue.push({ ops, what, resolve, reject });
      this.queuedOps += ops.length;
      if (!this.flushPending) {
        this.flushPending = true;
        // After this turn's I/O callbacks: reads of concurrent requests parsed together join.
        setImmediate(() => {
          this.flushPending = false;
          this.flush();
        });
      }
    });
  }

  private flush(): void {
    const batch = this.queue;
    this.queue = [];
    this.queuedOps = 0;
    if (batch.length === 0) return;
    if (batch.length === 1) {
      const only = batch[0] as Member;
      this.send(only.ops, only.what).then(only.resolve, only.reject);
      return;
    }
    const ops = batch.flatMap((m) => m.ops);
    this.send(ops, `${batch.length} batched reads`).then(
      (result) => {
        let at = 0;
        for (const m of batch) {
          m.resolve({ header: result.header, responses: result.responses.slice(at, at + m.ops.length) });
          at += m.ops.length;
        }
      },
      (error: unknown) => {
        if (isWeirError(error, 'WEIR_STORE_UNAVAILABLE')) {
          for (const m of batch) m.reject(error);
          return;
        }
        for (const m of batch) this.send(m.ops, m.what).then(m.resolve, m.reject);
      },
    );
  }
}
