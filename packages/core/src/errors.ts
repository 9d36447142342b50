// Domain errors with Neutron's vocabulary: `kind` is the Neutron exception type the API puts in
// NeutronError.type, the message is Neutron's wording (the openstack CLI prints it verbatim).
import { WeirError, type WeirErrorDetail } from '@weir/model';

const RESOURCE_NAMES: Record<string, string> = {
  network: 'Network',
  subnet: 'Subnet',
  subnetpool: 'SubnetPool',
  address_scope: 'AddressScope',
  port: 'Port',
  router: 'Router',
  floatingip: 'FloatingIP',
  security_group: 'SecurityGroup',
  security_group_rule: 'SecurityGroupRule',
  trunk: 'Trunk',
  loadbalancer: 'LoadBalancer',
  listener: 'Listener',
  pool: 'Pool',
  member: 'Member',
  healthmonitor: 'HealthMonitor',
  project: 'Project',
};

function title(resource: string): string {
  return RESOURCE_NAMES[resource] ?? resource;
}

/**
 * Neutron's <Resource>NotFound. The wording differs per resource in Neutron itself (routers and
 * floating IPs have no final period, security groups "do not exist"), and clients print it.
 */
export function notFound(resource: string, id: string): WeirError {
  const t = title(resource);
  const text: Record<string, string> = {
    Router: `Router ${id} could not be found`,
    FloatingIP: `Floating IP ${id} could not be found`,
    SecurityGroup: `Security group ${id} does not exist`,
    SecurityGroupRule: `Security group rule ${id} does not exist`,
    SubnetPool: `Subnet pool ${id} could not be found.`,
    AddressScope: `Address scope ${id} could not be found.`,
  };
  return new WeirError(
    'WEIR_CORE_NOT_FOUND',
    text[t] ?? `${t} ${id} could not be found.`,
    [],
    `${t}NotFound`,
  );
}

export function inUse(kind: string, message: string): WeirError {
  return new WeirError('WEIR_CORE_IN_USE', message, [], kind);
}

export function conflict(kind: string, message: string): WeirError {
  return new WeirError('WEIR_CORE_CONFLICT', message, [], kind);
}

/** Neutron's InvalidInput: "Invalid input for operation: <reason>." */
export function invalidInput(reason: string, field?: string): WeirError {
  const details: WeirErrorDetail[] = field === undefined ? [{ reason }] : [{ field, reason }];
  return new WeirError(
    'WEIR_CORE_BAD_REQUEST',
    `Invalid input for operation: ${reason}.`,
    details,
    'InvalidInput',
  );
}

export function badRequest(kind: string, message: string): WeirError {
  return new WeirError('WEIR_CORE_BAD_REQUEST', message, [], kind);
}

export function forbidden(message: string): WeirError {
  return new WeirError('WEIR_CORE_FORBIDDEN', message, [], 'PolicyNotAuthorized');
}

export function quotaExceeded(resource: string, limit: number): WeirError {
  return new WeirError(
    'WEIR_CORE_QUOTA',
    `Quota exceeded for resources: ['${resource}'].`,
    [{ reason: `limit ${limit}` }],
    'OverQuota',
  );
}
