// IPv6 fixed header (RFC 8200) and the extension headers a router walks past to find the upper
// layer: hop-by-hop options, routing, fragment and destination options. Their contents are kept
// as bytes; `protocol` names the upper layer found after them.
import { formatIpv6, writeIpv6Address, type Ipv6Address } from './address/ipv6.js';
import type { PseudoHeaderSource } from './checksum.js';
import { PacketDecodeError, PacketEncodeError } from './errors.js';
import { IpProtocol } from './ip-protocol.js';
import { checkUint, need } from './internal/bytes.js';

export type Ipv6ExtensionHeader =
  | {
      readonly type: 'hop-by-hop' | 'destination-options';
      /** The option area: the header minus its first two bytes. Length + 2 is a multiple of 8. */
      readonly options: Uint8Array;
    }
  | {
      readonly type: 'routing';
      readonly routingType: number;
      readonly segmentsLeft: number;
      /** Type-specific data: the header minus its first four bytes. Length + 4 is a multiple of 8. */
      readonly data: Uint8Array;
    }
  | {
      readonly type: 'fragment';
      /** In bytes, a multiple of 8. */
      readonly fragmentOffset: number;
      readonly moreFragments: boolean;
      readonly identification: number;
    };

export interface Ipv6 {
  readonly kind: 'ipv6';
  readonly dscp: number;
  readonly ecn: number;
  readonly flowLabel: number;
  readonly hopLimit: number;
  readonly source: Ipv6Address;
  readonly destination: Ipv6Address;
  /** In wire order. */
  readonly extensionHeaders: readonly Ipv6ExtensionHeader[];
  /** The upper-layer protocol: the Next Header value of the last extension header (or the fixed header). */
  readonly protocol: number;
  // Computed by the encoder.
  /** Bytes after the fixed header: extension headers plus upper layer. */
  readonly payloadLength: number;
}

export interface Ipv6Init {
  readonly kind: 'ipv6';
  readonly source: Ipv6Address;
  readonly destination: Ipv6Address;
  /** Default: taken from the transport layer when encoding a frame. */
  readonly protocol?: number;
  /** Default 64 (neighbor discovery builders use 255). */
  readonly hopLimit?: number;
  readonly dscp?: number;
  readonly ecn?: number;
  readonly flowLabel?: number;
  readonly extensionHeaders?: readonly Ipv6ExtensionHeader[];
}

export const IPV6_DEFAULT_HOP_LIMIT = 64;

const EXTENSION_TYPES = {
  [IpProtocol.HopByHop]: 'hop-by-hop',
  [IpProtocol.Routing]: 'routing',
  [IpProtocol.Fragment]: 'fragment',
  [IpProtocol.DestinationOptions]: 'destination-options',
} as const;

const EXTENSION_NUMBERS = {
  'hop-by-hop': IpProtocol.HopByHop,
  routing: IpProtocol.Routing,
  fragment: IpProtocol.Fragment,
  'destination-options': IpProtocol.DestinationOptions,
} as const;

function isExtension(next: number): next is keyof typeof EXTENSION_TYPES {
  return next === 0 || next === 43 || next === 44 || next === 60;
}

/** What the frame decoder needs besides the header itself. */
export interface Ipv6Layout {
  readonly header: Ipv6;
  /** Where the upper layer starts; it ends at `start + 40 + payloadLength`. */
  readonly upperOffset: number;
  /** A fragment header was found: the upper layer is incomplete and is not decoded. */
  readonly fragmented: boolean;
  /** Where the pseudo-header's destination is (the final one when a routing header is pending). */
  readonly pseudoHeader: PseudoHeaderSource;
}

