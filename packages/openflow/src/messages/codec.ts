// The OpenFlow 1.3 message codec: header, dispatch by type, and the simple message bodies.
//
//   encodeMessage(message, xid) -> Buffer          one message
//   encodeMessageInto(writer, message, xid)        append to a batch (bundles, bulk sends)
//   decodeMessage(bytes) -> Envelope               total: any input yields an Envelope or an OpenFlowError
import { Reader, Writer } from '../bytes.js';
import {
  NX_VENDOR_ID,
  NXPIF,
  NXT,
  OFP13_VERSION,
  OFP_HEADER_LEN,
  OFP_MAX_MESSAGE_LEN,
  OFPCR_ROLE,
  OFPT,
  ONF_BCT,
  ONF_BF,
  ONF_VENDOR_ID,
  ONFT,
} from '../constants.js';
import { OpenFlowError, invalid } from '../errors.js';
import { enumCode } from './enum.js';
import { readMatch, writeMatch } from '../match/oxm.js';
import { readFlowMod, writeFlowMod } from './flow.js';
import { readGroupMod, writeGroupMod } from './group.js';
import {
  readMultipartReply,
  readMultipartRequest,
  writeMultipartReply,
  writeMultipartRequest,
} from './multipart.js';
import {
  readPacketIn,
  readPacketIn2,
  readPacketOut,
  readResume,
  writePacketIn,
  writePacketIn2,
  writePacketOut,
  writeResume,
} from './packet.js';
import { OFP_PORT_LEN, readPort, writePort } from './port.js';
import type { BundleControlType, BundleFlags, Envelope, OpenFlowMessage, Role } from './types.js';

const ROLES: readonly Role[] = ['nochange', 'equal', 'master', 'slave'];
const BUNDLE_TYPES: readonly BundleControlType[] = [
  'open_request',
  'open_reply',
  'close_request',
  'close_reply',
  'commit_request',
  'commit_reply',
  'discard_request',
  'discard_reply',
];
const PORT_REASONS = ['add', 'delete', 'modify'] as const;
const PIF_FORMATS = ['standard', 'nxt_packet_in', 'nxt_packet_in2'] as const;

function bundleFlagsToWire(f: BundleFlags): number {
  return (f.atomic ? ONF_BF.ATOMIC : 0) | (f.ordered ? ONF_BF.ORDERED : 0);
}

function bundleFlagsFromWire(v: number): BundleFlags {
  return { ...(v & ONF_BF.ATOMIC ? { atomic: true } : {}), ...(v & ONF_BF.ORDERED ? { ordered: true } : {}) };
}

function experimenterHeader(w: Writer, experimenter: number, expType: number): void {
  w.u32(experimenter);
  w.u32(expType);
}

/** OFPT code for a message (experimenter messages all use OFPT_EXPERIMENTER). */
function wireType(m: OpenFlowMessage): number {
  switch (m.type) {
    case 'hello':
      return OFPT.HELLO;
    case 'error':
      return OFPT.ERROR;
    case 'echo_request':
      return OFPT.ECHO_REQUEST;
    case 'echo_reply':
      return OFPT.ECHO_REPLY;
    case 'features_request':
      return OFPT.FEATURES_REQUEST;
    case 'features_reply':
      return OFPT.FEATURES_REPLY;
    case 'get_config_request':
      return OFPT.GET_CONFIG_REQUEST;
    case 'get_config_reply':
      return OFPT.GET_CONFIG_REPLY;
    case 'set_config':
      return OFPT.SET_CONFIG;
    case 'packet_in':
      return OFPT.PACKET_IN;
    case 'flow_removed':
      return OFPT.FLOW_REMOVED;
    case 'port_status':
      return OFPT.PORT_STATUS;
    case 'packet_out':
      return OFPT.PACKET_OUT;
    case 'flow_mod':
      return OFPT.FLOW_MOD;
    case 'group_mod':
      return OFPT.GROUP_MOD;
    case 'multipart_request':
      return OFPT.MULTIPART_REQUEST;
    case 'multipart_reply':
      return OFPT.MULTIPART_REPLY;
    case 'barrier_request':
      return OFPT.BARRIER_REQUEST;
    case 'barrier_reply':
      return OFPT.BARRIER_REPLY;
    case 'role_request':
      return OFPT.ROLE_REQUEST;
    case 'role_reply':
      return OFPT.ROLE_REPLY;
    case 'bundle_control':
    case 'bundle_add':
    case 'nx_set_packet_in_format':
    case 'nx_set_controller_id':
    case 'nx_packet_in2':
    case 'nx_resume':
      return OFPT.EXPERIMENTER;
    case 'unknown':
      return m.msgType;
    default:
      throw invalid(`unknown message type ${String((m as { type: unknown }).type)}`);
  }
}

