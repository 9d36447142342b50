// The file driver's journal: a write-ahead log with group commit, and rotation through snapshots.
//
// Group commit. `append` queues the entry; a flush runs on the next turn of the event loop and
// writes everything queued as ONE frame, synchronously to the disk (the log is opened O_DSYNC: the
// write returns once the data is on stable storage, as write + fdatasync would, in one system call
// instead of two), then resolves every entry in it. Commits
// made in the same turn, or while the previous flush was syncing, share one sync — throughput grows
// with concurrency instead of being one fsync per commit. An entry is acknowledged only after the
// sync that covers it, and frames are written strictly one after another, so at most the newest
// frame can be torn by a crash (recover.ts relies on this).
//
// Rotation. Once the log passes `maxWalBytes`, the journal, between two flushes: captures the state
// (synchronously, so it is exactly the state after every entry queued so far), starts log g+1, and
// writes snapshot g+1 in the background. Entries queued at capture time land in log g+1 although the
// snapshot already holds them; replay skips them by revision. Only when the snapshot is whole and
// synced, and every entry it contains is durable, is it renamed into place; then generation g goes.
// A crash at any point leaves either snapshot g + logs g, g+1 or snapshot g+1 + log g+1.
//
// A failed write or sync poisons the journal: every pending and later append is rejected (the
// engine then refuses all requests) — after a failed fsync the page cache can no longer be trusted
// to reflect the disk, so retrying would be a lie; reopening reads the truth back.
import { constants } from 'node:fs';
import { open, readdir, rm, type FileHandle } from 'node:fs/promises';
import type { Journal } from '../memory/journal.js';
import { encodeFrame } from './framing.js';
import { syncDir, writeFully } from './io.js';
import { createWal } from './recover.js';
import { parseListing, snapshotPath, walPath } from './paths.js';
import { writeSnapshot, type SnapshotData } from './snapshot.js';

/** Read-write, and every write synchronous to stable storage for its data (O_DSYNC). */
const LOG_FLAGS = constants.O_RDWR | constants.O_DSYNC;

interface Pending {
  readonly json: string;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export interface FileJournalOptions {
  readonly dir: string;
  readonly gen: number;
  readonly walBytes: number;
  readonly maxWalBytes: number;
  readonly uniqueKeyBlock: number;
  /** The largest commit record accepted (<= MAX_FRAME_BYTES / 2). */
  readonly maxRecordBytes: number;
  /** The state now, for a snapshot (must be synchronous). */
  readonly capture: () => SnapshotData;
  /** Test hook: called before each frame is written; throwing simulates a failed disk. */
  readonly beforeWrite?: () => void;
  /** Test hook: called before a finished snapshot is renamed into place; throwing aborts it. */
  readonly beforeSnapshotRename?: () => void;
  /** A background snapshot failed (the log keeps growing; rotation is retried later). */
  readonly onSnapshotError?: (error: unknown) => void;
}

export class FileJournal implements Journal {
  readonly uniqueKeyBlock: number;
  readonly maxRecordBytes: number;
  private queue: Pending[] = [];
  private flushing = false;
  private idle: Promise<void> = Promise.resolve();
  private markIdle: () => void = () => undefined;
  private failure: Error | undefined;
  private closed = false;
  private fh: FileHandle;
  private gen: number;
  private size: number;
  /** Entries appended / made durable so far (a snapshot waits for its entries to be durable). */
  private appended = 0;
  private synced = 0;
  private readonly syncWaiters: { upTo: number; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private rotation: Promise<void> | undefined;
  /** After a failed snapshot, do not retry before the log has grown this large. */
  private nextRotationAt: number;

  private constructor(
    fh: FileHandle,
    private readonly options: FileJournalOptions,
  ) {
    this.fh = fh;
    this.gen = options.gen;
    this.size = options.walBytes;
    this.uniqueKeyBlock = options.uniqueKeyBlock;
    this.maxRecordBytes = options.maxRecordBytes;
    this.nextRotationAt = options.maxWalBytes;
  }

  static async open(options: FileJournalOptions): Promise<FileJournal> {
    const fh = await open(walPath(options.dir, options.gen), LOG_FLAGS);
    return new FileJournal(fh, options);
  }

  get generation(): number {
    return this.gen;
  }

  append(record: string): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new Error('the journal is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ json: record, resolve, reject });
      this.appended++;
      if (!this.flushing) {
        this.flushing = true;
        this.idle = new Promise((r) => (this.markIdle = r));
        setImmediate(() => void this.flushLoop());
      }
    });
  }

