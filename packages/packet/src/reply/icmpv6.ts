// ICMPv6 replies: a neighbor advertisement answering a solicitation (RFC 4861 section 7.2.4) and
// an echo reply (RFC 4443 section 4.2).
import { IPV6_ALL_NODES, IPV6_UNSPECIFIED, ipv6MulticastMac, isIpv6Multicast } from '../address/ipv6.js';
import { isMulticastMac, type MacAddress } from '../address/mac.js';
import type { Frame, FrameInit } from '../frame/types.js';
import { notApplicable, replyEthernet } from './common.js';

export interface NeighborAdvertisementOptions {
  /** The link-layer address that owns the solicited target. */
  readonly mac: MacAddress;
  /** R flag: the sender is a router. Default false. */
  readonly router?: boolean;
  /** O flag: replace cached entries. Default true (false only for anycast or proxy answers). */
  readonly override?: boolean;
}

/**
 * Builds the neighbor advertisement answering a neighbor solicitation, from the target address,
 * with the target link-layer address option. A solicitation from the unspecified address (DAD)
 * is answered to all-nodes with S clear; any other to its source with S set.
 * Returns undefined for a solicitation RFC 4861 section 7.1.1 says to discard (hop limit not
 * 255, code not 0, or a source link-layer option with an unspecified source).
 * @throws PacketEncodeError PACKET_NOT_APPLICABLE when `solicitation` is not a neighbor solicitation.
 */
export function buildNeighborAdvertisement(
  solicitation: Frame,
  options: NeighborAdvertisementOptions,
): FrameInit | undefined {
  const ip = solicitation.network;
  const ns = solicitation.transport;
  if (ip?.kind !== 'ipv6' || ns?.kind !== 'icmpv6' || ns.type !== 'neighbor-solicitation') {
    notApplicable('icmpv6', 'not a neighbor solicitation');
  }
  const sourceLinkLayer = ns.options.find((o) => o.type === 'source-link-layer-address');
  const dad = ip.source === IPV6_UNSPECIFIED;
  if (ip.hopLimit !== 255 || ns.code !== 0 || (dad && sourceLinkLayer)) return undefined;
  const destination = dad ? IPV6_ALL_NODES : ip.source;
  const destinationMac = dad
    ? ipv6MulticastMac(IPV6_ALL_NODES)
    : sourceLinkLayer?.type === 'source-link-layer-address'
      ? sourceLinkLayer.address
      : solicitation.ethernet.source;
  return {
    ethernet: replyEthernet(solicitation, options.mac, destinationMac),
    network: { kind: 'ipv6', source: ns.target, destination, hopLimit: 255 },
    transport: {
      kind: 'icmpv6',
      type: 'neighbor-advertisement',
      router: options.router ?? false,
      solicited: !dad,
      override: options.override ?? true,
      target: ns.target,
      options: [{ type: 'target-link-layer-address', address: options.mac }],
    },
  };
}

export interface Icmpv6EchoReplyOptions {
  /** Default: the request's Ethernet destination. */
  readonly mac?: MacAddress;
  /** Default 64. */
  readonly hopLimit?: number;
}

/**
 * Builds the echo reply to an ICMPv6 echo request sent to one of the caller's unicast addresses.
 * Returns undefined for a request to a multicast address (the reply would need a source address
 * chosen by the caller; RFC 4443 section 4.2).
 * @throws PacketEncodeError PACKET_NOT_APPLICABLE when `request` is not an ICMPv6 echo request.
 */
export function buildIcmpv6EchoReply(
  request: Frame,
  options: Icmpv6EchoReplyOptions = {},
): FrameInit | undefined {
  const ip = request.network;
  const echo = request.transport;
  if (ip?.kind !== 'ipv6' || echo?.kind !== 'icmpv6' || echo.type !== 'echo-request') {
    notApplicable('icmpv6', 'not an ICMPv6 echo request');
  }
  if (isIpv6Multicast(ip.destination) || isMulticastMac(request.ethernet.destination)) return undefined;
  return {
    ethernet: replyEthernet(request, options.mac ?? request.ethernet.destination, request.ethernet.source),
    network: {
      kind: 'ipv6',
      source: ip.destination,
      destination: ip.source,
      hopLimit: options.hopLimit ?? 64,
      dscp: ip.dscp,
    },
    transport: {
      kind: 'icmpv6',
      type: 'echo-reply',
      identifier: echo.identifier,
      sequence: echo.sequence,
      data: echo.data,
    },
  };
}
