// DHCPOFFER, DHCPACK and DHCPNAK answering a client (RFC 2131 section 4.3, table 3), addressed as
// section 4.1 requires. The lease (what to hand out) is the caller's; these functions only know
// the protocol.
import { IPV4_ANY, IPV4_BROADCAST, type Ipv4Address } from '../address/ipv4.js';
import { BROADCAST_MAC, type MacAddress } from '../address/mac.js';
import { BootpOp, DHCP_CLIENT_PORT, DHCP_SERVER_PORT, DhcpMessageType } from '../dhcp/constants.js';
import type { DhcpMessage } from '../dhcp/message.js';
import { prepareDhcp } from '../dhcp/message.js';
import { dhcpOptionCode, getDhcpOption, type ClasslessRoute, type DhcpOption } from '../dhcp/options.js';
import { PacketEncodeError } from '../errors.js';
import type { Frame, FrameInit } from '../frame/types.js';
import { notApplicable, replyEthernet } from './common.js';

export interface DhcpServer {
  /** The server identifier (option 54) and the IP source of replies. */
  readonly ip: Ipv4Address;
  /** Ethernet source of replies. */
  readonly mac: MacAddress;
}

/** What the server hands out. Optional parts become options only when given. */
export interface DhcpLease {
  /** yiaddr: the client's address. */
  readonly address: Ipv4Address;
  readonly subnetMask: Ipv4Address;
  /** Seconds; 0xffffffff means infinite. */
  readonly leaseTime: number;
  readonly routers?: readonly Ipv4Address[];
  readonly dnsServers?: readonly Ipv4Address[];
  readonly domainName?: string;
  readonly hostname?: string;
  readonly mtu?: number;
  readonly broadcastAddress?: Ipv4Address;
  /** T1 in seconds (clients default to half the lease). */
  readonly renewalTime?: number;
  /** T2 in seconds (clients default to 7/8 of the lease). */
  readonly rebindingTime?: number;
  /**
   * RFC 3442 routes. A client that gets them ignores the router option, so when the client asked
   * for them and `routers` is set, a default route via the first router is added unless present.
   */
  readonly classlessRoutes?: readonly ClasslessRoute[];
  /** siaddr: the next (TFTP) server. */
  readonly nextServer?: Ipv4Address;
  /** file: the boot file name. */
  readonly bootFile?: string;
  /** Appended after the options above, in the order given. */
  readonly extraOptions?: readonly DhcpOption[];
}

interface Client {
  readonly frame: Frame;
  readonly message: DhcpMessage;
  readonly type: number;
}

function dhcpRequest(frame: Frame, accepted: readonly number[], builder: string): Client {
  const message = frame.application;
  const type = message ? getDhcpOption(message.options, 'message-type') : undefined;
  if (!message || message.op !== BootpOp.Request || type === undefined || !accepted.includes(type)) {
    notApplicable('dhcpv4', `${builder} answers DHCP message types ${accepted.join('/')} only`);
  }
  return { frame, message, type };
}

function leaseOptions(client: Client, lease: DhcpLease, informOnly: boolean): DhcpOption[] {
  const options: DhcpOption[] = [];
  if (!informOnly) {
    // RFC 2131 section 3.4: an ACK to DHCPINFORM must not carry lease times.
    options.push({ kind: 'lease-time', value: lease.leaseTime });
    if (lease.renewalTime !== undefined) options.push({ kind: 'renewal-time', value: lease.renewalTime });
    if (lease.rebindingTime !== undefined)
      options.push({ kind: 'rebinding-time', value: lease.rebindingTime });
  }
  options.push({ kind: 'subnet-mask', value: lease.subnetMask });
  if (lease.routers && lease.routers.length > 0) options.push({ kind: 'router', value: lease.routers });
  if (lease.dnsServers && lease.dnsServers.length > 0)
    options.push({ kind: 'dns-servers', value: lease.dnsServers });
  if (lease.domainName !== undefined) options.push({ kind: 'domain-name', value: lease.domainName });
  if (lease.hostname !== undefined) options.push({ kind: 'hostname', value: lease.hostname });
  if (lease.mtu !== undefined) options.push({ kind: 'interface-mtu', value: lease.mtu });
  if (lease.broadcastAddress !== undefined)
    options.push({ kind: 'broadcast-address', value: lease.broadcastAddress });
  if (lease.classlessRoutes && lease.classlessRoutes.length > 0) {
    const requested = getDhcpOption(client.message.options, 'parameter-request-list') ?? [];
    const router = lease.routers?.[0];
    const hasDefault = lease.classlessRoutes.some((r) => r.prefixLength === 0);
    const routes =
      requested.includes(dhcpOptionCode('classless-static-routes')) && router !== undefined && !hasDefault
        ? [...lease.classlessRoutes, { destination: IPV4_ANY, prefixLength: 0, router }]
        : lease.classlessRoutes;
    options.push({ kind: 'classless-static-routes', value: routes });
  }
  return options;
}

interface ReplySpec {
  readonly type: number;
  readonly yiaddr: Ipv4Address;
  readonly ciaddr: Ipv4Address;
  readonly siaddr: Ipv4Address;
  readonly file: string;
  readonly options: readonly DhcpOption[];
}

