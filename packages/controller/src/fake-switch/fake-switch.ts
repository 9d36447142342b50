// An in-process OpenFlow 1.3 switch that answers a controller as ovs-vswitchd would, keeps real
// flow and group tables, and traces packets through them. Generic: it knows @weir/openflow and
// nothing of Weir's pipeline.
//
//   const sw = new FakeSwitch({ datapathId: 0xc1n });
//   sw.addPort(1, 'vm1');
//   const conn = await OpenFlowConnection.open(sw.openChannel());
//   await sendBundle(conn, flows);
//   sw.trace(makePacket({ kind: 'arp', in_port: 1, eth_src: '…', arp_tpa: '10.0.0.1' }));
//
// State outlives connections, like a real switch: disconnect() drops the controllers and keeps
// the tables; restart() is an ovs-vswitchd restart (tables and roles cleared, ports kept).
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import {
  BundleError,
  OFPP,
  errorName,
  type Action,
  type Envelope,
  type FlowMod,
  type FlowStats,
  type GroupDesc,
  type GroupMod,
  type OpenFlowMessage,
  type PacketOut,
  type PortDesc,
  type SwitchDesc,
} from '@weir/openflow';
import { BatchRefusal, Datapath, type CheckedMod, type DatapathCounters, type Removal } from './datapath.js';
import { duplexPair } from './duplex.js';
import { OFPERR, Refusal } from './errors.js';
import { flowStatsOf } from './flow-entry.js';
import { PortTable } from './ports.js';
import { RoleArbiter } from './roles.js';
import { Session, type SessionHost } from './session.js';
import { flowLines, groupLines, snapshotText } from './snapshot.js';
import type { Packet } from './trace/packet.js';
import { Tracer } from './trace/tracer.js';
import type { TraceOptions, TraceResult } from './trace/types.js';

export interface FakeSwitchOptions {
  /** Default 1. */
  readonly datapathId?: bigint;
  /** Tables a controller may use, 0..nTables-1 (features_reply). Default 254, as OVS. */
  readonly nTables?: number;
  /** Name of the LOCAL port (the bridge). Default "br-int". */
  readonly bridge?: string;
  /** The OFPMP_DESC reply. Defaults read like OVS's, with "weir fake switch" as datapath. */
  readonly desc?: Partial<SwitchDesc>;
  /** Milliseconds, for flow durations. Default Date.now. */
  readonly clock?: () => number;
  /** Defaults for every trace (a trace's own options win). */
  readonly trace?: TraceOptions;
}

type FakeSwitchEvents = {
  /** A controller connected (openChannel). */
  connect: [];
  /** A controller connection ended (either side). */
  disconnect: [];
  /** Every message a controller sent, decoded. */
  message: [Envelope];
  /** A packet-out the switch accepted (also bundled ones, at commit). */
  packetOut: [PacketOut];
  /** A request the fake failed to handle: a bug in the fake (the controller got OFPBRC_EPERM). */
  fault: [Error];
};

/** Kept for tests; older packet-outs are forgotten so a long benchmark does not grow. */
const PACKET_OUT_HISTORY = 1000;

export class FakeSwitch extends EventEmitter<FakeSwitchEvents> {
  readonly datapathId: bigint;
  /** The last packet-outs received, oldest first. */
  readonly packetOuts: PacketOut[] = [];
  /** Requests the fake failed to handle (see the `fault` event); a test can assert it stays empty. */
  readonly faults: Error[] = [];
  private readonly datapath: Datapath;
  private readonly portTable = new PortTable();
  private readonly sessions = new Set<Session>();
  private readonly roles = new RoleArbiter(() => this.sessions);
  private readonly host: SessionHost;
  private readonly traceDefaults: TraceOptions;

  constructor(options: FakeSwitchOptions = {}) {
    super();
    this.datapathId = options.datapathId ?? 1n;
    const clock = options.clock ?? Date.now;
    const nTables = options.nTables ?? 254;
    this.datapath = new Datapath({ nTables }, clock);
    this.traceDefaults = options.trace ?? {};
    this.portTable.add(OFPP.LOCAL, options.bridge ?? 'br-int');
    const desc: SwitchDesc = {
      manufacturer: 'Nicira, Inc.',
      hardware: 'Open vSwitch',
      software: '3.1.0',
      serialNumber: 'None',
      datapath: 'weir fake switch',
      ...options.desc,
    };
    this.host = {
      datapath: this.datapath,
      ports: this.portTable,
      desc,
      datapathId: this.datapathId,
      nTables,
      roles: this.roles,
      received: (env) => this.emit('message', env),
      packetOut: (m) => this.onPacketOut(m),
      removed: (r) => this.announceRemovals(r),
      closed: (s) => {
        if (this.sessions.delete(s)) this.emit('disconnect');
      },
      fault: (error) => {
        this.faults.push(error);
        this.emit('fault', error);
      },
    };
  }

  /**
   * A new controller connection: returns the controller's end of an in-memory stream pair (hand
   * it to OpenFlowConnection.open); the switch serves the other end and says hello first.
   */
  openChannel(): Duplex {
    const [controllerEnd, switchEnd] = duplexPair();
    this.sessions.add(new Session(switchEnd, this.host));
    this.emit('connect');
    return controllerEnd;
  }

  /** Number of controller connections. */
  get connections(): number {
    return this.sessions.size;
  }

