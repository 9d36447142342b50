// A benchmark cluster: N real nodes (LabCluster: ovsdb-server + ovs-vswitchd each, an underlay),
// the Neutron API, and one Weir controller per node — in one process on the embedded store
// (`memory`, Weir's all-in-one mode), or as separate processes on a private etcd (`etcd`: the API
// server and every controller their own process, so each controller's RSS and CPU are its own).
// The driver (this process) keeps a store client of its own to write fills fast (core, no HTTP)
// and to see port status changes the moment they are committed.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningServer } from '@weir/api';
import { createContext, type CoreContext } from '@weir/core';
import { daemonEnv, labNodeController } from '@weir/cli';
import type { ControllerStats, LocalController } from '@weir/controller';
import { EtcdInstance, LabCluster, run, type LabNode } from '@weir/lab';
import { openStore, type Store, type Watch } from '@weir/nbdb';
import {
  OvsdbClient,
  ensurePort,
  openVswitchSchema,
  type OpenVswitchTables,
  type OvsdbDatabase,
} from '@weir/ovsdb';
import { callJson, spawnWeirServer } from './http.js';
import { UNLIMITED_QUOTAS, startInProcessApi } from './in-process-api.js';

const root = new URL('../..', import.meta.url).pathname;
const WEIR = join(root, 'packages/cli/bin/weir.mjs');

export type BenchMode = 'memory' | 'etcd';

export interface ControllerFigures {
  readonly flows: number;
  readonly localPorts: number;
  readonly heldPorts: number;
  readonly recomputes: number;
  /** etcd mode: the controller process's resident set and its peak, in MiB. */
  readonly rssMiB?: number;
  readonly peakRssMiB?: number;
  /** etcd mode: the controller process's V8 heap in use and its buffers outside the heap, MiB. */
  readonly heapUsedMiB?: number;
  readonly externalMiB?: number;
  /** etcd mode: CPU seconds (user + system) the controller process has used (its /metrics). */
  readonly cpuSeconds?: number;
  /** etcd mode: seconds of that CPU spent in V8's garbage collector. */
  readonly gcSeconds?: number;
}

/** Waits on port status as the store reports it (a watch in this process). */
export class StatusWatch {
  private readonly status = new Map<string, string>();
  private readonly waiters = new Map<string, () => void>();
  private readonly watch: Watch;

  constructor(store: Store) {
    this.watch = store.watch({ tables: ['logical_port'] }, (batch) => {
      for (const e of batch.events) {
        if (e.type === 'put' && e.table === 'logical_port') {
          const p = e.object as { id: string; status: string };
          this.status.set(p.id, p.status);
          if (p.status === 'ACTIVE') {
            this.waiters.get(p.id)?.();
            this.waiters.delete(p.id);
          }
        } else if (e.type === 'delete') this.status.delete(e.prev.id);
      }
    });
  }

  isActive(id: string): boolean {
    return this.status.get(id) === 'ACTIVE';
  }

