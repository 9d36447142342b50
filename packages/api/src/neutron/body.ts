// Request bodies of creates and updates, checked the way Neutron's API layer checks them
// (neutron/api/v2/base.py prepare_request_body): the resource key, unknown attributes, attributes
// not allowed in POST or PUT, required ones, then each value converted and validated. Policy on
// attributes (admin-only ones, another project's id) is checked here too.
import { badRequest, HttpError } from '../http/http-error.js';
import type { Principal } from '../auth/principal.js';
import type { ApiObject, AttrSpec, NeutronResource } from './resource.js';
import { Invalid, projectId as projectIdCheck } from './validators.js';

const MAX_BULK = 1000;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export interface CreateRequest {
  readonly items: readonly ApiObject[];
  readonly bulk: boolean;
}

export function prepareCreate(body: unknown, r: NeutronResource, principal: Principal): CreateRequest {
  if (!isObject(body)) throw badRequest('Body contains invalid data');
  if (Array.isArray(body[r.plural]) && !(r.singular in body)) {
    const list = body[r.plural] as unknown[];
    if (list.length === 0) throw badRequest(`Resources required`);
    if (list.length > MAX_BULK)
      throw new HttpError(
        413,
        'HTTPRequestEntityTooLarge',
        `At most ${MAX_BULK} ${r.plural} per bulk request.`,
      );
    return { items: list.map((item) => prepareOne(item, r, principal, 'POST')), bulk: true };
  }
  if (!(r.singular in body)) throw badRequest(`Unable to find '${r.singular}' in request body`);
  return { items: [prepareOne(body[r.singular], r, principal, 'POST')], bulk: false };
}

export function prepareUpdate(body: unknown, r: NeutronResource, principal: Principal): ApiObject {
  if (!isObject(body)) throw badRequest('Body contains invalid data');
  if (!(r.singular in body)) throw badRequest(`Unable to find '${r.singular}' in request body`);
  return prepareOne(body[r.singular], r, principal, 'PUT');
}

function prepareOne(
  raw: unknown,
  r: NeutronResource,
  principal: Principal,
  method: 'POST' | 'PUT',
): ApiObject {
  if (!isObject(raw)) throw badRequest(`Body contains invalid data`);
  const attrs = r.attributes;
  // Own keys only: "constructor" or "toString" in a body are unknown attributes too.
  const unknown = Object.keys(raw).filter((k) => !Object.prototype.hasOwnProperty.call(attrs, k));
  if (unknown.length > 0) throw badRequest(`Unrecognized attribute(s) '${unknown.sort().join(', ')}'`);
  const out: ApiObject = {};
  for (const [key, value] of Object.entries(raw)) {
    const spec = attrs[key] as AttrSpec;
    if (method === 'POST' && !spec.post) throw badRequest(`Attribute '${key}' not allowed in POST`);
    if (method === 'PUT' && !spec.put) throw badRequest(`Cannot update read-only attribute ${key}`);
    out[key] = convert(key, value, spec);
    if (spec.adminOnly && !principal.admin) {
      throw new HttpError(
        403,
        'PolicyNotAuthorized',
        `(rule:${method === 'POST' ? 'create' : 'update'}_${r.singular}:${key}) is disallowed by policy`,
      );
    }
  }
  if (method === 'POST') {
    for (const [key, spec] of Object.entries(attrs)) {
      if (spec.required && !(key in out)) {
        throw badRequest(`Failed to parse request. Required attribute '${key}' not specified`);
      }
    }
    reconcileProject(out, principal);
  }
  return out;
}

function convert(key: string, value: unknown, spec: AttrSpec): unknown {
  if (!spec.check) return value;
  try {
    return spec.check(value);
  } catch (error) {
    if (error instanceof Invalid) throw badRequest(`Invalid input for ${key}. Reason: ${error.message}.`);
    throw error;
  }
}

/** project_id and tenant_id are one attribute; only admins may name another project. */
function reconcileProject(out: ApiObject, principal: Principal): void {
  const p = out.project_id;
  const t = out.tenant_id;
  if (p !== undefined && t !== undefined && p !== t) {
    throw badRequest("'project_id' and 'tenant_id' do not match");
  }
  const given = (p ?? t) as string | undefined;
  delete out.tenant_id;
  if (given === undefined) return;
  projectIdCheck(given);
  if (given !== principal.projectId && !principal.admin) {
    throw badRequest(
      "Specifying 'project_id' or 'tenant_id' other than the authenticated project in request requires admin privileges",
    );
  }
  out.project_id = given;
}
