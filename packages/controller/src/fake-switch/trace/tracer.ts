// The packet tracer, after `ovs-appctl ofproto/trace` and Faucet's fakeoftable: from table 0 it
// takes the best flow of each table, runs its instructions in OpenFlow order (apply_actions,
// clear_actions, write_actions, write_metadata, goto_table) and records where the packet goes.
//
// Semantics that follow OVS's translation (ofproto-dpif-xlate.c):
//  - resubmit(port,table) looks up with in_port = port, restores in_port before running the
//    flow it found, and returns to the next action; goto_table, resubmit, groups and
//    output:TABLE each nest one level, and at 64 levels (or 4,096 lookups) translation fails and
//    the whole packet is dropped;
//  - group buckets act on a copy of the packet (all: every bucket; select: one by hash;
//    indirect; ff: the first live bucket);
//  - output to the packet's own in_port is dropped unless sent to IN_PORT;
//  - ct(table=N) forks: the original continues untracked with the next action, and a copy with
//    ct_state (option, default +trk+new), ct_zone and any exec(…) ct_mark/ct_label is
//    recirculated to table N once this pass is over; NAT is not applied;
//  - controller(…, pause) stops the pass (no continuation); exit stops it but the action set
//    still runs; dec_ttl at TTL ≤ 1 sends invalid_ttl packet-ins and ends the action list;
//  - learn is recorded, never applied.
import { OFPP, type Action, type Instruction, type PacketInReasonName } from '@weir/openflow';
import type { FlowEntry } from '../flow-entry.js';
import type { FlowTable } from '../flow-table.js';
import type { GroupTable } from '../group-table.js';
import type { PortTable } from '../ports.js';
import { ActionSet } from './action-set.js';
import { chooseBuckets } from './buckets.js';
import { lookup } from './lookup.js';
import { PacketState, type Packet } from './packet.js';
import type {
  ActionSite,
  DropReason,
  TraceDrop,
  TraceLearn,
  TraceOptions,
  TraceOutput,
  TracePacketIn,
  TraceResult,
  TraceStep,
  TraceVia,
} from './types.js';

/** What the tracer reads. */
export interface TraceTarget {
  readonly flows: FlowTable;
  readonly groups: GroupTable;
  readonly ports: PortTable;
}

const MAX_DEPTH = 64;
const MAX_RESUBMITS = MAX_DEPTH * MAX_DEPTH;
const MAX_RECIRCULATIONS = 32;
const CT_TRK_NEW = 0x21;

interface Site extends ActionSite {
  readonly depth: number;
}

const siteOf = (s: Site): ActionSite => ({ tableId: s.tableId, cookie: s.cookie });

export class Tracer {
  private readonly outputs: TraceOutput[] = [];
  private readonly packetIns: TracePacketIn[] = [];
  private readonly path: TraceStep[] = [];
  private readonly drops: TraceDrop[] = [];
  private readonly learned: TraceLearn[] = [];
  private readonly notes = new Set<string>();
  private readonly recirculations: { state: PacketState; tableId: number }[] = [];
  private error: TraceResult['error'];
  private lookups = 0;
  /** Resubmit/group nesting: 0 while on the pass's main chain of goto_tables. */
  private level = 0;
  private halted = false;
  private paused = false;
  private actionSet = new ActionSet();
  /** The last flow (or miss) of the current pass's main chain: where the pipeline ended. */
  private end: { site: ActionSite; miss: boolean } = { site: { tableId: 0, cookie: undefined }, miss: false };

  constructor(
    private readonly target: TraceTarget,
    private readonly options: TraceOptions = {},
  ) {}

  /** Runs the pipeline from table 0 (or, for a packet-out, the given actions). */
  run(packet: Packet, actions?: readonly Action[]): TraceResult {
    const state = PacketState.of(packet);
    this.end = { site: { tableId: actions ? undefined : 0, cookie: undefined }, miss: false };
    this.pass(state, () =>
      actions
        ? this.execActions(state, actions, { tableId: undefined, cookie: undefined, depth: 0 })
        : this.runTable(state, 0, 0, 'start'),
    );
    for (let n = 1; this.recirculations.length > 0 && !this.error; n++) {
      const r = this.recirculations.shift();
      if (!r) break;
      if (n > MAX_RECIRCULATIONS)
        this.fail('too_many_recirculations', { tableId: r.tableId, cookie: undefined, depth: 0 });
      else this.pass(r.state, () => this.runTable(r.state, r.tableId, 0, 'ct'));
    }
    return this.result(state);
  }

  private pass(state: PacketState, body: () => void): void {
    this.halted = false;
    this.actionSet = new ActionSet();
    body();
    if (this.error || this.paused) return;
    const set = this.actionSet.toExecute();
    if (set.length === 0) return;
    this.halted = false; // `exit` does not stop the action set
    this.execActions(state, set, { ...this.end.site, depth: 0 });
  }

