// A whole lab for tests: the underlay and N nodes, every node's tunnel neighbours seeded. br-int
// is left to the controller (or the test standing in for it).
//
// Nodes start in parallel: each is its own namespace, directory and daemons, and the underlay's
// bridge takes ports concurrently. Each node and the underlay carry their own clean-up (stop, exit
// hook, sweep), so a cluster that fails half-way or whose process is killed leaves nothing.
import { MAX_NODES } from './address-plan.js';
import { DEFAULT_LAB_BASE, sweepStaleOvsInstances } from './ovs-instance.js';
import { LabNode } from './node.js';
import { LabUnderlay } from './underlay.js';

export interface LabClusterOptions {
  /** The lab's name (letters, digits, dashes): namespaces are `wl-<name>-ul`, `wl-<name>-n<i>`. */
  readonly name: string;
  /** How many nodes (1-based indexes 1..nodes). */
  readonly nodes: number;
  /** Default /tmp/weir-lab. */
  readonly baseDir?: string;
  /** The tunnel /24; default 198.51.100.0/24. */
  readonly subnet?: string;
  /** Underlay MTU; default 1500. */
  readonly mtu?: number;
  /** Extra ovs-vswitchd options for every node (OvsInstanceOptions.vswitchdArgs). */
  readonly vswitchdArgs?: readonly string[];
}

export class LabCluster {
  private stopped = false;

  private constructor(
    readonly name: string,
    readonly underlay: LabUnderlay,
    /** nodes[0] is node 1. */
    readonly nodes: readonly LabNode[],
  ) {}

  static async start(options: LabClusterOptions): Promise<LabCluster> {
    if (!Number.isInteger(options.nodes) || options.nodes < 1 || options.nodes > MAX_NODES) {
      throw new Error(`a cluster has 1 to ${MAX_NODES} nodes, got ${options.nodes}`);
    }
    const baseDir = options.baseDir ?? DEFAULT_LAB_BASE;
    // Once here rather than racing inside every node's start (each still sweeps, cheaply).
    await sweepStaleOvsInstances(baseDir);
    const underlay = await LabUnderlay.start({
      name: options.name,
      baseDir,
      ...(options.subnet === undefined ? {} : { subnet: options.subnet }),
      ...(options.mtu === undefined ? {} : { mtu: options.mtu }),
    });
    const indexes = Array.from({ length: options.nodes }, (_, i) => i + 1);
    const started = await Promise.allSettled(
      indexes.map((index) =>
        LabNode.start({
          lab: options.name,
          index,
          underlay,
          baseDir,
          ...(options.vswitchdArgs === undefined ? {} : { vswitchdArgs: options.vswitchdArgs }),
        }),
      ),
    );
    const nodes = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const cluster = new LabCluster(options.name, underlay, nodes);
    try {
      const failed = started.find((s) => s.status === 'rejected');
      if (failed) throw failed.reason;
      await cluster.seedNeighbours();
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    return cluster;
  }

  /** Node `index`, 1-based. */
  node(index: number): LabNode {
    const node = this.nodes[index - 1];
    if (!node) throw new Error(`lab ${this.name} has no node ${index}`);
    return node;
  }

  /** Gives every node all the others as tunnel peers (again after a restart, if needed). */
  async seedNeighbours(): Promise<void> {
    const peers = this.nodes.map((n) => n.asPeer);
    await Promise.all(this.nodes.map((n) => n.setPeers(peers)));
  }

  /** Removes every node, then the underlay. Idempotent. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    // Best effort for every part, then the first failure: one stuck node must not keep the rest.
    const results = await Promise.allSettled([...this.nodes.map((n) => n.stop()), this.underlay.stop()]);
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  }
}
