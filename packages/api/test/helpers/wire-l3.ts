// Wire shapes of routers, floating IPs, security groups and quotas (only what tests read), and
// the fixtures their tests share: an external network and tenant networks made over HTTP.
import assert from 'node:assert/strict';
import type { TestServer } from './server.js';
import type { FixedIpView, NetworkView, One, PortView, Standard, SubnetView } from './wire.js';

export interface RouteView {
  readonly destination: string;
  readonly nexthop: string;
}

export interface RouterView extends Standard {
  readonly admin_state_up: boolean;
  readonly status: string;
  readonly external_gateway_info: {
    readonly network_id: string;
    readonly enable_snat: boolean;
    readonly external_fixed_ips: FixedIpView[];
  } | null;
  readonly routes: RouteView[];
}

export interface InterfaceView {
  readonly id: string;
  readonly project_id: string;
  readonly tenant_id: string;
  readonly port_id: string;
  readonly network_id: string;
  readonly subnet_id: string;
  readonly subnet_ids: string[];
}

export type FloatingIpView = Omit<Standard, 'name'> & {
  readonly floating_network_id: string;
  readonly floating_ip_address: string;
  readonly port_id: string | null;
  readonly fixed_ip_address: string | null;
  readonly router_id: string | null;
  readonly status: string;
};

export interface RuleView {
  readonly id: string;
  readonly project_id: string;
  readonly security_group_id: string;
  readonly direction: string;
  readonly ethertype: string;
  readonly protocol: string | null;
  readonly port_range_min: number | null;
  readonly port_range_max: number | null;
  readonly remote_ip_prefix: string | null;
  readonly remote_group_id: string | null;
  readonly description: string;
  readonly revision_number: number;
}

export interface SecurityGroupView extends Standard {
  readonly stateful: boolean;
  readonly security_group_rules: RuleView[];
}

export type QuotaLimits = Readonly<Record<string, number>>;

/** Makes a resource over HTTP and insists on 201. */
export async function made<T>(
  s: TestServer,
  path: string,
  key: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<T> {
  const r = await s.neutron<One<string, T>>('POST', path, { [key]: body }, headers);
  assert.equal(r.status, 201, r.text);
  return r.body[key] as T;
}

/** An external network with one IPv4 subnet (admin). */
export async function externalNetwork(
  s: TestServer,
  cidr = '203.0.113.0/24',
): Promise<{ network: NetworkView; subnet: SubnetView }> {
  const network = await made<NetworkView>(s, '/v2.0/networks', 'network', {
    name: 'public',
    'router:external': true,
  });
  const subnet = await made<SubnetView>(s, '/v2.0/subnets', 'subnet', {
    network_id: network.id,
    cidr,
    ip_version: 4,
  });
  return { network, subnet };
}

/** A network with one subnet, as the project the headers name (admin's project without). */
export async function tenantNetwork(
  s: TestServer,
  cidr: string,
  headers: Record<string, string> = {},
  subnet: Record<string, unknown> = {},
): Promise<{ network: NetworkView; subnet: SubnetView }> {
  const network = await made<NetworkView>(s, '/v2.0/networks', 'network', { name: `net-${cidr}` }, headers);
  const sub = await made<SubnetView>(
    s,
    '/v2.0/subnets',
    'subnet',
    { network_id: network.id, cidr, ip_version: 4, ...subnet },
    headers,
  );
  return { network, subnet: sub };
}

export async function port(
  s: TestServer,
  networkId: string,
  headers: Record<string, string> = {},
): Promise<PortView> {
  return made<PortView>(s, '/v2.0/ports', 'port', { network_id: networkId }, headers);
}
