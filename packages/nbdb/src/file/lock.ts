// One process per store directory. The embedded store is not a server: two processes appending to
// one log would interleave frames and each keep its own idea of the state. (Several clients in ONE
// process share one engine instead — see index.ts; several processes need etcd.)
//
// Node has no flock(), so the lock is a file created with O_EXCL holding the owner's pid and its
// start time (from /proc, which tells a live owner from a recycled pid). A lock whose owner is dead
// (the process was killed) is stale and taken over: renamed aside first, and taken over only if
// what was renamed is still the stale lock we examined, so two processes racing for a stale lock
// cannot both win.
import { readFileSync } from 'node:fs';
import { link, open, readFile, rename, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { WeirError } from '@weir/model';
import { lockPath } from './paths.js';

interface Owner {
  readonly pid: number;
  readonly start?: string;
  readonly host: string;
}

/** The start time of a process (field 22 of /proc/PID/stat), or undefined if unknown or gone. */
function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function isAlive(owner: Owner): boolean {
  if (owner.host !== hostname()) return true; // cannot tell: assume it is
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const start = startTimeOf(owner.pid);
  return owner.start === undefined || start === undefined || start === owner.start;
}

function parseOwner(text: string): Owner | undefined {
  try {
    const value = JSON.parse(text) as Partial<Owner>;
    if (typeof value.pid === 'number' && typeof value.host === 'string') return value as Owner;
  } catch {
    // An unreadable lock file: written by a process killed mid-write.
  }
  return undefined;
}

export interface DirLock {
  release(): Promise<void>;
}

async function tryCreate(path: string, content: string): Promise<boolean> {
  let fh;
  try {
    fh = await open(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await fh.writeFile(content);
    await fh.sync();
  } finally {
    await fh.close();
  }
  return true;
}

export async function lockDirectory(dir: string): Promise<DirLock> {
  const path = lockPath(dir);
  const start = startTimeOf(process.pid);
  const content = JSON.stringify({ pid: process.pid, ...(start ? { start } : {}), host: hostname() });
  for (let attempt = 0; attempt < 5; attempt++) {
    if (await tryCreate(path, content)) {
      return {
        release: async () => {
          const now = await readFile(path, 'utf8').catch(() => undefined);
          if (now === content) await rm(path, { force: true });
        },
      };
    }
    const seen = await readFile(path, 'utf8').catch(() => undefined);
    if (seen === undefined) continue; // released meanwhile: try again
    const owner = parseOwner(seen);
    if (owner && isAlive(owner))
      throw new WeirError(
        'WEIR_STORE_UNAVAILABLE',
        `store directory ${dir} is in use by process ${owner.pid} (lock file ${path}); ` +
          'one process at a time may open an embedded store — use etcd:// to share a store between processes',
      );
    // Stale: move it aside, and take over only if what we moved is what we judged stale.
    const aside = `${path}.stale-${process.pid}-${attempt}`;
    try {
      await rename(path, aside);
    } catch {
      continue; // someone else moved it first
    }
    const moved = await readFile(aside, 'utf8').catch(() => undefined);
    if (moved !== seen) {
      // We moved a fresh lock that replaced the stale one meanwhile: put it back if we can.
      await link(aside, path).catch(() => undefined);
      await rm(aside, { force: true });
      continue;
    }
    await rm(aside, { force: true });
  }
  throw new WeirError(
    'WEIR_STORE_UNAVAILABLE',
    `could not take the lock ${path}: other processes keep racing for it`,
  );
}
