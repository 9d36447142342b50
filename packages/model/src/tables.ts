// The table registry: every northbound table, its schema and its secondary indexes. The store
// keeps the indexes (list by index) and the topic (list and watch by topic); core declares no
// other access paths. An index maps an object to zero or more string values.
import type { TSchema } from 'typebox';
import type { Project, Quota, TokenRevocation } from './schema/identity.js';
import { ProjectSchema, QuotaSchema, TokenRevocationSchema } from './schema/identity.js';
import type { HealthMonitor, Listener, LoadBalancer, Member, Pool } from './schema/lb.js';
import {
  HealthMonitorSchema,
  ListenerSchema,
  LoadBalancerSchema,
  MemberSchema,
  PoolSchema,
} from './schema/lb.js';
import type {
  Chassis,
  FloatingIp,
  LogicalPort,
  LogicalSwitch,
  Router,
  SecurityGroup,
  Subnet,
  SubnetPool,
  Trunk,
} from './schema/network.js';
import {
  ChassisSchema,
  FloatingIpSchema,
  LogicalPortSchema,
  LogicalSwitchSchema,
  RouterSchema,
  SecurityGroupSchema,
  SubnetPoolSchema,
  SubnetSchema,
  TrunkSchema,
} from './schema/network.js';

export interface Tables {
  chassis: Chassis;
  logical_switch: LogicalSwitch;
  subnet: Subnet;
  subnet_pool: SubnetPool;
  logical_port: LogicalPort;
  router: Router;
  floating_ip: FloatingIp;
  security_group: SecurityGroup;
  trunk: Trunk;
  load_balancer: LoadBalancer;
  listener: Listener;
  pool: Pool;
  member: Member;
  health_monitor: HealthMonitor;
  project: Project;
  quota: Quota;
  token_revocation: TokenRevocation;
}

export type TableName = keyof Tables;
export type ObjectOf<T extends TableName> = Tables[T];
/** Any stored object. */
export type ModelObject = Tables[TableName];

export interface TableDef<T extends TableName> {
  readonly name: T;
  readonly schema: TSchema;
  /** index name -> the values an object is listed under. */
  readonly indexes: Readonly<Record<string, (o: Tables[T]) => readonly string[]>>;
}

const one = (v: string | undefined): readonly string[] => (v ? [v] : []);
/**
 * Objects by name, for the API's `?name=` filters (every `openstack … show NAME` is one): an index
 * read instead of a scan of the table. Unnamed objects are not indexed (most ports have no name;
 * one bucket holding them all would cost a key each and answer nothing useful).
 */
const named = (o: { readonly name: string }): readonly string[] => one(o.name);
const uniq = (vs: readonly string[]): readonly string[] => [...new Set(vs.filter((v) => v !== ''))];

function def<T extends TableName>(
  name: T,
  schema: TSchema,
  indexes: TableDef<T>['indexes'] = {},
): TableDef<T> {
  return { name, schema, indexes };
}

export const TABLES: { readonly [T in TableName]: TableDef<T> } = {
  chassis: def('chassis', ChassisSchema, { name: (o) => [o.name] }),
  logical_switch: def('logical_switch', LogicalSwitchSchema, {
    name: named,
    external: (o) => (o.external ? ['true'] : []),
    // Non-admins see their own networks plus shared and external ones: both are index reads.
    shared: (o) => (o.shared ? ['true'] : []),
  }),
  subnet: def('subnet', SubnetSchema, {
    name: named,
    network: (o) => [o.networkId],
    // A pool's subnets: "in use" on pool delete, and the allocations a new one must not overlap.
    subnetPool: (o) => one(o.subnetpoolId),
  }),
  subnet_pool: def('subnet_pool', SubnetPoolSchema, {
    name: named,
    // Non-admins see their own pools plus the shared ones (an index read).
    shared: (o) => (o.shared ? ['true'] : []),
    // The default pool of an IP version (use_default_subnetpool) by index.
    isDefault: (o) => (o.isDefault ? [String(o.ipVersion)] : []),
  }),
  logical_port: def('logical_port', LogicalPortSchema, {
    name: named,
    network: (o) => [o.networkId],
    device: (o) => one(o.deviceId),
    host: (o) => one(o.binding.hostId),
    securityGroup: (o) => uniq(o.securityGroups),
    subnet: (o) => uniq(o.fixedIps.map((f) => f.subnetId)),
    parent: (o) => one(o.subportOf?.parentPortId),
  }),
  router: def('router', RouterSchema, {
    name: named,
    gatewayNetwork: (o) => one(o.externalGateway?.networkId),
  }),
  floating_ip: def('floating_ip', FloatingIpSchema, {
    port: (o) => one(o.portId),
    router: (o) => one(o.routerId),
    network: (o) => [o.floatingNetworkId],
  }),
  security_group: def('security_group', SecurityGroupSchema, {
    name: named,
    rule: (o) => o.rules.map((r) => r.id),
    remoteGroup: (o) => uniq(o.rules.map((r) => r.remoteGroupId ?? '')),
  }),
  trunk: def('trunk', TrunkSchema, {
    name: named,
    port: (o) => [o.portId],
    subport: (o) => o.subports.map((s) => s.portId),
  }),
  load_balancer: def('load_balancer', LoadBalancerSchema, {
    vipPort: (o) => [o.vipPortId],
    vipNetwork: (o) => [o.vipNetworkId],
    vipSubnet: (o) => one(o.vipSubnetId),
  }),
  listener: def('listener', ListenerSchema, {
    loadBalancer: (o) => [o.loadBalancerId],
    defaultPool: (o) => one(o.defaultPoolId),
  }),
  pool: def('pool', PoolSchema, {
    loadBalancer: (o) => [o.loadBalancerId],
    listener: (o) => one(o.listenerId),
    healthMonitor: (o) => one(o.healthMonitorId),
  }),
  member: def('member', MemberSchema, { pool: (o) => [o.poolId], subnet: (o) => one(o.subnetId) }),
  health_monitor: def('health_monitor', HealthMonitorSchema, { pool: (o) => [o.poolId] }),
  project: def('project', ProjectSchema),
  quota: def('quota', QuotaSchema),
  token_revocation: def('token_revocation', TokenRevocationSchema),
};

export const TABLE_NAMES = Object.keys(TABLES) as TableName[];

export function isTableName(name: string): name is TableName {
  return Object.prototype.hasOwnProperty.call(TABLES, name);
}

/** The index values of an object, per index name. */
export function indexValues<T extends TableName>(
  table: T,
  object: Tables[T],
): Record<string, readonly string[]> {
  const out: Record<string, readonly string[]> = {};
  const indexes = TABLES[table].indexes as Record<string, (o: Tables[T]) => readonly string[]>;
  for (const [name, fn] of Object.entries(indexes)) out[name] = fn(object);
  return out;
}
