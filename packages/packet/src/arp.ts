// ARP for IPv4 over Ethernet (RFC 826). Other hardware or protocol types are refused as
// PACKET_UNSUPPORTED rather than half-decoded.
import { formatIpv4, writeIpv4Address, type Ipv4Address } from './address/ipv4.js';
import { formatMac, writeMac, type MacAddress } from './address/mac.js';
import { PacketDecodeError } from './errors.js';
import { checkUint, need, viewOf } from './internal/bytes.js';

export const ArpOperation = { Request: 1, Reply: 2 } as const;

export const ARP_LENGTH = 28;

export interface Arp {
  readonly kind: 'arp';
  /** ArpOperation.Request (1) or .Reply (2); other values (RARP, InARP) are kept as numbers. */
  readonly operation: number;
  readonly senderMac: MacAddress;
  readonly senderIp: Ipv4Address;
  readonly targetMac: MacAddress;
  readonly targetIp: Ipv4Address;
}

/** ARP has no computed fields: what you encode is what decodes. */
export type ArpInit = Arp;

export function decodeArpAt(bytes: Uint8Array, view: DataView, start: number, end: number): Arp {
  need('arp', start, ARP_LENGTH, end, 'ARP packet');
  const htype = view.getUint16(start);
  const ptype = view.getUint16(start + 2);
  if (htype !== 1 || ptype !== 0x0800 || bytes[start + 4] !== 6 || bytes[start + 5] !== 4) {
    throw new PacketDecodeError(
      'PACKET_UNSUPPORTED',
      'arp',
      start,
      `hardware type ${htype} / protocol 0x${ptype.toString(16)} is not Ethernet/IPv4`,
    );
  }
  return {
    kind: 'arp',
    operation: view.getUint16(start + 6),
    senderMac: formatMac(bytes, start + 8),
    senderIp: formatIpv4(bytes, start + 14),
    targetMac: formatMac(bytes, start + 18),
    targetIp: formatIpv4(bytes, start + 24),
  };
}

export function writeArp(out: Uint8Array, view: DataView, offset: number, arp: ArpInit): number {
  view.setUint16(offset, 1);
  view.setUint16(offset + 2, 0x0800);
  out[offset + 4] = 6;
  out[offset + 5] = 4;
  view.setUint16(offset + 6, checkUint('arp', 'operation', arp.operation, 16));
  writeMac(arp.senderMac, out, offset + 8);
  writeIpv4Address(arp.senderIp, out, offset + 14);
  writeMac(arp.targetMac, out, offset + 18);
  writeIpv4Address(arp.targetIp, out, offset + 24);
  return offset + ARP_LENGTH;
}

/** Decodes an ARP packet (bytes after the Ethernet header); bytes after the 28th are ignored. */
export function decodeArp(bytes: Uint8Array): Arp {
  return decodeArpAt(bytes, viewOf(bytes), 0, bytes.length);
}

export function encodeArp(arp: ArpInit): Uint8Array {
  const out = new Uint8Array(ARP_LENGTH);
  writeArp(out, viewOf(out), 0, arp);
  return out;
}
