// How ovs-ofctl writes field values: hexadecimal or decimal integers, addresses with CIDR or
// explicit masks, flag sets (ct_state, tcp_flags), port names. Shared by the match and action
// formatters and by the parser (which must accept everything these print).
import { OFPP, RESERVED_PORT_NAMES } from '../constants.js';
import type { FieldSpec } from '../fields/registry.js';
import { CT_STATE } from '../fields/types.js';
import { ipv4ToNumber, ipv6ToBigInt, macToBytes, valueToBigInt, type Value } from '../fields/values.js';

export type TextFormat =
  'hex' | 'dec' | 'ipv4' | 'ipv6' | 'mac' | 'ct_state' | 'tcp_flags' | 'frag' | 'tun_flags' | 'port';

const HEX_FIELDS = new Set([
  'tun_id',
  'metadata',
  'pkt_mark',
  'ct_zone',
  'ct_mark',
  'ct_label',
  'eth_type',
  'vlan_tci',
  'ipv6_label',
]);

export function textFormatOf(spec: FieldSpec): TextFormat {
  if (spec.name === 'in_port') return 'port';
  if (spec.name === 'ct_state') return 'ct_state';
  if (spec.name === 'tcp_flags') return 'tcp_flags';
  if (spec.name === 'ip_frag') return 'frag';
  if (spec.name === 'tun_flags') return 'tun_flags';
  if (spec.name.startsWith('reg') || spec.name.startsWith('xxreg') || HEX_FIELDS.has(spec.name)) return 'hex';
  switch (spec.kind) {
    case 'mac':
      return 'mac';
    case 'ipv4':
      return 'ipv4';
    case 'ipv6':
      return 'ipv6';
    default:
      return 'dec';
  }
}

/** ovs's ds_put_hex / "%#x": "0" for zero, else "0x" and lowercase digits without leading zeros. */
export function hex(n: number | bigint): string {
  const v = BigInt(n);
  return v === 0n ? '0' : `0x${v.toString(16)}`;
}

/**
 * A port as ovs-ofctl prints it: a number, or a reserved name. 16-bit reserved numbers
 * (0xfff8…0xffff, as Nicira actions and OpenFlow 1.0 carry them) get their names too, and 32-bit
 * numbers from 0xffffff00 up are shown in OpenFlow 1.0 numbering, as ovs-ofctl does.
 */
export function formatPort(port: number): string {
  if (port >= 0xfff8 && port <= 0xffff) return RESERVED_PORT_NAMES.get(port + 0xffff0000) ?? String(port);
  if (port < OFPP.MAX) return String(port);
  return RESERVED_PORT_NAMES.get(port) ?? String(port - 0xffff0000);
}

/** Leading ones of a mask of `bits` bits, or -1 if the mask is not a prefix. */
export function prefixLength(mask: bigint, bits: number): number {
  let n = 0;
  for (let i = bits - 1; i >= 0; i--) {
    if ((mask >> BigInt(i)) & 1n) n++;
    else break;
  }
  const expected = n === 0 ? 0n : ((1n << BigInt(n)) - 1n) << BigInt(bits - n);
  return mask === expected ? n : -1;
}

export const CT_STATE_NAMES: readonly (readonly [number, string])[] = Object.entries(CT_STATE).map(
  ([name, bit]) => [bit, name] as const,
);

export const TCP_FLAG_NAMES: readonly (readonly [number, string])[] = [
  [0x001, 'fin'],
  [0x002, 'syn'],
  [0x004, 'rst'],
  [0x008, 'psh'],
  [0x010, 'ack'],
  [0x020, 'urg'],
  [0x040, 'ece'],
  [0x080, 'cwr'],
  [0x100, 'ns'],
  // ovs-ofctl's names for the reserved bits.
  [0x200, '[200]'],
  [0x400, '[400]'],
  [0x800, '[800]'],
];

export const TUN_FLAG_NAMES: readonly (readonly [number, string])[] = [[1, 'oam']];

