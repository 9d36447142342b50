// IPv4 header (RFC 791): options kept as bytes, header checksum computed on encode and checked on
// decode. A packet whose checksum is wrong still decodes; `checksumValid` says so.
import { formatIpv4, writeIpv4Address, type Ipv4Address } from './address/ipv4.js';
import { internetChecksum, type PseudoHeaderSource } from './checksum.js';
import { PacketDecodeError, PacketEncodeError } from './errors.js';
import { checkUint, EMPTY, need } from './internal/bytes.js';

export interface Ipv4 {
  readonly kind: 'ipv4';
  /** Differentiated services code point, 0–63. */
  readonly dscp: number;
  /** Explicit congestion notification, 0–3. */
  readonly ecn: number;
  readonly identification: number;
  readonly dontFragment: boolean;
  readonly moreFragments: boolean;
  /** Offset of this fragment's data in the original datagram, in bytes (a multiple of 8). */
  readonly fragmentOffset: number;
  readonly ttl: number;
  readonly protocol: number;
  readonly source: Ipv4Address;
  readonly destination: Ipv4Address;
  /** Option bytes as on the wire, including any end-of-list padding; empty when none. */
  readonly options: Uint8Array;
  // Computed by the encoder; reported by the decoder as found.
  /** Header length in bytes (IHL × 4). */
  readonly headerLength: number;
  readonly totalLength: number;
  readonly checksum: number;
  readonly checksumValid: boolean;
}

export interface Ipv4Init {
  readonly kind: 'ipv4';
  readonly source: Ipv4Address;
  readonly destination: Ipv4Address;
  /** Default: taken from the transport layer when encoding a frame. */
  readonly protocol?: number;
  /** Default 64. */
  readonly ttl?: number;
  readonly dscp?: number;
  readonly ecn?: number;
  readonly identification?: number;
  readonly dontFragment?: boolean;
  readonly moreFragments?: boolean;
  readonly fragmentOffset?: number;
  /** Up to 40 bytes, a multiple of 4 (pad with end-of-option-list zeros yourself). */
  readonly options?: Uint8Array;
}

export const IPV4_DEFAULT_TTL = 64;

/** True for any fragment, first or later: its transport header cannot be checked on its own. */
export function isIpv4Fragment(header: Pick<Ipv4, 'moreFragments' | 'fragmentOffset'>): boolean {
  return header.moreFragments || header.fragmentOffset !== 0;
}

/**
 * Decodes the header at `start`. The packet (header and payload) ends at `start + totalLength`;
 * bytes between that and `end` are a link-layer trailer.
 */
export function decodeIpv4At(bytes: Uint8Array, view: DataView, start: number, end: number): Ipv4 {
  need('ipv4', start, 20, end, 'IPv4 header');
  const versionIhl = view.getUint8(start);
  if (versionIhl >> 4 !== 4) {
    throw new PacketDecodeError('PACKET_BAD_FIELD', 'ipv4', start, `version ${versionIhl >> 4} is not 4`);
  }
  const headerLength = (versionIhl & 0x0f) * 4;
  if (headerLength < 20) {
    throw new PacketDecodeError(
      'PACKET_BAD_FIELD',
      'ipv4',
      start,
      `header length ${headerLength} is below 20`,
    );
  }
  need('ipv4', start, headerLength, end, 'IPv4 header with options');
  const totalLength = view.getUint16(start + 2);
  if (totalLength < headerLength) {
    throw new PacketDecodeError(
      'PACKET_BAD_LENGTH',
      'ipv4',
      start + 2,
      `total length ${totalLength} is below the header length ${headerLength}`,
    );
  }
  need('ipv4', start, totalLength, end, 'IPv4 packet (total length)');
  const tos = view.getUint8(start + 1);
  const flagsFragment = view.getUint16(start + 6);
  return {
    kind: 'ipv4',
    dscp: tos >> 2,
    ecn: tos & 3,
    identification: view.getUint16(start + 4),
    dontFragment: (flagsFragment & 0x4000) !== 0,
    moreFragments: (flagsFragment & 0x2000) !== 0,
    fragmentOffset: (flagsFragment & 0x1fff) * 8,
    ttl: view.getUint8(start + 8),
    protocol: view.getUint8(start + 9),
    source: formatIpv4(bytes, start + 12),
    destination: formatIpv4(bytes, start + 16),
    options: headerLength > 20 ? bytes.subarray(start + 20, start + headerLength) : EMPTY,
    headerLength,
    totalLength,
    checksum: view.getUint16(start + 10),
    checksumValid: internetChecksum(bytes, start, start + headerLength) === 0,
  };
}

export function ipv4HeaderLength(header: Pick<Ipv4Init, 'options'>): number {
  const options = header.options?.length ?? 0;
  if (options > 40 || options % 4 !== 0) {
    throw new PacketEncodeError(
      'PACKET_FIELD_RANGE',
      'ipv4',
      `options must be 0–40 bytes in multiples of 4, got ${options}`,
    );
  }
  return 20 + options;
}

/** Writes the header (checksum included) for a payload of `payloadLength` bytes; returns the payload offset. */
export function writeIpv4Header(
  out: Uint8Array,
  view: DataView,
  offset: number,
  header: Ipv4Init,
  protocol: number,
  payloadLength: number,
): number {
  const headerLength = ipv4HeaderLength(header);
  const totalLength = headerLength + payloadLength;
  if (totalLength > 0xffff) {
    throw new PacketEncodeError('PACKET_TOO_LARGE', 'ipv4', `total length ${totalLength} exceeds 65535`);
  }
  const fragmentOffset = header.fragmentOffset ?? 0;
  if (fragmentOffset % 8 !== 0) {
    throw new PacketEncodeError(
      'PACKET_FIELD_RANGE',
      'ipv4',
      `fragmentOffset ${fragmentOffset} is not a multiple of 8`,
    );
  }
  const dscp = checkUint('ipv4', 'dscp', header.dscp ?? 0, 6);
  const ecn = checkUint('ipv4', 'ecn', header.ecn ?? 0, 2);
  view.setUint8(offset, 0x40 | (headerLength / 4));
  view.setUint8(offset + 1, (dscp << 2) | ecn);
  view.setUint16(offset + 2, totalLength);
  view.setUint16(offset + 4, checkUint('ipv4', 'identification', header.identification ?? 0, 16));
  view.setUint16(
    offset + 6,
    (header.dontFragment ? 0x4000 : 0) |
      (header.moreFragments ? 0x2000 : 0) |
      checkUint('ipv4', 'fragmentOffset / 8', fragmentOffset / 8, 13),
  );
  view.setUint8(offset + 8, checkUint('ipv4', 'ttl', header.ttl ?? IPV4_DEFAULT_TTL, 8));
  view.setUint8(offset + 9, checkUint('ipv4', 'protocol', protocol, 8));
  view.setUint16(offset + 10, 0);
  writeIpv4Address(header.source, out, offset + 12);
  writeIpv4Address(header.destination, out, offset + 16);
  if (header.options) out.set(header.options, offset + 20);
  view.setUint16(offset + 10, internetChecksum(out, offset, offset + headerLength));
  return offset + headerLength;
}

/** Pseudo-header addresses of the IPv4 header at `offset` in `bytes`. */
export function ipv4PseudoHeader(bytes: Uint8Array, offset: number): PseudoHeaderSource {
  return { bytes, source: offset + 12, destination: offset + 16, addressLength: 4 };
}
