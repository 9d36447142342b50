// `weir server` under load, through HTTP as clients see it: port-create latency (p50/p99) and
// creates/s with 1 and 8 concurrent clients, on memory:, file: and a real etcd; then
// `GET /v2.0/ports` over 10,000 ports, full and filtered. The server runs in its own process
// (as in production; the client's CPU does not share its event loop). Baseline in the same run:
// the same port create through @weir/core directly on the same kind of store, no HTTP.
// Peer in the same run, with WEIR_BENCH_NEUTRON=1: real OpenStack Neutron (Debian's
// neutron-server, started fresh for each run by bench/peers/neutron/start.sh, installed there on
// first use), the same phases through the same client code; Weir/Neutron ratios of the medians.
// WEIR_BENCH_NEUTRON_WORKERS=1,2 measures it with 1 and with 2 API workers (default 1);
// WEIR_BENCH_NEUTRON_FILL_SECONDS bounds its 10,000-port fill (default 300: it may list fewer).
//   node --import tsx bench/api.ts [portsPerPhase] [runs]
//   WEIR_BENCH_NEUTRON=1 node --import tsx bench/api.ts [portsPerPhase] [runs]
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext, createNetwork, createPort, createSubnet, type Actor } from '@weir/core';
import { EtcdInstance } from '@weir/lab';
import { openStore } from '@weir/nbdb';
import { callJson, spawnWeirServer } from './lib/http.js';
import { fmt, machineLine, median, percentile } from './lib/stats.js';

const N = Number(process.argv[2] ?? 400);
const RUNS = Number(process.argv[3] ?? 3);
const LIST_PORTS = 10_000;
const root = new URL('..', import.meta.url).pathname;
const NEUTRON = process.env.WEIR_BENCH_NEUTRON === '1';
const NEUTRON_WORKERS = (process.env.WEIR_BENCH_NEUTRON_WORKERS ?? '1').split(',').map(Number);
const NEUTRON_FILL_MS = Number(process.env.WEIR_BENCH_NEUTRON_FILL_SECONDS ?? 300) * 1000;

interface Server {
  readonly url: string;
  readonly child: ChildProcess;
}

function startServer(db: string, configFile: string): Promise<Server> {
  const listen = [
    '--network-listen',
    '127.0.0.1:0',
    '--lb-listen',
    '127.0.0.1:0',
    '--identity-listen',
    '127.0.0.1:0',
  ];
  return spawnWeirServer(['--config', configFile, '--db', db, ...listen, '--log-level', 'error'], 'inherit');
}

async function stopServer(s: Server): Promise<void> {
  if (s.child.exitCode !== null) return;
  const exited = new Promise((r) => s.child.once('exit', r));
  s.child.kill('SIGTERM');
  await exited;
}

const call = callJson;

interface Phase {
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
}

/** `clients` concurrent loops, each creating ports one after another, N in total. */
async function createPhase(create: (i: number) => Promise<void>, clients: number): Promise<Phase> {
  const latencies: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let i = c; i < N; i += clients) {
        const s = performance.now();
        await create(i);
        latencies.push(performance.now() - s);
      }
    }),
  );
  return {
    perSecond: N / ((performance.now() - t0) / 1000),
    p50: median(latencies),
    p99: percentile(latencies, 99),
  };
}

interface Lists {
  /** Ports listed by `GET /v2.0/ports` (LIST_PORTS unless the fill ran out of time). */
  readonly ports: number;
  readonly byNetworkPorts: number;
  readonly fillSeconds: number;
  readonly full: number;
  readonly byNetwork: number;
  readonly byName: number;
}

interface StoreResult {
  readonly one: Phase;
  readonly eight: Phase;
  readonly lists?: Lists;
  /** The same lists timed on the way to 10,000, at as many ports as the peer reached. */
  readonly listsAtPeer?: Lists;
}

async function httpRun(
  db: string,
  withLists: boolean,
  configFile: string,
  alsoAt: number | undefined,
): Promise<StoreResult> {
  const server = await startServer(db, configFile);
  try {
    return await measure(server.url, withLists, Number.POSITIVE_INFINITY, alsoAt);
  } finally {
    await stopServer(server);
  }
}

/**
 * The phases against the Neutron API at `url`: Weir's server or the Neutron peer. The fill stops
 * after fillBudgetMs; with alsoAt, the lists are also timed when the fill has made that many ports.
 */
