// @weir/controller — the local controller: pipeline declaration and flow builder, the apps, the
// engine graph, the installer, the switch plumbing (OVSDB + OpenFlow) and the daemon.
export * from './errors.js';
export * from './pipeline/index.js';
export * from './flows/index.js';
export * from './flows/identity.js';
export * from './state/views.js';
export type { AppBuilders, LocalPort, RemotePort, Settings, TunnelPorts } from './apps/types.js';
export type { OwnerFlows } from './apps/compose.js';
export { buildControllerGraph, type ControllerGraph } from './engine/wiring.js';
export { Installer, type InstallerOptions, type InstallerStats } from './installer/installer.js';
export type { SwitchPlatform } from './ovs/platform.js';
export { OvsPlatform, type OvsPlatformOptions } from './ovs/ovs-platform.js';
export { TUNNEL_PORT_NAMES } from './ovs/bridge.js';
export type { InterfaceSink } from './ovs/interfaces.js';
export { TopologySubscription, type TopologySink, type TopologyStats } from './services/topology.js';
export { PortStatusReporter } from './services/port-status.js';
export { PacketInDispatcher, type PacketInHandler, type PacketInStats } from './services/packet-in.js';
export {
  LocalController,
  type ControllerOptions,
  type ControllerStats,
  type Logger,
  type LogLevel,
} from './daemon/controller.js';
export { renderMetrics } from './daemon/metrics.js';
export { serveControllerHttp, type ControllerHttp } from './daemon/http.js';
export { FakePlatform, FAKE_TUNNEL_PORTS } from './ovs/fake-platform.js';
export * from './fake-switch/index.js';
