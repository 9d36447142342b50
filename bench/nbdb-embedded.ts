// The embedded northbound store (memory: and file:): write rates, watch delivery latency, resident
// memory with 100,000 logical ports, and file: open (replay) time at that size.
//   node --import tsx bench/nbdb-embedded.ts [runs]
// Each part runs in its own child process, so one part's garbage never weighs on another's figures.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { constants, mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { LogicalPort } from '@weir/model';
import { openStore, type Store } from '@weir/nbdb';
import { fmt, machineLine, median, percentile } from './lib/stats.js';

const RUNS = Number(process.argv[3] ?? process.argv[2] ?? 5);
const LARGE = 100_000;

// ---- realistic objects -------------------------------------------------------------------------

const networks = Array.from({ length: 100 }, () => randomUUID());
const subnets = networks.map(() => randomUUID());
const groups = Array.from({ length: 200 }, () => randomUUID());
const project = randomUUID().replace(/-/g, '');

/**
 * A port as Neutron/Nova make them (bound, one or two fixed IPs, security groups, tags), parsed from
 * JSON text as the API receives it: strings built here by concatenation would otherwise be V8 cons
 * strings, bigger than the flat strings a real request carries, and inflate the memory figure.
 */
function port(i: number): LogicalPort {
  return JSON.parse(JSON.stringify(portObject(i))) as LogicalPort;
}

function portObject(i: number): LogicalPort {
  const n = i % networks.length;
  const hex = (v: number): string => (v & 255).toString(16).padStart(2, '0');
  const now = new Date(1_767_225_600_000 + i * 1000).toISOString();
  return {
    id: randomUUID(),
    topic: project,
    version: 0,
    uniqueKey: i + 1,
    name: `port-${i}`,
    description: '',
    tags: ['k8s', `ns-${i % 20}`],
    createdAt: now,
    updatedAt: now,
    networkId: networks[n] as string,
    macAddress: `fa:16:3e:${hex(i >> 16)}:${hex(i >> 8)}:${hex(i)}`,
    fixedIps: [
      { subnetId: subnets[n] as string, ipAddress: `10.${n}.${(i >> 8) & 255}.${i & 255}` },
      ...(i % 4 === 0
        ? [{ subnetId: subnets[n] as string, ipAddress: `fd00:${n}::${(i & 0xffff).toString(16)}` }]
        : []),
    ],
    binding: {
      hostId: `compute-${i % 50}`,
      vnicType: 'normal',
      vifType: 'ovs',
      vifDetails: { port_filter: true, connectivity: 'l2', bridge_name: 'br-int', datapath_type: 'netdev' },
      profile: {},
    },
    deviceOwner: 'compute:nova',
    deviceId: randomUUID(),
    securityGroups: [
      groups[i % groups.length] as string,
      ...(i % 3 === 0 ? [groups[(i + 7) % groups.length] as string] : []),
    ],
    portSecurityEnabled: true,
    allowedAddressPairs: [],
    status: 'ACTIVE',
    adminStateUp: true,
    dnsName: `host-${i}`,
  };
}

// ---- helpers -----------------------------------------------------------------------------------

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), `weir-nbdb-${process.pid}-bench-`));
}

