// The tunneling app: Geneve or VXLAN (the network's type), VNI = the network's segmentation id.
// In: (tunnel port, VNI) → network key, marked FromTunnel. Out: a port on another chassis gets that
// chassis' tunnel endpoint and the VNI — never for a packet that came from a tunnel (split horizon).
import type { Action, FlowMod } from '@weir/openflow';
import { priority } from '../../pipeline/priorities.js';
import {
  DstPortKeyField,
  FromTunnelMark,
  NetworkKeyField,
  loadRegister,
  matchNoMark,
  matchRegister,
  setMark,
} from '../../pipeline/registers.js';
import { L2LookupTable, TunnelIngressTable, TunnelOutputTable } from '../../pipeline/tables.js';
import type { ChassisView, NetworkView } from '../../state/views.js';
import { tunnelFor, type AppBuilders, type RemotePort, type Settings } from '../types.js';

export function tunnelIngressFlows(b: AppBuilders, network: NetworkView, settings: Settings): FlowMod[] {
  const tunnel = tunnelFor(network, settings);
  if (tunnel === undefined) return [];
  return [
    b.tunneling.flow({
      table: TunnelIngressTable,
      priority: priority('normal'),
      owner: { kind: 'network', key: network.key },
      match: [
        { field: 'in_port', value: tunnel.ofport },
        { field: 'tun_id', value: tunnel.vni },
      ],
      actions: [loadRegister(NetworkKeyField, network.key), setMark(FromTunnelMark)],
      goto: L2LookupTable,
    }),
  ];
}

/** The tunnel metadata and port that reach `chassis`; undefined when it lacks the network's type. */
export function tunnelToChassisActions(
  chassis: ChassisView,
  network: NetworkView,
  settings: Settings,
): Action[] | undefined {
  const tunnel = tunnelFor(network, settings);
  if (tunnel === undefined || !chassis.tunnelTypes.includes(tunnel.type)) return undefined;
  return [
    { type: 'set_field', field: 'tun_dst', value: chassis.tunnelIp },
    { type: 'set_field', field: 'tun_id', value: tunnel.vni },
    { type: 'output', port: tunnel.ofport },
  ];
}

export function tunnelOutputFlows(
  b: AppBuilders,
  remote: RemotePort,
  network: NetworkView,
  settings: Settings,
): FlowMod[] {
  const actions = tunnelToChassisActions(remote.chassis, network, settings);
  if (actions === undefined) return [];
  return [
    b.tunneling.flow({
      table: TunnelOutputTable,
      priority: priority('normal'),
      owner: { kind: 'port', key: remote.port.key },
      match: [matchRegister(DstPortKeyField, remote.port.key), matchNoMark(FromTunnelMark)],
      actions,
    }),
  ];
}
