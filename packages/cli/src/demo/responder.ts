// What the demo controller answers on behalf of the gateway: DHCP (DISCOVER → OFFER,
// REQUEST → ACK), ARP for the gateway address, and ping to the gateway. Pure: a decoded frame
// in, the reply frame (or nothing) out.
import {
  ArpOperation,
  DhcpMessageType,
  buildArpReply,
  buildDhcpAck,
  buildDhcpNak,
  buildDhcpOffer,
  buildIcmpv4EchoReply,
  getDhcpOption,
  numberToIpv4,
  ipv4ToNumber,
  type DhcpLease,
  type Frame,
  type FrameInit,
} from '@weir/packet';
import type { DemoTopology } from './topology.js';

export type Answer = {
  readonly kind: 'dhcp-offer' | 'dhcp-ack' | 'dhcp-nak' | 'arp-reply' | 'echo-reply';
  readonly reply: FrameInit;
};

function leaseFor(t: DemoTopology, mac: string): DhcpLease | undefined {
  const host = t.hosts.find((h) => h.mac === mac);
  if (!host) return undefined;
  const mask = numberToIpv4((0xffffffff << (32 - t.prefixLength)) >>> 0);
  return {
    address: host.ip,
    subnetMask: mask,
    leaseTime: t.leaseSeconds,
    routers: [t.gatewayIp],
    mtu: t.mtu,
    broadcastAddress: numberToIpv4(
      (ipv4ToNumber(t.subnet) | ~((0xffffffff << (32 - t.prefixLength)) >>> 0)) >>> 0,
    ),
  };
}

export function answer(t: DemoTopology, frame: Frame): Answer | undefined {
  const server = { ip: t.gatewayIp, mac: t.gatewayMac };
  const dhcp = frame.application;
  if (dhcp?.kind === 'dhcpv4') {
    const lease = leaseFor(t, frame.ethernet.source);
    const type = getDhcpOption(dhcp.options, 'message-type');
    if (type === DhcpMessageType.Discover && lease)
      return { kind: 'dhcp-offer', reply: buildDhcpOffer(frame, server, lease) };
    if (type === DhcpMessageType.Request) {
      const requested = getDhcpOption(dhcp.options, 'requested-ip') ?? dhcp.ciaddr;
      if (lease && requested === lease.address)
        return { kind: 'dhcp-ack', reply: buildDhcpAck(frame, server, lease) };
      return { kind: 'dhcp-nak', reply: buildDhcpNak(frame, server, 'unknown client or address') };
    }
    return undefined;
  }
  const net = frame.network;
  if (net?.kind === 'arp' && net.operation === ArpOperation.Request && net.targetIp === t.gatewayIp) {
    return { kind: 'arp-reply', reply: buildArpReply(frame, { mac: t.gatewayMac }) };
  }
  if (
    net?.kind === 'ipv4' &&
    net.destination === t.gatewayIp &&
    frame.transport?.kind === 'icmpv4' &&
    frame.transport.type === 'echo-request'
  ) {
    const reply = buildIcmpv4EchoReply(frame, { mac: t.gatewayMac });
    return reply ? { kind: 'echo-reply', reply } : undefined;
  }
  return undefined;
}
