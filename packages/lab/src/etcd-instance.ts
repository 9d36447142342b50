// A real, private etcd for tests and the lab: its own directory (data, log, PID, owner), client
// and peer URLs on loopback ports chosen here, and the limits ADR 0006 needs (large transactions).
//
//   <dir>/owner      PID of the process that started it (the stale sweep reaps dead owners' dirs)
//   <dir>/etcd.pid   etcd's PID; we only ever signal it after /proc/PID/cmdline shows <dir>
//   <dir>/ports      "client peer", so restart() reuses them
//   <dir>/data/      etcd's data dir (kept by restart() and kill(), removed by stop())
//   <dir>/etcd.log   etcd's own log (zap, level warn); etcd.stderr catches flag errors
//
// Clean-up is layered as in ovs-instance.ts: stop() on the normal path, a synchronous exit hook
// when the test process dies of an error or a signal, and sweepStaleEtcdInstances() at the next
// start when it was SIGKILLed. The sweep also finds etcd processes whose directory is already
// gone (another sweep removed it): their command line names our base directory and their owner.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { forgetAtExit, stopAtExit } from './exit-cleanup.js';
import { createOwnedDir, removeOwnedDir } from './owned-dir.js';
import { commandLineOf, isAlive, readPidFile, stopProcess } from './process.js';

export const DEFAULT_ETCD_BINARY = '/usr/bin/etcd';
const DEFAULT_BASE = '/tmp/weir-lab';
const DIR_PREFIX = 'etcd-';

/** Flags every Weir etcd runs with (ADR 0006: a bulk create of 100 ports is ~1,000 key ops). */
export const ETCD_LIMIT_FLAGS: readonly string[] = [
  '--max-txn-ops',
  '10000',
  '--max-request-bytes',
  '16777216',
  '--quota-backend-bytes',
  '8589934592',
  // Compaction is ours to decide (tests call it explicitly); etcd must never compact on its own.
  '--auto-compaction-retention',
  '0',
];

export interface EtcdInstanceOptions {
  /** Short unique name (letters, digits, dashes); the directory is <baseDir>/etcd-<name>. */
  readonly name?: string;
  /** Parent of the instance directory; default /tmp/weir-lab. */
  readonly baseDir?: string;
  /** Milliseconds to wait for /health after a start; default 20 s. */
  readonly startTimeoutMs?: number;
  /** Extra etcd flags (appended last, so they override ours). */
  readonly extraArgs?: readonly string[];
  readonly binary?: string;
}

let counter = 0;

export class EtcdInstance {
  private stopped = false;

  private constructor(
    readonly name: string,
    readonly dir: string,
    private ports: { client: number; peer: number },
    private readonly options: EtcdInstanceOptions,
  ) {}

  get clientPort(): number {
    return this.ports.client;
  }

  get peerPort(): number {
    return this.ports.peer;
  }

  /** The client URL, e.g. http://127.0.0.1:40123. */
  get endpoint(): string {
    return `http://127.0.0.1:${this.ports.client}`;
  }

  get endpoints(): string[] {
    return [this.endpoint];
  }

  get dataDir(): string {
    return join(this.dir, 'data');
  }

  get logPath(): string {
    return join(this.dir, 'etcd.log');
  }

  /** etcd's PID while it runs (undefined after kill() or stop()). */
  async pid(): Promise<number | undefined> {
    const pid = await readPidFile(join(this.dir, 'etcd.pid'));
    if (pid === undefined) return undefined;
    const cmdline = await commandLineOf(pid);
    return cmdline?.includes(this.dir) ? pid : undefined;
  }

  static async start(options: EtcdInstanceOptions = {}): Promise<EtcdInstance> {
    const baseDir = options.baseDir ?? DEFAULT_BASE;
    await sweepStaleEtcdInstances(baseDir);
    const name = options.name ?? `e${process.pid}x${counter++}`;
    if (!/^[a-z0-9][a-z0-9-]{0,40}$/i.test(name)) throw new Error(`invalid etcd instance name: ${name}`);
    const dir = join(baseDir, `${DIR_PREFIX}${name}`);
    await createOwnedDir(baseDir, dir, 'etcd instance directory');
    const instance = new EtcdInstance(name, dir, { client: 0, peer: 0 }, options);
    stopAtExit(instance);
    try {
      await instance.bootOnFreePorts();
    } catch (error) {
      await instance.stop();
      throw error;
    }
    return instance;
  }

