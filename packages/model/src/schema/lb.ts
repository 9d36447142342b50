// Load balancing objects, Octavia's graph: load balancer -> listeners -> pools -> members, one
// health monitor per pool. Kubernetes Services become these too.
import Type, { type Static } from 'typebox';
import {
  AdminState,
  BaseFields,
  IpAddress,
  OperatingStatus,
  Port,
  ProvisioningStatus,
  Uuid,
} from './common.js';

const obj = <T extends Record<string, Parameters<typeof Type.Object>[0][string]>>(fields: T) =>
  Type.Object({ ...BaseFields, ...fields }, { additionalProperties: false });

const Statuses = { provisioningStatus: ProvisioningStatus, operatingStatus: OperatingStatus };

export const LoadBalancerSchema = obj({
  vipNetworkId: Uuid,
  vipSubnetId: Type.Optional(Uuid),
  vipPortId: Uuid,
  vipAddress: IpAddress,
  provider: Type.String({ maxLength: 64 }),
  adminStateUp: AdminState,
  ...Statuses,
});

export const ListenerProtocol = Type.Union([
  Type.Literal('TCP'),
  Type.Literal('UDP'),
  Type.Literal('SCTP'),
  Type.Literal('HTTP'),
  Type.Literal('HTTPS'),
  Type.Literal('TERMINATED_HTTPS'),
]);

export const ListenerSchema = obj({
  loadBalancerId: Uuid,
  protocol: ListenerProtocol,
  protocolPort: Port,
  defaultPoolId: Type.Optional(Uuid),
  /** -1: unlimited. */
  connectionLimit: Type.Integer({ minimum: -1 }),
  timeoutClientData: Type.Integer({ minimum: 0 }),
  timeoutMemberConnect: Type.Integer({ minimum: 0 }),
  timeoutMemberData: Type.Integer({ minimum: 0 }),
  adminStateUp: AdminState,
  ...Statuses,
});

export const LbAlgorithm = Type.Union([
  Type.Literal('ROUND_ROBIN'),
  Type.Literal('LEAST_CONNECTIONS'),
  Type.Literal('SOURCE_IP'),
  Type.Literal('SOURCE_IP_PORT'),
]);

export const SessionPersistence = Type.Object(
  {
    type: Type.Union([Type.Literal('SOURCE_IP'), Type.Literal('HTTP_COOKIE'), Type.Literal('APP_COOKIE')]),
    cookieName: Type.Optional(Type.String({ maxLength: 255 })),
    persistenceTimeout: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);

export const PoolSchema = obj({
  loadBalancerId: Uuid,
  listenerId: Type.Optional(Uuid),
  protocol: ListenerProtocol,
  lbAlgorithm: LbAlgorithm,
  sessionPersistence: Type.Union([SessionPersistence, Type.Null()]),
  healthMonitorId: Type.Optional(Uuid),
  adminStateUp: AdminState,
  ...Statuses,
});

export const MemberSchema = obj({
  poolId: Uuid,
  address: IpAddress,
  protocolPort: Port,
  weight: Type.Integer({ minimum: 0, maximum: 256 }),
  subnetId: Type.Optional(Uuid),
  backup: Type.Boolean(),
  monitorAddress: Type.Optional(IpAddress),
  monitorPort: Type.Optional(Port),
  adminStateUp: AdminState,
  ...Statuses,
});

export const HealthMonitorType = Type.Union([
  Type.Literal('PING'),
  Type.Literal('TCP'),
  Type.Literal('HTTP'),
  Type.Literal('HTTPS'),
  Type.Literal('UDP-CONNECT'),
  Type.Literal('TLS-HELLO'),
  Type.Literal('SCTP'),
]);

export const HealthMonitorSchema = obj({
  poolId: Uuid,
  type: HealthMonitorType,
  delay: Type.Integer({ minimum: 1 }),
  timeout: Type.Integer({ minimum: 1 }),
  maxRetries: Type.Integer({ minimum: 1, maximum: 10 }),
  maxRetriesDown: Type.Integer({ minimum: 1, maximum: 10 }),
  httpMethod: Type.Optional(Type.String({ maxLength: 16 })),
  urlPath: Type.Optional(Type.String({ maxLength: 2048 })),
  expectedCodes: Type.Optional(Type.String({ pattern: '^[0-9]{3}([-,][0-9]{3})*$' })),
  adminStateUp: AdminState,
  ...Statuses,
});

export type LoadBalancer = Static<typeof LoadBalancerSchema>;
export type Listener = Static<typeof ListenerSchema>;
export type Pool = Static<typeof PoolSchema>;
export type Member = Static<typeof MemberSchema>;
export type HealthMonitor = Static<typeof HealthMonitorSchema>;
