// tempest.conf for a run against Weir: Keystone v3 with pre-provisioned accounts (no dynamic
// credentials: the facade has no user API), the network service only, and exactly the extensions
// the server lists (tempest's default, "all", would run tests for extensions Weir lacks).
import type { External } from './provision.js';
import type { ServerUrls } from './server.js';

export interface ConfInput {
  readonly workspace: string;
  readonly accountsFile: string;
  readonly urls: ServerUrls;
  readonly region: string;
  readonly external: External;
  readonly extensions: readonly string[];
}

export function tempestConf(c: ConfInput): string {
  const has = (alias: string): string => String(c.extensions.includes(alias));
  const sections: Record<string, Record<string, string>> = {
    DEFAULT: { log_dir: `${c.workspace}/logs`, log_file: 'tempest.log', debug: 'true' },
    oslo_concurrency: { lock_path: `${c.workspace}/tempest_lock` },
    auth: {
      use_dynamic_credentials: 'false',
      test_accounts_file: c.accountsFile,
      default_credentials_domain_name: 'Default',
      create_isolated_networks: 'false',
    },
    identity: {
      uri_v3: `${c.urls.identity}/v3`,
      auth_version: 'v3',
      region: c.region,
      v3_endpoint_type: 'public',
      admin_role: 'admin',
      default_domain_id: 'default',
    },
    'identity-feature-enabled': { api_v2: 'false', api_v3: 'true' },
    service_available: {
      neutron: 'true',
      nova: 'false',
      glance: 'false',
      cinder: 'false',
      swift: 'false',
      horizon: 'false',
    },
    network: {
      endpoint_type: 'public',
      region: c.region,
      public_network_id: c.external.networkId,
      floating_network_name: c.external.networkName,
      project_network_cidr: '10.100.0.0/16',
      project_network_mask_bits: '28',
      project_network_v6_cidr: '2001:db8::/48',
      project_network_v6_mask_bits: '64',
      project_networks_reachable: 'false',
      shared_physical_network: 'false',
    },
    'network-feature-enabled': {
      api_extensions: c.extensions.join(','),
      ipv6: 'true',
      ipv6_subnet_attributes: 'true',
      port_admin_state_change: 'true',
      port_security: has('port-security'),
      floating_ips: has('router'),
    },
    validation: { run_validation: 'false' },
  };
  return Object.entries(sections)
    .map(
      ([name, values]) =>
        `[${name}]\n${Object.entries(values)
          .map(([k, v]) => `${k} = ${v}`)
          .join('\n')}\n`,
    )
    .join('\n');
}
