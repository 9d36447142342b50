// The controller's wiring manifest: every edge of the engine graph, with its reason (after the
// engine_add_input block of OVN's ovn-controller.c). Read top to bottom, it is the data flow of
// the local controller: northbound views and local interfaces → which ports live where →
// desired flows by owner.
import { GraphBuilder } from '@weir/engine';
import { flowsNode } from './flows.js';
import { chassisInput, interfacesInput, networksInput, portsInput, settingsInput } from './inputs.js';
import { localPortsNode } from './local-ports.js';
import { remotePortsNode } from './remote-ports.js';

export function buildControllerGraph() {
  const g = new GraphBuilder();
  const ports = g.input(portsInput);
  const networks = g.input(networksInput);
  const chassis = g.input(chassisInput);
  const interfaces = g.input(interfacesInput);
  const settings = g.input(settingsInput);
  const localPorts = g.node(localPortsNode);
  const remotePorts = g.node(remotePortsNode);
  const flows = g.node(flowsNode);

  g.wire(localPorts, {
    ports: { from: ports, why: 'a local port takes its binding, MAC, addresses and key from the port' },
    interfaces: { from: interfaces, why: 'a port is local only while an interface here carries its id' },
    settings: { from: settings, why: 'a port is local only when bound to this chassis (its name)' },
  });
  g.wire(remotePorts, {
    ports: { from: ports, why: 'a remote port is a port of a subscribed network bound to another chassis' },
    chassis: {
      from: chassis,
      why: 'a remote port is reachable only while its chassis is alive, at its tunnel IP',
    },
    settings: { from: settings, why: 'ports bound to this chassis are not remote' },
  });
  g.wire(flows, {
    localPorts: { from: localPorts, why: 'classification, port security, lookup and output of local ports' },
    remotePorts: {
      from: remotePorts,
      why: 'lookup and tunnel output of remote ports; flood buckets per chassis',
    },
    networks: { from: networks, why: 'every port flow carries its network key; tunnels use the VNI' },
    chassis: { from: chassis, why: 'tunnel packets are admitted only from live chassis' },
    settings: { from: settings, why: 'the generation is in every cookie; tunnel port numbers' },
  });

  return { graph: g.build(), ports, networks, chassis, interfaces, settings, localPorts, remotePorts, flows };
}

export type ControllerGraph = ReturnType<typeof buildControllerGraph>;
