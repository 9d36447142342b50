// Store watches on etcd: ONE etcd watcher per Store watch, over the smallest key range that
// covers every (table, topic) prefix the filter asks for; events outside the filter are dropped
// here. Why not one etcd watcher per prefix, merged by revision: etcd orders events per watcher
// only. Across watchers of one stream it does not (verified on 3.4.23: two watchers catching up
// from the same revision got their batches in map order — watcher 1's revisions 7-2005 arrived
// before watcher 2's revision 6), an idle watcher reports no progress, and 3.4's progress request
// can overtake events still queued (etcd#15220). A merge could never know a revision is complete,
// so it could not promise "one transaction's changes arrive together, in revision order". One
// watcher can: etcd never splits a revision across responses (we do not ask for fragments).
// The price: a filter on a few topics of many tables covers most of `o/` (the layout is
// table-major), so etcd sends events of other topics too and they are dropped here.
//
// Resuming. We track the last revision whose events we have received and reconnect from it after
// any stream failure (etcd restart, network). We ask etcd for start_revision = that revision, not
// the next one, and drop its events: compaction at C keeps revision C's keys but drops its
// tombstones, and etcd only reports ErrCompacted when start_revision < C, so asking for "C"
// when we need "C+1 onwards" is what makes etcd tell us exactly when history is missing. On
// ErrCompacted the watcher gets a `reset` at C (the oldest revision etcd can resume after
// exactly) and carries on from there; the listener re-lists at C or later.
// (The etcd3 package's own Watcher resumes from the response *header* revision, which during a
// catch-up is ahead of the events delivered so far — a reconnect at that moment would skip them.)
import { TABLE_NAMES, type TableName } from '@weir/model';
import type { IDuplexStream, IEvent, IWatchRequest, IWatchResponse } from 'etcd3';
import { compileFilter, type EventMatcher } from '../shared/filter.js';
import type { KeyLayout } from '../shared/keys.js';
import type { Watch, WatchBatch, WatchEvent, WatchFilter } from '../store.js';
import { decodeObject, enc, parseObjectKey, prefixEnd } from './codec.js';
import type { EtcdConnection } from './connection.js';
import type { Known } from './known.js';

export interface WatchContext {
  readonly connection: EtcdConnection;
  readonly keys: KeyLayout;
  /** Objects seen in events are remembered, so updating one of them needs no read first. */
  readonly known: Known;
  readonly onListenerError: (error: unknown) => void;
}

type Stream = IDuplexStream<IWatchRequest, IWatchResponse>;

const MAX_RETRY_DELAY_MS = 2000;

/** The key range [start, end) covering everything `filter` asks for, or undefined for nothing. */
export function watchRange(keys: KeyLayout, filter: WatchFilter): { start: Buffer; end: Buffer } | undefined {
  const tables: readonly TableName[] =
    filter.tables && filter.tables.length > 0 ? filter.tables : TABLE_NAMES;
  const prefixes = tables.flatMap((t) =>
    filter.topics === undefined ? [keys.objects(t)] : filter.topics.map((topic) => keys.objects(t, topic)),
  );
  if (prefixes.length === 0) return undefined;
  const starts = prefixes.map((p) => enc(p));
  const ends = prefixes.map((p) => prefixEnd(p));
  return {
    start: starts.reduce((a, b) => (Buffer.compare(a, b) <= 0 ? a : b)),
    end: ends.reduce((a, b) => (Buffer.compare(a, b) >= 0 ? a : b)),
  };
}

export class EtcdWatch implements Watch {
  private delivered: number;
  /** Every event up to this revision has been received (and delivered, if it matched). */
  private received: number;
  private closed = false;
  /** Bumped whenever a stream is abandoned, so its late callbacks are ignored. */
  private generation = 0;
  private stream: Stream | undefined;
  private timer: NodeJS.Timeout | undefined;
  private retryDelay = 50;
  /** The revision "now" is, while it is being read (a watch without fromRevision). */
  private pendingStart: Promise<number> | undefined;
  private readonly match: EventMatcher;
  private readonly objectsRoot: string;
  private readonly range: { start: Buffer; end: Buffer } | undefined;

  constructor(
    private readonly ctx: WatchContext,
    filter: WatchFilter,
    private readonly listener: (batch: WatchBatch) => void,
    start: { readonly known: number; readonly exact?: Promise<number> },
    private readonly onClose: (watch: EtcdWatch) => void,
  ) {
    // Until the exact start is read, `revision` reports a lower bound of it.
    this.delivered = start.known;
    this.received = start.known;
    this.pendingStart = start.exact;
    this.match = compileFilter(filter);
    this.objectsRoot = `${ctx.keys.prefix}/o/`;
    this.range = watchRange(ctx.keys, filter);
    if (this.range) this.open();
  }

