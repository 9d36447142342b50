// Encoding and decoding of action lists and instructions (OpenFlow 1.3 §7.2.4–7.2.5 plus the
// Nicira actions Open vSwitch understands). Encodings are byte-identical to what ovs-ofctl sends
// for the same action text; test/fixtures holds captured vectors that prove it.
import type { Reader, Writer } from '../bytes.js';
import { NX_VENDOR_ID, NXAST, OFPAT, OFPIT, OFPP, OFPR } from '../constants.js';
import { OpenFlowError, invalid } from '../errors.js';
import { fieldByName } from '../fields/registry.js';
import { checkValue, valueToBigInt, writeValue } from '../fields/values.js';
import { readOxm, writeFieldHeader } from '../match/oxm.js';
import { decodeCt, encodeCt } from './ct.js';
import { beginAction, beginNx, endAction } from './header.js';
import { decodeLearn, encodeLearn } from './learn.js';
import { checkSubfield, makeSubfield, ofsNbits, readSubfieldField, writeSubfieldHeader } from './subfield.js';
import {
  PACKET_IN_REASONS,
  type Action,
  type ControllerAction,
  type Instruction,
  type PacketInReasonName,
  type SetFieldAction,
} from './types.js';

const NX_CTLR_NO_METER = 0;
const NXAC2PT = { MAX_LEN: 0, CONTROLLER_ID: 1, REASON: 2, USERDATA: 3, PAUSE: 4, METER_ID: 5 } as const;

/**
 * Encodes an action list. `inCtExec` is true only for the actions inside ct(exec(…)), the one
 * place where Open vSwitch lets ct_mark and ct_label be written.
 */
export function encodeActions(w: Writer, actions: readonly Action[], inCtExec = false): void {
  let conjunctions = 0;
  for (const a of actions) if (a.type === 'conjunction') conjunctions++;
  if (conjunctions > 0) {
    for (const a of actions) {
      if (a.type !== 'conjunction' && a.type !== 'note') {
        throw invalid(`conjunction actions may be combined only with note, not with ${a.type}`);
      }
    }
  }
  for (const a of actions) encodeAction(w, a, inCtExec);
}

function checkCtWrite(field: string, inCtExec: boolean): void {
  if ((field === 'ct_mark' || field === 'ct_label') && !inCtExec) {
    throw invalid(`${field} can only be written inside ct(commit,exec(…))`);
  }
}

