// Neutron subnets (neutron-lib api/definitions/subnet.py, with default-subnetpools'
// use_default_subnetpool). Without a cidr, core allocates one from the subnet pool named by
// subnetpool_id (or the default pool), of `prefixlen`. Subnets of shared networks are visible to
// every project (core's readVisible for show; the list below for lists); those of external
// networks are not, as in Neutron.
import {
  createSubnet,
  deleteSubnet,
  readVisible,
  updateSubnet,
  type SubnetInput,
  type SubnetPatch,
} from '@weir/core';
import type { Subnet } from '@weir/model';
import type { Principal } from '../../auth/principal.js';
import type { ApiObject, ListHint, NeutronResource, ResourceDeps } from '../resource.js';
import {
  boolean,
  cidr,
  integer,
  ipAddress,
  nonNegative,
  nullable,
  oneOf,
  uuid,
  type Check,
} from '../validators.js';
import { pick, STANDARD_ATTRIBUTES, standardView } from '../views.js';
import { ifMatchOption } from './if-match.js';
import { allocationPools, dnsNameservers, hostRoutes } from './subnet-checks.js';
import { listVisible, NAME_FILTER } from './visibility.js';

const INPUT: Readonly<Record<string, keyof SubnetInput>> = {
  name: 'name',
  description: 'description',
  tags: 'tags',
  network_id: 'networkId',
  ip_version: 'ipVersion',
  cidr: 'cidr',
  gateway_ip: 'gatewayIp',
  allocation_pools: 'allocationPools',
  enable_dhcp: 'enableDhcp',
  dns_nameservers: 'dnsNameservers',
  host_routes: 'hostRoutes',
  ipv6_ra_mode: 'ipv6RaMode',
  ipv6_address_mode: 'ipv6AddressMode',
  subnetpool_id: 'subnetpoolId',
  prefixlen: 'prefixlen',
  use_default_subnetpool: 'useDefaultSubnetpool',
  project_id: 'projectId',
};

const IPV6_MODES = ['dhcpv6-stateful', 'dhcpv6-stateless', 'slaac'];

/** neutron-lib: convert_to_int, then one of [4, 6]. */
const ipVersion: Check = (v) => oneOf([4, 6])(integer()(v));

const noList = { filter: false, sort: false } as const;

/**
 * A non-admin's subnets: their project's, plus those of every shared network (an index read for
 * the networks, one per such network for its subnets).
 */
async function listForProject(deps: ResourceDeps, principal: Principal, hint: ListHint): Promise<Subnet[]> {
  const store = deps.core.store;
  const shared = await store.list('logical_switch', { index: { name: 'shared', value: 'true' } });
  const publicNets = new Set(shared.items.map((n) => n.id));
  const byId = new Map<string, Subnet>();
  const keep = (s: Subnet): void => {
    if (s.topic === principal.projectId || publicNets.has(s.networkId)) byId.set(s.id, s);
  };
  if (hint.index) {
    const lists = await Promise.all(
      hint.index.values.map((value) =>
        store.list('subnet', { index: { name: (hint.index as { name: string }).name, value } }),
      ),
    );
    for (const l of lists) l.items.forEach(keep);
  } else {
    const lists = await Promise.all([
      store.list('subnet', { topic: principal.projectId }),
      ...[...publicNets].map((id) => store.list('subnet', { index: { name: 'network', value: id } })),
    ]);
    for (const l of lists) l.items.forEach(keep);
  }
  return [...byId.values()];
}

export const subnets: NeutronResource<Subnet> = {
  singular: 'subnet',
  plural: 'subnets',
  table: 'subnet',
  tags: true,
  revisions: true,
  attributes: {
    ...STANDARD_ATTRIBUTES,
    network_id: { post: true, put: false, required: true, check: uuid },
    ip_version: { post: true, put: false, required: true, check: ipVersion },
    cidr: { post: true, put: false, check: nullable(cidr) },
    subnetpool_id: { post: true, put: false, check: nullable(uuid) },
    // Request-only (Neutron does not show them).
    prefixlen: { post: true, put: false, check: nonNegative, ...noList },
    use_default_subnetpool: { post: true, put: false, check: boolean, ...noList },
    gateway_ip: { post: true, put: true, check: nullable(ipAddress) },
    allocation_pools: { post: true, put: true, check: allocationPools, ...noList },
    dns_nameservers: { post: true, put: true, check: dnsNameservers, ...noList },
    host_routes: { post: true, put: true, check: hostRoutes, ...noList },
    enable_dhcp: { post: true, put: true, check: boolean },
    ipv6_ra_mode: { post: true, put: false, check: nullable(oneOf(IPV6_MODES)) },
    ipv6_address_mode: { post: true, put: false, check: nullable(oneOf(IPV6_MODES)) },
  },
  indexedFilters: { ...NAME_FILTER, network_id: 'network' },

  view(s): ApiObject {
    return Object.assign(standardView(s), {
      network_id: s.networkId,
      ip_version: s.ipVersion,
      cidr: s.cidr,
      gateway_ip: s.gatewayIp,
      allocation_pools: s.allocationPools.map((p) => ({ start: p.start, end: p.end })),
      enable_dhcp: s.enableDhcp,
      dns_nameservers: [...s.dnsNameservers],
      host_routes: s.hostRoutes.map((r) => ({ destination: r.destination, nexthop: r.nexthop })),
      ipv6_ra_mode: s.ipv6RaMode ?? null,
      ipv6_address_mode: s.ipv6AddressMode ?? null,
      subnetpool_id: s.subnetpoolId ?? null,
    });
  },
  idOf: (s) => s.id,

  async list(deps, principal, hint) {
    if (principal.admin) return listVisible(deps, principal, 'subnet', hint);
    return listForProject(deps, principal, hint);
  },
  show: (deps, principal, id) => readVisible(deps.core, principal, 'subnet', 'subnet', id),
  async create(deps, principal, body) {
    const input = pick<SubnetInput>(body, INPUT) as SubnetInput;
    // null means "not given" for these (the model has no null for them); a null gateway_ip
    // means "no gateway" and stays.
    const { ipv6RaMode, ipv6AddressMode, cidr, subnetpoolId, ...rest } = input;
    return createSubnet(deps.core, principal, {
      ...rest,
      ...(cidr ? { cidr } : {}),
      ...(subnetpoolId ? { subnetpoolId } : {}),
      ...(ipv6RaMode ? { ipv6RaMode } : {}),
      ...(ipv6AddressMode ? { ipv6AddressMode } : {}),
    });
  },
  update(deps, principal, id, body, ifMatch) {
    const patch = pick<SubnetInput>(body, INPUT) as SubnetPatch;
    return updateSubnet(deps.core, principal, id, patch, ifMatchOption(ifMatch));
  },
  async remove(deps, principal, id, ifMatch) {
    await deleteSubnet(deps.core, principal, id, ifMatchOption(ifMatch));
  },
};