/** format_flags / format_flags_masked: "est|trk" for an exact match, "+est-new" otherwise. */
export function formatFlags(
  names: readonly (readonly [number, string])[],
  value: number,
  mask: number,
  maxMask: number,
): string {
  const nameOf = (bit: number): string | undefined => names.find(([b]) => b === bit)?.[1];
  if (mask === maxMask) {
    if (value === 0) return '0';
    const parts: string[] = [];
    let bad = 0;
    for (let bit = 1; bit <= value && bit !== 0; bit <<= 1) {
      if (!(value & bit)) continue;
      const n = nameOf(bit);
      if (n) parts.push(n);
      else bad |= bit;
    }
    if (bad) parts.push(`0x${bad.toString(16)}`);
    return parts.join('|');
  }
  if (mask === 0) return '0/0';
  let s = '';
  for (let bit = 1; bit <= mask && bit !== 0; bit <<= 1) {
    if (!(mask & bit)) continue;
    s += `${value & bit ? '+' : '-'}${nameOf(bit) ?? '[Unknown]'}`;
  }
  return s;
}

function formatFrag(value: number, mask: number): string {
  // FLOW_NW_FRAG_ANY = 1, FLOW_NW_FRAG_LATER = 2.
  switch (mask & 3) {
    case 3:
      return value & 1 ? (value & 2 ? 'later' : 'first') : value & 2 ? '<error>' : 'no';
    case 1:
      return value & 1 ? 'yes' : 'no';
    case 2:
      return value & 2 ? 'later' : 'not_later';
    default:
      return '';
  }
}

function formatIpv4(value: string, mask?: string): string {
  if (mask === undefined || mask === '255.255.255.255') return value;
  const len = prefixLength(BigInt(ipv4ToNumber(mask)), 32);
  return len >= 0 ? `${value}/${len}` : `${value}/${mask}`;
}

function formatIpv6(value: string, mask?: string): string {
  if (mask === undefined) return value;
  const m = ipv6ToBigInt(mask);
  if (m === (1n << 128n) - 1n) return value;
  const len = prefixLength(m, 128);
  return len >= 0 ? `${value}/${len}` : `${value}/${mask}`;
}

function formatMac(value: string, mask?: string): string {
  if (mask === undefined || macToBytes(mask).every((b) => b === 0xff)) return value;
  return `${value}/${mask}`;
}

/**
 * mf_format: a value (and optional mask) of a field, as set_field and learn print it.
 * An all-ones mask is omitted.
 */
export function formatFieldValue(spec: FieldSpec, value: Value, mask?: Value): string {
  const full = (1n << BigInt(spec.bytes * 8)) - 1n;
  const m = mask === undefined ? undefined : valueToBigInt(spec, mask);
  const effectiveMask = m === full ? undefined : mask;
  switch (textFormatOf(spec)) {
    case 'port':
      return effectiveMask === undefined ? formatPort(Number(value)) : `${Number(value)}/${hex(m ?? 0n)}`;
    case 'hex':
      return effectiveMask === undefined
        ? hex(valueToBigInt(spec, value))
        : `${hex(valueToBigInt(spec, value))}/${hex(m ?? 0n)}`;
    case 'dec':
      return effectiveMask === undefined ? String(value) : `${String(value)}/${hex(m ?? 0n)}`;
    case 'ipv4':
      return formatIpv4(String(value), effectiveMask === undefined ? undefined : String(effectiveMask));
    case 'ipv6':
      return formatIpv6(String(value), effectiveMask === undefined ? undefined : String(effectiveMask));
    case 'mac':
      return formatMac(String(value), effectiveMask === undefined ? undefined : String(effectiveMask));
    case 'ct_state':
      return formatFlags(CT_STATE_NAMES, Number(value), m === undefined ? 0xffffffff : Number(m), 0xffffffff);
    case 'tcp_flags':
      return formatFlags(TCP_FLAG_NAMES, Number(value), m === undefined ? 0xffff : Number(m), 0xffff);
    case 'tun_flags':
      // Only the OAM bit is public (FLOW_TNL_PUB_F_MASK).
      return formatFlags(TUN_FLAG_NAMES, Number(value), (m === undefined ? 0xffff : Number(m)) & 1, 1);
    case 'frag':
      return formatFrag(Number(value), m === undefined ? 0xff : Number(m));
  }
}
