// The one catalogue of error codes this library throws (in the manner of fastify's lib/errors.js).
// Codes are stable API: callers and logs match on them, the README lists them, and a test checks
// that the two agree. Messages may change; codes may not.

/** Every code, with the one-line meaning the README repeats. */
export const PACKET_ERROR_CODES = {
  // Decoding: thrown as PacketDecodeError.
  PACKET_TRUNCATED: 'the bytes end before a header, or before the length a header announces',
  PACKET_BAD_LENGTH: 'a length field is smaller than its header or inconsistent with another length',
  PACKET_BAD_FIELD: 'a field holds a value its protocol forbids (version, header length, address size…)',
  PACKET_BAD_OPTION:
    'an option (ND, DHCP, TCP) is malformed: zero or overrunning length, wrong size for its type',
  PACKET_BAD_MAGIC: 'a BOOTP message on the DHCP ports lacks the DHCP magic cookie',
  PACKET_UNSUPPORTED: 'well-formed but outside this codec (ARP for non-Ethernet/IPv4, IPv6 jumbograms)',
  // Encoding and building: thrown as PacketEncodeError.
  PACKET_FIELD_RANGE: 'a field value does not fit its wire field, or layers contradict each other',
  PACKET_TOO_LARGE: 'the encoded packet would not fit its length field',
  PACKET_NOT_APPLICABLE: 'a reply builder was given a packet it does not answer',
  // Address text: thrown as PacketAddressError.
  PACKET_INVALID_ADDRESS: 'text is not a MAC, IPv4 or IPv6 address in a supported notation',
} as const;

export type PacketErrorCode = keyof typeof PACKET_ERROR_CODES;
export type PacketDecodeErrorCode =
  | 'PACKET_TRUNCATED'
  | 'PACKET_BAD_LENGTH'
  | 'PACKET_BAD_FIELD'
  | 'PACKET_BAD_OPTION'
  | 'PACKET_BAD_MAGIC'
  | 'PACKET_UNSUPPORTED';
export type PacketEncodeErrorCode = 'PACKET_FIELD_RANGE' | 'PACKET_TOO_LARGE' | 'PACKET_NOT_APPLICABLE';

/** The protocol layer an error is about; 'frame' when no single layer is (an IP packet of unknown version, layers that contradict each other). */
export type PacketLayer =
  'ethernet' | 'vlan' | 'arp' | 'ipv4' | 'ipv6' | 'icmpv4' | 'icmpv6' | 'udp' | 'tcp' | 'dhcpv4' | 'frame';

/** Base class of everything this library throws on purpose. */
export abstract class PacketError extends Error {
  abstract readonly code: PacketErrorCode;
}

/**
 * Malformed, truncated or hostile input. `offset` counts bytes from the start of the buffer given
 * to the decode function that was called (for decodeFrame: from the first byte of the frame).
 */
export class PacketDecodeError extends PacketError {
  constructor(
    readonly code: PacketDecodeErrorCode,
    readonly layer: PacketLayer,
    readonly offset: number,
    detail: string,
  ) {
    super(`${layer} at byte ${offset}: ${detail}`);
    this.name = 'PacketDecodeError';
  }
}

/** A value that cannot be encoded, or a reply requested for a packet that does not call for it. */
export class PacketEncodeError extends PacketError {
  constructor(
    readonly code: PacketEncodeErrorCode,
    readonly layer: PacketLayer,
    detail: string,
  ) {
    super(`${layer}: ${detail}`);
    this.name = 'PacketEncodeError';
  }
}

/** Address text that does not parse. */
export class PacketAddressError extends PacketError {
  readonly code = 'PACKET_INVALID_ADDRESS' as const;
  constructor(
    readonly kind: 'mac' | 'ipv4' | 'ipv6',
    readonly text: string,
  ) {
    super(
      `not ${kind === 'mac' ? 'a MAC' : `an ${kind === 'ipv4' ? 'IPv4' : 'IPv6'}`} address: ${JSON.stringify(text)}`,
    );
    this.name = 'PacketAddressError';
  }
}
