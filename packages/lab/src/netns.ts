// Deleting a network namespace for good: a namespace with a live process survives `ip netns del`
// (../shared/lab/README.md, pitfall 12), so whatever still runs inside is killed first.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { run, tryRun } from './exec.js';
import { stopProcess } from './process.js';

export async function deleteNamespace(netns: string): Promise<void> {
  if (!existsSync(`/run/netns/${netns}`)) return;
  const pids = (await run('ip', ['netns', 'pids', netns]).catch(() => ''))
    .split(/\s+/)
    .filter(Boolean)
    .map(Number);
  for (const pid of pids) await stopProcess(pid, '', 1000);
  await tryRun('ip', ['netns', 'del', netns]);
}

/** For process-exit hooks, where nothing asynchronous runs any more. */
export function deleteNamespaceSync(netns: string): void {
  try {
    const pids = execFileSync('ip', ['netns', 'pids', netns], { encoding: 'utf8' })
      .split(/\s+/)
      .filter(Boolean);
    for (const pid of pids) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // Gone already.
      }
    }
    execFileSync('ip', ['netns', 'del', netns], { stdio: 'ignore' });
  } catch {
    // Already gone.
  }
}
