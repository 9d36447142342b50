export { buildArpReply } from './arp.js';
export type { ArpReplyOptions } from './arp.js';
export { buildDhcpOffer, buildDhcpAck, buildDhcpNak } from './dhcp.js';
export type { DhcpServer, DhcpLease } from './dhcp.js';
export { buildIcmpv4Error, buildIcmpv4EchoReply, ICMPV4_ERROR_MAX_LENGTH } from './icmpv4.js';
export type { Icmpv4ErrorKind, Icmpv4Origin, EchoReplyOptions } from './icmpv4.js';
export { buildNeighborAdvertisement, buildIcmpv6EchoReply } from './icmpv6.js';
export type { NeighborAdvertisementOptions, Icmpv6EchoReplyOptions } from './icmpv6.js';
