// The Octavia wire shapes API tests read (only the attributes tests look at; the server sends
// more), and a fixture: a network and subnet made through the Neutron API of the same server.
import assert from 'node:assert/strict';
import type { TestServer } from './server.js';

export interface IdOnly {
  readonly id: string;
}

export interface OctaviaBase {
  readonly id: string;
  readonly name: string;
  readonly project_id: string;
  readonly provisioning_status: string;
  readonly operating_status: string;
  readonly admin_state_up: boolean;
  readonly created_at: string;
  readonly updated_at: string;
  readonly tags: string[];
}

export interface LoadBalancerView extends OctaviaBase {
  readonly description: string;
  readonly vip_address: string;
  readonly vip_port_id: string;
  readonly vip_subnet_id: string | null;
  readonly vip_network_id: string;
  readonly listeners: IdOnly[];
  readonly pools: IdOnly[];
  readonly provider: string;
  readonly flavor_id: string | null;
}

export interface ListenerView extends OctaviaBase {
  readonly protocol: string;
  readonly protocol_port: number;
  readonly connection_limit: number;
  readonly default_pool_id: string | null;
  readonly loadbalancers: IdOnly[];
  readonly timeout_client_data: number;
}

export interface PoolView extends OctaviaBase {
  readonly protocol: string;
  readonly lb_algorithm: string;
  readonly session_persistence: {
    readonly type: string;
    readonly cookie_name: string | null;
    readonly persistence_timeout: number | null;
  } | null;
  readonly loadbalancers: IdOnly[];
  readonly listeners: IdOnly[];
  readonly members: IdOnly[];
  readonly healthmonitor_id: string | null;
}

export interface MemberView extends OctaviaBase {
  readonly address: string;
  readonly protocol_port: number;
  readonly weight: number;
  readonly backup: boolean;
  readonly subnet_id: string | null;
  readonly monitor_address: string | null;
  readonly monitor_port: number | null;
}

export interface HealthMonitorView extends OctaviaBase {
  readonly type: string;
  readonly delay: number;
  readonly timeout: number;
  readonly max_retries: number;
  readonly max_retries_down: number;
  readonly http_method: string | null;
  readonly url_path: string | null;
  readonly expected_codes: string | null;
  readonly pools: IdOnly[];
}

interface StatusNode {
  readonly id: string;
  readonly name: string;
  readonly provisioning_status: string;
  readonly operating_status: string;
}

export interface StatusTreeView {
  readonly statuses: {
    readonly loadbalancer: StatusNode & {
      readonly listeners: (StatusNode & {
        readonly pools: (StatusNode & {
          readonly health_monitor?: StatusNode & { readonly type: string };
          readonly members: (StatusNode & { readonly address: string; readonly protocol_port: number })[];
        })[];
      })[];
    };
  };
}

export interface Fault {
  readonly faultcode: string;
  readonly faultstring: string;
  readonly debuginfo: null;
}

export interface LbNet {
  readonly networkId: string;
  readonly subnetId: string;
}

/** A network with one IPv4 subnet, made through the server's Neutron API. */
export async function lbNet(
  s: TestServer,
  cidr = '10.0.0.0/24',
  headers?: Record<string, string>,
): Promise<LbNet> {
  const n = await s.neutron<{ network: { id: string } }>('POST', '/v2.0/networks', { network: {} }, headers);
  assert.equal(n.status, 201, n.text);
  const sub = await s.neutron<{ subnet: { id: string } }>(
    'POST',
    '/v2.0/subnets',
    { subnet: { network_id: n.body.network.id, cidr, ip_version: 4 } },
    headers,
  );
  assert.equal(sub.status, 201, sub.text);
  return { networkId: n.body.network.id, subnetId: sub.body.subnet.id };
}
