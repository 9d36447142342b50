// Walks the layers of a frame: Ethernet → VLAN tags → ARP | IPv4 | IPv6 → ICMP | ICMPv6 | UDP |
// TCP → DHCPv4. Every check happens before a read, so any input either decodes or throws a
// PacketDecodeError; nothing is copied except address text, payloads are views into the input.
import { decodeArpAt, ARP_LENGTH } from '../arp.js';
import type { PseudoHeaderSource } from '../checksum.js';
import { DHCP_CLIENT_PORT, DHCP_SERVER_PORT } from '../dhcp/constants.js';
import { decodeDhcpAt } from '../dhcp/message.js';
import { PacketDecodeError } from '../errors.js';
import { decodeEthernetAt, ethernetHeaderLength, EtherType } from '../ethernet.js';
import { decodeIcmpv4At } from '../icmpv4.js';
import { decodeIcmpv6At } from '../icmpv6/messages.js';
import { IpProtocol } from '../ip-protocol.js';
import { decodeIpv4At, ipv4PseudoHeader, isIpv4Fragment, type Ipv4 } from '../ipv4.js';
import { decodeIpv6At, type Ipv6 } from '../ipv6.js';
import { EMPTY, viewOf } from '../internal/bytes.js';
import { decodeTcpAt } from '../tcp.js';
import { decodeUdpAt } from '../udp.js';
import type { ApplicationLayer, Frame, IpPacket, TransportLayer } from './types.js';

interface Upper {
  readonly transport: TransportLayer | undefined;
  readonly application: ApplicationLayer | undefined;
  readonly payloadStart: number;
  readonly payloadEnd: number;
}

function isDhcpPort(port: number): boolean {
  return port === DHCP_SERVER_PORT || port === DHCP_CLIENT_PORT;
}

/** Decodes what an IP header carries in bytes[start, end). */
function decodeUpper(
  bytes: Uint8Array,
  view: DataView,
  start: number,
  end: number,
  version: 4 | 6,
  protocol: number,
  pseudo: PseudoHeaderSource,
): Upper {
  switch (protocol) {
    case IpProtocol.UDP: {
      const udp = decodeUdpAt(bytes, view, start, end, pseudo);
      const dataEnd = start + udp.length;
      // DHCPv4 runs client 68 ↔ server 67, and relay 67 ↔ 67: both ports must be one of them.
      if (version === 4 && isDhcpPort(udp.sourcePort) && isDhcpPort(udp.destinationPort)) {
        const application = decodeDhcpAt(bytes, view, start + 8, dataEnd);
        return { transport: udp, application, payloadStart: dataEnd, payloadEnd: dataEnd };
      }
      return { transport: udp, application: undefined, payloadStart: start + 8, payloadEnd: dataEnd };
    }
    case IpProtocol.TCP: {
      const tcp = decodeTcpAt(bytes, view, start, end, pseudo);
      return {
        transport: tcp,
        application: undefined,
        payloadStart: start + tcp.headerLength,
        payloadEnd: end,
      };
    }
    case IpProtocol.ICMP:
      if (version !== 4) break;
      return {
        transport: decodeIcmpv4At(bytes, view, start, end),
        application: undefined,
        payloadStart: end,
        payloadEnd: end,
      };
    case IpProtocol.ICMPv6:
      if (version !== 6) break;
      return {
        transport: decodeIcmpv6At(bytes, view, start, end, pseudo),
        application: undefined,
        payloadStart: end,
        payloadEnd: end,
      };
  }
  return { transport: undefined, application: undefined, payloadStart: start, payloadEnd: end };
}

interface DecodedIp {
  readonly network: Ipv4 | Ipv6;
  readonly upper: Upper;
  /** Where the transport header starts (meaningful when upper.transport is set). */
  readonly upperStart: number;
  readonly end: number;
}