async function withStore<T>(driver: string, fn: (s: Store, url: string) => Promise<T>): Promise<T> {
  const dir = driver === 'file' ? tempDir() : undefined;
  const url = dir ? `file:${dir}` : 'memory:';
  const s = await openStore(url);
  try {
    return await fn(s, url);
  } finally {
    await s.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

const create = (s: Store, i: number) =>
  s.commit([{ kind: 'create', table: 'logical_port', object: port(i) }]);

/** A full collection (twice: the first may leave work to finalizers), without needing --expose-gc. */
function gc(): () => void {
  setFlagsFromString('--expose-gc');
  const collect = runInNewContext('gc') as () => void;
  return () => {
    collect();
    collect();
  };
}

// ---- parts (each prints one JSON line) ---------------------------------------------------------

async function writes(driver: string): Promise<Record<string, number>> {
  const n = driver === 'memory' ? 20_000 : 4_000;
  return withStore(driver, async (s) => {
    for (let i = 0; i < 500; i++) await create(s, i); // warm-up
    let t0 = performance.now();
    for (let i = 0; i < n; i++) await create(s, i);
    const sequential = (n / (performance.now() - t0)) * 1000;
    t0 = performance.now();
    await Promise.all(
      Array.from({ length: 8 }, async (_, w) => {
        for (let i = 0; i < n / 8; i++) await create(s, w * n + i);
      }),
    );
    const concurrent8 = (n / (performance.now() - t0)) * 1000;
    return { sequential, concurrent8 };
  });
}

async function latency(driver: string): Promise<Record<string, number>> {
  const samples = driver === 'memory' ? 5_000 : 2_000;
  return withStore(driver, async (s) => {
    const started = new Map<number, number>();
    const lat: number[] = [];
    let next = 0;
    const w = s.watch({}, (b) => {
      lat.push(performance.now() - (started.get(b.revision) ?? Number.NaN));
    });
    for (let i = 0; i < samples + 200; i++) {
      const t0 = performance.now();
      const pending = create(s, i);
      // The revision is known only when the commit returns; the listener runs later in any case.
      const { revision } = await pending;
      started.set(revision, t0);
      next = revision;
      await new Promise((r) => setImmediate(r));
    }
    while (w.revision < next) await new Promise((r) => setTimeout(r, 5));
    w.close();
    const measured = lat.slice(200);
    return { p50: percentile(measured, 50), p99: percentile(measured, 99) };
  });
}

async function memoryUse(driver: string): Promise<Record<string, number>> {
  const collect = gc();
  const dir = driver === 'file' ? tempDir() : undefined;
  try {
    const s = await openStore(dir ? `file:${dir}` : 'memory:');
    const ports = Array.from({ length: 1000 }, (_, i) => port(i)); // warm the validators
    await s.commit(ports.slice(0, 10).map((object) => ({ kind: 'create', table: 'logical_port', object })));
    collect();
    const base = process.memoryUsage();
    const t0 = performance.now();
    for (let b = 0; b < LARGE / 1000; b++) {
      await s.commit(
        Array.from({ length: 1000 }, (_, i) => ({
          kind: 'create',
          table: 'logical_port',
          object: port(b * 1000 + i + 10),
        })),
      );
    }
    const loadMs = performance.now() - t0;
    collect();
    const used = process.memoryUsage();
    const listed = (
      await s.list('logical_port', { index: { name: 'network', value: networks[0] as string } })
    ).items.length;
    await s.close();
    return {
      rssMiB: (used.rss - base.rss) / 2 ** 20,
      heapMiB: (used.heapUsed - base.heapUsed) / 2 ** 20,
      loadMs,
      listed,
    };
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

/** Fills a file store with 100,000 ports, then times opening it. */
async function openTime(mode: string): Promise<Record<string, number>> {
  const dir = tempDir();
  try {
    // 'log': one large log (no rotation), all replayed; 'snapshot': the default rotation, so most
    // of the state comes from a snapshot.
    const options = mode === 'log' ? { file: { maxWalBytes: 2 ** 31 } } : {};
    const s = await openStore(`file:${dir}`, options);
    for (let b = 0; b < LARGE / 1000; b++) {
      await s.commit(
        Array.from({ length: 1000 }, (_, i) => ({
          kind: 'create',
          table: 'logical_port',
          object: port(b * 1000 + i),
        })),
      );
    }
    await s.close();
    const times: number[] = [];
    for (let r = 0; r < 3; r++) {
      const t0 = performance.now();
      const again = await openStore(`file:${dir}`);
      times.push(performance.now() - t0);
      await again.close();
    }
    return { openMs: median(times) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The disk's own ceiling: sequential 700-byte O_DSYNC appends (what one log frame per commit costs). */
async function disk(): Promise<Record<string, number>> {
  const dir = tempDir();
  try {
    const fh = await open(join(dir, 'probe'), constants.O_RDWR | constants.O_CREAT | constants.O_DSYNC);
    const buf = Buffer.alloc(700, 0x61);
    const n = 2000;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await fh.write(buf, 0, buf.length, i * buf.length);
    const rate = (n / (performance.now() - t0)) * 1000;
    await fh.close();
    return { rate };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const parts: Record<string, (arg: string) => Promise<Record<string, number>>> = {
  disk,
  writes,
  latency,
  memory: memoryUse,
  open: openTime,
};

// ---- driver ------------------------------------------------------------------------------------

function runPart(part: string, arg: string): Record<string, number> {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', new URL(import.meta.url).pathname, `${part}:${arg}`],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  if (r.status !== 0 || !line.startsWith('{'))
    throw new Error(`${part}:${arg} failed (${r.status}): ${r.stdout}`);
  return JSON.parse(line) as Record<string, number>;
}

function medianOf(results: Record<string, number>[], key: string): number {
  return median(results.map((r) => r[key] ?? Number.NaN));
}

const sub = process.argv[2]?.includes(':') ? process.argv[2] : undefined;
if (sub) {
  const [part = '', arg = ''] = sub.split(':');
  const fn = parts[part];
  if (!fn) throw new Error(`unknown part ${part}`);
  console.log(JSON.stringify(await fn(arg)));
} else {
  console.log(machineLine());
  console.log(`${RUNS} runs per figure, medians; each run in a fresh process\n`);
  const d = Array.from({ length: RUNS }, () => runPart('disk', ''));
  console.log(`disk ceiling: sequential 700-byte O_DSYNC writes/s ${fmt(medianOf(d, 'rate'))}`);
  for (const driver of ['memory', 'file']) {
    const w = Array.from({ length: RUNS }, () => runPart('writes', driver));
    const l = Array.from({ length: RUNS }, () => runPart('latency', driver));
    console.log(`${driver}:`);
    console.log(`  single-object writes/s, sequential awaits   ${fmt(medianOf(w, 'sequential'))}`);
    console.log(`  single-object writes/s, 8 concurrent writers ${fmt(medianOf(w, 'concurrent8'))}`);
    console.log(
      `  watch delivery latency p50 / p99 (ms)        ${fmt(medianOf(l, 'p50'), 3)} / ${fmt(medianOf(l, 'p99'), 3)}`,
    );
  }
  for (const driver of ['memory', 'file']) {
    const m = Array.from({ length: Math.min(RUNS, 3) }, () => runPart('memory', driver));
    console.log(
      `${driver}: ${fmt(LARGE)} logical ports resident: RSS +${fmt(medianOf(m, 'rssMiB'))} MiB, heapUsed +${fmt(medianOf(m, 'heapMiB'))} MiB (loaded in ${fmt(medianOf(m, 'loadMs'))} ms, 1,000 per commit; ${fmt(medianOf(m, 'listed'))} under one network)`,
    );
  }
  for (const mode of ['snapshot', 'log']) {
    const o = Array.from({ length: Math.min(RUNS, 3) }, () => runPart('open', mode));
    console.log(
      `file: open ${fmt(LARGE)} ports from ${mode === 'log' ? 'the log alone' : 'snapshot + log'}: ${fmt(medianOf(o, 'openMs'))} ms`,
    );
  }
}
