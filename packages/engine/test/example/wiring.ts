// The example's wiring manifest: every edge of the graph, in one place, with its reason — the
// shape the controller's manifest takes.
import { GraphBuilder } from '../../src/index.js';
import { flowsNode } from './flows.js';
import { encapInput, localBindingsInput, networksInput, portsInput } from './inputs.js';
import { localPortsByNetworkNode } from './local-ports.js';

export function buildExampleGraph() {
  const g = new GraphBuilder();
  const ports = g.input(portsInput);
  const networks = g.input(networksInput);
  const localBindings = g.input(localBindingsInput);
  const encap = g.input(encapInput);
  const localPorts = g.node(localPortsByNetworkNode);
  const flows = g.node(flowsNode);

  g.wire(localPorts, {
    ports: { from: ports, why: 'a local port takes its network, MAC and key from the port' },
    localBindings: {
      from: localBindings,
      why: 'a port is local exactly while an interface here is bound to it',
    },
  });
  g.wire(flows, {
    localPorts: { from: localPorts, why: 'flows exist only for local ports; flooding needs them by network' },
    networks: { from: networks, why: 'every flow of a port matches or sets its network’s VNI' },
    encap: { from: encap, why: 'flood flows name the tunnel type' },
  });

  return { graph: g.build(), ports, networks, localBindings, encap, localPorts, flows };
}

export type ExampleGraph = ReturnType<typeof buildExampleGraph>;
