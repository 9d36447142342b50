// The trunk member actions (neutron-lib trunk.py ACTION_MAP): PUT add_subports and
// remove_subports answer with the trunk itself (not wrapped in {"trunk": …}, as Neutron's
// member actions return the plugin's result), GET get_subports with {"sub_ports": […]}.
import { addSubports, notFound, readVisible, removeSubports } from '@weir/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal } from '../../auth/principal.js';
import { HttpError } from '../../http/http-error.js';
import type { ResourceDeps } from '../resource.js';
import { uuid } from '../validators.js';
import { subportsOfBody, subportsToAdd } from './trunk-subports.js';
import { subportView, trunks } from './trunks.js';

interface IdParams {
  id: string;
}

const ID = /^[A-Za-z0-9_.:-]{1,64}$/;

function checkId(id: string): void {
  if (!ID.test(id)) throw notFound('trunk', id);
}

function denyReadOnly(principal: Principal, action: string): void {
  if (principal.readOnly)
    throw new HttpError(403, 'PolicyNotAuthorized', `(rule:${action}) is disallowed by policy`);
}

export function registerTrunkActions(app: FastifyInstance, deps: ResourceDeps): void {
  const base = '/v2.0/trunks/:id';
  app.put(`${base}/add_subports`, async (req: FastifyRequest<{ Params: IdParams }>) => {
    checkId(req.params.id);
    denyReadOnly(req.principal, 'add_subports');
    const added = subportsToAdd(subportsOfBody(req.body));
    const t = await addSubports(deps.core, req.principal, req.params.id, added);
    return trunks.view(t, req.principal);
  });
  app.put(`${base}/remove_subports`, async (req: FastifyRequest<{ Params: IdParams }>) => {
    checkId(req.params.id);
    denyReadOnly(req.principal, 'remove_subports');
    const removed = subportsOfBody(req.body).map((s) => ({ portId: uuid(s.port_id) as string }));
    const t = await removeSubports(deps.core, req.principal, req.params.id, removed);
    return trunks.view(t, req.principal);
  });
  app.get(`${base}/get_subports`, async (req: FastifyRequest<{ Params: IdParams }>) => {
    checkId(req.params.id);
    const t = await readVisible(deps.core, req.principal, 'trunk', 'trunk', req.params.id);
    return { sub_ports: t.subports.map(subportView) };
  });
}
