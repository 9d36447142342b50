// One or more representative flows for every declared table, built through the builder as the
// apps will build them (the W4 apps' shapes, and a plausible first flow for each reserved table).
// Golden tests print them; the integration test installs them into a real ovs-vswitchd.
import { OFPP, type FlowMod } from '@weir/openflow';
import {
  ArpResponderTable,
  ClassifierTable,
  ConntrackFromPortTable,
  ConntrackToPortTable,
  DhcpTable,
  DnatTable,
  DstPortKeyField,
  FloodTable,
  FromProviderMark,
  FromTunnelMark,
  L2LookupTable,
  L3AdmissionTable,
  L3NextHopTable,
  L3RoutingTable,
  LoadBalancerTable,
  LocalOutputTable,
  NetworkKeyField,
  NextHopIpv4Field,
  PortSecurityDisabledMark,
  PortSecurityFromPortTable,
  PortSecurityToPortTable,
  ProviderIngressTable,
  ProviderOutputTable,
  RouterKeyField,
  SecurityGroupFromPortTable,
  SecurityGroupToPortTable,
  SnatTable,
  SrcPortKeyField,
  TrunkEgressTable,
  TrunkIngressTable,
  TunnelIngressTable,
  TunnelOutputTable,
  conntrack,
  flowBuilder,
  loadRegister,
  matchMark,
  matchNoMark,
  matchRegister,
  priority,
  registerSubfield,
  resubmit,
  setMark,
  type AppName,
  type AppFlowBuilder,
  type OwnedGroup,
} from '../src/index.js';

export const NET = 5; // network key (VNI 100)
export const VNI = 100;
export const PORT_A = 17; // local port, ofport 1
export const PORT_B = 18; // remote port on chassis 192.168.0.2
export const TUNNEL_OFPORT = 100;
export const PATCH_OFPORT = 200;
export const FLOOD_GROUP = 5;
export const LB_GROUP = 9;
const MAC_A = 'fa:16:3e:00:00:11';
const MAC_B = 'fa:16:3e:00:00:12';
const ROUTER_MAC = 'fa:16:3e:00:00:01';

const ARP = 0x0806;
const IPV4 = 0x0800;
const port = (key: number) => ({ kind: 'port' as const, key });
const network = { kind: 'network' as const, key: NET };
const router = { kind: 'router' as const, key: 3 };

export interface Representative {
  readonly groups: OwnedGroup[];
  readonly flows: FlowMod[];
}

