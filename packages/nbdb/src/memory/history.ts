// The watch history: the last N revisions' batches in a ring, so a watch resuming from a recent
// revision gets exactly what it missed. Revisions in the ring are contiguous (every revision has a
// batch, possibly with no object events — a commit that only took claims), so a lookup is an
// offset, not a search. Anything older than the ring, or compacted, is gone: such a watch gets a
// reset instead.
import type { WatchBatch } from '../store.js';

export class History {
  private readonly ring: (WatchBatch | undefined)[];
  /** Index in `ring` of the batch of revision `compacted + 1`. */
  private head = 0;
  private count = 0;
  /** Every revision <= this one is gone from the history. */
  private compactedThrough: number;

  constructor(
    readonly capacity: number,
    /** The revision the history starts after (the store's revision when it was created). */
    start: number,
  ) {
    if (!Number.isSafeInteger(capacity) || capacity < 1)
      throw new RangeError('history capacity must be >= 1');
    this.ring = new Array<WatchBatch | undefined>(capacity);
    this.compactedThrough = start;
  }

  get compacted(): number {
    return this.compactedThrough;
  }

  get last(): number {
    return this.compactedThrough + this.count;
  }

  /** Appends the batch of revision `last + 1`, dropping the oldest batch when the ring is full. */
  push(batch: WatchBatch): void {
    if (batch.revision !== this.last + 1)
      throw new Error(
        `history: revision ${batch.revision} after ${this.last} (revisions must be contiguous)`,
      );
    if (this.count === this.capacity) this.dropOldest();
    this.ring[(this.head + this.count) % this.capacity] = batch;
    this.count++;
  }

  /** The batches after `revision`, or undefined when some of them are gone. */
  since(revision: number): WatchBatch[] | undefined {
    if (revision < this.compactedThrough) return undefined;
    const out: WatchBatch[] = [];
    for (let r = revision + 1; r <= this.last; r++) {
      out.push(this.ring[(this.head + (r - this.compactedThrough - 1)) % this.capacity] as WatchBatch);
    }
    return out;
  }

  /** Forgets every batch up to and including `revision` (clamped to the last one held). */
  compact(revision: number): void {
    const target = Math.min(revision, this.last);
    while (this.compactedThrough < target) this.dropOldest();
  }

  private dropOldest(): void {
    this.ring[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.count--;
    this.compactedThrough++;
  }
}
