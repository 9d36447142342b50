// DHCPv4 numbers (RFC 2131, RFC 2132, RFC 3442).

export const DHCP_SERVER_PORT = 67;
export const DHCP_CLIENT_PORT = 68;
/** 99.130.83.99: marks the vend area of a BOOTP message as DHCP options. */
export const DHCP_MAGIC_COOKIE = 0x63825363;
/** RFC 1542: BOOTP messages are at least 300 bytes; clients and servers pad to it. */
export const BOOTP_MINIMUM_LENGTH = 300;
/** Fixed fields (236 bytes) plus the magic cookie. */
export const DHCP_FIXED_LENGTH = 240;

export const BootpOp = { Request: 1, Reply: 2 } as const;

export const DhcpMessageType = {
  Discover: 1,
  Offer: 2,
  Request: 3,
  Decline: 4,
  Ack: 5,
  Nak: 6,
  Release: 7,
  Inform: 8,
} as const;

export const DhcpOptionCode = {
  Pad: 0,
  SubnetMask: 1,
  Router: 3,
  DnsServers: 6,
  Hostname: 12,
  DomainName: 15,
  InterfaceMtu: 26,
  BroadcastAddress: 28,
  RequestedIp: 50,
  LeaseTime: 51,
  OptionOverload: 52,
  MessageType: 53,
  ServerId: 54,
  ParameterRequestList: 55,
  Message: 56,
  MaxMessageSize: 57,
  RenewalTime: 58,
  RebindingTime: 59,
  VendorClass: 60,
  ClientId: 61,
  ClasslessStaticRoutes: 121,
  End: 255,
} as const;
