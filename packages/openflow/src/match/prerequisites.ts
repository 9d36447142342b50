// Match prerequisites (OpenFlow 1.3 §7.2.3.6, ovs-fields(7) "Prerequisites"): a switch refuses a
// match on tcp_dst without nw_proto=6, and so on. Checking here turns an asynchronous
// OFPBMC_BAD_PREREQ from the switch into an immediate, precise error at the call site.
//
// The rules are exported as two steps, so that other checks can reuse them: `matchFacts` says
// what a match establishes about its packets, `prerequisitesHold` whether a field is meaningful
// given those facts. Open vSwitch applies the same rules to actions (a set_field, move, load…
// of a field the flow's match does not make meaningful is OFPBAC_MATCH_INCONSISTENT); a caller
// modelling that adjusts the facts as actions change the packet (e.g. `vlan` after push_vlan).
import { invalid } from '../errors.js';
import type { FieldName } from '../fields/types.js';
import type { Match } from './types.js';

const IPV4 = 0x0800;
const IPV6 = 0x86dd;
const ARP = 0x0806;
const RARP = 0x8035;

/** What a match guarantees about every packet it matches, as far as prerequisites go. */
export interface MatchFacts {
  /** eth_type, when matched. */
  readonly ethType: number | undefined;
  /** nw_proto, when matched. */
  readonly nwProto: number | undefined;
  /** icmpv6_type, when matched. */
  readonly icmpv6Type: number | undefined;
  /** icmpv6_code, when matched. */
  readonly icmpv6Code: number | undefined;
  /** A VLAN header is present: vlan_vid matched with OFPVID_PRESENT in both value and mask. */
  readonly vlan: boolean;
  /** ct_state value & mask, and the mask (both 0 when ct_state is not matched). */
  readonly ctState: number;
  readonly ctMask: number;
  /** ip_frag says "later fragment": there is no transport header to match. */
  readonly laterFragment: boolean;
}

/** The facts a match establishes (fields that bear on no prerequisite are ignored). */
export function matchFacts(match: Match): MatchFacts {
  let ethType: number | undefined;
  let nwProto: number | undefined;
  let icmpv6Type: number | undefined;
  let icmpv6Code: number | undefined;
  let vlan = false;
  let ctState = 0;
  let ctMask = 0;
  let laterFragment = false;
  for (const e of match) {
    switch (e.field) {
      case 'eth_type':
        ethType = e.value;
        break;
      case 'nw_proto':
        nwProto = e.value;
        break;
      case 'icmpv6_type':
        icmpv6Type = e.value;
        break;
      case 'icmpv6_code':
        icmpv6Code = e.value;
        break;
      case 'vlan_vid':
        // The present bit must be matched (in the mask) and set (in the value).
        vlan = (e.value & (e.mask ?? 0xffff) & 0x1000) !== 0;
        break;
      case 'ct_state':
        ctMask = e.mask ?? 0xffffffff;
        ctState = (e.value & ctMask) >>> 0;
        break;
      case 'ip_frag':
        laterFragment = (e.value & (e.mask ?? 0xff) & 2) !== 0;
        break;
      default:
        break;
    }
  }
  return { ethType, nwProto, icmpv6Type, icmpv6Code, vlan, ctState, ctMask, laterFragment };
}

type Rule = { needs: string; ok: (f: MatchFacts) => boolean };

const ip: Rule = { needs: 'eth_type=0x0800 or 0x86dd', ok: (f) => f.ethType === IPV4 || f.ethType === IPV6 };
const ipv4: Rule = { needs: 'eth_type=0x0800', ok: (f) => f.ethType === IPV4 };
const ipv6: Rule = { needs: 'eth_type=0x86dd', ok: (f) => f.ethType === IPV6 };
const arp: Rule = { needs: 'eth_type=0x0806', ok: (f) => f.ethType === ARP || f.ethType === RARP };
const l4 = (proto: number, name: string): Rule => ({
  needs: `${name} (nw_proto=${proto}) over IP, not on a later fragment`,
  ok: (f) => ip.ok(f) && f.nwProto === proto && !f.laterFragment,
});
const icmp4: Rule = {
  needs: 'icmp (eth_type=0x0800,nw_proto=1)',
  ok: (f) => f.ethType === IPV4 && f.nwProto === 1,
};
const icmp6: Rule = {
  needs: 'icmp6 (eth_type=0x86dd,nw_proto=58)',
  ok: (f) => f.ethType === IPV6 && f.nwProto === 58,
};
const nd = (types: number[], what: string): Rule => ({
  needs: `icmp6 with icmpv6_type=${what} and icmpv6_code=0`,
  ok: (f) =>
    icmp6.ok(f) && f.icmpv6Type !== undefined && types.includes(f.icmpv6Type) && (f.icmpv6Code ?? 0) === 0,
});