function writeBody(w: Writer, m: OpenFlowMessage, xid: number): void {
  // wireType() already refused unknown message types.
  switch (m.type) {
    case 'hello': {
      // One OFPHET_VERSIONBITMAP element.
      let bitmap = 0;
      for (const v of m.versions) {
        if (v < 1 || v > 31) throw invalid(`hello version ${v}`);
        bitmap = (bitmap | (1 << v)) >>> 0;
      }
      if (bitmap !== 0) {
        w.u16(1);
        w.u16(8);
        w.u32(bitmap);
      }
      return;
    }
    case 'error':
      w.u16(m.errorType, 'error type');
      if (m.experimenter !== undefined && m.errorType !== 0xffff) {
        throw invalid(
          `error experimenter is only valid with errorType 0xffff (OFPET_EXPERIMENTER), not ${m.errorType}`,
        );
      }
      if (m.experimenter !== undefined) {
        w.u16(m.code, 'error code');
        w.u32(m.experimenter, 'error experimenter');
      } else {
        w.u16(m.code, 'error code');
      }
      w.bytes(m.data, 'data');
      return;
    case 'echo_request':
    case 'echo_reply':
      w.bytes(m.data, 'data');
      return;
    case 'features_request':
    case 'get_config_request':
    case 'barrier_request':
    case 'barrier_reply':
      return;
    case 'features_reply':
      w.u64(m.datapathId, 'datapath_id');
      w.u32(m.nBuffers, 'n_buffers');
      w.u8(m.nTables, 'n_tables');
      w.u8(m.auxiliaryId, 'auxiliary_id');
      w.zeros(2);
      w.u32(m.capabilities, 'capabilities');
      w.u32(0);
      return;
    case 'get_config_reply':
    case 'set_config':
      w.u16(m.flags, 'config flags');
      w.u16(m.missSendLen, 'miss_send_len');
      return;
    case 'packet_in':
      writePacketIn(w, m);
      return;
    case 'flow_removed':
      w.u64(m.cookie, 'cookie');
      w.u16(m.priority, 'priority');
      w.u8(m.reason, 'flow_removed reason');
      w.u8(m.tableId, 'table_id');
      w.u32(m.durationSec, 'duration_sec');
      w.u32(m.durationNsec, 'duration_nsec');
      w.u16(m.idleTimeout, 'idle_timeout');
      w.u16(m.hardTimeout, 'hard_timeout');
      w.u64(m.packetCount, 'packet_count');
      w.u64(m.byteCount, 'byte_count');
      writeMatch(w, m.match);
      return;
    case 'port_status':
      w.u8(enumCode({ ADD: 0, DELETE: 1, MODIFY: 2 }, m.reason, 'port_status reason'));
      w.zeros(7);
      writePort(w, m.port);
      return;
    case 'packet_out':
      writePacketOut(w, m);
      return;
    case 'flow_mod':
      writeFlowMod(w, m);
      return;
    case 'group_mod':
      writeGroupMod(w, m);
      return;
    case 'multipart_request':
      writeMultipartRequest(w, m.more, m.body);
      return;
    case 'multipart_reply':
      writeMultipartReply(w, m.more, m.body);
      return;
    case 'role_request':
    case 'role_reply':
      w.u32(enumCode(OFPCR_ROLE, m.role, 'role'));
      w.zeros(4);
      w.u64(m.generationId, 'generation_id');
      return;
    case 'bundle_control':
      experimenterHeader(w, ONF_VENDOR_ID, ONFT.BUNDLE_CONTROL);
      w.u32(m.bundleId, 'bundle_id');
      w.u16(enumCode(ONF_BCT, m.controlType, 'bundle control type'));
      w.u16(bundleFlagsToWire(m.flags));
      return;
    case 'bundle_add':
      if (m.message.type === 'bundle_add' || m.message.type === 'bundle_control') {
        throw invalid('a bundle cannot contain bundle messages');
      }
      experimenterHeader(w, ONF_VENDOR_ID, ONFT.BUNDLE_ADD_MESSAGE);
      w.u32(m.bundleId, 'bundle_id');
      w.zeros(2);
      w.u16(bundleFlagsToWire(m.flags));
      encodeMessageInto(w, m.message, xid);
      return;
    case 'nx_set_packet_in_format':
      experimenterHeader(w, NX_VENDOR_ID, NXT.SET_PACKET_IN_FORMAT);
      w.u32(enumCode(NXPIF, m.format, 'packet-in format'));
      return;
    case 'nx_set_controller_id':
      experimenterHeader(w, NX_VENDOR_ID, NXT.SET_CONTROLLER_ID);
      w.zeros(6);
      w.u16(m.controllerId, 'controller id');
      return;
    case 'nx_packet_in2':
      experimenterHeader(w, NX_VENDOR_ID, NXT.PACKET_IN2);
      writePacketIn2(w, m);
      return;
    case 'nx_resume':
      experimenterHeader(w, NX_VENDOR_ID, NXT.RESUME);
      writeResume(w, m);
      return;
    case 'unknown':
      if (m.experimenter !== undefined) experimenterHeader(w, m.experimenter, m.expType ?? 0);
      w.bytes(m.body, 'body');
      return;
  }
}