function decodeIpAt(
  bytes: Uint8Array,
  view: DataView,
  start: number,
  end: number,
  version: 4 | 6,
): DecodedIp {
  if (version === 4) {
    const ip = decodeIpv4At(bytes, view, start, end);
    const upperStart = start + ip.headerLength;
    const ipEnd = start + ip.totalLength;
    // A fragment's transport header (if any) covers data it does not hold: leave it undecoded.
    const upper = isIpv4Fragment(ip)
      ? { transport: undefined, application: undefined, payloadStart: upperStart, payloadEnd: ipEnd }
      : decodeUpper(bytes, view, upperStart, ipEnd, 4, ip.protocol, ipv4PseudoHeader(bytes, start));
    return { network: ip, upper, upperStart, end: ipEnd };
  }
  const layout = decodeIpv6At(bytes, view, start, end);
  const ipEnd = start + 40 + layout.header.payloadLength;
  const upper = layout.fragmented
    ? { transport: undefined, application: undefined, payloadStart: layout.upperOffset, payloadEnd: ipEnd }
    : decodeUpper(bytes, view, layout.upperOffset, ipEnd, 6, layout.header.protocol, layout.pseudoHeader);
  return { network: layout.header, upper, upperStart: layout.upperOffset, end: ipEnd };
}

/**
 * Decodes an Ethernet frame (without FCS) down to its innermost known layer.
 * @throws PacketDecodeError for any malformed, truncated or unsupported input.
 */
export function decodeFrame(bytes: Uint8Array): Frame {
  const view = viewOf(bytes);
  const end = bytes.length;
  const ethernet = decodeEthernetAt(bytes, view, 0, end);
  const start = ethernetHeaderLength(ethernet);
  switch (ethernet.etherType) {
    case EtherType.ARP: {
      const network = decodeArpAt(bytes, view, start, end);
      const arpEnd = start + ARP_LENGTH;
      return {
        ethernet,
        network,
        transport: undefined,
        application: undefined,
        payload: EMPTY,
        trailer: bytes.subarray(arpEnd),
        bytes,
        layout: { network: start, transport: undefined, payload: arpEnd, trailer: arpEnd },
      };
    }
    case EtherType.IPv4:
    case EtherType.IPv6: {
      const ip = decodeIpAt(bytes, view, start, end, ethernet.etherType === EtherType.IPv4 ? 4 : 6);
      return {
        ethernet,
        network: ip.network,
        transport: ip.upper.transport,
        application: ip.upper.application,
        payload: bytes.subarray(ip.upper.payloadStart, ip.upper.payloadEnd),
        trailer: bytes.subarray(ip.end),
        bytes,
        layout: {
          network: start,
          transport: ip.upper.transport ? ip.upperStart : undefined,
          payload: ip.upper.payloadStart,
          trailer: ip.end,
        },
      };
    }
    default:
      return {
        ethernet,
        network: undefined,
        transport: undefined,
        application: undefined,
        payload: bytes.subarray(start),
        trailer: EMPTY,
        bytes,
        layout: { network: start, transport: undefined, payload: start, trailer: end },
      };
  }
}

/**
 * Decodes an IPv4 or IPv6 packet without a link layer (the version nibble decides).
 * @throws PacketDecodeError for any malformed, truncated or unsupported input.
 */
export function decodeIpPacket(bytes: Uint8Array): IpPacket {
  const view = viewOf(bytes);
  const first = bytes[0];
  if (first === undefined) throw new PacketDecodeError('PACKET_TRUNCATED', 'frame', 0, 'empty packet');
  const version = first >> 4;
  if (version !== 4 && version !== 6) {
    throw new PacketDecodeError('PACKET_BAD_FIELD', 'frame', 0, `IP version ${version} is neither 4 nor 6`);
  }
  const ip = decodeIpAt(bytes, view, 0, bytes.length, version);
  return {
    network: ip.network,
    transport: ip.upper.transport,
    application: ip.upper.application,
    payload: bytes.subarray(ip.upper.payloadStart, ip.upper.payloadEnd),
    trailer: bytes.subarray(ip.end),
  };
}
