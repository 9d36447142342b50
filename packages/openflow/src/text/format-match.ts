// A match as ovs-ofctl prints it (lib/match.c match_format): a fixed field order, protocol
// shorthands (ip, tcp6, arp…), legacy names (dl_src, nw_dst, tp_src), ip_dscp shown as nw_tos.
// Golden tests compare this text with what `ovs-ofctl dump-flows` prints for the same flow.
import { OFP_DEFAULT_PRIORITY } from '../constants.js';
import { fieldByName } from '../fields/registry.js';
import { isZeroMask } from '../fields/values.js';
import type { FieldName, FieldValues } from '../fields/types.js';
import type { Match } from '../match/types.js';
import {
  CT_STATE_NAMES,
  TCP_FLAG_NAMES,
  TUN_FLAG_NAMES,
  formatFieldValue,
  formatFlags,
  formatPort,
  hex,
} from './values.js';

type Entry = { value: FieldValues[FieldName]; mask?: FieldValues[FieldName] };

const SHORTHAND_V4: Record<number, string> = { 1: 'icmp', 6: 'tcp', 17: 'udp', 132: 'sctp' };
const SHORTHAND_V6: Record<number, string> = { 58: 'icmp6', 6: 'tcp6', 17: 'udp6', 132: 'sctp6' };

