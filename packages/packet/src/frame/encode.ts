// Builds frames and IP packets from layers. Sizes are computed first so the output is allocated
// once; headers are then written outside-in, and each checksum is computed once the bytes it
// covers (and the pseudo-header addresses it needs) are in place.
import { ARP_LENGTH, writeArp } from '../arp.js';
import type { PseudoHeaderSource } from '../checksum.js';
import { prepareDhcp, writeDhcp, type PreparedDhcp } from '../dhcp/message.js';
import { PacketEncodeError, type PacketLayer } from '../errors.js';
import { ethernetHeaderLength, EtherType, writeEthernet } from '../ethernet.js';
import { icmpv4Length, writeIcmpv4 } from '../icmpv4.js';
import { icmpv6Length, writeIcmpv6 } from '../icmpv6/messages.js';
import { IpProtocol } from '../ip-protocol.js';
import { ipv4HeaderLength, ipv4PseudoHeader, writeIpv4Header } from '../ipv4.js';
import { ipv6HeaderLength, writeIpv6Header } from '../ipv6.js';
import { EMPTY, viewOf } from '../internal/bytes.js';
import { tcpHeaderLength, writeTcp } from '../tcp.js';
import { UDP_HEADER_LENGTH, writeUdp } from '../udp.js';
import type { EncodeFrameOptions, FrameInit, IpPacketInit } from './types.js';

function refuse(layer: PacketLayer, detail: string): never {
  throw new PacketEncodeError('PACKET_FIELD_RANGE', layer, detail);
}

/** The upper layer of an IP packet, sized and ready to write once its pseudo-header exists. */
interface UpperPlan {
  readonly protocol: number;
  readonly length: number;
  write(out: Uint8Array, view: DataView, offset: number, pseudo: PseudoHeaderSource): void;
}

function planUpper(packet: IpPacketInit, settings: EncodeFrameOptions): UpperPlan {
  const { network, transport, application } = packet;
  const payload = packet.payload ?? EMPTY;
  const layer = network.kind;
  if (application && transport?.kind !== 'udp') refuse(layer, 'a DHCP message needs a UDP transport layer');
  if (application && payload.length > 0) refuse(layer, 'give either a DHCP message or a payload, not both');
  let plan: UpperPlan;
  switch (transport?.kind) {
    case undefined:
      if (network.protocol === undefined)
        refuse(layer, 'protocol is required when no transport layer is given');
      return {
        protocol: network.protocol,
        length: payload.length,
        write: (out, _view, offset) => out.set(payload, offset),
      };
    case 'udp': {
      const dhcp: PreparedDhcp | undefined = application
        ? prepareDhcp(application, settings.dhcp)
        : undefined;
      const innerLength = dhcp ? dhcp.length : payload.length;
      plan = {
        protocol: IpProtocol.UDP,
        length: UDP_HEADER_LENGTH + innerLength,
        write(out, view, offset, pseudo) {
          if (dhcp) writeDhcp(out, view, offset + UDP_HEADER_LENGTH, dhcp);
          else out.set(payload, offset + UDP_HEADER_LENGTH);
          writeUdp(out, view, offset, transport, innerLength, pseudo);
        },
      };
      break;
    }
    case 'tcp': {
      const headerLength = tcpHeaderLength(transport);
      plan = {
        protocol: IpProtocol.TCP,
        length: headerLength + payload.length,
        write(out, view, offset, pseudo) {
          out.set(payload, offset + headerLength);
          writeTcp(out, view, offset, transport, payload.length, pseudo);
        },
      };
      break;
    }
    case 'icmpv4':
      if (network.kind !== 'ipv4') refuse(layer, 'ICMPv4 needs IPv4 (use ICMPv6 over IPv6)');
      if (payload.length > 0) refuse('icmpv4', 'an ICMP message carries its own data; payload must be empty');
      plan = {
        protocol: IpProtocol.ICMP,
        length: icmpv4Length(transport),
        write: (out, view, offset) => void writeIcmpv4(out, view, offset, transport),
      };
      break;
    case 'icmpv6':
      if (network.kind !== 'ipv6') refuse(layer, 'ICMPv6 needs IPv6');
      if (payload.length > 0)
        refuse('icmpv6', 'an ICMPv6 message carries its own data; payload must be empty');
      plan = {
        protocol: IpProtocol.ICMPv6,
        length: icmpv6Length(transport),
        write: (out, view, offset, pseudo) => void writeIcmpv6(out, view, offset, transport, pseudo),
      };
      break;
  }
  if (network.protocol !== undefined && network.protocol !== plan.protocol) {
    refuse(
      layer,
      `protocol ${network.protocol} contradicts the ${transport.kind} transport layer (${plan.protocol})`,
    );
  }
  return plan;
}

