// Group-mod (§7.3.4.2) and group-desc entries (§7.3.5.7): a group type plus buckets.
import { decodeActions, encodeActions } from '../actions/codec.js';
import type { Reader, Writer } from '../bytes.js';
import { OFPG, OFPGC, OFPGT, OFPP } from '../constants.js';
import { OpenFlowError, invalid } from '../errors.js';
import { enumCode } from './enum.js';
import type { Bucket, GroupDesc, GroupMod, GroupType } from './types.js';

const TYPES: readonly GroupType[] = ['all', 'select', 'indirect', 'ff'];
const COMMANDS: readonly GroupMod['command'][] = ['add', 'modify', 'delete'];

/** A bucket with defaults: weight 0 (1 for select callers to override), no watch port/group. */
export function bucket(actions: Bucket['actions'], fields: Partial<Omit<Bucket, 'actions'>> = {}): Bucket {
  return {
    weight: fields.weight ?? 0,
    watchPort: fields.watchPort ?? OFPP.ANY,
    watchGroup: fields.watchGroup ?? OFPG.ANY,
    actions,
  };
}

export function writeBuckets(w: Writer, groupType: GroupType, buckets: readonly Bucket[]): void {
  for (const b of buckets) {
    if (groupType !== 'select' && b.weight !== 0)
      throw invalid(`bucket weight ${b.weight} in a ${groupType} group`);
    if (!Number.isInteger(b.weight) || b.weight < 0 || b.weight > 0xffff)
      throw invalid(`bucket weight ${b.weight}`);
    const start = w.length;
    w.u16(0);
    w.u16(b.weight, 'bucket weight');
    w.u32(b.watchPort, 'watch_port');
    w.u32(b.watchGroup, 'watch_group');
    w.zeros(4);
    encodeActions(w, b.actions);
    w.patchU16(start, w.length - start);
  }
}

export function readBuckets(r: Reader): Bucket[] {
  const out: Bucket[] = [];
  while (r.remaining > 0) {
    const start = r.offset;
    const len = r.u16('bucket length');
    if (len < 16 || len % 8 !== 0) throw new OpenFlowError('OF_BAD_LENGTH', `bucket length ${len}`, start);
    const b = r.sub(len - 2, 'bucket');
    const weight = b.u16('weight');
    const watchPort = b.u32('watch_port');
    const watchGroup = b.u32('watch_group');
    b.skip(4);
    out.push({ weight, watchPort, watchGroup, actions: decodeActions(b) });
  }
  return out;
}

export function writeGroupMod(w: Writer, m: GroupMod): void {
  w.u16(enumCode(OFPGC, m.command, 'group_mod command'));
  w.u8(enumCode(OFPGT, m.groupType, 'group type'));
  w.u8(0);
  w.u32(m.groupId, 'group id');
  writeBuckets(w, m.groupType, m.buckets);
}

export function groupTypeFromWire(v: number, at: number): GroupType {
  const t = TYPES[v];
  if (t === undefined) throw new OpenFlowError('OF_BAD_VALUE', `group type ${v}`, at);
  return t;
}

export function readGroupMod(r: Reader): GroupMod {
  const at = r.offset;
  const command = COMMANDS[r.u16('group command')];
  if (command === undefined) throw new OpenFlowError('OF_BAD_VALUE', 'group_mod command', at);
  const groupType = groupTypeFromWire(r.u8('group type'), at + 2);
  r.skip(1);
  const groupId = r.u32('group id');
  return { type: 'group_mod', command, groupType, groupId, buckets: readBuckets(r) };
}

export function readGroupDesc(r: Reader): GroupDesc {
  const start = r.offset;
  const len = r.u16('group desc length');
  if (len < 8) throw new OpenFlowError('OF_BAD_LENGTH', `group desc of ${len} bytes`, start);
  const e = r.sub(len - 2, 'group desc');
  const groupType = groupTypeFromWire(e.u8('group type'), start + 2);
  e.skip(1);
  const groupId = e.u32('group id');
  return { groupType, groupId, buckets: readBuckets(e) };
}

export function writeGroupDesc(w: Writer, g: GroupDesc): void {
  const start = w.length;
  w.u16(0);
  w.u8(enumCode(OFPGT, g.groupType, 'group type'));
  w.u8(0);
  w.u32(g.groupId, 'group id');
  writeBuckets(w, g.groupType, g.buckets);
  w.patchU16(start, w.length - start);
}
