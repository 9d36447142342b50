// One installed flow. Entries are immutable except for their counters: a modify replaces the
// entry, so an undo record can simply hold the previous object. The match and instruction
// arrays are the decoded flow-mod's own (no copies); the normal form of the match is not kept
// (it is rebuilt when needed, and cached only for tables a trace walks) to keep 50 switches of
// 20,000 flows small.
import { OFPP, type FlowModFlags, type FlowStats, type Instruction, type Match } from '@weir/openflow';

export interface FlowEntry {
  readonly tableId: number;
  readonly priority: number;
  /** `priority/match key`: the flow's identity within its table. */
  readonly key: string;
  readonly match: Match;
  readonly instructions: readonly Instruction[];
  readonly cookie: bigint;
  readonly flags: FlowModFlags;
  readonly idleTimeout: number;
  readonly hardTimeout: number;
  /** When the flow was added: milliseconds after its table's epoch (see FlowTable.ageOf). */
  readonly created: number;
  packets: bigint;
  bytes: bigint;
}

/** The flow as a flow-stats entry (what OFPMP_FLOW replies carry and ovs-ofctl prints). */
export function flowStatsOf(e: FlowEntry, ageMs: number): FlowStats {
  const ms = Math.max(0, ageMs);
  return {
    tableId: e.tableId,
    durationSec: Math.floor(ms / 1000),
    durationNsec: Math.round(ms % 1000) * 1_000_000,
    priority: e.priority,
    idleTimeout: e.idleTimeout,
    hardTimeout: e.hardTimeout,
    flags: e.flags,
    cookie: e.cookie,
    packetCount: e.packets,
    byteCount: e.bytes,
    match: e.match,
    instructions: e.instructions,
  };
}

/** Ports and groups a flow sends to (the out_port / out_group filters of delete and stats). */
export function outputsTo(e: FlowEntry, port: number): boolean {
  return e.instructions.some(
    (i) =>
      (i.type === 'apply_actions' || i.type === 'write_actions') &&
      i.actions.some(
        (a) =>
          (a.type === 'output' && a.port === port) || (a.type === 'controller' && port === OFPP.CONTROLLER),
      ),
  );
}

export function usesGroup(e: FlowEntry, groupId: number | undefined): boolean {
  return e.instructions.some(
    (i) =>
      (i.type === 'apply_actions' || i.type === 'write_actions') &&
      i.actions.some((a) => a.type === 'group' && (groupId === undefined || a.groupId === groupId)),
  );
}
