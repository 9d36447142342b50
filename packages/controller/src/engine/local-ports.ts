// localPorts: the ports this chassis serves — bound here (binding:host_id = this chassis), admin
// up, and plugged (an interface on br-int carries the port id as iface-id and has an OpenFlow
// port). A port plugged here but bound elsewhere (or unbound) is NOT served: the binding in the
// northbound model decides where a port lives, never the plug (no split brain when a port is
// plugged on two nodes; see docs/adr/0011-local-controller.md).
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
import type { LocalPort, Settings } from '../apps/types.js';
import { samePort, type PortView } from '../state/views.js';

export interface LocalPorts {
  readonly byPort: Map<string, LocalPort>;
  /** network id → its local ports by id. */
  readonly byNetwork: Map<string, Map<string, LocalPort>>;
}

const slots = {
  ports: slot<ReadonlyMap<string, PortView>, KeyedChanges<string, PortView>>(),
  interfaces: slot<ReadonlyMap<string, number>, KeyedChanges<string, number>>(),
  settings: slot<Settings, ValueChange<Settings>>(),
};
type Slots = typeof slots;
type Changes = KeyedChanges<string, LocalPort>;

export function sameLocalPort(a: LocalPort, b: LocalPort): boolean {
  return a.ofport === b.ofport && samePort(a.port, b.port);
}

export const localPortsNode = defineNode({
  name: 'localPorts',
  inputs: slots,
  changes: () => new KeyedChanges<string, LocalPort>(),
  recompute: (inputs: InputsData<Slots>): LocalPorts => {
    const data: LocalPorts = { byPort: new Map(), byNetwork: new Map() };
    for (const id of inputs.interfaces.keys()) place(data, localPortOf(id, inputs));
    return data;
  },
  // Settings (the chassis name) change only at start: recompute.
  handlers: { ports: localPortsOnPorts, interfaces: localPortsOnInterfaces },
  diff: (before, after, out) => diffMaps(before.byPort, after.byPort, out, sameLocalPort),
});

function localPortsOnPorts(args: HandlerArgs<Slots, LocalPorts, Changes, 'ports'>): HandlerResult {
  for (const id of args.changes.keys()) update(args, id);
  return 'handled';
}

function localPortsOnInterfaces(args: HandlerArgs<Slots, LocalPorts, Changes, 'interfaces'>): HandlerResult {
  for (const id of args.changes.keys()) update(args, id);
  return 'handled';
}

function update(
  { inputs, data, out }: { inputs: InputsData<Slots>; data: LocalPorts; out: Changes },
  id: string,
): void {
  const old = data.byPort.get(id);
  const next = localPortOf(id, inputs);
  if (old !== undefined && next !== undefined && sameLocalPort(old, next)) return;
  if (old !== undefined) unplace(data, old);
  place(data, next);
  out.record(id, old, next);
}

function localPortOf(id: string, inputs: InputsData<Slots>): LocalPort | undefined {
  const port = inputs.ports.get(id);
  const ofport = inputs.interfaces.get(id);
  if (port === undefined || ofport === undefined) return undefined;
  if (port.hostId !== inputs.settings.chassis || !port.adminUp) return undefined;
  return { port, ofport };
}

function place(data: LocalPorts, local: LocalPort | undefined): void {
  if (local === undefined) return;
  data.byPort.set(local.port.id, local);
  let members = data.byNetwork.get(local.port.networkId);
  if (members === undefined)
    data.byNetwork.set(local.port.networkId, (members = new Map<string, LocalPort>()));
  members.set(local.port.id, local);
}

function unplace(data: LocalPorts, local: LocalPort): void {
  data.byPort.delete(local.port.id);
  const members = data.byNetwork.get(local.port.networkId);
  members?.delete(local.port.id);
  if (members?.size === 0) data.byNetwork.delete(local.port.networkId);
}
