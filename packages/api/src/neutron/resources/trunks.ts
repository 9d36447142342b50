// Neutron trunks (neutron-lib trunk.py): a parent port and VLAN subports. The member actions
// add_subports, remove_subports and get_subports are in trunk-actions.ts.
import {
  createTrunk,
  deleteTrunk,
  readVisible,
  updateTrunk,
  type TrunkInput,
  type TrunkPatch,
} from '@weir/core';
import type { Trunk } from '@weir/model';
import type { ApiObject, NeutronResource } from '../resource.js';
import { boolean, uuid } from '../validators.js';
import { pick, READ_ONLY, STANDARD_ATTRIBUTES, standardView } from '../views.js';
import { ifMatchOption } from './if-match.js';
import { subportList, subportsToAdd } from './trunk-subports.js';
import { listVisible, NAME_FILTER } from './visibility.js';

const INPUT: Readonly<Record<string, keyof TrunkInput>> = {
  name: 'name',
  description: 'description',
  tags: 'tags',
  port_id: 'portId',
  admin_state_up: 'adminStateUp',
  project_id: 'projectId',
};

export function subportView(s: Trunk['subports'][number]): ApiObject {
  return { segmentation_id: s.segmentationId, segmentation_type: s.segmentationType, port_id: s.portId };
}

export const trunks: NeutronResource<Trunk> = {
  singular: 'trunk',
  plural: 'trunks',
  table: 'trunk',
  tags: true,
  revisions: true,
  attributes: {
    ...STANDARD_ATTRIBUTES,
    port_id: { post: true, put: false, required: true, check: uuid },
    admin_state_up: { post: true, put: true, check: boolean },
    status: READ_ONLY,
    sub_ports: { post: true, put: false, check: subportList, filter: false, sort: false },
  },
  indexedFilters: { ...NAME_FILTER, port_id: 'port' },

  view(t): ApiObject {
    return Object.assign(standardView(t), {
      port_id: t.portId,
      admin_state_up: t.adminStateUp,
      status: t.status,
      sub_ports: t.subports.map(subportView),
    });
  },
  idOf: (t) => t.id,

  list: (deps, principal, hint) => listVisible(deps, principal, 'trunk', hint),
  show: (deps, principal, id) => readVisible(deps.core, principal, 'trunk', 'trunk', id),
  create(deps, principal, body) {
    const input = pick<TrunkInput>(body, INPUT) as TrunkInput;
    const subports = subportsToAdd((body.sub_ports ?? []) as Record<string, unknown>[]);
    return createTrunk(deps.core, principal, { ...input, subports });
  },
  update(deps, principal, id, body, ifMatch) {
    const patch = pick<TrunkInput>(body, INPUT) as TrunkPatch;
    return updateTrunk(deps.core, principal, id, patch, ifMatchOption(ifMatch));
  },
  async remove(deps, principal, id, ifMatch) {
    await deleteTrunk(deps.core, principal, id, ifMatchOption(ifMatch));
  },
};