  /** Stops etcd (SIGTERM, then SIGKILL) and starts it again on the same ports with the same data. */
  async restart(): Promise<void> {
    this.assertRunning();
    await this.stopDaemon();
    // The ports were free a moment ago and nobody else is told about them; still, a client may
    // hold them briefly (TIME_WAIT does not block a listener, but a racing bind would): retry.
    const deadline = Date.now() + 5000;
    for (;;) {
      try {
        await this.boot();
        return;
      } catch (error) {
        if (!(error instanceof PortInUseError) || Date.now() > deadline) throw error;
        await sleep(100);
      }
    }
  }

  /** SIGKILLs etcd without any clean-up (data and directory stay): a crash, for failure tests. */
  async kill(): Promise<void> {
    this.assertRunning();
    const pid = await this.pid();
    if (pid === undefined) return;
    process.kill(pid, 'SIGKILL');
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && (await isAlive(pid))) await sleep(10);
  }

  /** Starts etcd again after kill() (same ports, same data). */
  async resume(): Promise<void> {
    this.assertRunning();
    if ((await this.pid()) !== undefined) return;
    await this.restart();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    forgetAtExit(this);
    await this.stopDaemon();
    removeOwnedDir(this.dir);
  }

  /** Synchronous variant for process exit hooks, where nothing asynchronous runs any more. */
  stopSync(): void {
    if (this.stopped) return;
    this.stopped = true;
    forgetAtExit(this);
    killSync(this.dir);
    removeOwnedDir(this.dir);
  }

  private assertRunning(): void {
    if (this.stopped) throw new Error(`etcd instance ${this.name} was stopped`);
  }

  private async stopDaemon(): Promise<void> {
    const pid = await readPidFile(join(this.dir, 'etcd.pid'));
    if (pid !== undefined) await stopProcess(pid, this.dir, 5000);
    await rm(join(this.dir, 'etcd.pid'), { force: true });
  }

  private async bootOnFreePorts(): Promise<void> {
    // A free port is only free until someone binds it; another test may win the race. etcd then
    // exits at once with "address already in use" and we try again with new ports.
    for (let attempt = 1; ; attempt++) {
      this.ports = { client: await freePort(), peer: await freePort() };
      if (this.ports.client === this.ports.peer) continue;
      await writeFile(join(this.dir, 'ports'), `${this.ports.client} ${this.ports.peer}\n`);
      try {
        await this.boot();
        return;
      } catch (error) {
        if (!(error instanceof PortInUseError) || attempt >= 5) throw error;
      }
    }
  }

  private args(): string[] {
    const client = `http://127.0.0.1:${this.ports.client}`;
    const peer = `http://127.0.0.1:${this.ports.peer}`;
    const member = `weir-${this.name}`;
    return [
      ...['--name', member, '--data-dir', this.dataDir],
      ...['--listen-client-urls', client, '--advertise-client-urls', client],
      ...['--listen-peer-urls', peer, '--initial-advertise-peer-urls', peer],
      ...['--initial-cluster', `${member}=${peer}`, '--initial-cluster-state', 'new'],
      // The owner's PID on the command line lets the sweep reap an etcd whose directory is gone.
      ...['--initial-cluster-token', `weir-owner-${process.pid}`],
      ...ETCD_LIMIT_FLAGS,
      ...['--log-level', 'warn', '--logger', 'zap', '--log-outputs', this.logPath],
      ...(this.options.extraArgs ?? []),
    ];
  }

  /** Spawns etcd on this.ports and waits for /health; throws PortInUseError if it cannot bind. */
  private async boot(): Promise<void> {
    const stderrPath = join(this.dir, 'etcd.stderr');
    const stderr = openSync(stderrPath, 'a');
    let exited = false;
    try {
      const child = spawn(this.options.binary ?? DEFAULT_ETCD_BINARY, this.args(), {
        detached: true,
        stdio: ['ignore', 'ignore', stderr],
        env: etcdEnv(),
      });
      child.on('exit', () => (exited = true));
      child.on('error', () => (exited = true));
      child.unref();
      if (child.pid === undefined) throw new Error(`cannot start etcd: ${await tail(stderrPath)}`);
      await writeFile(join(this.dir, 'etcd.pid'), `${child.pid}\n`);
    } finally {
      closeSync(stderr);
    }
    const deadline = Date.now() + (this.options.startTimeoutMs ?? 20_000);
    while (!exited && Date.now() < deadline) {
      // Healthy *and ours*: if another etcd won the race for this port, our own exits a moment
      // later, but the probe would reach the winner first and report it healthy.
      if ((await healthy(this.endpoint)) && (await servedBy(this.endpoint, `weir-${this.name}`)) && !exited)
        return;
      await sleep(50);
    }
    const log = `${await tail(this.logPath)}\n${await tail(stderrPath)}`;
    await this.stopDaemon();
    if (/address already in use/.test(log)) throw new PortInUseError(log);
    throw new Error(`etcd ${this.name} did not become healthy${exited ? ' (it exited)' : ''}:\n${log}`);
  }
}

