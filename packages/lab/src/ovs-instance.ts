// An isolated Open vSwitch instance: its own network namespace, run directory, ovsdb-server and
// ovs-vswitchd (userspace datapath). Tests and the lab drive it from the root namespace through its
// unix sockets, which are namespace-agnostic (see ../shared/lab/README.md, pitfalls 1 and 5).
//
// Clean-up is layered so nothing is left behind:
//  1. stop() — the normal path, awaited by the test's `after` hook;
//  2. a synchronous exit hook — the test process dies of an uncaught error or a signal;
//  3. sweepStaleOvsInstances() — the test process was SIGKILLed; the next run reaps its leftovers
//     (an instance whose owner PID is dead).
//
// Another process (the `weir lab` CLI) may attach() to a running instance by name: it gets the
// same sockets and helpers, but does not own the instance — its stop() leaves the daemons alone
// and it registers no exit hook, so a short-lived command cannot take the lab down with it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from './exec.js';
import { forgetAtExit, stopAtExit } from './exit-cleanup.js';
import { deleteNamespace, deleteNamespaceSync } from './netns.js';
import { createOwnedDir, removeOwnedDir } from './owned-dir.js';
import { commandLineOf, isAlive, readPidFile, stopProcess } from './process.js';

const SCHEMA = '/usr/share/openvswitch/vswitch.ovsschema';
/** Namespaces the lab creates all start with this, so leftovers are recognisable. */
export const LAB_NETNS_PREFIX = 'wl-';
export const DEFAULT_LAB_BASE = '/tmp/weir-lab';

export interface OvsInstanceOptions {
  /** Short unique name (letters, digits, dashes). Defaults to one derived from the PID. */
  readonly name?: string;
  /** Directory that holds one run directory per instance; default /tmp/weir-lab. */
  readonly baseDir?: string;
  /**
   * Extra ovs-vswitchd options, kept for its restarts (e.g. `--enable-dummy`: benchmarks plug
   * thousands of `type=dummy` ports, which cost no kernel device, as OVN's peer setup does).
   */
  readonly vswitchdArgs?: readonly string[];
}

export interface StopOptions {
  /**
   * An attached handle (OvsInstance.attach) does not own the instance, so its stop() leaves it
   * running; set this to take it down anyway (e.g. `weir lab down` from another process).
   */
  readonly evenIfAttached?: boolean;
}

export interface OfctlOptions {
  /** Options placed before the command, e.g. --no-stats, --bundle. */
  readonly flags?: readonly string[];
  readonly input?: string;
}

export interface BridgeOptions {
  /** OpenFlow controller target, set in the same transaction that creates the bridge. */
  readonly controller?: string;
  /** Default `secure`: no flows means drop, never NORMAL. */
  readonly failMode?: 'secure' | 'standalone';
  /** Default OpenFlow13 only. */
  readonly protocols?: readonly string[];
  /** 16 hex digits. */
  readonly datapathId?: string;
}

let counter = 0;
const NAME = /^[a-z0-9][a-z0-9-]{0,30}$/i;

export class OvsInstance {
  private stopped = false;
  private vswitchdArgs: readonly string[] = [];

  private constructor(
    readonly name: string,
    readonly netns: string,
    readonly rundir: string,
    /** False for a handle obtained with attach(): someone else started it and will stop it. */
    readonly owned: boolean,
  ) {}

  /** `unix:` target of this instance's ovsdb-server. */
  get dbTarget(): string {
    return `unix:${this.dbSocketPath}`;
  }

  get dbSocketPath(): string {
    return join(this.rundir, 'db.sock');
  }

  /** Path of the OpenFlow management socket that ovs-vswitchd opens for `bridge`. */
  mgmtSocketPath(bridge: string): string {
    return join(this.rundir, `${bridge}.mgmt`);
  }

  get vswitchdControlPath(): string {
    return join(this.rundir, 'ovs-vswitchd.ctl');
  }

