// The match/set-field registry: every field this library can match, set, move or load.
//
// Each field has up to two wire headers, because Open vSwitch uses different ones in different
// places (verified against ovs-ofctl 3.1 captures, see test/fixtures):
//  - `oxm`: the header used in OpenFlow 1.3 matches and OFPAT_SET_FIELD — the standard OXM
//    header when one exists, otherwise the Nicira NXM_NX_* one;
//  - `nxm`: the header used inside Nicira actions (reg_move, reg_load, learn, ct zone source…)
//    and in their text form (`NXM_OF_ETH_SRC[]`) — the NXM header when one exists, else OXM.
// A header is `class << 16 | field << 9 | hasmask << 8 | length`; experimenter OXMs (class
// 0xffff) carry a 32-bit experimenter id after the header, counted in `length`.

export type ValueKind = 'u8' | 'u16' | 'u32' | 'u64' | 'u128' | 'mac' | 'ipv4' | 'ipv6';

export interface WireHeader {
  readonly oxmClass: number;
  readonly field: number;
  /** Experimenter id for class 0xffff. */
  readonly experimenter?: number;
}

export interface FieldSpec {
  /** OVS's canonical name (ovs-fields(7)): what set_field and our TypeScript API use. */
  readonly name: string;
  readonly kind: ValueKind;
  /** Value length on the wire in bytes. */
  readonly bytes: number;
  /** Meaningful low bits (e.g. 6 for ip_dscp, 13 for vlan_vid incl. OFPVID_PRESENT). */
  readonly bits: number;
  readonly maskable: boolean;
  /** Header for OpenFlow 1.3 matches and set_field; undefined if the field cannot be matched. */
  readonly oxm?: WireHeader;
  /** Header for Nicira actions (move/load/learn). */
  readonly nxm: WireHeader;
  /** Text name of `nxm` as ovs-ofctl prints it in move/load: `NXM_NX_REG0`. */
  readonly nxmName: string;
  /** False for fields a switch refuses to write (ct_state, conj_id…). */
  readonly writable: boolean;
  /** 2^bits: values must be below it (precomputed for the encode hot path). */
  readonly limit: number;
  readonly limitBig: bigint;
}

const OXM_BASIC = 0x8000;
const NXM_0 = 0x0000;
const NXM_1 = 0x0001;
const EXPERIMENTER = 0xffff;
export const NX_VENDOR_ID = 0x00002320;
export const ONF_VENDOR_ID = 0x4f4e4600;

const specs: FieldSpec[] = [];

const bytesOf: Record<ValueKind, number> = {
  u8: 1,
  u16: 2,
  u32: 4,
  u64: 8,
  u128: 16,
  mac: 6,
  ipv4: 4,
  ipv6: 16,
};

interface Def {
  kind: ValueKind;
  bits?: number;
  maskable: boolean;
  oxm?: WireHeader | undefined;
  nxm?: WireHeader;
  nxmName: string;
  writable?: boolean;
}

function def(name: string, d: Def): void {
  const nxm = d.nxm ?? d.oxm;
  if (!nxm) throw new Error(`field ${name} has no header`);
  specs.push({
    name,
    kind: d.kind,
    bytes: bytesOf[d.kind],
    bits: d.bits ?? bytesOf[d.kind] * 8,
    maskable: d.maskable,
    ...(d.oxm ? { oxm: d.oxm } : {}),
    nxm,
    nxmName: d.nxmName,
    writable: d.writable ?? true,
    limit: 2 ** (d.bits ?? bytesOf[d.kind] * 8),
    limitBig: 1n << BigInt(d.bits ?? bytesOf[d.kind] * 8),
  });
}

const basic = (field: number): WireHeader => ({ oxmClass: OXM_BASIC, field });
const nx0 = (field: number): WireHeader => ({ oxmClass: NXM_0, field });
const nx1 = (field: number): WireHeader => ({ oxmClass: NXM_1, field });
const onf = (field: number): WireHeader => ({ oxmClass: EXPERIMENTER, field, experimenter: ONF_VENDOR_ID });

