// What a commit needs to know before it can build its transaction: single keys (locators,
// objects, claims) and index ranges (empty or not; any key created after a revision or not). Reads are batched into read-only
// transactions (one round trip for up to --max-txn-ops keys). They need not all come from one
// revision: the transaction compares every key it relied on, so a stale read makes it fail and
// be re-planned rather than apply on a wrong premise.
import type { IKeyValue, IRequestOp, IResponseOp } from 'etcd3';
import type { EtcdConnection } from './connection.js';
import { enc, prefixEnd } from './codec.js';

export type Read =
  | { readonly kind: 'key'; readonly key: string }
  | { readonly kind: 'range'; readonly prefix: string }
  /** Whether a key of the range was created after revision `since`. */
  | { readonly kind: 'joined'; readonly prefix: string; readonly since: number };

export const readId = (r: Read): string =>
  r.kind === 'key' ? `k:${r.key}` : r.kind === 'range' ? `r:${r.prefix}` : `j:${r.since}:${r.prefix}`;

export class Snapshot {
  private readonly keys = new Map<string, IKeyValue | null>();
  private readonly ranges = new Map<string, boolean>();
  /** readId of a 'joined' read -> whether a key was created after its revision. */
  private readonly joined = new Map<string, boolean>();
  /** Reads taken to be "absent" / "empty" without asking etcd (see `assume`). */
  private readonly assumed = new Map<string, Read>();

  has(read: Read): boolean {
    if (read.kind === 'joined') return this.joined.has(readId(read));
    return read.kind === 'key' ? this.keys.has(read.key) : this.ranges.has(read.prefix);
  }

  /** The key's current state: its KeyValue, or null when absent. Throws if it was never read. */
  key(key: string): IKeyValue | null {
    const kv = this.keys.get(key);
    if (kv === undefined) throw new Error(`internal: ${key} was not read`);
    return kv;
  }

  keyIfRead(key: string): IKeyValue | null | undefined {
    return this.keys.get(key);
  }

  /** Whether any key starts with `prefix`. */
  nonEmpty(prefix: string): boolean {
    const v = this.ranges.get(prefix);
    if (v === undefined) throw new Error(`internal: range ${prefix} was not read`);
    return v;
  }

  /** Whether a key starting with `prefix` was created after revision `since`. */
  joinedSince(prefix: string, since: number): boolean {
    const v = this.joined.get(readId({ kind: 'joined', prefix, since }));
    if (v === undefined) throw new Error(`internal: range ${prefix} since ${since} was not read`);
    return v;
  }

  /**
   * Takes `read` to return `kv` (null: absent; for a range: empty) without reading it. Safe
   * because the transaction compares exactly what the plan then relies on (absence, or the
   * mod_revision): if the guess is wrong, the transaction fails and its failure branch brings
   * the real value.
   */
  assume(read: Read, kv: IKeyValue | null): void {
    if (read.kind === 'key') this.keys.set(read.key, kv);
    else if (read.kind === 'range') this.ranges.set(read.prefix, false);
    else this.joined.set(readId(read), false);
    this.assumed.set(readId(read), read);
  }

  get assumptions(): readonly Read[] {
    return [...this.assumed.values()];
  }

  /** Records the answers to `reads` (as built by `requestOf`) from a transaction's responses. */
  record(reads: readonly Read[], responses: readonly IResponseOp[]): void {
    reads.forEach((read, i) => {
      this.assumed.delete(readId(read));
      const kvs = responses[i]?.response_range?.kvs ?? [];
      if (read.kind === 'key') this.keys.set(read.key, kvs[0] ?? null);
      else if (read.kind === 'range') this.ranges.set(read.prefix, kvs.length > 0);
      else this.joined.set(readId(read), kvs.length > 0);
    });
  }

  /** Forgets everything (a failed transaction brings fresh answers for the same reads). */
  clear(): void {
    this.keys.clear();
    this.ranges.clear();
    this.joined.clear();
    this.assumed.clear();
  }
}

export function requestOf(read: Read): IRequestOp {
  if (read.kind === 'key') return { request_range: { key: enc(read.key) } };
  // One key is enough to know the range is not empty (etcd filters by creation before limiting).
  return {
    request_range: {
      key: enc(read.prefix),
      range_end: prefixEnd(read.prefix),
      limit: 1,
      keys_only: true,
      ...(read.kind === 'joined' ? { min_create_revision: read.since + 1 } : {}),
    },
  };
}

/** Reads `reads` into `snapshot`, in as few read-only transactions as the server allows. */
export async function readInto(
  connection: EtcdConnection,
  snapshot: Snapshot,
  reads: readonly Read[],
  maxOps: number,
): Promise<void> {
  const chunks: Read[][] = [];
  for (let i = 0; i < reads.length; i += maxOps) chunks.push(reads.slice(i, i + maxOps));
  await Promise.all(
    chunks.map(async (chunk) => {
      const response = await connection.txn({ success: chunk.map(requestOf) }, 'commit (read)', true);
      snapshot.record(chunk, response.responses);
    }),
  );
}
