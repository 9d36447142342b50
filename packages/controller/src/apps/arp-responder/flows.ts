// The ARP responder app: an ARP request for an IPv4 address of a port the model knows (local, or
// bound to a live chassis) is answered on the source node, in the datapath, out of the port it
// came from — it never costs a broadcast across the tunnels. The owner's own requests for its
// address (probes, gratuitous ARP) are not answered: answering a probe would make the port think
// its address is taken. Addresses of allowed address pairs are not answered either: they move
// between ports (VRRP), so only the port that holds one may answer, by itself.
import { OFPP, type FlowMod } from '@weir/openflow';
import { priority } from '../../pipeline/priorities.js';
import { NetworkKeyField, SrcPortKeyField, matchRegister } from '../../pipeline/registers.js';
import { ArpResponderTable, ConntrackFromPortTable } from '../../pipeline/tables.js';
import type { NetworkView, PortView } from '../../state/views.js';
import { isIpv6 } from '../addresses.js';
import type { AppBuilders } from '../types.js';

const ARP = 0x0806;
const ARP_REQUEST = 1;
const ARP_REPLY = 2;

export function arpResponderFlows(
  b: AppBuilders,
  port: PortView,
  network: NetworkView,
  options: { readonly local: boolean },
): FlowMod[] {
  const owner = { kind: 'port', key: port.key } as const;
  const flows: FlowMod[] = [];
  for (const ip of port.ips) {
    if (isIpv6(ip)) continue;
    const request = [
      matchRegister(NetworkKeyField, network.key),
      { field: 'eth_type', value: ARP },
      { field: 'arp_op', value: ARP_REQUEST },
      { field: 'arp_tpa', value: ip },
    ] as const;
    flows.push(
      b['arp-responder'].flow({
        table: ArpResponderTable,
        priority: priority('normal'),
        owner,
        match: [...request],
        actions: [
          {
            type: 'move',
            src: { field: 'eth_src', start: 0, nBits: 48 },
            dst: { field: 'eth_dst', start: 0, nBits: 48 },
          },
          { type: 'set_field', field: 'eth_src', value: port.mac },
          { type: 'set_field', field: 'arp_op', value: ARP_REPLY },
          {
            type: 'move',
            src: { field: 'arp_sha', start: 0, nBits: 48 },
            dst: { field: 'arp_tha', start: 0, nBits: 48 },
          },
          { type: 'set_field', field: 'arp_sha', value: port.mac },
          {
            type: 'move',
            src: { field: 'arp_spa', start: 0, nBits: 32 },
            dst: { field: 'arp_tpa', start: 0, nBits: 32 },
          },
          { type: 'set_field', field: 'arp_spa', value: ip },
          { type: 'output', port: OFPP.IN_PORT },
        ],
      }),
    );
    if (options.local) {
      flows.push(
        b['arp-responder'].flow({
          table: ArpResponderTable,
          priority: priority('high'),
          owner,
          match: [...request, matchRegister(SrcPortKeyField, port.key)],
          goto: ConntrackFromPortTable,
        }),
      );
    }
  }
  return flows;
}