// --- Pipeline metadata -------------------------------------------------------------------------
// The 32-bit OXM in_port is matched only; actions write the 16-bit NXM_OF_IN_PORT (below).
def('in_port', { kind: 'u32', maskable: false, oxm: basic(0), nxmName: 'OXM_OF_IN_PORT', writable: false });
def('metadata', { kind: 'u64', maskable: true, oxm: basic(2), nxmName: 'OXM_OF_METADATA' });
for (let i = 0; i < 16; i++) {
  def(`reg${i}`, { kind: 'u32', maskable: true, oxm: nx1(i), nxmName: `NXM_NX_REG${i}` });
}
for (let i = 0; i < 4; i++) {
  def(`xxreg${i}`, { kind: 'u128', maskable: true, oxm: nx1(111 + i), nxmName: `NXM_NX_XXREG${i}` });
}
def('pkt_mark', { kind: 'u32', maskable: true, oxm: nx1(33), nxmName: 'NXM_NX_PKT_MARK' });
def('conj_id', { kind: 'u32', maskable: false, oxm: nx1(37), nxmName: 'NXM_NX_CONJ_ID', writable: false });

// --- Tunnel ------------------------------------------------------------------------------------
def('tun_id', { kind: 'u64', maskable: true, oxm: basic(38), nxm: nx1(16), nxmName: 'NXM_NX_TUN_ID' });
def('tun_src', { kind: 'ipv4', maskable: true, oxm: nx1(31), nxmName: 'NXM_NX_TUN_IPV4_SRC' });
def('tun_dst', { kind: 'ipv4', maskable: true, oxm: nx1(32), nxmName: 'NXM_NX_TUN_IPV4_DST' });
def('tun_ipv6_src', { kind: 'ipv6', maskable: true, oxm: nx1(109), nxmName: 'NXM_NX_TUN_IPV6_SRC' });
def('tun_ipv6_dst', { kind: 'ipv6', maskable: true, oxm: nx1(110), nxmName: 'NXM_NX_TUN_IPV6_DST' });
def('tun_flags', { kind: 'u16', bits: 1, maskable: true, oxm: nx1(104), nxmName: 'NXM_NX_TUN_FLAGS' });

// --- Connection tracking -----------------------------------------------------------------------
def('ct_state', { kind: 'u32', maskable: true, oxm: nx1(105), nxmName: 'NXM_NX_CT_STATE', writable: false });
def('ct_zone', { kind: 'u16', maskable: false, oxm: nx1(106), nxmName: 'NXM_NX_CT_ZONE', writable: false });
def('ct_mark', { kind: 'u32', maskable: true, oxm: nx1(107), nxmName: 'NXM_NX_CT_MARK' });
def('ct_label', { kind: 'u128', maskable: true, oxm: nx1(108), nxmName: 'NXM_NX_CT_LABEL' });
def('ct_nw_proto', {
  kind: 'u8',
  maskable: false,
  oxm: nx1(119),
  nxmName: 'NXM_NX_CT_NW_PROTO',
  writable: false,
});
def('ct_nw_src', {
  kind: 'ipv4',
  maskable: true,
  oxm: nx1(120),
  nxmName: 'NXM_NX_CT_NW_SRC',
  writable: false,
});
def('ct_nw_dst', {
  kind: 'ipv4',
  maskable: true,
  oxm: nx1(121),
  nxmName: 'NXM_NX_CT_NW_DST',
  writable: false,
});
def('ct_ipv6_src', {
  kind: 'ipv6',
  maskable: true,
  oxm: nx1(122),
  nxmName: 'NXM_NX_CT_IPV6_SRC',
  writable: false,
});
def('ct_ipv6_dst', {
  kind: 'ipv6',
  maskable: true,
  oxm: nx1(123),
  nxmName: 'NXM_NX_CT_IPV6_DST',
  writable: false,
});
def('ct_tp_src', {
  kind: 'u16',
  maskable: true,
  oxm: nx1(124),
  nxmName: 'NXM_NX_CT_TP_SRC',
  writable: false,
});
def('ct_tp_dst', {
  kind: 'u16',
  maskable: true,
  oxm: nx1(125),
  nxmName: 'NXM_NX_CT_TP_DST',
  writable: false,
});