export function encodeAction(w: Writer, a: Action, inCtExec = false): void {
  switch (a.type) {
    case 'output': {
      const start = beginAction(w, OFPAT.OUTPUT);
      w.u32(a.port, 'output port');
      w.u16(a.maxLen ?? (a.port === OFPP.CONTROLLER ? 0xffff : 0), 'output max_len');
      w.zeros(6);
      endAction(w, start);
      return;
    }
    case 'group': {
      const start = beginAction(w, OFPAT.GROUP);
      w.u32(a.groupId, 'group id');
      endAction(w, start);
      return;
    }
    case 'set_field':
      checkCtWrite(a.field, inCtExec);
      encodeSetField(w, a);
      return;
    case 'load': {
      const spec = checkSubfield(a.dst, 'load destination');
      if (!spec.writable) throw invalid(`field ${a.dst.field} is read-only`);
      checkCtWrite(a.dst.field, inCtExec);
      if (typeof a.value !== 'bigint') throw invalid(`load value must be a bigint, got ${typeof a.value}`);
      if (a.dst.nBits > 64)
        throw invalid(`load destination ${a.dst.field} is ${a.dst.nBits} bits; reg_load carries at most 64`);
      if (a.value < 0n || a.value >> BigInt(a.dst.nBits) !== 0n)
        throw invalid(`load value ${a.value} does not fit ${a.dst.nBits} bits`);
      const start = beginNx(w, NXAST.REG_LOAD);
      w.u16(ofsNbits(a.dst, 'load destination'));
      writeSubfieldHeader(w, a.dst);
      w.u64(a.value);
      endAction(w, start);
      return;
    }
    case 'move': {
      checkSubfield(a.src, 'move source');
      const dspec = checkSubfield(a.dst, 'move destination');
      if (!dspec.writable) throw invalid(`field ${a.dst.field} is read-only`);
      checkCtWrite(a.dst.field, inCtExec);
      if (a.src.nBits !== a.dst.nBits) throw invalid(`move of ${a.src.nBits} bits into ${a.dst.nBits} bits`);
      const start = beginNx(w, NXAST.REG_MOVE);
      w.u16(a.src.nBits);
      w.u16(a.src.start);
      w.u16(a.dst.start);
      writeSubfieldHeader(w, a.src);
      writeSubfieldHeader(w, a.dst);
      endAction(w, start);
      return;
    }
    case 'resubmit': {
      // Open vSwitch always sends resubmit_table (table 0xff = current table), never plain resubmit.
      const start = beginNx(w, a.ct ? NXAST.RESUBMIT_TABLE_CT : NXAST.RESUBMIT_TABLE);
      w.u16(a.port === undefined ? 0xfff8 : portTo16(a.port));
      w.u8(a.table === undefined ? 0xff : a.table, 'resubmit table');
      endAction(w, start);
      return;
    }
    case 'ct':
      encodeCt(w, a, encodeActions);
      return;
    case 'ct_clear': {
      const start = beginNx(w, NXAST.CT_CLEAR);
      endAction(w, start);
      return;
    }
    case 'conjunction': {
      if (a.nClauses < 2 || a.nClauses > 64 || a.clause < 1 || a.clause > a.nClauses) {
        throw invalid(`conjunction clause ${a.clause}/${a.nClauses}: need 1 <= clause <= n, 2 <= n <= 64`);
      }
      const start = beginNx(w, NXAST.CONJUNCTION);
      w.u8(a.clause - 1, 'conjunction clause');
      w.u8(a.nClauses, 'conjunction n_clauses');
      w.u32(a.id, 'conjunction id');
      endAction(w, start);
      return;
    }
    case 'learn':
      encodeLearn(w, a);
      return;
    case 'dec_ttl': {
      const ids = a.controllerIds ?? [];
      if (ids.length === 0) {
        const start = beginAction(w, OFPAT.DEC_NW_TTL);
        endAction(w, start);
      } else {
        const start = beginNx(w, NXAST.DEC_TTL_CNT_IDS);
        w.u16(ids.length, 'dec_ttl controller count');
        w.zeros(4);
        for (const id of ids) w.u16(id, 'dec_ttl controller id');
        endAction(w, start);
      }
      return;
    }
    case 'push_vlan': {
      const start = beginAction(w, OFPAT.PUSH_VLAN);
      w.u16(a.ethertype, 'push_vlan ethertype');
      endAction(w, start);
      return;
    }
    case 'pop_vlan': {
      const start = beginAction(w, OFPAT.POP_VLAN);
      endAction(w, start);
      return;
    }
    case 'note': {
      const start = beginNx(w, NXAST.NOTE);
      w.bytes(a.data, 'note');
      // ovs-ofctl pads a note to at least 6 bytes so the action is at least 16 bytes long.
      if (a.data.length < 6) w.zeros(6 - a.data.length);
      endAction(w, start);
      return;
    }
    case 'controller':
      encodeController(w, a);
      return;
    case 'output_reg': {
      checkSubfield(a.src, 'output_reg source');
      const start = beginNx(w, NXAST.OUTPUT_REG);
      w.u16(ofsNbits(a.src, 'output_reg source'));
      writeSubfieldHeader(w, a.src);
      w.u16(a.maxLen ?? 0xffff, 'output_reg max_len');
      endAction(w, start);
      return;
    }
    case 'set_queue': {
      const start = beginAction(w, OFPAT.SET_QUEUE);
      w.u32(a.queueId, 'queue id');
      endAction(w, start);
      return;
    }
    case 'exit': {
      const start = beginNx(w, NXAST.EXIT);
      endAction(w, start);
      return;
    }
    case 'raw':
      if (!(a.bytes instanceof Uint8Array) || a.bytes.length < 8 || a.bytes.length % 8 !== 0) {
        throw invalid(
          `raw action of ${a.bytes instanceof Uint8Array ? a.bytes.length : 'non-byte'} bytes: must be a multiple of 8 (at least 8)`,
        );
      }
      w.bytes(a.bytes);
      return;
    default:
      throw invalid(`unknown action type ${String((a as { type: unknown }).type)}`);
  }
}