  private result(state: PacketState): TraceResult {
    const failed = this.error !== undefined;
    const outputs = failed ? [] : this.outputs;
    const packetIns = failed ? [] : this.packetIns;
    const dropped = outputs.length === 0 && packetIns.length === 0;
    if (dropped && this.drops.length === 0)
      this.drops.push({ ...this.end.site, reason: this.end.miss ? 'no_match' : 'no_output' });
    return {
      outputs,
      packetIns,
      path: this.path,
      drops: this.drops,
      learned: this.learned,
      notes: [...this.notes],
      error: this.error,
      packet: state.toPacket(),
      dropped,
    };
  }

  private fail(error: NonNullable<TraceResult['error']>, site: Site): void {
    if (!this.error) {
      this.error = error;
      this.drops.push({ ...siteOf(site), reason: 'translation_error' });
    }
    this.halted = true;
  }

  private drop(reason: DropReason, site: Site, extra: { port?: number; groupId?: number } = {}): void {
    this.drops.push({ ...siteOf(site), reason, ...extra });
  }

  private runTable(
    state: PacketState,
    tableId: number,
    depth: number,
    via: TraceVia,
    lookupInPort?: bigint,
  ): void {
    if (this.halted) return;
    const here: Site = { tableId, cookie: undefined, depth };
    if (depth >= MAX_DEPTH) return this.fail('too_deep', here);
    if (via !== 'start' && via !== 'ct' && ++this.lookups > MAX_RESUBMITS)
      return this.fail('too_many_resubmits', here);
    let flow: FlowEntry | undefined;
    if (lookupInPort === undefined) flow = lookup(this.target.flows, tableId, state);
    else {
      // OVS looks up with the resubmit's in_port, then restores the packet's own.
      const own = state.get('in_port');
      state.set('in_port', lookupInPort);
      flow = lookup(this.target.flows, tableId, state);
      state.set('in_port', own);
    }
    if (!flow) {
      this.path.push({ tableId, depth, via, miss: true });
      if (this.level === 0) this.end = { site: siteOf(here), miss: true };
      return;
    }
    this.path.push({ tableId, priority: flow.priority, cookie: flow.cookie, depth, via });
    if (this.options.count) {
      flow.packets += 1n;
      flow.bytes += BigInt(this.options.bytes ?? 64);
    }
    const site: Site = { tableId, cookie: flow.cookie, depth };
    if (this.level === 0) this.end = { site: siteOf(site), miss: false };
    this.execInstructions(state, flow.instructions, site);
  }

  private execInstructions(state: PacketState, instructions: readonly Instruction[], site: Site): void {
    const find = <T extends Instruction['type']>(type: T): Extract<Instruction, { type: T }> | undefined =>
      instructions.find((i): i is Extract<Instruction, { type: T }> => i.type === type);
    if (find('meter')) this.notes.add('meters are not modelled: the packet was not metered');
    const apply = find('apply_actions');
    if (apply) this.execActions(state, apply.actions, site);
    if (this.halted) return;
    if (find('clear_actions')) this.actionSet.clear();
    const write = find('write_actions');
    if (write) this.actionSet.write(write.actions);
    const md = find('write_metadata');
    if (md) state.set('metadata', (state.get('metadata') & ~md.mask) | (md.metadata & md.mask));
    const goto = find('goto_table');
    if (goto) this.runTable(state, goto.tableId, site.depth + 1, 'goto_table');
  }

  private execActions(state: PacketState, actions: readonly Action[], site: Site): void {
    for (const a of actions) {
      if (this.halted) return;
      switch (a.type) {
        case 'output':
          this.output(state, a.port, site, a.maxLen);
          break;
        case 'output_reg':
          this.output(state, Number(state.read(a.src)), site, a.maxLen);
          break;
        case 'group':
          this.group(state, a.groupId, site);
          break;
        case 'set_field':
          state.setTyped(a.field, a.value, a.mask);
          break;
        case 'load':
          state.write(a.dst, a.value);
          break;
        case 'move':
          state.write(a.dst, state.read(a.src));
          break;
        case 'resubmit':
          this.nested(() =>
            this.runTable(
              state,
              a.table ?? site.tableId ?? 0,
              site.depth + 1,
              'resubmit',
              a.port === undefined || a.port === OFPP.IN_PORT ? undefined : BigInt(a.port),
            ),
          );
          if (a.ct)
            this.notes.add('resubmit(…,ct) looks up with the packet’s own fields (no conntrack tuple)');
          break;
        case 'ct':
          this.conntrack(state, a);
          break;
        case 'ct_clear':
          for (const f of ['ct_state', 'ct_zone', 'ct_mark', 'ct_label'] as const) state.set(f, 0n);
          break;
        case 'dec_ttl':
          if (!this.decTtl(state, a.controllerIds, site)) return;
          break;
        case 'push_vlan':
          if ((state.get('vlan_vid') & 0x1000n) !== 0n)
            this.notes.add('push_vlan on a tagged packet: QinQ is not modelled');
          else {
            state.set('vlan_vid', 0x1000n);
            state.set('vlan_pcp', 0n);
          }
          break;
        case 'pop_vlan':
          state.set('vlan_vid', 0n);
          state.set('vlan_pcp', 0n);
          break;
        case 'controller':
          this.packetIn(state, site, a.reason ?? 'action', {
            controllerId: a.controllerId ?? 0,
            userdata: a.userdata,
            pause: a.pause === true,
            maxLen: a.maxLen,
          });
          if (a.pause) {
            this.paused = true;
            this.halted = true;
          }
          break;
        case 'learn':
          this.learned.push({ ...siteOf(site), action: a });
          break;
        case 'exit':
          this.halted = true;
          break;
        case 'raw':
          this.notes.add(
            `raw action type ${a.actionType}${a.subtype === undefined ? '' : `/${a.subtype}`} is not modelled`,
          );
          break;
        case 'conjunction':
        case 'note':
        case 'set_queue':
          break;
      }
    }
  }