export function formatMatch(match: Match, priority = OFP_DEFAULT_PRIORITY): string {
  const m = new Map<string, Entry>();
  const unknown: string[] = [];
  for (const e of match) {
    if (e.field === 'unknown') {
      unknown.push(`oxm(0x${e.oxmClass.toString(16)}:${e.oxmField})=0x${e.payload.toString('hex')}`);
      continue;
    }
    // A zero mask constrains nothing; ovs-ofctl shows nothing for it.
    const spec = fieldByName(e.field);
    if (e.mask !== undefined && spec && isZeroMask(spec, e.mask)) continue;
    m.set(e.field, e.mask === undefined ? { value: e.value } : { value: e.value, mask: e.mask });
  }
  // xxregN overlays reg(4N)..reg(4N+3), most significant first; OVS prints the 32-bit registers.
  for (let x = 0; x < 4; x++) {
    const e = m.get(`xxreg${x}`);
    if (!e) continue;
    m.delete(`xxreg${x}`);
    const v = BigInt(e.value);
    const mask = e.mask === undefined ? (1n << 128n) - 1n : BigInt(e.mask);
    for (let i = 0; i < 4; i++) {
      const shift = BigInt((3 - i) * 32);
      const word = Number((v >> shift) & 0xffffffffn);
      const wmask = Number((mask >> shift) & 0xffffffffn);
      if (wmask === 0) continue;
      m.set(`reg${x * 4 + i}`, wmask === 0xffffffff ? { value: word } : { value: word, mask: wmask });
    }
  }
  const out: string[] = [];
  const num = (f: string): number | undefined => {
    const e = m.get(f);
    return e === undefined ? undefined : Number(e.value);
  };
  const field = (name: string, f: string): void => {
    const e = m.get(f);
    const spec = fieldByName(f);
    if (!e || !spec) return;
    out.push(`${name}=${formatFieldValue(spec, e.value, e.mask)}`);
  };
  /** "%#x" style with "/%#x" mask (format_uint32_masked, format_be64_masked). */
  const hexField = (name: string, f: string): void => {
    const e = m.get(f);
    if (!e) return;
    const spec = fieldByName(f);
    const full = spec ? (1n << BigInt(spec.bytes * 8)) - 1n : -1n;
    const mask = e.mask === undefined ? full : BigInt(e.mask);
    out.push(
      mask === full ? `${name}=${hex(BigInt(e.value))}` : `${name}=${hex(BigInt(e.value))}/${hex(mask)}`,
    );
  };
  /** format_be16_masked: decimal when exact, "0x%x/0x%x" when masked. */
  const be16Field = (name: string, f: string): void => {
    const e = m.get(f);
    if (!e) return;
    const mask = e.mask === undefined ? 0xffff : Number(e.mask);
    const v = Number(e.value);
    out.push(mask === 0xffff ? `${name}=${v}` : `${name}=0x${v.toString(16)}/0x${mask.toString(16)}`);
  };

  if (priority !== OFP_DEFAULT_PRIORITY) out.push(`priority=${priority}`);
  hexField('pkt_mark', 'pkt_mark');
  if (m.has('conj_id')) out.push(`conj_id=${num('conj_id')}`);
  const ct = m.get('ct_state');
  if (ct) {
    const mask = ct.mask === undefined ? 0xff : Number(ct.mask) & 0xff;
    out.push(`ct_state=${formatFlags(CT_STATE_NAMES, Number(ct.value) & 0xff, mask, 0xff)}`);
  }
  if (m.has('ct_zone')) out.push(`ct_zone=${num('ct_zone')}`);
  hexField('ct_mark', 'ct_mark');
  hexField('ct_label', 'ct_label');
  field('ct_nw_src', 'ct_nw_src');
  field('ct_ipv6_src', 'ct_ipv6_src');
  field('ct_nw_dst', 'ct_nw_dst');
  field('ct_ipv6_dst', 'ct_ipv6_dst');
  if (m.has('ct_nw_proto')) {
    out.push(`ct_nw_proto=${num('ct_nw_proto')}`);
    be16Field('ct_tp_src', 'ct_tp_src');
    be16Field('ct_tp_dst', 'ct_tp_dst');
  }

  const ethType = num('eth_type');
  const proto = num('nw_proto');
  let skipType = false;
  let skipProto = false;
  if (ethType === 0x0800 || ethType === 0x86dd) {
    skipType = true;
    const table = ethType === 0x0800 ? SHORTHAND_V4 : SHORTHAND_V6;
    const short = proto === undefined ? undefined : table[proto];
    if (short) {
      skipProto = true;
      out.push(short);
    } else {
      out.push(ethType === 0x0800 ? 'ip' : 'ipv6');
    }
  } else if (ethType === 0x0806) {
    skipType = true;
    out.push('arp');
  } else if (ethType === 0x8035) {
    skipType = true;
    out.push('rarp');
  } else if (ethType === 0x8847) {
    skipType = true;
    out.push('mpls');
  } else if (ethType === 0x8848) {
    skipType = true;
    out.push('mplsm');
  }

  for (let i = 0; i < 16; i++) hexField(`reg${i}`, `reg${i}`);
  hexField('tun_id', 'tun_id');
  field('tun_src', 'tun_src');
  field('tun_dst', 'tun_dst');
  field('tun_ipv6_src', 'tun_ipv6_src');
  field('tun_ipv6_dst', 'tun_ipv6_dst');
  const tunFlags = m.get('tun_flags');
  if (tunFlags) {
    // format_flow_tunnel compares against FLOW_TNL_F_MASK, which has private bits: always +/- form.
    const mask = (tunFlags.mask === undefined ? 0xffff : Number(tunFlags.mask)) & 1;
    out.push(`tun_flags=${formatFlags(TUN_FLAG_NAMES, Number(tunFlags.value), mask, 0xf)}`);
  }
  hexField('metadata', 'metadata');
  if (m.has('in_port')) out.push(`in_port=${formatPort(num('in_port') ?? 0)}`);
  formatVlan(m, out);
  field('dl_src', 'eth_src');
  field('dl_dst', 'eth_dst');
  if (!skipType && ethType !== undefined) out.push(`dl_type=0x${ethType.toString(16).padStart(4, '0')}`);

  const isArp = ethType === 0x0806 || ethType === 0x8035;
  if (ethType === 0x86dd) {
    field('ipv6_src', 'ipv6_src');
    field('ipv6_dst', 'ipv6_dst');
    const label = m.get('ipv6_label');
    if (label) {
      const v = `0x${Number(label.value).toString(16).padStart(5, '0')}`;
      const mask = label.mask === undefined ? undefined : Number(label.mask);
      out.push(
        mask === undefined || mask === 0xffffffff
          ? `ipv6_label=${v}`
          : `ipv6_label=${v}/0x${mask.toString(16).padStart(5, '0')}`,
      );
    }
  } else if (isArp) {
    field('arp_spa', 'arp_spa');
    field('arp_tpa', 'arp_tpa');
  } else {
    field('nw_src', 'ip_src');
    field('nw_dst', 'ip_dst');
  }
  if (isArp && m.has('arp_op')) out.push(`arp_op=${num('arp_op')}`);
  else if (!skipProto && proto !== undefined) out.push(`nw_proto=${proto}`);
  if (isArp) {
    field('arp_sha', 'arp_sha');
    field('arp_tha', 'arp_tha');
  }
  if (m.has('ip_dscp')) out.push(`nw_tos=${(num('ip_dscp') ?? 0) << 2}`);
  if (m.has('nw_ecn')) out.push(`nw_ecn=${num('nw_ecn')}`);
  if (m.has('nw_ttl')) out.push(`nw_ttl=${num('nw_ttl')}`);
  const frag = m.get('ip_frag');
  if (frag) {
    const spec = fieldByName('ip_frag');
    if (spec) out.push(`nw_frag=${formatFieldValue(spec, frag.value, frag.mask)}`);
  }
  if (ethType === 0x0800 && proto === 1) {
    be16Field('icmp_type', 'icmp_type');
    be16Field('icmp_code', 'icmp_code');
  } else if (ethType === 0x86dd && proto === 58) {
    be16Field('icmp_type', 'icmpv6_type');
    be16Field('icmp_code', 'icmpv6_code');
    field('nd_target', 'nd_target');
    field('nd_sll', 'nd_sll');
    field('nd_tll', 'nd_tll');
  } else {
    for (const p of ['tcp', 'udp', 'sctp']) {
      be16Field('tp_src', `${p}_src`);
      be16Field('tp_dst', `${p}_dst`);
    }
  }
  const tcpFlags = m.get('tcp_flags');
  if (tcpFlags && (ethType === 0x0800 || ethType === 0x86dd) && proto === 6) {
    const mask = tcpFlags.mask === undefined ? 0x0fff : Number(tcpFlags.mask) & 0x0fff;
    out.push(`tcp_flags=${formatFlags(TCP_FLAG_NAMES, Number(tcpFlags.value), mask, 0x0fff)}`);
  }
  out.push(...unknown);
  return out.join(',');
}