  active(id: string, timeoutMs = 60_000): Promise<number> {
    if (this.isActive(id)) return Promise.resolve(performance.now());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`port ${id} not ACTIVE within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiters.set(id, () => {
        clearTimeout(timer);
        resolve(performance.now());
      });
    });
  }

  async allActive(ids: readonly string[], timeoutMs: number): Promise<void> {
    await Promise.all(ids.map((id) => this.active(id, timeoutMs)));
  }

  close(): void {
    this.watch.close();
  }
}

/** What a benchmark drives: real OVS nodes (BenchCluster) or fake switches (FakeCluster). */
export interface ClusterLike {
  readonly status: StatusWatch;
  readonly ctx: CoreContext;
  plugMany(nodeIndex: number, portIds: readonly string[]): Promise<void>;
  plugOne(nodeIndex: number, portId: string): Promise<void>;
  call<T>(method: string, path: string, body?: unknown): Promise<T>;
  controller(i: number): Promise<ControllerFigures>;
  flowCount(nodeIndex: number): Promise<number>;
  stop(): Promise<void>;
}

export class BenchCluster implements ClusterLike {
  private readonly ovsdb = new Map<
    number,
    Promise<{ client: OvsdbClient; db: OvsdbDatabase<OpenVswitchTables> }>
  >();
  readonly status: StatusWatch;
  private plugSeq = 0;

  private constructor(
    readonly mode: BenchMode,
    readonly lab: LabCluster,
    /** The driver's own store client (fills, status). */
    readonly store: Store,
    readonly ctx: CoreContext,
    readonly api: string,
    private readonly parts: {
      readonly server?: RunningServer;
      readonly serverChild?: ChildProcess;
      readonly etcd?: EtcdInstance;
      readonly controllers: LocalController[];
      readonly controllerStores: Store[];
      readonly children: ChildProcess[];
      readonly metricsPorts: number[];
      readonly dir: string;
    },
  ) {
    this.status = new StatusWatch(store);
  }

  static async start(options: {
    readonly mode: BenchMode;
    readonly nodes: number;
    readonly name: string;
  }): Promise<BenchCluster> {
    const dir = mkdtempSync(join(tmpdir(), 'weir-bench-'));
    // --enable-dummy: the bench plugs `type=dummy` ports (no kernel device each), as OVN's peer does.
    const lab = await LabCluster.start({
      name: options.name,
      nodes: options.nodes,
      vswitchdArgs: ['--enable-dummy'],
    });
    try {
      if (options.mode === 'memory') {
        const url = `memory:bench-${options.name}`;
        const { store, ctx, server } = await startInProcessApi(url);
        const controllers: LocalController[] = [];
        const controllerStores: Store[] = [];
        for (const node of lab.nodes) {
          const s = await openStore(url);
          controllerStores.push(s);
          const c = labNodeController(node, s);
          await c.start();
          controllers.push(c);
        }
        return new BenchCluster('memory', lab, store, ctx, server.urls.network, {
          server,
          controllers,
          controllerStores,
          children: [],
          metricsPorts: [],
          dir,
        });
      }
      const etcd = await EtcdInstance.start({ name: `bench-${options.name}` });
      const db = `etcd://${etcd.endpoint.replace(/^https?:\/\//, '')}`;
      const store = await openStore(db);
      const configFile = join(dir, 'server.yaml');
      writeFileSync(
        configFile,
        `db: "${db}"\nauth: none\nlog_level: error\nlisten: { network: "127.0.0.1:0", load_balancer: "127.0.0.1:0", identity: "127.0.0.1:0" }\ncore: { quotas: { network: -1, subnet: -1, port: -1 } }\n`,
      );
      const { child: serverChild, url } = await spawnServer(configFile, dir);
      const children: ChildProcess[] = [];
      const metricsPorts: number[] = [];
      for (const node of lab.nodes) {
        const port = 30000 + Math.floor(Math.random() * 20000);
        const log = openSync(join(dir, `n${node.index}.log`), 'a');
        const child = spawn(
          process.execPath,
          [
            ...(process.env.WEIR_BENCH_CONTROLLER_NODE_FLAGS ?? '').split(' ').filter(Boolean),
            WEIR,
            'controller',
            ...[
              '--db',
              db,
              '--chassis',
              `n${node.index}`,
              '--ovsdb',
              node.dbTarget,
              '--tunnel-ip',
              node.tunnelIp,
            ],
            ...[
              '--openflow',
              node.controllerTarget,
              '--datapath-type',
              'netdev',
              '--metrics-listen',
              `127.0.0.1:${port}`,
            ],
            ...['--log-level', 'warn'],
          ],
          { stdio: ['ignore', log, log], env: daemonEnv() },
        );
        closeSync(log);
        children.push(child);
        metricsPorts.push(port);
        await waitHttp(`http://127.0.0.1:${port}/readyz`, 60_000);
      }
      return new BenchCluster(
        'etcd',
        lab,
        store,
        createContext(store, { defaultQuotas: UNLIMITED_QUOTAS }),
        url,
        {
          serverChild,
          etcd,
          controllers: [],
          controllerStores: [],
          children,
          metricsPorts,
          dir,
        },
      );
    } catch (error) {
      await lab.stop();
      throw error;
    }
  }

  get nodes(): readonly LabNode[] {
    return this.lab.nodes;
  }

  /**
   * Plugs many interfaces on a node, as dummy ports carrying the port ids: OVSDB transactions of
   * 500 inserts from this process (ovs-vsctl reads every port of the bridge on each call, which
   * at thousands of ports starves the 2-core machine).
   */
  async plugMany(nodeIndex: number, portIds: readonly string[]): Promise<void> {
    const { db } = await this.ovsdbOf(nodeIndex);
    for (let i = 0; i < portIds.length; i += 500) {
      const txn = db.transaction();
      const refs = portIds.slice(i, i + 500).map((id) => {
        const name = `w${this.plugSeq++}`;
        const iface = txn.insert('Interface', {
          name,
          type: 'dummy',
          external_ids: new Map([['iface-id', id]]),
        });
        return txn.insert('Port', { name, interfaces: [iface.ref] }).ref;
      });
      txn.mutate('Bridge', [['name', '==', 'br-int']], [['ports', 'insert', refs]]);
      await txn.execute();
    }
  }

  private ovsdbOf(nodeIndex: number): Promise<{ client: OvsdbClient; db: OvsdbDatabase<OpenVswitchTables> }> {
    // The promise is kept, not the client: concurrent plugs on one node share one connection.
    let c = this.ovsdb.get(nodeIndex);
    if (c === undefined) {
      c = OvsdbClient.connect({ target: this.lab.node(nodeIndex).dbTarget }).then((client) => ({
        client,
        db: client.database(openVswitchSchema),
      }));
      this.ovsdb.set(nodeIndex, c);
    }
    return c;
  }

  /** Plugs one interface in one OVSDB transaction from this process (as os-vif or a CNI would). */
  async plugOne(nodeIndex: number, portId: string): Promise<void> {
    const c = await this.ovsdbOf(nodeIndex);
    await ensurePort(c.db, {
      bridge: 'br-int',
      name: `w${this.plugSeq++}`,
      type: 'dummy',
      externalIds: { 'iface-id': portId },
    });
  }

  call<T>(method: string, path: string, body?: unknown): Promise<T> {
    return callJson<T>(this.api, method, path, body);
  }

  /** Figures of node `i`'s controller (1-based). */
  async controller(i: number): Promise<ControllerFigures> {
    if (this.mode === 'memory') {
      const s: ControllerStats | undefined = this.parts.controllers[i - 1]?.stats();
      if (s === undefined) throw new Error(`no controller ${i}`);
      return {
        flows: s.desiredFlows,
        localPorts: s.localPorts,
        heldPorts: s.topology.ports,
        recomputes: Object.values(s.engine.nodes).reduce((n, x) => n + x.recomputes, 0),
      };
    }
    const port = this.parts.metricsPorts[i - 1];
    const child = this.parts.children[i - 1];
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const sum = (name: string): number =>
      [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))].reduce(
        (n, m) => n + Number(m[1]),
        0,
      );
    const proc = processFigures(child?.pid);
    return {
      flows: sum('weir_controller_desired_flows'),
      localPorts: sum('weir_controller_local_ports'),
      heldPorts: sum('weir_topology_ports'),
      recomputes: sum('weir_engine_node_recomputes_total'),
      heapUsedMiB: sum('weir_process_heap_used_bytes') / 2 ** 20,
      externalMiB: sum('weir_process_external_bytes') / 2 ** 20,
      cpuSeconds: sum('weir_process_cpu_seconds_total'),
      gcSeconds: sum('weir_process_gc_seconds_total'),
      ...proc,
    };
  }

  /** In memory mode: the in-process controllers (for settled()). */
  get inProcessControllers(): readonly LocalController[] {
    return this.parts.controllers;
  }

  /** Node `i`'s installed flows as `ovs-ofctl` text (for the raw install baseline). */
  async dumpFlows(nodeIndex: number): Promise<string> {
    return run('ovs-ofctl', [
      '-O',
      'OpenFlow13',
      '--no-stats',
      'dump-flows',
      `unix:${this.lab.node(nodeIndex).ovs.mgmtSocketPath('br-int')}`,
    ]);
  }

  async flowCount(nodeIndex: number): Promise<number> {
    const out = await run('ovs-ofctl', [
      '-O',
      'OpenFlow13',
      'dump-aggregate',
      `unix:${this.lab.node(nodeIndex).ovs.mgmtSocketPath('br-int')}`,
    ]);
    return Number(/flow_count=(\d+)/.exec(out)?.[1] ?? 0);
  }

  async stop(): Promise<void> {
    this.status.close();
    for (const c of this.ovsdb.values()) (await c.catch(() => undefined))?.client.close();
    for (const c of this.parts.controllers) await c.stop().catch(() => undefined);
    for (const s of this.parts.controllerStores) await s.close().catch(() => undefined);
    for (const child of [
      ...this.parts.children,
      ...(this.parts.serverChild ? [this.parts.serverChild] : []),
    ]) {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
    }
    await this.parts.server?.close().catch(() => undefined);
    await this.store.close().catch(() => undefined);
    await this.parts.etcd?.stop().catch(() => undefined);
    await this.lab.stop();
    rmSync(this.parts.dir, { recursive: true, force: true });
  }
}

function processFigures(pid: number | undefined): Pick<ControllerFigures, 'rssMiB' | 'peakRssMiB'> {
  if (pid === undefined) return {};
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string): number =>
      Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMiB: kb('VmRSS') / 1024, peakRssMiB: kb('VmHWM') / 1024 };
  } catch {
    return {};
  }
}

async function spawnServer(configFile: string, dir: string): Promise<{ child: ChildProcess; url: string }> {
  const log = openSync(join(dir, 'server.log'), 'a');
  try {
    return await spawnWeirServer(['--config', configFile], log);
  } finally {
    closeSync(log);
  }
}

async function waitHttp(url: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const ok = await fetch(url).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${url} not ready within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
