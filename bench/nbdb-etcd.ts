// The etcd driver of @weir/nbdb against a raw etcd3 client doing the same writes, in one run, on
// one private etcd: single-object writes/s (sequential and 8 in flight), watch delivery latency,
// and listing 100,000 objects (time and client memory).
//   node --import tsx bench/nbdb-etcd.ts [writesPerRun] [runs] [objects]
// Goal: our layer's overhead <= 1.2x the raw client's (same keys, same bytes, same round trips).
//
// "The same writes": for every object our layer writes, the raw client sends the transaction a
// careful hand-written etcd client would send — the same keys (object, locator, index entries)
// with the same values, and the same compare (the id is free; for an update, the version is
// unchanged). A bare one-key put of the object's JSON is measured too, as the floor.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Etcd3, type ICompare, type IRequestOp } from 'etcd3';
import { EtcdInstance } from '@weir/lab';
import {
  indexValues,
  type LogicalPort,
  type LogicalSwitch,
  type ModelObject,
  type TableName,
} from '@weir/model';
import { keyLayout, openStore, type Store, type WatchBatch } from '@weir/nbdb';
import { fmt, machineLine, median, percentile } from './lib/stats.js';

const LIST_CLIENT = process.argv[2] === '--list-client';
const WRITES = Number(process.argv[2] ?? 2000);
const RUNS = Number(process.argv[3] ?? 5);
const OBJECTS = Number(process.argv[4] ?? 100_000);
const CONCURRENCY = 8;
const NOW = '2026-01-01T00:00:00.000Z';
const TOPICS = Array.from({ length: 10 }, (_, i) => `${i}`.padStart(32, 'b'));

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const base = (topic: string) => ({
  id: randomUUID(),
  topic,
  version: 0,
  uniqueKey: 1,
  name: 'bench',
  description: '',
  tags: [],
  createdAt: NOW,
  updatedAt: NOW,
});

const network = (): LogicalSwitch => ({
  ...base(TOPICS[0] as string),
  networkType: 'geneve',
  segmentationId: 100,
  mtu: 1442,
  external: false,
  shared: false,
  portSecurityEnabled: true,
  adminStateUp: true,
  status: 'ACTIVE',
  availabilityZoneHints: [],
});