function formatVlan(m: Map<string, Entry>, out: string[]): void {
  const vid = m.get('vlan_vid');
  const pcp = m.get('vlan_pcp');
  const tci = m.get('vlan_tci');
  if (tci) {
    const mask = tci.mask === undefined ? 0xffff : Number(tci.mask);
    const v = Number(tci.value);
    out.push(mask === 0xffff ? `vlan_tci=0x${hex4(v)}` : `vlan_tci=0x${hex4(v)}/0x${hex4(mask)}`);
    return;
  }
  if (!vid && !pcp) return;
  // Rebuild the 802.1Q TCI and its mask the way OVS stores them (VID | CFI, PCP << 13).
  const vidValue = vid ? Number(vid.value) : 0x1000;
  const vidMask = vid ? (vid.mask === undefined ? 0x1fff : Number(vid.mask)) : 0;
  let t = vidValue & 0x1fff;
  let tmask = vidMask & 0x1fff;
  if (pcp) {
    t |= (Number(pcp.value) & 7) << 13;
    tmask |= 0xe000;
  }
  const cfi = (tmask & 0x1000) !== 0 && (t & 0x1000) !== 0;
  const vidBits = tmask & 0x0fff;
  const pcpBits = tmask & 0xe000;
  if (
    cfi &&
    (vidBits === 0 || vidBits === 0x0fff) &&
    (pcpBits === 0 || pcpBits === 0xe000) &&
    (vidBits || pcpBits)
  ) {
    if (vidBits) out.push(`dl_vlan=${t & 0x0fff}`);
    if (pcpBits) out.push(`dl_vlan_pcp=${t >> 13}`);
  } else if (tmask === 0xffff) {
    out.push(`vlan_tci=0x${hex4(t)}`);
  } else {
    out.push(`vlan_tci=0x${hex4(t)}/0x${hex4(tmask)}`);
  }
}

function hex4(n: number): string {
  return n.toString(16).padStart(4, '0');
}
