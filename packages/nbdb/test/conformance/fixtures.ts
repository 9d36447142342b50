// Valid model objects for store tests: one builder per table, each taking overrides. Ids are fresh
// UUIDs, so tests never collide with each other on a shared store.
import { randomUUID } from 'node:crypto';
import type {
  Chassis,
  FloatingIp,
  HealthMonitor,
  Listener,
  LoadBalancer,
  LogicalPort,
  LogicalSwitch,
  Member,
  Pool,
  Project,
  Quota,
  Router,
  SecurityGroup,
  Subnet,
  Trunk,
} from '@weir/model';

const NOW = '2026-01-01T00:00:00.000Z';
/** A Keystone-style project id (32 hex digits), usable as a topic. */
export const newTopic = (): string => randomUUID().replace(/-/g, '');
export const TOPIC_A = 'a0000000000000000000000000000001';
export const TOPIC_B = 'b0000000000000000000000000000002';

let macCounter = 0;
/** A fresh locally administered unicast MAC. */
export function newMac(): string {
  const n = ++macCounter;
  const bytes = [
    0x02,
    (process.pid >> 8) & 0xff,
    process.pid & 0xff,
    (n >> 16) & 0xff,
    (n >> 8) & 0xff,
    n & 0xff,
  ];
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

function base(topic: string) {
  return {
    id: randomUUID(),
    topic,
    version: 0,
    uniqueKey: 0,
    name: '',
    description: '',
    tags: [] as string[],
    createdAt: NOW,
    updatedAt: NOW,
  };
}

export const fx = {
  chassis: (o: Partial<Chassis> = {}): Chassis => ({
    ...base('chassis'),
    name: `node-${randomUUID().slice(0, 8)}`,
    hostname: 'node-1',
    tunnelIp: '192.0.2.10',
    tunnelTypes: ['geneve'],
    bridgeMappings: {},
    heartbeatAt: NOW,
    ...o,
  }),
  network: (o: Partial<LogicalSwitch> = {}): LogicalSwitch => ({
    ...base(TOPIC_A),
    networkType: 'geneve',
    segmentationId: 100,
    mtu: 1442,
    external: false,
    shared: false,
    portSecurityEnabled: true,
    adminStateUp: true,
    status: 'ACTIVE',
    availabilityZoneHints: [],
    ...o,
  }),
  subnet: (o: Partial<Subnet> & Pick<Subnet, 'networkId'>): Subnet => ({
    ...base(TOPIC_A),
    ipVersion: 4,
    cidr: '10.0.0.0/24',
    gatewayIp: '10.0.0.1',
    allocationPools: [{ start: '10.0.0.2', end: '10.0.0.254' }],
    enableDhcp: true,
    dnsNameservers: [],
    hostRoutes: [],
    ...o,
  }),
  port: (o: Partial<LogicalPort> & Pick<LogicalPort, 'networkId'>): LogicalPort => ({
    ...base(TOPIC_A),
    macAddress: newMac(),
    fixedIps: [],
    binding: { hostId: '', vnicType: 'normal', vifType: 'ovs', vifDetails: {}, profile: {} },
    deviceOwner: '',
    deviceId: '',
    securityGroups: [],
    portSecurityEnabled: true,
    allowedAddressPairs: [],
    status: 'DOWN',
    adminStateUp: true,
    dnsName: '',
    ...o,
  }),
  router: (o: Partial<Router> = {}): Router => ({
    ...base(TOPIC_A),
    adminStateUp: true,
    status: 'ACTIVE',
    routes: [],
    distributed: true,
    ...o,
  }),
  floatingIp: (o: Partial<FloatingIp> & Pick<FloatingIp, 'floatingNetworkId'>): FloatingIp => ({
    ...base(TOPIC_A),
    floatingIpAddress: '203.0.113.10',
    floatingPortId: randomUUID(),
    status: 'DOWN',
    ...o,
  }),
  securityGroup: (o: Partial<SecurityGroup> = {}): SecurityGroup => ({
    ...base(TOPIC_A),
    stateful: true,
    rules: [],
    ...o,
  }),
  rule: (o: Partial<SecurityGroup['rules'][number]> = {}): SecurityGroup['rules'][number] => ({
    id: randomUUID(),
    direction: 'ingress',
    ethertype: 'IPv4',
    description: '',
    createdAt: NOW,
    updatedAt: NOW,
    revision: 0,
    ...o,
  }),
  trunk: (o: Partial<Trunk> & Pick<Trunk, 'portId'>): Trunk => ({
    ...base(TOPIC_A),
    subports: [],
    status: 'DOWN',
    adminStateUp: true,
    ...o,
  }),
  loadBalancer: (o: Partial<LoadBalancer> & Pick<LoadBalancer, 'vipNetworkId'>): LoadBalancer => ({
    ...base(TOPIC_A),
    vipPortId: randomUUID(),
    vipAddress: '10.0.0.100',
    provider: 'weir',
    adminStateUp: true,
    provisioningStatus: 'ACTIVE',
    operatingStatus: 'ONLINE',
    ...o,
  }),
  listener: (o: Partial<Listener> & Pick<Listener, 'loadBalancerId'>): Listener => ({
    ...base(TOPIC_A),
    protocol: 'TCP',
    protocolPort: 80,
    connectionLimit: -1,
    timeoutClientData: 50000,
    timeoutMemberConnect: 5000,
    timeoutMemberData: 50000,
    adminStateUp: true,
    provisioningStatus: 'ACTIVE',
    operatingStatus: 'ONLINE',
    ...o,
  }),
  pool: (o: Partial<Pool> & Pick<Pool, 'loadBalancerId'>): Pool => ({
    ...base(TOPIC_A),
    protocol: 'TCP',
    lbAlgorithm: 'ROUND_ROBIN',
    sessionPersistence: null,
    adminStateUp: true,
    provisioningStatus: 'ACTIVE',
    operatingStatus: 'ONLINE',
    ...o,
  }),
  member: (o: Partial<Member> & Pick<Member, 'poolId'>): Member => ({
    ...base(TOPIC_A),
    address: '10.0.0.20',
    protocolPort: 8080,
    weight: 1,
    backup: false,
    adminStateUp: true,
    provisioningStatus: 'ACTIVE',
    operatingStatus: 'ONLINE',
    ...o,
  }),
  healthMonitor: (o: Partial<HealthMonitor> & Pick<HealthMonitor, 'poolId'>): HealthMonitor => ({
    ...base(TOPIC_A),
    type: 'TCP',
    delay: 5,
    timeout: 3,
    maxRetries: 3,
    maxRetriesDown: 3,
    adminStateUp: true,
    provisioningStatus: 'ACTIVE',
    operatingStatus: 'ONLINE',
    ...o,
  }),
  project: (o: Partial<Project> = {}): Project => {
    const id = newTopic();
    return { ...base(id), id, domainId: 'default', enabled: true, ...o };
  },
  quota: (o: Partial<Quota> = {}): Quota => {
    const id = newTopic();
    return { ...base(id), id, limits: { port: 50 }, ...o };
  },
};