  /** Drops every controller connection; the tables stay. */
  disconnect(): void {
    for (const s of [...this.sessions]) s.close();
  }

  /** Like restarting ovs-vswitchd: connections dropped, flows, groups and roles gone; ports stay. */
  restart(): void {
    this.disconnect();
    this.datapath.clear();
    this.roles.reset();
  }

  get flowCount(): number {
    return this.datapath.flows.size;
  }

  get groupCount(): number {
    return this.datapath.groups.size;
  }

  /** Flow-mods, group-mods and bundles applied (for benchmarks). */
  get counters(): Readonly<DatapathCounters> {
    return this.datapath.counters;
  }

  /** Every flow as a flow-stats entry (counters and durations included), by table then priority. */
  flows(): FlowStats[] {
    const table = this.datapath.flows;
    return table.all().map((e) => flowStatsOf(e, table.ageOf(e)));
  }

  groups(): GroupDesc[] {
    return this.datapath.groups.all();
  }

  /**
   * Applies flow-mods and group-mods without a connection, atomically like a bundle commit: all
   * of them or, with a BundleError naming the refused message, none. Unlike a bundle on OVS,
   * a message that fails the receipt checks also fails the whole batch.
   */
  apply(messages: readonly (FlowMod | GroupMod)[]): void {
    const checked: CheckedMod[] = [];
    let removed: Removal[];
    try {
      for (const m of messages) checked.push(this.datapath.check(m));
      removed = this.datapath.applyAll(checked);
    } catch (error) {
      const index = error instanceof BatchRefusal ? error.index : checked.length;
      const refusal = error instanceof BatchRefusal ? error.refusal : error;
      if (!(refusal instanceof Refusal)) throw error;
      const names = [errorName(OFPERR[refusal.error]), errorName(OFPERR.OFPBFC_MSG_FAILED)];
      throw new BundleError(`message ${index} refused: ${refusal.message}`, index, names);
    }
    this.announceRemovals(removed);
  }

  // --- Ports -------------------------------------------------------------------------------------

  /** Adds a port (announced with port_status). The MAC defaults to 02:00:<port number>. */
  addPort(portNo: number, name: string, mac?: string): PortDesc {
    const existed = this.portTable.get(portNo) !== undefined;
    const port = this.portTable.add(portNo, name, mac);
    this.broadcast({ type: 'port_status', reason: existed ? 'modify' : 'add', port });
    return port;
  }

  /** Removes a port; false if there was none. */
  removePort(portNo: number): boolean {
    const port = this.portTable.remove(portNo);
    if (port) this.broadcast({ type: 'port_status', reason: 'delete', port });
    return port !== undefined;
  }

  /** Takes a port's link up or down (fast-failover groups and the tracer notice). */
  setPortLive(portNo: number, live: boolean): PortDesc {
    const port = this.portTable.setLive(portNo, live);
    this.broadcast({ type: 'port_status', reason: 'modify', port });
    return port;
  }

  ports(): PortDesc[] {
    return this.portTable.all();
  }

  // --- Tracing -----------------------------------------------------------------------------------

  /** Sends a packet through the pipeline from table 0 (see trace/tracer.ts for the semantics). */
  trace(packet: Packet, options: TraceOptions = {}): TraceResult {
    return this.tracer(options).run(packet);
  }

  /** Runs a packet-out's actions on a packet (output:TABLE enters the pipeline at table 0). */
  traceActions(packet: Packet, actions: readonly Action[], options: TraceOptions = {}): TraceResult {
    return this.tracer(options).run(packet, actions);
  }

  // --- Invariants --------------------------------------------------------------------------------

  /** Flows and groups as canonical text (ovs-ofctl --no-stats dump-flows, then dump-groups). */
  snapshot(): string {
    return snapshotText(this.datapath);
  }

  dumpFlows(): string[] {
    return flowLines(this.datapath);
  }

  dumpGroups(): string[] {
    return groupLines(this.datapath);
  }

  // --- Asynchronous messages ---------------------------------------------------------------------

  /** Sends a message to every connected controller (a packet-in, a port status…). */
  broadcast(message: OpenFlowMessage): void {
    for (const s of this.sessions) s.notify(message);
  }

  private tracer(options: TraceOptions): Tracer {
    return new Tracer(
      { flows: this.datapath.flows, groups: this.datapath.groups, ports: this.portTable },
      { ...this.traceDefaults, ...options },
    );
  }

  private onPacketOut(m: PacketOut): void {
    this.packetOuts.push(m);
    if (this.packetOuts.length > PACKET_OUT_HISTORY) this.packetOuts.shift();
    this.emit('packetOut', m);
  }

  /** flow_removed for removed flows that asked for it (send_flow_rem), as OVS sends them. */
  private announceRemovals(removals: readonly Removal[]): void {
    if (this.sessions.size === 0) return;
    for (const { entry, reason } of removals) {
      if (!entry.flags.sendFlowRem) continue;
      const s = flowStatsOf(entry, this.datapath.flows.ageOf(entry));
      this.broadcast({
        type: 'flow_removed',
        cookie: s.cookie,
        priority: s.priority,
        reason,
        tableId: s.tableId,
        durationSec: s.durationSec,
        durationNsec: s.durationNsec,
        idleTimeout: s.idleTimeout,
        hardTimeout: s.hardTimeout,
        packetCount: s.packetCount,
        byteCount: s.byteCount,
        match: s.match,
      });
    }
  }
}