/** Nicira actions address ports with 16 bits; reserved 32-bit ports map to 0xfff8…0xffff. */
function portTo16(port: number): number {
  // OpenFlow 1.0 numbering: ports below 0xff00, reserved ports 0xfff8..0xffff.
  if (port >= OFPP.IN_PORT && port <= OFPP.ANY) return port - 0xffff0000;
  if (!Number.isInteger(port) || port < 0 || port >= 0xff00) {
    throw invalid(
      `port ${port} cannot be expressed in a 16-bit Nicira action (0..0xfeff or a reserved port)`,
    );
  }
  return port;
}

function portFrom16(port: number): number {
  return port >= 0xfff8 ? port + 0xffff0000 : port;
}

function encodeSetField(w: Writer, a: SetFieldAction): void {
  const spec = fieldByName(a.field);
  if (!spec?.oxm) throw invalid(`field ${a.field} cannot be set`);
  if (a.mask !== undefined && !spec.maskable) throw invalid(`field ${a.field} cannot be masked`);
  if (!spec.writable) throw invalid(`field ${a.field} is read-only`);
  checkValue(spec, a.value);
  if (a.field === 'vlan_vid' && a.mask === undefined && (a.value & 0x1000) === 0) {
    throw invalid('set_field vlan_vid needs OFPVID_PRESENT (0x1000) in the value');
  }
  if (a.mask !== undefined) {
    // OpenFlow 1.3 set_field has no mask: Open vSwitch's reg_load2 carries a masked OXM.
    if (!spec.maskable) throw invalid(`field ${a.field} cannot be masked`);
    checkValue(spec, a.mask, 'mask');
    const start = beginNx(w, NXAST.REG_LOAD2);
    writeFieldHeader(w, spec.oxm, spec.bytes, true);
    // The value may not have bits outside the mask (OFPBMC_BAD_WILDCARDS).
    if (valueToBigInt(spec, a.value) & ~valueToBigInt(spec, a.mask)) {
      throw invalid(
        `set_field ${a.field}: value ${String(a.value)} has bits outside the mask ${String(a.mask)}`,
      );
    }
    writeValue(w, spec, a.value);
    writeValue(w, spec, a.mask);
    endAction(w, start);
    return;
  }
  const start = beginAction(w, OFPAT.SET_FIELD);
  writeFieldHeader(w, spec.oxm, spec.bytes);
  writeValue(w, spec, a.value);
  endAction(w, start);
}

function reasonCode(name: PacketInReasonName | undefined): number {
  if (name === undefined) return OFPR.ACTION;
  const i = PACKET_IN_REASONS.indexOf(name);
  if (i < 0) throw invalid(`unknown packet-in reason ${String(name)}`);
  return i;
}