  private async flushLoop(): Promise<void> {
    while (this.queue.length > 0 && this.failure === undefined) {
      const batch = this.queue;
      this.queue = [];
      try {
        // Usually one frame; a batch larger than a record's limit is cut into several, written one
        // after another (a crash can still tear only the last of them, and none was acknowledged).
        for (let from = 0; from < batch.length;) {
          let to = from + 1;
          let bytes = (batch[from] as Pending).json.length;
          while (to < batch.length && bytes + (batch[to] as Pending).json.length <= this.maxRecordBytes) {
            bytes += (batch[to] as Pending).json.length;
            to++;
          }
          this.options.beforeWrite?.();
          const json = `[${batch
            .slice(from, to)
            .map((p) => p.json)
            .join(',')}]`;
          const frame = encodeFrame(Buffer.from(json, 'utf8'));
          await writeFully(this.fh, frame, this.size); // O_DSYNC: durable when it returns
          this.size += frame.length;
          from = to;
        }
      } catch (error) {
        this.poison(error, batch);
        break;
      }
      this.synced += batch.length;
      for (const p of batch) p.resolve();
      this.releaseSyncWaiters();
      if (this.size >= this.nextRotationAt && !this.rotation && !this.closed) {
        try {
          await this.rotate();
        } catch (error) {
          this.poison(error, []);
          break;
        }
      }
    }
    this.flushing = false;
    this.markIdle();
  }

  private poison(error: unknown, batch: readonly Pending[]): void {
    this.failure = error instanceof Error ? error : new Error(String(error));
    for (const p of [...batch, ...this.queue]) p.reject(this.failure);
    this.queue = [];
    for (const w of this.syncWaiters.splice(0)) w.reject(this.failure);
  }

  private releaseSyncWaiters(): void {
    for (let i = this.syncWaiters.length - 1; i >= 0; i--) {
      const w = this.syncWaiters[i];
      if (w && w.upTo <= this.synced) {
        this.syncWaiters.splice(i, 1);
        w.resolve();
      }
    }
  }

  /** Resolves once the first `count` appended entries are durable. */
  private syncedUpTo(count: number): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (count <= this.synced) return Promise.resolve();
    return new Promise((resolve, reject) => this.syncWaiters.push({ upTo: count, resolve, reject }));
  }

  /** Starts generation g+1: captures the state, switches to a new log, snapshots in the background. */
  private async rotate(): Promise<void> {
    const { dir } = this.options;
    const data = this.options.capture();
    const contains = this.appended;
    const next = this.gen + 1;
    const headerBytes = await createWal(dir, next);
    const fh = await open(walPath(dir, next), LOG_FLAGS);
    const old = this.fh;
    this.fh = fh;
    this.gen = next;
    this.size = headerBytes;
    await old.close();
    this.rotation = this.snapshot(next, data, contains).finally(() => {
      this.rotation = undefined;
    });
  }

  private async snapshot(gen: number, data: SnapshotData, contains: number): Promise<void> {
    const { dir } = this.options;
    try {
      await writeSnapshot(dir, gen, data, async () => {
        await this.syncedUpTo(contains);
        this.options.beforeSnapshotRename?.();
      });
      const listing = parseListing(await readdir(dir));
      for (const g of listing.wals.filter((x) => x < gen)) await rm(walPath(dir, g), { force: true });
      for (const g of listing.snapshots.filter((x) => x < gen))
        await rm(snapshotPath(dir, g), { force: true });
      await syncDir(dir);
      this.nextRotationAt = this.options.maxWalBytes;
    } catch (error) {
      // The log is intact and keeps every entry; retry once it has grown by another maxWalBytes.
      this.nextRotationAt = this.size + this.options.maxWalBytes;
      if (this.failure === undefined) this.options.onSnapshotError?.(error);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.idle;
    await this.rotation;
    await this.fh.close();
    if (this.failure !== undefined) throw this.failure;
  }
}
