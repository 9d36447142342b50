// The local controller of one chassis: wires the northbound subscription, the switch's
// interfaces, the engine, the installer, port status and packet-ins together. Every stage owns one
// thing (ARCHITECTURE.md §3):
//
//   store watch ─► TopologySubscription ─┐
//   OVSDB       ─► interfaces ───────────┼─► engine inputs ─► run ─► flows by owner ─► Installer ─► switch
//                                        │                     └─► local ports ─► PortStatusReporter ─► store (core)
//   switch packet-ins ─► PacketInDispatcher ─► apps' handlers ─► packet-outs
//
// Runs are coalesced: any number of input writes between two event-loop turns cost one engine run,
// and the installer merges whatever changed while a bundle was in flight into its next bundle.
import { EventEmitter } from 'node:events';
import {
  createContext,
  heartbeatChassis,
  registerChassis,
  unregisterChassis,
  type CoreConfig,
  type CoreContext,
} from '@weir/core';
import { Engine, EngineRunError, type EngineStats, type KeyedChanges, type NodeOutcome } from '@weir/engine';
import type { Lease, Store } from '@weir/nbdb';
import type { OpenFlowConnection } from '@weir/openflow';
import type { OwnerFlows } from '../apps/compose.js';
import type { Settings, TunnelPorts } from '../apps/types.js';
import { buildControllerGraph, type ControllerGraph } from '../engine/wiring.js';
import { Installer, emptyInstallerStats, type InstallerStats } from '../installer/installer.js';
import type { SwitchPlatform } from '../ovs/platform.js';
import { PacketInDispatcher, type PacketInStats } from '../services/packet-in.js';
import { PortStatusReporter, type PortStatusStats } from '../services/port-status.js';
import { TopologySubscription, type TopologyStats } from '../services/topology.js';
import type { OverlayType } from '../state/views.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type Logger = (level: LogLevel, message: string, fields?: Readonly<Record<string, unknown>>) => void;

export interface ControllerOptions {
  readonly store: Store;
  /** This chassis' name: ports bound here carry it in binding:host_id. */
  readonly chassis: string;
  /** The address other chassis send tunnel packets to. */
  readonly tunnelIp: string;
  /** Default: both, Geneve first. */
  readonly tunnelTypes?: readonly OverlayType[];
  readonly platform: SwitchPlatform;
  readonly log?: Logger;
  /** Chassis lease TTL: how long after a crash the others keep its tunnels. Default 15 s. */
  readonly leaseTtlSeconds?: number;
  /** Heartbeat period (what the agents API reports as alive). Default 20 s. */
  readonly heartbeatSeconds?: number;
  readonly core?: Partial<CoreConfig>;
}

export interface ControllerStats {
  readonly chassis: string;
  readonly generation: number;
  readonly engine: EngineStats;
  readonly installer: InstallerStats;
  readonly topology: TopologyStats;
  readonly packetIn: PacketInStats;
  readonly portStatus: PortStatusStats;
  readonly localPorts: number;
  /** Interfaces here whose port is bound to another chassis or to none. */
  readonly pluggedNotServed: number;
  readonly desiredOwners: number;
  readonly desiredFlows: number;
  readonly engineRuns: number;
  readonly engineRunFailures: number;
  /** OpenFlow messages from the switch that did not decode (skipped). */
  readonly openflowDecodeErrors: number;
  /** Wall time of the last engine run. */
  readonly lastRunMs: number;
  readonly connected: boolean;
  /** An earlier run's flows are kept until this run's view is whole (ADR 0013). */
  readonly sweepPending: boolean;
}

type ControllerEvents = {
  /** The first full sync on a switch connection finished. */
  synced: [];
  /** An engine run finished (tests and benchmarks wait on it). */
  ran: [];
};

export class LocalController extends EventEmitter<ControllerEvents> {
  private readonly graph: ControllerGraph = buildControllerGraph();
  private readonly engine = new Engine(this.graph.graph);
  private readonly ctx: CoreContext;
  private readonly topology: TopologySubscription;
  private readonly status: PortStatusReporter;
  private readonly packetIns = new PacketInDispatcher();
  private installer: Installer | undefined;
  private settings: Settings;
  private lease: Lease | undefined;
  private chassisId: string | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private runScheduled = false;
  private stopped = false;
  /** The bridge's interfaces as of start are in (the topology wants their ports). */
  private interfacesRead = false;
  private conn: OpenFlowConnection | undefined;
  /** Local ports waiting for their flows to be acknowledged before ACTIVE: owner → port id. */
  private readonly pendingActive = new Map<string, string>();
  /** The engine's local ports (id → key) as of the last run, to see which left after a recompute. */
  private readonly localMirror = new Map<string, number>();
  /** Interfaces here whose port is bound to another chassis (or to none): not served, reported. */
  private readonly notServed = new Map<string, string>();
  private counters = { runs: 0, runFailures: 0, lastRunMs: 0, openflowDecodeErrors: 0 };
  private readonly log: Logger;
  private readonly tunnelTypes: readonly OverlayType[];

