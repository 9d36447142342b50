// A lab of N real nodes (LabCluster: own ovsdb-server + ovs-vswitchd each, an underlay between
// them) with one LocalController per node in this process, on a shared embedded store, plus VMs
// plugged the way Nova/os-vif plugs them. For the controller's integration tests.
import { adminActor, createContext, type CoreContext } from '@weir/core';
import { LabCluster, LabHost, type LabNode } from '@weir/lab';
import type { LogicalPort } from '@weir/model';
import { openStore, type Store } from '@weir/nbdb';
import { LocalController, OvsPlatform } from '../../src/index.js';

export const PROJECT = 'c'.repeat(32);
export const actor = adminActor(PROJECT);

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  ms = 15_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export class ControllerLab {
  readonly controllers: LocalController[] = [];
  private readonly stores: Store[] = [];
  readonly vms = new Map<string, { host: LabHost; node: LabNode; port: LogicalPort }>();

  private constructor(
    readonly cluster: LabCluster,
    readonly store: Store,
    readonly ctx: CoreContext,
    private readonly storeUrl: string,
  ) {}

  static async start(name: string, nodes: number): Promise<ControllerLab> {
    const cluster = await LabCluster.start({ name, nodes });
    const storeUrl = `memory:${name}`;
    const store = await openStore(storeUrl);
    const lab = new ControllerLab(cluster, store, createContext(store), storeUrl);
    try {
      for (const node of cluster.nodes) await lab.startController(node);
    } catch (error) {
      await lab.stop();
      throw error;
    }
    return lab;
  }

  chassisName(node: LabNode): string {
    return `n${node.index}`;
  }

  async startController(node: LabNode): Promise<LocalController> {
    const store = await openStore(this.storeUrl);
    this.stores.push(store);
    const controller = new LocalController({
      store,
      chassis: this.chassisName(node),
      tunnelIp: node.tunnelIp,
      platform: new OvsPlatform({
        ovsdb: node.dbTarget,
        bridge: 'br-int',
        openflow: node.controllerTarget,
        datapathType: 'netdev',
      }),
      log: (level, message, fields) => {
        if (level === 'error') console.error(`[${this.chassisName(node)}] ${message}`, fields ?? '');
      },
    });
    await controller.start();
    this.controllers[node.index - 1] = controller;
    return controller;
  }

  /** Plugs a VM for `port` on `node` (static address from the port), as Nova would. */
  async plug(name: string, node: LabNode, port: LogicalPort, prefixLength = 24): Promise<LabHost> {
    const host = await LabHost.create(node.ovs, { name, mac: port.macAddress, mtu: node.overlayMtu });
    const ip = port.fixedIps[0]?.ipAddress;
    if (ip !== undefined) await host.addAddress(`${ip}/${prefixLength}`);
    await node.ovs.vsctl([
      'add-port',
      'br-int',
      host.portName,
      '--',
      'set',
      'interface',
      host.portName,
      `external_ids:iface-id=${port.id}`,
      `external_ids:attached-mac=${port.macAddress}`,
    ]);
    this.vms.set(name, { host, node, port });
    return host;
  }

  async unplug(name: string): Promise<void> {
    const vm = this.vms.get(name);
    if (!vm) return;
    await vm.node.ovs.vsctl(['--if-exists', 'del-port', 'br-int', vm.host.portName]);
    await vm.host.remove();
    this.vms.delete(name);
  }

  async waitActive(port: LogicalPort): Promise<void> {
    await waitFor(`port ${port.name || port.id} ACTIVE`, async () =>
      (await this.store.get('logical_port', port.id))?.status === 'ACTIVE' ? true : undefined,
    );
  }

  async stop(): Promise<void> {
    for (const c of this.controllers) await c?.stop().catch(() => undefined);
    for (const vm of this.vms.values()) await vm.host.remove().catch(() => undefined);
    await this.cluster.stop();
    for (const s of this.stores) await s.close().catch(() => undefined);
    await this.store.close();
  }
}