/** A port as core creates one: a fixed IP, a security group, bound to a host, owned by a device. */
let portCount = 0;
const port = (topic: string, networkId: string): LogicalPort => {
  const n = ++portCount;
  const mac = [2, 0, (n >> 16) & 255, (n >> 8) & 255, n & 255, 1].map((b) => b.toString(16).padStart(2, '0'));
  return {
    ...base(topic),
    networkId,
    macAddress: mac.join(':'),
    fixedIps: [{ subnetId: networkId, ipAddress: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}` }],
    binding: { hostId: `node-${n % 50}`, vnicType: 'normal', vifType: 'ovs', vifDetails: {}, profile: {} },
    deviceOwner: 'compute:nova',
    deviceId: randomUUID(),
    securityGroups: [networkId],
    portSecurityEnabled: true,
    allowedAddressPairs: [],
    status: 'DOWN',
    adminStateUp: true,
    dnsName: '',
  };
};

// ---- the raw client's equivalent of our writes ----------------------------------------------------

const RAW = keyLayout('bench/raw');
const B = (s: string): Buffer => Buffer.from(s);
const json = (o: ModelObject): Buffer => {
  const { version: _v, ...rest } = o;
  return B(JSON.stringify(rest));
};

/** Object, locator and index entries of `o`: exactly the keys our layer puts for a create. */
function createTxn(table: TableName, o: ModelObject): { compare: ICompare[]; success: IRequestOp[] } {
  const success: IRequestOp[] = [
    { request_put: { key: B(RAW.object(table, o.topic, o.id)), value: json(o) } },
    { request_put: { key: B(RAW.locator(table, o.id)), value: B(o.topic) } },
  ];
  for (const [name, values] of Object.entries(indexValues(table, o as never))) {
    for (const v of new Set(values))
      success.push({ request_put: { key: B(RAW.indexEntry(table, name, v, o.id)), value: B(o.topic) } });
  }
  const compare: ICompare[] = [
    { key: B(RAW.locator(table, o.id)), target: 'Create', result: 'Equal', create_revision: 0 },
  ];
  return { compare, success };
}

// ---- measurements ---------------------------------------------------------------------------------

/** Runs `count` writes, `inFlight` at a time; returns writes per second. */
async function rate(
  count: number,
  inFlight: number,
  write: (i: number, worker: number) => Promise<unknown>,
): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async (_, worker) => {
      while (next < count) await write(next++, worker);
    }),
  );
  return count / ((performance.now() - t0) / 1000);
}

type Write = (i: number, worker: number) => Promise<unknown>;
type Case = { label: string; ours: Write; raw: Write };

async function writeCases(store: Store, raw: Etcd3): Promise<Case[]> {
  const nets = (): LogicalSwitch[] => Array.from({ length: WRITES }, network);
  const netId = randomUUID();
  const ports = (): LogicalPort[] => Array.from({ length: WRITES }, () => port(TOPICS[0] as string, netId));
  // Objects are built before each timed loop, outside the timing.
  let a: LogicalSwitch[] = [];
  let b: LogicalSwitch[] = [];
  let pa: LogicalPort[] = [];
  let pb: LogicalPort[] = [];
  // Updates: each writer renames its own stored port (a CAS on the version it holds).
  const mine: LogicalPort[] = [];
  const rawPorts: { port: LogicalPort; key: Buffer; version: number }[] = [];
  for (let w = 0; w < CONCURRENCY; w++) {
    const stored = await store.commit([
      { kind: 'create', table: 'logical_port', object: port(TOPICS[0] as string, netId) },
    ]);
    mine.push(stored.written[0] as LogicalPort);
    const p = port(TOPICS[0] as string, netId);
    const r = await raw.kv.txn(createTxn('logical_port', p));
    rawPorts.push({
      port: p,
      key: B(RAW.object('logical_port', p.topic, p.id)),
      version: Number(r.header.revision),
    });
  }
  return [
    {
      label: 'network create (2 keys)',
      ours: (i) => {
        if (i === 0) a = nets();
        return store.commit([{ kind: 'create', table: 'logical_switch', object: a[i] as LogicalSwitch }]);
      },
      raw: (i) => {
        if (i === 0) b = nets();
        return raw.kv.txn(createTxn('logical_switch', b[i] as LogicalSwitch));
      },
    },
    {
      label: 'port create (7 keys)',
      ours: (i) => {
        if (i === 0) pa = ports();
        return store.commit([{ kind: 'create', table: 'logical_port', object: pa[i] as LogicalPort }]);
      },
      raw: (i) => {
        if (i === 0) pb = ports();
        return raw.kv.txn(createTxn('logical_port', pb[i] as LogicalPort));
      },
    },
    {
      label: 'port update, CAS (1 key)',
      ours: async (i, w) => {
        const object = { ...(mine[w] as LogicalPort), name: `n${i}` };
        const r = await store.commit([{ kind: 'update', table: 'logical_port', object }]);
        mine[w] = r.written[0] as LogicalPort;
      },
      raw: async (i, w) => {
        const p = rawPorts[w] as (typeof rawPorts)[number];
        const r = await raw.kv.txn({
          compare: [{ key: p.key, target: 'Mod', result: 'Equal', mod_revision: p.version }],
          success: [{ request_put: { key: p.key, value: json({ ...p.port, name: `n${i}` }) } }],
        });
        if (!r.succeeded) throw new Error('raw CAS lost');
        p.version = Number(r.header.revision);
      },
    },
    {
      label: 'floor: bare put of a port JSON',
      ours: () => Promise.resolve(),
      raw: (i) => {
        const p = pb[i % pb.length] as LogicalPort;
        return raw.kv.put({ key: B(RAW.object('logical_port', p.topic, `floor-${i}`)), value: json(p) });
      },
    },
  ];
}

async function watchLatency(
  writer: Store,
  watcher: Store,
  raw: Etcd3,
  n: number,
): Promise<{ ours: number[]; raw: number[] }> {
  const ours: number[] = [];
  let waiting: ((b: WatchBatch) => void) | undefined;
  const w = watcher.watch({ tables: ['logical_switch'], fromRevision: await writer.revision() }, (b) =>
    waiting?.(b),
  );
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const delivered = new Promise<number>((resolve) => (waiting = () => resolve(performance.now())));
    await writer.commit([{ kind: 'create', table: 'logical_switch', object: network() }]);
    ours.push((await delivered) - t0);
  }
  w.close();
  const rawLat: number[] = [];
  let rawWaiting: (() => void) | undefined;
  // The raw side writes what our create writes (the same transaction) and watches the objects.
  const rw = await raw.watch().prefix(RAW.objects('logical_switch')).create();
  rw.on('put', () => rawWaiting?.());
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const delivered = new Promise<number>((resolve) => (rawWaiting = () => resolve(performance.now())));
    await raw.kv.txn(createTxn('logical_switch', network()));
    rawLat.push((await delivered) - t0);
  }
  await rw.cancel();
  return { ours, raw: rawLat };
}

async function listing(store: Store, raw: Etcd3, url: string): Promise<void> {
  const netIds = Array.from({ length: 100 }, () => randomUUID());
  const t0 = performance.now();
  for (let done = 0; done < OBJECTS;) {
    const batch = Math.min(1000, OBJECTS - done);
    const ops = Array.from({ length: batch }, (_, i) => ({
      kind: 'create' as const,
      table: 'logical_port' as const,
      object: port(
        TOPICS[(done + i) % TOPICS.length] as string,
        netIds[(done + i) % netIds.length] as string,
      ),
    }));
    await store.commit(ops);
    done += batch;
  }
  const loadSeconds = (performance.now() - t0) / 1000;
  console.log(`loaded ${fmt(OBJECTS)} ports in commits of 1,000: ${fmt(OBJECTS / loadSeconds)} ports/s`);

  const times = { all: [] as number[], raw: [] as number[], topic: [] as number[], index: [] as number[] };
  for (let run = 0; run < 3; run++) {
    let t = performance.now();
    const all = await store.list('logical_port');
    times.all.push(performance.now() - t);
    if (all.items.length !== OBJECTS) throw new Error(`listed ${all.items.length}`);
    t = performance.now();
    const r = await raw.kv.range({
      key: B('bench/list/o/logical_port/'),
      range_end: B('bench/list/o/logical_port0'),
    });
    const parsed = r.kvs.map((kv) => JSON.parse(kv.value.toString()) as unknown);
    times.raw.push(performance.now() - t);
    if (parsed.length !== all.items.length)
      throw new Error(`raw list differs: ${parsed.length} vs ${all.items.length}`);
    t = performance.now();
    await store.list('logical_port', { topic: TOPICS[0] as string });
    times.topic.push(performance.now() - t);
    t = performance.now();
    await store.list('logical_port', { index: { name: 'network', value: netIds[0] as string } });
    times.index.push(performance.now() - t);
  }
  const ms = (xs: number[]): string => `${fmt(median(xs))} ms`;
  console.log(
    `list ${fmt(OBJECTS)} ports: ours ${ms(times.all)}, raw range + JSON.parse ${ms(times.raw)} (${(median(times.all) / median(times.raw)).toFixed(2)}x)`,
  );
  console.log(
    `list by topic (${fmt(OBJECTS / TOPICS.length)}): ${ms(times.topic)}; by index (${fmt(OBJECTS / netIds.length)} ports of a network): ${ms(times.index)}`,
  );
  // Memory in a fresh process, so nothing of the writes above is counted.
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', new URL(import.meta.url).pathname, '--list-client', url],
    {
      encoding: 'utf8',
    },
  );
  if (child.status !== 0) throw new Error(`list client failed: ${child.stderr}`);
  const m = JSON.parse(child.stdout) as {
    ms: number;
    count: number;
    rssBefore: number;
    rssAfter: number;
    heapAfter: number;
    heapBefore: number;
  };
  const mib = (b: number): string => fmt(b / 2 ** 20);
  console.log(
    `a fresh client listing ${fmt(m.count)} ports: ${fmt(m.ms)} ms; RSS ${mib(m.rssBefore)} -> ${mib(m.rssAfter)} MiB (+${mib(m.rssAfter - m.rssBefore)}), heap +${mib(m.heapAfter - m.heapBefore)} MiB while holding them`,
  );
}

/** Child mode: open a client, list every port once, report time and memory (as JSON). */
async function listClient(url: string): Promise<void> {
  const store = await openStore(url);
  await store.revision();
  gc();
  const before = process.memoryUsage();
  const t = performance.now();
  const { items } = await store.list('logical_port');
  const ms = performance.now() - t;
  gc();
  const after = process.memoryUsage();
  process.stdout.write(
    JSON.stringify({
      ms,
      count: items.length,
      rssBefore: before.rss,
      rssAfter: after.rss,
      heapBefore: before.heapUsed,
      heapAfter: after.heapUsed,
    }),
  );
  await store.close();
}

async function main(): Promise<void> {
  console.log(machineLine());
  const etcd = await EtcdInstance.start({ name: `bench-${process.pid}` });
  const url = `etcd://127.0.0.1:${etcd.clientPort}/bench/weir`;
  const store = await openStore(url);
  const watcher = await openStore(url);
  const raw = new Etcd3({
    hosts: etcd.endpoints,
    grpcOptions: { 'grpc.max_receive_message_length': 1 << 30 },
  });
  try {
    const cases = await writeCases(store, raw);
    for (const inFlight of [1, CONCURRENCY]) {
      console.log(
        `\nsingle-object writes/s, ${inFlight === 1 ? 'sequential' : `${inFlight} in flight`} (median of ${RUNS} runs of ${fmt(WRITES)})`,
      );
      for (const c of cases) {
        const ours: number[] = [];
        const rawRates: number[] = [];
        await rate(Math.min(200, WRITES), inFlight, c.ours); // warm-up
        await rate(Math.min(200, WRITES), inFlight, c.raw);
        for (let run = 0; run < RUNS; run++) {
          // Alternate which side goes first, so drift on a shared machine hits both.
          if (run % 2 === 0) {
            ours.push(await rate(WRITES, inFlight, c.ours));
            rawRates.push(await rate(WRITES, inFlight, c.raw));
          } else {
            rawRates.push(await rate(WRITES, inFlight, c.raw));
            ours.push(await rate(WRITES, inFlight, c.ours));
          }
        }
        const o = median(ours);
        const r = median(rawRates);
        console.log(
          c.label.startsWith('floor')
            ? `  ${c.label.padEnd(32)} raw ${fmt(r).padStart(7)}/s`
            : `  ${c.label.padEnd(32)} ours ${fmt(o).padStart(7)}/s   raw ${fmt(r).padStart(7)}/s   overhead ${(r / o).toFixed(2)}x`,
        );
      }
    }
    const lat = { ours: [] as number[], raw: [] as number[] };
    for (let run = 0; run < RUNS; run++) {
      const l = await watchLatency(store, watcher, raw, 300);
      lat.ours.push(...l.ours);
      lat.raw.push(...l.raw);
    }
    const p = (xs: number[], q: number): string => `${percentile(xs, q).toFixed(2)} ms`;
    console.log(
      `\nwatch delivery (write start -> listener, ${fmt(lat.ours.length)} writes): ours p50 ${p(lat.ours, 50)} p99 ${p(lat.ours, 99)}; raw p50 ${p(lat.raw, 50)} p99 ${p(lat.raw, 99)}; p50 ratio ${(median(lat.ours) / median(lat.raw)).toFixed(2)}x`,
    );
    console.log('');
    const listUrl = `etcd://127.0.0.1:${etcd.clientPort}/bench/list`;
    const lister = await openStore(listUrl);
    try {
      await listing(lister, raw, listUrl);
    } finally {
      await lister.close();
    }
  } finally {
    raw.close();
    await store.close();
    await watcher.close();
    await etcd.stop();
  }
}

if (LIST_CLIENT) await listClient(process.argv[3] ?? '');
else await main();
