// Stopping daemons we started, by PID, safely.
// We never kill by name (the machine is shared); a PID is killed only when its command line
// still mentions a path we own, which guards against PID reuse after a crash.
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** The command line of a live process, or undefined when the PID is gone or a zombie. */
export async function commandLineOf(pid: number): Promise<string | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Field 3 (after the parenthesised comm, which may contain spaces) is the state.
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (state === 'Z' || state === 'X') return undefined;
    const raw = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    return raw.split('\0').join(' ').trim();
  } catch {
    return undefined;
  }
}

export async function isAlive(pid: number): Promise<boolean> {
  return (await commandLineOf(pid)) !== undefined;
}

export async function readPidFile(path: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt((await readFile(path, 'utf8')).trim(), 10);
    return Number.isInteger(pid) && pid > 1 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Sends SIGTERM to `pid` if its command line contains `mustMention`, waits up to `graceMs`
 * for it to exit, then SIGKILLs it. Resolves once the process is gone (or was not ours).
 */
export async function stopProcess(pid: number, mustMention: string, graceMs = 3000): Promise<void> {
  const cmdline = await commandLineOf(pid);
  if (cmdline === undefined || !cmdline.includes(mustMention)) return;
  signal(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!(await isAlive(pid))) return;
    await sleep(20);
  }
  signal(pid, 'SIGKILL');
  const killDeadline = Date.now() + 2000;
  while (Date.now() < killDeadline && (await isAlive(pid))) await sleep(20);
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone: nothing to do.
  }
}
