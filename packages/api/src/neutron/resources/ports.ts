// Neutron ports (neutron-lib port.py) with the binding (portbindings.py), allowed-address-pairs,
// port-security, security-group, trunk-details and standard-attr extensions. Bulk creates are
// native: core's createPorts makes every port of the request in one all-or-nothing commit.
import {
  createPort,
  createPorts,
  deletePort,
  readVisible,
  updatePort,
  type BindingInput,
  type PortInput,
  type PortPatch,
} from '@weir/core';
import type { LogicalPort } from '@weir/model';
import type { Principal } from '../../auth/principal.js';
import type { ApiObject, NeutronResource, ResourceDeps } from '../resource.js';
import {
  boolean,
  macAddress,
  nullable,
  oneOf,
  string,
  uniqueListOf,
  uuid,
  type Check,
} from '../validators.js';
import { pick, READ_ONLY, STANDARD_ATTRIBUTES, standardView } from '../views.js';
import { ifMatchOption } from './if-match.js';
import {
  allowedAddressPairs,
  bindingProfile,
  fixedIps,
  fixedIpsIndex,
  matchFixedIps,
  matchMac,
  VNIC_TYPES,
} from './port-checks.js';
import { withTrunkDetails, type PortWithTrunk } from './port-trunks.js';
import { listVisible, NAME_FILTER, nonEmptyIndex } from './visibility.js';

const INPUT: Readonly<Record<string, keyof PortInput>> = {
  name: 'name',
  description: 'description',
  tags: 'tags',
  network_id: 'networkId',
  mac_address: 'macAddress',
  fixed_ips: 'fixedIps',
  security_groups: 'securityGroups',
  port_security_enabled: 'portSecurityEnabled',
  allowed_address_pairs: 'allowedAddressPairs',
  admin_state_up: 'adminStateUp',
  device_owner: 'deviceOwner',
  device_id: 'deviceId',
  project_id: 'projectId',
};

const BINDING: Readonly<Record<string, keyof BindingInput>> = {
  'binding:host_id': 'hostId',
  'binding:vnic_type': 'vnicType',
  'binding:profile': 'profile',
};

/** neutron-lib type:uuid_list with convert_none_to_empty_list. */
const securityGroups: Check = (v) => (v === null ? [] : uniqueListOf(uuid, 64)(v));

const noList = { filter: false, sort: false } as const;

function toInput(body: ApiObject): PortInput {
  const input = pick<PortInput>(body, INPUT) as PortInput;
  const binding = pick<BindingInput>(body, BINDING);
  return Object.keys(binding).length > 0 ? { ...input, binding } : input;
}

/** Neutron's policy shows where and how a port is plugged to admins only. */
function addBindingView(v: ApiObject, p: LogicalPort, principal: Principal): ApiObject {
  v['binding:vnic_type'] = p.binding.vnicType;
  if (principal.admin) {
    v['binding:host_id'] = p.binding.hostId;
    v['binding:profile'] = { ...p.binding.profile };
    v['binding:vif_type'] = p.binding.vifType;
    v['binding:vif_details'] = { ...p.binding.vifDetails };
  }
  return v;
}

export const ports: NeutronResource<PortWithTrunk> = {
  singular: 'port',
  plural: 'ports',
  table: 'logical_port',
  tags: true,
  revisions: true,
  attributes: {
    ...STANDARD_ATTRIBUTES,
    network_id: { post: true, put: false, required: true, check: uuid },
    admin_state_up: { post: true, put: true, check: boolean },
    mac_address: { post: true, put: true, check: macAddress, filter: matchMac },
    fixed_ips: { post: true, put: true, check: fixedIps, filter: matchFixedIps, sort: false },
    device_id: { post: true, put: true, check: string(255) },
    device_owner: { post: true, put: true, check: string(255) },
    status: READ_ONLY,
    security_groups: { post: true, put: true, check: securityGroups, sort: false },
    port_security_enabled: { post: true, put: true, check: boolean },
    allowed_address_pairs: { post: true, put: true, check: allowedAddressPairs, ...noList },
    'binding:host_id': { post: true, put: true, check: string(255), adminOnly: true },
    'binding:vnic_type': { post: true, put: true, check: oneOf(VNIC_TYPES), filter: false },
    'binding:profile': { post: true, put: true, check: nullable(bindingProfile), adminOnly: true, ...noList },
    'binding:vif_type': READ_ONLY,
    'binding:vif_details': { ...READ_ONLY, ...noList },
    trunk_details: { ...READ_ONLY, ...noList },
  },
  indexedFilters: {
    ...NAME_FILTER,
    network_id: 'network',
    device_id: nonEmptyIndex('device'),
    'binding:host_id': nonEmptyIndex('host'),
    security_groups: nonEmptyIndex('securityGroup'),
    fixed_ips: fixedIpsIndex,
  },

  view({ port: p, trunk }, principal): ApiObject {
    const v: ApiObject = Object.assign(standardView(p), {
      network_id: p.networkId,
      admin_state_up: p.adminStateUp,
      mac_address: p.macAddress,
      fixed_ips: p.fixedIps.map((f) => ({ subnet_id: f.subnetId, ip_address: f.ipAddress })),
      device_id: p.deviceId,
      device_owner: p.deviceOwner,
      status: p.status,
      security_groups: [...p.securityGroups],
      port_security_enabled: p.portSecurityEnabled,
      allowed_address_pairs: p.allowedAddressPairs.map((a) => ({
        ip_address: a.ipAddress,
        mac_address: a.macAddress,
      })),
    });
    addBindingView(v, p, principal);
    if (trunk) {
      v.trunk_details = {
        trunk_id: trunk.trunkId,
        sub_ports: trunk.subPorts.map((s) => ({
          segmentation_id: s.segmentationId,
          segmentation_type: s.segmentationType,
          port_id: s.portId,
          ...(s.macAddress === undefined ? {} : { mac_address: s.macAddress }),
        })),
      };
    }
    return v;
  },
  idOf: (o) => o.port.id,

  async list(deps, principal, hint) {
    return withTrunkDetails(deps, await listVisible(deps, principal, 'logical_port', hint));
  },
  async show(deps, principal, id) {
    const port = await readVisible(deps.core, principal, 'logical_port', 'port', id);
    return one(deps, port);
  },
  async create(deps, principal, body) {
    return { port: await createPort(deps.core, principal, toInput(body)) };
  },
  async createBulk(deps, principal, bodies) {
    const made = await createPorts(deps.core, principal, bodies.map(toInput));
    return made.map((port) => ({ port }));
  },
  async update(deps, principal, id, body, ifMatch) {
    const patch = toInput(body) as PortPatch;
    return one(deps, await updatePort(deps.core, principal, id, patch, ifMatchOption(ifMatch)));
  },
  async remove(deps, principal, id, ifMatch) {
    await deletePort(deps.core, principal, id, ifMatchOption(ifMatch));
  },
};

async function one(deps: ResourceDeps, port: LogicalPort): Promise<PortWithTrunk> {
  return (await withTrunkDetails(deps, [port]))[0] as PortWithTrunk;
}
