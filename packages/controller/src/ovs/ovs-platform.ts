// The real switch: Open vSwitch, configured over OVSDB (@weir/ovsdb) and programmed over
// OpenFlow 1.3 (@weir/openflow). The controller listens on a unix socket (or TCP) and
// ovs-vswitchd dials it — the bridge's controller target is that socket, so a restarted
// controller is found again within max_backoff, and a restarted ovs-vswitchd dials back by itself.
import { OpenFlowListener, type OpenFlowConnection } from '@weir/openflow';
import { OvsdbClient, openVswitchSchema, type OvsdbDatabase, type OpenVswitchTables } from '@weir/ovsdb';
import type { OverlayType } from '../state/views.js';
import { setUpBridge } from './bridge.js';
import { BridgeInterfaces, type InterfaceSink } from './interfaces.js';
import type { SwitchPlatform } from './platform.js';

export interface OvsPlatformOptions {
  /** OVSDB server (`unix:/run/openvswitch/db.sock`). */
  readonly ovsdb: string;
  readonly bridge: string;
  /** Where this controller listens for ovs-vswitchd (`unix:<rundir>/weir-of.sock`, `ptcp:`-style `tcp:H:P`). */
  readonly openflow: string;
  /** br-int's datapath type; `netdev` for the userspace datapath. Unset: left as is. */
  readonly datapathType?: string;
}

export class OvsPlatform implements SwitchPlatform {
  private client: OvsdbClient | undefined;
  private db: OvsdbDatabase<OpenVswitchTables> | undefined;
  private interfaces: BridgeInterfaces | undefined;
  private listener: OpenFlowListener | undefined;
  private tunnelTypes: readonly OverlayType[] = [];
  /** Connections that arrived before acceptConnections (the bridge dials as soon as it exists). */
  private early: OpenFlowConnection[] = [];
  private onConnection: ((conn: OpenFlowConnection) => void) | undefined;

  constructor(private readonly options: OvsPlatformOptions) {}

  async setUp(tunnelTypes: readonly OverlayType[]): Promise<{ generation: number }> {
    this.tunnelTypes = tunnelTypes;
    this.client = await OvsdbClient.connect({ target: this.options.ovsdb });
    this.db = this.client.database(openVswitchSchema);
    // Listen before the bridge names us as its controller, so its first dial finds us.
    this.listener = new OpenFlowListener(this.options.openflow);
    this.listener.on('switch', (conn) => {
      if (this.onConnection !== undefined) this.onConnection(conn);
      else this.early.push(conn);
    });
    await this.listener.listen();
    return setUpBridge(this.db, {
      bridge: this.options.bridge,
      ...(this.options.datapathType === undefined ? {} : { datapathType: this.options.datapathType }),
      controllerTarget: this.options.openflow,
      tunnelTypes,
    });
  }

  async watchInterfaces(sink: InterfaceSink): Promise<void> {
    if (this.db === undefined) throw new Error('OvsPlatform: setUp() first');
    this.interfaces = new BridgeInterfaces(this.db, this.tunnelTypes, sink);
    await this.interfaces.whenSynced();
  }

  acceptConnections(onConnection: (conn: OpenFlowConnection) => void): Promise<void> {
    if (this.listener === undefined) throw new Error('OvsPlatform: setUp() first');
    this.onConnection = onConnection;
    const early = this.early.filter((c) => !c.isClosed);
    this.early = [];
    for (const conn of early) onConnection(conn);
    return Promise.resolve();
  }

  async close(): Promise<void> {
    await this.interfaces?.close().catch(() => undefined);
    await this.listener?.close();
    this.client?.close();
  }
}
