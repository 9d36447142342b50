// IPAM under contention: port creations per second on ONE subnet with 1 and 4 concurrent writers
// (separate store clients, as separate API replicas would be), on a real etcd and on the embedded
// store, with retries per write and a check that no address was handed out twice.
//   node --import tsx bench/ipam.ts [portsPerRun] [runs]
import { EtcdInstance } from '@weir/lab';
import { openStore, type Store } from '@weir/nbdb';
import { createContext, createNetwork, createPort, createSubnet, type Actor } from '@weir/core';
import { fmt, machineLine, median, percentile } from './lib/stats.js';

const N = Number(process.argv[2] ?? 2000);
const RUNS = Number(process.argv[3] ?? 3);
const actor: Actor = { projectId: 'be'.repeat(16), admin: true };

interface Result {
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly retriesPerWrite: number;
}

async function run(open: () => Promise<Store>, writers: number, label: string): Promise<Result> {
  const stores = await Promise.all(Array.from({ length: writers }, () => open()));
  try {
    const contexts = stores.map((s) =>
      createContext(s, { defaultQuotas: { port: -1, network: -1, subnet: -1 } }),
    );
    const first = contexts[0];
    if (!first) throw new Error('no writer');
    const network = await createNetwork(first, actor, { name: `bench-${label}` });
    const subnet = await createSubnet(first, actor, { networkId: network.id, cidr: '10.128.0.0/16' });
    const latencies: number[] = [];
    const t0 = performance.now();
    await Promise.all(
      contexts.map(async (ctx, w) => {
        for (let i = w; i < N; i += writers) {
          const s = performance.now();
          await createPort(ctx, actor, { networkId: network.id, name: `p${i}` });
          latencies.push(performance.now() - s);
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    const claims = await first.store.listClaims(`ip:${subnet.id}`);
    const distinct = new Set(claims.map((c) => c.key)).size;
    if (claims.length !== N || distinct !== N)
      throw new Error(`${label}: ${claims.length} claims, ${distinct} distinct, expected ${N}`);
    const retries = contexts.reduce((n, c) => n + c.stats.retries, 0);
    return {
      perSecond: N / seconds,
      p50: median(latencies),
      p99: percentile(latencies, 99),
      retriesPerWrite: retries / N,
    };
  } finally {
    await Promise.all(stores.map((s) => s.close()));
  }
}

function line(label: string, rs: Result[]): string {
  return `${label.padEnd(28)} ${fmt(median(rs.map((r) => r.perSecond)))} creates/s, p50 ${median(rs.map((r) => r.p50)).toFixed(1)} ms, p99 ${median(rs.map((r) => r.p99)).toFixed(1)} ms, retries/write ${median(rs.map((r) => r.retriesPerWrite)).toFixed(3)}`;
}

const etcd = await EtcdInstance.start();
try {
  const url = (prefix: string): string =>
    `etcd://${etcd.endpoints.map((e) => e.replace(/^https?:\/\//, '')).join(',')}/${prefix}`;
  const results: Record<string, Result[]> = {};
  for (let r = 0; r < RUNS; r++) {
    for (const writers of [1, 4]) {
      const eLabel = `etcd, ${writers} writer${writers > 1 ? 's' : ''}`;
      (results[eLabel] ??= []).push(
        await run(() => openStore(url(`ipam-${r}-${writers}`)), writers, `e${r}${writers}`),
      );
      const mLabel = `memory:, ${writers} writer${writers > 1 ? 's' : ''}`;
      const name = `ipam-bench-${r}-${writers}`;
      (results[mLabel] ??= []).push(await run(() => openStore(`memory:${name}`), writers, `m${r}${writers}`));
    }
  }
  console.log(machineLine());
  console.log(
    `IPAM: ${fmt(N)} ports on one /16 per run, ${RUNS} runs (medians); every run checked: ${fmt(N)} claims, all distinct`,
  );
  for (const [label, rs] of Object.entries(results)) console.log(line(label, rs));
} finally {
  await etcd.stop();
}