function buildReply(client: Client, server: DhcpServer, spec: ReplySpec): FrameInit {
  const { frame, message } = client;
  const clientId = getDhcpOption(message.options, 'client-id');
  const options: DhcpOption[] = [
    { kind: 'message-type', value: spec.type },
    { kind: 'server-id', value: server.ip },
    ...spec.options,
    // RFC 6842: the client identifier goes back unaltered.
    ...(clientId ? [{ kind: 'client-id', value: clientId } as const] : []),
  ];
  const relayed = message.giaddr !== IPV4_ANY;
  const nak = spec.type === DhcpMessageType.Nak;
  const reply = {
    kind: 'dhcpv4',
    op: BootpOp.Reply,
    htype: message.htype,
    xid: message.xid,
    // RFC 2131 section 4.1: a NAK through a relay sets BROADCAST so the relay broadcasts it.
    broadcast: message.broadcast || (nak && relayed),
    ciaddr: spec.ciaddr,
    yiaddr: spec.yiaddr,
    siaddr: spec.siaddr,
    giaddr: message.giaddr,
    chaddr: message.chaddr,
    file: spec.file,
    options,
  } as const;

  // The client's limit (option 57, at least 576) covers the IP and UDP headers too.
  const limit = Math.max(576, getDhcpOption(message.options, 'max-message-size') ?? 576);
  const length = prepareDhcp(reply).length;
  if (length + 28 > limit) {
    throw new PacketEncodeError(
      'PACKET_TOO_LARGE',
      'dhcpv4',
      `reply of ${length + 28} bytes exceeds the client's maximum ${limit}`,
    );
  }

  // RFC 2131 section 4.1, in order: relay, NAK, client with an address, BROADCAST flag, unicast.
  let ipDestination: Ipv4Address;
  let macDestination: MacAddress;
  if (relayed) {
    ipDestination = message.giaddr;
    macDestination = frame.ethernet.source;
  } else if (nak) {
    ipDestination = IPV4_BROADCAST;
    macDestination = BROADCAST_MAC;
  } else if (message.ciaddr !== IPV4_ANY) {
    ipDestination = message.ciaddr;
    macDestination = frame.ethernet.source;
  } else if (message.broadcast || message.htype !== 1 || message.chaddr.length !== 17) {
    ipDestination = IPV4_BROADCAST;
    macDestination = BROADCAST_MAC;
  } else {
    ipDestination = spec.yiaddr;
    macDestination = message.chaddr;
  }
  return {
    ethernet: replyEthernet(frame, server.mac, macDestination),
    network: { kind: 'ipv4', source: server.ip, destination: ipDestination, ttl: 64 },
    transport: {
      kind: 'udp',
      sourcePort: DHCP_SERVER_PORT,
      destinationPort: relayed ? DHCP_SERVER_PORT : DHCP_CLIENT_PORT,
    },
    application: reply,
  };
}

/**
 * DHCPOFFER for a DHCPDISCOVER.
 * @throws PacketEncodeError PACKET_NOT_APPLICABLE unless `discover` is a DHCPDISCOVER;
 *   PACKET_TOO_LARGE if the reply exceeds the client's maximum message size.
 */
export function buildDhcpOffer(discover: Frame, server: DhcpServer, lease: DhcpLease): FrameInit {
  const client = dhcpRequest(discover, [DhcpMessageType.Discover], 'buildDhcpOffer');
  return buildReply(client, server, {
    type: DhcpMessageType.Offer,
    yiaddr: lease.address,
    ciaddr: IPV4_ANY,
    siaddr: lease.nextServer ?? IPV4_ANY,
    file: lease.bootFile ?? '',
    options: [...leaseOptions(client, lease, false), ...(lease.extraOptions ?? [])],
  });
}

/**
 * DHCPACK for a DHCPREQUEST (the lease is confirmed) or a DHCPINFORM (configuration only: no
 * yiaddr, no lease times). Whether the requested address may be granted is the caller's decision;
 * answer with buildDhcpNak otherwise.
 * @throws PacketEncodeError PACKET_NOT_APPLICABLE unless `request` is a DHCPREQUEST or DHCPINFORM.
 */
export function buildDhcpAck(request: Frame, server: DhcpServer, lease: DhcpLease): FrameInit {
  const client = dhcpRequest(request, [DhcpMessageType.Request, DhcpMessageType.Inform], 'buildDhcpAck');
  const inform = client.type === DhcpMessageType.Inform;
  return buildReply(client, server, {
    type: DhcpMessageType.Ack,
    yiaddr: inform ? IPV4_ANY : lease.address,
    ciaddr: client.message.ciaddr,
    siaddr: lease.nextServer ?? IPV4_ANY,
    file: lease.bootFile ?? '',
    options: [...leaseOptions(client, lease, inform), ...(lease.extraOptions ?? [])],
  });
}

/**
 * DHCPNAK for a DHCPREQUEST the server refuses (wrong subnet, address taken…); broadcast unless
 * relayed. `message` becomes option 56.
 * @throws PacketEncodeError PACKET_NOT_APPLICABLE unless `request` is a DHCPREQUEST.
 */
export function buildDhcpNak(request: Frame, server: DhcpServer, message?: string): FrameInit {
  const client = dhcpRequest(request, [DhcpMessageType.Request], 'buildDhcpNak');
  return buildReply(client, server, {
    type: DhcpMessageType.Nak,
    yiaddr: IPV4_ANY,
    ciaddr: IPV4_ANY,
    siaddr: IPV4_ANY,
    file: '',
    options: message === undefined ? [] : [{ kind: 'message', value: message }],
  });
}