/** Appends one complete message (header included) to `w`. */
export function encodeMessageInto(w: Writer, message: OpenFlowMessage, xid: number): void {
  const start = w.length;
  w.u8(OFP13_VERSION);
  w.u8(wireType(message));
  w.u16(0);
  w.u32(xid, 'xid');
  writeBody(w, message, xid);
  const length = w.length - start;
  if (length > OFP_MAX_MESSAGE_LEN) throw invalid(`${message.type} message of ${length} bytes exceeds 65535`);
  w.patchU16(start + 2, length);
}

const scratch = new Writer(4096);

/** Encodes one message into a fresh Buffer. */
export function encodeMessage(message: OpenFlowMessage, xid: number): Buffer {
  scratch.reset();
  encodeMessageInto(scratch, message, xid);
  return scratch.toBuffer();
}

/**
 * Decodes exactly one message. `bytes` must hold the whole message (the framer guarantees it).
 * Throws only OpenFlowError.
 */
export function decodeMessage(bytes: Buffer): Envelope {
  try {
    return decodeUnchecked(bytes);
  } catch (error) {
    if (error instanceof OpenFlowError) throw error;
    // A codec bug must not escape as a RangeError into a daemon's event loop.
    throw new OpenFlowError('OF_BAD_VALUE', `malformed message: ${(error as Error).message}`);
  }
}

