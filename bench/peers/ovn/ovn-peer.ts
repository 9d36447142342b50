// OVN as the controller benchmark's peer, run in the same session as Weir: one call stands up a
// private OVN deployment on this machine with the shared scripts (../shared/peers/ovn/run.sh: NB +
// SB ovsdb-server, ovn-northd, NCH real chassis and NFAKE southbound-only ones, a bulk workload,
// incremental-change latencies, peak RSS), waits for it, and returns its figures typed.
//
// Ownership: run.sh is started as the leader of a new process group; its daemons detach into their
// own sessions but write pidfiles under BENCH_DIR, a directory of a temp dir made here, so
// teardown.sh (which kills only the PIDs in those pidfiles) finds exactly this run's daemons and
// never another OVS on the machine (the lab's, the default /var/run/openvswitch one).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { effectiveEnv, type OvnPeerParams } from './params.js';
import { ovnAvailable, PEER_SCRIPTS_DIR, scriptPath } from './packages.js';
import { parseResultDir, type OvnPeerResult } from './result.js';

export type { OvnEffectiveWorkload, OvnPeerParams } from './params.js';
export { effectiveEnv } from './params.js';
export { ensureOvnPackages, ovnAvailable } from './packages.js';
export { describeOvnResult, type OvnPeerResult } from './result.js';

export interface OvnPeerRunOptions {
  /** the whole run.sh, default 30 min (10,000 ports over 100 nodes took 7–8.5 min here: README) */
  readonly timeoutMs?: number;
  /** every line run.sh prints, as it prints it */
  readonly log?: (line: string) => void;
  /** keep run.sh's output here (as <dir>/<label>/); default: a temp dir removed after parsing */
  readonly resultsDir?: string;
  /** stops the run as a timeout does (process group killed, then teardown.sh) */
  readonly signal?: AbortSignal;
}

const DEFAULT_TIMEOUT_MS = 30 * 60_000;
// SIGTERM lets run.sh's EXIT trap start its own teardown; past this, the group gets SIGKILL.
const KILL_GRACE_MS = 5_000;
const TAIL_LINES = 40;

// Unix socket paths are limited to 108 bytes: BENCH_DIR goes under /tmp whatever TMPDIR says.
function makeTempDir(): string {
  return mkdtempSync('/tmp/weir-ovn-peer-');
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // the group is already empty
  }
}

interface Exit {
  readonly code: number | null;
  readonly stopped: string | null; // why this side stopped it, if it did
}

// Runs a script of the peer as its own process group; resolves when its leader has exited.
function runScript(
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  opts: { timeoutMs: number; onLine: (line: string) => void; signal?: AbortSignal | undefined },
): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [join(PEER_SCRIPTS_DIR, script), ...args], {
      detached: true, // setsid: its own group, so a timeout can stop run.sh and all its children
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
    });
    const pgid = child.pid;
    if (pgid === undefined) {
      child.once('error', reject);
      return;
    }
    for (const stream of [child.stdout, child.stderr])
      createInterface({ input: stream }).on('line', opts.onLine);
    let stopped: string | null = null;
    let grace: NodeJS.Timeout | undefined;
    const stop = (why: string): void => {
      if (stopped !== null || child.exitCode !== null || child.signalCode !== null) return;
      stopped = why;
      killGroup(pgid, 'SIGTERM');
      grace = setTimeout(() => killGroup(pgid, 'SIGKILL'), KILL_GRACE_MS);
    };
    const timer = setTimeout(
      () => stop(`timed out after ${Math.round(opts.timeoutMs / 1000)} s`),
      opts.timeoutMs,
    );
    const onAbort = (): void => stop('aborted');
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    if (opts.signal?.aborted === true) onAbort();
    child.once('exit', (code) => {
      clearTimeout(timer);
      clearTimeout(grace);
      opts.signal?.removeEventListener('abort', onAbort);
      // Whatever of the group outlived its leader after a stop (a stuck ovs-vsctl, tee) goes too.
      if (stopped !== null) killGroup(pgid, 'SIGKILL');
      // The last lines may still be in the pipes (run.sh logs through tee): wait for them to close,
      // but not for ever, in case something that kept them open outlives the group.
      const done = (): void => resolve({ code, stopped });
      if (child.stdout.closed && child.stderr.closed) done();
      else {
        const late = setTimeout(done, 2000);
        child.once('close', () => {
          clearTimeout(late);
          done();
        });
      }
    });
  });
}

/** Runs run.sh once with this workload and returns its figures. Throws if it fails or times out,
 *  after tearing the deployment down. */
export async function runOvnPeer(
  params: OvnPeerParams,
  options: OvnPeerRunOptions = {},
): Promise<OvnPeerResult> {
  const workload = effectiveEnv(params);
  const available = ovnAvailable();
  if (!available.ok) throw new Error(`OVN peer unavailable: ${available.why ?? '?'}`);
  const log = options.log ?? (() => undefined);
  const tail: string[] = [];
  const onLine = (line: string): void => {
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
    log(line);
  };

  const tmp = makeTempDir();
  const benchDir = join(tmp, 'bench'); // must not exist yet: start.sh refuses an existing one
  const resultsDir = options.resultsDir ?? join(tmp, 'results');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: scriptPath(),
    BENCH_DIR: benchDir,
    RESULTS_DIR: resultsDir,
  };
  // Settings this wrapper does not offer must not leak in from the caller's environment (KEEP=1
  // would leave the deployment running; RAFT=1 changes what the figures mean).
  for (const k of ['KEEP', 'RAFT']) delete env[k];
  Object.assign(env, workload);

  const started = performance.now();
  try {
    const exit = await runScript('run.sh', [params.label], env, {
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      onLine,
      signal: options.signal,
    });
    const wallSeconds = (performance.now() - started) / 1000;
    if (exit.stopped !== null || exit.code !== 0) {
      const why = exit.stopped ?? `exited ${String(exit.code)}`;
      throw new Error(`OVN peer run '${params.label}' ${why}; last lines:\n${tail.join('\n')}`);
    }
    return parseResultDir(join(resultsDir, params.label), {
      params,
      resultDir: join(resultsDir, params.label),
      wallSeconds,
    });
  } finally {
    // run.sh's EXIT trap tears down after a normal end; after a failure or a kill it may not have
    // (start.sh failing comes before the trap is set). teardown.sh is a no-op when there is nothing.
    const down = await runScript('teardown.sh', [], env, { timeoutMs: 120_000, onLine: log });
    if (down.code !== 0) log(`ovn-peer: teardown.sh ${down.stopped ?? `exited ${String(down.code)}`}`);
    // BENCH_DIR and, unless the caller chose where, the results: both inside tmp.
    rmSync(tmp, { recursive: true, force: true });
  }
}
