// The benchmark cluster without Open vSwitch: the Neutron API and one controller per chassis in
// this process on the embedded store, each controller on the in-process fake switch (real
// OpenFlow bytes; flows and groups applied as ovs-vswitchd applies them). It measures Weir's own
// cost for a workload, free of ovs-vswitchd's (bench/controller.ts prints both).
import type { RunningServer } from '@weir/api';
import type { CoreContext } from '@weir/core';
import { FakePlatform, LocalController } from '@weir/controller';
import { openStore, type Store } from '@weir/nbdb';
import { callJson } from './http.js';
import { startInProcessApi } from './in-process-api.js';
import { StatusWatch, type ClusterLike, type ControllerFigures } from './cluster.js';

export class FakeCluster implements ClusterLike {
  readonly status: StatusWatch;
  private ofport = 1;

  private constructor(
    readonly store: Store,
    readonly ctx: CoreContext,
    readonly api: string,
    private readonly server: RunningServer,
    private readonly controllers: LocalController[],
    private readonly platforms: FakePlatform[],
    private readonly stores: Store[],
  ) {
    this.status = new StatusWatch(store);
  }

  static async start(options: { readonly chassis: number; readonly name: string }): Promise<FakeCluster> {
    const url = `memory:fake-${options.name}`;
    const { store, ctx, server } = await startInProcessApi(url);
    const { controllers, platforms, stores } = await startFakeChassis(url, options.chassis, 'n');
    return new FakeCluster(store, ctx, server.urls.network, server, controllers, platforms, stores);
  }

  private platform(nodeIndex: number): FakePlatform {
    const p = this.platforms[nodeIndex - 1];
    if (p === undefined) throw new Error(`no chassis ${nodeIndex}`);
    return p;
  }

  plugMany(nodeIndex: number, portIds: readonly string[]): Promise<void> {
    for (const id of portIds) this.platform(nodeIndex).plug(id, this.ofport++);
    return Promise.resolve();
  }

  plugOne(nodeIndex: number, portId: string): Promise<void> {
    return this.plugMany(nodeIndex, [portId]);
  }

  call<T>(method: string, path: string, body?: unknown): Promise<T> {
    return callJson<T>(this.api, method, path, body);
  }

  controller(i: number): Promise<ControllerFigures> {
    const s = this.controllers[i - 1]?.stats();
    if (s === undefined) throw new Error(`no controller ${i}`);
    return Promise.resolve({
      flows: s.desiredFlows,
      localPorts: s.localPorts,
      heldPorts: s.topology.ports,
      recomputes: Object.values(s.engine.nodes).reduce((n, x) => n + x.recomputes, 0),
    });
  }

  flowCount(nodeIndex: number): Promise<number> {
    return Promise.resolve(this.platform(nodeIndex).switch.flowCount);
  }

  async stop(): Promise<void> {
    this.status.close();
    for (const c of this.controllers) await c.stop().catch(() => undefined);
    await this.server.close().catch(() => undefined);
    for (const s of this.stores) await s.close().catch(() => undefined);
    await this.store.close();
  }
}

/**
 * `count` controllers named `<prefix>1…`, each on its own store client of `url` and its own
 * in-process fake switch, started.
 */
export async function startFakeChassis(
  url: string,
  count: number,
  prefix: string,
): Promise<{ controllers: LocalController[]; platforms: FakePlatform[]; stores: Store[] }> {
  const controllers: LocalController[] = [];
  const platforms: FakePlatform[] = [];
  const stores: Store[] = [];
  for (let c = 1; c <= count; c++) {
    const store = await openStore(url);
    stores.push(store);
    const platform = new FakePlatform({ datapathId: BigInt(c) });
    const controller = new LocalController({
      store,
      chassis: `${prefix}${c}`,
      tunnelIp: `10.254.${Math.floor(c / 250)}.${(c % 250) + 1}`,
      platform,
    });
    await controller.start();
    controllers.push(controller);
    platforms.push(platform);
  }
  return { controllers, platforms, stores };
}
