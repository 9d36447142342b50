// Pieces of Octavia's wire format every resource shares: ids, names, project, tags, timestamps
// (naive ISO 8601, as wsme renders Octavia's datetimes: no "Z") and statuses; references to other
// objects as [{"id": …}] lists (Octavia's IdOnlyType).
import type { ModelObject } from '@weir/model';
import type { ApiObject } from '../neutron/resource.js';

export { pick } from '../neutron/views.js';

export interface IdOnly {
  readonly id: string;
}

export const idOnly = (ids: readonly string[]): IdOnly[] => ids.map((id) => ({ id }));

/** wsme's rendering of a naive datetime. */
export const octaviaTime = (iso: string): string => iso.replace(/Z$/, '');

type Statused = ModelObject & {
  readonly provisioningStatus: string;
  readonly operatingStatus: string;
  readonly adminStateUp: boolean;
};

export function baseView(o: Statused, options: { description?: boolean } = {}): ApiObject {
  // Built by assignment, not spreading (see neutron/views.ts: V8 builds spread literals slowly).
  const view: ApiObject = { id: o.id, name: o.name };
  if (options.description !== false) view.description = o.description;
  return Object.assign(view, {
    provisioning_status: o.provisioningStatus,
    operating_status: o.operatingStatus,
    admin_state_up: o.adminStateUp,
    project_id: o.topic,
    created_at: octaviaTime(o.createdAt),
    updated_at: octaviaTime(o.updatedAt),
    tags: o.tags,
  });
}

/** The attributes of baseView that lists may filter and sort on. */
export const BASE_FILTERS = [
  'id',
  'name',
  'description',
  'provisioning_status',
  'operating_status',
  'admin_state_up',
  'project_id',
  'created_at',
  'updated_at',
] as const;
