// One controller's cost of a single-port change, in one process: the writer (core, on its own
// store client), the controller and its fake switch share this process, so the figure is an upper
// bound of the controller's part — a tool to see where a change goes, next to bench/controller.ts
// (which measures the controller as its own process on real OVS and etcd).
//
//   node --import tsx bench/controller-change.ts            embedded store and etcd, side by side
//   WEIR_BENCH_MODE=etcd WEIR_BENCH_PROFILE=1 …             + CPU by package (V8 sampling profiler)
//
// Shape: 34 networks of 100 ports, every port bound and plugged on n1 (3,400 local ports, as n1
// in the 10k convergence run); each change sets one port's allowed address pairs (new flows).
import { Session } from 'node:inspector/promises';
import { createContext, createNetwork, createPorts, createSubnet, updatePort, adminActor } from '@weir/core';
import { FakePlatform, LocalController } from '@weir/controller';
import { EtcdInstance } from '@weir/lab';
import { openStore } from '@weir/nbdb';
import { UNLIMITED_QUOTAS } from './lib/in-process-api.js';
import { fmt, machineLine, median } from './lib/stats.js';

const actor = adminActor('0000000000000000000000000000000a');
const MODES = (process.env.WEIR_BENCH_MODE ?? 'memory,etcd').split(',');
const PROFILE = process.env.WEIR_BENCH_PROFILE === '1';
const NETWORKS = 34;
const WINDOWS = 5;
const CHANGES = 200;

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string };
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
}

/** Where a profiled function lives: a workspace package, an npm package, node itself, or V8. */
function area(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (url.includes('/node_modules/')) return url.split('/node_modules/').pop()?.split('/')[0] ?? url;
  const pkg = /\/packages\/([^/]+)\/src\/([^/]+)/.exec(url);
  if (pkg) return `@weir/${pkg[1] ?? ''} ${pkg[2] ?? ''}`;
  if (url.startsWith('node:')) return 'node';
  return url === '' ? functionName : url;
}

async function run(mode: string): Promise<void> {
  const etcd = mode === 'etcd' ? await EtcdInstance.start({ name: `change${process.pid}` }) : undefined;
  const url = etcd ? `etcd://127.0.0.1:${etcd.clientPort}` : `memory:change-${process.pid}`;
  const store = await openStore(url);
  const controllerStore = await openStore(url);
  const ctx = createContext(store, { defaultQuotas: UNLIMITED_QUOTAS });
  const platform = new FakePlatform({ datapathId: 1n });
  const controller = new LocalController({
    store: controllerStore,
    chassis: 'n1',
    tunnelIp: '10.254.0.1',
    platform,
  });
  try {
    await controller.start();
    let ofport = 1;
    const ids: string[] = [];
    for (let n = 0; n < NETWORKS; n++) {
      const net = await createNetwork(ctx, actor, { name: `net${n}`, networkType: 'geneve' });
      await createSubnet(ctx, actor, { networkId: net.id, cidr: `10.${100 + n}.0.0/24` });
      const ports = await createPorts(
        ctx,
        actor,
        Array.from({ length: 100 }, (_, i) => ({
          networkId: net.id,
          name: `p${n}-${i}`,
          binding: { hostId: 'n1' },
        })),
      );
      for (const p of ports) {
        platform.plug(p.id, ofport++);
        ids.push(p.id);
      }
    }
    // settled() covers engine runs and installs, not the store reads of networks still loading.
    const deadline = Date.now() + 120_000;
    while (controller.stats().localPorts < ids.length || controller.stats().sweepPending) {
      if (Date.now() > deadline) throw new Error(`only ${controller.stats().localPorts} ports became local`);
      await new Promise((r) => setTimeout(r, 50));
    }
    await controller.settled();
    const stats = controller.stats();
    const recomputes = (): number =>
      Object.values(controller.stats().engine.nodes).reduce((n, x) => n + x.recomputes, 0);
    const before = recomputes();
    const port = ids[0] ?? '';
    let k = 0;
    const session = new Session();
    session.connect();
    if (PROFILE) {
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 100 });
      await session.post('Profiler.start');
    }
    const cpu: number[] = [];
    const wall: number[] = [];
    for (let w = 0; w < WINDOWS; w++) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      for (let i = 0; i < CHANGES; i++) {
        k++;
        await updatePort(ctx, actor, port, {
          allowedAddressPairs: [{ ipAddress: `10.250.${k % 250}.${1 + Math.floor(k / 250)}` }],
        });
        await controller.settled();
      }
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000 / CHANGES);
      wall.push((performance.now() - t0) / CHANGES);
    }
    console.log(
      `  ${mode}: ${fmt(stats.localPorts)} local ports, ${fmt(stats.desiredFlows)} flows; per change (writer + controller + fake switch): ` +
        `CPU ${fmt(median(cpu), 2)} ms, wall ${fmt(median(wall), 2)} ms (medians of ${WINDOWS} windows of ${CHANGES}); ` +
        `recomputes ${recomputes() - before}`,
    );
    if (PROFILE) {
      const { profile } = (await session.post('Profiler.stop')) as { profile: Profile };
      const byId = new Map(profile.nodes.map((n) => [n.id, n]));
      const counts = new Map<string, number>();
      for (const id of profile.samples) {
        const node = byId.get(id);
        if (node === undefined) continue;
        const key = area(node.callFrame);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      const busy = [...counts].filter(([key]) => key !== '(idle)');
      const total = busy.reduce((n, [, c]) => n + c, 0);
      const perChange = median(cpu);
      for (const [key, c] of busy.sort((a, b) => b[1] - a[1]).slice(0, 20))
        console.log(`    ${fmt((perChange * c * 1000) / total).padStart(6)} µs  ${key}`);
    }
    session.disconnect();
  } finally {
    await controller.stop();
    await controllerStore.close();
    await store.close();
    await etcd?.stop();
  }
}

console.log(machineLine());
console.log('single-port change, one process (upper bound of the controller; see the header)');
for (const mode of MODES) await run(mode);
