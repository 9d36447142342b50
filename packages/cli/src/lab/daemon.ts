// The lab daemon (`weir lab daemon`, started in the background by `weir lab up`): it owns the
// lab's nodes (their namespaces and OVS daemons are reaped if it dies), the store, `weir server`
// and one controller per node, and answers `weir lab status|controller|down` on a unix socket.
//
// Modes:
//   memory   everything in this process: the embedded store (each controller has its own client,
//            so each has its own lease), the API server, the controllers.
//   file     the same on a durable file store, one client shared by all (one process owns a file).
//   etcd     a private etcd; `weir server` and every `weir controller` run as separate processes,
//            so one controller can be killed (SIGKILL) and started on its own.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { loadServerConfig, startServer, type RunningServer } from '@weir/api';
import { serveControllerHttp, type ControllerHttp, type LocalController } from '@weir/controller';
import { EtcdInstance, LabCluster, stopProcess, type LabNode } from '@weir/lab';
import { openStore, type Store } from '@weir/nbdb';
import { jsonLogger } from '../commands/controller.js';
import { labNodeController } from './node-controller.js';
import { cloudsYaml, writeLabState, type LabNodeState, type LabState } from './state.js';
import { daemonEnv } from '../daemon-env.js';

export interface DaemonOptions {
  readonly stateDir: string;
  readonly name: string;
  readonly nodes: number;
  /** memory:, file:PATH or etcd. */
  readonly db: string;
  readonly baseDir: string;
  /** Neutron's port; Octavia's is +1, Keystone's +2. */
  readonly apiPort: number;
  /** Controllers' /metrics port (memory/file: one for all; etcd: +i per node). */
  readonly metricsPort: number;
}

// The weir bin sets WEIR_BIN (the same file runs the sources or the bundle).
const WEIR_BIN = process.env.WEIR_BIN ?? new URL('../../bin/weir.mjs', import.meta.url).pathname;

type Mode = LabState['mode'];

function modeOf(db: string): Mode {
  if (db === 'etcd') return 'etcd';
  if (db.startsWith('file:')) return 'file';
  return 'memory';
}

interface InProcessController {
  controller: LocalController;
  store: Store;
}

export class LabDaemon {
  private state: LabState;
  private cluster: LabCluster | undefined;
  private etcd: EtcdInstance | undefined;
  private sharedStore: Store | undefined;
  private server: RunningServer | undefined;
  private serverChild: ChildProcess | undefined;
  private readonly inProcess = new Map<string, InProcessController>();
  private readonly children = new Map<string, ChildProcess>();
  private metrics: ControllerHttp | undefined;
  private control: Server | undefined;
  private storeUrl = '';
  private stopping: Promise<void> | undefined;
  private readonly log = jsonLogger('lab', 'info');
  private readonly mode: Mode;

  constructor(private readonly options: DaemonOptions) {
    this.mode = modeOf(options.db);
    const p = options.apiPort;
    const endpoints = {
      network: `http://127.0.0.1:${p}`,
      loadBalancer: `http://127.0.0.1:${p + 1}`,
      identity: `http://127.0.0.1:${p + 2}/v3`,
    };
    this.state = {
      name: options.name,
      status: 'starting',
      mode: this.mode,
      db: options.db,
      baseDir: options.baseDir,
      daemonPid: process.pid,
      control: join(options.stateDir, 'control.sock'),
      endpoints,
      clouds: join(options.stateDir, 'clouds.yaml'),
      nodes: [],
      vms: [],
      startedAt: new Date().toISOString(),
    };
  }

  async run(): Promise<void> {
    writeLabState(this.options.stateDir, this.state);
    for (const sig of ['SIGINT', 'SIGTERM'] as const)
      process.once(sig, () => void this.stop().then(() => process.exit(0)));
    try {
      await this.start();
      this.state = { ...this.state, status: 'ready' };
      writeLabState(this.options.stateDir, this.state);
      this.log('info', 'lab ready', { nodes: this.options.nodes, mode: this.mode });
    } catch (error) {
      this.state = { ...this.state, status: 'failed', error: (error as Error).message };
      writeLabState(this.options.stateDir, this.state);
      this.log('error', 'lab failed to start', { error: (error as Error).stack ?? String(error) });
      await this.stop();
      process.exit(1);
    }
  }

