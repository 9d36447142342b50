// ICMPv4 messages a router originates: errors about a packet it could not forward (RFC 792,
// RFC 1191, RFC 1812) and echo replies for its own addresses.
import { isIpv4Unicast, type Ipv4Address } from '../address/ipv4.js';
import { isMulticastMac, type MacAddress } from '../address/mac.js';
import type { Frame, FrameInit } from '../frame/types.js';
import { Icmpv4TimeExceededCode, Icmpv4Type, Icmpv4UnreachableCode } from '../icmpv4.js';
import { notApplicable, replyEthernet } from './common.js';

/** RFC 1812 section 4.3.2.3: an ICMP error quotes as much as fits in a 576-byte datagram. */
export const ICMPV4_ERROR_MAX_LENGTH = 576;

export type Icmpv4ErrorKind =
  | { readonly type: 'time-exceeded'; /** Default TtlExceeded (0). */ readonly code?: number }
  | { readonly type: 'fragmentation-needed'; /** The next hop's MTU (RFC 1191). */ readonly mtu: number }
  | { readonly type: 'destination-unreachable'; /** An Icmpv4UnreachableCode. */ readonly code: number };

export interface Icmpv4Origin {
  /** The router's address on the interface the offending packet came in on. */
  readonly ip: Ipv4Address;
  /** The router's MAC on that interface. */
  readonly mac: MacAddress;
  /** Default 64. */
  readonly ttl?: number;
  /** Default 48 (CS6, network control, as Linux sends its ICMP errors). */
  readonly dscp?: number;
  /** IP identification; default 0. */
  readonly identification?: number;
}

const ERROR_TYPES: ReadonlySet<number> = new Set([
  Icmpv4Type.DestinationUnreachable,
  4, // source quench
  Icmpv4Type.Redirect,
  Icmpv4Type.TimeExceeded,
  Icmpv4Type.ParameterProblem,
]);

function isIcmpError(frame: Frame): boolean {
  const transport = frame.transport;
  if (transport?.kind === 'icmpv4') {
    return transport.type === 'other'
      ? ERROR_TYPES.has(transport.icmpType)
      : transport.type !== 'echo-request' && transport.type !== 'echo-reply';
  }
  // A first fragment is not decoded past IP; its ICMP type is still the first payload byte.
  const ip = frame.network;
  return (
    ip?.kind === 'ipv4' &&
    ip.protocol === 1 &&
    transport === undefined &&
    ERROR_TYPES.has(frame.bytes[frame.layout.payload] ?? -1)
  );
}

/**
 * Builds an ICMP error about `original`, sent back to its source. Returns undefined when
 * RFC 1122 section 3.2.2 and RFC 1812 section 4.3.2.7 forbid an error: the packet is itself an
 * ICMP error, a non-initial fragment, sent to a broadcast or multicast address (IP or link
 * layer), or its source is not a single host (0.0.0.0, loopback, broadcast, multicast, class E).
 * @throws PacketEncodeError PACKET_NOT_APPLICABLE when `original` is not an IPv4 packet.
 */
export function buildIcmpv4Error(
  original: Frame,
  error: Icmpv4ErrorKind,
  origin: Icmpv4Origin,
): FrameInit | undefined {
  const ip = original.network;
  if (ip?.kind !== 'ipv4') notApplicable('icmpv4', 'the original packet is not IPv4');
  if (isIcmpError(original)) return undefined;
  if (ip.fragmentOffset !== 0) return undefined;
  if (!isIpv4Unicast(ip.destination) || !isIpv4Unicast(ip.source)) return undefined;
  if (isMulticastMac(original.ethernet.destination)) return undefined;

  const quoteLimit = ICMPV4_ERROR_MAX_LENGTH - 20 - 8;
  const datagram = original.bytes.subarray(original.layout.network, original.layout.trailer);
  const quote = datagram.subarray(0, Math.min(datagram.length, quoteLimit));
  return {
    ethernet: replyEthernet(original, origin.mac, original.ethernet.source),
    network: {
      kind: 'ipv4',
      source: origin.ip,
      destination: ip.source,
      ttl: origin.ttl ?? 64,
      dscp: origin.dscp ?? 48,
      identification: origin.identification ?? 0,
    },
    transport:
      error.type === 'time-exceeded'
        ? {
            kind: 'icmpv4',
            type: 'time-exceeded',
            code: error.code ?? Icmpv4TimeExceededCode.TtlExceeded,
            original: quote,
          }
        : error.type === 'fragmentation-needed'
          ? {
              kind: 'icmpv4',
              type: 'destination-unreachable',
              code: Icmpv4UnreachableCode.FragmentationNeeded,
              nextHopMtu: error.mtu,
              original: quote,
            }
          : { kind: 'icmpv4', type: 'destination-unreachable', code: error.code, original: quote },
  };
}

export interface EchoReplyOptions {
  /** Default: the request's Ethernet destination. */
  readonly mac?: MacAddress;
  /** Default 64. */
  readonly ttl?: number;
  /** IP identification; default 0. */
  readonly identification?: number;
}

/**
 * Builds the echo reply to an ICMP echo request addressed to one of the caller's addresses:
 * same identifier, sequence and data. Returns undefined for a request sent to a broadcast or
 * multicast address (RFC 1122 section 3.2.2.6 lets hosts ignore those; a router should).
 * @throws PacketEncodeError PACKET_NOT_APPLICABLE when `request` is not an ICMP echo request.
 */
export function buildIcmpv4EchoReply(request: Frame, options: EchoReplyOptions = {}): FrameInit | undefined {
  const ip = request.network;
  const echo = request.transport;
  if (ip?.kind !== 'ipv4' || echo?.kind !== 'icmpv4' || echo.type !== 'echo-request') {
    notApplicable('icmpv4', 'not an ICMP echo request');
  }
  if (!isIpv4Unicast(ip.destination) || isMulticastMac(request.ethernet.destination)) return undefined;
  return {
    ethernet: replyEthernet(request, options.mac ?? request.ethernet.destination, request.ethernet.source),
    network: {
      kind: 'ipv4',
      source: ip.destination,
      destination: ip.source,
      ttl: options.ttl ?? 64,
      identification: options.identification ?? 0,
      dscp: ip.dscp,
    },
    transport: {
      kind: 'icmpv4',
      type: 'echo-reply',
      identifier: echo.identifier,
      sequence: echo.sequence,
      data: echo.data,
    },
  };
}