  private nested(body: () => void): void {
    this.level++;
    try {
      body();
    } finally {
      this.level--;
    }
  }

  private output(state: PacketState, port: number, site: Site, maxLen: number | undefined): void {
    const inPort = state.inPort;
    switch (port) {
      case OFPP.IN_PORT:
        return this.emit(state, inPort, site);
      case OFPP.CONTROLLER:
        return this.packetIn(state, site, 'action', {
          controllerId: 0,
          userdata: undefined,
          pause: false,
          maxLen,
        });
      case OFPP.TABLE:
        return this.nested(() => this.runTable(state, 0, site.depth + 1, 'output_table'));
      case OFPP.NORMAL:
        this.notes.add('output to NORMAL is not modelled (reported as an output to port NORMAL)');
        this.outputs.push({ ...siteOf(site), port, packet: state.toPacket() });
        return;
      case OFPP.FLOOD:
      case OFPP.ALL:
        for (const p of this.target.ports.all()) if (p.portNo !== inPort) this.emit(state, p.portNo, site);
        return;
      default:
        if (port === inPort) return this.drop('in_port', site, { port });
        return this.emit(state, port, site);
    }
  }

  private emit(state: PacketState, port: number, site: Site): void {
    if (!this.target.ports.get(port)) return this.drop('no_such_port', site, { port });
    if (!this.target.ports.isLive(port)) return this.drop('port_down', site, { port });
    this.outputs.push({ ...siteOf(site), port, packet: state.toPacket() });
  }

  private packetIn(
    state: PacketState,
    site: Site,
    reason: PacketInReasonName,
    p: Pick<TracePacketIn, 'controllerId' | 'userdata' | 'pause' | 'maxLen'>,
  ): void {
    this.packetIns.push({ ...siteOf(site), reason, ...p, packet: state.toPacket() });
  }

  private group(state: PacketState, groupId: number, site: Site): void {
    const g = this.target.groups.get(groupId);
    if (!g) return this.drop('unknown_group', site, { groupId });
    if (site.depth + 1 >= MAX_DEPTH) return this.fail('too_deep', site);
    const buckets = chooseBuckets(g, state, {
      ports: this.target.ports,
      group: (id) => this.target.groups.get(id),
    });
    if (buckets.length === 0) return this.drop('no_bucket', site, { groupId });
    const inner: Site = { ...site, depth: site.depth + 1 };
    this.nested(() => {
      for (const b of buckets) this.execActions(state.clone(), b.actions, inner);
    });
  }

  private conntrack(state: PacketState, a: Extract<Action, { type: 'ct' }>): void {
    if (a.nat) this.notes.add('ct(nat) is not modelled: addresses and ports are not translated');
    if (a.table === undefined) return; // the packet goes on, untracked; a commit changes nothing visible
    const copy = state.clone();
    const zone = typeof a.zone === 'object' ? Number(state.read(a.zone)) : (a.zone ?? 0);
    copy.set('ct_zone', BigInt(zone));
    const cs = this.options.ctState;
    copy.set('ct_state', BigInt(typeof cs === 'function' ? cs(copy.toPacket(), zone) : (cs ?? CT_TRK_NEW)));
    if (a.commit) {
      for (const x of a.exec ?? []) {
        if (x.type === 'set_field') copy.setTyped(x.field, x.value, x.mask);
        else if (x.type === 'load') copy.write(x.dst, x.value);
      }
    }
    this.recirculations.push({ state: copy, tableId: a.table });
  }

  /** Returns false when the TTL expired (the rest of the action list does not run). */
  private decTtl(state: PacketState, controllerIds: readonly number[] | undefined, site: Site): boolean {
    const ethType = state.get('eth_type');
    if (ethType !== 0x0800n && ethType !== 0x86ddn) return true;
    const ttl = state.get('nw_ttl');
    if (ttl > 1n) {
      state.set('nw_ttl', ttl - 1n);
      return true;
    }
    for (const controllerId of controllerIds?.length ? controllerIds : [0])
      this.packetIn(state, site, 'invalid_ttl', {
        controllerId,
        userdata: undefined,
        pause: false,
        maxLen: undefined,
      });
    this.drop('ttl_expired', site);
    return false;
  }
}
