// UDP header (RFC 768). The checksum covers a pseudo-header from the IP layer; over IPv4 a zero
// checksum means "none" (valid), over IPv6 it is forbidden (RFC 8200 section 8.1: invalid).
import type { PseudoHeaderSource } from './checksum.js';
import { storeTransportChecksum, transportChecksumValid } from './checksum.js';
import { PacketDecodeError, PacketEncodeError } from './errors.js';
import { IpProtocol } from './ip-protocol.js';
import { checkUint, need } from './internal/bytes.js';

export interface Udp {
  readonly kind: 'udp';
  readonly sourcePort: number;
  readonly destinationPort: number;
  // Computed by the encoder.
  /** Header plus payload, in bytes. */
  readonly length: number;
  readonly checksum: number;
  readonly checksumValid: boolean;
  /** Sent without a checksum (zero over IPv4, RFC 768); over IPv6 a zero is invalid, not omitted. */
  readonly checksumOmitted: boolean;
}

export interface UdpInit {
  readonly kind: 'udp';
  readonly sourcePort: number;
  readonly destinationPort: number;
  /** Send a zero checksum ("none", IPv4 only; tunnels such as VXLAN do). Default false. */
  readonly checksumOmitted?: boolean;
}

export const UDP_HEADER_LENGTH = 8;

/** Decodes the header at `start`; the payload is bytes[start + 8, start + length). */
export function decodeUdpAt(
  bytes: Uint8Array,
  view: DataView,
  start: number,
  end: number,
  pseudo: PseudoHeaderSource,
): Udp {
  need('udp', start, UDP_HEADER_LENGTH, end, 'UDP header');
  const length = view.getUint16(start + 4);
  if (length < UDP_HEADER_LENGTH) {
    throw new PacketDecodeError(
      'PACKET_BAD_LENGTH',
      'udp',
      start + 4,
      `length ${length} is below the header length 8`,
    );
  }
  need('udp', start, length, end, 'UDP datagram (length field)');
  const checksum = view.getUint16(start + 6);
  const checksumOmitted = checksum === 0 && pseudo.addressLength === 4;
  const checksumValid =
    checksumOmitted ||
    (checksum !== 0 && transportChecksumValid(bytes, start, start + length, pseudo, IpProtocol.UDP));
  return {
    kind: 'udp',
    sourcePort: view.getUint16(start),
    destinationPort: view.getUint16(start + 2),
    length,
    checksum,
    checksumValid,
    checksumOmitted,
  };
}

/** Writes the header and, the payload being in place already, the checksum. */
export function writeUdp(
  out: Uint8Array,
  view: DataView,
  offset: number,
  header: UdpInit,
  payloadLength: number,
  pseudo: PseudoHeaderSource,
): void {
  const length = UDP_HEADER_LENGTH + payloadLength;
  if (length > 0xffff)
    throw new PacketEncodeError('PACKET_TOO_LARGE', 'udp', `length ${length} exceeds 65535`);
  view.setUint16(offset, checkUint('udp', 'sourcePort', header.sourcePort, 16));
  view.setUint16(offset + 2, checkUint('udp', 'destinationPort', header.destinationPort, 16));
  view.setUint16(offset + 4, length);
  if (header.checksumOmitted) {
    if (pseudo.addressLength !== 4) {
      throw new PacketEncodeError(
        'PACKET_FIELD_RANGE',
        'udp',
        'a UDP checksum may be omitted over IPv4 only',
      );
    }
    return;
  }
  const checksum = storeTransportChecksum(
    out,
    view,
    offset,
    offset + length,
    offset + 6,
    pseudo,
    IpProtocol.UDP,
  );
  // A computed zero is sent as all ones: zero on the wire means "no checksum".
  if (checksum === 0) view.setUint16(offset + 6, 0xffff);
}
