// flows: the desired flows of this chassis as text, keyed by owner (`port:<id>`, `net:<id>`), as
// an app would compute them. A port change rewrites its own flows and its network's flood flow;
// a network change rewrites the flows of its local ports; an encap change has no handler.
import {
  KeyedChanges,
  defineNode,
  diffMaps,
  slot,
  type HandlerArgs,
  type HandlerResult,
  type InputsData,
  type ValueChange,
} from '../../src/index.js';
import type { LocalPort, LocalPorts } from './local-ports.js';
import type { Encap, Network } from './model.js';

export type Flows = Map<string, readonly string[]>;

const slots = {
  localPorts: slot<LocalPorts, KeyedChanges<string, LocalPort>>(),
  networks: slot<ReadonlyMap<string, Network>, KeyedChanges<string, Network>>(),
  encap: slot<Encap, ValueChange<Encap>>(),
};
type Slots = typeof slots;
type Changes = KeyedChanges<string, readonly string[]>;
type Args<K extends keyof Slots> = HandlerArgs<Slots, Flows, Changes, K>;

export const flowsNode = defineNode({
  name: 'flows',
  inputs: slots,
  changes: () => new KeyedChanges<string, readonly string[]>(),
  recompute: (inputs: InputsData<Slots>): Flows => {
    const flows: Flows = new Map();
    const owners = [...inputs.localPorts.byPort.keys()].map(portOwner);
    owners.push(...[...inputs.localPorts.byNetwork.keys()].map(networkOwner));
    for (const owner of owners) {
      const text = flowsOf(owner, inputs);
      if (text !== undefined) flows.set(owner, text);
    }
    return flows;
  },
  // No handler for encap: it changes rarely and touches every flood flow; the diff keeps the
  // consumer incremental anyway.
  handlers: { localPorts: flowsOnLocalPorts, networks: flowsOnNetworks },
  diff: (before, after, out) => diffMaps(before, after, out, sameFlows),
});

function flowsOnLocalPorts({ changes, inputs, data, out }: Args<'localPorts'>): HandlerResult {
  const owners = new Set<string>();
  for (const change of changes) {
    owners.add(portOwner(change.key));
    if (change.kind !== 'added') owners.add(networkOwner(change.old.port.network));
    if (change.kind !== 'removed') owners.add(networkOwner(change.value.port.network));
  }
  for (const owner of owners) refresh(owner, inputs, data, out);
  return 'handled';
}

function flowsOnNetworks({ changes, inputs, data, out }: Args<'networks'>): HandlerResult {
  for (const id of changes.keys()) {
    refresh(networkOwner(id), inputs, data, out);
    for (const port of inputs.localPorts.byNetwork.get(id)?.keys() ?? []) {
      refresh(portOwner(port), inputs, data, out);
    }
  }
  return 'handled';
}

function refresh(owner: string, inputs: InputsData<Slots>, data: Flows, out: Changes): void {
  const old = data.get(owner);
  const next = flowsOf(owner, inputs);
  if (old !== undefined && next !== undefined && sameFlows(old, next)) return;
  if (next === undefined) data.delete(owner);
  else data.set(owner, next);
  out.record(owner, old, next);
}

/** The flows of one owner, or undefined when it has none. */
function flowsOf(owner: string, inputs: InputsData<Slots>): readonly string[] | undefined {
  const [kind, id = ''] = owner.split(':');
  if (kind === 'port') {
    const local = inputs.localPorts.byPort.get(id);
    const network = local && inputs.networks.get(local.port.network);
    if (local === undefined || network === undefined) return undefined;
    const { port, ofport } = local;
    return [
      `table=Classifier,in_port=${ofport} actions=set:net=${network.vni},port=${port.key},goto:PortSecurity`,
      `table=PortSecurity,net=${network.vni},port=${port.key},dl_src=${port.mac} actions=goto:L2Lookup`,
      `table=L2Lookup,net=${network.vni},dl_dst=${port.mac} actions=set:port=${port.key},output:${ofport}`,
    ];
  }
  const members = inputs.localPorts.byNetwork.get(id);
  const network = inputs.networks.get(id);
  if (members === undefined || network === undefined) return undefined;
  const outputs = [...members.values()].map((m) => m.ofport).sort((a, b) => a - b);
  return [
    `table=Flood,net=${network.vni} actions=${outputs.map((o) => `output:${o}`).join(',')},${inputs.encap}:remote`,
  ];
}

function portOwner(id: string): string {
  return `port:${id}`;
}

function networkOwner(id: string): string {
  return `net:${id}`;
}

function sameFlows(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((flow, i) => flow === b[i]);
}
