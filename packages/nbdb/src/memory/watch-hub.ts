// Delivery of watch batches to listeners. Listeners are called on a later turn of the event loop
// (setImmediate), never inside `commit`, one batch at a time and in revision order per watch; a
// listener that throws is reported and skipped, it does not stop the store or the other watchers.
import { compileFilter, filterEvents, type EventMatcher } from '../shared/filter.js';
import type { Watch, WatchBatch, WatchFilter } from '../store.js';

export type ListenerErrorHandler = (error: unknown) => void;

/** Default: a process warning, since a throwing listener is a bug in the caller. */
export const warnListenerError: ListenerErrorHandler = (error) => {
  process.emitWarning(
    `a store watch listener threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
};

class Watcher implements Watch {
  closed = false;
  /** Batches after this revision are still to be queued (those up to it were seen or skipped). */
  cursor: number;
  delivered: number;
  readonly queue: WatchBatch[] = [];

  constructor(
    readonly match: EventMatcher,
    readonly listener: (batch: WatchBatch) => void,
    start: number,
    private readonly onClose: (w: Watcher) => void,
  ) {
    this.cursor = start;
    this.delivered = start;
  }

  get revision(): number {
    return this.delivered;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    this.onClose(this);
  }
}

export class WatchHub {
  private readonly watchers = new Set<Watcher>();
  private readonly ready = new Set<Watcher>();
  private scheduled = false;

  constructor(private readonly onListenerError: ListenerErrorHandler = warnListenerError) {}

  get size(): number {
    return this.watchers.size;
  }

  /**
   * Adds a watcher that starts after revision `start`. `backlog` is what it missed from the history
   * (batches after `start`), or 'reset' when that is gone; `resetRevision` is the revision a reset
   * reports and the watcher carries on from.
   */
  add(
    filter: WatchFilter,
    listener: (batch: WatchBatch) => void,
    start: number,
    backlog: readonly WatchBatch[] | 'reset',
    resetRevision: number,
  ): Watch {
    const w = new Watcher(compileFilter(filter), listener, start, (x) => {
      this.watchers.delete(x);
      this.ready.delete(x);
    });
    this.watchers.add(w);
    if (backlog === 'reset') {
      w.cursor = resetRevision;
      this.enqueue(w, { revision: resetRevision, events: [{ type: 'reset' }] });
    } else {
      for (const batch of backlog) this.offer(w, batch);
    }
    return w;
  }

  /** Hands a newly durable batch to every watcher it concerns. */
  publish(batch: WatchBatch): void {
    for (const w of this.watchers) this.offer(w, batch);
  }

  closeAll(): void {
    for (const w of [...this.watchers]) w.close();
  }

  private offer(w: Watcher, batch: WatchBatch): void {
    if (batch.revision <= w.cursor) return;
    w.cursor = batch.revision;
    const events = filterEvents(batch.events, w.match);
    if (events.length > 0)
      this.enqueue(w, events === batch.events ? batch : { revision: batch.revision, events });
  }

  private enqueue(w: Watcher, batch: WatchBatch): void {
    w.queue.push(batch);
    this.ready.add(w);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.drain());
    }
  }

  private drain(): void {
    this.scheduled = false;
    // Batches queued by listeners during this drain are delivered in this same drain (after the
    // listener returned), keeping per-watch order without a further turn.
    while (this.ready.size > 0) {
      for (const w of this.ready) {
        this.ready.delete(w);
        const batches = w.queue.splice(0);
        for (const batch of batches) {
          if (w.closed) break;
          w.delivered = batch.revision;
          try {
            w.listener(batch);
          } catch (error) {
            this.onListenerError(error);
          }
        }
      }
    }
  }
}