async function measure(
  url: string,
  withLists: boolean,
  fillBudgetMs: number,
  alsoAt?: number,
): Promise<StoreResult> {
  const net = await call<{ network: { id: string } }>(url, 'POST', '/v2.0/networks', {
    network: { name: 'b' },
  });
  const networkId = net.network.id;
  await call(url, 'POST', '/v2.0/subnets', {
    subnet: { network_id: networkId, cidr: '10.64.0.0/14', ip_version: 4 },
  });
  const port = (i: number) => async (): Promise<void> => {
    await call(url, 'POST', '/v2.0/ports', { port: { network_id: networkId, name: `p${i}` } });
  };
  // Warm-up: connections, JIT, the default security group.
  for (let i = 0; i < 20; i++) await port(-i)();
  const one = await createPhase((i) => port(i)(), 1);
  const eight = await createPhase((i) => port(N + i)(), 8);
  if (!withLists) return { one, eight };
  // 10,000 ports in 10 networks (bulk requests of 100), for the list figures; a slow server
  // stops at fillBudgetMs with fewer.
  const fillStart = performance.now();
  const nets: string[] = [];
  for (let n = 0; n < 10; n++) {
    const r = await call<{ network: { id: string } }>(url, 'POST', '/v2.0/networks', {
      network: { name: `l${n}` },
    });
    nets.push(r.network.id);
    await call(url, 'POST', '/v2.0/subnets', {
      subnet: { network_id: r.network.id, cidr: `10.${100 + n}.0.0/16`, ip_version: 4 },
    });
  }
  const existing = 20 + 2 * N;
  let made = existing;
  let byNetworkPorts = 0;
  let listing = 0; // ms spent timing lists at alsoAt, not part of the fill
  const time = async (path: string, expect: (n: number) => boolean): Promise<number> => {
    const ts: number[] = [];
    for (let k = 0; k < 7; k++) {
      const s = performance.now();
      const r = await call<{ ports: unknown[] }>(url, 'GET', path);
      ts.push(performance.now() - s);
      if (!expect(r.ports.length)) throw new Error(`${path}: ${r.ports.length} ports`);
    }
    return median(ts);
  };
  const listsNow = async (): Promise<Lists> => {
    const s = performance.now();
    const ports = made;
    const onNetwork = byNetworkPorts;
    const lists: Lists = {
      ports,
      byNetworkPorts: onNetwork,
      fillSeconds: (s - fillStart - listing) / 1000,
      full: await time('/v2.0/ports', (n) => n === ports),
      byNetwork: await time(`/v2.0/ports?network_id=${nets[3] as string}`, (n) => n === onNetwork),
      byName: await time(
        `/v2.0/ports?name=l${existing + Math.floor((ports - existing) / 2)}`,
        (n) => n === 1,
      ),
    };
    listing += performance.now() - s;
    return lists;
  };
  let listsAtPeer: Lists | undefined;
  for (;;) {
    if (made === alsoAt && made < LIST_PORTS) listsAtPeer = await listsNow();
    if (made >= LIST_PORTS || performance.now() - fillStart - listing >= fillBudgetMs) break;
    const count = Math.min(100, LIST_PORTS - made);
    const networkOf = nets[Math.floor(made / 100) % 10] as string;
    const first = made;
    await call(url, 'POST', '/v2.0/ports', {
      ports: Array.from({ length: count }, (_, k) => ({ network_id: networkOf, name: `l${first + k}` })),
    });
    if (networkOf === nets[3]) byNetworkPorts += count;
    made += count;
  }
  const lists = await listsNow();
  return { one, eight, lists, ...(listsAtPeer ? { listsAtPeer } : {}) };
}

interface Peer {
  readonly url: string;
  /** What start.sh reports: versions and api_workers. */
  readonly about: string;
}

const peerScript = (name: string): string => join(root, 'bench/peers/neutron', name);

