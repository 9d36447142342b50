// A simulated compute node: an OVS instance (own namespace, ovsdb-server, ovs-vswitchd) plugged
// into the lab underlay, ready for a controller to create and own br-int.
//
//   br-phy   datapath_type=netdev, fail_mode=standalone, no controller, MAC from the address
//            plan. Its LOCAL port (a tap in the node namespace) carries the node's tunnel IP;
//            `ul0` (a veth to the underlay bridge) is its only other port.
//
// OVS's userspace tunnels need exactly this: a tunnel port on br-int looks the remote IP up in
// vswitchd's route table (learnt from the node namespace: the /24 is on br-phy), takes the next
// hop's MAC from its tunnel neighbour cache, and sends the encapsulated frame through br-phy as if
// it came from LOCAL; received frames for the tunnel IP are popped when br-phy outputs them to
// LOCAL, and ARP replies to br-phy's MAC are snooped into the neighbour cache there.
//
// Why standalone with no flows of ours: a standalone bridge without controller is a learning
// switch (one `priority=0 actions=NORMAL` flow that vswitchd itself installs). When ovs-vswitchd
// restarts, it reinstalls that flow from the database, so br-phy works again with nobody
// reprogramming it — the controller only replays br-int. The tap keeps its address across the
// restart (OVS creates it persistent), so the route is still there too. Only the neighbour cache
// is lost; ARP snooping refills it after one lost packet, and seedNeighbours() refills it at once.
//
// arp_ignore=1 (pitfall 4) is set in the node namespace by OvsInstance: without it the node's
// kernel would answer ARP for the tunnel IP on ul0 with ul0's MAC.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UnderlayAddressPlan } from './address-plan.js';
import { DEFAULT_LAB_BASE, OvsInstance, type StopOptions } from './ovs-instance.js';
import type { LabUnderlay } from './underlay.js';

export const PHYSICAL_BRIDGE = 'br-phy';
export const UPLINK = 'ul0';

export interface LabNodeOptions {
  /** The lab's name; the node's instance is `<lab>-n<index>` (namespace `wl-<lab>-n<index>`). */
  readonly lab: string;
  /** 1-based; fixes the tunnel IP (.10+index) and MAC. */
  readonly index: number;
  readonly underlay: LabUnderlay;
  /** Default /tmp/weir-lab. */
  readonly baseDir?: string;
  /** Extra ovs-vswitchd options (OvsInstanceOptions.vswitchdArgs). */
  readonly vswitchdArgs?: readonly string[];
}

/** A tunnel endpoint of another node, as the neighbour cache needs it. */
export interface TunnelPeer {
  readonly ip: string;
  readonly mac: string;
}

/** What `<rundir>/node.json` holds, so another process can attach to the node. */
interface NodeRecord {
  readonly lab: string;
  readonly index: number;
  readonly underlay: { readonly subnet: string; readonly mtu: number };
  readonly peers: readonly TunnelPeer[];
}

export class LabNode {
  private peers: readonly TunnelPeer[] = [];

  private constructor(
    /** The node's OVS: its `dbSocketPath`/`dbTarget` is what a controller's OVSDB client uses. */
    readonly ovs: OvsInstance,
    readonly lab: string,
    readonly index: number,
    private readonly plan: UnderlayAddressPlan,
  ) {}

  static async start(options: LabNodeOptions): Promise<LabNode> {
    const { underlay } = options;
    const ovs = await OvsInstance.start({
      name: nodeName(options.lab, options.index),
      baseDir: options.baseDir ?? DEFAULT_LAB_BASE,
      ...(options.vswitchdArgs === undefined ? {} : { vswitchdArgs: options.vswitchdArgs }),
    });
    const node = new LabNode(ovs, options.lab, options.index, underlay.plan);
    try {
      await node.writeRecord();
      await underlay.connect(ovs.netns, options.index, UPLINK);
      await node.buildPhysicalBridge();
    } catch (error) {
      await ovs.stop();
      throw error;
    }
    return node;
  }

  /**
   * A handle on a node that another process started (e.g. for `weir lab vm add`): same paths and
   * helpers, but stop() leaves it running (see OvsInstance.attach).
   */
  static async attach(name: string, baseDir = DEFAULT_LAB_BASE): Promise<LabNode> {
    const ovs = await OvsInstance.attach(name, baseDir);
    const record = JSON.parse(await readFile(join(ovs.rundir, 'node.json'), 'utf8')) as NodeRecord;
    const plan = UnderlayAddressPlan.of(record.underlay.subnet, record.underlay.mtu);
    const node = new LabNode(ovs, record.lab, record.index, plan);
    node.peers = record.peers;
    return node;
  }

  get name(): string {
    return this.ovs.name;
  }

  get netns(): string {
    return this.ovs.netns;
  }

  /** The node's run directory: sockets, logs, pidfiles, and where unix controller targets must live. */
  get rundir(): string {
    return this.ovs.rundir;
  }

  get dbSocketPath(): string {
    return this.ovs.dbSocketPath;
  }

