// The lab's underlay: the "physical" network between simulated nodes. A namespace `wl-<lab>-ul`
// holding one Linux bridge; each node is plugged in with a veth (`ul0` in the node, `n<i>` here).
// Nothing is configured in the root namespace, so tunnel traffic never leaves namespaces we made.
//
// It is recorded like an OVS instance — `<baseDir>/<lab>-ul/` with `owner` and `netns` files — so
// the same three clean-up layers apply (ADR 0005): stop(), the exit hook, and
// sweepStaleOvsInstances(), which reaps it like an instance without daemons once its owner is dead.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UnderlayAddressPlan } from './address-plan.js';
import { run } from './exec.js';
import { forgetAtExit, stopAtExit } from './exit-cleanup.js';
import { deleteNamespace, deleteNamespaceSync } from './netns.js';
import { DEFAULT_LAB_BASE, LAB_NETNS_PREFIX } from './ovs-instance.js';
import { createOwnedDir, removeOwnedDir } from './owned-dir.js';
import { isAlive, readPidFile } from './process.js';

export interface LabUnderlayOptions {
  /** The lab's name (letters, digits, dashes); the namespace is `wl-<name>-ul`. */
  readonly name: string;
  /** Parent of the record directory; default /tmp/weir-lab. */
  readonly baseDir?: string;
  /** The /24 the nodes' tunnel IPs come from; default 198.51.100.0/24 (TEST-NET-2). */
  readonly subnet?: string;
  /** MTU of every underlay link; default 1500. Overlay NICs get at most this minus 50. */
  readonly mtu?: number;
}

const NAME = /^[a-z0-9][a-z0-9-]{0,27}$/i;
const BRIDGE = 'br0';

export class LabUnderlay {
  private stopped = false;

  private constructor(
    readonly name: string,
    readonly netns: string,
    /** The record directory, `<baseDir>/<name>-ul`. */
    readonly dir: string,
    readonly plan: UnderlayAddressPlan,
    /** False for a handle obtained with attach(). */
    readonly owned: boolean,
  ) {}

  /** The Linux bridge inside the underlay namespace. */
  readonly bridge = BRIDGE;

  static async start(options: LabUnderlayOptions): Promise<LabUnderlay> {
    if (!NAME.test(options.name)) throw new Error(`invalid lab name: ${options.name}`);
    const plan = UnderlayAddressPlan.of(options.subnet, options.mtu);
    const record = `${options.name}-ul`;
    const dir = join(options.baseDir ?? DEFAULT_LAB_BASE, record);
    const underlay = new LabUnderlay(options.name, `${LAB_NETNS_PREFIX}${record}`, dir, plan, true);
    await createOwnedDir(options.baseDir ?? DEFAULT_LAB_BASE, dir, `lab underlay ${options.name}`);
    stopAtExit(underlay);
    try {
      await writeFile(join(dir, 'netns'), `${underlay.netns}\n`);
      await writeFile(join(dir, 'underlay.json'), `${JSON.stringify(plan)}\n`);
      await run('ip', ['netns', 'add', underlay.netns]);
      // Bridge ports carry no addresses, but the kernel would still send IPv6 RS/MLD from them.
      await run('ip', [
        ...['netns', 'exec', underlay.netns, 'sysctl', '-qw'],
        'net.ipv6.conf.all.disable_ipv6=1',
        'net.ipv6.conf.default.disable_ipv6=1',
      ]);
      await run('ip', ['-n', underlay.netns, '-batch', '-'], {
        input: [
          'link set lo up',
          // No STP: ports forward at once (STP's listening/learning would hold them for ~30 s).
          `link add ${BRIDGE} mtu ${plan.mtu} type bridge stp_state 0`,
          `link set ${BRIDGE} up`,
        ].join('\n'),
      });
    } catch (error) {
      await underlay.stop();
      throw error;
    }
    return underlay;
  }

  /** A handle on an underlay another process started; its stop() does nothing. */
  static async attach(name: string, baseDir = DEFAULT_LAB_BASE): Promise<LabUnderlay> {
    if (!NAME.test(name)) throw new Error(`invalid lab name: ${name}`);
    const dir = join(baseDir, `${name}-ul`);
    const owner = await readPidFile(join(dir, 'owner'));
    if (owner === undefined || (owner !== process.pid && !(await isAlive(owner)))) {
      throw new Error(`no live lab underlay ${name} under ${baseDir}`);
    }
    const recorded = JSON.parse(await readFile(join(dir, 'underlay.json'), 'utf8')) as {
      subnet: string;
      mtu: number;
    };
    const plan = UnderlayAddressPlan.of(recorded.subnet, recorded.mtu);
    return new LabUnderlay(name, `${LAB_NETNS_PREFIX}${name}-ul`, dir, plan, false);
  }

  /** Name of node `index`'s port on the underlay bridge. */
  portName(index: number): string {
    return `n${index}`;
  }

  /**
   * Plugs a node in: a veth whose end `nic` (in `nodeNetns`) is the node's uplink and whose other
   * end is a port of the underlay bridge. Both ends get the underlay MTU and are up.
   */
  async connect(nodeNetns: string, index: number, nic = 'ul0'): Promise<void> {
    this.plan.tunnelIp(index); // validates the index
    const port = this.portName(index);
    const mtu = String(this.plan.mtu);
    await run('ip', [
      ...['link', 'add', nic, 'netns', nodeNetns, 'mtu', mtu, 'type', 'veth'],
      ...['peer', 'name', port, 'netns', this.netns, 'mtu', mtu],
    ]);
    await run('ip', ['-n', this.netns, 'link', 'set', port, 'master', BRIDGE, 'up']);
    await run('ip', ['-n', nodeNetns, 'link', 'set', nic, 'up']);
  }

  /** Removes the namespace (and with it the bridge and every node's uplink) and the record. */
  async stop(): Promise<void> {
    if (this.stopped || !this.owned) return;
    this.stopped = true;
    forgetAtExit(this);
    await deleteNamespace(this.netns);
    removeOwnedDir(this.dir);
  }

  /** Synchronous variant for process exit hooks. */
  stopSync(): void {
    if (this.stopped || !this.owned) return;
    this.stopped = true;
    forgetAtExit(this);
    if (existsSync(`/run/netns/${this.netns}`)) deleteNamespaceSync(this.netns);
    removeOwnedDir(this.dir);
  }
}
