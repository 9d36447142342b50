// The wire shapes API tests read (only the attributes tests look at; the server sends more).

export interface Standard {
  readonly id: string;
  readonly name: string;
  readonly project_id: string;
  readonly tenant_id: string;
  readonly description: string;
  readonly tags: string[];
  readonly created_at: string;
  readonly updated_at: string;
  readonly revision_number: number;
}

export interface NetworkView extends Standard {
  readonly mtu: number;
  readonly subnets: string[];
  readonly shared: boolean;
  readonly 'router:external': boolean;
  readonly admin_state_up: boolean;
  readonly status: string;
  readonly 'provider:network_type'?: string;
  readonly 'provider:segmentation_id'?: number | null;
}

export interface Link {
  readonly rel: 'next' | 'previous';
  readonly href: string;
}

export type One<K extends string, V> = { readonly [P in K]: V };
export type Many<K extends string, V> = { readonly [P in K]: V[] } & {
  readonly [P in `${K}_links`]?: Link[];
};

export interface SubnetView extends Standard {
  readonly network_id: string;
  readonly ip_version: 4 | 6;
  readonly cidr: string;
  readonly gateway_ip: string | null;
  readonly allocation_pools: { readonly start: string; readonly end: string }[];
  readonly enable_dhcp: boolean;
  readonly dns_nameservers: string[];
  readonly host_routes: { readonly destination: string; readonly nexthop: string }[];
  readonly ipv6_ra_mode: string | null;
  readonly ipv6_address_mode: string | null;
  readonly subnetpool_id: string | null;
}

export interface FixedIpView {
  readonly subnet_id: string;
  readonly ip_address: string;
}

export interface SubportView {
  readonly port_id: string;
  readonly segmentation_type: string;
  readonly segmentation_id: number;
  readonly mac_address?: string;
}

export interface PortView extends Standard {
  readonly network_id: string;
  readonly mac_address: string;
  readonly fixed_ips: FixedIpView[];
  readonly admin_state_up: boolean;
  readonly status: string;
  readonly device_id: string;
  readonly device_owner: string;
  readonly security_groups: string[];
  readonly port_security_enabled: boolean;
  readonly allowed_address_pairs: { readonly ip_address: string; readonly mac_address: string }[];
  readonly 'binding:vnic_type': string;
  /** The binding's host, profile and VIF are shown to admins only. */
  readonly 'binding:host_id'?: string;
  readonly 'binding:profile'?: Record<string, unknown>;
  readonly 'binding:vif_type'?: string;
  readonly 'binding:vif_details'?: Record<string, unknown>;
  readonly trunk_details?: { readonly trunk_id: string; readonly sub_ports: SubportView[] };
}

export interface TrunkView extends Standard {
  readonly port_id: string;
  readonly admin_state_up: boolean;
  readonly status: string;
  readonly sub_ports: SubportView[];
}

// Keystone v3 (the facade).
export interface KeystoneRef {
  readonly id: string;
  readonly name: string;
}

export interface CatalogEntryView {
  readonly id: string;
  readonly type: string;
  readonly name: string;
  readonly endpoints: { readonly interface: string; readonly region: string; readonly url: string }[];
}

export interface TokenView {
  readonly methods: string[];
  readonly user: KeystoneRef & { readonly domain: KeystoneRef };
  readonly project?: KeystoneRef & { readonly domain: KeystoneRef };
  readonly roles?: KeystoneRef[];
  readonly catalog?: CatalogEntryView[];
  readonly audit_ids: string[];
  readonly expires_at: string;
  readonly issued_at: string;
}

export interface ProjectView {
  readonly id: string;
  readonly name: string;
  readonly domain_id: string;
  readonly description: string;
  readonly enabled: boolean;
  readonly parent_id: string;
  readonly is_domain: boolean;
  readonly tags: string[];
  readonly links: { readonly self: string };
}