  constructor(private readonly options: ControllerOptions) {
    super();
    this.log = options.log ?? ((): void => undefined);
    this.tunnelTypes = options.tunnelTypes ?? ['geneve', 'vxlan'];
    this.ctx = createContext(options.store, options.core);
    this.settings = { chassis: options.chassis, generation: 1, tunnelPorts: {} };
    const inputs = {
      ports: this.engine.input(this.graph.ports),
      networks: this.engine.input(this.graph.networks),
      chassis: this.engine.input(this.graph.chassis),
    };
    this.topology = new TopologySubscription(options.store, {
      ...inputs,
      changed: () => this.scheduleRun(),
      portStatus: (id, port) => this.status.observed(id, port),
      error: (what, error) =>
        this.log('warn', `topology: ${what} failed, retrying`, { error: String(error) }),
    });
    this.status = new PortStatusReporter(this.ctx, options.chassis, {
      onError: (id, error) =>
        this.log('warn', 'port status write failed', { port: id, error: String(error) }),
    });
  }

  get generation(): number {
    return this.settings.generation;
  }

  get chassis(): string {
    return this.options.chassis;
  }

  /** Connected to the switch and fully synced on that connection. */
  get isReady(): boolean {
    return this.installer?.ready ?? false;
  }

  /** Sets the bridge up, registers the chassis, subscribes, and starts serving the switch. */
  async start(): Promise<void> {
    const { platform } = this.options;
    const { generation } = await platform.setUp(this.tunnelTypes);
    this.settings = { ...this.settings, generation };
    this.engine.input(this.graph.settings).set(this.settings);
    this.installer = new Installer({
      generation,
      desired: () => this.engine.data(this.graph.flows).owners,
      // The previous run's flows stay until this run has read everything its ports need (ADR 0013).
      holdSweep: true,
    });
    this.installer.on('installed', (owners) => this.reportInstalled(owners));
    this.installer.on('synced', () => {
      this.reportInstalled([...this.pendingActive.keys()]);
      this.emit('synced');
    });
    this.installer.on('rejected', (owner, error) =>
      this.log('error', 'the switch refused flows', { owner, error: error.message }),
    );
    this.installer.on('failed', (error) =>
      this.log('warn', 'installing flows failed; resyncing', { error: error.message }),
    );

    await this.register();
    await this.topology.start();
    await platform.watchInterfaces({
      plugged: (portId, ofport) => this.plugged(portId, ofport),
      tunnelPorts: (ports) => this.setTunnelPorts(ports),
      duplicate: (portId, interfaces) =>
        this.log('warn', 'several interfaces carry one iface-id; the lowest OpenFlow port is used', {
          port: portId,
          interfaces,
        }),
    });
    this.interfacesRead = true;
    this.run();
    await platform.acceptConnections((conn) => this.connected(conn));
    void this.markStaleActiveDown();
    this.log('info', 'controller started', { chassis: this.options.chassis, generation });
  }

