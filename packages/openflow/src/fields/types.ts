// Type-level view of the field registry: the TypeScript value type of every field.
// Integers up to 32 bits are numbers, 64- and 128-bit ones bigints, addresses strings
// ("aa:bb:cc:dd:ee:ff", "10.0.0.1", "fd00::1"). A unit test checks these names against the
// runtime registry, so the two cannot drift apart.

type RegIndex = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13 | 14 | 15;
type XxregIndex = 0 | 1 | 2 | 3;

type RegisterValues = { [K in `reg${RegIndex}`]: number } & { [K in `xxreg${XxregIndex}`]: bigint };

export type FieldValues = RegisterValues & {
  in_port: number;
  metadata: bigint;
  pkt_mark: number;
  conj_id: number;
  tun_id: bigint;
  tun_src: string;
  tun_dst: string;
  tun_ipv6_src: string;
  tun_ipv6_dst: string;
  tun_flags: number;
  ct_state: number;
  ct_zone: number;
  ct_mark: number;
  ct_label: bigint;
  ct_nw_proto: number;
  ct_nw_src: string;
  ct_nw_dst: string;
  ct_ipv6_src: string;
  ct_ipv6_dst: string;
  ct_tp_src: number;
  ct_tp_dst: number;
  eth_src: string;
  eth_dst: string;
  eth_type: number;
  vlan_vid: number;
  vlan_pcp: number;
  vlan_tci: number;
  ip_src: string;
  ip_dst: string;
  ipv6_src: string;
  ipv6_dst: string;
  ipv6_label: number;
  nw_proto: number;
  ip_dscp: number;
  nw_ecn: number;
  nw_ttl: number;
  ip_frag: number;
  arp_op: number;
  arp_spa: string;
  arp_tpa: string;
  arp_sha: string;
  arp_tha: string;
  tcp_src: number;
  tcp_dst: number;
  tcp_flags: number;
  udp_src: number;
  udp_dst: number;
  sctp_src: number;
  sctp_dst: number;
  icmp_type: number;
  icmp_code: number;
  icmpv6_type: number;
  icmpv6_code: number;
  nd_target: string;
  nd_sll: string;
  nd_tll: string;
};

export type FieldName = Extract<keyof FieldValues, string>;
export type FieldValue = FieldValues[FieldName];

/** One (field, value, optional mask) triple, typed per field. */
export type FieldMatch = {
  [F in FieldName]: { readonly field: F; readonly value: FieldValues[F]; readonly mask?: FieldValues[F] };
}[FieldName];

/** ct_state bits (NXM_NX_CT_STATE), in the order ovs-ofctl prints them. */
export const CT_STATE = {
  new: 0x01,
  est: 0x02,
  rel: 0x04,
  rpl: 0x08,
  inv: 0x10,
  trk: 0x20,
  snat: 0x40,
  dnat: 0x80,
} as const;

/** Set in OXM vlan_vid when a VLAN header is present. */
export const OFPVID_PRESENT = 0x1000;
