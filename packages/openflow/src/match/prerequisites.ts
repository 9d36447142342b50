// Match prerequisites (OpenFlow 1.3 §7.2.3.6, ovs-fields(7) "Prerequisites"): a switch refuses a
// match on tcp_dst without nw_proto=6, and so on. Checking here turns an asynchronous
// OFPBMC_BAD_PREREQ from the switch into an immediate, precise error at the call site.
import { invalid } from '../errors.js';
import type { Match } from './types.js';

const IPV4 = 0x0800;
const IPV6 = 0x86dd;
const ARP = 0x0806;
const RARP = 0x8035;

type Facts = { ethType?: number; proto?: number; icmpv6Type?: number; vlan: boolean };

type Rule = { needs: string; ok: (f: Facts) => boolean };

const ip: Rule = { needs: 'eth_type=0x0800 or 0x86dd', ok: (f) => f.ethType === IPV4 || f.ethType === IPV6 };
const ipv4: Rule = { needs: 'eth_type=0x0800', ok: (f) => f.ethType === IPV4 };
const ipv6: Rule = { needs: 'eth_type=0x86dd', ok: (f) => f.ethType === IPV6 };
const arp: Rule = { needs: 'eth_type=0x0806', ok: (f) => f.ethType === ARP || f.ethType === RARP };
const l4 = (proto: number, name: string): Rule => ({
  needs: `${name} (nw_proto=${proto}) over IP`,
  ok: (f) => ip.ok(f) && f.proto === proto,
});
const icmp4: Rule = {
  needs: 'icmp (eth_type=0x0800,nw_proto=1)',
  ok: (f) => f.ethType === IPV4 && f.proto === 1,
};
const icmp6: Rule = {
  needs: 'icmp6 (eth_type=0x86dd,nw_proto=58)',
  ok: (f) => f.ethType === IPV6 && f.proto === 58,
};
const nd = (types: number[], what: string): Rule => ({
  needs: `icmp6 with icmpv6_type=${what}`,
  ok: (f) => icmp6.ok(f) && f.icmpv6Type !== undefined && types.includes(f.icmpv6Type),
});

const RULES: Record<string, Rule> = {
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
};

export function checkPrerequisites(match: Match): void {
  const facts: Facts = { vlan: false };
  for (const e of match) {
    if (e.field === 'eth_type') facts.ethType = e.value;
    else if (e.field === 'nw_proto') facts.proto = e.value;
    else if (e.field === 'icmpv6_type') facts.icmpv6Type = e.value;
    else if (e.field === 'vlan_vid') facts.vlan = (e.value & 0x1000) !== 0;
  }
  for (const e of match) {
    const rule = RULES[e.field];
    if (rule && !rule.ok(facts)) throw invalid(`match on ${e.field} requires ${rule.needs}`);
  }
}
