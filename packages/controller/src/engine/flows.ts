// flows: the desired flows of this chassis, by owner (the object whose key is in their cookies).
// The installer diffs what it installed against this, owner by owner.
//
// What each change revisits (docs/adr/0011-local-controller.md):
//   a local or remote port  → that port's owner, and its network's owner (flood membership)
//   a network               → the network's owner and the owners of its ports (they carry its key
//                             and VNI): O(ports of that network)
//   a chassis               → that chassis' owner (tunnel admission); its ports arrive through
//                             remotePorts, which revisits them
//   settings (start only)   → everything (no handler: a recompute)
import {
  KeyedChanges,
  defineNode,
  diffMaps,
  slot,
  type HandlerArgs,
  type HandlerResult,
  type InputsData,
  type ValueChange,
} from '@weir/engine';
import {
  chassisFlows,
  localPortFlows,
  missFlowsByTable,
  networkFlows,
  remotePortFlows,
  type OwnerFlows,
} from '../apps/compose.js';
import type { LocalPort, RemotePort, Settings } from '../apps/types.js';
import type { ChassisView, NetworkView } from '../state/views.js';
import type { LocalPorts } from './local-ports.js';
import { sameOwnerFlows } from './owner-flows.js';
import type { RemotePorts } from './remote-ports.js';

export interface DesiredFlows {
  /** `port:<key>`, `network:<key>`, `chassis:<key>`, `table:<id>` → its flows and groups. */
  readonly owners: Map<string, OwnerFlows>;
  /** Which owner each object's flows are under now (to find them when the object goes). */
  readonly ownerOfPort: Map<string, string>;
  readonly ownerOfNetwork: Map<string, string>;
  readonly ownerOfChassis: Map<string, string>;
}

const slots = {
  localPorts: slot<LocalPorts, KeyedChanges<string, LocalPort>>(),
  remotePorts: slot<RemotePorts, KeyedChanges<string, RemotePort>>(),
  networks: slot<ReadonlyMap<string, NetworkView>, KeyedChanges<string, NetworkView>>(),
  chassis: slot<ReadonlyMap<string, ChassisView>, KeyedChanges<string, ChassisView>>(),
  settings: slot<Settings, ValueChange<Settings>>(),
};
type Slots = typeof slots;
type Changes = KeyedChanges<string, OwnerFlows>;
type State = { inputs: InputsData<Slots>; data: DesiredFlows; out: Changes };

export const flowsNode = defineNode({
  name: 'flows',
  inputs: slots,
  changes: () => new KeyedChanges<string, OwnerFlows>(),
  recompute: (inputs: InputsData<Slots>): DesiredFlows => {
    const data: DesiredFlows = {
      owners: new Map(),
      ownerOfPort: new Map(),
      ownerOfNetwork: new Map(),
      ownerOfChassis: new Map(),
    };
    for (const [table, flows] of missFlowsByTable(inputs.settings)) data.owners.set(`table:${table}`, flows);
    // `out` is only read by handlers; recompute's changes come from the diff.
    const state: State = { inputs, data, out: new KeyedChanges() };
    for (const id of inputs.localPorts.byPort.keys()) refreshPort(state, id);
    for (const id of inputs.remotePorts.byPort.keys()) refreshPort(state, id);
    for (const id of inputs.localPorts.byNetwork.keys()) refreshNetwork(state, id);
    for (const name of inputs.chassis.keys()) refreshChassis(state, name);
    return data;
  },
  handlers: {
    localPorts: flowsOnPortChanges,
    remotePorts: flowsOnPortChanges,
    networks: flowsOnNetworks,
    chassis: flowsOnChassis,
  },
  diff: (before, after, out) => diffMaps(before.owners, after.owners, out, sameOwnerFlows),
});

function flowsOnPortChanges(
  args:
    | HandlerArgs<Slots, DesiredFlows, Changes, 'localPorts'>
    | HandlerArgs<Slots, DesiredFlows, Changes, 'remotePorts'>,
): HandlerResult {
  const networks = new Set<string>();
  for (const change of args.changes) {
    refreshPort(args, change.key);
    // The flood groups depend on which ports are local and which chassis have ports — not on a
    // port's addresses: an update that keeps that does not touch its network's owner.
    if (change.kind === 'updated' && floodKey(change.old) === floodKey(change.value)) continue;
    if (change.kind !== 'added') networks.add(change.old.port.networkId);
    if (change.kind !== 'removed') networks.add(change.value.port.networkId);
  }
  for (const id of networks) refreshNetwork(args, id);
  return 'handled';
}