  private async start(): Promise<void> {
    const { stateDir } = this.options;
    this.cluster = await LabCluster.start({
      name: this.options.name,
      nodes: this.options.nodes,
      baseDir: this.options.baseDir,
    });
    this.state = { ...this.state, nodes: this.cluster.nodes.map((n) => nodeState(n)) };
    writeLabState(stateDir, this.state);

    if (this.mode === 'etcd') {
      this.etcd = await EtcdInstance.start({
        name: `lab-${this.options.name}`,
        baseDir: this.options.baseDir,
      });
      this.storeUrl = `etcd://${this.etcd.endpoint.replace(/^https?:\/\//, '')}`;
      this.state = { ...this.state, db: this.storeUrl, ...(await this.etcdPid()) };
    } else {
      this.storeUrl = this.mode === 'memory' ? `memory:lab-${this.options.name}` : this.options.db;
      this.sharedStore = await openStore(this.storeUrl);
    }
    writeFileSync(join(stateDir, 'server.yaml'), this.serverConfigYaml());
    await this.startServer();
    for (const node of this.cluster.nodes) await this.startController(node);
    if (this.mode !== 'etcd') {
      this.metrics = await serveControllerHttp({ host: '127.0.0.1', port: this.options.metricsPort }, () =>
        [...this.inProcess.values()].map((c) => c.controller),
      );
      this.state = { ...this.state, metrics: `${this.metrics.url}/metrics` };
    }
    writeFileSync(this.state.clouds, cloudsYaml(this.state.endpoints));
    await this.serveControl();
  }

  private async etcdPid(): Promise<{ etcdPid?: number }> {
    const pid = await this.etcd?.pid();
    return pid === undefined ? {} : { etcdPid: pid };
  }

  private serverConfigYaml(): string {
    const p = this.options.apiPort;
    return [
      `db: ${JSON.stringify(this.storeUrl)}`,
      'auth: none',
      'log_level: warn',
      'listen:',
      `  network: 127.0.0.1:${p}`,
      `  load_balancer: 127.0.0.1:${p + 1}`,
      `  identity: 127.0.0.1:${p + 2}`,
      // A lab is for experiments and benchmarks: no quota gets in the way (checks still run).
      'core:',
      '  quotas: { network: -1, subnet: -1, port: -1, router: -1, floatingip: -1, security_group: -1, security_group_rule: -1 }',
      '',
    ].join('\n');
  }

  private async startServer(): Promise<void> {
    const configFile = join(this.options.stateDir, 'server.yaml');
    if (this.mode !== 'etcd') {
      this.server = await startServer(loadServerConfig(configFile), {
        ...(this.sharedStore ? { store: this.sharedStore } : {}),
      });
      return;
    }
    const child = this.spawnWeir('server', ['server', '--config', configFile]);
    this.serverChild = child;
    this.state = { ...this.state, ...(child.pid === undefined ? {} : { serverPid: child.pid }) };
    await waitHttp(`${this.state.endpoints.network}/healthz`, 60_000, () => child.exitCode !== null);
  }

  private spawnWeir(logName: string, args: readonly string[]): ChildProcess {
    const log = openSync(join(this.options.stateDir, `${logName}.log`), 'a');
    const child = spawn(process.execPath, [WEIR_BIN, ...args], {
      stdio: ['ignore', log, log],
      env: daemonEnv(),
    });
    closeSync(log);
    child.on('exit', (code, signal) => this.log('info', `${logName} exited`, { code, signal }));
    return child;
  }

  private nodeByName(name: string): LabNode | undefined {
    return this.cluster?.nodes.find((n) => `n${n.index}` === name);
  }

  async startController(node: LabNode): Promise<void> {
    const chassis = `n${node.index}`;
    if (this.mode === 'etcd') {
      if (this.children.get(chassis)?.exitCode === null) return;
      const port = this.options.metricsPort + node.index;
      const child = this.spawnWeir(chassis, [
        'controller',
        ...['--db', this.storeUrl, '--chassis', chassis, '--ovsdb', node.dbTarget],
        ...['--tunnel-ip', node.tunnelIp, '--openflow', node.controllerTarget, '--datapath-type', 'netdev'],
        ...['--metrics-listen', `127.0.0.1:${port}`],
      ]);
      this.children.set(chassis, child);
      await waitHttp(`http://127.0.0.1:${port}/readyz`, 60_000, () => child.exitCode !== null);
      this.setNode(chassis, {
        controller: 'running',
        ...(child.pid === undefined ? {} : { controllerPid: child.pid }),
      });
      return;
    }
    if (this.inProcess.has(chassis)) return;
    // memory: a client of its own (its own lease); file: the one client this process may have.
    const store = this.mode === 'memory' ? await openStore(this.storeUrl) : (this.sharedStore as Store);
    const controller = labNodeController(node, store, { log: jsonLogger(`controller/${chassis}`, 'warn') });
    await controller.start();
    this.inProcess.set(chassis, { controller, store });
    this.setNode(chassis, { controller: 'running' });
  }

  /** Stops one node's controller: cleanly (unregisters), or `kill` (as a crash: flows and chassis stay). */
  async stopController(chassis: string, kill: boolean): Promise<void> {
    if (this.mode === 'etcd') {
      const child = this.children.get(chassis);
      if (child !== undefined && child.exitCode === null && child.pid !== undefined) {
        const exited = new Promise((r) => child.once('exit', r));
        if (kill) child.kill('SIGKILL');
        else await stopProcess(child.pid, 'controller');
        await exited;
      }
      this.children.delete(chassis);
    } else {
      const c = this.inProcess.get(chassis);
      if (c !== undefined) {
        this.inProcess.delete(chassis);
        await c.controller.stop({ unregister: !kill });
        // A separate client's lease runs down when it closes, as a crashed process's would.
        if (this.mode === 'memory') await c.store.close();
      }
    }
    this.setNode(chassis, { controller: 'stopped' });
  }

