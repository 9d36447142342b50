// ARP reply (RFC 826): the answering host swaps sender and target, puts itself as the sender, and
// sends the reply to the requester's hardware address.
import type { MacAddress } from '../address/mac.js';
import { ArpOperation } from '../arp.js';
import type { Frame, FrameInit } from '../frame/types.js';
import { notApplicable, replyEthernet } from './common.js';

export interface ArpReplyOptions {
  /** The MAC that owns the requested address (the ARP request's targetIp). */
  readonly mac: MacAddress;
}

/**
 * Builds the reply to a decoded ARP request. Whether to answer (does `mac` own targetIp?) is the
 * caller's decision.
 * @throws PacketEncodeError PACKET_NOT_APPLICABLE when `request` is not an ARP request.
 */
export function buildArpReply(request: Frame, options: ArpReplyOptions): FrameInit {
  const arp = request.network;
  if (arp?.kind !== 'arp' || arp.operation !== ArpOperation.Request) {
    notApplicable('arp', 'not an ARP request');
  }
  return {
    ethernet: replyEthernet(request, options.mac, arp.senderMac),
    network: {
      kind: 'arp',
      operation: ArpOperation.Reply,
      senderMac: options.mac,
      senderIp: arp.targetIp,
      targetMac: arp.senderMac,
      targetIp: arp.senderIp,
    },
  };
}