// Open vSwitch's is_ct_valid(): the match must imply a valid tracked connection — one of
// new/est/rel/rpl/snat/dnat set, or +trk with an explicit -inv.
const CS_VALID_BITS = 0x01 | 0x02 | 0x04 | 0x08 | 0x40 | 0x80;
const ctValid: Rule = {
  needs:
    'ct_state matching a valid connection (+trk with one of +new/+est/+rel/+rpl/+snat/+dnat, or +trk-inv)',
  ok: (f) =>
    (f.ctState & CS_VALID_BITS) !== 0 ||
    ((f.ctState & 0x20) !== 0 && (f.ctMask & 0x10) !== 0 && (f.ctState & 0x10) === 0),
};

const RULE_TABLE: Partial<Record<FieldName, Rule>> = {
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
  tcp_src: l4(6, 'tcp'),
  tcp_dst: l4(6, 'tcp'),
  tcp_flags: l4(6, 'tcp'),
  udp_src: l4(17, 'udp'),
  udp_dst: l4(17, 'udp'),
  sctp_src: l4(132, 'sctp'),
  sctp_dst: l4(132, 'sctp'),
  icmp_type: icmp4,
  icmp_code: icmp4,
  icmpv6_type: icmp6,
  icmpv6_code: icmp6,
  nd_target: nd([135, 136], '135 or 136'),
  nd_sll: nd([135], '135'),
  nd_tll: nd([136], '136'),
  vlan_pcp: { needs: 'vlan_vid with OFPVID_PRESENT', ok: (f) => f.vlan },
  ct_nw_src: ctValid,
  ct_nw_dst: ctValid,
  ct_ipv6_src: ctValid,
  ct_ipv6_dst: ctValid,
  ct_nw_proto: ctValid,
  ct_tp_src: ctValid,
  ct_tp_dst: ctValid,
};
// A Map, so that a name like "constructor" from untyped callers finds nothing.
const RULES = new Map<string, Rule>(Object.entries(RULE_TABLE));

/**
 * True when `field` is meaningful for every packet the facts describe: its prerequisites
 * (ovs-fields(7)) hold. Fields without prerequisites (registers, metadata, eth_*…) always do.
 */
export function prerequisitesHold(field: FieldName, facts: MatchFacts): boolean {
  return RULES.get(field)?.ok(facts) ?? true;
}

export function checkPrerequisites(match: Match): void {
  const facts = matchFacts(match);
  for (const e of match) {
    const rule = RULES.get(e.field);
    if (rule && !rule.ok(facts)) throw invalid(`match on ${e.field} requires ${rule.needs}`);
  }
  checkValueRanges(match);
}

/** Values the wire format can carry but Open vSwitch refuses (OFPBMC_BAD_VALUE). */
function checkValueRanges(match: Match): void {
  for (const e of match) {
    if (e.field === 'arp_op' && e.value > 0xff) throw invalid(`arp_op ${e.value} is larger than 255`);
    if (e.field === 'ct_state' && (e.value & (e.mask ?? 0xffffffff) & ~0xff) !== 0) {
      throw invalid(
        `ct_state 0x${e.value.toString(16)} sets bits above 0xff (only 8 connection-state bits exist)`,
      );
    }
    // Open vSwitch maps OpenFlow 1.1+ ports 0xffffff00… onto 16-bit 0xff00…; between the two
    // ranges there is nothing it can represent.
    if (e.field === 'in_port' && e.value >= 0xff00 && e.value < 0xffffff00) {
      throw invalid(
        `in_port ${e.value} is neither a port number (< 0xff00) nor a reserved port (>= 0xffffff00)`,
      );
    }
  }
}
