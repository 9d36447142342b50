// ============================================================================================
// THE PIPELINE — every OpenFlow table of br-int, in the order packets walk through them.
//
// How to add a table (read this before you touch the list):
//   1. Find where your decision belongs in a packet's walk (the stages below, the comments on
//      each group) and insert one entry there. OpenFlow numbers are assigned from this order, so
//      inserting renumbers the tables after it — that is fine: nothing outside this file knows
//      a number (flows name their table by its declaration object, dumps show display names),
//      and a controller upgrade reinstalls every flow under a new cookie generation, then sweeps
//      the old ones.
//   2. Give it a PascalCase display name (`L2Lookup`) and export `<Name>Table` at the bottom.
//   3. Name its owner app (apps.ts) and a miss action. A table that a future app fills and that
//      sits on the main path must be transparent while empty: miss `next` (or `goto`). A table
//      that must vouch for every packet (classifier, port security, outputs) drops on miss.
//   4. Write its contract: the fields its flows may match and set (registers by their
//      registers.ts names — declare new bits there first), the later tables they may continue
//      in, and whether they may output, send to the controller, use groups, conntrack or learn.
//      The flow builder refuses anything else, so a wrong flow fails a unit test, not a ping.
//   5. Run the tests: the declaration checks itself on import (jumps forward only, miss target
//      allowed), and docs/pipeline.md must be regenerated:
//        node --import tsx packages/controller/scripts/pipeline-doc.ts
// ============================================================================================
import { ControllerError } from '../errors.js';
import {
  DstPortKeyField,
  FromProviderMark,
  FromTunnelMark,
  NetworkKeyField,
  NextHopIpv4Field,
  PortSecurityDisabledMark,
  RouterKeyField,
  SrcPortKeyField,
} from './registers.js';
import { declarePipeline, type PacketField, type PipelineTable } from './table.js';

// Field groups that several contracts share.
const L3_ADDRESSES: readonly PacketField[] = [
  'eth_type',
  'ip_src',
  'ip_dst',
  'ipv6_src',
  'ipv6_dst',
  'nw_proto',
];
const L4_PORTS: readonly PacketField[] = [
  'tcp_src',
  'tcp_dst',
  'udp_src',
  'udp_dst',
  'sctp_src',
  'sctp_dst',
  'icmp_type',
  'icmp_code',
  'icmpv6_type',
  'icmpv6_code',
];
const CT_STATE: readonly PacketField[] = ['ct_state', 'ct_mark', 'ct_label', 'ct_zone'];

