// The example's input nodes: what a store watch and the OVSDB interface monitor would feed.
import { keyedInput, valueInput } from '../../src/index.js';
import { sameNetwork, samePort, type Encap, type Network, type Port } from './model.js';

export const portsInput = keyedInput<string, Port>('ports', { equals: samePort });
export const networksInput = keyedInput<string, Network>('networks', { equals: sameNetwork });
/** Port id -> OpenFlow port number of the local interface whose iface-id names that port. */
export const localBindingsInput = keyedInput<string, number>('localBindings');
export const encapInput = valueInput<Encap>('encap', 'geneve');