  /** `unix:<rundir>/db.sock`, as OVSDB clients and `ovs-vsctl --db` take it. */
  get dbTarget(): string {
    return this.ovs.dbTarget;
  }

  get tunnelIp(): string {
    return this.plan.tunnelIp(this.index);
  }

  /** br-phy's MAC: what peers put in their neighbour caches for tunnelIp. */
  get mac(): string {
    return this.plan.tunnelMac(this.index);
  }

  get mtu(): number {
    return this.plan.mtu;
  }

  /** The largest MTU for a NIC on br-int whose traffic crosses a tunnel (pitfall 3). */
  get overlayMtu(): number {
    return this.plan.overlayMtu;
  }

  /**
   * Where a controller listens for this node's ovs-vswitchd: a unix socket under the rundir,
   * because vswitchd refuses to dial unix targets elsewhere (pitfall 5). It may be a symlink to
   * one socket shared by all nodes.
   */
  get controllerSocketPath(): string {
    return join(this.rundir, 'weir-of.sock');
  }

  /** The `set-controller` target for controllerSocketPath. */
  get controllerTarget(): string {
    return `unix:${this.controllerSocketPath}`;
  }

  /** This node as a peer of the others. */
  get asPeer(): TunnelPeer {
    return { ip: this.tunnelIp, mac: this.mac };
  }

  /**
   * Records the other nodes' tunnel endpoints and seeds them into the neighbour cache, so the
   * first packet to a peer is not dropped while OVS resolves it (pitfall 4).
   */
  async setPeers(peers: readonly TunnelPeer[]): Promise<void> {
    this.peers = peers.filter((p) => p.ip !== this.tunnelIp);
    await this.writeRecord();
    await this.seedNeighbours();
  }

  /** Seeds the recorded peers again: after an ovs-vswitchd restart the cache starts empty. */
  async seedNeighbours(): Promise<void> {
    // The longest aging OVS allows: seeded entries expire too, and re-learning costs a packet.
    await this.ovs.appctl(['tnl/neigh/aging', '3600']);
    await Promise.all(
      this.peers.map((p) => this.ovs.appctl(['tnl/neigh/set', PHYSICAL_BRIDGE, p.ip, p.mac])),
    );
  }

  /** The neighbour cache as OVS reports it: tunnel IP → MAC. */
  async tunnelNeighbours(): Promise<Map<string, string>> {
    const out = await this.ovs.appctl(['tnl/neigh/show']);
    const entries = new Map<string, string>();
    for (const m of out.matchAll(/^(\S+)\s+([0-9a-f]{2}(?::[0-9a-f]{2}){5})\s+(\S+)/gm)) {
      if (m[3] === PHYSICAL_BRIDGE && m[1] !== undefined && m[2] !== undefined) entries.set(m[1], m[2]);
    }
    return entries;
  }

  /** Restarts ovs-vswitchd and re-seeds the neighbours; br-phy needs nothing else (see top). */
  async restartVswitchd(): Promise<void> {
    await this.ovs.restartVswitchd();
    await this.seedNeighbours();
  }

  /** Stops the node's OVS and removes its namespace (its uplink goes with it) and directory. */
  async stop(options: StopOptions = {}): Promise<void> {
    await this.ovs.stop(options);
  }

  private async buildPhysicalBridge(): Promise<void> {
    // One transaction; ovs-vsctl returns once vswitchd has applied it, so the tap exists after.
    await this.ovs.vsctl([
      ...['--may-exist', 'add-br', PHYSICAL_BRIDGE, '--', 'set', 'bridge', PHYSICAL_BRIDGE],
      'datapath_type=netdev',
      'fail_mode=standalone',
      'protocols=OpenFlow13',
      `other_config:hwaddr=${this.mac}`,
      `other_config:datapath-id=${datapathId(this.plan, this.index)}`,
      ...['--', 'set', 'interface', PHYSICAL_BRIDGE, `mtu_request=${this.plan.mtu}`],
      ...['--', '--may-exist', 'add-port', PHYSICAL_BRIDGE, UPLINK],
      ...['--', 'set', 'interface', UPLINK, 'ofport_request=1'],
    ]);
    await this.ovs.exec('ip', ['addr', 'add', this.plan.tunnelCidr(this.index), 'dev', PHYSICAL_BRIDGE]);
    await this.ovs.exec('ip', ['link', 'set', PHYSICAL_BRIDGE, 'up']);
  }

  private async writeRecord(): Promise<void> {
    const record: NodeRecord = {
      lab: this.lab,
      index: this.index,
      underlay: this.plan.toJSON(),
      peers: this.peers,
    };
    await writeFile(join(this.rundir, 'node.json'), `${JSON.stringify(record)}\n`);
  }
}

/** The OVS instance name of node `index` of lab `lab`. */
export function nodeName(lab: string, index: number): string {
  return `${lab}-n${index}`;
}

/** br-phy's datapath ID: the MAC's 48 bits, so `ovs-ofctl show` names the node at a glance. */
function datapathId(plan: UnderlayAddressPlan, index: number): string {
  return `0000${plan.tunnelMac(index).replaceAll(':', '')}`;
}