export function representativeFlows(generation: number): Representative {
  const b = (app: AppName): AppFlowBuilder => flowBuilder({ generation, app });
  const classifier = b('classifier');
  const portSecurity = b('port-security');
  const l2 = b('l2');
  const arp = b('arp-responder');
  const tunneling = b('tunneling');
  const sg = b('security-groups');
  const lb = b('load-balancer');
  const l3 = b('l3');
  const nat = b('nat');
  const dhcp = b('dhcp');
  const provider = b('provider');
  const trunk = b('trunk');

  const groups: OwnedGroup[] = [
    // Head-end replication: the local port through the egress tables, the remote chassis by tunnel.
    l2.group({
      table: FloodTable,
      owner: network,
      groupId: FLOOD_GROUP,
      groupType: 'all',
      buckets: [
        { actions: [loadRegister(DstPortKeyField, PORT_A), resubmit(ConntrackToPortTable)] },
        {
          actions: [
            { type: 'set_field', field: 'tun_dst', value: '192.168.0.2' },
            { type: 'set_field', field: 'tun_id', value: BigInt(VNI) },
            { type: 'output', port: TUNNEL_OFPORT },
          ],
        },
      ],
    }),
    lb.group({
      table: LoadBalancerTable,
      owner: { kind: 'load-balancer', key: 1 },
      groupId: LB_GROUP,
      groupType: 'select',
      buckets: [
        {
          actions: [
            conntrack({
              commit: true,
              zone: registerSubfield(NetworkKeyField, { nBits: 16 }),
              table: L3AdmissionTable,
              nat: { kind: 'dst', addressMin: '10.0.0.11', portMin: 8080 },
            }),
          ],
        },
      ],
    }),
  ];

  const flows: FlowMod[] = [
    classifier.flow({
      table: ClassifierTable,
      priority: priority('normal'),
      owner: port(PORT_A),
      match: [{ field: 'in_port', value: 1 }],
      actions: [loadRegister(SrcPortKeyField, PORT_A), loadRegister(NetworkKeyField, NET)],
      goto: TrunkIngressTable,
    }),
    classifier.flow({
      table: ClassifierTable,
      priority: priority('normal'),
      owner: { kind: 'chassis', key: 1 },
      match: [{ field: 'in_port', value: TUNNEL_OFPORT }],
      goto: TunnelIngressTable,
    }),
    tunneling.flow({
      table: TunnelIngressTable,
      priority: priority('normal'),
      owner: network,
      match: [
        { field: 'in_port', value: TUNNEL_OFPORT },
        { field: 'tun_id', value: BigInt(VNI) },
      ],
      actions: [loadRegister(NetworkKeyField, NET), setMark(FromTunnelMark)],
      goto: L2LookupTable,
    }),
    provider.flow({
      table: ProviderIngressTable,
      priority: priority('normal'),
      owner: network,
      match: [
        { field: 'in_port', value: PATCH_OFPORT },
        { field: 'vlan_vid', value: 0x1000 | 42 },
      ],
      actions: [{ type: 'pop_vlan' }, loadRegister(NetworkKeyField, NET), setMark(FromProviderMark)],
      goto: L2LookupTable,
    }),
    trunk.flow({
      table: TrunkIngressTable,
      priority: priority('normal'),
      owner: { kind: 'trunk', key: 2 },
      match: [matchRegister(SrcPortKeyField, PORT_A), { field: 'vlan_vid', value: 0x1000 | 101 }],
      actions: [{ type: 'pop_vlan' }, loadRegister(SrcPortKeyField, 30), loadRegister(NetworkKeyField, 6)],
      goto: PortSecurityFromPortTable,
    }),
    // Anti-spoofing: MAC+IP, ARP with sender MAC+IP, an allowed address pair, a disabled port.
    portSecurity.flow({
      table: PortSecurityFromPortTable,
      priority: priority('normal'),
      owner: port(PORT_A),
      match: [
        matchRegister(SrcPortKeyField, PORT_A),
        { field: 'eth_src', value: MAC_A },
        { field: 'eth_type', value: IPV4 },
        { field: 'ip_src', value: '10.0.0.5' },
      ],
      goto: DhcpTable,
    }),
    portSecurity.flow({
      table: PortSecurityFromPortTable,
      priority: priority('normal'),
      owner: port(PORT_A),
      match: [
        matchRegister(SrcPortKeyField, PORT_A),
        { field: 'eth_src', value: MAC_A },
        { field: 'eth_type', value: ARP },
        { field: 'arp_spa', value: '10.0.0.5' },
        { field: 'arp_sha', value: MAC_A },
      ],
      goto: DhcpTable,
    }),
    portSecurity.flow({
      table: PortSecurityFromPortTable,
      priority: priority('normal'),
      owner: port(PORT_A),
      match: [
        matchRegister(SrcPortKeyField, PORT_A),
        { field: 'eth_src', value: MAC_A },
        { field: 'eth_type', value: IPV4 },
        { field: 'ip_src', value: '10.0.0.128', mask: '255.255.255.192' },
      ],
      goto: DhcpTable,
    }),
    portSecurity.flow({
      table: PortSecurityFromPortTable,
      priority: priority('low'),
      owner: port(19),
      match: [matchRegister(SrcPortKeyField, 19)],
      actions: [setMark(PortSecurityDisabledMark)],
      goto: DhcpTable,
    }),
    dhcp.flow({
      table: DhcpTable,
      priority: priority('normal'),
      owner: { kind: 'subnet', key: 4 },
      match: [
        matchRegister(NetworkKeyField, NET),
        { field: 'eth_type', value: IPV4 },
        { field: 'nw_proto', value: 17 },
        { field: 'udp_src', value: 68 },
        { field: 'udp_dst', value: 67 },
      ],
      actions: [{ type: 'controller', reason: 'action', userdata: Buffer.from([1, 4]) }],
    }),
    arp.flow({
      table: ArpResponderTable,
      priority: priority('normal'),
      owner: port(PORT_B),
      match: [
        matchRegister(NetworkKeyField, NET),
        { field: 'eth_type', value: ARP },
        { field: 'arp_op', value: 1 },
        { field: 'arp_tpa', value: '10.0.0.6' },
      ],
      actions: [
        {
          type: 'move',
          src: { field: 'eth_src', start: 0, nBits: 48 },
          dst: { field: 'eth_dst', start: 0, nBits: 48 },
        },
        { type: 'set_field', field: 'eth_src', value: MAC_B },
        { type: 'set_field', field: 'arp_op', value: 2 },
        {
          type: 'move',
          src: { field: 'arp_sha', start: 0, nBits: 48 },
          dst: { field: 'arp_tha', start: 0, nBits: 48 },
        },
        { type: 'set_field', field: 'arp_sha', value: MAC_B },
        {
          type: 'move',
          src: { field: 'arp_spa', start: 0, nBits: 32 },
          dst: { field: 'arp_tpa', start: 0, nBits: 32 },
        },
        { type: 'set_field', field: 'arp_spa', value: '10.0.0.6' },
        { type: 'output', port: OFPP.IN_PORT },
      ],
    }),
    sg.flow({
      table: ConntrackFromPortTable,
      priority: priority('normal'),
      owner: port(PORT_A),
      match: [matchRegister(SrcPortKeyField, PORT_A), { field: 'eth_type', value: IPV4 }],
      actions: [
        conntrack({
          zone: registerSubfield(NetworkKeyField, { nBits: 16 }),
          table: SecurityGroupFromPortTable,
        }),
      ],
    }),
    sg.flow({
      table: SecurityGroupFromPortTable,
      priority: priority('normal'),
      owner: { kind: 'security-group', key: 8 },
      match: [
        matchRegister(SrcPortKeyField, PORT_A),
        { field: 'ct_state', value: 0x21, mask: 0x21 },
        { field: 'eth_type', value: IPV4 },
        { field: 'nw_proto', value: 6 },
        { field: 'tcp_dst', value: 22 },
      ],
      actions: [conntrack({ commit: true, zone: registerSubfield(NetworkKeyField, { nBits: 16 }) })],
      goto: LoadBalancerTable,
    }),
    lb.flow({
      table: LoadBalancerTable,
      priority: priority('normal'),
      owner: { kind: 'load-balancer', key: 1 },
      match: [
        matchRegister(NetworkKeyField, NET),
        { field: 'eth_type', value: IPV4 },
        { field: 'nw_proto', value: 6 },
        { field: 'ip_dst', value: '10.0.0.100' },
        { field: 'tcp_dst', value: 80 },
      ],
      actions: [{ type: 'group', groupId: LB_GROUP }],
    }),
    l3.flow({
      table: L3AdmissionTable,
      priority: priority('normal'),
      owner: router,
      match: [matchRegister(NetworkKeyField, NET), { field: 'eth_dst', value: ROUTER_MAC }],
      actions: [loadRegister(RouterKeyField, 3)],
      goto: DnatTable,
    }),
    nat.flow({
      table: DnatTable,
      priority: priority('normal'),
      owner: { kind: 'floating-ip', key: 7 },
      match: [
        matchRegister(RouterKeyField, 3),
        { field: 'eth_type', value: IPV4 },
        { field: 'ip_dst', value: '172.24.4.10' },
      ],
      actions: [
        conntrack({
          commit: true,
          zone: 0,
          table: L3RoutingTable,
          nat: { kind: 'dst', addressMin: '10.0.0.5' },
        }),
      ],
    }),
    l3.flow({
      table: L3RoutingTable,
      priority: priority('normal', 24),
      owner: router,
      match: [
        matchRegister(RouterKeyField, 3),
        { field: 'eth_type', value: IPV4 },
        { field: 'ip_dst', value: '10.0.1.0', mask: '255.255.255.0' },
      ],
      actions: [
        { type: 'dec_ttl' },
        loadRegister(NetworkKeyField, 6),
        loadRegister(NextHopIpv4Field, 0x0a000102),
        { type: 'set_field', field: 'eth_src', value: ROUTER_MAC },
      ],
      goto: L3NextHopTable,
    }),
    l3.flow({
      table: L3NextHopTable,
      priority: priority('normal'),
      owner: port(21),
      match: [
        matchRegister(NetworkKeyField, 6),
        matchRegister(NextHopIpv4Field, 0x0a000102),
        { field: 'eth_type', value: IPV4 },
      ],
      actions: [{ type: 'set_field', field: 'eth_dst', value: 'fa:16:3e:00:00:21' }],
      goto: SnatTable,
    }),
    nat.flow({
      table: SnatTable,
      priority: priority('normal'),
      owner: router,
      match: [
        matchRegister(RouterKeyField, 3),
        { field: 'eth_type', value: IPV4 },
        { field: 'ip_src', value: '10.0.0.0', mask: '255.255.255.0' },
      ],
      actions: [
        conntrack({
          commit: true,
          zone: 0,
          table: L2LookupTable,
          nat: { kind: 'src', addressMin: '172.24.4.2' },
        }),
      ],
    }),
    // L2: a local port, a remote port, broadcast, and the split horizon for tunnel traffic.
    l2.flow({
      table: L2LookupTable,
      priority: priority('normal'),
      owner: port(PORT_A),
      match: [matchRegister(NetworkKeyField, NET), { field: 'eth_dst', value: MAC_A }],
      actions: [loadRegister(DstPortKeyField, PORT_A)],
      goto: ConntrackToPortTable,
    }),
    l2.flow({
      table: L2LookupTable,
      priority: priority('normal'),
      owner: port(PORT_B),
      match: [
        matchRegister(NetworkKeyField, NET),
        matchNoMark(FromTunnelMark),
        { field: 'eth_dst', value: MAC_B },
      ],
      actions: [loadRegister(DstPortKeyField, PORT_B)],
      goto: TunnelOutputTable,
    }),
    l2.flow({
      table: L2LookupTable,
      priority: priority('high'),
      owner: network,
      match: [
        matchRegister(NetworkKeyField, NET),
        { field: 'eth_dst', value: '01:00:00:00:00:00', mask: '01:00:00:00:00:00' },
      ],
      goto: FloodTable,
    }),
    l2.flow({
      table: FloodTable,
      priority: priority('normal'),
      owner: network,
      match: [matchRegister(NetworkKeyField, NET), matchNoMark(FromTunnelMark)],
      actions: [{ type: 'group', groupId: FLOOD_GROUP }],
    }),
    l2.flow({
      table: FloodTable,
      priority: priority('normal'),
      owner: network,
      match: [matchRegister(NetworkKeyField, NET), matchMark(FromTunnelMark)],
      actions: [loadRegister(DstPortKeyField, PORT_A), resubmit(ConntrackToPortTable)],
    }),
    sg.flow({
      table: ConntrackToPortTable,
      priority: priority('normal'),
      owner: port(PORT_A),
      match: [matchRegister(DstPortKeyField, PORT_A), { field: 'eth_type', value: IPV4 }],
      actions: [
        conntrack({
          zone: registerSubfield(NetworkKeyField, { nBits: 16 }),
          table: SecurityGroupToPortTable,
        }),
      ],
    }),
    sg.flow({
      table: SecurityGroupToPortTable,
      priority: priority('normal'),
      owner: { kind: 'security-group', key: 8 },
      match: [
        matchRegister(DstPortKeyField, PORT_A),
        { field: 'ct_state', value: 0x22, mask: 0x22 },
        { field: 'eth_type', value: IPV4 },
      ],
      goto: PortSecurityToPortTable,
    }),
    portSecurity.flow({
      table: PortSecurityToPortTable,
      priority: priority('normal'),
      owner: port(PORT_A),
      match: [matchRegister(DstPortKeyField, PORT_A), { field: 'eth_dst', value: MAC_A }],
      goto: TrunkEgressTable,
    }),
    portSecurity.flow({
      table: PortSecurityToPortTable,
      priority: priority('low'),
      owner: port(PORT_A),
      match: [matchRegister(DstPortKeyField, PORT_A)],
    }),
    trunk.flow({
      table: TrunkEgressTable,
      priority: priority('normal'),
      owner: { kind: 'trunk', key: 2 },
      match: [matchRegister(DstPortKeyField, 30)],
      actions: [
        { type: 'push_vlan', ethertype: 0x8100 },
        { type: 'set_field', field: 'vlan_vid', value: 0x1000 | 101 },
        loadRegister(DstPortKeyField, PORT_A),
      ],
      goto: LocalOutputTable,
    }),
    classifier.flow({
      table: LocalOutputTable,
      priority: priority('normal'),
      owner: port(PORT_A),
      match: [matchRegister(DstPortKeyField, PORT_A)],
      actions: [{ type: 'output', port: 1 }],
    }),
    tunneling.flow({
      table: TunnelOutputTable,
      priority: priority('normal'),
      owner: port(PORT_B),
      match: [matchRegister(DstPortKeyField, PORT_B)],
      actions: [
        { type: 'set_field', field: 'tun_dst', value: '192.168.0.2' },
        { type: 'set_field', field: 'tun_id', value: BigInt(VNI) },
        { type: 'output', port: TUNNEL_OFPORT },
      ],
    }),
    provider.flow({
      table: ProviderOutputTable,
      priority: priority('normal'),
      owner: network,
      match: [matchRegister(NetworkKeyField, NET), matchNoMark(FromProviderMark)],
      actions: [
        { type: 'push_vlan', ethertype: 0x8100 },
        { type: 'set_field', field: 'vlan_vid', value: 0x1000 | 42 },
        { type: 'output', port: PATCH_OFPORT },
      ],
    }),
  ];
  return { groups, flows };
}
