// The flow tables: per table, flows keyed by (priority, match in normal form), with OpenFlow
// 1.3's flow-mod semantics as ovs-vswitchd implements them:
//  - add replaces a flow with the same priority and match (new cookie, flags and timeouts; the
//    counters carry over unless reset_counts); check_overlap refuses a *different* flow of the
//    same priority that some packet could match too (OFPFMFC_OVERLAP);
//  - modify / modify_strict change the instructions of the selected flows (cookie, flags,
//    timeouts and counters stay; reset_counts zeroes the counters) and never add a flow;
//  - delete / delete_strict remove the selected flows; table 255 means every table.
// Non-strict selection takes every flow at least as specific as the request's match, any
// priority; strict selection takes the flow with exactly that priority and match. Both honour
// cookie/cookie_mask, and deletes (and flow stats) out_port and out_group.
import { OFPG, OFPP, OFPTT_ALL, type FlowMod, type FlowModFlags, type Instruction } from '@weir/openflow';
import { Refusal } from './errors.js';
import { outputsTo, usesGroup, type FlowEntry } from './flow-entry.js';
import type { Journal, UndoRecord } from './journal.js';
import { flowKey, isAtLeastAsSpecific, normalizeMatch, overlaps, type NormalMatch } from './match.js';

/** Which flows a modify, delete or stats request selects. */
export interface Selection {
  /** A table, or OFPTT_ALL. */
  readonly tableId: number;
  readonly match: NormalMatch;
  /** Strict: exactly this priority and match. */
  readonly strict: boolean;
  readonly priority: number;
  readonly cookie: bigint;
  readonly cookieMask: bigint;
  readonly outPort: number;
  readonly outGroup: number;
}

/** Refuses instructions that name something the switch does not have (groups, meters). */
export type ReferenceCheck = (instructions: readonly Instruction[]) => void;

const NO_FLAGS: FlowModFlags = Object.freeze({});

/**
 * Decoded arrays are built by push() and carry room for 17 elements; a flow keeps exact-size
 * copies of its match, instruction and action lists (the objects in them are shared, not
 * copied), which more than halves what 20,000 flows cost.
 */
function compactInstructions(list: readonly Instruction[]): readonly Instruction[] {
  return list.map((i): Instruction => {
    if (i.type === 'apply_actions') return { type: i.type, actions: i.actions.slice() };
    if (i.type === 'write_actions') return { type: i.type, actions: i.actions.slice() };
    return i;
  });
}

const hasFlags = (f: FlowModFlags): boolean =>
  f.sendFlowRem === true ||
  f.checkOverlap === true ||
  f.resetCounts === true ||
  f.noPacketCounts === true ||
  f.noByteCounts === true;

export class FlowTable {
  private readonly tables = new Map<number, Map<string, FlowEntry>>();
  /** Per table, flows in lookup order; dropped whenever the table changes. */
  private readonly sorted = new Map<number, readonly FlowEntry[]>();
  private readonly normals = new WeakMap<FlowEntry, NormalMatch>();
  private count = 0;
  /** Creation times are kept relative to this, so they stay small integers. */
  private readonly epoch: number;

  constructor(private readonly clock: () => number) {
    this.epoch = clock();
  }

  /** Milliseconds since the flow was added. */
  ageOf(e: FlowEntry): number {
    return this.clock() - this.epoch - e.created;
  }

  get size(): number {
    return this.count;
  }

  /** The flow's match in normal form (cached per entry object). */
  normalOf(e: FlowEntry): NormalMatch {
    let n = this.normals.get(e);
    if (!n) {
      n = normalizeMatch(e.match);
      this.normals.set(e, n);
    }
    return n;
  }

  add(m: FlowMod, match: NormalMatch, journal: Journal | undefined, checkRefs: ReferenceCheck): void {
    checkRefs(m.instructions);
    const key = flowKey(m.priority, match);
    const table = this.table(m.tableId);
    const old = table.get(key);
    if (m.flags.checkOverlap) {
      for (const e of table.values()) {
        if (e.priority === m.priority && e !== old && overlaps(this.normalOf(e), match))
          throw new Refusal('OFPFMFC_OVERLAP', `overlaps ${e.key} in table ${m.tableId}`);
      }
    }
    const keep = old !== undefined && !m.flags.resetCounts;
    this.put(journal, {
      tableId: m.tableId,
      priority: m.priority,
      key,
      match: m.match.slice(),
      instructions: compactInstructions(m.instructions),
      cookie: m.cookie,
      flags: hasFlags(m.flags) ? m.flags : NO_FLAGS,
      idleTimeout: m.idleTimeout,
      hardTimeout: m.hardTimeout,
      created: this.clock() - this.epoch,
      packets: keep ? old.packets : 0n,
      bytes: keep ? old.bytes : 0n,
    });
  }

