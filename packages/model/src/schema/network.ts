// Networking objects: chassis, logical switches (networks), subnets, subnet pools, logical
// ports, routers, floating IPs, security groups and trunks. Names mirror Neutron's at the API
// edge; the model's own names are camelCase. Cross-object rules (CIDR overlap, IPAM, InUse) live
// in @weir/core.
import Type, { type Static } from 'typebox';
import {
  AdminState,
  BaseFields,
  Cidr,
  IpAddress,
  IpOrCidr,
  MacAddress,
  Name,
  Timestamp,
  U16,
  Uuid,
} from './common.js';

const obj = <T extends Record<string, Parameters<typeof Type.Object>[0][string]>>(fields: T) =>
  Type.Object({ ...BaseFields, ...fields }, { additionalProperties: false });

export const TunnelType = Type.Union([Type.Literal('geneve'), Type.Literal('vxlan')]);

/** A node that runs a Weir controller. Its liveness is a lease (etcd) or a heartbeat (embedded). */
export const ChassisSchema = obj({
  hostname: Name,
  tunnelIp: IpAddress,
  tunnelTypes: Type.Array(TunnelType, { minItems: 1, maxItems: 2 }),
  /** physical network name -> OVS bridge, for VLAN/flat provider networks. */
  bridgeMappings: Type.Record(
    Type.String({ minLength: 1, maxLength: 64 }),
    Type.String({ minLength: 1, maxLength: 15 }),
  ),
  heartbeatAt: Timestamp,
});

export const NetworkType = Type.Union([
  Type.Literal('geneve'),
  Type.Literal('vxlan'),
  Type.Literal('vlan'),
  Type.Literal('flat'),
  Type.Literal('local'),
]);

/** A Neutron network: one L2 broadcast domain. */
export const LogicalSwitchSchema = obj({
  networkType: NetworkType,
  /** VNI for geneve/vxlan, VLAN id for vlan; absent for flat/local. */
  segmentationId: Type.Optional(Type.Integer({ minimum: 1, maximum: 16777215 })),
  physicalNetwork: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  mtu: Type.Integer({ minimum: 68, maximum: 65535 }),
  /** router:external */
  external: Type.Boolean(),
  shared: Type.Boolean(),
  portSecurityEnabled: Type.Boolean(),
  adminStateUp: AdminState,
  status: Type.Union([
    Type.Literal('ACTIVE'),
    Type.Literal('DOWN'),
    Type.Literal('BUILD'),
    Type.Literal('ERROR'),
  ]),
  availabilityZoneHints: Type.Array(Type.String({ maxLength: 255 }), { maxItems: 16 }),
});

export const AllocationPool = Type.Object(
  { start: IpAddress, end: IpAddress },
  { additionalProperties: false },
);
export const HostRoute = Type.Object(
  { destination: Cidr, nexthop: IpAddress },
  { additionalProperties: false },
);
export const Ipv6Mode = Type.Union([
  Type.Literal('slaac'),
  Type.Literal('dhcpv6-stateful'),
  Type.Literal('dhcpv6-stateless'),
]);

export const SubnetSchema = obj({
  networkId: Uuid,
  ipVersion: Type.Union([Type.Literal(4), Type.Literal(6)]),
  cidr: Cidr,
  /** null: the subnet has no gateway. */
  gatewayIp: Type.Union([IpAddress, Type.Null()]),
  allocationPools: Type.Array(AllocationPool, { maxItems: 256 }),
  enableDhcp: Type.Boolean(),
  dnsNameservers: Type.Array(IpAddress, { maxItems: 16 }),
  hostRoutes: Type.Array(HostRoute, { maxItems: 64 }),
  ipv6RaMode: Type.Optional(Ipv6Mode),
  ipv6AddressMode: Type.Optional(Ipv6Mode),
  /** The subnet pool its CIDR was allocated from (Neutron's subnetpool_id). */
  subnetpoolId: Type.Optional(Uuid),
});

/** Prefix lengths of a subnet pool: 0…32 for IPv4 pools, 0…128 for IPv6 ones. */
const PrefixLength = Type.Integer({ minimum: 0, maximum: 128 });

/**
 * A Neutron subnet pool: prefixes subnets are allocated from. The prefixes are kept compacted
 * (merged, in address order) and all of one IP version. Which CIDRs are allocated is not stored
 * here: the subnets carry `subnetpoolId`, and each allocation is a claim in the pool's namespace.
 */
export const SubnetPoolSchema = obj({
  ipVersion: Type.Union([Type.Literal(4), Type.Literal(6)]),
  /** Empty only after remove_prefixes took them all (Neutron allows it). */
  prefixes: Type.Array(Cidr, { maxItems: 1024 }),
  defaultPrefixlen: PrefixLength,
  minPrefixlen: PrefixLength,
  maxPrefixlen: PrefixLength,
  /** Per-project allocation limit in /32 (IPv4) or /64 (IPv6) units; absent: none. */
  defaultQuota: Type.Optional(Type.Integer({ minimum: 0 })),
  shared: Type.Boolean(),
  /** The pool `use_default_subnetpool` allocates from; at most one per IP version. */
  isDefault: Type.Boolean(),
});

export const FixedIp = Type.Object({ subnetId: Uuid, ipAddress: IpAddress }, { additionalProperties: false });
export const AddressPair = Type.Object(
  { ipAddress: IpOrCidr, macAddress: MacAddress },
  { additionalProperties: false },
);

