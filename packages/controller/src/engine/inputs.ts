// The controller engine's inputs: what the topology subscription (services/topology.ts) and the
// OVSDB interface monitor (ovs/interfaces.ts) write between runs. Equality is over the fields
// that decide flows (state/views.ts), so writes that change nothing of them are not changes.
import { keyedInput, valueInput } from '@weir/engine';
import type { Settings } from '../apps/types.js';
import {
  sameChassis,
  sameNetwork,
  samePort,
  type ChassisView,
  type NetworkView,
  type PortView,
} from '../state/views.js';

/** Every port of the networks this chassis subscribes to, by port id. */
export const portsInput = keyedInput<string, PortView>('ports', { equals: samePort });
/** The subscribed networks, by id. */
export const networksInput = keyedInput<string, NetworkView>('networks', { equals: sameNetwork });
/** Live chassis (this one included), by name. */
export const chassisInput = keyedInput<string, ChassisView>('chassis', { equals: sameChassis });
/** iface-id (a port id) → OpenFlow port number of the interface that carries it on br-int. */
export const interfacesInput = keyedInput<string, number>('interfaces');

export function sameSettings(a: Settings, b: Settings): boolean {
  return (
    a.chassis === b.chassis &&
    a.generation === b.generation &&
    a.tunnelPorts.geneve === b.tunnelPorts.geneve &&
    a.tunnelPorts.vxlan === b.tunnelPorts.vxlan
  );
}

export const UNSET_SETTINGS: Settings = { chassis: '', generation: 1, tunnelPorts: {} };

/** This chassis' name, generation and tunnel ports: set once at start (and when OVS renumbers). */
export const settingsInput = valueInput<Settings>('settings', UNSET_SETTINGS, { equals: sameSettings });
