// Match text → Match. Context-dependent names are resolved the way ovs-ofctl does: nw_src means
// arp_spa under arp, tp_dst means tcp_dst/udp_dst/sctp_dst by nw_proto, icmp_type means
// icmpv6_type under ipv6, nw_tos is ip_dscp shifted left by two.
import { fieldByName } from '../fields/registry.js';
import { makeEntry } from '../match/oxm.js';
import type { MatchEntry } from '../match/types.js';
import { parseError, parseInteger } from './lex.js';
import { parseFieldValue } from './parse-values.js';

const SHORTHANDS: Record<string, { ethType: number; proto?: number }> = {
  ip: { ethType: 0x0800 },
  ipv4: { ethType: 0x0800 },
  icmp: { ethType: 0x0800, proto: 1 },
  tcp: { ethType: 0x0800, proto: 6 },
  udp: { ethType: 0x0800, proto: 17 },
  sctp: { ethType: 0x0800, proto: 132 },
  ipv6: { ethType: 0x86dd },
  icmp6: { ethType: 0x86dd, proto: 58 },
  tcp6: { ethType: 0x86dd, proto: 6 },
  udp6: { ethType: 0x86dd, proto: 17 },
  sctp6: { ethType: 0x86dd, proto: 132 },
  arp: { ethType: 0x0806 },
  rarp: { ethType: 0x8035 },
  mpls: { ethType: 0x8847 },
  mplsm: { ethType: 0x8848 },
};

/** Whether `name` (a bare word or the key of key=value) belongs to a match. */
export function isMatchKey(name: string): boolean {
  return name in SHORTHANDS || resolveName(name, undefined, undefined) !== undefined || LEGACY.has(name);
}

const LEGACY = new Set([
  'nw_src',
  'nw_dst',
  'nw_proto',
  'ip_proto',
  'tp_src',
  'tp_dst',
  'icmp_type',
  'icmp_code',
  'nw_tos',
  'nw_frag',
  'dl_vlan',
  'dl_vlan_pcp',
]);

function resolveName(
  name: string,
  ethType: number | undefined,
  proto: number | undefined,
): string | undefined {
  const isArp = ethType === 0x0806 || ethType === 0x8035;
  switch (name) {
    case 'nw_src':
    case 'ip_src':
      return isArp ? 'arp_spa' : 'ip_src';
    case 'nw_dst':
    case 'ip_dst':
      return isArp ? 'arp_tpa' : 'ip_dst';
    case 'nw_proto':
    case 'ip_proto':
      return isArp ? 'arp_op' : 'nw_proto';
    case 'tp_src':
    case 'tp_dst': {
      const l4 = proto === 6 ? 'tcp' : proto === 17 ? 'udp' : proto === 132 ? 'sctp' : undefined;
      return l4 ? `${l4}_${name.slice(3)}` : undefined;
    }
    case 'icmp_type':
    case 'icmp_code':
      return ethType === 0x86dd ? `icmpv6_${name.slice(5)}` : name;
    default:
      return fieldByName(name)?.name;
  }
}

/** Builds a match from key/value pairs (value undefined for bare words like "ip"). */
export function parseMatchPairs(pairs: readonly (readonly [string, string | undefined])[]): MatchEntry[] {
  let ethType: number | undefined;
  let proto: number | undefined;
  for (const [k, v] of pairs) {
    const s = SHORTHANDS[k];
    if (s && v === undefined) {
      ethType = s.ethType;
      if (s.proto !== undefined) proto = s.proto;
    } else if ((k === 'dl_type' || k === 'eth_type') && v !== undefined) {
      ethType = parseInteger(v, k, 0xffff);
    } else if ((k === 'nw_proto' || k === 'ip_proto') && v !== undefined) {
      proto = parseInteger(v, k, 0xff);
    }
  }
  const out = new Map<string, MatchEntry>();
  const put = (e: MatchEntry): void => {
    if (e.field !== 'unknown' && out.has(e.field)) throw parseError(`field ${e.field} given twice`);
    out.set(e.field === 'unknown' ? `unknown${out.size}` : e.field, e);
  };
  if (ethType !== undefined) put(makeEntry('eth_type', ethType));
  if (proto !== undefined && ethType !== 0x0806 && ethType !== 0x8035) put(makeEntry('nw_proto', proto));
  let vlanVid: number | undefined;
  let vlanPcp: number | undefined;
  for (const [k, v] of pairs) {
    if (SHORTHANDS[k] && v === undefined) continue;
    if (k === 'dl_type' || k === 'eth_type') continue;
    if ((k === 'nw_proto' || k === 'ip_proto') && ethType !== 0x0806 && ethType !== 0x8035) continue;
    if (v === undefined) throw parseError(`match field ${k} needs a value`);
    if (k === 'dl_vlan') {
      vlanVid = parseInteger(v, k, 0xfff);
      continue;
    }
    if (k === 'dl_vlan_pcp' || k === 'vlan_pcp') {
      vlanPcp = parseInteger(v, k, 7);
      continue;
    }
    if (k === 'vlan_tci') {
      // OpenFlow 1.3 has no vlan_tci OXM: express the TCI as vlan_vid (VID + present bit) and
      // vlan_pcp, as Open vSwitch does when it encodes such a match.
      const [tv, tm] = v.split('/');
      const tci = parseInteger(tv ?? '', 'vlan_tci', 0xffff);
      const mask = tm === undefined ? 0xffff : parseInteger(tm, 'vlan_tci mask', 0xffff);
      const vidMask = mask & 0x1fff;
      if (vidMask)
        put(
          vidMask === 0x1fff
            ? makeEntry('vlan_vid', tci & 0x1fff)
            : makeEntry('vlan_vid', tci & vidMask, vidMask),
        );
      const pcpMask = mask & 0xe000;
      if (pcpMask === 0xe000) vlanPcp = tci >> 13;
      else if (pcpMask !== 0)
        throw parseError(
          `vlan_tci mask 0x${mask.toString(16)}: a partial PCP mask cannot be expressed in OpenFlow 1.3`,
        );
      continue;
    }
    if (k === 'nw_tos') {
      put(makeEntry('ip_dscp', parseInteger(v, k, 0xff) >> 2));
      continue;
    }
    const name = k === 'nw_frag' ? 'ip_frag' : resolveName(k, ethType, proto);
    const spec = name === undefined ? undefined : fieldByName(name);
    if (!spec) throw parseError(`unknown match field "${k}"`);
    const parsed = parseFieldValue(spec, v);
    put(makeEntry(spec.name, parsed.value, parsed.mask));
  }
  if (vlanVid !== undefined) put(makeEntry('vlan_vid', vlanVid | 0x1000));
  if (vlanPcp !== undefined) {
    if (vlanVid === undefined && !out.has('vlan_vid')) put(makeEntry('vlan_vid', 0x1000, 0x1000));
    put(makeEntry('vlan_pcp', vlanPcp));
  }
  return [...out.values()];
}
