// Neutron routers (neutron-lib l3.py) with ext-gw-mode, extraroute and the standard attributes.
// The member actions (interfaces, extraroute-atomic) are in router-actions.ts. The gateway's
// external_fixed_ips are the gateway port's addresses, read with the router.
import {
  createRouter,
  deleteRouter,
  readVisible,
  updateRouter,
  type RouterInput,
  type RouterPatch,
} from '@weir/core';
import type { FixedIpT, Router } from '@weir/model';
import type { ApiObject, NeutronResource, ResourceDeps } from '../resource.js';
import { boolean } from '../validators.js';
import { pick, READ_ONLY, STANDARD_ATTRIBUTES, standardView } from '../views.js';
import { ifMatchOption } from './if-match.js';
import { checkGatewayPolicy, gatewayInfo, gatewayView } from './router-gateway.js';
import { hostRoutes } from './subnet-checks.js';
import { listVisible, NAME_FILTER } from './visibility.js';

export interface RouterWithGateway {
  readonly router: Router;
  /** The addresses of the gateway port (empty without a gateway). */
  readonly gatewayIps: readonly FixedIpT[];
}

const INPUT: Readonly<Record<string, keyof RouterInput | keyof RouterPatch>> = {
  name: 'name',
  description: 'description',
  tags: 'tags',
  admin_state_up: 'adminStateUp',
  external_gateway_info: 'externalGateway',
  routes: 'routes',
  project_id: 'projectId',
};

export async function withGateways(
  deps: ResourceDeps,
  routers: readonly Router[],
): Promise<RouterWithGateway[]> {
  return Promise.all(
    routers.map(async (router) => {
      const portId = router.externalGateway?.portId;
      const port = portId === undefined ? undefined : await deps.core.store.get('logical_port', portId);
      return { router, gatewayIps: port?.fixedIps ?? [] };
    }),
  );
}

const noList = { filter: false, sort: false } as const;

export const routers: NeutronResource<RouterWithGateway> = {
  singular: 'router',
  plural: 'routers',
  table: 'router',
  indexedFilters: NAME_FILTER,
  tags: true,
  revisions: true,
  attributes: {
    ...STANDARD_ATTRIBUTES,
    admin_state_up: { post: true, put: true, check: boolean },
    status: READ_ONLY,
    external_gateway_info: { post: true, put: true, check: gatewayInfo, ...noList },
    routes: { post: false, put: true, check: hostRoutes, ...noList },
  },

  view({ router: r, gatewayIps }): ApiObject {
    return Object.assign(standardView(r), {
      admin_state_up: r.adminStateUp,
      status: r.status,
      external_gateway_info: gatewayView(r, gatewayIps),
      routes: r.routes.map((x) => ({ destination: x.destination, nexthop: x.nexthop })),
    });
  },
  idOf: (o) => o.router.id,

  async list(deps, principal, hint) {
    return withGateways(deps, await listVisible(deps, principal, 'router', hint));
  },
  async show(deps, principal, id) {
    return one(deps, await readVisible(deps.core, principal, 'router', 'router', id));
  },
  async create(deps, principal, body) {
    const input = pick<RouterInput>(body, INPUT as Record<string, keyof RouterInput>) as RouterInput;
    checkGatewayPolicy(principal, 'create', input.externalGateway);
    return one(deps, await createRouter(deps.core, principal, input));
  },
  async update(deps, principal, id, body, ifMatch) {
    const patch = pick<RouterPatch>(body, INPUT as Record<string, keyof RouterPatch>) as RouterPatch;
    checkGatewayPolicy(principal, 'update', patch.externalGateway);
    return one(deps, await updateRouter(deps.core, principal, id, patch, ifMatchOption(ifMatch)));
  },
  async remove(deps, principal, id, ifMatch) {
    await deleteRouter(deps.core, principal, id, ifMatchOption(ifMatch));
  },
};

export async function one(deps: ResourceDeps, router: Router): Promise<RouterWithGateway> {
  return (await withGateways(deps, [router]))[0] as RouterWithGateway;
}