export const PortBinding = Type.Object(
  {
    /** The chassis (host) the port is bound to; "" when unbound. */
    hostId: Type.String({ maxLength: 255 }),
    vnicType: Type.Union([
      Type.Literal('normal'),
      Type.Literal('direct'),
      Type.Literal('macvtap'),
      Type.Literal('baremetal'),
      Type.Literal('virtio-forwarder'),
    ]),
    vifType: Type.String({ maxLength: 64 }),
    vifDetails: Type.Record(
      Type.String({ maxLength: 64 }),
      Type.Union([Type.String({ maxLength: 255 }), Type.Boolean(), Type.Number()]),
    ),
    profile: Type.Record(
      Type.String({ maxLength: 64 }),
      Type.Union([Type.String({ maxLength: 255 }), Type.Boolean(), Type.Number()]),
    ),
  },
  { additionalProperties: false },
);

/** Set on a trunk subport: its trunk and how its traffic is told apart on the parent's link. */
export const SubportOf = Type.Object(
  {
    trunkId: Uuid,
    parentPortId: Uuid,
    segmentationType: Type.Literal('vlan'),
    segmentationId: Type.Integer({ minimum: 1, maximum: 4094 }),
  },
  { additionalProperties: false },
);

export const PortStatus = Type.Union([
  Type.Literal('ACTIVE'),
  Type.Literal('DOWN'),
  Type.Literal('BUILD'),
  Type.Literal('ERROR'),
]);

export const LogicalPortSchema = obj({
  networkId: Uuid,
  macAddress: MacAddress,
  fixedIps: Type.Array(FixedIp, { maxItems: 64 }),
  binding: PortBinding,
  deviceOwner: Type.String({ maxLength: 255 }),
  deviceId: Type.String({ maxLength: 255 }),
  securityGroups: Type.Array(Uuid, { maxItems: 64 }),
  portSecurityEnabled: Type.Boolean(),
  allowedAddressPairs: Type.Array(AddressPair, { maxItems: 64 }),
  status: PortStatus,
  adminStateUp: AdminState,
  subportOf: Type.Optional(SubportOf),
  dnsName: Type.String({ maxLength: 255 }),
});

export const RouterGateway = Type.Object(
  {
    networkId: Uuid,
    enableSnat: Type.Boolean(),
    /** The router's gateway port on the external network (holds the external fixed IPs). */
    portId: Uuid,
  },
  { additionalProperties: false },
);

export const RouterSchema = obj({
  adminStateUp: AdminState,
  status: Type.Union([Type.Literal('ACTIVE'), Type.Literal('DOWN'), Type.Literal('ERROR')]),
  externalGateway: Type.Optional(RouterGateway),
  routes: Type.Array(HostRoute, { maxItems: 256 }),
  distributed: Type.Boolean(),
});

export const FloatingIpSchema = obj({
  floatingNetworkId: Uuid,
  floatingIpAddress: IpAddress,
  /** The port on the external network that holds the address (device_owner network:floatingip). */
  floatingPortId: Uuid,
  portId: Type.Optional(Uuid),
  fixedIpAddress: Type.Optional(IpAddress),
  routerId: Type.Optional(Uuid),
  status: Type.Union([Type.Literal('ACTIVE'), Type.Literal('DOWN'), Type.Literal('ERROR')]),
});

export const Direction = Type.Union([Type.Literal('ingress'), Type.Literal('egress')]);
export const EtherType = Type.Union([Type.Literal('IPv4'), Type.Literal('IPv6')]);

export const SecurityGroupRule = Type.Object(
  {
    id: Uuid,
    direction: Direction,
    ethertype: EtherType,
    /** IANA protocol number as text, or a name (tcp, udp, icmp, icmpv6…); absent: any. */
    protocol: Type.Optional(Type.String({ minLength: 1, maxLength: 16 })),
    portRangeMin: Type.Optional(U16),
    portRangeMax: Type.Optional(U16),
    remoteIpPrefix: Type.Optional(Cidr),
    remoteGroupId: Type.Optional(Uuid),
    description: Type.String({ maxLength: 255 }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    /** Rules carry their own revision so the rules API can report it. */
    revision: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);

/** A security group with its rules embedded: one CAS covers the group and every rule. */
export const SecurityGroupSchema = obj({
  stateful: Type.Boolean(),
  rules: Type.Array(SecurityGroupRule, { maxItems: 1000 }),
});

export const TrunkSubport = Type.Object(
  {
    portId: Uuid,
    segmentationType: Type.Literal('vlan'),
    segmentationId: Type.Integer({ minimum: 1, maximum: 4094 }),
  },
  { additionalProperties: false },
);

export const TrunkSchema = obj({
  portId: Uuid,
  subports: Type.Array(TrunkSubport, { maxItems: 4094 }),
  status: Type.Union([
    Type.Literal('ACTIVE'),
    Type.Literal('DOWN'),
    Type.Literal('BUILD'),
    Type.Literal('DEGRADED'),
    Type.Literal('ERROR'),
  ]),
  adminStateUp: AdminState,
});

export type Chassis = Static<typeof ChassisSchema>;
export type LogicalSwitch = Static<typeof LogicalSwitchSchema>;
export type Subnet = Static<typeof SubnetSchema>;
export type SubnetPool = Static<typeof SubnetPoolSchema>;
export type LogicalPort = Static<typeof LogicalPortSchema>;
export type Router = Static<typeof RouterSchema>;
export type FloatingIp = Static<typeof FloatingIpSchema>;
export type SecurityGroup = Static<typeof SecurityGroupSchema>;
export type SecurityGroupRuleT = Static<typeof SecurityGroupRule>;
export type Trunk = Static<typeof TrunkSchema>;
export type NetworkTypeT = Static<typeof NetworkType>;
export type FixedIpT = Static<typeof FixedIp>;
export type AllocationPoolT = Static<typeof AllocationPool>;
export type HostRouteT = Static<typeof HostRoute>;
export type AddressPairT = Static<typeof AddressPair>;