export const PIPELINE = declarePipeline([
  // ---- classification: where did the packet come from? ---------------------------------------
  // Table 0 is where OVS starts every packet. It is the only place (with the output tables) that
  // knows OpenFlow port numbers; after it, ports are keys in registers.
  {
    name: 'Classifier',
    stage: 'classification',
    owner: 'classifier',
    state: 'active',
    purpose:
      'Every packet starts here. A packet from a local VM or pod port (in_port) gets its source port key ' +
      'and network key and goes on to TrunkIngress; a packet from a tunnel port goes to TunnelIngress ' +
      'only if its outer source (tun_src) is a known chassis, one from a provider network patch port to ' +
      'ProviderIngress.',
    miss: { kind: 'drop' },
    contract: {
      // tun_src is checked here, once per chassis, rather than in TunnelIngress, where it would
      // multiply with the networks (chassis × VNIs flows).
      matches: ['in_port', 'tun_src'],
      sets: [SrcPortKeyField, NetworkKeyField],
      next: ['TunnelIngress', 'ProviderIngress', 'TrunkIngress'],
    },
  },
  // Tunnel and provider ingress come before the port tables because goto_table only jumps
  // forward: they skip the source-side checks (the sending node did those) straight to L2Lookup.
  {
    name: 'TunnelIngress',
    stage: 'classification',
    owner: 'tunneling',
    state: 'active',
    purpose:
      'A packet from another chassis (the Classifier checked tun_src): the tunnel port and VNI (tun_id, = ' +
      'the network segmentation id) give the network key. It is marked FromTunnel (so it is never sent ' +
      'back to a tunnel) and looked up in L2Lookup; the sending chassis already applied the source-side ' +
      'checks.',
    miss: { kind: 'drop' },
    contract: {
      matches: ['in_port', 'tun_id'],
      sets: [NetworkKeyField, FromTunnelMark],
      next: ['L2Lookup'],
    },
  },
  {
    name: 'ProviderIngress',
    stage: 'classification',
    owner: 'provider',
    state: 'reserved',
    purpose:
      'A packet from a physical network (patch port from the provider bridge): its VLAN (or none, for ' +
      'flat) gives the network key; the tag is popped, the packet marked FromProvider and looked up in ' +
      'L2Lookup.',
    miss: { kind: 'drop' },
    contract: {
      matches: ['in_port', 'vlan_vid', 'eth_src', 'eth_dst'],
      sets: [NetworkKeyField, FromProviderMark, 'vlan_vid'],
      next: ['L2Lookup'],
    },
  },
  // Trunk subports are classified before port security so that a subport is checked against its
  // own MACs and addresses, exactly like a port of its own.
  {
    name: 'TrunkIngress',
    stage: 'classification',
    owner: 'trunk',
    state: 'reserved',
    purpose:
      'A tagged packet from a trunk parent port: (parent port key, VLAN) gives the subport, whose port ' +
      'key and network key replace the parent’s; the tag is popped. Untagged packets are the parent’s own.',
    miss: { kind: 'next' },
    contract: {
      matches: [SrcPortKeyField, 'vlan_vid'],
      sets: [SrcPortKeyField, NetworkKeyField, 'vlan_vid'],
      next: ['PortSecurityFromPort'],
    },
  },
  // ---- ingress: from the source port into the network ------------------------------------------
  {
    name: 'PortSecurityFromPort',
    stage: 'ingress',
    owner: 'port-security',
    state: 'active',
    purpose:
      'Anti-spoofing: a packet passes only if its source MAC, source IP (IPv4/IPv6, DHCP from 0.0.0.0, ' +
      'IPv6 link-local and ND) and ARP sender fields belong to its port or one of the port’s allowed ' +
      'address pairs. A port with port security disabled passes everything, marked PortSecurityDisabled.',
    miss: { kind: 'drop' },
    contract: {
      matches: [
        SrcPortKeyField,
        'eth_src',
        ...L3_ADDRESSES,
        'udp_src',
        'udp_dst',
        'icmpv6_type',
        'icmpv6_code',
        'nd_target',
        'nd_sll',
        'arp_op',
        'arp_spa',
        'arp_sha',
      ],
      sets: [PortSecurityDisabledMark],
      next: ['Dhcp'],
    },
  },
  // DHCP before security groups: Neutron always lets a port reach its DHCP server, whatever its
  // groups say; after port security, so a forged source cannot obtain a lease.
  {
    name: 'Dhcp',
    stage: 'ingress',
    owner: 'dhcp',
    state: 'reserved',
    purpose:
      'DHCP requests from a port go to the controller (packet-in), which answers from the model; ' +
      'everything else continues.',
    miss: { kind: 'next' },
    contract: {
      matches: [NetworkKeyField, SrcPortKeyField, ...L3_ADDRESSES, 'udp_src', 'udp_dst'],
      sets: [],
      next: ['ArpResponder'],
      controller: true,
    },
  },
  // ARP is answered before security groups (Neutron's groups never filter ARP) and on the source
  // node, so a known address never costs a broadcast across the tunnels.
  {
    name: 'ArpResponder',
    stage: 'ingress',
    owner: 'arp-responder',
    state: 'active',
    purpose:
      'An ARP request for an address the model knows on this network (ports, router ports, VIPs) is ' +
      'turned into the reply in place and sent back out of the port it came from. A request from the ' +
      'address’s own port (duplicate address detection, gratuitous ARP) is not answered: it continues.',
    miss: { kind: 'next' },
    contract: {
      matches: [NetworkKeyField, SrcPortKeyField, 'eth_type', 'arp_op', 'arp_tpa'],
      sets: ['eth_src', 'eth_dst', 'arp_op', 'arp_sha', 'arp_spa', 'arp_tha', 'arp_tpa'],
      next: ['ConntrackFromPort'],
      output: true,
    },
  },
  // Security groups are two tables per direction: conntrack recirculates the packet, so the
  // verdict on the tracked state needs a table of its own after it.
  {
    name: 'ConntrackFromPort',
    stage: 'ingress',
    owner: 'security-groups',
    state: 'reserved',
    purpose:
      'IP packets from ports with security groups are sent through conntrack (zone = network key) and ' +
      'continue, with their connection state, in SecurityGroupFromPort.',
    miss: { kind: 'next' },
    contract: {
      matches: [SrcPortKeyField, NetworkKeyField, PortSecurityDisabledMark, 'eth_type'],
      sets: [],
      next: ['SecurityGroupFromPort'],
      ct: true,
    },
  },
  {
    name: 'SecurityGroupFromPort',
    stage: 'ingress',
    owner: 'security-groups',
    state: 'reserved',
    purpose:
      'Egress rules of the source port’s security groups (conjunctive matches over rules × remote ' +
      'groups); new allowed connections are committed, established ones pass, the rest is dropped.',
    miss: { kind: 'next' },
    contract: {
      matches: [
        SrcPortKeyField,
        NetworkKeyField,
        PortSecurityDisabledMark,
        ...CT_STATE,
        'conj_id',
        ...L3_ADDRESSES,
        ...L4_PORTS,
      ],
      sets: ['ct_mark', 'ct_label'],
      next: ['LoadBalancer'],
      ct: true,
    },
  },
  // The load balancer comes after the source's security groups (they apply to the client's
  // traffic to the VIP) and before routing (the chosen member may sit on another network).
  {
    name: 'LoadBalancer',
    stage: 'ingress',
    owner: 'load-balancer',
    state: 'reserved',
    purpose:
      'A new connection to a VIP (address, protocol, port) picks a member through a select group whose ' +
      'buckets ct(commit,nat(dst=member)); established ones are un-NATed by conntrack.',
    miss: { kind: 'next' },
    contract: {
      matches: [NetworkKeyField, ...CT_STATE, ...L3_ADDRESSES, 'tcp_dst', 'udp_dst', 'sctp_dst'],
      sets: ['ct_mark', 'ct_label'],
      next: ['L3Admission'],
      group: true,
      ct: true,
      learn: true,
    },
  },
  // ---- routing: only packets addressed to a router port's MAC --------------------------------
  // Distributed routing happens entirely on the source node: after it, the packet is on the
  // destination network with the destination's MAC, and L2Lookup delivers it like any other.
  {
    name: 'L3Admission',
    stage: 'routing',
    owner: 'l3',
    state: 'reserved',
    purpose:
      'A packet whose destination MAC is a router port on its network enters routing with that router’s ' +
      'key; any other packet is switched (miss → L2Lookup).',
    miss: { kind: 'goto', table: 'L2Lookup' },
    contract: {
      matches: [NetworkKeyField, 'eth_dst', 'eth_type'],
      sets: [RouterKeyField],
      next: ['Dnat', 'L2Lookup'],
    },
  },
  {
    name: 'Dnat',
    stage: 'routing',
    owner: 'nat',
    state: 'reserved',
    purpose: 'A packet to a floating IP of this router is DNATed (conntrack) to the fixed IP behind it.',
    miss: { kind: 'next' },
    contract: {
      matches: [RouterKeyField, ...CT_STATE, ...L3_ADDRESSES],
      sets: ['ct_mark', 'ct_label'],
      next: ['L3Routing'],
      ct: true,
    },
  },
  {
    name: 'L3Routing',
    stage: 'routing',
    owner: 'l3',
    state: 'reserved',
    purpose:
      'Longest-prefix match on the destination (prefix length = priority offset): sets the destination ' +
      'network key, the next hop and the router port’s MAC as source, decrements the TTL (expiry → ' +
      'controller, for the ICMP error).',
    miss: { kind: 'drop' },
    contract: {
      matches: [RouterKeyField, 'eth_type', 'ip_dst', 'ipv6_dst', 'nw_ttl'],
      sets: [NetworkKeyField, NextHopIpv4Field, 'eth_src', 'nw_ttl'],
      next: ['L3NextHop'],
      controller: true,
    },
  },
  {
    name: 'L3NextHop',
    stage: 'routing',
    owner: 'l3',
    state: 'reserved',
    purpose:
      'The next hop’s MAC becomes the destination MAC (known ports from the model; others → controller).',
    miss: { kind: 'drop' },
    contract: {
      matches: [NetworkKeyField, NextHopIpv4Field, 'eth_type'],
      sets: ['eth_dst'],
      next: ['Snat'],
      controller: true,
    },
  },
  {
    name: 'Snat',
    stage: 'routing',
    owner: 'nat',
    state: 'reserved',
    purpose:
      'Traffic leaving through the router’s external gateway is SNATed (floating IP or chassis address).',
    miss: { kind: 'next' },
    contract: {
      matches: [RouterKeyField, NetworkKeyField, ...CT_STATE, ...L3_ADDRESSES],
      sets: ['ct_mark', 'ct_label'],
      next: ['L2Lookup'],
      ct: true,
    },
  },
  // ---- forwarding: which port, or which ports? ---------------------------------------------
  {
    name: 'L2Lookup',
    stage: 'forwarding',
    owner: 'l2',
    state: 'active',
    purpose:
      'Destination MAC on the network → destination port key. A local port continues to the egress ' +
      'tables; a port on another chassis goes to TunnelOutput (or ProviderOutput on a provider network). ' +
      'Broadcast and multicast, and unknown unicast (miss), go to Flood.',
    miss: { kind: 'goto', table: 'Flood' },
    contract: {
      matches: [NetworkKeyField, FromTunnelMark, FromProviderMark, 'eth_dst'],
      sets: [DstPortKeyField],
      next: ['Flood', 'ConntrackToPort', 'TunnelOutput', 'ProviderOutput'],
    },
  },
  {
    name: 'Flood',
    stage: 'forwarding',
    owner: 'l2',
    state: 'active',
    purpose:
      'Head-end replication: one group per network whose buckets deliver to each local port (through ' +
      'the egress tables) and, unless the packet came from a tunnel, to each chassis that has ports on ' +
      'the network. Nothing else is flooded.',
    miss: { kind: 'drop' },
    contract: {
      matches: [NetworkKeyField, FromTunnelMark, FromProviderMark, 'eth_dst'],
      sets: [DstPortKeyField, 'tun_dst', 'tun_id'],
      next: ['ConntrackToPort'],
      group: true,
      output: true,
    },
  },
  // ---- egress: towards a local destination port ---------------------------------------------
  {
    name: 'ConntrackToPort',
    stage: 'egress',
    owner: 'security-groups',
    state: 'reserved',
    purpose: 'IP packets to ports with security groups go through conntrack and on to SecurityGroupToPort.',
    miss: { kind: 'next' },
    contract: {
      matches: [DstPortKeyField, NetworkKeyField, 'eth_type'],
      sets: [],
      next: ['SecurityGroupToPort'],
      ct: true,
    },
  },
  {
    name: 'SecurityGroupToPort',
    stage: 'egress',
    owner: 'security-groups',
    state: 'reserved',
    purpose: 'Ingress rules of the destination port’s security groups, as SecurityGroupFromPort.',
    miss: { kind: 'next' },
    contract: {
      matches: [DstPortKeyField, NetworkKeyField, ...CT_STATE, 'conj_id', ...L3_ADDRESSES, ...L4_PORTS],
      sets: ['ct_mark', 'ct_label'],
      next: ['PortSecurityToPort'],
      ct: true,
    },
  },
  {
    name: 'PortSecurityToPort',
    stage: 'egress',
    owner: 'port-security',
    state: 'active',
    purpose:
      'A port with port security receives only what is addressed to it: its MACs (and allowed address ' +
      'pairs), broadcast and multicast. Flooded unknown unicast for another MAC stops here.',
    miss: { kind: 'next' },
    contract: {
      matches: [DstPortKeyField, 'eth_dst', 'eth_type', 'ip_dst', 'ipv6_dst', 'arp_tpa'],
      sets: [],
      next: ['TrunkEgress'],
    },
  },
  {
    name: 'TrunkEgress',
    stage: 'egress',
    owner: 'trunk',
    state: 'reserved',
    purpose: 'A packet to a trunk subport gets the subport’s VLAN tag and the parent port as destination.',
    miss: { kind: 'next' },
    contract: {
      matches: [DstPortKeyField],
      sets: [DstPortKeyField, 'vlan_vid'],
      next: ['LocalOutput'],
    },
  },
  // ---- output: the only tables (with the classifier) that know port numbers -------------------
  {
    name: 'LocalOutput',
    stage: 'output',
    owner: 'classifier',
    state: 'active',
    purpose: 'Destination port key → the OpenFlow port of that local port.',
    miss: { kind: 'drop' },
    contract: { matches: [DstPortKeyField], sets: [], next: [], output: true },
  },
  {
    name: 'TunnelOutput',
    stage: 'output',
    owner: 'tunneling',
    state: 'active',
    purpose:
      'Destination port key of a port on another chassis → tunnel destination (that chassis’ tunnel IP), ' +
      'VNI (the network’s segmentation id) and the Geneve or VXLAN port. Never for a packet from a tunnel.',
    miss: { kind: 'drop' },
    contract: {
      matches: [DstPortKeyField, NetworkKeyField, FromTunnelMark],
      sets: ['tun_dst', 'tun_id'],
      next: [],
      output: true,
    },
  },
  {
    name: 'ProviderOutput',
    stage: 'output',
    owner: 'provider',
    state: 'reserved',
    purpose:
      'A packet for a port reached over a provider network gets the network’s VLAN tag (none for flat) ' +
      'and leaves through the patch port to the provider bridge.',
    miss: { kind: 'drop' },
    contract: {
      matches: [DstPortKeyField, NetworkKeyField, FromProviderMark],
      sets: ['vlan_vid'],
      next: [],
      output: true,
    },
  },
]);