export function decodeIpv6At(bytes: Uint8Array, view: DataView, start: number, end: number): Ipv6Layout {
  need('ipv6', start, 40, end, 'IPv6 header');
  const word = view.getUint32(start);
  if (word >>> 28 !== 6) {
    throw new PacketDecodeError('PACKET_BAD_FIELD', 'ipv6', start, `version ${word >>> 28} is not 6`);
  }
  const payloadLength = view.getUint16(start + 4);
  let next = view.getUint8(start + 6);
  if (payloadLength === 0 && next === IpProtocol.HopByHop) {
    throw new PacketDecodeError(
      'PACKET_UNSUPPORTED',
      'ipv6',
      start + 4,
      'jumbogram (payload length 0 with hop-by-hop)',
    );
  }
  need('ipv6', start, 40 + payloadLength, end, 'IPv6 packet (payload length)');
  const packetEnd = start + 40 + payloadLength;
  let offset = start + 40;
  let destination = start + 24;
  let fragmented = false;
  const extensionHeaders: Ipv6ExtensionHeader[] = [];
  // Every extension header is at least 8 bytes long, so the walk ends within the payload.
  while (isExtension(next) && !fragmented) {
    const type = EXTENSION_TYPES[next];
    if (offset + 8 > packetEnd) {
      throw new PacketDecodeError(
        'PACKET_BAD_LENGTH',
        'ipv6',
        offset,
        `${type} header runs past the payload length`,
      );
    }
    const headerNext = view.getUint8(offset);
    const length = type === 'fragment' ? 8 : (view.getUint8(offset + 1) + 1) * 8;
    if (offset + length > packetEnd) {
      throw new PacketDecodeError(
        'PACKET_BAD_LENGTH',
        'ipv6',
        offset + 1,
        `${type} header runs past the payload length`,
      );
    }
    if (type === 'fragment') {
      const field = view.getUint16(offset + 2);
      extensionHeaders.push({
        type,
        fragmentOffset: (field >> 3) * 8,
        moreFragments: (field & 1) === 1,
        identification: view.getUint32(offset + 4),
      });
      // An atomic fragment (offset 0, no more fragments; RFC 6946) holds the whole packet.
      fragmented = field >> 3 !== 0 || (field & 1) === 1;
    } else if (type === 'routing') {
      const routingType = view.getUint8(offset + 2);
      const segmentsLeft = view.getUint8(offset + 3);
      extensionHeaders.push({
        type,
        routingType,
        segmentsLeft,
        data: bytes.subarray(offset + 4, offset + length),
      });
      const final = finalDestinationOffset(routingType, segmentsLeft, offset, length);
      if (final !== undefined) destination = final;
    } else {
      extensionHeaders.push({ type, options: bytes.subarray(offset + 2, offset + length) });
    }
    next = headerNext;
    offset += length;
  }
  const tc = (word >>> 20) & 0xff;
  const header: Ipv6 = {
    kind: 'ipv6',
    dscp: tc >> 2,
    ecn: tc & 3,
    flowLabel: word & 0xfffff,
    hopLimit: view.getUint8(start + 7),
    source: formatIpv6(bytes, start + 8),
    destination: formatIpv6(bytes, start + 24),
    extensionHeaders,
    protocol: next,
    payloadLength,
  };
  return {
    header,
    upperOffset: offset,
    fragmented,
    pseudoHeader: { bytes, source: start + 8, destination, addressLength: 16 },
  };
}

/**
 * RFC 8200 section 8.1: while segments are left, upper-layer checksums use the final destination,
 * which type 0 routing headers list last and type 2 (RFC 6275) and segment routing (type 4,
 * RFC 8754, Segment List[0]) headers list first.
 */
function finalDestinationOffset(
  routingType: number,
  segmentsLeft: number,
  offset: number,
  length: number,
): number | undefined {
  if (segmentsLeft === 0 || length < 24) return undefined;
  if (routingType === 0) return offset + length - 16;
  if (routingType === 2 || routingType === 4) return offset + 8;
  return undefined;
}

function extensionLength(header: Ipv6ExtensionHeader): number {
  let length: number;
  let fixed: number;
  switch (header.type) {
    case 'fragment':
      return 8;
    case 'routing':
      length = header.data.length + 4;
      fixed = 4;
      break;
    case 'hop-by-hop':
    case 'destination-options':
      length = header.options.length + 2;
      fixed = 2;
      break;
  }
  if (length % 8 !== 0 || length > 2048) {
    throw new PacketEncodeError(
      'PACKET_FIELD_RANGE',
      'ipv6',
      `${header.type} data must be 8n - ${fixed} bytes (at most ${2048 - fixed}), got ${length - fixed}`,
    );
  }
  return length;
}

