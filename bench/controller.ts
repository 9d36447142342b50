// The local controller's figures (issue W4), measured on real Open vSwitch nodes of the lab and,
// for 50 chassis, on the in-process fake switch:
//
//   latency   API port create → flows installed on its node and status ACTIVE, p50/p99, with
//             1,000 and 10,000 existing ports (OVN's workload shape: 3 real nodes + chassis that
//             exist only in the store, network i on chassis i mod N, 100 ports per network). Two
//             paths: create-then-plug (Nova's order: POST the port bound to the node, plug the VIF
//             over OVSDB, wait for ACTIVE) and bind-a-plugged-port (PUT binding:host_id on a port
//             whose VIF is plugged — the same step as OVN's `lsp-add … --wait=hv` with the OVS
//             port already there).
//   converge  10,000 ports in 100 networks over 3 nodes, created through the API and plugged as
//             they come: first write → every port ACTIVE on every node; flows per node, controller
//             RSS, and the CPU of one single-port change (with zero recomputes) at that size.
//   fake      50 chassis on the fake switch in one process: 10,000 ports, convergence time and
//             memory per chassis.
//
// Modes (WEIR_BENCH_MODE=memory,etcd; default both): memory = one process, the embedded store
// (Weir's all-in-one mode); etcd = a private etcd, the API server and each controller their own
// process (so RSS and CPU are per controller). WEIR_BENCH_OVN=1 runs OVN (../shared/peers/ovn) on
// the same shapes in the same run, side by side.
//   node --import tsx bench/controller.ts [latency] [converge] [fake]
import { spawnSync } from 'node:child_process';
import {
  adminActor,
  createContext,
  createNetwork,
  createPorts,
  createSubnet,
  registerChassis,
  type CoreContext,
} from '@weir/core';
import type { FakePlatform } from '@weir/controller';
import { openStore } from '@weir/nbdb';
import { BenchCluster, StatusWatch, type BenchMode, type ClusterLike } from './lib/cluster.js';
import { FakeCluster, startFakeChassis } from './lib/fake-cluster.js';
import { UNLIMITED_QUOTAS } from './lib/in-process-api.js';
import { ovsInstallBaseline } from './lib/ovs-baseline.js';
import { fmt, machineLine, median, percentile } from './lib/stats.js';

const actor = adminActor('0000000000000000000000000000000a');
const args = process.argv.slice(2);
const wants = (s: string): boolean => args.length === 0 || args.includes(s);
const MODES = (process.env.WEIR_BENCH_MODE ?? 'memory,etcd').split(',') as BenchMode[];
const SAMPLES = Number(process.env.WEIR_BENCH_SAMPLES ?? 60);
const OVN = process.env.WEIR_BENCH_OVN === '1';
const CPU_ROUNDS = 5;
const CHANGES_PER_WINDOW = 50;

const cidrOf = (i: number): string => `10.${100 + Math.floor(i / 256)}.${i % 256}.0/24`;

interface Workload {
  /** network id → the chassis its ports are bound to (one, or several round robin). */
  readonly networks: { id: string; chassis: string[] }[];
}

async function makeNetworks(
  ctx: CoreContext,
  count: number,
  chassisOf: (i: number) => string[],
): Promise<Workload> {
  const networks: Workload['networks'] = [];
  for (let i = 0; i < count; i++) {
    const n = await createNetwork(ctx, actor, { name: `bench-${i}` });
    await createSubnet(ctx, actor, { networkId: n.id, cidr: cidrOf(i) });
    networks.push({ id: n.id, chassis: chassisOf(i) });
  }
  return { networks };
}