/** What a port contributes to its network's flood groups. */
function floodKey(p: LocalPort | RemotePort): string {
  return 'ofport' in p
    ? `local:${p.port.networkId}:${p.port.key}`
    : `remote:${p.port.networkId}:${p.chassis.name}:${p.chassis.tunnelIp}:${p.chassis.tunnelTypes.join(',')}`;
}

function flowsOnNetworks(args: HandlerArgs<Slots, DesiredFlows, Changes, 'networks'>): HandlerResult {
  const { inputs } = args;
  for (const id of args.changes.keys()) {
    refreshNetwork(args, id);
    for (const port of inputs.localPorts.byNetwork.get(id)?.keys() ?? []) refreshPort(args, port);
    for (const port of inputs.remotePorts.byNetwork.get(id)?.keys() ?? []) refreshPort(args, port);
  }
  return 'handled';
}

function flowsOnChassis(args: HandlerArgs<Slots, DesiredFlows, Changes, 'chassis'>): HandlerResult {
  for (const name of args.changes.keys()) refreshChassis(args, name);
  return 'handled';
}

/** Puts `flows` under `owner` (or removes the owner when undefined), recording the change. */
function setOwner(
  { data, out }: State,
  index: Map<string, string>,
  id: string,
  owner: string | undefined,
  flows: OwnerFlows | undefined,
): void {
  const previousOwner = index.get(id);
  const nextOwner = flows === undefined ? undefined : owner;
  if (previousOwner !== undefined && previousOwner !== nextOwner) {
    const old = data.owners.get(previousOwner);
    data.owners.delete(previousOwner);
    index.delete(id);
    if (old !== undefined) out.record(previousOwner, old, undefined);
  }
  if (nextOwner === undefined || flows === undefined) return;
  const old = data.owners.get(nextOwner);
  index.set(id, nextOwner);
  if (old !== undefined && sameOwnerFlows(old, flows)) return;
  data.owners.set(nextOwner, flows);
  out.record(nextOwner, old, flows);
}

function refreshPort(state: State, id: string): void {
  const { inputs } = state;
  const local = inputs.localPorts.byPort.get(id);
  const remote = local === undefined ? inputs.remotePorts.byPort.get(id) : undefined;
  const port = local?.port ?? remote?.port;
  const network = port === undefined ? undefined : inputs.networks.get(port.networkId);
  let flows: OwnerFlows | undefined;
  if (network !== undefined && local !== undefined) flows = localPortFlows(local, network, inputs.settings);
  else if (network !== undefined && remote !== undefined)
    flows = remotePortFlows(remote, network, inputs.settings);
  if (flows !== undefined && flows.flows.length === 0) flows = undefined;
  setOwner(state, state.data.ownerOfPort, id, port === undefined ? undefined : `port:${port.key}`, flows);
}

function refreshNetwork(state: State, id: string): void {
  const { inputs } = state;
  const network = inputs.networks.get(id);
  const locals = inputs.localPorts.byNetwork.get(id);
  // A network without local ports has nothing to deliver here: no flows.
  const flows =
    network === undefined || locals === undefined
      ? undefined
      : networkFlows(
          network,
          {
            localPorts: locals.values(),
            chassis: [...(inputs.remotePorts.chassisByNetwork.get(id)?.values() ?? [])].map((c) => c.chassis),
          },
          inputs.settings,
        );
  setOwner(
    state,
    state.data.ownerOfNetwork,
    id,
    network === undefined ? undefined : `network:${network.key}`,
    flows,
  );
}

function refreshChassis(state: State, name: string): void {
  const { inputs } = state;
  const chassis = inputs.chassis.get(name);
  const isOther = chassis !== undefined && name !== inputs.settings.chassis;
  const flows = isOther ? chassisFlows(chassis, inputs.settings) : undefined;
  setOwner(
    state,
    state.data.ownerOfChassis,
    name,
    isOther ? `chassis:${chassis.key}` : undefined,
    flows && flows.flows.length > 0 ? flows : undefined,
  );
}