function encodeController(w: Writer, a: ControllerAction): void {
  const maxLen = a.maxLen ?? 0xffff;
  const id = a.controllerId ?? 0;
  const reason = reasonCode(a.reason);
  const meter = a.meterId ?? NX_CTLR_NO_METER;
  const userdata = a.userdata ?? Buffer.alloc(0);
  if (userdata.length > 0 || a.pause || meter !== NX_CTLR_NO_METER) {
    const start = beginNx(w, NXAST.CONTROLLER2);
    w.zeros(6);
    const prop = (type: number, write: () => void): void => {
      const p = w.length;
      w.u16(type);
      w.u16(0);
      write();
      w.patchU16(p + 2, w.length - p);
      w.pad8(p);
    };
    // OpenFlow gives 16-bit properties a length of 8 (value + 2 zero bytes); Open vSwitch does too.
    if (maxLen !== 0xffff) prop(NXAC2PT.MAX_LEN, () => (w.u16(maxLen, 'controller max_len'), w.u16(0)));
    if (id !== 0) prop(NXAC2PT.CONTROLLER_ID, () => (w.u16(id, 'controller id'), w.u16(0)));
    if (reason !== OFPR.ACTION) prop(NXAC2PT.REASON, () => w.u8(reason));
    if (userdata.length > 0) prop(NXAC2PT.USERDATA, () => w.bytes(userdata, 'controller userdata'));
    if (a.pause) prop(NXAC2PT.PAUSE, () => undefined);
    if (meter !== NX_CTLR_NO_METER) prop(NXAC2PT.METER_ID, () => w.u32(meter, 'meter id'));
    endAction(w, start);
    return;
  }
  const start = beginNx(w, NXAST.CONTROLLER);
  w.u16(maxLen, 'controller max_len');
  w.u16(id, 'controller id');
  w.u8(reason);
  w.u8(0);
  endAction(w, start);
}

/** Decodes actions until the reader is exhausted. */
export function decodeActions(r: Reader): Action[] {
  const out: Action[] = [];
  while (r.remaining > 0) out.push(decodeAction(r));
  return out;
}

export function decodeAction(r: Reader): Action {
  const start = r.offset;
  const type = r.peekU16(start, 'action type');
  const len = r.peekU16(start + 2, 'action length');
  if (len < 8 || len % 8 !== 0) throw new OpenFlowError('OF_BAD_LENGTH', `action length ${len}`, start);
  const a = r.sub(len, 'action');
  a.skip(4);
  switch (type) {
    case OFPAT.OUTPUT: {
      const port = a.u32('output port');
      const maxLen = a.u16('output max_len');
      // max_len only matters for CONTROLLER, but any non-zero value is kept so bytes round-trip.
      return port === OFPP.CONTROLLER || maxLen !== 0
        ? { type: 'output', port, maxLen }
        : { type: 'output', port };
    }
    case OFPAT.GROUP:
      return { type: 'group', groupId: a.u32('group id') };
    case OFPAT.SET_FIELD: {
      const e = readOxm(a);
      if (e.field === 'unknown') return raw(r, start, len, type);
      return { type: 'set_field', field: e.field, value: e.value } as SetFieldAction;
    }
    case OFPAT.DEC_NW_TTL:
      return { type: 'dec_ttl' };
    case OFPAT.PUSH_VLAN:
      return { type: 'push_vlan', ethertype: a.u16('push_vlan ethertype') };
    case OFPAT.POP_VLAN:
      return { type: 'pop_vlan' };
    case OFPAT.SET_QUEUE:
      return { type: 'set_queue', queueId: a.u32('queue id') };
    case OFPAT.EXPERIMENTER: {
      const vendor = a.u32('experimenter');
      if (vendor !== NX_VENDOR_ID) return raw(r, start, len, type, vendor);
      const subtype = a.u16('nicira subtype');
      return decodeNicira(a, subtype, r, start, len);
    }
    default:
      return raw(r, start, len, type);
  }
}

function raw(
  r: Reader,
  start: number,
  len: number,
  actionType: number,
  experimenter?: number,
  subtype?: number,
): Action {
  return {
    type: 'raw',
    actionType,
    ...(experimenter === undefined ? {} : { experimenter }),
    ...(subtype === undefined ? {} : { subtype }),
    bytes: Buffer.from(r.buf.subarray(start, start + len)),
  };
}