/** A network layer (or raw Ethernet payload), sized and ready to write. */
interface NetworkPlan {
  readonly etherType: number;
  readonly length: number;
  write(out: Uint8Array, view: DataView, offset: number): void;
}

function planIp(packet: IpPacketInit, settings: EncodeFrameOptions): NetworkPlan {
  const upper = planUpper(packet, settings);
  const network = packet.network;
  if (network.kind === 'ipv4') {
    return {
      etherType: EtherType.IPv4,
      length: ipv4HeaderLength(network) + upper.length,
      write(out, view, offset) {
        const upperOffset = writeIpv4Header(out, view, offset, network, upper.protocol, upper.length);
        upper.write(out, view, upperOffset, ipv4PseudoHeader(out, offset));
      },
    };
  }
  return {
    etherType: EtherType.IPv6,
    length: ipv6HeaderLength(network) + upper.length,
    write(out, view, offset) {
      const { upperOffset, pseudoHeader } = writeIpv6Header(
        out,
        view,
        offset,
        network,
        upper.protocol,
        upper.length,
      );
      upper.write(out, view, upperOffset, pseudoHeader);
    },
  };
}

function planNetwork(frame: FrameInit, settings: EncodeFrameOptions): NetworkPlan {
  const { network } = frame;
  const payload = frame.payload ?? EMPTY;
  if (network === undefined) {
    if (frame.transport || frame.application) refuse('frame', 'a transport layer needs a network layer');
    const etherType = frame.ethernet.etherType;
    if (etherType === undefined) refuse('ethernet', 'etherType is required when no network layer is given');
    return { etherType, length: payload.length, write: (out, _view, offset) => out.set(payload, offset) };
  }
  if (network.kind === 'arp') {
    if (frame.transport || frame.application || payload.length > 0) {
      refuse('arp', 'an ARP packet carries no transport layer or payload');
    }
    return {
      etherType: EtherType.ARP,
      length: ARP_LENGTH,
      write: (out, view, offset) => void writeArp(out, view, offset, network),
    };
  }
  return planIp(
    {
      network,
      ...(frame.transport ? { transport: frame.transport } : {}),
      ...(frame.application ? { application: frame.application } : {}),
      payload,
    },
    settings,
  );
}

/**
 * Encodes a frame; lengths, checksums, EtherType and IP protocol are filled in.
 * @throws PacketEncodeError (or PacketAddressError for bad address text).
 */
export function encodeFrame(frame: FrameInit, settings: EncodeFrameOptions = {}): Uint8Array {
  const plan = planNetwork(frame, settings);
  const given = frame.ethernet.etherType;
  if (given !== undefined && given !== plan.etherType) {
    refuse(
      'ethernet',
      `etherType 0x${given.toString(16)} contradicts the network layer (0x${plan.etherType.toString(16)})`,
    );
  }
  const headerLength = ethernetHeaderLength(frame.ethernet);
  const trailer = frame.trailer ?? EMPTY;
  const length = Math.max(headerLength + plan.length + trailer.length, settings.minimumLength ?? 0);
  const out = new Uint8Array(length);
  const view = viewOf(out);
  const offset = writeEthernet(out, view, 0, frame.ethernet, plan.etherType);
  plan.write(out, view, offset);
  out.set(trailer, offset + plan.length);
  return out;
}

/** Encodes an IPv4 or IPv6 packet without a link layer. */
export function encodeIpPacket(packet: IpPacketInit, settings: EncodeFrameOptions = {}): Uint8Array {
  const plan = planIp(packet, settings);
  const out = new Uint8Array(plan.length);
  plan.write(out, viewOf(out), 0);
  return out;
}