/** `perNetwork` ports in every network, bound round robin to its chassis; returns ids by chassis. */
async function fillPorts(ctx: CoreContext, w: Workload, perNetwork: number): Promise<Map<string, string[]>> {
  const byChassis = new Map<string, string[]>();
  for (const net of w.networks) {
    for (let start = 0; start < perNetwork; start += 100) {
      const inputs = Array.from({ length: Math.min(100, perNetwork - start) }, (_, k) => ({
        networkId: net.id,
        binding: { hostId: net.chassis[(start + k) % net.chassis.length] as string },
      }));
      for (const p of await createPorts(ctx, actor, inputs)) {
        const list = byChassis.get(p.binding.hostId) ?? [];
        list.push(p.id);
        byChassis.set(p.binding.hostId, list);
      }
    }
  }
  return byChassis;
}

async function registerFakeChassis(ctx: CoreContext, from: number, to: number): Promise<void> {
  for (let i = from; i <= to; i++) {
    await registerChassis(
      ctx,
      {
        name: `n${i}`,
        tunnelIp: `10.255.${Math.floor(i / 250)}.${(i % 250) + 1}`,
        tunnelTypes: ['geneve', 'vxlan'],
      },
      undefined,
    );
  }
}

const ms = (x: number): string => `${fmt(x, 1)} ms`;

// ---- latency ---------------------------------------------------------------------------------

interface LatencyFigures {
  readonly mode: BenchMode;
  readonly existing: number;
  readonly createPlug: number[];
  readonly api: number[];
  readonly plug: number[];
  readonly plugToActive: number[];
  readonly bind: number[];
  readonly flowsNode1: number;
  readonly heldNode1: number;
  /** The existing ports: first write → every real node's ports ACTIVE, and the writes alone. */
  readonly fillS: number;
  readonly fillWritesS: number;
}

