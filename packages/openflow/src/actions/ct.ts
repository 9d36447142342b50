// Nicira conntrack (NXAST_CT) and NAT (NXAST_NAT, only valid inside ct).
// Layout (ofp-actions.c, struct nx_action_conntrack): flags u16, zone_src u32 (NXM header or 0),
// zone ofs_nbits|immediate u16, recirc_table u8 (0xff = none), pad 3, alg u16, nested actions.
import type { Reader, Writer } from '../bytes.js';
import { NXAST } from '../constants.js';
import { OpenFlowError, invalid } from '../errors.js';
import { ipv4FromNumber, ipv4ToNumber, ipv6FromBytes, ipv6ToBigInt, ipv6ToBytes } from '../fields/values.js';
import { beginNx, endAction } from './header.js';
import { checkSubfield, makeSubfield, ofsNbits, readSubfieldField, writeSubfieldHeader } from './subfield.js';
import type { Action, CtAction, NatSpec } from './types.js';

const CT_F_COMMIT = 1;
const CT_F_FORCE = 2;
const CT_RECIRC_NONE = 0xff;

const NAT_F_SRC = 1;
const NAT_F_DST = 2;
const NAT_F_PERSISTENT = 4;
const NAT_F_PROTO_HASH = 8;
const NAT_F_PROTO_RANDOM = 16;
const RANGE_IPV4_MIN = 1;
const RANGE_IPV4_MAX = 2;
const RANGE_IPV6_MIN = 4;
const RANGE_IPV6_MAX = 8;
const RANGE_PROTO_MIN = 16;
const RANGE_PROTO_MAX = 32;

export type NestedEncoder = (w: Writer, actions: readonly Action[], inCtExec: boolean) => void;
export type NestedDecoder = (r: Reader) => Action[];

export function encodeCt(w: Writer, a: CtAction, encodeList: NestedEncoder): void {
  // Open vSwitch refuses these without commit (OFPBAC_BAD_ARGUMENT): say so here instead.
  if (!a.commit) {
    if (a.force) throw invalid('ct(force) requires commit');
    if (a.exec && a.exec.length > 0) throw invalid('ct(exec(…)) requires commit');
    if (a.nat?.kind) throw invalid(`ct(nat(${a.nat.kind}=…)) requires commit`);
  }
  const start = beginNx(w, NXAST.CT);
  w.u16((a.commit ? CT_F_COMMIT : 0) | (a.force ? CT_F_FORCE : 0));
  if (typeof a.zone === 'object') {
    checkSubfield(a.zone, 'ct zone');
    if (a.zone.nBits !== 16)
      throw invalid(`ct zone subfield ${a.zone.field} is ${a.zone.nBits} bits; zones are 16 bits`);
    writeSubfieldHeader(w, a.zone);
    w.u16(ofsNbits(a.zone));
  } else {
    const zone = a.zone ?? 0;
    if (!Number.isInteger(zone) || zone < 0 || zone > 0xffff)
      throw invalid(`ct zone ${zone} is not 0..65535`);
    w.u32(0);
    w.u16(zone);
  }
  if (a.table !== undefined && (a.table < 0 || a.table > 254))
    throw invalid(`ct table ${a.table} is not 0..254`);
  w.u8(a.table ?? CT_RECIRC_NONE);
  w.zeros(3);
  w.u16(a.alg ?? 0, 'ct alg');
  if (a.nat) encodeNat(w, a.nat);
  encodeList(w, a.exec ?? [], true);
  endAction(w, start);
}

export function decodeCt(r: Reader, decodeList: NestedDecoder): CtAction {
  const flags = r.u16('ct flags');
  const zoneAt = r.offset;
  const zoneSrc = r.peekU32(zoneAt, 'ct zone_src');
  let zone: CtAction['zone'];
  if (zoneSrc !== 0) {
    const spec = readSubfieldField(r, 'ct zone');
    const on = r.u16('ct zone ofs_nbits');
    zone = makeSubfield(spec, on >> 6, (on & 0x3f) + 1, zoneAt, 'ct zone');
  } else {
    r.u32();
    zone = r.u16('ct zone');
  }
  const table = r.u8('ct recirc_table');
  r.skip(3);
  const alg = r.u16('ct alg');
  const nested = decodeList(r);
  let nat: NatSpec | undefined;
  const exec: Action[] = [];
  for (const n of nested) {
    if (n.type === 'raw' && n.subtype === NXAST.NAT && n.experimenter !== undefined) {
      nat = decodeNatBytes(n.bytes);
    } else {
      exec.push(n);
    }
  }
  const ct: CtAction = {
    type: 'ct',
    ...(flags & CT_F_COMMIT ? { commit: true } : {}),
    ...(flags & CT_F_FORCE ? { force: true } : {}),
    ...(zone === 0 ? {} : { zone }),
    ...(table === CT_RECIRC_NONE ? {} : { table }),
    ...(alg ? { alg } : {}),
    ...(nat ? { nat } : {}),
    ...(exec.length ? { exec } : {}),
  };
  return ct;
}

function isIpv6(addr: string): boolean {
  return addr.includes(':');
}

