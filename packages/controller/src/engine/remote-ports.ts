// remotePorts: the ports of subscribed networks that live on another chassis — bound to it, admin
// up, and that chassis alive (registered). Their packets leave through a tunnel to it, and the
// chassis that have ports on a network are the flood group's remote buckets.
//
// Why the node also indexes every port by host (live or not): when a chassis appears, disappears
// or moves its tunnel endpoint, exactly its ports must be revisited — an index keeps that
// O(ports on that chassis) instead of a scan of every port.
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
import type { RemotePort, Settings } from '../apps/types.js';
import { sameChassis, samePort, type ChassisView, type PortView } from '../state/views.js';

export interface ChassisOnNetwork {
  readonly chassis: ChassisView;
  /** How many of its ports are on the network. */
  count: number;
}

export interface RemotePorts {
  readonly byPort: Map<string, RemotePort>;
  /** network id → its remote ports by id. */
  readonly byNetwork: Map<string, Map<string, RemotePort>>;
  /** network id → chassis name → that chassis and its number of ports on the network. */
  readonly chassisByNetwork: Map<string, Map<string, ChassisOnNetwork>>;
  /** host name → ids of the ports bound to it (whether the chassis is alive or not). */
  readonly byHost: Map<string, Set<string>>;
}

const slots = {
  ports: slot<ReadonlyMap<string, PortView>, KeyedChanges<string, PortView>>(),
  chassis: slot<ReadonlyMap<string, ChassisView>, KeyedChanges<string, ChassisView>>(),
  settings: slot<Settings, ValueChange<Settings>>(),
};
type Slots = typeof slots;
type Changes = KeyedChanges<string, RemotePort>;
type State = { inputs: InputsData<Slots>; data: RemotePorts; out: Changes };

export function sameRemotePort(a: RemotePort, b: RemotePort): boolean {
  return samePort(a.port, b.port) && sameChassis(a.chassis, b.chassis);
}

export const remotePortsNode = defineNode({
  name: 'remotePorts',
  inputs: slots,
  changes: () => new KeyedChanges<string, RemotePort>(),
  recompute: (inputs: InputsData<Slots>): RemotePorts => {
    const data: RemotePorts = {
      byPort: new Map(),
      byNetwork: new Map(),
      chassisByNetwork: new Map(),
      byHost: new Map(),
    };
    for (const port of inputs.ports.values()) {
      indexHost(data, port, inputs.settings.chassis);
      place(data, remotePortOf(port, inputs));
    }
    return data;
  },
  handlers: { ports: remotePortsOnPorts, chassis: remotePortsOnChassis },
  diff: (before, after, out) => diffMaps(before.byPort, after.byPort, out, sameRemotePort),
});

function remotePortsOnPorts(args: HandlerArgs<Slots, RemotePorts, Changes, 'ports'>): HandlerResult {
  const me = args.inputs.settings.chassis;
  for (const change of args.changes) {
    if (change.kind !== 'added') unindexHost(args.data, change.old, me);
    if (change.kind !== 'removed') indexHost(args.data, change.value, me);
    update(args, change.key);
  }
  return 'handled';
}

function remotePortsOnChassis(args: HandlerArgs<Slots, RemotePorts, Changes, 'chassis'>): HandlerResult {
  for (const name of args.changes.keys()) {
    for (const id of args.data.byHost.get(name) ?? []) update(args, id);
  }
  return 'handled';
}

function update({ inputs, data, out }: State, id: string): void {
  const old = data.byPort.get(id);
  const port = inputs.ports.get(id);
  const next = port === undefined ? undefined : remotePortOf(port, inputs);
  if (old !== undefined && next !== undefined && sameRemotePort(old, next)) return;
  if (old !== undefined) unplace(data, old);
  place(data, next);
  out.record(id, old, next);
}

function remotePortOf(port: PortView, inputs: InputsData<Slots>): RemotePort | undefined {
  if (port.hostId === '' || port.hostId === inputs.settings.chassis || !port.adminUp) return undefined;
  const chassis = inputs.chassis.get(port.hostId);
  return chassis === undefined ? undefined : { port, chassis };
}

function indexHost(data: RemotePorts, port: PortView, me: string): void {
  if (port.hostId === '' || port.hostId === me) return;
  let ids = data.byHost.get(port.hostId);
  if (ids === undefined) data.byHost.set(port.hostId, (ids = new Set()));
  ids.add(port.id);
}

function unindexHost(data: RemotePorts, port: PortView, me: string): void {
  if (port.hostId === '' || port.hostId === me) return;
  const ids = data.byHost.get(port.hostId);
  ids?.delete(port.id);
  if (ids?.size === 0) data.byHost.delete(port.hostId);
}

function place(data: RemotePorts, remote: RemotePort | undefined): void {
  if (remote === undefined) return;
  const { port, chassis } = remote;
  data.byPort.set(port.id, remote);
  let members = data.byNetwork.get(port.networkId);
  if (members === undefined) data.byNetwork.set(port.networkId, (members = new Map<string, RemotePort>()));
  members.set(port.id, remote);
  let hosts = data.chassisByNetwork.get(port.networkId);
  if (hosts === undefined)
    data.chassisByNetwork.set(port.networkId, (hosts = new Map<string, ChassisOnNetwork>()));
  const entry = hosts.get(chassis.name);
  // Every port of a chassis is placed with the chassis' current view, so the latest one wins.
  hosts.set(chassis.name, { chassis, count: (entry?.count ?? 0) + 1 });
}

function unplace(data: RemotePorts, remote: RemotePort): void {
  const { port, chassis } = remote;
  data.byPort.delete(port.id);
  const members = data.byNetwork.get(port.networkId);
  members?.delete(port.id);
  if (members?.size === 0) data.byNetwork.delete(port.networkId);
  const hosts = data.chassisByNetwork.get(port.networkId);
  const entry = hosts?.get(chassis.name);
  if (hosts === undefined || entry === undefined) return;
  if (entry.count <= 1) hosts.delete(chassis.name);
  else entry.count--;
  if (hosts.size === 0) data.chassisByNetwork.delete(port.networkId);
}
