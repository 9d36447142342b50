// What a lab named `name` could leave behind: namespaces `wl-<name>-…`, directories
// `<base>/<name>-…`, and processes whose command line names one of those directories.
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from '../../src/index.js';

export interface Leftovers {
  readonly namespaces: string[];
  readonly directories: string[];
  readonly processes: string[];
}

export async function leftovers(name: string, base: string): Promise<Leftovers> {
  const namespaces = (await run('ip', ['netns', 'list']))
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((ns) => ns.startsWith(`wl-${name}-`));
  let directories: string[] = [];
  try {
    directories = readdirSync(base).filter((d) => d.startsWith(`${name}-`));
  } catch {
    // No base directory at all.
  }
  const marker = join(base, `${name}-`);
  const processes: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue; // exited, not yet reaped
      const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').join(' ');
      if (cmdline.includes(marker)) processes.push(`${pid} ${cmdline}`);
    } catch {
      // Gone while we looked.
    }
  }
  return { namespaces, directories, processes };
}

export const NOTHING_LEFT: Leftovers = { namespaces: [], directories: [], processes: [] };
