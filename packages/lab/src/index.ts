export { OvsInstance, sweepStaleOvsInstances, LAB_NETNS_PREFIX, DEFAULT_LAB_BASE } from './ovs-instance.js';
export type { OvsInstanceOptions, BridgeOptions, OfctlOptions, StopOptions } from './ovs-instance.js';
export { run, tryRun, CommandError } from './exec.js';
export type { RunOptions } from './exec.js';
export { stopProcess, isAlive } from './process.js';
export { labPrerequisites, missingLabPrerequisites } from './prerequisites.js';
export { LabHost, removeHostNamespace } from './host.js';
export type { HostOptions, DhcpLeaseInfo, PingResult } from './host.js';
export { deleteNamespace } from './netns.js';
export {
  UnderlayAddressPlan,
  DEFAULT_UNDERLAY_SUBNET,
  DEFAULT_UNDERLAY_MTU,
  TUNNEL_OVERHEAD,
  MAX_NODES,
} from './address-plan.js';
export { LabUnderlay } from './underlay.js';
export type { LabUnderlayOptions } from './underlay.js';
export { LabNode, nodeName, PHYSICAL_BRIDGE, UPLINK } from './node.js';
export type { LabNodeOptions, TunnelPeer } from './node.js';
export { LabCluster } from './cluster.js';
export type { LabClusterOptions } from './cluster.js';
export * from './etcd-instance.js';
export { steadyPingArgs, readSteadyPing } from './steady-ping.js';
export type { SteadyPingLog } from './steady-ping.js';
