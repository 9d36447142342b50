// Packet-in (§7.4.1), packet-out (§7.3.7) and Open vSwitch's NXT_PACKET_IN2 / NXT_RESUME.
import { decodeActions, encodeActions } from '../actions/codec.js';
import { PACKET_IN_REASONS, type PacketInReasonName } from '../actions/types.js';
import type { Reader, Writer } from '../bytes.js';
import { OFP_NO_BUFFER } from '../constants.js';
import { OpenFlowError, invalid } from '../errors.js';
import {
  readMatch,
  readOxm,
  writeMatch,
  writeOxm,
  canonicalMatchOrder,
  validateMatch,
} from '../match/oxm.js';
import type { Match, MatchEntry } from '../match/types.js';
import type { NxPacketIn2, NxResume, PacketIn, PacketOut } from './types.js';

export function reasonFromWire(v: number, at: number): PacketInReasonName {
  const r = PACKET_IN_REASONS[v];
  if (r === undefined) throw new OpenFlowError('OF_BAD_VALUE', `packet-in reason ${v}`, at);
  return r;
}

export function reasonToWire(r: PacketInReasonName): number {
  const v = PACKET_IN_REASONS.indexOf(r);
  if (v < 0) throw invalid(`packet-in reason ${String(r)}`);
  return v;
}

export function writePacketIn(w: Writer, m: PacketIn): void {
  w.u32(m.bufferId, 'buffer_id');
  w.u16(m.totalLen, 'total_len');
  w.u8(reasonToWire(m.reason));
  w.u8(m.tableId, 'table_id');
  w.u64(m.cookie, 'cookie');
  writeMatch(w, m.match);
  w.zeros(2);
  w.bytes(m.data, 'packet data');
}

export function readPacketIn(r: Reader): PacketIn {
  const bufferId = r.u32('buffer_id');
  const totalLen = r.u16('total_len');
  const reasonAt = r.offset;
  const reason = reasonFromWire(r.u8('reason'), reasonAt);
  const tableId = r.u8('table_id');
  const cookie = r.u64('cookie');
  const match = readMatch(r);
  r.skip(2);
  const data = r.bytes(r.remaining, 'packet data');
  return { type: 'packet_in', bufferId, totalLen, reason, tableId, cookie, match, data };
}

export function writePacketOut(w: Writer, m: PacketOut): void {
  w.u32(m.bufferId, 'buffer_id');
  w.u32(m.inPort, 'in_port');
  const lenAt = w.length;
  w.u16(0);
  w.zeros(6);
  const actionsStart = w.length;
  encodeActions(w, m.actions);
  w.patchU16(lenAt, w.length - actionsStart);
  if (m.bufferId === OFP_NO_BUFFER) w.bytes(m.data, 'packet data');
}

export function readPacketOut(r: Reader): PacketOut {
  const bufferId = r.u32('buffer_id');
  const inPort = r.u32('in_port');
  const actionsLen = r.u16('actions_len');
  r.skip(6);
  const actions = decodeActions(r.sub(actionsLen, 'packet-out actions'));
  const data = r.bytes(r.remaining, 'packet data');
  return { type: 'packet_out', bufferId, inPort, actions, data };
}

// NXT_PACKET_IN2 / NXT_RESUME properties (nicira-ext.h, enum nx_packet_in2_prop_type).
const NXPINT = {
  PACKET: 0,
  FULL_LEN: 1,
  BUFFER_ID: 2,
  TABLE_ID: 3,
  COOKIE: 4,
  REASON: 5,
  METADATA: 6,
  USERDATA: 7,
  CONTINUATION: 8,
} as const;

function prop(w: Writer, type: number, body: () => void): void {
  const start = w.length;
  w.u16(type);
  w.u16(0);
  body();
  w.patchU16(start + 2, w.length - start);
  w.pad8(start);
}

function writeMetadata(w: Writer, match: Match): void {
  validateMatch(match);
  for (const e of canonicalMatchOrder(match)) writeOxm(w, e);
}

