/** IANA protocol numbers carried in IPv4 Protocol and IPv6 Next Header fields. */
export const IpProtocol = {
  HopByHop: 0,
  ICMP: 1,
  TCP: 6,
  UDP: 17,
  Routing: 43,
  Fragment: 44,
  ICMPv6: 58,
  NoNextHeader: 59,
  DestinationOptions: 60,
} as const;