  /** Stops serving; with `unregister`, the chassis is removed at once (a clean shutdown). */
  async stop(options: { readonly unregister?: boolean } = {}): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.heartbeat);
    this.topology.close();
    this.status.close();
    this.conn?.close();
    await this.options.platform.close();
    if (options.unregister !== false && this.chassisId !== undefined) {
      await unregisterChassis(this.ctx, this.chassisId).catch(() => undefined);
      await this.lease?.revoke().catch(() => undefined);
    }
  }

  /** Resolves when the engine has run on every input written so far and the switch has it all. */
  async settled(): Promise<void> {
    for (;;) {
      await new Promise((r) => setImmediate(r));
      if (this.runScheduled || this.engine.needsRun()) {
        await new Promise<void>((resolve) => this.once('ran', resolve));
        continue;
      }
      await this.installer?.idle();
      if (!this.runScheduled && !this.engine.needsRun()) return;
    }
  }

  stats(): ControllerStats {
    const owners = this.engine.data(this.graph.flows).owners;
    let flows = 0;
    for (const o of owners.values()) flows += o.flows.length;
    return {
      chassis: this.options.chassis,
      generation: this.settings.generation,
      engine: this.engine.stats(),
      installer: { ...(this.installer?.stats ?? emptyInstallerStats()) },
      topology: this.topology.stats(),
      packetIn: { ...this.packetIns.stats },
      portStatus: { ...this.status.stats },
      localPorts: this.engine.data(this.graph.localPorts).byPort.size,
      pluggedNotServed: this.notServed.size,
      desiredOwners: owners.size,
      desiredFlows: flows,
      engineRuns: this.counters.runs,
      engineRunFailures: this.counters.runFailures,
      openflowDecodeErrors: this.counters.openflowDecodeErrors,
      lastRunMs: this.counters.lastRunMs,
      connected: this.conn !== undefined && !this.conn.isClosed,
      sweepPending: this.installer?.sweepPending ?? true,
    };
  }

  /** The engine's desired flows by owner (for `weir flows`, tests). */
  desiredFlows(): ReadonlyMap<string, OwnerFlows> {
    return this.engine.data(this.graph.flows).owners;
  }

  // ---- chassis ---------------------------------------------------------------------------------

  private async register(): Promise<void> {
    const ttl = this.options.leaseTtlSeconds ?? 15;
    this.lease = await this.options.store.grantLease(ttl);
    const chassis = await registerChassis(
      this.ctx,
      { name: this.options.chassis, tunnelIp: this.options.tunnelIp, tunnelTypes: [...this.tunnelTypes] },
      this.lease.id,
    );
    this.chassisId = chassis.id;
    clearInterval(this.heartbeat);
    this.heartbeat = setInterval(() => void this.beat(), (this.options.heartbeatSeconds ?? 20) * 1000);
    this.heartbeat.unref();
  }

  private async beat(): Promise<void> {
    if (this.stopped || this.chassisId === undefined) return;
    try {
      const alive = await heartbeatChassis(this.ctx, this.chassisId);
      // The lease ended (the store lost us for longer than the TTL): register again.
      if (alive === undefined && !this.stopped) await this.register();
    } catch (error) {
      this.log('warn', 'chassis heartbeat failed', { error: String(error) });
    }
  }

  // ---- inputs ----------------------------------------------------------------------------------

  private plugged(portId: string, ofport: number | undefined): void {
    const interfaces = this.engine.input(this.graph.interfaces);
    if (ofport === undefined) {
      interfaces.delete(portId);
      this.topology.unwant(portId);
    } else {
      interfaces.set(portId, ofport);
      this.topology.want(portId);
    }
    this.scheduleRun();
  }

  private setTunnelPorts(ports: TunnelPorts): void {
    this.settings = { ...this.settings, tunnelPorts: ports };
    this.engine.input(this.graph.settings).set(this.settings);
    this.scheduleRun();
  }

  private connected(conn: OpenFlowConnection): void {
    if (this.stopped) {
      conn.close();
      return;
    }
    this.log('info', 'switch connected', { datapath: conn.datapathId.toString(16) });
    this.conn?.close();
    this.conn = conn;
    // Whole packets in packet-ins (the default miss_send_len is 128 bytes).
    conn.send({ type: 'set_config', flags: 0, missSendLen: 0xffff });
    conn.on('message', (env) => {
      for (const reply of this.packetIns.handle(env)) if (!conn.isClosed) conn.send(reply);
    });
    // A message from the switch that does not decode is counted and skipped; the channel goes on.
    conn.on('decodeError', (error) => {
      this.counters.openflowDecodeErrors++;
      this.log('warn', 'an OpenFlow message from the switch did not decode', { error: error.message });
    });
    conn.once('close', () => {
      if (this.conn === conn) this.conn = undefined;
      if (!this.stopped) this.log('warn', 'switch disconnected; waiting for it to dial again');
    });
    this.installer?.attach(conn);
  }

  // ---- engine runs -----------------------------------------------------------------------------

  private scheduleRun(): void {
    if (this.runScheduled || this.stopped) return;
    this.runScheduled = true;
    setImmediate(() => {
      this.runScheduled = false;
      this.run();
    });
  }

  private run(): void {
    if (this.stopped) return;
    const started = performance.now();
    try {
      this.engine.run();
    } catch (error) {
      this.counters.runFailures++;
      const failures =
        error instanceof EngineRunError
          ? error.failures.map((f) => `${f.node}: ${String(f.error)}`)
          : [String(error)];
      this.log('error', 'engine run failed; the failed nodes recompute on the next run', { failures });
      // The nodes that failed recompute from their inputs on the next run.
      setTimeout(() => this.scheduleRun(), 1000).unref();
    } finally {
      this.counters.runs++;
      this.counters.lastRunMs = performance.now() - started;
    }
    this.afterRun();
    this.emit('ran');
  }

  private afterRun(): void {
    const flows = this.engine.outcome(this.graph.flows);
    if (flows.kind === 'changed') this.installer?.markDirty(flows.changes.keys());
    else if (flows.kind === 'recomputed')
      this.installer?.markDirty(this.engine.data(this.graph.flows).owners.keys());
    const becameLocal = this.trackLocalPorts();
    this.trackNotServed();
    // This run saw the whole view (every interface's port looked up, every network loaded), and
    // what it wants is dirty in the installer already, so it is installed before the sweep. Asked
    // only while the sweep is held: `settled` walks the subscriptions, not for every later run.
    if (this.installer?.sweepHeld === true && this.interfacesRead && this.topology.settled)
      this.installer.releaseSweep();
    // Ports whose flows were on the switch already (nothing new to install) are ACTIVE now.
    this.reportInstalled(becameLocal);
  }

  /**
   * A port plugged here but bound elsewhere (or unbound) is not served here — the binding decides
   * (docs/adr/0011-local-controller.md). Say so once per (port, binding), looking only at the
   * interfaces and ports that changed in this run.
   */
  private trackNotServed(): void {
    const interfaces = this.engine.input(this.graph.interfaces).current;
    const ports = this.engine.input(this.graph.ports).current;
    const touched = new Set<string>();
    const collect = (outcome: NodeOutcome<KeyedChanges<string, unknown>>): void => {
      if (outcome.kind === 'changed') for (const id of outcome.changes.keys()) touched.add(id);
      else if (outcome.kind === 'recomputed') {
        // Everything plugged now, and everything reported before (its interface may be gone).
        for (const id of interfaces.keys()) touched.add(id);
        for (const id of this.notServed.keys()) touched.add(id);
      }
    };
    collect(this.engine.outcome(this.graph.interfaces));
    collect(this.engine.outcome(this.graph.ports));
    for (const id of touched) {
      const port = ports.get(id);
      const foreign = interfaces.has(id) && port !== undefined && port.hostId !== this.options.chassis;
      if (!foreign) {
        this.notServed.delete(id);
        continue;
      }
      if (this.notServed.get(id) === port.hostId) continue;
      this.notServed.set(id, port.hostId);
      this.log('warn', 'a port is plugged here but bound elsewhere: not served here (the binding decides)', {
        port: id,
        boundTo: port.hostId === '' ? '(unbound)' : port.hostId,
      });
    }
  }

  /**
   * Ports that became local wait for their flows (returns their owners); ports that stopped being
   * local go DOWN. O(changes): only the local-ports node's tracked changes are visited.
   */
  private trackLocalPorts(): string[] {
    const local = this.engine.data(this.graph.localPorts).byPort;
    const outcome = this.engine.outcome(this.graph.localPorts);
    const became: string[] = [];
    const leave = (id: string, key: number): void => {
      this.localMirror.delete(id);
      this.pendingActive.delete(`port:${key}`);
      // DOWN whatever the reason it left (unplugged, admin down, deleted, bound elsewhere): the
      // write is guarded by the binding (core's setPortStatus boundTo), so a port now bound to
      // another chassis is left to that chassis, and a deleted one is simply not found. Its
      // network may be gone from this controller already (the last interface left).
      this.status.reportOnce(id, 'DOWN');
    };
    const enter = (id: string, key: number): void => {
      const old = this.localMirror.get(id);
      if (old !== undefined && old !== key) this.pendingActive.delete(`port:${old}`);
      this.localMirror.set(id, key);
      this.pendingActive.set(`port:${key}`, id);
      became.push(`port:${key}`);
    };
    if (outcome.kind === 'changed') {
      for (const change of outcome.changes) {
        if (change.kind === 'removed') leave(change.key, change.old.port.key);
        else enter(change.key, change.value.port.key);
      }
    } else if (outcome.kind === 'recomputed') {
      for (const [id, key] of [...this.localMirror]) if (!local.has(id)) leave(id, key);
      for (const [id, lp] of local) enter(id, lp.port.key);
    }
    return became;
  }

  /** The local ports among `owners` whose flows are acknowledged now become ACTIVE. */
  private reportInstalled(owners: Iterable<string>): void {
    const installer = this.installer;
    if (installer === undefined || !installer.ready) return;
    for (const owner of owners) {
      const id = this.pendingActive.get(owner);
      if (id === undefined || !installer.isInstalled(owner)) continue;
      this.pendingActive.delete(owner);
      this.status.want(id, 'ACTIVE');
    }
  }

  /**
   * Ports bound here that the store says are ACTIVE but that are not plugged (unplugged while no
   * controller ran here): DOWN. Read once, by the store's host index, after the first sync.
   */
  private async markStaleActiveDown(): Promise<void> {
    try {
      await new Promise<void>((resolve) =>
        this.installer?.ready ? resolve() : this.once('synced', resolve),
      );
      const bound = await this.options.store.list('logical_port', {
        index: { name: 'host', value: this.options.chassis },
      });
      const plugged = this.engine.input(this.graph.interfaces).current;
      for (const port of bound.items) {
        if (port.status === 'ACTIVE' && !plugged.has(port.id)) {
          this.status.observed(port.id, port);
          this.status.want(port.id, 'DOWN');
        }
      }
    } catch (error) {
      this.log('warn', 'could not check stale ACTIVE ports', { error: String(error) });
    }
  }
}
