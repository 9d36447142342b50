// @weir/core — the one place where the northbound model's invariants live (ARCHITECTURE §1):
// IPAM, MAC and segment allocation, Neutron's rules for every resource, the object graph.
export * from './context.js';
export * from './errors.js';
export * from './addr.js';
export { withRetries, Retry } from './retry.js';
export { isVisible, isoSeconds, readOwned, readVisible, type IfMatchOption } from './objects.js';
export { ipNamespace, isAutoAddressSubnet, macNamespace, subnetView } from './ipam.js';
export { checkQuota, quotaLimit } from './quota.js';
export { canonicalRule, convertProtocol, protocolNumber, PROTOCOLS, type RuleFields } from './sg-rules.js';
export * from './services/networks.js';
export * from './services/subnets.js';
export * from './services/subnet-pools.js';
export { subnetPoolNamespace } from './services/subnet-allocation.js';
export * from './services/ports.js';
export * from './services/security-groups.js';
export * from './services/routers.js';
export * from './services/floating-ips.js';
export * from './services/quotas.js';
export * from './services/trunks.js';
export * from './services/load-balancers.js';
export * from './services/chassis.js';