  /** OpenFlow 1.3 modify: new instructions for the selected flows; adds nothing. */
  modify(m: FlowMod, match: NormalMatch, journal: Journal | undefined, checkRefs: ReferenceCheck): number {
    checkRefs(m.instructions);
    const selected = this.select({
      tableId: m.tableId,
      match,
      strict: m.command === 'modify_strict',
      priority: m.priority,
      cookie: m.cookie,
      cookieMask: m.cookieMask,
      outPort: OFPP.ANY,
      outGroup: OFPG.ANY,
    });
    const instructions = compactInstructions(m.instructions);
    for (const old of selected) {
      const reset = m.flags.resetCounts === true;
      this.put(journal, {
        ...old,
        instructions,
        packets: reset ? 0n : old.packets,
        bytes: reset ? 0n : old.bytes,
      });
    }
    return selected.length;
  }

  /** Removes the selected flows and returns them (for flow_removed messages). */
  delete(selection: Selection, journal: Journal | undefined): FlowEntry[] {
    const selected = this.select(selection);
    for (const e of selected) this.remove(journal, e);
    return selected;
  }

  /** Removes the flows that send to a group (a deleted group takes its flows with it, as in OVS). */
  deleteUsingGroup(groupId: number | undefined, journal: Journal | undefined): FlowEntry[] {
    const removed: FlowEntry[] = [];
    for (const table of this.tables.values())
      for (const e of table.values()) if (usesGroup(e, groupId)) removed.push(e);
    for (const e of removed) this.remove(journal, e);
    return removed;
  }

  select(s: Selection): FlowEntry[] {
    const out: FlowEntry[] = [];
    const tables =
      s.tableId === OFPTT_ALL
        ? [...this.tables.values()]
        : [this.tables.get(s.tableId) ?? new Map<string, FlowEntry>()];
    const strictKey = s.strict ? flowKey(s.priority, s.match) : '';
    for (const table of tables) {
      const candidates = s.strict ? [table.get(strictKey)] : table.values();
      for (const e of candidates) {
        if (!e) continue;
        if ((e.cookie & s.cookieMask) !== (s.cookie & s.cookieMask)) continue;
        if (s.outPort !== OFPP.ANY && !outputsTo(e, s.outPort)) continue;
        if (s.outGroup !== OFPG.ANY && !usesGroup(e, s.outGroup)) continue;
        if (!s.strict && s.match.length > 0 && !isAtLeastAsSpecific(this.normalOf(e), s.match)) continue;
        out.push(e);
      }
    }
    return out;
  }

  /** Flows of one table, highest priority first (ties by match key, so lookups are deterministic). */
  lookupOrder(tableId: number): readonly FlowEntry[] {
    let s = this.sorted.get(tableId);
    if (!s) {
      s = [...(this.tables.get(tableId)?.values() ?? [])].sort(
        (a, b) => b.priority - a.priority || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
      );
      this.sorted.set(tableId, s);
    }
    return s;
  }

  /** Every flow, by table, then priority (highest first), then match key. */
  all(): FlowEntry[] {
    return [...this.tables.keys()].sort((a, b) => a - b).flatMap((t) => this.lookupOrder(t));
  }

  undo(r: Extract<UndoRecord, { kind: 'flow' }>): void {
    const table = this.table(r.tableId);
    const had = table.has(r.key);
    if (r.prev) table.set(r.key, r.prev);
    else table.delete(r.key);
    this.count += (r.prev ? 1 : 0) - (had ? 1 : 0);
    this.sorted.delete(r.tableId);
  }

  clear(): void {
    this.tables.clear();
    this.sorted.clear();
    this.count = 0;
  }

  private table(tableId: number): Map<string, FlowEntry> {
    let t = this.tables.get(tableId);
    if (!t) {
      t = new Map();
      this.tables.set(tableId, t);
    }
    return t;
  }

  private put(journal: Journal | undefined, e: FlowEntry): void {
    const table = this.table(e.tableId);
    const prev = table.get(e.key);
    journal?.records.push({ kind: 'flow', tableId: e.tableId, key: e.key, prev });
    table.set(e.key, e);
    if (!prev) this.count++;
    this.sorted.delete(e.tableId);
  }

  private remove(journal: Journal | undefined, e: FlowEntry): void {
    const table = this.table(e.tableId);
    journal?.records.push({ kind: 'flow', tableId: e.tableId, key: e.key, prev: e });
    if (table.delete(e.key)) this.count--;
    this.sorted.delete(e.tableId);
  }
}
