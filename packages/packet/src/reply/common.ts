// Pieces every reply builder shares.
import type { MacAddress } from '../address/mac.js';
import { PacketEncodeError, type PacketLayer } from '../errors.js';
import type { EthernetInit } from '../ethernet.js';
import type { Frame } from '../frame/types.js';

/** A reply goes back on the VLANs the request came in on. */
export function replyEthernet(request: Frame, source: MacAddress, destination: MacAddress): EthernetInit {
  return request.ethernet.vlans.length > 0
    ? { destination, source, vlans: request.ethernet.vlans }
    : { destination, source };
}

export function notApplicable(layer: PacketLayer, detail: string): never {
  throw new PacketEncodeError('PACKET_NOT_APPLICABLE', layer, detail);
}
