export { OvsInstance, sweepStaleOvsInstances, LAB_NETNS_PREFIX, DEFAULT_LAB_BASE } from './ovs-instance.js';
export type { OvsInstanceOptions, BridgeOptions, OfctlOptions } from './ovs-instance.js';
export { run, tryRun, CommandError } from './exec.js';
export type { RunOptions } from './exec.js';
export { stopProcess, isAlive } from './process.js';
export { labPrerequisites, missingLabPrerequisites } from './prerequisites.js';
export { LabHost, removeHostNamespace } from './host.js';
export type { HostOptions, DhcpLeaseInfo, PingResult } from './host.js';
export { deleteNamespace } from './netns.js';