/** Starts a fresh Neutron (own MariaDB, empty database) in `peerDir`; stopPeer removes it all. */
async function startPeer(peerDir: string, workers: number): Promise<Peer> {
  const child = spawn('bash', [peerScript('start.sh')], {
    env: { ...process.env, WEIR_NEUTRON_DIR: peerDir, WEIR_NEUTRON_WORKERS: String(workers) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const m = /^neutron (http:\/\/\S+) (.*)$/m.exec(out);
  if (code !== 0 || !m?.[1] || m[2] === undefined) {
    throw new Error(`bench/peers/neutron/start.sh exited ${String(code)}: ${out.trim()}`);
  }
  return { url: m[1], about: m[2] };
}

function stopPeer(peerDir: string): void {
  spawnSync('bash', [peerScript('stop.sh')], {
    env: { ...process.env, WEIR_NEUTRON_DIR: peerDir },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

/** The same creates through @weir/core in this process: what HTTP and the API layer add. */
async function coreRun(db: string): Promise<Phase> {
  const store = await openStore(db);
  try {
    const ctx = createContext(store, { defaultQuotas: { port: 100_000, network: 1000, subnet: 1000 } });
    const actor: Actor = { projectId: '0000000000000000000000000000000a', admin: true };
    const net = await createNetwork(ctx, actor, { name: 'b' });
    await createSubnet(ctx, actor, { networkId: net.id, cidr: '10.64.0.0/14' });
    for (let i = 0; i < 20; i++) await createPort(ctx, actor, { networkId: net.id, name: `w${i}` });
    return await createPhase(async (i) => {
      await createPort(ctx, actor, { networkId: net.id, name: `p${i}` });
    }, 1);
  } finally {
    await store.close();
  }
}

const etcd = await EtcdInstance.start();
const dir = mkdtempSync(join(tmpdir(), 'weir-bench-api-'));
const peerDir = join(dir, 'neutron');
// An interrupted bench still stops the peer's neutron-server and mariadbd, in sessions of their
// own (the finally below does not run on a signal), and etcd.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stopPeer(peerDir);
    void etcd.stop().finally(() => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(130);
    });
  });
}
// Neutron's default port quota (500) would stop the bench; quota checks still run.
const configFile = join(dir, 'weir.yaml');
writeFileSync(configFile, 'core:\n  quotas: { port: 100000, network: 1000, subnet: 1000 }\n');
try {
  const etcdUrl = (prefix: string): string =>
    `etcd://${etcd.endpoints.map((e) => e.replace(/^https?:\/\//, '')).join(',')}/${prefix}`;
  const stores: [string, (r: number) => string][] = [
    ['memory:', () => 'memory:'],
    ['file:', (r) => `file:${join(dir, `db-${r}`)}`],
    ['etcd', (r) => etcdUrl(`api-${r}`)],
  ];
  const results = new Map<string, StoreResult[]>();
  const core = new Map<string, Phase[]>();
  const peers = new Map<string, StoreResult[]>();
  const peerAbout = new Map<string, string>();
  let peerError: string | undefined;
  let peerPorts: number | undefined; // how many ports the peer's fill reached, when fewer than 10,000
  for (let r = 0; r < RUNS; r++) {
    // The peer first, so that Weir's fill also times its lists at the peer's count.
    for (const workers of NEUTRON && peerError === undefined ? NEUTRON_WORKERS : []) {
      const label = NEUTRON_WORKERS.length > 1 ? `neutron-${workers}w` : 'neutron';
      try {
        const peer = await startPeer(peerDir, workers);
        peerAbout.set(label, peer.about);
        const list = peers.get(label) ?? [];
        // Lists once, as for memory: and file: (the fill is minutes long on Neutron).
        const result = await measure(peer.url, r === 0 && workers === NEUTRON_WORKERS[0], NEUTRON_FILL_MS);
        if (result.lists && result.lists.ports < LIST_PORTS) peerPorts = result.lists.ports;
        list.push(result);
        peers.set(label, list);
      } catch (error) {
        peerError = error instanceof Error ? error.message : String(error);
      } finally {
        stopPeer(peerDir);
      }
    }
    for (const [label, db] of stores) {
      const list = results.get(label) ?? [];
      list.push(await httpRun(db(r), r === 0 || label === 'etcd', configFile, peerPorts));
      results.set(label, list);
      const c = core.get(label) ?? [];
      c.push(
        await coreRun(
          label === 'memory:'
            ? 'memory:'
            : label === 'file:'
              ? `file:${join(dir, `core-${r}`)}`
              : etcdUrl(`core-${r}`),
        ),
      );
      core.set(label, c);
    }
  }
  const m = (xs: (number | undefined)[]): number => median(xs.filter((x): x is number => x !== undefined));
  const width = Math.max(8, ...[...peers.keys()].map((l) => l.length + 1));
  const createLine = (label: string, rs: StoreResult[]): string =>
    `${label.padEnd(width)} 1 client: p50 ${m(rs.map((x) => x.one.p50)).toFixed(2)} ms, p99 ${m(rs.map((x) => x.one.p99)).toFixed(2)} ms, ${fmt(m(rs.map((x) => x.one.perSecond)))}/s` +
    ` | 8 clients: ${fmt(m(rs.map((x) => x.eight.perSecond)))}/s, p50 ${m(rs.map((x) => x.eight.p50)).toFixed(2)} ms, p99 ${m(rs.map((x) => x.eight.p99)).toFixed(2)} ms`;
  const listOf = (rs: StoreResult[], atPeer = false): Lists | undefined => {
    const ls = rs.map((x) => (atPeer ? x.listsAtPeer : x.lists)).filter((x): x is Lists => x !== undefined);
    const first = ls[0];
    if (!first) return undefined;
    return {
      ports: first.ports,
      byNetworkPorts: first.byNetworkPorts,
      fillSeconds: m(ls.map((x) => x.fillSeconds)),
      full: m(ls.map((x) => x.full)),
      byNetwork: m(ls.map((x) => x.byNetwork)),
      byName: m(ls.map((x) => x.byName)),
    };
  };
  const listLine = (label: string, l: Lists, atPeer = false): string =>
    `${label.padEnd(width)} GET /v2.0/ports, ${fmt(l.ports)} ports${atPeer ? " (on the way, as many as Neutron's)" : ''}: all ${l.full.toFixed(0)} ms, ?network_id= (${fmt(l.byNetworkPorts)}) ${l.byNetwork.toFixed(0)} ms, ?name= (1) ${l.byName.toFixed(0)} ms` +
    ` | fill (bulk creates of 100): ${l.fillSeconds.toFixed(1)} s` +
    (l.ports < LIST_PORTS && !atPeer
      ? ` — not ${fmt(LIST_PORTS)}: the fill stopped after ${(NEUTRON_FILL_MS / 1000).toFixed(0)} s`
      : '');
  console.log(machineLine());
  console.log(
    `port create through HTTP, ${fmt(N)} ports per phase, ${RUNS} runs (medians); core = same create without HTTP`,
  );
  for (const [label, rs] of results) {
    const cs = core.get(label) ?? [];
    console.log(
      createLine(label, rs) +
        ` | core alone: p50 ${m(cs.map((x) => x.p50)).toFixed(2)} ms (HTTP+API adds ${(m(rs.map((x) => x.one.p50)) - m(cs.map((x) => x.p50))).toFixed(2)} ms)`,
    );
  }
  for (const [label, rs] of peers) {
    console.log(`${createLine(label, rs)} | ${peerAbout.get(label) ?? ''}, ${rs.length} runs`);
  }
  for (const [label, rs] of [...results, ...peers]) {
    const l = listOf(rs);
    if (l) console.log(listLine(label, l));
  }
  for (const [label, rs] of results) {
    const l = listOf(rs, true);
    if (l) console.log(listLine(label, l, true));
  }
  if (NEUTRON && peerError !== undefined)
    console.log(`neutron peer failed, its figures are missing: ${peerError}`);
  // Ratios Weir/Neutron of the medians: below 1 for times and above 1 for creates/s favour Weir.
  const ratio = (a: number, b: number): string => {
    const x = a / b;
    return x >= 10 ? x.toFixed(0) : x >= 1 ? x.toFixed(1) : x.toPrecision(2);
  };
  for (const [peerLabel, ps] of peers) {
    const pl = listOf(ps);
    console.log(
      `Weir/${peerLabel} (times: below 1 is faster in Weir; creates/s: above 1 is more in Weir)` +
        (pl ? `; lists at ${fmt(pl.ports)} ports on both` : ''),
    );
    for (const [label, rs] of results) {
      const one = (f: (p: Phase) => number): string =>
        ratio(m(rs.map((x) => f(x.one))), m(ps.map((x) => f(x.one))));
      const eight = (f: (p: Phase) => number): string =>
        ratio(m(rs.map((x) => f(x.eight))), m(ps.map((x) => f(x.eight))));
      const wl = pl && pl.ports < LIST_PORTS ? listOf(rs, true) : listOf(rs);
      console.log(
        `  ${label.padEnd(width)} 1 client: p50 ${one((p) => p.p50)}, p99 ${one((p) => p.p99)}, creates/s ${one((p) => p.perSecond)}` +
          ` | 8 clients: creates/s ${eight((p) => p.perSecond)}, p50 ${eight((p) => p.p50)}, p99 ${eight((p) => p.p99)}` +
          (wl && pl && wl.ports === pl.ports
            ? ` | lists: all ${ratio(wl.full, pl.full)}, ?network_id= ${ratio(wl.byNetwork, pl.byNetwork)}, ?name= ${ratio(wl.byName, pl.byName)}, fill ${ratio(wl.fillSeconds, pl.fillSeconds)}`
            : ''),
      );
    }
  }
} finally {
  await etcd.stop();
  rmSync(dir, { recursive: true, force: true });
}
