// Every lab record (OVS instance, underlay, etcd) is a directory under the lab's base directory
// with an `owner` file naming the PID that created it; the stale sweeps reap directories whose
// owner is dead — or that have no owner at all. So a record must never be visible without its
// owner file, even for a moment: another process's sweep (or one of our own, when nodes start in
// parallel) would reap it while it is being built. Removing the last record also removes the
// base directory, so a finished lab leaves nothing behind; a creator racing that removal retries.
import { existsSync, rmSync, rmdirSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * Creates `dir` with its owner file already inside: it is prepared elsewhere and renamed into
 * place. Throws if `dir` exists (a live process owns it; a dead one's is reaped by the sweep).
 */
export async function createOwnedDir(baseDir: string, dir: string, what = 'lab directory'): Promise<void> {
  const taken = (): Error => new Error(`${what} ${dir} already exists (owned by a live process)`);
  if (existsSync(dir)) throw taken();
  const staging = await mkdtemp(join(tmpdir(), 'weir-lab-staging-'));
  await writeFile(join(staging, 'owner'), `${process.pid}\n`);
  for (let attempt = 1; ; attempt++) {
    await mkdir(baseDir, { recursive: true });
    try {
      await rename(staging, dir);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Another process removed the (then empty) base directory between our mkdir and rename.
      if (code === 'ENOENT' && attempt < 5) continue;
      await rm(staging, { recursive: true, force: true });
      if (code === 'ENOTEMPTY' || code === 'EEXIST') throw taken();
      if (code !== 'EXDEV') throw error;
      // The base directory is on another file system: no atomic rename. mkdir still refuses an
      // existing directory, and the owner file follows within microseconds.
      await mkdir(dir);
      await writeFile(join(dir, 'owner'), `${process.pid}\n`);
      return;
    }
  }
}

/** Removes a record and, if it was the last one, the base directory that held it. */
export function removeOwnedDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  try {
    rmdirSync(dirname(dir));
  } catch {
    // Not empty (other records, or files of other users of the base): it stays.
  }
}