export function writePacketIn2(w: Writer, m: NxPacketIn2): void {
  prop(w, NXPINT.PACKET, () => w.bytes(m.data, 'packet data'));
  if (m.fullLen !== undefined) prop(w, NXPINT.FULL_LEN, () => w.u32(m.fullLen ?? 0, 'full_len'));
  if (m.bufferId !== undefined) prop(w, NXPINT.BUFFER_ID, () => w.u32(m.bufferId ?? 0, 'buffer_id'));
  prop(w, NXPINT.TABLE_ID, () => w.u8(m.tableId, 'table_id'));
  prop(w, NXPINT.COOKIE, () => {
    w.zeros(4);
    w.u64(m.cookie, 'cookie');
  });
  prop(w, NXPINT.REASON, () => w.u8(reasonToWire(m.reason)));
  prop(w, NXPINT.METADATA, () => writeMetadata(w, m.metadata));
  if (m.userdata) prop(w, NXPINT.USERDATA, () => w.bytes(m.userdata ?? Buffer.alloc(0)));
  if (m.continuation) prop(w, NXPINT.CONTINUATION, () => w.bytes(m.continuation ?? Buffer.alloc(0)));
}

export function writeResume(w: Writer, m: NxResume): void {
  prop(w, NXPINT.PACKET, () => w.bytes(m.data, 'packet data'));
  prop(w, NXPINT.METADATA, () => writeMetadata(w, m.metadata));
  prop(w, NXPINT.CONTINUATION, () => w.bytes(m.continuation));
}

interface Props2 {
  data?: Buffer;
  fullLen?: number;
  bufferId?: number;
  tableId?: number;
  cookie?: bigint;
  reason?: PacketInReasonName;
  metadata?: Match;
  userdata?: Buffer;
  continuation?: Buffer;
}

function readProps2(r: Reader): Props2 {
  const p: Props2 = {};
  while (r.remaining >= 4) {
    const start = r.offset;
    const type = r.u16('property type');
    const len = r.u16('property length');
    if (len < 4) throw new OpenFlowError('OF_BAD_LENGTH', `packet-in2 property length ${len}`, start);
    const v = r.sub(len - 4, 'packet-in2 property');
    r.skip(Math.min(((len + 7) & ~7) - len, r.remaining), 'property padding');
    switch (type) {
      case NXPINT.PACKET:
        p.data = v.bytes(v.remaining);
        break;
      case NXPINT.FULL_LEN:
        p.fullLen = v.u32('full_len');
        break;
      case NXPINT.BUFFER_ID:
        p.bufferId = v.u32('buffer_id');
        break;
      case NXPINT.TABLE_ID:
        p.tableId = v.u8('table_id');
        break;
      case NXPINT.COOKIE:
        v.skip(4);
        p.cookie = v.u64('cookie');
        break;
      case NXPINT.REASON:
        p.reason = reasonFromWire(v.u8('reason'), start + 4);
        break;
      case NXPINT.METADATA: {
        const entries: MatchEntry[] = [];
        while (v.remaining > 0) entries.push(readOxm(v));
        p.metadata = entries;
        break;
      }
      case NXPINT.USERDATA:
        p.userdata = v.bytes(v.remaining);
        break;
      case NXPINT.CONTINUATION:
        p.continuation = v.bytes(v.remaining);
        break;
      default:
        // Unknown properties with the "may ignore" bit (0x8000 in experimenter space) are skipped.
        break;
    }
  }
  return p;
}

export function readPacketIn2(r: Reader): NxPacketIn2 {
  const p = readProps2(r);
  if (!p.data) throw new OpenFlowError('OF_BAD_VALUE', 'packet-in2 without a packet property');
  return {
    type: 'nx_packet_in2',
    data: p.data,
    ...(p.fullLen === undefined ? {} : { fullLen: p.fullLen }),
    ...(p.bufferId === undefined ? {} : { bufferId: p.bufferId }),
    tableId: p.tableId ?? 0,
    cookie: p.cookie ?? 0n,
    reason: p.reason ?? 'no_match',
    metadata: p.metadata ?? [],
    ...(p.userdata === undefined ? {} : { userdata: p.userdata }),
    ...(p.continuation === undefined ? {} : { continuation: p.continuation }),
  };
}

export function readResume(r: Reader): NxResume {
  const p = readProps2(r);
  if (!p.data || !p.continuation)
    throw new OpenFlowError('OF_BAD_VALUE', 'resume without packet or continuation');
  return { type: 'nx_resume', data: p.data, metadata: p.metadata ?? [], continuation: p.continuation };
}
