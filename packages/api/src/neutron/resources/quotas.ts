// The quotas API (neutron/extensions/quotasv2.py and quotasv2_detail.py): not a plain resource —
// one set of limits per project, the defaults, usage details, and the projects with overrides.
// Reading one's own quota is open to every member; anything about another project, and every
// change, is admin-only (Neutron's default policy).
import {
  defaultQuotas,
  deleteProjectQuotas,
  invalidInput,
  listProjectQuotas,
  projectQuotaDetails,
  projectQuotas,
  setProjectQuotas,
} from '@weir/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../auth/principal.js';
import { badRequest, HttpError } from '../../http/http-error.js';
import type { ResourceDeps } from '../resource.js';

/** The quota resources of Neutron's core and L3 plugins and security groups, as Neutron lists them. */
export const NEUTRON_QUOTA_RESOURCES = [
  'network',
  'subnet',
  'port',
  'router',
  'floatingip',
  'security_group',
  'security_group_rule',
] as const;

const MAX = 2147483647;

interface IdParams {
  id: string;
}

function policy(rule: string): HttpError {
  return new HttpError(403, 'PolicyNotAuthorized', `(rule:${rule}) is disallowed by policy`);
}

/** Another project's quotas are admin-only; one's own are not. */
function mayRead(principal: Principal, projectId: string): void {
  if (projectId !== principal.projectId && !principal.admin) throw policy('get_quota');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The PUT body as Neutron's prepare_request_body sees it after popping force/check_limit. */
function limitsOf(body: unknown): { limits: Record<string, number>; force: boolean } {
  if (!isObject(body)) throw badRequest('Body contains invalid data');
  if (!isObject(body.quota)) {
    throw 'quota' in body
      ? badRequest('Body contains invalid data')
      : badRequest("Unable to find 'quota' in request body");
  }
  const { force, check_limit: _deprecated, ...rest } = body.quota;
  const unknown = Object.keys(rest).filter(
    (k) => !(NEUTRON_QUOTA_RESOURCES as readonly string[]).includes(k),
  );
  if (unknown.length > 0) throw badRequest(`Unrecognized attribute(s) '${unknown.sort().join(', ')}'`);
  const limits: Record<string, number> = {};
  for (const [resource, value] of Object.entries(rest)) {
    // convert_to_int: Python's int() of a number or of digits; anything else is InvalidInput.
    const n =
      typeof value === 'number'
        ? Math.trunc(value)
        : typeof value === 'string' && /^\s*[-+]?\d+\s*$/.test(value)
          ? Number(value)
          : NaN;
    if (!Number.isSafeInteger(n)) throw invalidInput(`'${String(value)}' is not an integer`);
    if (n < -1)
      throw badRequest(`Invalid input for ${resource}. Reason: '${n}' is too small - must be at least '-1'.`);
    if (n > MAX) {
      throw badRequest(
        `Invalid input for ${resource}. Reason: '${n}' is too large - must be no larger than '${MAX}'.`,
      );
    }
    limits[resource] = n;
  }
  return { limits, force: force === true };
}

export function registerQuotas(app: FastifyInstance, deps: ResourceDeps): void {
  const resources = NEUTRON_QUOTA_RESOURCES;
  app.get('/v2.0/quotas', async (req) => {
    const all = await listProjectQuotas(deps.core, req.principal);
    const defaults = defaultQuotas(deps.core, resources);
    return {
      quotas: all.map((q) => {
        const limits: Record<string, unknown> = { ...defaults };
        for (const r of resources) if (q.limits[r] !== undefined) limits[r] = q.limits[r];
        return { ...limits, project_id: q.id, tenant_id: q.id };
      }),
    };
  });
  // Who am I: the project of the request (collection actions "project" and the older "tenant").
  app.get('/v2.0/quotas/project', (req) => ({ project: { project_id: req.principal.projectId } }));
  app.get('/v2.0/quotas/tenant', (req) => ({ tenant: { tenant_id: req.principal.projectId } }));
  app.get('/v2.0/quotas/:id', async (req: FastifyRequest<{ Params: IdParams }>) => {
    mayRead(req.principal, req.params.id);
    return { quota: await projectQuotas(deps.core, req.params.id, resources) };
  });
  app.get('/v2.0/quotas/:id/default', (req: FastifyRequest<{ Params: IdParams }>) => {
    mayRead(req.principal, req.params.id);
    return { quota: defaultQuotas(deps.core, resources) };
  });
  app.get('/v2.0/quotas/:id/details', async (req: FastifyRequest<{ Params: IdParams }>) => {
    if (req.params.id !== req.principal.projectId && !req.principal.admin) {
      throw new HttpError(
        403,
        'AdminRequired',
        'User does not have admin privileges: Only admin is authorized to access quotas for another project.',
      );
    }
    return { quota: await projectQuotaDetails(deps.core, req.params.id, resources) };
  });
  app.put('/v2.0/quotas/:id', async (req: FastifyRequest<{ Params: IdParams }>) => {
    if (!req.principal.admin) throw policy('update_quota');
    const { limits, force } = limitsOf(req.body);
    await setProjectQuotas(deps.core, req.principal, req.params.id, limits, { force });
    return { quota: await projectQuotas(deps.core, req.params.id, resources) };
  });
  app.delete('/v2.0/quotas/:id', async (req: FastifyRequest<{ Params: IdParams }>, reply: FastifyReply) => {
    await deleteProjectQuotas(deps.core, req.principal, req.params.id);
    return reply.code(204).send();
  });
}
