// The L2 app: destination MAC on a network → destination port, and head-end replication of
// broadcast, multicast and unknown unicast to exactly the ports and chassis of the network.
//
// Lookup (L2Lookup): a local port's MACs (its own and its address pairs') continue to the egress
// tables; a remote port's go to TunnelOutput, which refuses packets that came from a tunnel.
// Anything else (broadcast, multicast, unknown unicast) misses into Flood.
//
// Flood: two groups per network — why two: a packet from a tunnel must reach only the local ports
// (the sending chassis replicated to the other chassis itself), and an OpenFlow group cannot skip
// buckets by a register. Group ids come from the network key (every chassis and every run agree,
// so a restart modifies a group in place instead of re-pointing flows at a new id):
//   key              every local port + one bucket per other chassis with ports on the network
//   key | LOCAL_BIT  every local port only
import type { Action, FlowMod } from '@weir/openflow';
import type { OwnedGroup } from '../../flows/builder.js';
import { resubmit } from '../../flows/actions.js';
import { priority } from '../../pipeline/priorities.js';
import {
  DstPortKeyField,
  FromTunnelMark,
  NetworkKeyField,
  loadRegister,
  matchMark,
  matchNoMark,
  matchRegister,
} from '../../pipeline/registers.js';
import { ConntrackToPortTable, FloodTable, L2LookupTable, TunnelOutputTable } from '../../pipeline/tables.js';
import type { ChassisView, NetworkView, PortView } from '../../state/views.js';
import { tunnelToChassisActions } from '../tunneling/flows.js';
import type { AppBuilders, LocalPort, Settings } from '../types.js';

/** The bit that tells a network's local-only flood group from its full one. */
export const FLOOD_LOCAL_BIT = 0x8000_0000;
/** Group ids above this are reserved by OpenFlow (OFPG_MAX = 0xffffff00). */
const MAX_NETWORK_KEY_FOR_GROUPS = 0x7fff_ff00;

export function floodGroupIds(network: NetworkView): { all: number; local: number } | undefined {
  if (network.key === 0 || network.key >= MAX_NETWORK_KEY_FOR_GROUPS) return undefined;
  return { all: network.key, local: (network.key | FLOOD_LOCAL_BIT) >>> 0 };
}

function macs(port: PortView): string[] {
  return [...new Set([port.mac, ...port.addressPairs.map((p) => p.mac)])];
}

function lookupFlows(b: AppBuilders, port: PortView, network: NetworkView, remote: boolean): FlowMod[] {
  return macs(port).map((mac) =>
    b.l2.flow({
      table: L2LookupTable,
      priority: priority('normal'),
      owner: { kind: 'port', key: port.key },
      match: [matchRegister(NetworkKeyField, network.key), { field: 'eth_dst', value: mac }],
      actions: [loadRegister(DstPortKeyField, port.key)],
      goto: remote ? TunnelOutputTable : ConntrackToPortTable,
    }),
  );
}

export function l2LocalPortFlows(b: AppBuilders, local: LocalPort, network: NetworkView): FlowMod[] {
  return lookupFlows(b, local.port, network, false);
}

export function l2RemotePortFlows(b: AppBuilders, port: PortView, network: NetworkView): FlowMod[] {
  return lookupFlows(b, port, network, true);
}

export interface FloodMembers {
  /** Local ports of the network, in any order (buckets are sorted by port key). */
  readonly localPorts: Iterable<LocalPort>;
  /** Other chassis with at least one port on the network. */
  readonly chassis: Iterable<ChassisView>;
}

export interface NetworkFloodFlows {
  readonly flows: FlowMod[];
  readonly groups: OwnedGroup[];
}

export function floodFlows(
  b: AppBuilders,
  network: NetworkView,
  members: FloodMembers,
  settings: Settings,
): NetworkFloodFlows {
  const ids = floodGroupIds(network);
  if (ids === undefined) return { flows: [], groups: [] };
  const owner = { kind: 'network', key: network.key } as const;
  const toLocal = [...members.localPorts]
    .sort((x, y) => x.port.key - y.port.key)
    .map((l) => ({ actions: [loadRegister(DstPortKeyField, l.port.key), resubmit(ConntrackToPortTable)] }));
  const toChassis: { actions: Action[] }[] = [];
  for (const chassis of [...members.chassis].sort((x, y) => (x.name < y.name ? -1 : 1))) {
    const actions = tunnelToChassisActions(chassis, network, settings);
    if (actions !== undefined) toChassis.push({ actions });
  }
  const groups = [
    b.l2.group({
      table: FloodTable,
      owner,
      groupId: ids.all,
      groupType: 'all',
      buckets: [...toLocal, ...toChassis],
    }),
    b.l2.group({ table: FloodTable, owner, groupId: ids.local, groupType: 'all', buckets: toLocal }),
  ];
  const net = matchRegister(NetworkKeyField, network.key);
  const flows = [
    b.l2.flow({
      table: FloodTable,
      priority: priority('normal'),
      owner,
      match: [net, matchNoMark(FromTunnelMark)],
      actions: [{ type: 'group', groupId: ids.all }],
    }),
    b.l2.flow({
      table: FloodTable,
      priority: priority('normal'),
      owner,
      match: [net, matchMark(FromTunnelMark)],
      actions: [{ type: 'group', groupId: ids.local }],
    }),
  ];
  return { flows, groups };
}