  get revision(): number {
    return this.delivered;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.abandonStream();
    clearTimeout(this.timer);
    this.onClose(this);
  }

  private abandonStream(): void {
    this.generation++;
    const stream = this.stream;
    this.stream = undefined;
    stream?.cancel();
  }

  private open(): void {
    if (this.closed || !this.range) return;
    const generation = ++this.generation;
    const range = this.range;
    const start = async (): Promise<void> => {
      if (this.pendingStart) {
        this.delivered = this.received = await this.pendingStart;
        this.pendingStart = undefined;
      }
      const stream = await this.ctx.connection.client.watchClient.watch();
      if (this.closed || generation !== this.generation) {
        stream.cancel();
        return;
      }
      this.stream = stream;
      stream
        .on('data', (response) => {
          if (generation === this.generation) this.onResponse(response);
        })
        .on('error', () => this.broken(generation))
        .on('end', () => this.broken(generation));
      stream.write({
        create_request: {
          key: range.start,
          range_end: range.end,
          // See the header: one revision early, so compaction is always reported.
          start_revision: Math.max(this.received, 1),
          prev_kv: true,
        },
      });
    };
    start().catch(() => this.broken(generation));
  }

  /** The stream (or a call to set one up) failed: try again after a growing delay. */
  private broken(generation: number): void {
    if (this.closed || generation !== this.generation) return;
    this.abandonStream();
    clearTimeout(this.timer);
    const delay = this.retryDelay * (0.75 + Math.random() / 2);
    this.retryDelay = Math.min(this.retryDelay * 2, MAX_RETRY_DELAY_MS);
    this.timer = setTimeout(() => this.open(), delay);
  }

  private onResponse(response: IWatchResponse): void {
    if (response.compact_revision && response.compact_revision !== '0') {
      // History is gone: the listener re-lists, and we carry on after the compaction revision
      // (the oldest point etcd can resume from exactly; see the header).
      const revision = Number(response.compact_revision);
      this.received = revision;
      this.deliver({ revision, events: [{ type: 'reset' }] });
      this.broken(this.generation);
      this.retryDelay = 50;
      return;
    }
    if (response.canceled) {
      this.broken(this.generation);
      return;
    }
    if (response.created) this.retryDelay = 50;
    const events = response.events ?? [];
    // A response may hold many revisions (a catch-up), but never part of one.
    let i = 0;
    while (i < events.length && !this.closed) {
      const revision = Number((events[i] as IEvent).kv.mod_revision);
      let j = i;
      while (j < events.length && Number((events[j] as IEvent).kv.mod_revision) === revision) j++;
      if (revision > this.received) this.onRevision(revision, events.slice(i, j));
      i = j;
    }
  }

  private onRevision(revision: number, raw: readonly IEvent[]): void {
    const events: WatchEvent[] = [];
    for (const e of raw) {
      const where = parseObjectKey(this.objectsRoot, e.kv.key);
      if (!where || !this.match(where.table, where.topic)) continue;
      const prev = e.prev_kv && e.prev_kv.value.length > 0 ? decodeObject(e.prev_kv) : undefined;
      if (e.type === 'Put') {
        const object = decodeObject(e.kv);
        // Known keeps its own copy of the bytes (the event's are a view into the response).
        this.ctx.known.remember(where.table, {
          id: object.id,
          topic: object.topic,
          version: object.version,
          value: e.kv.value,
          lease: e.kv.lease,
        });
        events.push(
          prev
            ? { type: 'put', table: where.table, object, prev }
            : { type: 'put', table: where.table, object },
        );
      } else if (prev) {
        this.ctx.known.forget(where.table, prev.id);
        events.push({ type: 'delete', table: where.table, prev });
      } else {
        // etcd could not give the deleted object (its revision is compacted away): a delete we
        // cannot describe must not be dropped silently, so the listener re-lists instead.
        this.received = revision;
        this.deliver({ revision, events: [{ type: 'reset' }] });
        return;
      }
    }
    this.received = revision;
    if (events.length > 0) this.deliver({ revision, events });
  }

  private deliver(batch: WatchBatch): void {
    if (this.closed) return;
    this.delivered = batch.revision;
    try {
      this.listener(batch);
    } catch (error) {
      this.ctx.onListenerError(error);
    }
  }
}