// One export per table: flows are built with these objects, never with numbers.
export const ClassifierTable: PipelineTable = PIPELINE.table('Classifier');
export const TunnelIngressTable: PipelineTable = PIPELINE.table('TunnelIngress');
export const ProviderIngressTable: PipelineTable = PIPELINE.table('ProviderIngress');
export const TrunkIngressTable: PipelineTable = PIPELINE.table('TrunkIngress');
export const PortSecurityFromPortTable: PipelineTable = PIPELINE.table('PortSecurityFromPort');
export const DhcpTable: PipelineTable = PIPELINE.table('Dhcp');
export const ArpResponderTable: PipelineTable = PIPELINE.table('ArpResponder');
export const ConntrackFromPortTable: PipelineTable = PIPELINE.table('ConntrackFromPort');
export const SecurityGroupFromPortTable: PipelineTable = PIPELINE.table('SecurityGroupFromPort');
export const LoadBalancerTable: PipelineTable = PIPELINE.table('LoadBalancer');
export const L3AdmissionTable: PipelineTable = PIPELINE.table('L3Admission');
export const DnatTable: PipelineTable = PIPELINE.table('Dnat');
export const L3RoutingTable: PipelineTable = PIPELINE.table('L3Routing');
export const L3NextHopTable: PipelineTable = PIPELINE.table('L3NextHop');
export const SnatTable: PipelineTable = PIPELINE.table('Snat');
export const L2LookupTable: PipelineTable = PIPELINE.table('L2Lookup');
export const FloodTable: PipelineTable = PIPELINE.table('Flood');
export const ConntrackToPortTable: PipelineTable = PIPELINE.table('ConntrackToPort');
export const SecurityGroupToPortTable: PipelineTable = PIPELINE.table('SecurityGroupToPort');
export const PortSecurityToPortTable: PipelineTable = PIPELINE.table('PortSecurityToPort');
export const TrunkEgressTable: PipelineTable = PIPELINE.table('TrunkEgress');
export const LocalOutputTable: PipelineTable = PIPELINE.table('LocalOutput');
export const TunnelOutputTable: PipelineTable = PIPELINE.table('TunnelOutput');
export const ProviderOutputTable: PipelineTable = PIPELINE.table('ProviderOutput');

/** Display name of an OpenFlow table number, for dumps: `L2Lookup`, or `table42` if undeclared. */
export function tableName(id: number): string {
  return PIPELINE.tables[id]?.name ?? `table${id}`;
}

/** The declared table with that OpenFlow number; throws WEIR_PIPELINE_UNKNOWN_TABLE. */
export function tableById(id: number): PipelineTable {
  const t = PIPELINE.tables[id];
  if (t === undefined) {
    throw new ControllerError('WEIR_PIPELINE_UNKNOWN_TABLE', `no table has number ${id}`, {
      subject: String(id),
    });
  }
  return t;
}