async function latency(mode: BenchMode, existing: number): Promise<LatencyFigures> {
  const real = 3;
  const chassisCount = existing >= 10_000 ? 100 : 10;
  const cluster = await BenchCluster.start({
    mode,
    nodes: real,
    name: `bl${existing === 1000 ? 1 : 10}${mode[0]}${process.pid % 1000}`,
  });
  try {
    await registerFakeChassis(cluster.ctx, real + 1, chassisCount);
    const w = await makeNetworks(cluster.ctx, existing / 100, (i) => [`n${(i % chassisCount) + 1}`]);
    // The fill is timed too: from its first port write to every real node's port ACTIVE — the
    // shape of OVN's `first NB write → every chassis installed` in its peer run.
    const fillStart = performance.now();
    const byChassis = await fillPorts(cluster.ctx, w, 100);
    const fillWritesS = (performance.now() - fillStart) / 1000;
    for (let n = 1; n <= real; n++) await cluster.plugMany(n, byChassis.get(`n${n}`) ?? []);
    await cluster.status.allActive(
      [1, 2, 3].flatMap((n) => byChassis.get(`n${n}`) ?? []),
      300_000,
    );
    // …and every real node's switch holding exactly what its controller wants.
    for (;;) {
      let done = true;
      for (let n = 1; n <= real; n++) {
        if ((await cluster.flowCount(n)) !== (await cluster.controller(n)).flows) done = false;
      }
      if (done) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const fillS = (performance.now() - fillStart) / 1000;
    const netOf = (node: number): string =>
      (w.networks.find((x) => x.chassis[0] === `n${node}`) as { id: string }).id;
    const f: LatencyFigures = {
      mode,
      existing,
      createPlug: [],
      api: [],
      plug: [],
      plugToActive: [],
      bind: [],
      flowsNode1: 0,
      heldNode1: 0,
      fillS,
      fillWritesS,
    };
    for (let s = 0; s < SAMPLES + 5; s++) {
      const node = (s % real) + 1;
      // Create, then plug (Nova's order).
      const t0 = performance.now();
      const created = await cluster.call<{ port: { id: string } }>('POST', '/v2.0/ports', {
        port: { network_id: netOf(node), 'binding:host_id': `n${node}` },
      });
      const t1 = performance.now();
      const active = cluster.status.active(created.port.id);
      await cluster.plugOne(node, created.port.id);
      const t2 = performance.now();
      const t3 = await active;
      // Bind a port whose VIF is plugged already (the step OVN's lsp-add --wait=hv measures).
      const unbound = await cluster.call<{ port: { id: string } }>('POST', '/v2.0/ports', {
        port: { network_id: netOf(node) },
      });
      await cluster.plugOne(node, unbound.port.id);
      await new Promise((r) => setTimeout(r, 30));
      const b0 = performance.now();
      const bound = cluster.status.active(unbound.port.id);
      await cluster.call('PUT', `/v2.0/ports/${unbound.port.id}`, {
        port: { 'binding:host_id': `n${node}` },
      });
      const b1 = await bound;
      if (s < 5) continue; // warm-up
      f.createPlug.push(t3 - t0);
      f.api.push(t1 - t0);
      f.plug.push(t2 - t1);
      f.plugToActive.push(t3 - t2);
      f.bind.push(b1 - b0);
    }
    const c1 = await cluster.controller(1);
    return { ...f, flowsNode1: c1.flows, heldNode1: c1.heldPorts };
  } finally {
    await cluster.stop();
  }
}

function printLatency(f: LatencyFigures): void {
  const line = (label: string, xs: number[]): string =>
    `    ${label.padEnd(34)} p50 ${ms(median(xs)).padStart(10)}  p99 ${ms(percentile(xs, 99)).padStart(10)}`;
  console.log(
    `  ${f.mode}, ${fmt(f.existing)} existing ports (n${1}: ${fmt(f.heldNode1)} ports held, ${fmt(f.flowsNode1)} flows), ${f.createPlug.length} samples:`,
  );
  console.log(line('create → plug → ACTIVE (total)', f.createPlug));
  console.log(line('  of which API POST', f.api));
  console.log(line('  of which OVSDB plug', f.plug));
  console.log(line('  of which plug → ACTIVE', f.plugToActive));
  console.log(line('bind plugged port → ACTIVE', f.bind));
  console.log(
    `    the fill itself: ${fmt(f.existing)} ports written (core, in bulk) in ${fmt(f.fillWritesS, 1)} s; first write → every real node installed everything ${fmt(f.fillS, 1)} s`,
  );
}

// ---- converge --------------------------------------------------------------------------------

interface ConvergeFigures {
  readonly mode: BenchMode | 'fake';
  readonly ports: number;
  readonly totalS: number;
  readonly activeS: number;
  readonly writesS: number;
  readonly nodes: {
    flows: number;
    switchFlows: number;
    localPorts: number;
    rssMiB?: number;
    peakRssMiB?: number;
    heapMiB?: number;
  }[];
  readonly changeCpuMs?: number;
  readonly changeCpuRangeMs?: readonly [number, number];
  /** Of changeCpuMs, the median time in V8's garbage collector. */
  readonly changeGcMs?: number;
  readonly changeRecomputes: number;
  readonly changeWallMs: number;
  /** ovs-vswitchd alone: node 1's flows by `ovs-ofctl --bundle` into a bridge with as many ports. */
  readonly baseline?: { readonly flows: number; readonly ports: number; readonly seconds: number };
}

async function converge(mode: BenchMode | 'fake'): Promise<ConvergeFigures> {
  const name = `bc${mode[0]}${process.pid % 1000}`;
  const cluster: ClusterLike =
    mode === 'fake'
      ? await FakeCluster.start({ chassis: 3, name })
      : await BenchCluster.start({ mode, nodes: 3, name });
  try {
    const t0 = performance.now();
    const nets: string[] = [];
    for (let i = 0; i < 100; i++) {
      const n = await cluster.call<{ network: { id: string } }>('POST', '/v2.0/networks', {
        network: { name: `c${i}` },
      });
      await cluster.call('POST', '/v2.0/subnets', {
        subnet: { network_id: n.network.id, cidr: cidrOf(i), ip_version: 4 },
      });
      nets.push(n.network.id);
    }
    const all: string[] = [];
    const plugs: Promise<void>[] = [];
    // 100 requests of 100 ports, 4 in flight; each batch plugged on its nodes as soon as it exists.
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < 100) {
          const i = next++;
          const r = await cluster.call<{ ports: { id: string; 'binding:host_id': string }[] }>(
            'POST',
            '/v2.0/ports',
            {
              ports: Array.from({ length: 100 }, (_, k) => ({
                network_id: nets[i],
                'binding:host_id': `n${(k % 3) + 1}`,
              })),
            },
          );
          for (const n of [1, 2, 3]) {
            const ids = r.ports.filter((p) => p['binding:host_id'] === `n${n}`).map((p) => p.id);
            all.push(...ids);
            plugs.push(cluster.plugMany(n, ids));
          }
        }
      }),
    );
    const writesS = (performance.now() - t0) / 1000;
    await Promise.all(plugs);
    await cluster.status.allActive(all, 900_000);
    const activeS = (performance.now() - t0) / 1000;
    // Every port ACTIVE means every node installed its *local* ports' flows; the flows for the
    // other nodes' ports and the flood groups may still be in flight. Converged = every switch
    // holds exactly what its controller wants.
    for (;;) {
      let done = true;
      for (const n of [1, 2, 3]) {
        if ((await cluster.flowCount(n)) !== (await cluster.controller(n)).flows) done = false;
      }
      if (done) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const totalS = (performance.now() - t0) / 1000;
    const nodes = [];
    for (const n of [1, 2, 3]) {
      const c = await cluster.controller(n);
      nodes.push({
        flows: c.flows,
        switchFlows: await cluster.flowCount(n),
        localPorts: c.localPorts,
        ...(c.rssMiB === undefined ? {} : { rssMiB: c.rssMiB }),
        ...(c.peakRssMiB === undefined ? {} : { peakRssMiB: c.peakRssMiB }),
        ...(c.heapUsedMiB === undefined ? {} : { heapMiB: c.heapUsedMiB }),
      });
    }
    // The same flows into a bare ovs-vswitchd with the same number of ports, by ovs-ofctl: what
    // OVS alone takes, measured in this run (its install rate falls steeply with its port count).
    const baseline =
      cluster instanceof BenchCluster
        ? await ovsInstallBaseline(await cluster.dumpFlows(1), nodes[0]?.localPorts ?? 0)
        : undefined;
    // One port changes at a time (its allowed address pairs: new flows). The controller's
    // process CPU over a window of 50 changes, minus an adjacent window of 50 reads that give it
    // no work (lease keep-alives, metrics scrapes, GC of what came before), per change; 5 such
    // pairs, the median (one window alone swung 2.5–4.9 ms between runs on this noisy machine).
    await new Promise((r) => setTimeout(r, 2000));
    const port = all[0] as string;
    let k = 0;
    const change = async (): Promise<void> => {
      k++;
      await cluster.call('PUT', `/v2.0/ports/${port}`, {
        port: { allowed_address_pairs: [{ ip_address: `10.250.${k % 250}.${1 + Math.floor(k / 250)}` }] },
      });
    };
    // CPU and GC seconds of n1's controller over one window.
    const window = async (work: boolean): Promise<{ cpu: number; gc: number } | undefined> => {
      const start = await cluster.controller(1);
      for (let i = 0; i < CHANGES_PER_WINDOW; i++) {
        if (work) await change();
        else await cluster.call('GET', `/v2.0/ports/${port}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      await new Promise((r) => setTimeout(r, 500));
      const end = await cluster.controller(1);
      if (start.cpuSeconds === undefined || end.cpuSeconds === undefined) return undefined;
      return { cpu: end.cpuSeconds - start.cpuSeconds, gc: (end.gcSeconds ?? 0) - (start.gcSeconds ?? 0) };
    };
    const recomputesBefore = (await cluster.controller(1)).recomputes;
    const perChange: number[] = [];
    const gcPerChange: number[] = [];
    const wallStart = performance.now();
    for (let round = 0; round < CPU_ROUNDS; round++) {
      const idle = await window(false);
      const busy = await window(true);
      if (idle === undefined || busy === undefined) continue;
      perChange.push(((busy.cpu - idle.cpu) * 1000) / CHANGES_PER_WINDOW);
      gcPerChange.push(((busy.gc - idle.gc) * 1000) / CHANGES_PER_WINDOW);
    }
    const changeWallMs = (performance.now() - wallStart) / (2 * CPU_ROUNDS * CHANGES_PER_WINDOW);
    const after = await cluster.controller(1);
    return {
      mode,
      ports: all.length,
      totalS,
      activeS,
      writesS,
      nodes,
      ...(perChange.length === 0
        ? {}
        : {
            changeCpuMs: median(perChange),
            changeCpuRangeMs: [Math.min(...perChange), Math.max(...perChange)] as const,
            changeGcMs: median(gcPerChange),
          }),
      changeRecomputes: after.recomputes - recomputesBefore,
      changeWallMs,
      ...(baseline === undefined ? {} : { baseline }),
    };
  } finally {
    await cluster.stop();
  }
}

function printConverge(f: ConvergeFigures): void {
  console.log(
    `  ${f.mode}: ${fmt(f.ports)} ports in 100 networks over 3 nodes: first write → every node installed everything ${fmt(f.totalS, 1)} s (API writes done at ${fmt(f.writesS, 1)} s, every port ACTIVE at ${fmt(f.activeS, 1)} s)`,
  );
  f.nodes.forEach((n, i) =>
    console.log(
      `    n${i + 1}: ${fmt(n.localPorts)} local ports, ${fmt(n.flows)} flows desired, ${fmt(n.switchFlows)} on the switch` +
        (n.rssMiB === undefined
          ? ''
          : `, controller RSS ${fmt(n.rssMiB)} MiB (peak ${fmt(n.peakRssMiB ?? 0)} MiB, V8 heap in use ${fmt(n.heapMiB ?? 0)} MiB)`),
    ),
  );
  if (f.baseline !== undefined)
    console.log(
      `    baseline, same run: ovs-vswitchd alone takes ${fmt(f.baseline.seconds, 1)} s to install n1's ${fmt(f.baseline.flows)} flows ` +
        `(ovs-ofctl --bundle) into a bridge with ${fmt(f.baseline.ports)} ports; 3 such switches share the 2 cores during convergence`,
    );
  console.log(
    `    one port's change ×${CPU_ROUNDS * CHANGES_PER_WINDOW}: ${f.changeRecomputes} recomputes` +
      (f.changeCpuMs === undefined
        ? ''
        : `, controller CPU ${fmt(f.changeCpuMs, 2)} ms per change (median of ${CPU_ROUNDS} windows of ${CHANGES_PER_WINDOW}, ` +
          `${fmt(f.changeCpuRangeMs?.[0] ?? 0, 2)}–${fmt(f.changeCpuRangeMs?.[1] ?? 0, 2)}; process CPU minus an adjacent window of reads), ` +
          `of which garbage collection ${fmt(f.changeGcMs ?? 0, 2)} ms`),
  );
}

// ---- fake ------------------------------------------------------------------------------------

interface FakeFigures {
  readonly chassis: number;
  readonly ports: number;
  readonly totalS: number;
  readonly activeS: number;
  readonly heapPerChassisMiB: number;
  readonly rssPerChassisMiB: number;
  readonly flowsPerChassis: number;
  readonly switchFlowBytes: number;
}

async function fake(chassisCount: number, ports: number, networks: number): Promise<FakeFigures> {
  const url = `memory:fake-bench`;
  const store = await openStore(url);
  const ctx = createContext(store, { defaultQuotas: UNLIMITED_QUOTAS });
  global.gc?.();
  const heap0 = process.memoryUsage();
  const { controllers, platforms, stores } = await startFakeChassis(url, chassisCount, 'f');
  // Each network spans 3 chassis (a realistic spread: a tenant's VMs on a few nodes).
  const w = await makeNetworks(ctx, networks, (i) =>
    [0, 1, 2].map((k) => `f${((i + k) % chassisCount) + 1}`),
  );
  const t0 = performance.now();
  const byChassis = await fillPorts(ctx, w, ports / networks);
  let ofport = 1;
  for (const [chassis, ids] of byChassis) {
    const platform = platforms[Number(chassis.slice(1)) - 1] as FakePlatform;
    for (const id of ids) platform.plug(id, ofport++);
  }
  const statusWatch = new StatusWatch(store);
  await statusWatch.allActive([...byChassis.values()].flat(), 600_000);
  const activeS = (performance.now() - t0) / 1000;
  // Converged: every chassis' switch holds exactly its controller's desired flows.
  await Promise.all(controllers.map((c) => c.settled()));
  while (controllers.some((c, i) => platforms[i]?.switch.flowCount !== c.stats().desiredFlows)) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const totalS = (performance.now() - t0) / 1000;
  global.gc?.();
  const heap1 = process.memoryUsage();
  const flows = controllers.map((c) => c.stats().desiredFlows);
  const switchFlows = platforms.reduce((n, p) => n + p.switch.flowCount, 0);
  statusWatch.close();
  for (const c of controllers) await c.stop();
  for (const s of stores) await s.close();
  await store.close();
  return {
    chassis: chassisCount,
    ports,
    totalS,
    activeS,
    heapPerChassisMiB: (heap1.heapUsed - heap0.heapUsed) / 2 ** 20 / chassisCount,
    rssPerChassisMiB: (heap1.rss - heap0.rss) / 2 ** 20 / chassisCount,
    flowsPerChassis: median(flows),
    switchFlowBytes: switchFlows,
  };
}

// ---- main ------------------------------------------------------------------------------------

// Controller processes (etcd mode) run from the bundle, as deployed: build it now if it is stale.
spawnSync(process.execPath, [new URL('../scripts/build.mjs', import.meta.url).pathname], {
  stdio: 'inherit',
});
console.log(machineLine());
// First: its per-chassis heap is a difference of this process's heap, which what the other
// phases leave behind (stores and clusters released after they stop) would distort.
if (wants('fake')) {
  console.log('\nfake switch: 50 chassis in one process, 10,000 ports in 100 networks (each on 3 chassis)');
  const f = await fake(50, 10_000, 100);
  console.log(
    `  first write → every chassis installed everything ${fmt(f.totalS, 1)} s (every port ACTIVE at ${fmt(f.activeS, 1)} s); per chassis: ${fmt(f.flowsPerChassis)} flows (median), ` +
      `heap ${fmt(f.heapPerChassisMiB, 1)} MiB, RSS ${fmt(f.rssPerChassisMiB, 1)} MiB (controller + its fake switch's tables + its store client)`,
  );
}
if (wants('latency')) {
  console.log(
    '\nport create → flows installed and ACTIVE (3 real nodes; the rest of the chassis exist only in the store)',
  );
  for (const mode of MODES)
    for (const existing of [1000, 10_000]) printLatency(await latency(mode, existing));
}
if (wants('converge')) {
  console.log('\nconvergence: 10,000 ports, 100 networks, 3 nodes, through the API');
  for (const mode of MODES) printConverge(await converge(mode));
  printConverge(await converge('fake'));
}
if (OVN) {
  const { runOvnPeer, describeOvnResult } = await import('./peers/ovn/ovn-peer.js');
  console.log('\nOVN (peer), same shapes, same run:');
  for (const [nfake, ns] of [
    [7, 10],
    [97, 100],
  ] as const) {
    const r = await runOvnPeer({
      nch: 3,
      nfake,
      ns,
      pps: 100,
      nlb: 0,
      reps: 5,
      label: `weir-peer-${ns}`,
    });
    for (const l of describeOvnResult(r)) console.log(`  ${l}`);
  }
}
