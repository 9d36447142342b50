// A switch without Open vSwitch: the in-process FakeSwitch (real OpenFlow bytes over an in-memory
// stream, flow and group tables modelled as ovs-vswitchd keeps them) and interfaces plugged by
// calling `plug()`. Benchmarks run 50+ simulated chassis in one process with it; tests drive the
// whole controller through it without root. The generation is kept here as OVSDB would keep it,
// so a controller restarted on the same platform sees the previous run's flows and sweeps them.
import { OpenFlowConnection } from '@weir/openflow';
import { FakeSwitch } from '../fake-switch/index.js';
import type { TunnelPorts } from '../apps/types.js';
import { nextGeneration } from '../pipeline/cookies.js';
import type { OverlayType } from '../state/views.js';
import type { InterfaceSink } from './interfaces.js';
import type { SwitchPlatform } from './platform.js';

/** Where the fake puts the tunnel ports (a real bridge numbers them as they are added). */
export const FAKE_TUNNEL_PORTS: Readonly<Record<OverlayType, number>> = { geneve: 4001, vxlan: 4002 };

export class FakePlatform implements SwitchPlatform {
  readonly switch: FakeSwitch;
  private generation: number | undefined;
  private sink: InterfaceSink | undefined;
  private onConnection: ((conn: OpenFlowConnection) => void) | undefined;
  private readonly plugged = new Map<string, number>();
  private closed = false;

  constructor(options: { readonly datapathId?: bigint; readonly switch?: FakeSwitch } = {}) {
    this.switch = options.switch ?? new FakeSwitch({ datapathId: options.datapathId ?? 1n });
  }

  setUp(tunnelTypes: readonly OverlayType[]): Promise<{ generation: number }> {
    this.closed = false;
    this.generation = this.generation === undefined ? 1 : nextGeneration(this.generation);
    const ports: Partial<Record<OverlayType, number>> = {};
    for (const type of tunnelTypes) {
      ports[type] = FAKE_TUNNEL_PORTS[type];
      if (!this.switch.ports().some((p) => p.portNo === FAKE_TUNNEL_PORTS[type]))
        this.switch.addPort(FAKE_TUNNEL_PORTS[type], `weir-${type}`);
    }
    this.tunnels = ports;
    return Promise.resolve({ generation: this.generation });
  }

  private tunnels: TunnelPorts = {};

  watchInterfaces(sink: InterfaceSink): Promise<void> {
    this.sink = sink;
    sink.tunnelPorts(this.tunnels);
    for (const [portId, ofport] of this.plugged) sink.plugged(portId, ofport);
    return Promise.resolve();
  }

  /** An interface carrying `portId` appears on the bridge at `ofport` (a VM or pod plugged). */
  plug(portId: string, ofport: number): void {
    this.plugged.set(portId, ofport);
    if (!this.switch.ports().some((p) => p.portNo === ofport)) this.switch.addPort(ofport, `p${ofport}`);
    this.sink?.plugged(portId, ofport);
  }

  unplug(portId: string): void {
    const ofport = this.plugged.get(portId);
    this.plugged.delete(portId);
    if (ofport !== undefined) this.switch.removePort(ofport);
    this.sink?.plugged(portId, undefined);
  }

  /** Opens a new OpenFlow channel to the controller (a switch that dials, or dials again). */
  async reconnect(): Promise<void> {
    if (this.onConnection === undefined || this.closed) return;
    const conn = await OpenFlowConnection.open(this.switch.openChannel());
    this.onConnection(conn);
  }

  acceptConnections(onConnection: (conn: OpenFlowConnection) => void): Promise<void> {
    this.onConnection = onConnection;
    return this.reconnect();
  }

  close(): Promise<void> {
    this.closed = true;
    this.sink = undefined;
    this.onConnection = undefined;
    this.switch.disconnect();
    return Promise.resolve();
  }
}
