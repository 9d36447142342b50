// Opening a store directory: the newest complete snapshot, then every log from its generation on,
// in order. Only the newest log may end in a torn frame (the crash interrupted its last, never
// acknowledged, write): it is truncated there. Anything else that does not read back — a bad frame
// followed by good ones, a torn older log, a gap in revisions or generations — is corruption, and
// the store refuses to open rather than silently lose acknowledged writes.
import { open, readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { WeirError } from '@weir/model';
import type { JournalEntry } from '../memory/journal.js';
import { StoreState } from '../memory/state.js';
import { encodeJsonFrame, scanFrames } from './framing.js';
import { syncDir, writeFully } from './io.js';
import { parseListing, snapshotPath, walPath } from './paths.js';
import { replayEntry, stateFromSnapshot } from './replay.js';
import { readSnapshot } from './snapshot.js';

export interface Recovered {
  readonly state: StoreState;
  /** The generation whose log new entries are appended to. */
  readonly gen: number;
  /** Bytes of that log (where the next frame goes). */
  readonly walBytes: number;
  /** What recovery did, for logs and tests. */
  readonly report: RecoveryReport;
}

export interface RecoveryReport {
  readonly snapshotGen: number | undefined;
  readonly logsReplayed: number;
  readonly entriesReplayed: number;
  /** Bytes cut from the end of the newest log (a torn, unacknowledged write). */
  readonly truncatedBytes: number;
}

interface WalHeader {
  wal?: number;
  gen?: number;
}

const corrupt = (message: string): WeirError => new WeirError('WEIR_STORE_CORRUPT', message);

/** Writes a new, empty log for `gen` (its header frame), synced, directory synced. Returns its size. */
export async function createWal(dir: string, gen: number): Promise<number> {
  const header = encodeJsonFrame({ wal: 1, gen });
  const fh = await open(walPath(dir, gen), 'w');
  try {
    await writeFully(fh, header, 0);
    await fh.datasync();
  } finally {
    await fh.close();
  }
  await syncDir(dir);
  return header.length;
}

async function truncate(path: string, length: number): Promise<void> {
  const fh = await open(path, 'r+');
  try {
    await fh.truncate(length);
    await fh.datasync();
  } finally {
    await fh.close();
  }
}

export async function recover(dir: string): Promise<Recovered> {
  const listing = parseListing(await readdir(dir));
  for (const temp of listing.temps) await rm(join(dir, temp), { force: true });

  const snapshotGen = listing.snapshots.at(-1);
  const state =
    snapshotGen === undefined ? new StoreState() : stateFromSnapshot(await readSnapshot(dir, snapshotGen));
  const base = snapshotGen ?? 0;
  const logs = listing.wals.filter((g) => g >= base);
  if (snapshotGen !== undefined && logs[0] !== snapshotGen)
    throw corrupt(`${walPath(dir, snapshotGen)} is missing (it must exist beside its snapshot)`);
  logs.forEach((gen, i) => {
    if (gen !== base + i) throw corrupt(`${walPath(dir, base + i)} is missing (logs run ${logs.join(', ')})`);
  });

  let entriesReplayed = 0;
  let truncatedBytes = 0;
  let walBytes = 0;
  for (const [i, gen] of logs.entries()) {
    const path = walPath(dir, gen);
    const newest = i === logs.length - 1;
    const buf = await readFile(path);
    const scan = scanFrames(buf);
    if (scan.tail === 'corrupt')
      throw corrupt(`${path}: damaged frame at byte ${scan.end} with valid data after it`);
    if (scan.tail === 'torn' && !newest)
      throw corrupt(`${path}: damaged end of a log that is not the newest`);
    const [header, ...frames] = scan.frames;
    if (!header) {
      // A crash right after the log was created, before its header was synced: it holds nothing.
      if (!newest) throw corrupt(`${path}: empty log that is not the newest`);
      truncatedBytes += buf.length;
      walBytes = await createWal(dir, gen);
      continue;
    }
    let headerValue: WalHeader;
    try {
      headerValue = JSON.parse(header.payload.toString('utf8')) as WalHeader;
    } catch {
      throw corrupt(`${path}: unreadable header`);
    }
    if (headerValue.wal !== 1 || headerValue.gen !== gen) throw corrupt(`${path}: header names another log`);
    for (const frame of frames) {
      let entries: JournalEntry[];
      try {
        entries = JSON.parse(frame.payload.toString('utf8')) as JournalEntry[];
      } catch {
        throw corrupt(`${path}: unreadable frame at byte ${frame.offset}`);
      }
      for (const entry of entries) replayEntry(state, entry, `${path} at byte ${frame.offset}`);
      entriesReplayed += entries.length;
    }
    if (scan.tail === 'torn') {
      truncatedBytes += buf.length - scan.end;
      await truncate(path, scan.end);
    }
    walBytes = scan.end;
  }
  let gen = logs.at(-1);
  if (gen === undefined) {
    gen = base;
    walBytes = await createWal(dir, gen);
  }

  // Older generations are fully contained in the snapshot: remove them.
  for (const old of listing.wals.filter((g) => g < base)) await rm(walPath(dir, old), { force: true });
  for (const old of listing.snapshots.filter((g) => g < base))
    await rm(snapshotPath(dir, old), { force: true });

  return {
    state,
    gen,
    walBytes,
    report: { snapshotGen, logsReplayed: logs.length, entriesReplayed, truncatedBytes },
  };
}