// --- L2 ------------------------------------------------------------------------------------------
def('eth_src', { kind: 'mac', maskable: true, oxm: basic(4), nxm: nx0(2), nxmName: 'NXM_OF_ETH_SRC' });
def('eth_dst', { kind: 'mac', maskable: true, oxm: basic(3), nxm: nx0(1), nxmName: 'NXM_OF_ETH_DST' });
def('eth_type', {
  kind: 'u16',
  maskable: false,
  oxm: basic(5),
  nxm: nx0(3),
  nxmName: 'NXM_OF_ETH_TYPE',
  writable: false,
});
// OXM vlan_vid includes OFPVID_PRESENT (0x1000): 4101 means "VLAN 5 present".
def('vlan_vid', { kind: 'u16', bits: 13, maskable: true, oxm: basic(6), nxmName: 'OXM_OF_VLAN_VID' });
def('vlan_pcp', { kind: 'u8', bits: 3, maskable: false, oxm: basic(7), nxmName: 'OXM_OF_VLAN_PCP' });
def('vlan_tci', { kind: 'u16', maskable: true, oxm: undefined, nxm: nx0(4), nxmName: 'NXM_OF_VLAN_TCI' });

// --- L3 ------------------------------------------------------------------------------------------
def('ip_src', { kind: 'ipv4', maskable: true, oxm: basic(11), nxm: nx0(7), nxmName: 'NXM_OF_IP_SRC' });
def('ip_dst', { kind: 'ipv4', maskable: true, oxm: basic(12), nxm: nx0(8), nxmName: 'NXM_OF_IP_DST' });
def('ipv6_src', { kind: 'ipv6', maskable: true, oxm: basic(26), nxm: nx1(19), nxmName: 'NXM_NX_IPV6_SRC' });
def('ipv6_dst', { kind: 'ipv6', maskable: true, oxm: basic(27), nxm: nx1(20), nxmName: 'NXM_NX_IPV6_DST' });
def('ipv6_label', {
  kind: 'u32',
  bits: 20,
  maskable: true,
  oxm: basic(28),
  nxm: nx1(27),
  nxmName: 'NXM_NX_IPV6_LABEL',
});
def('nw_proto', {
  kind: 'u8',
  maskable: false,
  oxm: basic(10),
  nxm: nx0(6),
  nxmName: 'NXM_OF_IP_PROTO',
  writable: false,
});
def('ip_dscp', { kind: 'u8', bits: 6, maskable: false, oxm: basic(8), nxmName: 'OXM_OF_IP_DSCP' });
def('nw_ecn', {
  kind: 'u8',
  bits: 2,
  maskable: false,
  oxm: basic(9),
  nxm: nx1(28),
  nxmName: 'NXM_NX_IP_ECN',
});
def('nw_ttl', { kind: 'u8', maskable: false, oxm: nx1(29), nxmName: 'NXM_NX_IP_TTL' });
def('ip_frag', {
  kind: 'u8',
  bits: 2,
  maskable: true,
  oxm: nx1(26),
  nxmName: 'NXM_NX_IP_FRAG',
  writable: false,
});