  private setNode(chassis: string, patch: Partial<LabNodeState>): void {
    this.state = {
      ...this.state,
      nodes: this.state.nodes.map((n) => {
        if (n.name !== chassis) return n;
        const next = { ...n, ...patch };
        if (patch.controller === 'stopped') delete next.controllerPid;
        return next;
      }),
    };
    writeLabState(this.options.stateDir, this.state);
  }

  private async serveControl(): Promise<void> {
    rmSync(this.state.control, { force: true });
    this.control = createServer((req, res) => void this.onControl(req, res));
    await new Promise<void>((resolve, reject) => {
      this.control?.once('error', reject);
      this.control?.listen(this.state.control, resolve);
    });
  }

  private async onControl(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://lab');
    const reply = (code: number, body: unknown): void => {
      res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    try {
      if (req.method === 'GET' && url.pathname === '/status') return reply(200, this.status());
      const m = /^\/controllers\/(n[0-9]{1,3})\/(start|stop)$/.exec(url.pathname);
      if (req.method === 'POST' && m) {
        const [, chassis = '', action] = m;
        const node = this.nodeByName(chassis);
        if (node === undefined) return reply(404, { error: `no node ${chassis}` });
        if (action === 'stop') await this.stopController(chassis, url.searchParams.get('kill') === '1');
        else await this.startController(node);
        return reply(200, { node: chassis, controller: action === 'stop' ? 'stopped' : 'running' });
      }
      if (req.method === 'POST' && url.pathname === '/vms') {
        // The CLI that plugged a VM records it here, so status and down know it.
        const body = await readBody(req);
        const vm = JSON.parse(body) as LabState['vms'][number];
        this.state = { ...this.state, vms: [...this.state.vms.filter((v) => v.name !== vm.name), vm] };
        writeLabState(this.options.stateDir, this.state);
        return reply(200, vm);
      }
      const del = /^\/vms\/([A-Za-z0-9-]{1,20})$/.exec(url.pathname);
      if (req.method === 'DELETE' && del) {
        this.state = { ...this.state, vms: this.state.vms.filter((v) => v.name !== del[1]) };
        writeLabState(this.options.stateDir, this.state);
        return reply(200, {});
      }
      if (req.method === 'POST' && url.pathname === '/shutdown') {
        reply(202, { stopping: true });
        void this.stop().then(() => process.exit(0));
        return;
      }
      reply(404, { error: 'not found' });
    } catch (error) {
      reply(500, { error: (error as Error).message });
    }
  }

  private status(): unknown {
    const controllers = [...this.inProcess.entries()].map(([name, c]) => {
      const s = c.controller.stats();
      return {
        name,
        ready: c.controller.isReady,
        localPorts: s.localPorts,
        flows: s.desiredFlows,
        generation: s.generation,
      };
    });
    return { ...this.state, controllers };
  }

  async stop(): Promise<void> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    this.state = { ...this.state, status: 'stopping' };
    writeLabState(this.options.stateDir, this.state);
    this.control?.close();
    for (const chassis of [...this.inProcess.keys(), ...this.children.keys()]) {
      await this.stopController(chassis, false).catch((e: unknown) =>
        this.log('warn', `stop ${chassis}`, { error: String(e) }),
      );
    }
    await this.metrics?.close();
    await this.server?.close().catch(() => undefined);
    if (this.serverChild?.pid !== undefined && this.serverChild.exitCode === null) {
      const exited = new Promise((r) => this.serverChild?.once('exit', r));
      await stopProcess(this.serverChild.pid, 'server');
      await exited;
    }
    await this.sharedStore?.close().catch(() => undefined);
    await this.etcd?.stop().catch(() => undefined);
    await this.cluster?.stop();
    rmSync(this.state.control, { force: true });
  }
}

function nodeState(node: LabNode): LabNodeState {
  return {
    name: `n${node.index}`,
    index: node.index,
    instance: node.name,
    rundir: node.rundir,
    netns: node.netns,
    tunnelIp: node.tunnelIp,
    ovsdb: node.dbTarget,
    openflow: node.controllerTarget,
    mgmt: node.ovs.mgmtSocketPath('br-int'),
    vswitchdControl: node.ovs.vswitchdControlPath,
    controller: 'stopped',
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > 65536) reject(new Error('body too large'));
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

/** Polls an HTTP URL until it answers 200; fails early when `dead()` says the process exited. */
export async function waitHttp(url: string, ms: number, dead: () => boolean = () => false): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (dead()) throw new Error(`the process serving ${url} exited`);
    const ok = await fetch(url).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
