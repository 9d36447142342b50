// Which apps contribute to which owner's flows. An owner is the northbound object the flows exist
// for (its key is in their cookies): every flow below belongs to exactly one owner, so deleting
// the object deletes exactly its flows, and a change to it rebuilds only its own.
//
//   port (local)   classifier in/out, port security both ways, L2 lookup, ARP answers
//   port (remote)  L2 lookup towards the tunnel, tunnel output, ARP answers
//   network        tunnel ingress (VNI → network), flood flows and groups
//   chassis        the classifier's admission of tunnel packets from that chassis
//   table          the declared miss flows
import type { FlowMod } from '@weir/openflow';
import type { OwnedGroup } from '../flows/builder.js';
import { encodeFlow, encodeGroup, type EncodedFlow, type EncodedGroup } from '../flows/identity.js';
import { missFlows } from '../flows/miss.js';
import type { ChassisView, NetworkView } from '../state/views.js';
import { arpResponderFlows } from './arp-responder/flows.js';
import { classifierChassisFlows, classifierPortFlows } from './classifier/flows.js';
import { floodFlows, l2LocalPortFlows, l2RemotePortFlows, type FloodMembers } from './l2/flows.js';
import { portSecurityFromPortFlows, portSecurityToPortFlows } from './port-security/flows.js';
import { tunnelIngressFlows, tunnelOutputFlows } from './tunneling/flows.js';
import { appBuilders, type LocalPort, type RemotePort, type Settings } from './types.js';

/** The flows and groups of one owner, encoded as the switch receives them (flows/identity.ts). */
export interface OwnerFlows {
  readonly flows: readonly EncodedFlow[];
  readonly groups: readonly EncodedGroup[];
}

export const NO_FLOWS: OwnerFlows = { flows: [], groups: [] };

/** Encodes what the apps built: the objects are garbage right after, the bytes are kept. */
function owned(flows: readonly FlowMod[], groups: readonly OwnedGroup[] = []): OwnerFlows {
  return { flows: flows.map(encodeFlow), groups: groups.map((g) => encodeGroup(g.mod)) };
}

export function localPortFlows(local: LocalPort, network: NetworkView, settings: Settings): OwnerFlows {
  const b = appBuilders(settings.generation);
  return owned([
    ...classifierPortFlows(b, local, network),
    ...portSecurityFromPortFlows(b, local),
    ...arpResponderFlows(b, local.port, network, { local: true }),
    ...l2LocalPortFlows(b, local, network),
    ...portSecurityToPortFlows(b, local),
  ]);
}

export function remotePortFlows(remote: RemotePort, network: NetworkView, settings: Settings): OwnerFlows {
  const b = appBuilders(settings.generation);
  const tunnel = tunnelOutputFlows(b, remote, network, settings);
  // Without a tunnel to its chassis the port is unreachable from here: no lookup, no ARP answer
  // (a packet for it floods, and reaches it if the chassis is in the flood group).
  if (tunnel.length === 0) return NO_FLOWS;
  return owned([
    ...arpResponderFlows(b, remote.port, network, { local: false }),
    ...l2RemotePortFlows(b, remote.port, network),
    ...tunnel,
  ]);
}

export function networkFlows(network: NetworkView, members: FloodMembers, settings: Settings): OwnerFlows {
  const b = appBuilders(settings.generation);
  const flood = floodFlows(b, network, members, settings);
  return owned([...tunnelIngressFlows(b, network, settings), ...flood.flows], flood.groups);
}

export function chassisFlows(chassis: ChassisView, settings: Settings): OwnerFlows {
  return owned(classifierChassisFlows(appBuilders(settings.generation), chassis, settings));
}

/** The miss flow of every table, each its own owner (`table:<number>`). */
export function missFlowsByTable(settings: Settings): Map<number, OwnerFlows> {
  return new Map(missFlows(settings.generation).map((f) => [f.tableId, owned([f])]));
}