  static async start(options: OvsInstanceOptions = {}): Promise<OvsInstance> {
    const baseDir = options.baseDir ?? DEFAULT_LAB_BASE;
    await sweepStaleOvsInstances(baseDir);
    const name = options.name ?? `o${process.pid}x${counter++}`;
    if (!NAME.test(name)) throw new Error(`invalid OVS instance name: ${name}`);
    const instance = new OvsInstance(name, `${LAB_NETNS_PREFIX}${name}`, join(baseDir, name), true);
    instance.vswitchdArgs = [...(options.vswitchdArgs ?? [])];
    // Ownership is recorded before anything else exists, so a crash from here on is reaped.
    await createOwnedDir(baseDir, instance.rundir, `OVS instance ${name}`);
    stopAtExit(instance);
    try {
      await instance.boot();
    } catch (error) {
      await instance.stop();
      throw error;
    }
    return instance;
  }

  /**
   * A handle on an instance that another process started (and still owns): same sockets and
   * helpers, no ownership. Throws when there is no such instance or its owner is dead (the next
   * sweep will reap it).
   */
  static async attach(name: string, baseDir = DEFAULT_LAB_BASE): Promise<OvsInstance> {
    if (!NAME.test(name)) throw new Error(`invalid OVS instance name: ${name}`);
    const rundir = join(baseDir, name);
    const owner = await readPidFile(join(rundir, 'owner'));
    if (owner === undefined) throw new Error(`no OVS instance ${name} under ${baseDir}`);
    if (owner !== process.pid && !(await isAlive(owner))) {
      throw new Error(`OVS instance ${name} belongs to a dead process (${owner}); the next sweep reaps it`);
    }
    const netns = (await readFile(join(rundir, 'netns'), 'utf8').catch(() => '')).trim();
    const instance = new OvsInstance(name, netns || `${LAB_NETNS_PREFIX}${name}`, rundir, false);
    const args = await readFile(join(rundir, 'vswitchd.args'), 'utf8').catch(() => '[]');
    instance.vswitchdArgs = JSON.parse(args) as string[];
    if (!existsSync(instance.dbSocketPath))
      throw new Error(`OVS instance ${name} has no ovsdb-server running`);
    return instance;
  }

  private async boot(): Promise<void> {
    await writeFile(join(this.rundir, 'netns'), `${this.netns}\n`);
    // Restarts from another process (attach) start ovs-vswitchd the same way.
    await writeFile(join(this.rundir, 'vswitchd.args'), JSON.stringify(this.vswitchdArgs));
    await mkdir('/var/run/openvswitch', { recursive: true });
    await run('ip', ['netns', 'add', this.netns]);
    await run('ip', ['-n', this.netns, 'link', 'set', 'lo', 'up']);
    // No IPv6 noise (RS, MLD) into datapaths unless a test asks for it; no wrong-MAC ARP replies.
    await run('ip', [
      ...['netns', 'exec', this.netns, 'sysctl', '-qw'],
      'net.ipv6.conf.all.disable_ipv6=1',
      'net.ipv6.conf.default.disable_ipv6=1',
      'net.ipv4.conf.all.arp_ignore=1',
    ]);
    await run('ovsdb-tool', ['create', this.dbPath, SCHEMA]);
    await this.startOvsdbServer();
    await run('ovs-vsctl', [`--db=${this.dbTarget}`, '--no-wait', 'init'], { env: this.daemonEnv });
    await this.startVswitchd();
  }

  /**
   * Starts ovs-vswitchd in this instance's namespace (at boot, or again after stopVswitchd).
   * Resolves once it has applied the database: with --detach the launcher returns only after the
   * daemon's first reconfiguration, so every bridge and its management socket exist by then.
   */
  async startVswitchd(): Promise<void> {
    const r = this.rundir;
    // A SIGKILLed daemon leaves its control socket behind; the new one must bind the same path.
    await rm(this.vswitchdControlPath, { force: true });
    await run(
      'ip',
      [
        ...['netns', 'exec', this.netns, 'ovs-vswitchd', this.dbTarget],
        `--pidfile=${join(r, 'ovs-vswitchd.pid')}`,
        `--log-file=${join(r, 'ovs-vswitchd.log')}`,
        `--unixctl=${this.vswitchdControlPath}`,
        '-vconsole:off',
        '--detach',
        ...this.vswitchdArgs,
      ],
      { env: this.daemonEnv },
    );
  }