function decodeNicira(a: Reader, subtype: number, outer: Reader, start: number, len: number): Action {
  switch (subtype) {
    case NXAST.RESUBMIT: {
      const port = a.u16('resubmit port');
      return port === 0xfff8 ? { type: 'resubmit' } : { type: 'resubmit', port: portFrom16(port) };
    }
    case NXAST.RESUBMIT_TABLE:
    case NXAST.RESUBMIT_TABLE_CT: {
      const port = a.u16('resubmit port');
      const table = a.u8('resubmit table');
      return {
        type: 'resubmit',
        ...(port === 0xfff8 ? {} : { port: portFrom16(port) }),
        ...(table === 0xff ? {} : { table }),
        ...(subtype === NXAST.RESUBMIT_TABLE_CT ? { ct: true } : {}),
      };
    }
    case NXAST.REG_MOVE: {
      const nBits = a.u16('move n_bits');
      const srcOfs = a.u16('move src_ofs');
      const dstOfs = a.u16('move dst_ofs');
      const at = a.offset;
      const src = makeSubfield(readSubfieldField(a, 'move source'), srcOfs, nBits, at, 'move source');
      const dst = makeSubfield(
        readSubfieldField(a, 'move destination'),
        dstOfs,
        nBits,
        at,
        'move destination',
      );
      return { type: 'move', src, dst };
    }
    case NXAST.REG_LOAD: {
      const on = a.u16('load ofs_nbits');
      const at = a.offset;
      const dst = makeSubfield(
        readSubfieldField(a, 'load destination'),
        on >> 6,
        (on & 0x3f) + 1,
        at,
        'load',
      );
      const value = a.u64('load value');
      if (value >> BigInt(dst.nBits) !== 0n)
        throw new OpenFlowError('OF_BAD_VALUE', 'load value wider than destination', at);
      return { type: 'load', dst, value };
    }
    case NXAST.REG_LOAD2: {
      const e = readOxm(a);
      if (e.field === 'unknown') return raw(outer, start, len, OFPAT.EXPERIMENTER, NX_VENDOR_ID, subtype);
      return (
        e.mask === undefined
          ? { type: 'set_field', field: e.field, value: e.value }
          : { type: 'set_field', field: e.field, value: e.value, mask: e.mask }
      ) as SetFieldAction;
    }
    case NXAST.NOTE:
      return { type: 'note', data: Buffer.from(a.bytes(a.remaining)) };
    case NXAST.CONJUNCTION: {
      const clause = a.u8('conjunction clause');
      const nClauses = a.u8('conjunction n_clauses');
      const id = a.u32('conjunction id');
      if (nClauses < 2 || clause >= nClauses)
        throw new OpenFlowError('OF_BAD_VALUE', `conjunction ${clause}/${nClauses}`, start);
      return { type: 'conjunction', id, clause: clause + 1, nClauses };
    }
    case NXAST.CT:
      return decodeCt(a, decodeActions);
    case NXAST.NAT:
      // Only meaningful inside ct, where decodeCt picks it up; keep it raw here.
      return raw(outer, start, len, OFPAT.EXPERIMENTER, NX_VENDOR_ID, subtype);
    case NXAST.CT_CLEAR:
      return { type: 'ct_clear' };
    case NXAST.LEARN:
    case NXAST.LEARN2:
      return decodeLearn(a, subtype === NXAST.LEARN2);
    case NXAST.DEC_TTL_CNT_IDS: {
      const n = a.u16('dec_ttl n_controllers');
      a.skip(4);
      const controllerIds: number[] = [];
      for (let i = 0; i < n; i++) controllerIds.push(a.u16('dec_ttl controller id'));
      return { type: 'dec_ttl', controllerIds };
    }
    case NXAST.CONTROLLER: {
      const maxLen = a.u16('controller max_len');
      const controllerId = a.u16('controller id');
      const reason = a.u8('controller reason');
      return controllerAction(maxLen, controllerId, reason, undefined, false, NX_CTLR_NO_METER, start);
    }
    case NXAST.CONTROLLER2:
      return decodeController2(a, start);
    case NXAST.OUTPUT_REG: {
      const on = a.u16('output_reg ofs_nbits');
      const at = a.offset;
      const src = makeSubfield(
        readSubfieldField(a, 'output_reg'),
        on >> 6,
        (on & 0x3f) + 1,
        at,
        'output_reg',
      );
      const maxLen = a.u16('output_reg max_len');
      return maxLen === 0xffff ? { type: 'output_reg', src } : { type: 'output_reg', src, maxLen };
    }
    case NXAST.EXIT:
      return { type: 'exit' };
    default:
      return raw(outer, start, len, OFPAT.EXPERIMENTER, NX_VENDOR_ID, subtype);
  }
}

