// Every lab record (OVS instance, underlay, etcd) is a directory under the lab's base directory
// with an `owner` file naming the PID that created it; the stale sweeps reap directories whose
// owner is dead — or that have no owner at all. So a record must never be visible without its
// owner file, even for a moment: another process's sweep (or one of our own, when nodes start in
// parallel) would reap it while it is being built.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Creates `dir` with its owner file already inside: it is prepared elsewhere and renamed into
 * place. Throws if `dir` exists (a live process owns it; a dead one's is reaped by the sweep).
 */
export async function createOwnedDir(baseDir: string, dir: string, what = 'lab directory'): Promise<void> {
  await mkdir(baseDir, { recursive: true });
  const taken = (): Error => new Error(`${what} ${dir} already exists (owned by a live process)`);
  if (existsSync(dir)) throw taken();
  const staging = await mkdtemp(join(tmpdir(), 'weir-lab-staging-'));
  await writeFile(join(staging, 'owner'), `${process.pid}\n`);
  try {
    await rename(staging, dir);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST') throw taken();
    if (code !== 'EXDEV') throw error;
    // The base directory is on another file system: no atomic rename. mkdir still refuses an
    // existing directory, and the owner file follows within microseconds.
    await mkdir(dir);
    await writeFile(join(dir, 'owner'), `${process.pid}\n`);
  }
}