  /** PID of the running ovs-vswitchd, or undefined when it is not running. */
  async vswitchdPid(): Promise<number | undefined> {
    const pid = await readPidFile(join(this.rundir, 'ovs-vswitchd.pid'));
    if (pid === undefined) return undefined;
    return (await commandLineOf(pid))?.includes(this.rundir) ? pid : undefined;
  }

  /**
   * Stops ovs-vswitchd (SIGTERM, by PID). Its datapath goes with it: flows, the tunnel neighbour
   * cache and MAC tables are gone; the database, the namespace, the tap devices of its bridges
   * (persistent, with their addresses) and every veth stay.
   */
  async stopVswitchd(): Promise<void> {
    const pid = await readPidFile(join(this.rundir, 'ovs-vswitchd.pid'));
    if (pid !== undefined) await stopProcess(pid, this.rundir);
  }

  /** stopVswitchd() then startVswitchd(): what a controller sees when the switch restarts. */
  async restartVswitchd(): Promise<void> {
    await this.stopVswitchd();
    await this.startVswitchd();
  }

  /** The database file of this instance's ovsdb-server. */
  get dbPath(): string {
    return join(this.rundir, 'conf.db');
  }

  private get daemonEnv(): Record<string, string> {
    return { OVS_RUNDIR: this.rundir, OVS_LOGDIR: this.rundir, OVS_DBDIR: this.rundir };
  }

  /** Starts ovsdb-server on this instance's database (at boot, or again after stopOvsdbServer). */
  async startOvsdbServer(): Promise<void> {
    const r = this.rundir;
    await run(
      'ip',
      [
        ...['netns', 'exec', this.netns, 'ovsdb-server', this.dbPath],
        `--remote=punix:${this.dbSocketPath}`,
        `--pidfile=${join(r, 'ovsdb-server.pid')}`,
        `--log-file=${join(r, 'ovsdb-server.log')}`,
        `--unixctl=${join(r, 'ovsdb-server.ctl')}`,
        '-vconsole:off',
        '--detach',
      ],
      { env: this.daemonEnv },
    );
  }

  /**
   * Stops ovsdb-server (clients see their connection drop; ovs-vswitchd keeps running and
   * reconnects once the server is back). The database file stays, so it can be edited offline
   * with `ovsdb-tool transact` on dbPath before startOvsdbServer().
   */
  async stopOvsdbServer(): Promise<void> {
    const pid = await readPidFile(join(this.rundir, 'ovsdb-server.pid'));
    if (pid !== undefined) await stopProcess(pid, this.rundir);
  }

  /** stopOvsdbServer() then startOvsdbServer(): a server restart with the data kept. */
  async restartOvsdbServer(): Promise<void> {
    await this.stopOvsdbServer();
    await this.startOvsdbServer();
  }

  /** ovs-vsctl against this instance; waits for ovs-vswitchd to apply the change. */
  vsctl(args: readonly string[]): Promise<string> {
    return run('ovs-vsctl', [`--db=${this.dbTarget}`, '--timeout=20', ...args]);
  }

  /**
   * ovs-ofctl (OpenFlow 1.3) on one bridge: `ofctl('br-int', 'dump-flows', [], { flags: ['--no-stats'] })`.
   * `input` is written to standard input (use "-" as the file argument).
   */
  ofctl(
    bridge: string,
    command: string,
    args: readonly string[] = [],
    options: OfctlOptions = {},
  ): Promise<string> {
    return run(
      'ovs-ofctl',
      ['-O', 'OpenFlow13', ...(options.flags ?? []), command, `unix:${this.mgmtSocketPath(bridge)}`, ...args],
      { ...(options.input === undefined ? {} : { input: options.input }), timeoutMs: 120_000 },
    );
  }

  /** ovs-appctl against this instance's ovs-vswitchd. */
  appctl(args: readonly string[]): Promise<string> {
    return run('ovs-appctl', ['-t', this.vswitchdControlPath, ...args]);
  }