class PortInUseError extends Error {}

async function healthy(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/health`, { signal: AbortSignal.timeout(1000) });
    const body = (await response.json()) as { health?: unknown };
    return response.ok && body.health === 'true';
  } catch {
    return false;
  }
}

/** Whether the etcd answering at `endpoint` is the member named `member`. */
async function servedBy(endpoint: string, member: string): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/v3/cluster/member/list`, {
      method: 'POST',
      body: '{}',
      signal: AbortSignal.timeout(1000),
    });
    const body = (await response.json()) as { members?: { name?: unknown }[] };
    return response.ok && (body.members ?? []).some((m) => m.name === member);
  } catch {
    return false;
  }
}

/** A loopback port nobody listens on right now (the OS picks it; we close it again at once). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

/** Our environment minus ETCD_* (etcd reads those as flags and refuses duplicates). */
function etcdEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('ETCD_')) env[key] = value;
  return env;
}

async function tail(path: string, lines = 20): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

function killSync(dir: string): void {
  try {
    const pid = Number.parseInt(readFileSync(join(dir, 'etcd.pid'), 'utf8'), 10);
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (cmdline.includes(dir)) process.kill(pid, 'SIGKILL');
  } catch {
    // Not running or not ours.
  }
}

/**
 * Reaps etcd instances under `baseDir` whose owning process is dead: their etcd is stopped (by
 * PID, after the command-line check) and their directory removed. Returns how many were reaped.
 */
export async function sweepStaleEtcdInstances(baseDir = DEFAULT_BASE): Promise<number> {
  let reaped = 0;
  let names: string[] = [];
  try {
    names = readdirSync(baseDir).filter((n) => n.startsWith(DIR_PREFIX));
  } catch {
    // No base directory: nothing left behind there.
  }
  for (const name of names) {
    const dir = join(baseDir, name);
    const owner = await readPidFile(join(dir, 'owner'));
    if (owner !== undefined && (owner === process.pid || (await isAlive(owner)))) continue;
    const pid = await readPidFile(join(dir, 'etcd.pid'));
    if (pid !== undefined) await stopProcess(pid, dir, 2000);
    removeOwnedDir(dir);
    reaped++;
  }
  return reaped + (await reapOrphans(baseDir));
}

/** etcd processes started by a dead owner whose directory is gone (so no PID file names them). */
async function reapOrphans(baseDir: string): Promise<number> {
  const marker = `--data-dir ${join(baseDir, DIR_PREFIX)}`;
  let reaped = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const cmdline = await commandLineOf(pid);
    if (!cmdline?.includes(marker)) continue;
    const dir = /--data-dir (\S+)\/data/.exec(cmdline)?.[1];
    const owner = Number(/weir-owner-(\d+)/.exec(cmdline)?.[1]);
    if (!dir || existsSync(dir) || !Number.isInteger(owner)) continue;
    if (owner === process.pid || (await isAlive(owner))) continue;
    await stopProcess(pid, dir, 2000);
    reaped++;
  }
  return reaped;
}
