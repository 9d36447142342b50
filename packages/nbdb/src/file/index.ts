// The file: driver — the embedded engine with a durable journal in a directory: a write-ahead log
// with group commit and snapshots (journal.ts), crash recovery (recover.ts), one process per
// directory (lock.ts). See ../../README.md for the on-disk format and the fsync policy.
//
// Several clients in one process share one engine: opening the same directory again (by any path
// that resolves to it) returns a new client on the open engine, and its options are ignored. The
// engine, its files and its lock are released when the last client closes.
import { mkdir, realpath } from 'node:fs/promises';
import { EmbeddedStore } from '../memory/embedded-store.js';
import { Engine, type EngineFaults, type EngineOptions } from '../memory/engine.js';
import type { Store } from '../store.js';
import { MAX_FRAME_BYTES } from './framing.js';
import { FileJournal } from './journal.js';
import { lockDirectory, type DirLock } from './lock.js';
import { recover } from './recover.js';
import { captureState } from './snapshot.js';

export const DEFAULT_MAX_WAL_BYTES = 64 * 1024 * 1024;
export const DEFAULT_UNIQUE_KEY_BLOCK = 1000;
export const DEFAULT_MAX_COMMIT_BYTES = 64 * 1024 * 1024;

export interface FileStoreOptions extends EngineOptions {
  /** Rotate (snapshot, start a new log) once the write-ahead log exceeds this many bytes (64 MiB). */
  readonly maxWalBytes?: number;
  /** The largest commit, as bytes of its log record (64 MiB); larger ones fail WEIR_STORE_TOO_LARGE. */
  readonly maxCommitBytes?: number;
  /** Unique keys reserved per durable log write (1000); a restart skips the unused rest of a block. */
  readonly uniqueKeyBlock?: number;
  /** A background snapshot failed; the log keeps every entry and rotation is retried (default: a warning). */
  readonly onSnapshotError?: (error: unknown) => void;
  readonly faults?: FileFaults;
}

export interface FileFaults extends EngineFaults {
  /** Called before each log frame is written; throwing simulates a failing disk. */
  readonly beforeWalWrite?: () => void;
  /** Called before a finished snapshot is renamed into place; throwing aborts it (a crash mid-rotation). */
  readonly beforeSnapshotRename?: () => void;
}

interface Shared {
  readonly engine: Engine;
  readonly lock: DirLock;
  clients: number;
}

const engines = new Map<string, Promise<Shared>>();
const closing = new Map<string, Promise<void>>();

const warnSnapshotError = (error: unknown): void => {
  process.emitWarning(`weir file store: snapshot failed, will retry: ${String(error)}`);
};

async function start(dir: string, options: FileStoreOptions): Promise<Shared> {
  const lock = await lockDirectory(dir);
  let engine: Engine | undefined;
  try {
    const { state, gen, walBytes } = await recover(dir);
    const { beforeWalWrite: beforeWrite, beforeSnapshotRename } = options.faults ?? {};
    const journal = await FileJournal.open({
      dir,
      gen,
      walBytes,
      maxWalBytes: options.maxWalBytes ?? DEFAULT_MAX_WAL_BYTES,
      uniqueKeyBlock: options.uniqueKeyBlock ?? DEFAULT_UNIQUE_KEY_BLOCK,
      maxRecordBytes: Math.min(options.maxCommitBytes ?? DEFAULT_MAX_COMMIT_BYTES, MAX_FRAME_BYTES / 2),
      capture: () => captureState(state),
      onSnapshotError: options.onSnapshotError ?? warnSnapshotError,
      ...(beforeWrite ? { beforeWrite } : {}),
      ...(beforeSnapshotRename ? { beforeSnapshotRename } : {}),
    });
    engine = new Engine(state, journal, options);
    await engine.dropOrphanedLeaseObjects();
    return { engine, lock, clients: 0 };
  } catch (error) {
    await engine?.close().catch(() => undefined);
    await lock.release();
    throw error;
  }
}

async function release(dir: string, shared: Shared): Promise<void> {
  if (--shared.clients > 0) return;
  engines.delete(dir);
  const done = (async () => {
    try {
      await shared.engine.close();
    } finally {
      await shared.lock.release();
    }
  })();
  closing.set(dir, done);
  try {
    await done;
  } finally {
    closing.delete(dir);
  }
}

/** Opens a client on the durable embedded store in directory `path` (created if absent). */
export async function openFileStore(path: string, options: FileStoreOptions = {}): Promise<Store> {
  await mkdir(path, { recursive: true });
  const dir = await realpath(path);
  await closing.get(dir)?.catch(() => undefined);
  let pending = engines.get(dir);
  if (!pending) {
    pending = start(dir, options);
    engines.set(dir, pending);
    pending.catch(() => engines.delete(dir));
  }
  const shared = await pending;
  shared.clients++;
  return new EmbeddedStore('file', shared.engine, () => release(dir, shared));
}
