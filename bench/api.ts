// `weir server` under load, through HTTP as clients see it: port-create latency (p50/p99) and
// creates/s with 1 and 8 concurrent clients, on memory:, file: and a real etcd; then
// `GET /v2.0/ports` over 10,000 ports, full and filtered. The server runs in its own process
// (as in production; the client's CPU does not share its event loop). Baseline in the same run:
// the same port create through @weir/core directly on the same kind of store, no HTTP.
//   node --import tsx bench/api.ts [portsPerPhase] [runs]
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext, createNetwork, createPort, createSubnet, type Actor } from '@weir/core';
import { EtcdInstance } from '@weir/lab';
import { openStore } from '@weir/nbdb';
import { fmt, machineLine, median, percentile } from './lib/stats.js';

const N = Number(process.argv[2] ?? 400);
const RUNS = Number(process.argv[3] ?? 3);
const LIST_PORTS = 10_000;
const root = new URL('..', import.meta.url).pathname;

interface Server {
  readonly url: string;
  readonly child: ChildProcess;
}

async function startServer(db: string, configFile: string): Promise<Server> {
  const child = spawn(
    process.execPath,
    [
      join(root, 'packages/cli/bin/weir.mjs'),
      'server',
      '--config',
      configFile,
      '--db',
      db,
      '--network-listen',
      '127.0.0.1:0',
      '--lb-listen',
      '127.0.0.1:0',
      '--identity-listen',
      '127.0.0.1:0',
      '--log-level',
      'error',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /network (http:\/\/[^,\s]+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`weir server exited (${String(code)}): ${out}`)));
  });
  return { url, child };
}

async function stopServer(s: Server): Promise<void> {
  if (s.child.exitCode !== null) return;
  const exited = new Promise((r) => s.child.once('exit', r));
  s.child.kill('SIGTERM');
  await exited;
}

async function call<T>(url: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

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

interface StoreResult {
  readonly one: Phase;
  readonly eight: Phase;
  readonly listFull?: number;
  readonly listByNetwork?: number;
  readonly listByName?: number;
}

async function httpRun(db: string, withLists: boolean, configFile: string): Promise<StoreResult> {
  const server = await startServer(db, configFile);
  try {
    const { url } = server;
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
    // 10,000 ports in 10 networks (bulk requests of 100), for the list figures.
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
    for (let made = existing; made < LIST_PORTS; made += 100) {
      const count = Math.min(100, LIST_PORTS - made);
      const networkOf = nets[Math.floor(made / 100) % 10] as string;
      await call(url, 'POST', '/v2.0/ports', {
        ports: Array.from({ length: count }, (_, k) => ({ network_id: networkOf, name: `l${made + k}` })),
      });
    }
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
    return {
      one,
      eight,
      listFull: await time('/v2.0/ports', (n) => n === LIST_PORTS),
      listByNetwork: await time(`/v2.0/ports?network_id=${nets[3] as string}`, (n) => n > 500 && n < 1500),
      listByName: await time('/v2.0/ports?name=l5000', (n) => n === 1),
    };
  } finally {
    await stopServer(server);
  }
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
  for (let r = 0; r < RUNS; r++) {
    for (const [label, db] of stores) {
      const list = results.get(label) ?? [];
      list.push(await httpRun(db(r), r === 0 || label === 'etcd', configFile));
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
  console.log(machineLine());
  console.log(
    `port create through HTTP, ${fmt(N)} ports per phase, ${RUNS} runs (medians); core = same create without HTTP`,
  );
  for (const [label, rs] of results) {
    const cs = core.get(label) ?? [];
    console.log(
      `${label.padEnd(8)} 1 client: p50 ${m(rs.map((x) => x.one.p50)).toFixed(2)} ms, p99 ${m(rs.map((x) => x.one.p99)).toFixed(2)} ms, ${fmt(m(rs.map((x) => x.one.perSecond)))}/s` +
        ` | 8 clients: ${fmt(m(rs.map((x) => x.eight.perSecond)))}/s, p50 ${m(rs.map((x) => x.eight.p50)).toFixed(2)} ms, p99 ${m(rs.map((x) => x.eight.p99)).toFixed(2)} ms` +
        ` | core alone: p50 ${m(cs.map((x) => x.p50)).toFixed(2)} ms (HTTP+API adds ${(m(rs.map((x) => x.one.p50)) - m(cs.map((x) => x.p50))).toFixed(2)} ms)`,
    );
  }
  for (const [label, rs] of results) {
    const full = m(rs.map((x) => x.listFull));
    if (Number.isNaN(full)) continue;
    console.log(
      `${label.padEnd(8)} GET /v2.0/ports, ${fmt(LIST_PORTS)} ports: all ${full.toFixed(0)} ms, ?network_id= (1,000) ${m(rs.map((x) => x.listByNetwork)).toFixed(0)} ms, ?name= (1) ${m(rs.map((x) => x.listByName)).toFixed(0)} ms`,
    );
  }
} finally {
  await etcd.stop();
  rmSync(dir, { recursive: true, force: true });
}
