// Flow-mod (§7.3.4.1), flow-removed (§7.4.2) and flow-stats entries (§7.3.5.2): the three
// structures that carry a match plus flow attributes.
import { decodeInstructions, encodeInstructions } from '../actions/codec.js';
import type { Reader, Writer } from '../bytes.js';
import { OFP_DEFAULT_PRIORITY, OFP_NO_BUFFER, OFPFC, OFPFF, OFPG, OFPP, OFPTT_ALL } from '../constants.js';
import { OpenFlowError } from '../errors.js';
import { enumCode } from './enum.js';
import { readMatch, writeMatch } from '../match/oxm.js';
import type { FlowMod, FlowModCommand, FlowModFlags, FlowStats, FlowStatsRequest } from './types.js';

const COMMANDS: readonly FlowModCommand[] = ['add', 'modify', 'modify_strict', 'delete', 'delete_strict'];

export function flagsToWire(f: FlowModFlags): number {
  return (
    (f.sendFlowRem ? OFPFF.SEND_FLOW_REM : 0) |
    (f.checkOverlap ? OFPFF.CHECK_OVERLAP : 0) |
    (f.resetCounts ? OFPFF.RESET_COUNTS : 0) |
    (f.noPacketCounts ? OFPFF.NO_PKT_COUNTS : 0) |
    (f.noByteCounts ? OFPFF.NO_BYT_COUNTS : 0)
  );
}

export function flagsFromWire(v: number): FlowModFlags {
  return {
    ...(v & OFPFF.SEND_FLOW_REM ? { sendFlowRem: true } : {}),
    ...(v & OFPFF.CHECK_OVERLAP ? { checkOverlap: true } : {}),
    ...(v & OFPFF.RESET_COUNTS ? { resetCounts: true } : {}),
    ...(v & OFPFF.NO_PKT_COUNTS ? { noPacketCounts: true } : {}),
    ...(v & OFPFF.NO_BYT_COUNTS ? { noByteCounts: true } : {}),
  };
}

/** A flow-mod with every optional attribute at its default; pass what differs. */
export function flowMod(fields: Partial<Omit<FlowMod, 'type'>> = {}): FlowMod {
  const command = fields.command ?? 'add';
  const isDelete = command === 'delete' || command === 'delete_strict';
  return {
    type: 'flow_mod',
    command,
    tableId: fields.tableId ?? (isDelete ? OFPTT_ALL : 0),
    priority: fields.priority ?? OFP_DEFAULT_PRIORITY,
    match: fields.match ?? [],
    instructions: fields.instructions ?? [],
    cookie: fields.cookie ?? 0n,
    cookieMask: fields.cookieMask ?? 0n,
    idleTimeout: fields.idleTimeout ?? 0,
    hardTimeout: fields.hardTimeout ?? 0,
    bufferId: fields.bufferId ?? OFP_NO_BUFFER,
    outPort: fields.outPort ?? OFPP.ANY,
    outGroup: fields.outGroup ?? OFPG.ANY,
    flags: fields.flags ?? {},
  };
}

/**
 * The add flow-mod that would have installed a dumped entry: the same table, priority, match,
 * instructions and cookie (its identity as a controller compares it), attributes at defaults.
 */
export function flowModOfStats(f: FlowStats): FlowMod {
  return flowMod({
    tableId: f.tableId,
    priority: f.priority,
    match: f.match,
    instructions: f.instructions,
    cookie: f.cookie,
  });
}

export function writeFlowMod(w: Writer, m: FlowMod): void {
  const command = enumCode(OFPFC, m.command, 'flow_mod command');
  w.u64(m.cookie, 'cookie');
  w.u64(m.cookieMask, 'cookie_mask');
  w.u8(m.tableId, 'table');
  w.u8(command);
  w.u16(m.idleTimeout, 'idle_timeout');
  w.u16(m.hardTimeout, 'hard_timeout');
  w.u16(m.priority, 'priority');
  w.u32(m.bufferId, 'buffer_id');
  w.u32(m.outPort, 'out_port');
  w.u32(m.outGroup, 'out_group');
  w.u16(flagsToWire(m.flags));
  w.zeros(2);
  writeMatch(w, m.match);
  encodeInstructions(w, m.instructions);
}

