// Router member actions (neutron-lib l3.py and extraroute_atomic.py ACTION_MAP):
// PUT add_router_interface / remove_router_interface take {"subnet_id"} or {"port_id"} and answer
// with the interface info itself (not wrapped); PUT add_extraroutes / remove_extraroutes take
// {"router": {"routes": [...]}} and answer {"router": {...}}.
import {
  addExtraRoutes,
  addRouterInterface,
  badRequest as coreBadRequest,
  notFound,
  removeExtraRoutes,
  removeRouterInterface,
  type InterfaceInfo,
} from '@weir/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal } from '../../auth/principal.js';
import { badRequest, HttpError } from '../../http/http-error.js';
import type { ApiObject, ResourceDeps } from '../resource.js';
import { Invalid, uuid } from '../validators.js';
import { one, routers } from './routers.js';
import { hostRoutes, type Route } from './subnet-checks.js';

interface IdParams {
  id: string;
}

const ID = /^[A-Za-z0-9_.:-]{1,64}$/;

function denyReadOnly(principal: Principal, action: string): void {
  if (principal.readOnly)
    throw new HttpError(403, 'PolicyNotAuthorized', `(rule:${action}) is disallowed by policy`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Neutron's _validate_interface_info: ids must be UUIDs, reported as a bad router request. */
function interfaceRequest(body: unknown): { subnetId?: string; portId?: string } {
  if (!isObject(body)) throw badRequest('Body contains invalid data');
  const out: { subnetId?: string; portId?: string } = {};
  for (const [key, field] of [
    ['port_id', 'portId'],
    ['subnet_id', 'subnetId'],
  ] as const) {
    if (!(key in body)) continue;
    try {
      out[field] = uuid(body[key]) as string;
    } catch (error) {
      if (error instanceof Invalid)
        throw coreBadRequest('BadRequest', `Bad router request: ${error.message}.`);
      throw error;
    }
  }
  return out;
}

function interfaceView(i: InterfaceInfo): ApiObject {
  return {
    id: i.id,
    tenant_id: i.topic,
    project_id: i.topic,
    port_id: i.portId,
    network_id: i.networkId,
    subnet_id: i.subnetId,
    subnet_ids: [...i.subnetIds],
  };
}

function routesOf(body: unknown): Route[] {
  if (!isObject(body) || !isObject(body.router)) throw badRequest("Unable to find 'router' in request body");
  if (!('routes' in body.router))
    throw badRequest("Failed to parse request. Required attribute 'routes' not specified");
  try {
    return hostRoutes(body.router.routes) as Route[];
  } catch (error) {
    if (error instanceof Invalid) throw badRequest(`Invalid input for routes. Reason: ${error.message}.`);
    throw error;
  }
}

export function registerRouterActions(app: FastifyInstance, deps: ResourceDeps): void {
  const base = '/v2.0/routers/:id';
  const checkId = (id: string): void => {
    if (!ID.test(id)) throw notFound('router', id);
  };
  app.put(`${base}/add_router_interface`, async (req: FastifyRequest<{ Params: IdParams }>) => {
    checkId(req.params.id);
    denyReadOnly(req.principal, 'add_router_interface');
    const by = interfaceRequest(req.body);
    return interfaceView(await addRouterInterface(deps.core, req.principal, req.params.id, by));
  });
  app.put(`${base}/remove_router_interface`, async (req: FastifyRequest<{ Params: IdParams }>) => {
    checkId(req.params.id);
    denyReadOnly(req.principal, 'remove_router_interface');
    const by = interfaceRequest(req.body);
    return interfaceView(await removeRouterInterface(deps.core, req.principal, req.params.id, by));
  });
  app.put(`${base}/add_extraroutes`, async (req: FastifyRequest<{ Params: IdParams }>) => {
    checkId(req.params.id);
    denyReadOnly(req.principal, 'add_extraroutes');
    const r = await addExtraRoutes(deps.core, req.principal, req.params.id, routesOf(req.body));
    return { router: routers.view(await one(deps, r), req.principal) };
  });
  app.put(`${base}/remove_extraroutes`, async (req: FastifyRequest<{ Params: IdParams }>) => {
    checkId(req.params.id);
    denyReadOnly(req.principal, 'remove_extraroutes');
    const r = await removeExtraRoutes(deps.core, req.principal, req.params.id, routesOf(req.body));
    return { router: routers.view(await one(deps, r), req.principal) };
  });
}