/** Fixed header plus extension headers. */
export function ipv6HeaderLength(header: Pick<Ipv6Init, 'extensionHeaders'>): number {
  let length = 40;
  for (const ext of header.extensionHeaders ?? []) length += extensionLength(ext);
  return length;
}

/**
 * Writes the fixed and extension headers for an upper layer of `upperLength` bytes; returns the
 * upper layer's offset and the pseudo-header to checksum it with.
 */
export function writeIpv6Header(
  out: Uint8Array,
  view: DataView,
  offset: number,
  header: Ipv6Init,
  protocol: number,
  upperLength: number,
): { readonly upperOffset: number; readonly pseudoHeader: PseudoHeaderSource } {
  const start = offset;
  const payloadLength = ipv6HeaderLength(header) - 40 + upperLength;
  if (payloadLength > 0xffff) {
    throw new PacketEncodeError(
      'PACKET_TOO_LARGE',
      'ipv6',
      `payload length ${payloadLength} exceeds 65535 (jumbograms are not supported)`,
    );
  }
  const extensions = header.extensionHeaders ?? [];
  const dscp = checkUint('ipv6', 'dscp', header.dscp ?? 0, 6);
  const ecn = checkUint('ipv6', 'ecn', header.ecn ?? 0, 2);
  const flowLabel = checkUint('ipv6', 'flowLabel', header.flowLabel ?? 0, 20);
  view.setUint32(offset, ((6 << 28) | (((dscp << 2) | ecn) << 20) | flowLabel) >>> 0);
  view.setUint16(offset + 4, payloadLength);
  const first = extensions[0];
  view.setUint8(
    offset + 6,
    first ? EXTENSION_NUMBERS[first.type] : checkUint('ipv6', 'protocol', protocol, 8),
  );
  view.setUint8(offset + 7, checkUint('ipv6', 'hopLimit', header.hopLimit ?? IPV6_DEFAULT_HOP_LIMIT, 8));
  writeIpv6Address(header.source, out, offset + 8);
  writeIpv6Address(header.destination, out, offset + 24);
  let destination = offset + 24;
  offset += 40;
  for (let i = 0; i < extensions.length; i++) {
    const ext = extensions[i];
    if (!ext) continue;
    const following = extensions[i + 1];
    const length = extensionLength(ext);
    view.setUint8(
      offset,
      following ? EXTENSION_NUMBERS[following.type] : checkUint('ipv6', 'protocol', protocol, 8),
    );
    switch (ext.type) {
      case 'fragment': {
        if (ext.fragmentOffset % 8 !== 0) {
          throw new PacketEncodeError(
            'PACKET_FIELD_RANGE',
            'ipv6',
            `fragmentOffset ${ext.fragmentOffset} is not a multiple of 8`,
          );
        }
        view.setUint8(offset + 1, 0);
        view.setUint16(
          offset + 2,
          (checkUint('ipv6', 'fragmentOffset / 8', ext.fragmentOffset / 8, 13) << 3) |
            (ext.moreFragments ? 1 : 0),
        );
        view.setUint32(offset + 4, checkUint('ipv6', 'identification', ext.identification, 32));
        break;
      }
      case 'routing': {
        view.setUint8(offset + 1, length / 8 - 1);
        view.setUint8(offset + 2, checkUint('ipv6', 'routingType', ext.routingType, 8));
        view.setUint8(offset + 3, checkUint('ipv6', 'segmentsLeft', ext.segmentsLeft, 8));
        out.set(ext.data, offset + 4);
        const final = finalDestinationOffset(ext.routingType, ext.segmentsLeft, offset, length);
        if (final !== undefined) destination = final;
        break;
      }
      case 'hop-by-hop':
      case 'destination-options':
        view.setUint8(offset + 1, length / 8 - 1);
        out.set(ext.options, offset + 2);
        break;
    }
    offset += length;
  }
  return {
    upperOffset: offset,
    pseudoHeader: { bytes: out, source: start + 8, destination, addressLength: 16 },
  };
}