// --- ARP -----------------------------------------------------------------------------------------
def('arp_op', { kind: 'u16', maskable: false, oxm: basic(21), nxm: nx0(15), nxmName: 'NXM_OF_ARP_OP' });
def('arp_spa', { kind: 'ipv4', maskable: true, oxm: basic(22), nxm: nx0(16), nxmName: 'NXM_OF_ARP_SPA' });
def('arp_tpa', { kind: 'ipv4', maskable: true, oxm: basic(23), nxm: nx0(17), nxmName: 'NXM_OF_ARP_TPA' });
def('arp_sha', { kind: 'mac', maskable: true, oxm: basic(24), nxm: nx1(17), nxmName: 'NXM_NX_ARP_SHA' });
def('arp_tha', { kind: 'mac', maskable: true, oxm: basic(25), nxm: nx1(18), nxmName: 'NXM_NX_ARP_THA' });

// --- L4 ------------------------------------------------------------------------------------------
def('tcp_src', { kind: 'u16', maskable: true, oxm: basic(13), nxm: nx0(9), nxmName: 'NXM_OF_TCP_SRC' });
def('tcp_dst', { kind: 'u16', maskable: true, oxm: basic(14), nxm: nx0(10), nxmName: 'NXM_OF_TCP_DST' });
def('tcp_flags', {
  kind: 'u16',
  bits: 12,
  maskable: true,
  oxm: onf(42),
  nxm: nx1(34),
  nxmName: 'NXM_NX_TCP_FLAGS',
  writable: false,
});
def('udp_src', { kind: 'u16', maskable: true, oxm: basic(15), nxm: nx0(11), nxmName: 'NXM_OF_UDP_SRC' });
def('udp_dst', { kind: 'u16', maskable: true, oxm: basic(16), nxm: nx0(12), nxmName: 'NXM_OF_UDP_DST' });
def('sctp_src', { kind: 'u16', maskable: true, oxm: basic(17), nxmName: 'OXM_OF_SCTP_SRC' });
def('sctp_dst', { kind: 'u16', maskable: true, oxm: basic(18), nxmName: 'OXM_OF_SCTP_DST' });
def('icmp_type', { kind: 'u8', maskable: false, oxm: basic(19), nxm: nx0(13), nxmName: 'NXM_OF_ICMP_TYPE' });
def('icmp_code', { kind: 'u8', maskable: false, oxm: basic(20), nxm: nx0(14), nxmName: 'NXM_OF_ICMP_CODE' });
def('icmpv6_type', {
  kind: 'u8',
  maskable: false,
  oxm: basic(29),
  nxm: nx1(21),
  nxmName: 'NXM_NX_ICMPV6_TYPE',
});
def('icmpv6_code', {
  kind: 'u8',
  maskable: false,
  oxm: basic(30),
  nxm: nx1(22),
  nxmName: 'NXM_NX_ICMPV6_CODE',
});
def('nd_target', { kind: 'ipv6', maskable: true, oxm: basic(31), nxm: nx1(23), nxmName: 'NXM_NX_ND_TARGET' });
def('nd_sll', { kind: 'mac', maskable: true, oxm: basic(32), nxm: nx1(24), nxmName: 'NXM_NX_ND_SLL' });
def('nd_tll', { kind: 'mac', maskable: true, oxm: basic(33), nxm: nx1(25), nxmName: 'NXM_NX_ND_TLL' });

// Only in actions: the 16-bit NXM in_port (`move:NXM_OF_IN_PORT[]->…`, learn's `output:`).
const IN_PORT16: FieldSpec = {
  name: 'in_port',
  kind: 'u16',
  bytes: 2,
  bits: 16,
  maskable: false,
  nxm: nx0(0),
  nxmName: 'NXM_OF_IN_PORT',
  writable: true,
  limit: 2 ** 16,
  limitBig: 1n << 16n,
};

export const FIELD_SPECS: readonly FieldSpec[] = specs;