export function readFlowMod(r: Reader): FlowMod {
  const cookie = r.u64('cookie');
  const cookieMask = r.u64('cookie_mask');
  const tableId = r.u8('table_id');
  const commandAt = r.offset;
  const command = COMMANDS[r.u8('command')];
  if (command === undefined) throw new OpenFlowError('OF_BAD_VALUE', 'flow_mod command', commandAt);
  const idleTimeout = r.u16('idle_timeout');
  const hardTimeout = r.u16('hard_timeout');
  const priority = r.u16('priority');
  const bufferId = r.u32('buffer_id');
  const outPort = r.u32('out_port');
  const outGroup = r.u32('out_group');
  const flags = flagsFromWire(r.u16('flags'));
  r.skip(2);
  const match = readMatch(r);
  const instructions = decodeInstructions(r);
  return {
    type: 'flow_mod',
    command,
    tableId,
    priority,
    match,
    instructions,
    cookie,
    cookieMask,
    idleTimeout,
    hardTimeout,
    bufferId,
    outPort,
    outGroup,
    flags,
  };
}

export function writeFlowStatsRequest(w: Writer, q: FlowStatsRequest): void {
  w.u8(q.tableId, 'table_id');
  w.zeros(3);
  w.u32(q.outPort, 'out_port');
  w.u32(q.outGroup, 'out_group');
  w.zeros(4);
  w.u64(q.cookie, 'cookie');
  w.u64(q.cookieMask, 'cookie_mask');
  writeMatch(w, q.match);
}

export function readFlowStatsRequest(r: Reader): FlowStatsRequest {
  const tableId = r.u8('table_id');
  r.skip(3);
  const outPort = r.u32('out_port');
  const outGroup = r.u32('out_group');
  r.skip(4);
  const cookie = r.u64('cookie');
  const cookieMask = r.u64('cookie_mask');
  return { tableId, outPort, outGroup, cookie, cookieMask, match: readMatch(r) };
}

export function writeFlowStats(w: Writer, f: FlowStats): void {
  const start = w.length;
  w.u16(0);
  w.u8(f.tableId, 'table_id');
  w.u8(0);
  w.u32(f.durationSec, 'duration_sec');
  w.u32(f.durationNsec, 'duration_nsec');
  w.u16(f.priority, 'priority');
  w.u16(f.idleTimeout, 'idle_timeout');
  w.u16(f.hardTimeout, 'hard_timeout');
  w.u16(flagsToWire(f.flags));
  w.zeros(4);
  w.u64(f.cookie, 'cookie');
  w.u64(f.packetCount, 'packet_count');
  w.u64(f.byteCount, 'byte_count');
  writeMatch(w, f.match);
  encodeInstructions(w, f.instructions);
  w.patchU16(start, w.length - start);
}

export function readFlowStats(r: Reader): FlowStats {
  const start = r.offset;
  const length = r.u16('flow stats length');
  if (length < 56) throw new OpenFlowError('OF_BAD_LENGTH', `flow stats entry of ${length} bytes`, start);
  const e = r.sub(length - 2, 'flow stats entry');
  const tableId = e.u8('table_id');
  e.skip(1);
  const durationSec = e.u32('duration_sec');
  const durationNsec = e.u32('duration_nsec');
  const priority = e.u16('priority');
  const idleTimeout = e.u16('idle_timeout');
  const hardTimeout = e.u16('hard_timeout');
  const flags = flagsFromWire(e.u16('flags'));
  e.skip(4);
  const cookie = e.u64('cookie');
  const packetCount = e.u64('packet_count');
  const byteCount = e.u64('byte_count');
  const match = readMatch(e);
  const instructions = decodeInstructions(e);
  return {
    tableId,
    durationSec,
    durationNsec,
    priority,
    idleTimeout,
    hardTimeout,
    flags,
    cookie,
    packetCount,
    byteCount,
    match,
    instructions,
  };
}
