// localPortsByNetwork: the ports bound on this chassis, by port and by network. Both handlers
// revisit only the ports named in the changes.
import {
  KeyedChanges,
  defineNode,
  diffMaps,
  slot,
  type HandlerArgs,
  type HandlerResult,
  type InputsData,
} from '../../src/index.js';
import { samePort, type Port } from './model.js';

export interface LocalPort {
  readonly port: Port;
  readonly ofport: number;
}

export interface LocalPorts {
  readonly byPort: Map<string, LocalPort>;
  readonly byNetwork: Map<string, Map<string, LocalPort>>;
}

const slots = {
  ports: slot<ReadonlyMap<string, Port>, KeyedChanges<string, Port>>(),
  localBindings: slot<ReadonlyMap<string, number>, KeyedChanges<string, number>>(),
};
type Slots = typeof slots;
type Changes = KeyedChanges<string, LocalPort>;

export const localPortsByNetworkNode = defineNode({
  name: 'localPortsByNetwork',
  inputs: slots,
  changes: () => new KeyedChanges<string, LocalPort>(),
  recompute: (inputs: InputsData<Slots>): LocalPorts => {
    const data: LocalPorts = { byPort: new Map(), byNetwork: new Map() };
    for (const id of inputs.localBindings.keys()) place(data, id, localPortOf(id, inputs));
    return data;
  },
  handlers: {
    ports: localPortsByNetworkOnPorts,
    localBindings: localPortsByNetworkOnLocalBindings,
  },
  diff: (before, after, out) => diffMaps(before.byPort, after.byPort, out, sameLocalPort),
});

function localPortsByNetworkOnPorts(args: HandlerArgs<Slots, LocalPorts, Changes, 'ports'>): HandlerResult {
  for (const id of args.changes.keys()) update(args, id);
  return 'handled';
}

function localPortsByNetworkOnLocalBindings(
  args: HandlerArgs<Slots, LocalPorts, Changes, 'localBindings'>,
): HandlerResult {
  for (const id of args.changes.keys()) update(args, id);
  return 'handled';
}

function update(
  { inputs, data, out }: { inputs: InputsData<Slots>; data: LocalPorts; out: Changes },
  id: string,
) {
  const old = data.byPort.get(id);
  const next = localPortOf(id, inputs);
  if (old !== undefined && next !== undefined && sameLocalPort(old, next)) return;
  if (old !== undefined) unplace(data, old);
  place(data, id, next);
  out.record(id, old, next);
}

/** A port is local when it exists and an interface on this chassis is bound to it. */
function localPortOf(id: string, inputs: InputsData<Slots>): LocalPort | undefined {
  const port = inputs.ports.get(id);
  const ofport = inputs.localBindings.get(id);
  return port === undefined || ofport === undefined ? undefined : { port, ofport };
}

function place(data: LocalPorts, id: string, local: LocalPort | undefined): void {
  if (local === undefined) return;
  data.byPort.set(id, local);
  let members = data.byNetwork.get(local.port.network);
  if (members === undefined) data.byNetwork.set(local.port.network, (members = new Map<string, LocalPort>()));
  members.set(id, local);
}

function unplace(data: LocalPorts, local: LocalPort): void {
  data.byPort.delete(local.port.id);
  const members = data.byNetwork.get(local.port.network);
  members?.delete(local.port.id);
  if (members?.size === 0) data.byNetwork.delete(local.port.network);
}

export function sameLocalPort(a: LocalPort, b: LocalPort): boolean {
  return a.ofport === b.ofport && samePort(a.port, b.port);
}
