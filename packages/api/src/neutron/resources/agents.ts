// Neutron agents, read-only: each chassis (a node running `weir controller`) is shown as one
// agent, as OVN shows each ovn-controller. Operators use `openstack network agent list` to see
// which nodes are alive; nothing can be created, changed or deleted through this resource (a
// chassis registers and leaves by itself), so the `agent` extension, which includes updates, is
// not listed. Neutron's policy makes agents admin-only: others get an empty list and a 404.
import { notFound } from '@weir/core';
import type { Chassis } from '@weir/model';
import type { ApiObject, NeutronResource } from '../resource.js';
import { READ_ONLY } from '../views.js';

/** Neutron's agent_down_time default: an agent silent for longer is not alive. */
export const AGENT_DOWN_SECONDS = 75;

/** Neutron prints agent times as Python's str(datetime): "2026-11-25 17:19:52". */
function agentTime(iso: string): string {
  return iso.replace('T', ' ').replace(/(\.\d+)?Z$/, '');
}

const ATTRIBUTES = [
  'id',
  'agent_type',
  'binary',
  'topic',
  'host',
  'admin_state_up',
  'created_at',
  'started_at',
  'heartbeat_timestamp',
  'alive',
  'configurations',
  'description',
  'availability_zone',
  'resources_synced',
] as const;

export const agents: NeutronResource<Chassis> = {
  singular: 'agent',
  plural: 'agents',
  table: 'chassis',
  tags: false,
  revisions: false,
  attributes: Object.fromEntries(
    ATTRIBUTES.map((a) => [
      a,
      a === 'configurations' ? { ...READ_ONLY, filter: false, sort: false } : READ_ONLY,
    ]),
  ),

  view(c): ApiObject {
    const silentFor = (Date.now() - Date.parse(c.heartbeatAt)) / 1000;
    return {
      id: c.id,
      agent_type: 'Weir controller agent',
      binary: 'weir-controller',
      topic: 'N/A',
      host: c.name,
      admin_state_up: true,
      created_at: agentTime(c.createdAt),
      started_at: agentTime(c.createdAt),
      heartbeat_timestamp: agentTime(c.heartbeatAt),
      alive: silentFor <= AGENT_DOWN_SECONDS,
      configurations: {
        hostname: c.hostname,
        tunnel_ip: c.tunnelIp,
        tunnel_types: c.tunnelTypes,
        bridge_mappings: c.bridgeMappings,
      },
      description: c.description,
      availability_zone: null,
      resources_synced: null,
    };
  },
  idOf: (c) => c.id,

  async list(deps, principal) {
    if (!principal.admin) return [];
    return (await deps.core.store.list('chassis')).items;
  },
  async show(deps, principal, id) {
    const c = principal.admin ? await deps.core.store.get('chassis', id) : undefined;
    if (!c) throw notFound('Agent', id);
    return c;
  },
};