export function encodeNat(w: Writer, nat: NatSpec): void {
  const start = beginNx(w, NXAST.NAT);
  w.zeros(2);
  let flags = 0;
  if (nat.kind === 'src') flags |= NAT_F_SRC;
  if (nat.kind === 'dst') flags |= NAT_F_DST;
  if (nat.persistent) flags |= NAT_F_PERSISTENT;
  if (nat.portSelection === 'hash') flags |= NAT_F_PROTO_HASH;
  if (nat.portSelection === 'random') flags |= NAT_F_PROTO_RANDOM;
  if (!nat.kind && (nat.addressMin || nat.portMin !== undefined))
    throw invalid('nat with a range needs src or dst');
  if (nat.addressMax && !nat.addressMin) throw invalid('nat addressMax without addressMin');
  if (nat.portMax !== undefined && nat.portMin === undefined) throw invalid('nat portMax without portMin');
  if (nat.portMin !== undefined && nat.portMax !== undefined && nat.portMax < nat.portMin) {
    throw invalid(`nat port range ${nat.portMin}-${nat.portMax} is descending`);
  }
  if (
    nat.addressMin !== undefined &&
    nat.addressMax !== undefined &&
    isIpv6(nat.addressMin) === isIpv6(nat.addressMax)
  ) {
    const lo = isIpv6(nat.addressMin) ? ipv6ToBigInt(nat.addressMin) : BigInt(ipv4ToNumber(nat.addressMin));
    const hi = isIpv6(nat.addressMax) ? ipv6ToBigInt(nat.addressMax) : BigInt(ipv4ToNumber(nat.addressMax));
    if (hi < lo) throw invalid(`nat address range ${nat.addressMin}-${nat.addressMax} is descending`);
  }
  const v6 = nat.addressMin !== undefined && isIpv6(nat.addressMin);
  let range = 0;
  if (nat.addressMin) range |= v6 ? RANGE_IPV6_MIN : RANGE_IPV4_MIN;
  if (nat.addressMax) range |= v6 ? RANGE_IPV6_MAX : RANGE_IPV4_MAX;
  if (nat.portMin !== undefined) range |= RANGE_PROTO_MIN;
  if (nat.portMax !== undefined) range |= RANGE_PROTO_MAX;
  w.u16(flags);
  w.u16(range);
  for (const addr of [nat.addressMin, nat.addressMax]) {
    if (addr === undefined) continue;
    if (isIpv6(addr) !== v6) throw invalid('nat range mixes IPv4 and IPv6');
    if (v6) w.bytes(ipv6ToBytes(addr));
    else w.u32(ipv4ToNumber(addr));
  }
  if (nat.portMin !== undefined) w.u16(nat.portMin, 'nat port min');
  if (nat.portMax !== undefined) w.u16(nat.portMax, 'nat port max');
  endAction(w, start);
}

/** Decodes a whole NXAST_NAT action (header included). */
export function decodeNatBytes(bytes: Buffer): NatSpec {
  // Reader import kept local to avoid a cycle with codec.ts.
  const view = bytes;
  if (view.length < 16) throw new OpenFlowError('OF_BAD_LENGTH', `nat action of ${view.length} bytes`);
  const flags = view.readUInt16BE(12);
  const range = view.readUInt16BE(14);
  let at = 16;
  const need = (n: number): void => {
    if (at + n > view.length) throw new OpenFlowError('OF_TRUNCATED', 'truncated nat range', at);
  };
  let addressMin: string | undefined;
  let addressMax: string | undefined;
  if (range & RANGE_IPV4_MIN) {
    need(4);
    addressMin = ipv4FromNumber(view.readUInt32BE(at));
    at += 4;
  }
  if (range & RANGE_IPV4_MAX) {
    need(4);
    addressMax = ipv4FromNumber(view.readUInt32BE(at));
    at += 4;
  }
  if (range & RANGE_IPV6_MIN) {
    need(16);
    addressMin = ipv6FromBytes(view.subarray(at, at + 16));
    at += 16;
  }
  if (range & RANGE_IPV6_MAX) {
    need(16);
    addressMax = ipv6FromBytes(view.subarray(at, at + 16));
    at += 16;
  }
  let portMin: number | undefined;
  let portMax: number | undefined;
  if (range & RANGE_PROTO_MIN) {
    need(2);
    portMin = view.readUInt16BE(at);
    at += 2;
  }
  if (range & RANGE_PROTO_MAX) {
    need(2);
    portMax = view.readUInt16BE(at);
    at += 2;
  }
  const kind = flags & NAT_F_SRC ? 'src' : flags & NAT_F_DST ? 'dst' : undefined;
  return {
    ...(kind ? { kind } : {}),
    ...(addressMin !== undefined ? { addressMin } : {}),
    ...(addressMax !== undefined ? { addressMax } : {}),
    ...(portMin !== undefined ? { portMin } : {}),
    ...(portMax !== undefined ? { portMax } : {}),
    ...(flags & NAT_F_PERSISTENT ? { persistent: true } : {}),
    ...(flags & NAT_F_PROTO_HASH ? { portSelection: 'hash' as const } : {}),
    ...(flags & NAT_F_PROTO_RANDOM ? { portSelection: 'random' as const } : {}),
  };
}
