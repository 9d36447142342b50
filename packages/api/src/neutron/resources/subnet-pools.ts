// Neutron subnet pools (neutron-lib api/definitions/subnetpool.py, with the default-subnetpools
// is_default and standard attributes). name and prefixes are required on create (they have no
// default in Neutron's attribute map). The member actions add_prefixes and remove_prefixes are in
// subnet-pool-actions.ts. Address scopes are not implemented: address_scope_id reads null.
import {
  createSubnetPool,
  deleteSubnetPool,
  isVisible,
  readVisible,
  updateSubnetPool,
  type SubnetPoolInput,
  type SubnetPoolPatch,
} from '@weir/core';
import type { SubnetPool } from '@weir/model';
import type { ApiObject, NeutronResource } from '../resource.js';
import { boolean, cidr, nonNegative, notEmptyString, nullable, uniqueListOf, uuid } from '../validators.js';
import { pick, READ_ONLY, STANDARD_ATTRIBUTES, standardView } from '../views.js';
import { ifMatchOption } from './if-match.js';
import { listVisible, NAME_FILTER } from './visibility.js';

const INPUT: Readonly<Record<string, keyof SubnetPoolInput>> = {
  name: 'name',
  description: 'description',
  tags: 'tags',
  prefixes: 'prefixes',
  default_prefixlen: 'defaultPrefixlen',
  min_prefixlen: 'minPrefixlen',
  max_prefixlen: 'maxPrefixlen',
  default_quota: 'defaultQuota',
  shared: 'shared',
  is_default: 'isDefault',
  address_scope_id: 'addressScopeId',
  project_id: 'projectId',
};

/** neutron-lib validate_subnet_list: CIDRs, each once. */
export const subnetList = uniqueListOf(cidr, 1024);

export const subnetPools: NeutronResource<SubnetPool> = {
  singular: 'subnetpool',
  plural: 'subnetpools',
  table: 'subnet_pool',
  tags: true,
  revisions: true,
  attributes: {
    ...STANDARD_ATTRIBUTES,
    name: { post: true, put: true, required: true, check: notEmptyString() },
    prefixes: { post: true, put: true, required: true, check: subnetList, filter: false, sort: false },
    default_quota: { post: true, put: true, check: nonNegative },
    ip_version: READ_ONLY,
    default_prefixlen: { post: true, put: true, check: nonNegative },
    min_prefixlen: { post: true, put: true, check: nonNegative },
    max_prefixlen: { post: true, put: true, check: nonNegative },
    // Policy (admins only when true, on update when given at all) is core's.
    is_default: { post: true, put: true, check: boolean },
    shared: { post: true, put: false, check: boolean },
    address_scope_id: { post: true, put: true, check: nullable(uuid) },
  },
  indexedFilters: { ...NAME_FILTER },

  view(p): ApiObject {
    return Object.assign(standardView(p), {
      prefixes: [...p.prefixes],
      ip_version: p.ipVersion,
      // Neutron's _make_subnetpool_dict renders the prefix lengths as strings (tempest compares
      // them with '29'); clients convert them.
      default_prefixlen: String(p.defaultPrefixlen),
      min_prefixlen: String(p.minPrefixlen),
      max_prefixlen: String(p.maxPrefixlen),
      default_quota: p.defaultQuota ?? null,
      is_default: p.isDefault,
      shared: p.shared,
      address_scope_id: null,
    });
  },
  idOf: (p) => p.id,

  async list(deps, principal, hint) {
    const found = await listVisible(deps, principal, 'subnet_pool', hint, [
      { name: 'shared', value: 'true' },
    ]);
    return found.filter((p) => isVisible(principal, p, 'subnet_pool'));
  },
  show: (deps, principal, id) => readVisible(deps.core, principal, 'subnet_pool', 'subnetpool', id),
  create(deps, principal, body) {
    const input = pick<SubnetPoolInput>(body, INPUT) as SubnetPoolInput;
    return createSubnetPool(deps.core, principal, input);
  },
  update(deps, principal, id, body, ifMatch) {
    const patch = pick<SubnetPoolInput>(body, INPUT) as SubnetPoolPatch;
    return updateSubnetPool(deps.core, principal, id, patch, ifMatchOption(ifMatch));
  },
  async remove(deps, principal, id, ifMatch) {
    await deleteSubnetPool(deps.core, principal, id, ifMatchOption(ifMatch));
  },
};
