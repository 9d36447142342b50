// Neutron floating IPs (neutron-lib l3.py FLOATINGIPS) with the standard attributes (no name:
// floating IPs have none). Associating is a PUT with port_id (and optionally fixed_ip_address);
// port_id null disassociates. Choosing the address is admin-only (Neutron's policy).
import {
  createFloatingIp,
  deleteFloatingIp,
  readVisible,
  updateFloatingIp,
  type FloatingIpInput,
  type FloatingIpPatch,
} from '@weir/core';
import type { FloatingIp } from '@weir/model';
import type { ApiObject, NeutronResource } from '../resource.js';
import { ipAddress, nullable, uuid } from '../validators.js';
import { pick, READ_ONLY, STANDARD_ATTRIBUTES, standardView } from '../views.js';
import { ifMatchOption } from './if-match.js';
import { listVisible } from './visibility.js';

const INPUT: Readonly<Record<string, keyof FloatingIpInput>> = {
  description: 'description',
  tags: 'tags',
  floating_network_id: 'floatingNetworkId',
  floating_ip_address: 'floatingIpAddress',
  subnet_id: 'subnetId',
  port_id: 'portId',
  fixed_ip_address: 'fixedIpAddress',
  project_id: 'projectId',
};

const { name: _noName, ...standard } = STANDARD_ATTRIBUTES;

/** Body values that are null mean "not given" on create (Neutron's defaults are None). */
function given(body: ApiObject): ApiObject {
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== null));
}

export const floatingIps: NeutronResource<FloatingIp> = {
  singular: 'floatingip',
  plural: 'floatingips',
  table: 'floating_ip',
  tags: true,
  revisions: true,
  attributes: {
    ...standard,
    floating_network_id: { post: true, put: false, required: true, check: uuid },
    floating_ip_address: { post: true, put: false, check: nullable(ipAddress), adminOnly: true },
    // Input only: which external subnet to allocate from.
    subnet_id: { post: true, put: false, check: nullable(uuid), filter: false, sort: false },
    port_id: { post: true, put: true, check: nullable(uuid) },
    fixed_ip_address: { post: true, put: true, check: nullable(ipAddress) },
    router_id: READ_ONLY,
    status: READ_ONLY,
  },
  indexedFilters: { port_id: 'port', router_id: 'router', floating_network_id: 'network' },

  view(f): ApiObject {
    const { name: _name, ...rest } = standardView(f);
    return {
      ...rest,
      floating_network_id: f.floatingNetworkId,
      floating_ip_address: f.floatingIpAddress,
      port_id: f.portId ?? null,
      fixed_ip_address: f.fixedIpAddress ?? null,
      router_id: f.routerId ?? null,
      status: f.status,
    };
  },
  idOf: (f) => f.id,

  list: (deps, principal, hint) => listVisible(deps, principal, 'floating_ip', hint),
  show: (deps, principal, id) => readVisible(deps.core, principal, 'floating_ip', 'floatingip', id),
  create(deps, principal, body) {
    return createFloatingIp(
      deps.core,
      principal,
      pick<FloatingIpInput>(given(body), INPUT) as FloatingIpInput,
    );
  },
  update(deps, principal, id, body, ifMatch) {
    const patch = pick<FloatingIpPatch>(body, INPUT as Record<string, keyof FloatingIpPatch>);
    // fixed_ip_address null is the same as not given.
    const { fixedIpAddress, ...rest } = patch;
    const clean: FloatingIpPatch = fixedIpAddress === null || fixedIpAddress === undefined ? rest : patch;
    return updateFloatingIp(deps.core, principal, id, clean, ifMatchOption(ifMatch));
  },
  async remove(deps, principal, id, ifMatch) {
    await deleteFloatingIp(deps.core, principal, id, ifMatchOption(ifMatch));
  },
};
