// The extensions Weir's Neutron API implements — exactly those, since clients and tempest decide
// what to call (and what to skip) from this list. Add an alias only with the behaviour behind it.

export interface Extension {
  readonly alias: string;
  readonly name: string;
  readonly description: string;
}

const UPDATED = '2026-11-25T00:00:00-00:00';

export const EXTENSIONS: readonly Extension[] = [
  {
    alias: 'external-net',
    name: 'Neutron external network',
    description: 'Adds external network attribute to network resource.',
  },
  {
    alias: 'provider',
    name: 'Provider Network',
    description: 'Expose mapping of virtual networks to physical networks',
  },
  { alias: 'net-mtu', name: 'Network MTU', description: 'Provides MTU attribute for a network resource.' },
  {
    alias: 'net-mtu-writable',
    name: 'Network MTU (writable)',
    description: 'Provides a writable MTU attribute for a network resource.',
  },
  { alias: 'port-security', name: 'Port Security', description: 'Provides port security' },
  {
    alias: 'standard-attr-description',
    name: 'standard-attr-description',
    description: 'Extension to add descriptions to standard attributes',
  },
  {
    alias: 'standard-attr-timestamp',
    name: 'Resource timestamps',
    description:
      'Adds created_at and updated_at fields to all Neutron resources that have Neutron standard attributes.',
  },
  {
    alias: 'standard-attr-revisions',
    name: 'Resource revision numbers',
    description: 'This extension will display the revision number of neutron resources.',
  },
  {
    alias: 'standard-attr-tag',
    name: 'Tag support for resources with standard attribute: subnet, trunk, network_segment_range, router, network, policy, subnetpool, port, security_group, floatingip',
    description: 'Enables to set tag on resources with standard attribute.',
  },
  {
    alias: 'revision-if-match',
    name: 'If-Match constraints based on revision_number',
    description: 'Extension indicating that If-Match based on revision_number is supported.',
  },
  {
    alias: 'project-id',
    name: 'project_id field enabled',
    description: 'Extension that indicates that project_id field is enabled.',
  },
  {
    alias: 'filter-validation',
    name: 'Filter parameters validation',
    description: 'Provides validation on filtering parameters.',
  },
  {
    alias: 'binding',
    name: 'Port Binding',
    description: 'Expose port bindings of a virtual port to external application',
  },
  {
    alias: 'allowed-address-pairs',
    name: 'Allowed Address Pairs',
    description: 'Provides allowed address pairs',
  },
  {
    alias: 'port-security-groups-filtering',
    name: 'Port filtering on security groups',
    description: 'Provides security groups filtering when listing ports',
  },
  {
    alias: 'ip-substring-filtering',
    name: 'IP address substring filtering',
    description: 'Provides IP address substring filtering when listing ports',
  },
  {
    alias: 'tag-ports-during-bulk-creation',
    name: 'Tag Ports During Bulk Creation',
    description: 'Allow to tag ports during bulk creation',
  },
  { alias: 'trunk', name: 'Trunk Extension', description: 'Provides support for trunk ports' },
  { alias: 'trunk-details', name: 'Trunk port details', description: 'Expose trunk port details' },
  {
    alias: 'router',
    name: 'Neutron L3 Router',
    description:
      'Router abstraction for basic L3 forwarding between L2 Neutron networks and access to external networks via a NAT gateway.',
  },
  {
    alias: 'ext-gw-mode',
    name: 'Neutron L3 Configurable external gateway mode',
    description:
      'Extension of the router abstraction for specifying whether SNAT should occur on the external gateway',
  },
  {
    alias: 'extraroute',
    name: 'Neutron Extra Route',
    description: 'Extra routes configuration for L3 router',
  },
  {
    alias: 'extraroute-atomic',
    name: 'Atomically add/remove extra routes',
    description: 'Edit extra routes of a router on server side by atomically adding/removing extra routes',
  },
  { alias: 'security-group', name: 'security-group', description: 'The security groups extension.' },
  {
    alias: 'stateful-security-group',
    name: 'Stateful security group',
    description: 'Indicates if the security group is stateful or not',
  },
  {
    alias: 'quotas',
    name: 'Quota management support',
    description: 'Expose functions for quotas management per project',
  },
  {
    alias: 'quota_details',
    name: 'Quota details management support',
    description: 'Expose functions for quotas usage statistics per project',
  },
  {
    alias: 'subnet_allocation',
    name: 'Subnet Allocation',
    description: 'Enables allocation of subnets from a subnet pool',
  },
  {
    alias: 'subnetpool-prefix-ops',
    name: 'Subnet Pool Prefix Operations',
    description: 'Provides support for adjusting the prefix list of subnet pools',
  },
  {
    alias: 'default-subnetpools',
    name: 'Default Subnetpools',
    description: 'Provides ability to mark and use a subnetpool as the default.',
  },
  { alias: 'sorting', name: 'Sorting support', description: 'Enabled sorting support' },
  { alias: 'pagination', name: 'Pagination support', description: 'Enabled pagination support' },
];

export function extensionView(e: Extension): Record<string, unknown> {
  return { alias: e.alias, name: e.name, description: e.description, updated: UPDATED, links: [] };
}