function decodeUnchecked(bytes: Buffer): Envelope {
  if (bytes.length < OFP_HEADER_LEN)
    throw new OpenFlowError('OF_TRUNCATED', `message of ${bytes.length} bytes`, 0);
  const version = bytes[0] as number;
  const type = bytes[1] as number;
  const length = bytes.readUInt16BE(2);
  const xid = bytes.readUInt32BE(4);
  if (length < OFP_HEADER_LEN || length > bytes.length) {
    throw new OpenFlowError('OF_BAD_LENGTH', `header length ${length}, have ${bytes.length} bytes`, 2);
  }
  const r = new Reader(bytes, OFP_HEADER_LEN, length);
  if (type === OFPT.HELLO) return { version, xid, message: readHello(r) };
  if (version !== OFP13_VERSION) {
    throw new OpenFlowError(
      'OF_PROTOCOL',
      `OpenFlow version 0x${version.toString(16)} (only 1.3 is spoken)`,
      0,
    );
  }
  return { version, xid, message: readBody(r, type, xid) };
}

function readHello(r: Reader): OpenFlowMessage {
  const versions: number[] = [];
  while (r.remaining >= 4) {
    const start = r.offset;
    const type = r.u16('hello element type');
    const len = r.u16('hello element length');
    if (len < 4) throw new OpenFlowError('OF_BAD_LENGTH', `hello element length ${len}`, start);
    const e = r.sub(len - 4, 'hello element');
    r.skip(Math.min(((len + 7) & ~7) - len, r.remaining));
    if (type !== 1) continue;
    let word = 0;
    while (e.remaining >= 4) {
      const bits = e.u32('version bitmap');
      for (let b = 0; b < 32; b++) if (bits & (1 << b)) versions.push(word * 32 + b);
      word++;
    }
  }
  return { type: 'hello', versions };
}

function readBody(r: Reader, type: number, xid: number): OpenFlowMessage {
  switch (type) {
    case OFPT.ERROR: {
      const errorType = r.u16('error type');
      if (errorType === 0xffff) {
        const code = r.u16('error exp_type');
        const experimenter = r.u32('error experimenter');
        return { type: 'error', errorType, code, experimenter, data: r.bytes(r.remaining) };
      }
      const code = r.u16('error code');
      return { type: 'error', errorType, code, data: r.bytes(r.remaining) };
    }
    case OFPT.ECHO_REQUEST:
      return { type: 'echo_request', data: r.bytes(r.remaining) };
    case OFPT.ECHO_REPLY:
      return { type: 'echo_reply', data: r.bytes(r.remaining) };
    case OFPT.FEATURES_REQUEST:
      return { type: 'features_request' };
    case OFPT.FEATURES_REPLY: {
      const datapathId = r.u64('datapath_id');
      const nBuffers = r.u32('n_buffers');
      const nTables = r.u8('n_tables');
      const auxiliaryId = r.u8('auxiliary_id');
      r.skip(2);
      const capabilities = r.u32('capabilities');
      r.skip(4);
      return { type: 'features_reply', datapathId, nBuffers, nTables, auxiliaryId, capabilities };
    }
    case OFPT.GET_CONFIG_REQUEST:
      return { type: 'get_config_request' };
    case OFPT.GET_CONFIG_REPLY:
    case OFPT.SET_CONFIG: {
      const flags = r.u16('config flags');
      const missSendLen = r.u16('miss_send_len');
      return { type: type === OFPT.SET_CONFIG ? 'set_config' : 'get_config_reply', flags, missSendLen };
    }
    case OFPT.PACKET_IN:
      return readPacketIn(r);
    case OFPT.FLOW_REMOVED: {
      const cookie = r.u64('cookie');
      const priority = r.u16('priority');
      const reason = r.u8('reason');
      const tableId = r.u8('table_id');
      const durationSec = r.u32('duration_sec');
      const durationNsec = r.u32('duration_nsec');
      const idleTimeout = r.u16('idle_timeout');
      const hardTimeout = r.u16('hard_timeout');
      const packetCount = r.u64('packet_count');
      const byteCount = r.u64('byte_count');
      const match = readMatch(r);
      return {
        type: 'flow_removed',
        cookie,
        priority,
        reason,
        tableId,
        durationSec,
        durationNsec,
        idleTimeout,
        hardTimeout,
        packetCount,
        byteCount,
        match,
      };
    }
    case OFPT.PORT_STATUS: {
      const at = r.offset;
      const reason = PORT_REASONS[r.u8('port status reason')];
      if (reason === undefined) throw new OpenFlowError('OF_BAD_VALUE', 'port status reason', at);
      r.skip(7);
      return { type: 'port_status', reason, port: readPort(r.sub(OFP_PORT_LEN, 'ofp_port')) };
    }
    case OFPT.PACKET_OUT:
      return readPacketOut(r);
    case OFPT.FLOW_MOD:
      return readFlowMod(r);
    case OFPT.GROUP_MOD:
      return readGroupMod(r);
    case OFPT.MULTIPART_REQUEST:
      return { type: 'multipart_request', ...readMultipartRequest(r) };
    case OFPT.MULTIPART_REPLY:
      return { type: 'multipart_reply', ...readMultipartReply(r) };
    case OFPT.BARRIER_REQUEST:
      return { type: 'barrier_request' };
    case OFPT.BARRIER_REPLY:
      return { type: 'barrier_reply' };
    case OFPT.ROLE_REQUEST:
    case OFPT.ROLE_REPLY: {
      const at = r.offset;
      const role = ROLES[r.u32('role')];
      if (role === undefined) throw new OpenFlowError('OF_BAD_VALUE', 'role', at);
      r.skip(4);
      const generationId = r.u64('generation_id');
      return { type: type === OFPT.ROLE_REQUEST ? 'role_request' : 'role_reply', role, generationId };
    }
    case OFPT.EXPERIMENTER:
      return readExperimenter(r, xid);
    default:
      return { type: 'unknown', msgType: type, body: r.bytes(r.remaining) };
  }
}