function controllerAction(
  maxLen: number,
  controllerId: number,
  reason: number,
  userdata: Buffer | undefined,
  pause: boolean,
  meterId: number,
  at: number,
): ControllerAction {
  const reasonName = PACKET_IN_REASONS[reason];
  if (reasonName === undefined) throw new OpenFlowError('OF_BAD_VALUE', `controller reason ${reason}`, at);
  return {
    type: 'controller',
    ...(maxLen !== 0xffff ? { maxLen } : {}),
    ...(reason !== OFPR.ACTION ? { reason: reasonName } : {}),
    ...(controllerId ? { controllerId } : {}),
    ...(userdata && userdata.length ? { userdata } : {}),
    ...(pause ? { pause: true } : {}),
    ...(meterId !== NX_CTLR_NO_METER ? { meterId } : {}),
  };
}

function decodeController2(a: Reader, at: number): ControllerAction {
  a.skip(6);
  let maxLen = 0xffff;
  let id = 0;
  let reason: number = OFPR.ACTION;
  let userdata: Buffer | undefined;
  let pause = false;
  let meter = NX_CTLR_NO_METER;
  while (a.remaining >= 4) {
    const pStart = a.offset;
    const type = a.u16('property type');
    const plen = a.u16('property length');
    if (plen < 4) throw new OpenFlowError('OF_BAD_LENGTH', `controller2 property length ${plen}`, pStart);
    const p = a.sub(plen - 4, 'controller2 property');
    const padded = (plen + 7) & ~7;
    a.skip(Math.min(padded - plen, a.remaining), 'property padding');
    switch (type) {
      case NXAC2PT.MAX_LEN:
        maxLen = p.u16('max_len');
        break;
      case NXAC2PT.CONTROLLER_ID:
        id = p.u16('controller id');
        break;
      case NXAC2PT.REASON:
        reason = p.u8('reason');
        break;
      case NXAC2PT.USERDATA:
        userdata = Buffer.from(p.bytes(p.remaining));
        break;
      case NXAC2PT.PAUSE:
        pause = true;
        break;
      case NXAC2PT.METER_ID:
        meter = p.u32('meter id');
        break;
      default:
        // Unknown properties are skipped: the spec marks them ignorable.
        break;
    }
  }
  return controllerAction(maxLen, id, reason, userdata, pause, meter, at);
}

/** OVS's canonical instruction order (ofpacts_put_openflow_instructions). */
const INSTRUCTION_ORDER: Record<Instruction['type'], number> = {
  meter: 0,
  apply_actions: 1,
  clear_actions: 2,
  write_actions: 3,
  write_metadata: 4,
  goto_table: 5,
};

function byInstructionOrder(a: Instruction, b: Instruction): number {
  return (INSTRUCTION_ORDER[a.type] ?? 99) - (INSTRUCTION_ORDER[b.type] ?? 99);
}

