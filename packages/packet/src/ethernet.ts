// Ethernet II header with any number of 802.1Q / 802.1ad tags between the source address and the
// EtherType (QinQ). Tags are listed outermost first, as they appear on the wire.
import { formatMac, writeMac, type MacAddress } from './address/mac.js';
import { PacketEncodeError } from './errors.js';
import { checkUint, need } from './internal/bytes.js';

export const EtherType = {
  IPv4: 0x0800,
  ARP: 0x0806,
  IPv6: 0x86dd,
  /** 802.1Q customer tag. */
  VLAN: 0x8100,
  /** 802.1ad service tag (outer tag of QinQ). */
  QinQ: 0x88a8,
  /** Pre-standard QinQ tag still emitted by some switches. */
  QinQLegacy: 0x9100,
} as const;

const TAG_TPIDS: ReadonlySet<number> = new Set([EtherType.VLAN, EtherType.QinQ, EtherType.QinQLegacy]);

export interface VlanTag {
  /** Tag protocol identifier: 0x8100, 0x88a8 or 0x9100. */
  readonly tpid: number;
  /** Priority code point, 0–7. */
  readonly pcp: number;
  /** Drop eligible indicator. */
  readonly dei: boolean;
  /** VLAN identifier, 0–4095. */
  readonly vid: number;
}

export interface VlanTagInit {
  /** Default: 0x8100 for the innermost tag, 0x88a8 for tags outside it. */
  readonly tpid?: number;
  readonly pcp?: number;
  readonly dei?: boolean;
  readonly vid: number;
}

export interface Ethernet {
  readonly destination: MacAddress;
  readonly source: MacAddress;
  /** 802.1Q/802.1ad tags, outermost first; empty for an untagged frame. */
  readonly vlans: readonly VlanTag[];
  /** The EtherType after the tags: what the payload is. Below 0x0600 it is an 802.3 length. */
  readonly etherType: number;
}

export interface EthernetInit {
  readonly destination: MacAddress;
  readonly source: MacAddress;
  readonly vlans?: readonly VlanTagInit[];
  /** Needed only when the frame carries no network layer this library encodes. */
  readonly etherType?: number;
}

const NO_TAGS: readonly VlanTag[] = Object.freeze([]);

/** Decodes the header at `start`; the payload begins at `start + ethernetHeaderLength(header)`. */
export function decodeEthernetAt(bytes: Uint8Array, view: DataView, start: number, end: number): Ethernet {
  need('ethernet', start, 14, end, 'Ethernet header');
  const destination = formatMac(bytes, start);
  const source = formatMac(bytes, start + 6);
  let offset = start + 12;
  let etherType = view.getUint16(offset);
  let vlans = NO_TAGS;
  if (TAG_TPIDS.has(etherType)) {
    const tags: VlanTag[] = [];
    while (TAG_TPIDS.has(etherType)) {
      // Each tag consumes four bytes, so this loop ends with the buffer.
      need('vlan', offset + 2, 4, end, '802.1Q tag');
      const tci = view.getUint16(offset + 2);
      tags.push({ tpid: etherType, pcp: tci >> 13, dei: (tci & 0x1000) !== 0, vid: tci & 0x0fff });
      offset += 4;
      etherType = view.getUint16(offset);
    }
    vlans = tags;
  }
  return { destination, source, vlans, etherType };
}

export function ethernetHeaderLength(header: { readonly vlans?: readonly unknown[] }): number {
  return 14 + 4 * (header.vlans?.length ?? 0);
}

/** Writes the header at `offset` and returns the offset of the payload. */
export function writeEthernet(
  out: Uint8Array,
  view: DataView,
  offset: number,
  header: EthernetInit,
  etherType: number,
): number {
  writeMac(header.destination, out, offset);
  writeMac(header.source, out, offset + 6);
  offset += 12;
  const vlans = header.vlans ?? [];
  for (let i = 0; i < vlans.length; i++) {
    const tag = vlans[i];
    if (!tag) continue;
    const tpid = tag.tpid ?? (i === vlans.length - 1 ? EtherType.VLAN : EtherType.QinQ);
    if (!TAG_TPIDS.has(tpid)) {
      throw new PacketEncodeError(
        'PACKET_FIELD_RANGE',
        'vlan',
        `tpid 0x${tpid.toString(16)} is not a VLAN tag type`,
      );
    }
    const pcp = checkUint('vlan', 'pcp', tag.pcp ?? 0, 3);
    const vid = checkUint('vlan', 'vid', tag.vid, 12);
    view.setUint16(offset, tpid);
    view.setUint16(offset + 2, (pcp << 13) | (tag.dei ? 0x1000 : 0) | vid);
    offset += 4;
  }
  if (TAG_TPIDS.has(etherType)) {
    throw new PacketEncodeError(
      'PACKET_FIELD_RANGE',
      'ethernet',
      'etherType is a VLAN tag type: give the tag in vlans',
    );
  }
  view.setUint16(offset, checkUint('ethernet', 'etherType', etherType, 16));
  return offset + 2;
}
