// Neutron networks (core: logical switches), with the provider, external-net, net-mtu(-writable),
// port-security and standard-attr extensions. A network's `subnets` are read from the subnet
// index, once per list (not once per network) when many networks are listed.
import {
  createNetwork,
  deleteNetwork,
  isVisible,
  readVisible,
  updateNetwork,
  type NetworkInput,
  type NetworkPatch,
} from '@weir/core';
import type { LogicalSwitch } from '@weir/model';
import type { Principal } from '../../auth/principal.js';
import type { ApiObject, IndexQuery, ListHint, NeutronResource, ResourceDeps } from '../resource.js';
import { boolean, integer, listOf, oneOf, string } from '../validators.js';
import { pick, READ_ONLY, STANDARD_ATTRIBUTES, standardView } from '../views.js';
import { listVisible, NAME_FILTER } from './visibility.js';

export interface NetworkWithSubnets {
  readonly network: LogicalSwitch;
  readonly subnetIds: readonly string[];
}

const INPUT: Readonly<Record<string, keyof NetworkInput>> = {
  name: 'name',
  description: 'description',
  tags: 'tags',
  admin_state_up: 'adminStateUp',
  shared: 'shared',
  'router:external': 'external',
  mtu: 'mtu',
  port_security_enabled: 'portSecurityEnabled',
  'provider:network_type': 'networkType',
  'provider:physical_network': 'physicalNetwork',
  'provider:segmentation_id': 'segmentationId',
  availability_zone_hints: 'availabilityZoneHints',
  project_id: 'projectId',
};

async function withSubnets(
  deps: ResourceDeps,
  networks: readonly LogicalSwitch[],
): Promise<NetworkWithSubnets[]> {
  const store = deps.core.store;
  const byNetwork = new Map<string, string[]>();
  if (networks.length > 20) {
    for (const s of (await store.list('subnet')).items) {
      const list = byNetwork.get(s.networkId) ?? [];
      list.push(s.id);
      byNetwork.set(s.networkId, list);
    }
  } else {
    await Promise.all(
      networks.map(async (n) => {
        const r = await store.list('subnet', { index: { name: 'network', value: n.id } });
        byNetwork.set(
          n.id,
          r.items.map((s) => s.id),
        );
      }),
    );
  }
  return networks.map((network) => ({ network, subnetIds: byNetwork.get(network.id) ?? [] }));
}

/**
 * The store indexes shared and external networks under "true" only: a filter asking for true
 * (in any of Neutron's spellings: True, 1, yes…) reads the index, any other is a full list.
 */
function whenTrue(name: string): (wanted: readonly string[]) => IndexQuery | undefined {
  return (wanted) => {
    const isTrue = (w: string): boolean => {
      try {
        return boolean(w) === true;
      } catch {
        return false;
      }
    };
    return wanted.every(isTrue) ? { name, values: ['true'] } : undefined;
  };
}

export const networks: NeutronResource<NetworkWithSubnets> = {
  singular: 'network',
  plural: 'networks',
  table: 'logical_switch',
  tags: true,
  revisions: true,
  attributes: {
    ...STANDARD_ATTRIBUTES,
    subnets: { ...READ_ONLY, sort: false },
    status: READ_ONLY,
    admin_state_up: { post: true, put: true, check: boolean },
    shared: { post: true, put: true, check: boolean },
    'router:external': { post: true, put: true, check: boolean },
    mtu: { post: true, put: true, check: integer(68, 65535) },
    port_security_enabled: { post: true, put: true, check: boolean },
    'provider:network_type': {
      post: true,
      put: false,
      adminOnly: true,
      check: oneOf(['geneve', 'vxlan', 'vlan', 'flat', 'local']),
    },
    'provider:physical_network': { post: true, put: false, adminOnly: true, check: string(64) },
    'provider:segmentation_id': { post: true, put: false, adminOnly: true, check: integer(1, 16777215) },
    availability_zone_hints: { post: true, put: false, check: listOf(string(255), 16), filter: false },
    availability_zones: { ...READ_ONLY, filter: false, sort: false },
  },
  indexedFilters: {
    ...NAME_FILTER,
    'router:external': whenTrue('external'),
    shared: whenTrue('shared'),
  },

  view({ network: n, subnetIds }, principal: Principal): ApiObject {
    const v: ApiObject = Object.assign(standardView(n), {
      admin_state_up: n.adminStateUp,
      status: n.status,
      subnets: subnetIds,
      shared: n.shared,
      'router:external': n.external,
      mtu: n.mtu,
      port_security_enabled: n.portSecurityEnabled,
      availability_zone_hints: n.availabilityZoneHints,
      availability_zones: [],
    });
    // Neutron's policy shows the provider attributes to admins only.
    if (principal.admin) {
      v['provider:network_type'] = n.networkType;
      v['provider:physical_network'] = n.physicalNetwork ?? null;
      v['provider:segmentation_id'] = n.segmentationId ?? null;
    }
    return v;
  },
  idOf: (o) => o.network.id,

  async list(deps, principal, hint: ListHint) {
    const found = await listVisible(deps, principal, 'logical_switch', hint, [
      { name: 'shared', value: 'true' },
      { name: 'external', value: 'true' },
    ]);
    return withSubnets(
      deps,
      found.filter((n) => isVisible(principal, n, 'logical_switch')),
    );
  },
  async show(deps, principal, id) {
    const n = await readVisible(deps.core, principal, 'logical_switch', 'network', id);
    return (await withSubnets(deps, [n]))[0] as NetworkWithSubnets;
  },
  async create(deps, principal, body) {
    const n = await createNetwork(deps.core, principal, pick<NetworkInput>(body, INPUT));
    return { network: n, subnetIds: [] };
  },
  async update(deps, principal, id, body, ifMatch) {
    const patch = pick<NetworkInput>(body, INPUT) as NetworkPatch;
    const n = await updateNetwork(deps.core, principal, id, patch, {
      ...(ifMatch.revision === undefined ? {} : { ifMatchVersion: ifMatch.revision }),
    });
    return (await withSubnets(deps, [n]))[0] as NetworkWithSubnets;
  },
  async remove(deps, principal, id) {
    await deleteNetwork(deps.core, principal, id);
  },
};
