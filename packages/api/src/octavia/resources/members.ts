// Members (core: services/lb/members.ts), nested under their pool: /pools/{pool_id}/members. A
// member names its endpoint (address, protocol_port), unique in its pool; with a subnet_id the
// address must lie in that subnet. SR-IOV member ports (request_sriov) are not implemented.
// The batch update (PUT on the collection) is in member-batch.ts.
import { createMember, deleteMember, updateMember, type MemberInput } from '@weir/core';
import type { Member } from '@weir/model';
import type { Attrs } from '../body.js';
import { isEmpty } from '../body.js';
import { notFound } from '../errors.js';
import { attributes } from '../query.js';
import type { ApiObject, OctaviaResource } from '../resource.js';
import { boolean, integer, ipAddress, string, tags, uuid } from '../types.js';
import { BASE_FILTERS, baseView, pick } from '../views.js';
import { listOwned, readOwned } from './read.js';

export const MEMBER_INPUT: Readonly<Record<string, keyof MemberInput>> = {
  name: 'name',
  tags: 'tags',
  admin_state_up: 'adminStateUp',
  address: 'address',
  protocol_port: 'protocolPort',
  weight: 'weight',
  backup: 'backup',
  subnet_id: 'subnetId',
  monitor_address: 'monitorAddress',
  monitor_port: 'monitorPort',
};

/** Octavia's MemberPOST (also each entry of a batch update). */
export const MEMBER_POST: Attrs = {
  name: { type: string({ max: 255 }) },
  admin_state_up: { type: boolean },
  address: { type: ipAddress, mandatory: true },
  protocol_port: { type: integer(1, 65535), mandatory: true },
  weight: { type: integer(0, 256) },
  backup: { type: boolean },
  subnet_id: { type: uuid },
  project_id: { type: string({ max: 36 }) },
  tenant_id: { type: string({ max: 36 }) },
  monitor_port: { type: integer(1, 65535) },
  monitor_address: { type: ipAddress },
  tags: { type: tags },
  request_sriov: { type: boolean, accepts: isEmpty },
};

const PUT: Attrs = {
  name: { type: string({ max: 255 }), onNull: '' },
  admin_state_up: { type: boolean, onNull: false },
  // Octavia resets these to their defaults when given null, and clears the monitor endpoint.
  weight: { type: integer(0, 256), onNull: 1 },
  backup: { type: boolean, onNull: false },
  monitor_port: { type: integer(1, 65535), onNull: null },
  monitor_address: { type: ipAddress, onNull: null },
  tags: { type: tags, onNull: [] },
};

export const members: OctaviaResource<Member> = {
  singular: 'member',
  plural: 'members',
  title: 'Member',
  arg: 'member_',
  parent: { plural: 'pools', title: 'Pool' },
  post: MEMBER_POST,
  put: PUT,
  filters: attributes(
    ...BASE_FILTERS.filter((k) => k !== 'description'),
    'address',
    'protocol_port',
    'weight',
    'backup',
    'subnet_id',
    'monitor_address',
    'monitor_port',
  ),

  view(m): ApiObject {
    return Object.assign(baseView(m, { description: false }), {
      address: m.address,
      protocol_port: m.protocolPort,
      weight: m.weight,
      backup: m.backup,
      subnet_id: m.subnetId ?? null,
      monitor_address: m.monitorAddress ?? null,
      monitor_port: m.monitorPort ?? null,
      vnic_type: 'normal',
    });
  },

  async list(deps, { principal, parentId }) {
    await readOwned(deps, principal, 'pool', 'Pool', parentId);
    return listOwned(deps, principal, 'member', { name: 'pool', value: parentId });
  },
  async show(deps, { principal, parentId }, id) {
    const m = await readOwned(deps, principal, 'member', 'Member', id);
    // Octavia nests members under their pool: another pool's member is not found here.
    if (m.poolId !== parentId) throw notFound('Member', id);
    return m;
  },
  create: (deps, { principal, parentId }, body) =>
    createMember(deps.core, principal, parentId, pick<MemberInput>(body, MEMBER_INPUT) as MemberInput),
  update: (deps, { principal, parentId }, id, body) =>
    updateMember(deps.core, principal, parentId, id, pick<MemberInput>(body, MEMBER_INPUT)),
  remove: (deps, { principal, parentId }, id) => deleteMember(deps.core, principal, parentId, id),
};
