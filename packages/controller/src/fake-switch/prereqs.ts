// Field prerequisites (ovs-fields(7)): tcp_dst means something only for TCP over IP, arp_tpa only
// for ARP, and so on. OVS checks them twice, and so does the fake: a match on a field whose
// prerequisites the match does not establish is OFPBMC_BAD_PREREQ; an action that reads or
// writes such a field (set_field, load, move, output_reg, ct zone, learn, dec_ttl) on a flow
// whose match does not establish them is OFPBAC_MATCH_INCONSISTENT. @weir/openflow checks the
// first when it encodes, but does not export the rules, so they are restated here.
import type { FieldName } from '@weir/openflow';
import type { NormalMatch } from './match.js';

const IPV4 = 0x0800;
const IPV6 = 0x86dd;
const ARP = 0x0806;
const RARP = 0x8035;

/** What a flow's match (plus the actions before a given one) guarantees about its packets. */
export interface Facts {
  readonly ethType: number | undefined;
  readonly proto: number | undefined;
  readonly icmpv6Type: number | undefined;
  /** A VLAN header is present (matched, or pushed by an earlier action). */
  readonly vlan: boolean;
  readonly ctState: bigint | undefined;
  readonly ctMask: bigint;
  readonly laterFragment: boolean;
}

export function factsOf(m: NormalMatch): Facts {
  let ethType: number | undefined;
  let proto: number | undefined;
  let icmpv6Type: number | undefined;
  let vlan = false;
  let ctState: bigint | undefined;
  let ctMask = 0n;
  let laterFragment = false;
  for (const c of m) {
    switch (c.field) {
      case 'eth_type':
        ethType = Number(c.value);
        break;
      case 'nw_proto':
        proto = Number(c.value);
        break;
      case 'icmpv6_type':
        icmpv6Type = Number(c.value);
        break;
      case 'vlan_vid':
        vlan = (c.value & c.mask & 0x1000n) !== 0n;
        break;
      case 'ct_state':
        ctState = c.value;
        ctMask = c.mask;
        break;
      case 'ip_frag':
        laterFragment = (c.value & c.mask & 2n) !== 0n;
        break;
      default:
        break;
    }
  }
  return { ethType, proto, icmpv6Type, vlan, ctState, ctMask, laterFragment };
}

type Rule = (f: Facts) => boolean;
const ip: Rule = (f) => f.ethType === IPV4 || f.ethType === IPV6;
const ipv4: Rule = (f) => f.ethType === IPV4;
const ipv6: Rule = (f) => f.ethType === IPV6;
const arp: Rule = (f) => f.ethType === ARP || f.ethType === RARP;
const l4 =
  (proto: number): Rule =>
  (f) =>
    ip(f) && f.proto === proto && !f.laterFragment;
const icmp4: Rule = (f) => f.ethType === IPV4 && f.proto === 1;
const icmp6: Rule = (f) => f.ethType === IPV6 && f.proto === 58;
const nd =
  (...types: number[]): Rule =>
  (f) =>
    icmp6(f) && f.icmpv6Type !== undefined && types.includes(f.icmpv6Type);
const vlan: Rule = (f) => f.vlan;
// OVS's is_ct_valid(): the match implies a tracked, valid connection.
const ctValid: Rule = (f) => {
  if (f.ctState === undefined) return false;
  const v = f.ctState & f.ctMask;
  return (v & 0xcfn) !== 0n || ((v & 0x20n) !== 0n && (f.ctMask & 0x10n) !== 0n && (v & 0x10n) === 0n);
};

const RULES: Partial<Record<FieldName, Rule>> = {
  ip_src: ipv4,
  ip_dst: ipv4,
  ipv6_src: ipv6,
  ipv6_dst: ipv6,
  ipv6_label: ipv6,
  nw_proto: ip,
  ip_dscp: ip,
  nw_ecn: ip,
  nw_ttl: ip,
  ip_frag: ip,
  arp_op: arp,
  arp_spa: arp,
  arp_tpa: arp,
  arp_sha: arp,
  arp_tha: arp,
  tcp_src: l4(6),
  tcp_dst: l4(6),
  tcp_flags: l4(6),
  udp_src: l4(17),
  udp_dst: l4(17),
  sctp_src: l4(132),
  sctp_dst: l4(132),
  icmp_type: icmp4,
  icmp_code: icmp4,
  icmpv6_type: icmp6,
  icmpv6_code: icmp6,
  nd_target: nd(135, 136),
  nd_sll: nd(135),
  nd_tll: nd(136),
  vlan_pcp: vlan,
  ct_nw_src: ctValid,
  ct_nw_dst: ctValid,
  ct_ipv6_src: ctValid,
  ct_ipv6_dst: ctValid,
  ct_nw_proto: ctValid,
  ct_tp_src: ctValid,
  ct_tp_dst: ctValid,
};

/** True when `field` is meaningful for every packet the facts describe. */
export function prerequisitesHold(field: FieldName, facts: Facts): boolean {
  return RULES[field]?.(facts) ?? true;
}

/** Writing vlan_vid also needs a VLAN header (OVS refuses set_field:…->vlan_vid on untagged flows). */
export function writableHere(field: FieldName, facts: Facts): boolean {
  if (field === 'vlan_vid') return facts.vlan;
  return prerequisitesHold(field, facts);
}

/** dec_ttl needs IP (MATCH_INCONSISTENT otherwise, as OVS). */
export function isIp(facts: Facts): boolean {
  return ip(facts);
}
