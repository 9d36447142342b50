// Load balancers (core: services/load-balancers.ts). The VIP is a Neutron port core makes (or the
// caller's vip_port_id); Octavia's precedence applies: port, else network (narrowed by subnet),
// else subnet. The provider is "weir" (Weir's own data plane; there are no amphorae), the only one
// enabled: asking for Octavia's "amphora" is refused as Octavia refuses a provider it has not
// enabled. Provisioning is ACTIVE at once, so the 409 "immutable" answers never arise.
// Flavors, availability zones, QoS, VIP security groups and additional VIPs are not implemented:
// a request naming one is refused, never silently dropped.
import {
  createLoadBalancer,
  deleteLoadBalancer,
  updateLoadBalancer,
  type LoadBalancerInput,
  type LoadBalancerPatch,
} from '@weir/core';
import type { LoadBalancer } from '@weir/model';
import type { Attrs } from '../body.js';
import { isEmpty } from '../body.js';
import { validationFailure } from '../errors.js';
import { attributes, values } from '../query.js';
import type { ApiObject, OctaviaResource, ResourceDeps } from '../resource.js';
import { boolean, ipAddress, listOf, string, tags, uuid, type OType } from '../types.js';
import { BASE_FILTERS, baseView, idOnly, pick } from '../views.js';
import { childIds, listOwned, readOwned } from './read.js';

export interface LoadBalancerWithChildren {
  readonly lb: LoadBalancer;
  readonly listenerIds: readonly string[];
  readonly poolIds: readonly string[];
}

const any: OType = (v) => v;

const INPUT: Readonly<Record<string, keyof LoadBalancerInput>> = {
  name: 'name',
  description: 'description',
  tags: 'tags',
  admin_state_up: 'adminStateUp',
  vip_address: 'vipAddress',
  vip_port_id: 'vipPortId',
  vip_subnet_id: 'vipSubnetId',
  vip_network_id: 'vipNetworkId',
  provider: 'provider',
};

const POST: Attrs = {
  name: { type: string({ max: 255 }) },
  description: { type: string({ max: 255 }) },
  admin_state_up: { type: boolean },
  vip_address: { type: ipAddress },
  vip_port_id: { type: uuid },
  vip_subnet_id: { type: uuid },
  vip_network_id: { type: uuid },
  vip_qos_policy_id: { type: uuid, accepts: isEmpty },
  vip_sg_ids: { type: listOf(uuid), accepts: isEmpty },
  additional_vips: { type: listOf(any), accepts: isEmpty },
  project_id: { type: string({ max: 36 }) },
  tenant_id: { type: string({ max: 36 }) },
  // Octavia's single-call graph create is not implemented: create the children one by one.
  listeners: { type: listOf(any), accepts: isEmpty },
  pools: { type: listOf(any), accepts: isEmpty },
  provider: { type: string({ max: 64 }) },
  tags: { type: tags },
  flavor_id: { type: uuid },
  availability_zone: { type: string({ max: 255 }) },
};

const PUT: Attrs = {
  name: { type: string({ max: 255 }), onNull: '' },
  description: { type: string({ max: 255 }), onNull: '' },
  vip_qos_policy_id: { type: uuid, onNull: null, accepts: isEmpty },
  admin_state_up: { type: boolean, onNull: false },
  vip_sg_ids: { type: listOf(uuid), onNull: [], accepts: isEmpty },
  tags: { type: tags, onNull: [] },
};

async function withChildren(
  deps: ResourceDeps,
  lbs: readonly LoadBalancer[],
): Promise<LoadBalancerWithChildren[]> {
  const ids = lbs.map((lb) => lb.id);
  const [listeners, pools] = await Promise.all([
    childIds(deps, 'listener', 'loadBalancer', (l) => l.loadBalancerId, ids),
    childIds(deps, 'pool', 'loadBalancer', (p) => p.loadBalancerId, ids),
  ]);
  return lbs.map((lb) => ({
    lb,
    listenerIds: listeners.get(lb.id) ?? [],
    poolIds: pools.get(lb.id) ?? [],
  }));
}

async function one(deps: ResourceDeps, lb: LoadBalancer): Promise<LoadBalancerWithChildren> {
  return (await withChildren(deps, [lb]))[0] as LoadBalancerWithChildren;
}

/** oslo's bool_from_string, as Octavia reads ?cascade=. */
export function boolFromString(text: string | undefined): boolean {
  return ['1', 't', 'true', 'on', 'y', 'yes'].includes((text ?? '').trim().toLowerCase());
}

export const loadBalancers: OctaviaResource<LoadBalancerWithChildren> = {
  singular: 'loadbalancer',
  plural: 'loadbalancers',
  title: 'Load Balancer',
  arg: 'load_balancer',
  post: POST,
  put: PUT,
  filters: attributes(
    ...BASE_FILTERS,
    'vip_address',
    'vip_port_id',
    'vip_subnet_id',
    'vip_network_id',
    'vip_qos_policy_id',
    'provider',
    'flavor_id',
    'availability_zone',
  ),

  view({ lb, listenerIds, poolIds }): ApiObject {
    return Object.assign(baseView(lb), {
      vip_address: lb.vipAddress,
      vip_port_id: lb.vipPortId,
      vip_subnet_id: lb.vipSubnetId ?? null,
      vip_network_id: lb.vipNetworkId,
      vip_qos_policy_id: null,
      vip_sg_ids: [],
      vip_vnic_type: 'normal',
      additional_vips: [],
      listeners: idOnly(listenerIds),
      pools: idOnly(poolIds),
      provider: lb.provider,
      flavor_id: null,
      availability_zone: null,
    });
  },

  async list(deps, scope) {
    return withChildren(deps, await listOwned(deps, scope.principal, 'load_balancer'));
  },
  async show(deps, scope, id) {
    return one(deps, await readOwned(deps, scope.principal, 'load_balancer', 'Load Balancer', id));
  },
  async create(deps, scope, body) {
    // Weir has no flavors or availability zones, so none the caller names can exist.
    if (body.flavor_id !== undefined) throw validationFailure('Invalid flavor_id.');
    if (body.availability_zone !== undefined) throw validationFailure('Invalid availability zone.');
    const project = (body.project_id ?? body.tenant_id) as string | undefined;
    const input: LoadBalancerInput = {
      ...pick<LoadBalancerInput>(body, INPUT),
      ...(project === undefined ? {} : { projectId: project }),
    };
    return one(deps, await createLoadBalancer(deps.core, scope.principal, input));
  },
  async update(deps, scope, id, body) {
    const patch = pick<LoadBalancerInput>(body, INPUT) as LoadBalancerPatch;
    return one(deps, await updateLoadBalancer(deps.core, scope.principal, id, patch));
  },
  async remove(deps, scope, id) {
    const cascade = boolFromString(values(scope.query, 'cascade').at(-1));
    await deleteLoadBalancer(deps.core, scope.principal, id, { cascade });
  },
};
