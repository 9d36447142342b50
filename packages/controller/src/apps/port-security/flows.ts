// The port-security app: anti-spoofing on the way in, and "only what is addressed to you" on the
// way out, for ports with port security enabled (Neutron's default).
//
// From the port (PortSecurityFromPort, drop on miss): a frame passes only with the port's MAC as
// source and, for IP, one of its addresses as source — or a MAC + address (or prefix) of one of its
// allowed address pairs; ARP only with matching sender MAC and address; DHCP discovery from
// 0.0.0.0 and ARP probes from 0.0.0.0 (RFC 5227) with the port's MAC; IPv6 from its addresses, its
// link-local address, and duplicate address detection from ::. Any other ethertype is dropped.
// A port with port security disabled passes everything, marked PortSecurityDisabled.
//
// To the port (PortSecurityToPort, next on miss): a protected port receives frames for its own
// MACs (and its address pairs' MACs), broadcast and multicast; unknown unicast flooded to it for
// another MAC stops here.
import type { FieldMatch, FlowMod } from '@weir/openflow';
import { priority } from '../../pipeline/priorities.js';
import {
  DstPortKeyField,
  PortSecurityDisabledMark,
  SrcPortKeyField,
  matchRegister,
  setMark,
} from '../../pipeline/registers.js';
import {
  DhcpTable,
  PortSecurityFromPortTable,
  PortSecurityToPortTable,
  TrunkEgressTable,
} from '../../pipeline/tables.js';
import type { PortView } from '../../state/views.js';
import { addressMatch, isIpv6, linkLocalOf } from '../addresses.js';
import type { AppBuilders, LocalPort } from '../types.js';

const IPV4 = 0x0800;
const ARP = 0x0806;
const IPV6 = 0x86dd;
const UDP = 17;
const ICMPV6 = 58;
const ND_NEIGHBOR_SOLICIT = 135;
const MULTICAST = { field: 'eth_dst', value: '01:00:00:00:00:00', mask: '01:00:00:00:00:00' } as FieldMatch;

/** Each MAC the port may use, with the addresses (or prefixes) allowed with it. */
function identities(port: PortView): Map<string, string[]> {
  const byMac = new Map<string, string[]>([[port.mac, [...port.ips]]]);
  for (const pair of port.addressPairs) {
    const list = byMac.get(pair.mac) ?? [];
    list.push(pair.ip);
    byMac.set(pair.mac, list);
  }
  return byMac;
}

export function portSecurityFromPortFlows(b: AppBuilders, local: LocalPort): FlowMod[] {
  const { port } = local;
  const owner = { kind: 'port', key: port.key } as const;
  const src = matchRegister(SrcPortKeyField, port.key);
  const pass = (match: FieldMatch[], band: 'normal' | 'low' = 'normal'): FlowMod =>
    b['port-security'].flow({
      table: PortSecurityFromPortTable,
      priority: priority(band),
      owner,
      match: [src, ...match],
      goto: DhcpTable,
    });

  if (!port.portSecurity) {
    return [
      b['port-security'].flow({
        table: PortSecurityFromPortTable,
        priority: priority('low'),
        owner,
        match: [src],
        actions: [setMark(PortSecurityDisabledMark)],
        goto: DhcpTable,
      }),
    ];
  }

  const flows: FlowMod[] = [];
  for (const [mac, addresses] of identities(port)) {
    const fromMac = { field: 'eth_src', value: mac } as FieldMatch;
    for (const address of addresses) {
      if (isIpv6(address)) {
        flows.push(pass([fromMac, { field: 'eth_type', value: IPV6 }, addressMatch('ipv6_src', address)]));
      } else {
        flows.push(pass([fromMac, { field: 'eth_type', value: IPV4 }, addressMatch('ip_src', address)]));
        flows.push(
          pass([
            fromMac,
            { field: 'eth_type', value: ARP },
            addressMatch('arp_spa', address),
            { field: 'arp_sha', value: mac },
          ]),
        );
      }
    }
    // IPv6 neighbour discovery and router solicitation use the link-local address of the MAC.
    flows.push(
      pass([fromMac, { field: 'eth_type', value: IPV6 }, addressMatch('ipv6_src', linkLocalOf(mac))]),
    );
  }
  const ownMac = { field: 'eth_src', value: port.mac } as FieldMatch;
  // DHCP discovery before the port has an address.
  flows.push(
    pass([
      ownMac,
      { field: 'eth_type', value: IPV4 },
      { field: 'ip_src', value: '0.0.0.0' },
      { field: 'ip_dst', value: '255.255.255.255' },
      { field: 'nw_proto', value: UDP },
      { field: 'udp_src', value: 68 },
      { field: 'udp_dst', value: 67 },
    ]),
  );
  // ARP probes (address conflict detection) carry sender address 0.0.0.0.
  flows.push(
    pass([
      ownMac,
      { field: 'eth_type', value: ARP },
      { field: 'arp_spa', value: '0.0.0.0' },
      { field: 'arp_sha', value: port.mac },
    ]),
  );
  // IPv6 duplicate address detection: neighbour solicitations from the unspecified address.
  flows.push(
    pass([
      ownMac,
      { field: 'eth_type', value: IPV6 },
      { field: 'ipv6_src', value: '::' },
      { field: 'nw_proto', value: ICMPV6 },
      { field: 'icmpv6_type', value: ND_NEIGHBOR_SOLICIT },
    ]),
  );
  return flows;
}

export function portSecurityToPortFlows(b: AppBuilders, local: LocalPort): FlowMod[] {
  const { port } = local;
  if (!port.portSecurity) return [];
  const owner = { kind: 'port', key: port.key } as const;
  const dst = matchRegister(DstPortKeyField, port.key);
  const flows: FlowMod[] = [...identities(port).keys()].map((mac) =>
    b['port-security'].flow({
      table: PortSecurityToPortTable,
      priority: priority('normal'),
      owner,
      match: [dst, { field: 'eth_dst', value: mac }],
      goto: TrunkEgressTable,
    }),
  );
  flows.push(
    b['port-security'].flow({
      table: PortSecurityToPortTable,
      priority: priority('normal'),
      owner,
      match: [dst, MULTICAST],
      goto: TrunkEgressTable,
    }),
    // Anything else for this port (unknown unicast flooded to it) is dropped.
    b['port-security'].flow({
      table: PortSecurityToPortTable,
      priority: priority('low'),
      owner,
      match: [dst],
    }),
  );
  return flows;
}