  /** Runs a command inside this instance's network namespace. */
  exec(command: string, args: readonly string[]): Promise<string> {
    return run('ip', ['netns', 'exec', this.netns, command, ...args]);
  }

  /** Creates (or reconfigures) a netdev bridge, with its controller set before any flow exists. */
  async addBridge(bridge: string, options: BridgeOptions = {}): Promise<void> {
    const protocols = (options.protocols ?? ['OpenFlow13']).join(',');
    const settings = [
      'datapath_type=netdev',
      `fail_mode=${options.failMode ?? 'secure'}`,
      `protocols=${protocols}`,
      ...(options.datapathId ? [`other_config:datapath-id=${options.datapathId}`] : []),
    ];
    const controller = options.controller
      ? [
          '--',
          'set-controller',
          bridge,
          options.controller,
          '--',
          'set',
          'controller',
          bridge,
          'max_backoff=1000',
        ]
      : [];
    await this.vsctl([
      '--may-exist',
      'add-br',
      bridge,
      '--',
      'set',
      'bridge',
      bridge,
      ...settings,
      ...controller,
    ]);
  }

  /**
   * Stops the daemons and removes the namespace, every host recorded under the run directory and
   * the run directory. On an attached handle this does nothing unless `evenIfAttached` is set.
   */
  async stop(options: StopOptions = {}): Promise<void> {
    if (this.stopped) return;
    if (!this.owned && options.evenIfAttached !== true) return;
    this.stopped = true;
    forgetAtExit(this);
    await reapInstance(this.rundir, this.netns);
  }

  /** Synchronous variant for process exit hooks, where nothing asynchronous runs any more. */
  stopSync(): void {
    if (this.stopped || !this.owned) return;
    this.stopped = true;
    forgetAtExit(this);
    reapInstanceSync(this.rundir, this.netns);
  }
}

const DAEMONS = ['ovs-vswitchd', 'ovsdb-server'] as const;

/** Namespaces of lab hosts attached to this instance (see host.ts), recorded under `<rundir>/hosts`. */
function hostNamespaces(rundir: string): string[] {
  try {
    return readdirSync(join(rundir, 'hosts'));
  } catch {
    return [];
  }
}

async function reapInstance(rundir: string, netns: string): Promise<void> {
  for (const host of hostNamespaces(rundir)) await deleteNamespace(host);
  for (const daemon of DAEMONS) {
    const pid = await readPidFile(join(rundir, `${daemon}.pid`));
    if (pid !== undefined) await stopProcess(pid, rundir);
  }
  // Anything else still running inside the namespace was started by a test in it: it goes too.
  await deleteNamespace(netns);
  removeOwnedDir(rundir);
}

function reapInstanceSync(rundir: string, netns: string): void {
  for (const host of hostNamespaces(rundir)) deleteNamespaceSync(host);
  for (const daemon of DAEMONS) {
    try {
      const pid = Number.parseInt(readFileSync(join(rundir, `${daemon}.pid`), 'utf8'), 10);
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmdline.includes(rundir)) process.kill(pid, 'SIGKILL');
    } catch {
      // Not running or not ours.
    }
  }
  deleteNamespaceSync(netns);
  removeOwnedDir(rundir);
}

/**
 * Reaps instances under `baseDir` whose owning process is dead (a previous run was killed). Lab
 * underlays are recorded the same way (owner, netns) and are reaped here too.
 */
export async function sweepStaleOvsInstances(baseDir = DEFAULT_LAB_BASE): Promise<number> {
  let names: string[];
  try {
    names = readdirSync(baseDir);
  } catch {
    return 0;
  }
  let reaped = 0;
  for (const name of names) {
    const rundir = join(baseDir, name);
    const owner = await readPidFile(join(rundir, 'owner'));
    if (owner !== undefined && (owner === process.pid || (await isAlive(owner)))) continue;
    let netns = `${LAB_NETNS_PREFIX}${name}`;
    try {
      netns = readFileSync(join(rundir, 'netns'), 'utf8').trim() || netns;
    } catch {
      // Use the derived name.
    }
    await reapInstance(rundir, netns);
    reaped++;
  }
  return reaped;
}