const byName = new Map<string, FieldSpec>(specs.map((s) => [s.name, s]));
/** Alternative names ovs-ofctl accepts (and sometimes prints). */
const ALIASES: Record<string, string> = {
  dl_src: 'eth_src',
  dl_dst: 'eth_dst',
  dl_type: 'eth_type',
  nw_src: 'ip_src',
  nw_dst: 'ip_dst',
  ip_proto: 'nw_proto',
  ip_ecn: 'nw_ecn',
  tunnel_id: 'tun_id',
  tun_ipv4_src: 'tun_src',
  tun_ipv4_dst: 'tun_dst',
  icmpv4_type: 'icmp_type',
  icmpv4_code: 'icmp_code',
  ipv4_src: 'ip_src',
  ipv4_dst: 'ip_dst',
};

export function fieldByName(name: string): FieldSpec | undefined {
  return byName.get(name) ?? byName.get(ALIASES[name] ?? '');
}

/** The spec for a field referenced by a Nicira action (its NXM name or its OVS name). */
export function subfieldSpecByName(name: string): FieldSpec | undefined {
  if (name === 'in_port' || name === 'NXM_OF_IN_PORT') return IN_PORT16;
  const direct = fieldByName(name);
  if (direct) return direct;
  return byNxmName.get(name);
}

const byNxmName = new Map<string, FieldSpec>(specs.map((s) => [s.nxmName, s]));
byNxmName.set('NXM_OF_IN_PORT', IN_PORT16);

function headerKey(h: WireHeader): string {
  return `${h.oxmClass}:${h.field}:${h.experimenter ?? 0}`;
}

const byWire = new Map<string, FieldSpec>();
for (const s of specs) {
  if (s.oxm) byWire.set(headerKey(s.oxm), s);
}
// NXM headers of fields that also have an OXM one decode to the same field, except in_port.
for (const s of specs) if (!byWire.has(headerKey(s.nxm))) byWire.set(headerKey(s.nxm), s);
byWire.set(headerKey(IN_PORT16.nxm), IN_PORT16);

export function fieldByHeader(h: WireHeader): FieldSpec | undefined {
  return byWire.get(headerKey(h));
}

export function isIn16(spec: FieldSpec): boolean {
  return spec === IN_PORT16;
}

/** Canonical order of match fields: Open vSwitch's own (nx_put_raw), so our bytes equal its bytes. */
export const MATCH_ORDER: readonly string[] = [
  'conj_id',
  'in_port',
  'eth_src',
  'eth_dst',
  'eth_type',
  'vlan_vid',
  'vlan_pcp',
  'ip_src',
  'ip_dst',
  'ipv6_src',
  'ipv6_dst',
  'ip_frag',
  'ip_dscp',
  'nw_ecn',
  'nw_ttl',
  'ipv6_label',
  'nw_proto',
  'tcp_src',
  'tcp_dst',
  'tcp_flags',
  'udp_src',
  'udp_dst',
  'sctp_src',
  'sctp_dst',
  'icmp_type',
  'icmp_code',
  'icmpv6_type',
  'icmpv6_code',
  'nd_target',
  'nd_sll',
  'nd_tll',
  'arp_op',
  'arp_spa',
  'arp_tpa',
  'arp_sha',
  'arp_tha',
  'tun_id',
  'tun_flags',
  'tun_src',
  'tun_dst',
  'tun_ipv6_src',
  'tun_ipv6_dst',
  ...Array.from({ length: 16 }, (_, i) => `reg${i}`),
  ...Array.from({ length: 4 }, (_, i) => `xxreg${i}`),
  'pkt_mark',
  'ct_state',
  'ct_zone',
  'ct_mark',
  'ct_label',
  'ct_nw_src',
  'ct_ipv6_src',
  'ct_nw_dst',
  'ct_ipv6_dst',
  'ct_nw_proto',
  'ct_tp_src',
  'ct_tp_dst',
  'metadata',
  'vlan_tci',
];

export const matchRank = new Map<string, number>(MATCH_ORDER.map((n, i) => [n, i]));
