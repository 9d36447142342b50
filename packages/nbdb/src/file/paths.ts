// The files of a store directory. Generation g is snapshot g (absent for g = 0: the empty store)
// plus log g, which holds the entries written after snapshot g was captured.
//
//   LOCK                     owner process (see lock.ts)
//   snap-0000000007.snap     a complete snapshot (written as .tmp, synced, then renamed)
//   snap-0000000007.tmp      a snapshot being written (a leftover of a crash: deleted at open)
//   wal-0000000007.log       the write-ahead log of generation 7
import { join } from 'node:path';

const pad = (gen: number): string => String(gen).padStart(10, '0');

export const lockPath = (dir: string): string => join(dir, 'LOCK');
export const walPath = (dir: string, gen: number): string => join(dir, `wal-${pad(gen)}.log`);
export const snapshotPath = (dir: string, gen: number): string => join(dir, `snap-${pad(gen)}.snap`);
export const snapshotTempPath = (dir: string, gen: number): string => join(dir, `snap-${pad(gen)}.tmp`);

export interface DirListing {
  readonly wals: number[];
  readonly snapshots: number[];
  readonly temps: string[];
}

/** Sorts a directory's file names into generations (ascending). Unknown names are ignored. */
export function parseListing(names: readonly string[]): DirListing {
  const wals: number[] = [];
  const snapshots: number[] = [];
  const temps: string[] = [];
  for (const name of names) {
    const m = /^(wal|snap)-(\d{10})\.(log|snap|tmp)$/.exec(name);
    if (!m) continue;
    const gen = Number(m[2]);
    if (m[1] === 'wal' && m[3] === 'log') wals.push(gen);
    else if (m[1] === 'snap' && m[3] === 'snap') snapshots.push(gen);
    else if (m[1] === 'snap' && m[3] === 'tmp') temps.push(name);
  }
  return { wals: wals.sort((a, b) => a - b), snapshots: snapshots.sort((a, b) => a - b), temps };
}
