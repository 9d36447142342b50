// What the controller needs from its switch, as one narrow interface: set the bridge up (and learn
// this run's generation), report interfaces, hand over OpenFlow connections. Two implementations:
// the real one (Open vSwitch over OVSDB + an OpenFlow listener, below) and an in-process fake
// switch for benchmarks with many simulated chassis (ovs/fake-platform.ts).
import type { OpenFlowConnection } from '@weir/openflow';
import type { OverlayType } from '../state/views.js';
import type { InterfaceSink } from './interfaces.js';

export interface SwitchPlatform {
  /** Prepares the bridge; returns this run's cookie generation. */
  setUp(tunnelTypes: readonly OverlayType[]): Promise<{ generation: number }>;
  /** Starts reporting interfaces; resolves once the current ones have been reported. */
  watchInterfaces(sink: InterfaceSink): Promise<void>;
  /** Calls `onConnection` with every OpenFlow connection to the bridge (each one: a full sync). */
  acceptConnections(onConnection: (conn: OpenFlowConnection) => void): Promise<void>;
  close(): Promise<void>;
}
