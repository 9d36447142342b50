// @weir/packet: encode and decode Ethernet, 802.1Q/802.1ad, ARP, IPv4, IPv6, ICMP, ICMPv6/ND,
// UDP, TCP and DHCPv4, plus pure builders for the replies a controller sends. See README.md.

export * from './errors.js';
export * from './address/index.js';
export { internetChecksum } from './checksum.js';
export { IpProtocol } from './ip-protocol.js';

export { EtherType } from './ethernet.js';
export type { Ethernet, EthernetInit, VlanTag, VlanTagInit } from './ethernet.js';
export { ArpOperation, decodeArp, encodeArp } from './arp.js';
export type { Arp, ArpInit } from './arp.js';
export { isIpv4Fragment } from './ipv4.js';
export type { Ipv4, Ipv4Init } from './ipv4.js';
export type { Ipv6, Ipv6Init, Ipv6ExtensionHeader } from './ipv6.js';
export { Icmpv4Type, Icmpv4UnreachableCode, Icmpv4TimeExceededCode } from './icmpv4.js';
export type {
  Icmpv4,
  Icmpv4Init,
  Icmpv4Message,
  Icmpv4Echo,
  Icmpv4DestinationUnreachable,
  Icmpv4TimeExceeded,
  Icmpv4Other,
} from './icmpv4.js';
export { Icmpv6Type, Icmpv6UnreachableCode, Icmpv6TimeExceededCode, NdOptionType } from './icmpv6/index.js';
export type {
  Icmpv6,
  Icmpv6Init,
  Icmpv6Message,
  Icmpv6Echo,
  Icmpv6Error,
  Icmpv6PacketTooBig,
  Icmpv6ParameterProblem,
  Icmpv6RouterSolicitation,
  Icmpv6RouterAdvertisement,
  Icmpv6NeighborSolicitation,
  Icmpv6NeighborAdvertisement,
  Icmpv6Other,
  NdOption,
} from './icmpv6/index.js';
export type { Udp, UdpInit } from './udp.js';
export { tcpOptions } from './tcp.js';
export type { Tcp, TcpInit, TcpFlags, TcpOption } from './tcp.js';
export {
  BootpOp,
  DhcpMessageType,
  DhcpOptionCode,
  DHCP_CLIENT_PORT,
  DHCP_SERVER_PORT,
  BOOTP_MINIMUM_LENGTH,
  decodeDhcp,
  encodeDhcp,
  dhcpMessageType,
  getDhcpOption,
  dhcpOptionCode,
} from './dhcp/index.js';
export type {
  DhcpMessage,
  DhcpMessageInit,
  EncodeDhcpOptions,
  DhcpOption,
  DhcpOptionOf,
  DhcpTypedOption,
  DhcpRawOption,
  DhcpOptionKind,
  DhcpOptionValues,
  ClasslessRoute,
} from './dhcp/index.js';
export * from './frame/index.js';
export * from './reply/index.js';
