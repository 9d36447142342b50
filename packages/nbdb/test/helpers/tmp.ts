// Temporary store directories: under os.tmpdir(), named after this process, removed by the tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made = new Set<string>();

export function tempDir(label = 'store'): string {
  const dir = mkdtempSync(join(tmpdir(), `weir-nbdb-${process.pid}-${label}-`));
  made.add(dir);
  return dir;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  made.delete(dir);
}

// Whatever a failing test left behind goes when the process ends.
process.on('exit', () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});
