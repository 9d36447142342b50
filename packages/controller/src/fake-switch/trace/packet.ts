// A packet for the tracer: a plain object of field values (@weir/openflow's names and types),
// and the mutable state the tracer works on — every field as an unsigned integer, absent fields
// (registers, metadata, tunnel, conntrack…) reading as 0, as in OVS's zeroed `struct flow`.
import {
  valueFromBigInt,
  valueToBigInt,
  type FieldName,
  type FieldValue,
  type FieldValues,
  type Subfield,
} from '@weir/openflow';
import { specOf } from '../match.js';

/** A packet as the tracer reports it: the fields that are set. */
export type Packet = { readonly [F in FieldName]?: FieldValues[F] };

/** A short description for makePacket: fields, plus a protocol shorthand. */
export type PacketDescription = Packet & {
  readonly kind?: 'arp' | 'ip' | 'ipv6' | 'tcp' | 'udp' | 'icmp' | 'tcp6' | 'udp6' | 'icmp6';
};

const KINDS: Record<NonNullable<PacketDescription['kind']>, { ethType: number; proto?: number }> = {
  arp: { ethType: 0x0806 },
  ip: { ethType: 0x0800 },
  ipv6: { ethType: 0x86dd },
  tcp: { ethType: 0x0800, proto: 6 },
  udp: { ethType: 0x0800, proto: 17 },
  icmp: { ethType: 0x0800, proto: 1 },
  tcp6: { ethType: 0x86dd, proto: 6 },
  udp6: { ethType: 0x86dd, proto: 17 },
  icmp6: { ethType: 0x86dd, proto: 58 },
};

/**
 * A packet from a short description: `kind` fills eth_type and nw_proto; an ARP packet gets
 * arp_op 1 (request), arp_sha = eth_src and a zero arp_tha unless given; an IP packet gets TTL 64.
 * Values are checked (a malformed address throws RangeError).
 */
export function makePacket(desc: PacketDescription): Packet {
  const { kind, ...fields } = desc;
  const out: Record<string, FieldValue> = { ...fields };
  if (kind) {
    const k = KINDS[kind];
    out['eth_type'] ??= k.ethType;
    if (k.proto !== undefined) out['nw_proto'] ??= k.proto;
  }
  if (out['eth_type'] === 0x0806) {
    out['arp_op'] ??= 1;
    if (out['eth_src'] !== undefined) out['arp_sha'] ??= out['eth_src'];
    out['arp_tha'] ??= '00:00:00:00:00:00';
  }
  if (out['eth_type'] === 0x0800 || out['eth_type'] === 0x86dd) out['nw_ttl'] ??= 64;
  // Normalise every value (and refuse malformed ones) by a round trip through the integer form.
  for (const [f, v] of Object.entries(out)) {
    const spec = specOf(f);
    let n: bigint;
    try {
      n = valueToBigInt(spec, v);
    } catch (error) {
      throw new RangeError(`${f} value ${String(v)}: ${(error as Error).message}`, { cause: error });
    }
    if (n < 0n || n >= spec.limitBig)
      throw new RangeError(`${f} value ${String(v)} does not fit ${spec.bits} bits`);
    out[f] = valueFromBigInt(spec, n);
  }
  return out;
}

/** OpenFlow 1.1+ ports ≥ 0xffffff00 are 0xff00… in the 16-bit NXM_OF_IN_PORT that actions see. */
const toIn16 = (p: bigint): bigint => (p >= 0xffffff00n ? p - 0xffffff00n + 0xff00n : p & 0xffffn);
const fromIn16 = (p: bigint): bigint => (p >= 0xff00n ? p - 0xff00n + 0xffffff00n : p);

export class PacketState {
  private constructor(private readonly values: Map<FieldName, bigint>) {}

  static of(packet: Packet): PacketState {
    const values = new Map<FieldName, bigint>();
    for (const [f, v] of Object.entries(packet) as [FieldName, FieldValue][])
      values.set(f, valueToBigInt(specOf(f), v));
    return new PacketState(values);
  }

  clone(): PacketState {
    return new PacketState(new Map(this.values));
  }

  get(field: FieldName): bigint {
    if (field.startsWith('xxreg')) {
      const base = Number(field.slice(5)) * 4;
      let n = 0n;
      for (let i = 0; i < 4; i++) n = (n << 32n) | this.get(`reg${base + i}` as FieldName);
      return n;
    }
    if (field === 'vlan_tci') return (this.get('vlan_pcp') << 13n) | this.get('vlan_vid');
    return this.values.get(field) ?? 0n;
  }

  set(field: FieldName, value: bigint): void {
    const v = value & (specOf(field).limitBig - 1n);
    if (field.startsWith('xxreg')) {
      const base = Number(field.slice(5)) * 4;
      for (let i = 0; i < 4; i++)
        this.set(`reg${base + i}` as FieldName, (v >> BigInt((3 - i) * 32)) & 0xffffffffn);
      return;
    }
    if (field === 'vlan_tci') {
      const present = (v & 0x1000n) !== 0n;
      this.set('vlan_vid', present ? v & 0x1fffn : 0n);
      this.set('vlan_pcp', present ? (v >> 13n) & 7n : 0n);
      return;
    }
    this.values.set(field, v);
  }

  /** set_field semantics: a typed value, optionally under a mask. */
  setTyped(field: FieldName, value: FieldValue, mask?: FieldValue): void {
    const spec = specOf(field);
    const v = valueToBigInt(spec, value);
    if (mask === undefined) return this.set(field, v);
    const m = valueToBigInt(spec, mask);
    this.set(field, (this.get(field) & ~m) | (v & m));
  }

  /** Bits [start, start+nBits) of a field, as Nicira actions address them. */
  read(sf: Subfield): bigint {
    const whole = sf.field === 'in_port' ? toIn16(this.get('in_port')) : this.get(sf.field);
    return (whole >> BigInt(sf.start)) & ((1n << BigInt(sf.nBits)) - 1n);
  }

  write(sf: Subfield, value: bigint): void {
    const mask = ((1n << BigInt(sf.nBits)) - 1n) << BigInt(sf.start);
    if (sf.field === 'in_port') {
      const old = toIn16(this.get('in_port'));
      this.set('in_port', fromIn16((old & ~mask) | ((value << BigInt(sf.start)) & mask)));
      return;
    }
    this.set(sf.field, (this.get(sf.field) & ~mask) | ((value << BigInt(sf.start)) & mask));
  }

  /** The packet's fields in @weir/openflow's types (fields never set are left out). */
  toPacket(): Packet {
    const out: Record<string, FieldValue> = {};
    for (const [f, v] of this.values) out[f] = valueFromBigInt(specOf(f), v);
    return out;
  }

  get inPort(): number {
    return Number(this.get('in_port'));
  }
}
