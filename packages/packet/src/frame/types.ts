// The shapes decodeFrame returns and encodeFrame accepts. A frame is a flat record of layers, each
// a discriminated union on `kind`, so a controller narrows once per layer:
//   if (frame.network?.kind === 'arp' && frame.network.operation === ArpOperation.Request) …
//   if (frame.application?.kind === 'dhcpv4') …
import type { Arp, ArpInit } from '../arp.js';
import type { DhcpMessage, DhcpMessageInit, EncodeDhcpOptions } from '../dhcp/message.js';
import type { Ethernet, EthernetInit } from '../ethernet.js';
import type { Icmpv4, Icmpv4Init } from '../icmpv4.js';
import type { Icmpv6, Icmpv6Init } from '../icmpv6/messages.js';
import type { Ipv4, Ipv4Init } from '../ipv4.js';
import type { Ipv6, Ipv6Init } from '../ipv6.js';
import type { Tcp, TcpInit } from '../tcp.js';
import type { Udp, UdpInit } from '../udp.js';

export type NetworkLayer = Arp | Ipv4 | Ipv6;
export type NetworkInit = ArpInit | Ipv4Init | Ipv6Init;
export type TransportLayer = Udp | Tcp | Icmpv4 | Icmpv6;
export type TransportInit = UdpInit | TcpInit | Icmpv4Init | Icmpv6Init;
export type ApplicationLayer = DhcpMessage;
export type ApplicationInit = DhcpMessageInit;

/** An IP packet without its link layer (decodeIpPacket, or the inside of a Frame). */
export interface IpPacket {
  readonly network: Ipv4 | Ipv6;
  /** Undefined for fragments and for protocols this library does not decode. */
  readonly transport: TransportLayer | undefined;
  /** DHCPv4 when UDP over IPv4 runs between ports 67/68; otherwise undefined. */
  readonly application: ApplicationLayer | undefined;
  /**
   * The bytes after the innermost decoded header: TCP or UDP data, an undecoded upper layer, a
   * fragment's data. Empty when the innermost layer owns its body (ARP, ICMP, ICMPv6, DHCP).
   */
  readonly payload: Uint8Array;
  /** Bytes after the end the IP header announces (link-layer padding); usually empty. */
  readonly trailer: Uint8Array;
}

/** Where each layer starts in `Frame.bytes`, for callers that patch or quote raw bytes. */
export interface FrameLayout {
  readonly network: number;
  /** Undefined when no transport layer was decoded. */
  readonly transport: number | undefined;
  readonly payload: number;
  /** Where the trailer starts, i.e. where the network layer ends. */
  readonly trailer: number;
}

export interface Frame {
  readonly ethernet: Ethernet;
  /** Undefined when the EtherType is not ARP, IPv4 or IPv6. */
  readonly network: NetworkLayer | undefined;
  readonly transport: TransportLayer | undefined;
  readonly application: ApplicationLayer | undefined;
  /** As in IpPacket; for an unknown EtherType, everything after the Ethernet header. */
  readonly payload: Uint8Array;
  /** Ethernet padding after the network layer (short frames are padded to 60 bytes). */
  readonly trailer: Uint8Array;
  /** The decoded bytes themselves (not a copy). */
  readonly bytes: Uint8Array;
  readonly layout: FrameLayout;
}

/**
 * What encodeFrame builds. Lengths, checksums, EtherType and IP protocol numbers are derived from
 * the layers given; a decoded Frame is a valid FrameInit and re-encodes to the same bytes when
 * its checksums were valid. (Layers accept `undefined` explicitly so that a decoded Frame, whose
 * absent layers are `undefined`, type-checks as a FrameInit.)
 */
export interface FrameInit {
  readonly ethernet: EthernetInit;
  readonly network?: NetworkInit | undefined;
  readonly transport?: TransportInit | undefined;
  readonly application?: ApplicationInit | undefined;
  /** Bytes after the innermost layer (TCP/UDP data, or an IP/Ethernet payload of another protocol). */
  readonly payload?: Uint8Array | undefined;
  readonly trailer?: Uint8Array | undefined;
}

export interface IpPacketInit {
  readonly network: Ipv4Init | Ipv6Init;
  readonly transport?: TransportInit | undefined;
  readonly application?: ApplicationInit | undefined;
  readonly payload?: Uint8Array | undefined;
}

export interface EncodeFrameOptions {
  /** Pad the frame with zeros to this many bytes (60 is Ethernet's minimum without FCS). Default 0. */
  readonly minimumLength?: number;
  /** Passed to the DHCP encoder. */
  readonly dhcp?: EncodeDhcpOptions;
}
