// The classifier app: the only place (with the output table) that knows OpenFlow port numbers.
// In: a local port's in_port becomes its port key and network key; a tunnel port's packets go to
// TunnelIngress only when their outer source is a chassis we know. Out: a destination port key
// becomes the local port's OpenFlow port.
import type { FlowMod } from '@weir/openflow';
import { priority } from '../../pipeline/priorities.js';
import {
  DstPortKeyField,
  NetworkKeyField,
  SrcPortKeyField,
  loadRegister,
  matchRegister,
} from '../../pipeline/registers.js';
import {
  ClassifierTable,
  LocalOutputTable,
  TrunkIngressTable,
  TunnelIngressTable,
} from '../../pipeline/tables.js';
import type { ChassisView, NetworkView } from '../../state/views.js';
import type { AppBuilders, LocalPort, Settings } from '../types.js';

/** in_port → (source port key, network key), and destination port key → output. */
export function classifierPortFlows(b: AppBuilders, local: LocalPort, network: NetworkView): FlowMod[] {
  const owner = { kind: 'port', key: local.port.key } as const;
  return [
    b.classifier.flow({
      table: ClassifierTable,
      priority: priority('normal'),
      owner,
      match: [{ field: 'in_port', value: local.ofport }],
      actions: [loadRegister(SrcPortKeyField, local.port.key), loadRegister(NetworkKeyField, network.key)],
      goto: TrunkIngressTable,
    }),
    b.classifier.flow({
      table: LocalOutputTable,
      priority: priority('normal'),
      owner,
      match: [matchRegister(DstPortKeyField, local.port.key)],
      actions: [{ type: 'output', port: local.ofport }],
    }),
  ];
}

/**
 * Tunnel packets from `chassis` (one flow per tunnel type both ends have) go on to TunnelIngress.
 * A packet from an address that is not a live chassis matches nothing here and is dropped.
 */
export function classifierChassisFlows(b: AppBuilders, chassis: ChassisView, settings: Settings): FlowMod[] {
  const flows: FlowMod[] = [];
  for (const type of chassis.tunnelTypes) {
    const ofport = settings.tunnelPorts[type];
    if (ofport === undefined) continue;
    flows.push(
      b.classifier.flow({
        table: ClassifierTable,
        priority: priority('normal'),
        owner: { kind: 'chassis', key: chassis.key },
        match: [
          { field: 'in_port', value: ofport },
          { field: 'tun_src', value: chassis.tunnelIp },
        ],
        goto: TunnelIngressTable,
      }),
    );
  }
  return flows;
}