export function canonicalInstructionOrder(instructions: readonly Instruction[]): readonly Instruction[] {
  for (let i = 1; i < instructions.length; i++) {
    if (byInstructionOrder(instructions[i - 1] as Instruction, instructions[i] as Instruction) >= 0) {
      return [...instructions].sort(byInstructionOrder);
    }
  }
  return instructions;
}

export function encodeInstructions(w: Writer, instructions: readonly Instruction[]): void {
  let seen = 0;
  for (const ins of canonicalInstructionOrder(instructions)) {
    const order = INSTRUCTION_ORDER[ins.type] as number | undefined;
    if (order === undefined) throw invalid(`unknown instruction type ${String(ins.type)}`);
    const bit = 1 << order;
    if (seen & bit) throw invalid(`instruction ${ins.type} appears twice`);
    seen |= bit;
    const start = w.length;
    switch (ins.type) {
      case 'goto_table':
        w.u16(OFPIT.GOTO_TABLE);
        w.u16(8);
        w.u8(ins.tableId, 'goto_table');
        w.zeros(3);
        break;
      case 'write_metadata':
        w.u16(OFPIT.WRITE_METADATA);
        w.u16(24);
        w.zeros(4);
        w.u64(ins.metadata, 'write_metadata value');
        w.u64(ins.mask, 'write_metadata mask');
        break;
      case 'apply_actions':
      case 'write_actions':
        w.u16(ins.type === 'apply_actions' ? OFPIT.APPLY_ACTIONS : OFPIT.WRITE_ACTIONS);
        w.u16(0);
        w.zeros(4);
        encodeActions(w, ins.actions);
        w.patchU16(start + 2, w.length - start);
        break;
      case 'clear_actions':
        w.u16(OFPIT.CLEAR_ACTIONS);
        w.u16(8);
        w.zeros(4);
        break;
      case 'meter':
        w.u16(OFPIT.METER);
        w.u16(8);
        w.u32(ins.meterId, 'meter id');
        break;
    }
  }
}

export function decodeInstructions(r: Reader): Instruction[] {
  const out: Instruction[] = [];
  while (r.remaining > 0) {
    const start = r.offset;
    const type = r.u16('instruction type');
    const len = r.u16('instruction length');
    if (len < 8 || len % 8 !== 0)
      throw new OpenFlowError('OF_BAD_LENGTH', `instruction length ${len}`, start);
    const body = r.sub(len - 4, 'instruction');
    switch (type) {
      case OFPIT.GOTO_TABLE:
        out.push({ type: 'goto_table', tableId: body.u8('goto_table') });
        break;
      case OFPIT.WRITE_METADATA: {
        body.skip(4);
        const metadata = body.u64('metadata');
        out.push({ type: 'write_metadata', metadata, mask: body.u64('metadata mask') });
        break;
      }
      case OFPIT.APPLY_ACTIONS:
      case OFPIT.WRITE_ACTIONS: {
        body.skip(4);
        const actions = decodeActions(body);
        out.push({ type: type === OFPIT.APPLY_ACTIONS ? 'apply_actions' : 'write_actions', actions });
        break;
      }
      case OFPIT.CLEAR_ACTIONS:
        out.push({ type: 'clear_actions' });
        break;
      case OFPIT.METER:
        out.push({ type: 'meter', meterId: body.u32('meter id') });
        break;
      default:
        throw new OpenFlowError('OF_UNSUPPORTED', `instruction type ${type}`, start);
    }
  }
  return out;
}

/** Convenience for callers that only apply actions: [{apply_actions}] (+ goto_table). */
export function applyActions(actions: readonly Action[], gotoTable?: number): Instruction[] {
  const out: Instruction[] = [];
  if (actions.length > 0) out.push({ type: 'apply_actions', actions });
  if (gotoTable !== undefined) out.push({ type: 'goto_table', tableId: gotoTable });
  return out;
}