function readExperimenter(r: Reader, xid: number): OpenFlowMessage {
  const experimenter = r.u32('experimenter');
  const expType = r.u32('exp_type');
  if (experimenter === ONF_VENDOR_ID && expType === ONFT.BUNDLE_CONTROL) {
    const bundleId = r.u32('bundle_id');
    const at = r.offset;
    const controlType = BUNDLE_TYPES[r.u16('bundle control type')];
    if (controlType === undefined) throw new OpenFlowError('OF_BAD_VALUE', 'bundle control type', at);
    return {
      type: 'bundle_control',
      bundleId,
      controlType,
      flags: bundleFlagsFromWire(r.u16('bundle flags')),
    };
  }
  if (experimenter === ONF_VENDOR_ID && expType === ONFT.BUNDLE_ADD_MESSAGE) {
    const bundleId = r.u32('bundle_id');
    r.skip(2);
    const flags = bundleFlagsFromWire(r.u16('bundle flags'));
    const innerAt = r.offset;
    const innerLen = r.peekU16(innerAt + 2, 'bundled message length');
    const inner = decodeMessage(Buffer.from(r.bytes(innerLen, 'bundled message')));
    if (inner.xid !== xid)
      throw new OpenFlowError('OF_BAD_VALUE', 'bundled message xid differs from bundle_add xid', innerAt);
    return { type: 'bundle_add', bundleId, flags, message: inner.message };
  }
  if (experimenter === NX_VENDOR_ID) {
    switch (expType) {
      case NXT.SET_PACKET_IN_FORMAT: {
        const at = r.offset;
        const format = PIF_FORMATS[r.u32('packet-in format')];
        if (format === undefined) throw new OpenFlowError('OF_BAD_VALUE', 'packet-in format', at);
        return { type: 'nx_set_packet_in_format', format };
      }
      case NXT.SET_CONTROLLER_ID:
        r.skip(6);
        return { type: 'nx_set_controller_id', controllerId: r.u16('controller id') };
      case NXT.PACKET_IN2:
        return readPacketIn2(r);
      case NXT.RESUME:
        return readResume(r);
      default:
        break;
    }
  }
  return { type: 'unknown', msgType: OFPT.EXPERIMENTER, experimenter, expType, body: r.bytes(r.remaining) };
}
