// The engine: turns an OctaviaResource declaration into its routes — list, show, create, update,
// delete — under every prefix Octavia serves (/v2/lbaas, /v2.0/lbaas, and the same without
// "lbaas"), with Octavia's request checks, list semantics, status codes and error wording.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal.js';
import type { ApiObject, ResourceDeps } from '../neutron/resource.js';
import { parseBody } from './body.js';
import { notFound, policyForbidden, toOctaviaError } from './errors.js';
import { matches, paginate, planList, selectFields, values, type Query } from './query.js';
import type { OctaviaResource, Scope } from './resource.js';

/** Every path prefix of the load-balancer API (Octavia's V2Controller and its lbaas alias). */
export const PREFIXES = ['/v2/lbaas', '/v2.0/lbaas', '/v2', '/v2.0'] as const;

/** Ids in URLs: anything else cannot name an object, so it is simply not found. */
const ID = /^[A-Za-z0-9_.:-]{1,64}$/;

export interface Params {
  readonly id: string;
  readonly parentId?: string;
}
export type Req = FastifyRequest<{ Params: Params; Querystring: Query }>;

/** Runs a handler; whatever it throws leaves as Octavia would answer it. */
export function octavia<T>(
  handler: (req: Req, reply: FastifyReply) => Promise<T>,
): (req: Req, reply: FastifyReply) => Promise<T> {
  return async (req, reply) => {
    try {
      return await handler(req, reply);
    } catch (error) {
      throw toOctaviaError(error);
    }
  };
}

export function denyReadOnly(principal: Principal): void {
  if (principal.readOnly) throw policyForbidden();
}

export function scopeOf(req: Req): Scope {
  return { principal: req.principal, parentId: req.params.parentId ?? '', query: req.query };
}

export function checkId(title: string, id: string): string {
  if (!ID.test(id)) throw notFound(title, id);
  return id;
}

/** A link to a neighbouring page: the request's query with another marker. */
function linkTo(req: Req, marker: string, reverse: boolean): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(req.query)) {
    if (k === 'marker' || k === 'page_reverse' || v === undefined) continue;
    for (const one of typeof v === 'string' ? [v] : v) params.append(k, one);
  }
  params.set('marker', marker);
  if (reverse) params.set('page_reverse', 'True');
  const path = (req.url.split('?')[0] ?? '').replace(/\.json$/, '');
  return `${req.protocol}://${req.headers.host ?? 'localhost'}${path}?${params.toString()}`;
}

export function collectionPaths<M>(r: OctaviaResource<M>): string[] {
  const parent = r.parent ? `/${r.parent.plural}/:parentId` : '';
  return PREFIXES.map((p) => `${p}${parent}/${r.plural}`);
}

export function registerResource<M>(app: FastifyInstance, r: OctaviaResource<M>, deps: ResourceDeps): void {
  for (const base of collectionPaths(r)) {
    app.get(
      base,
      octavia(async (req) => {
        const plan = planList(req.query, r.filters, true);
        const scope = scopeOf(req);
        if (r.parent) checkId(r.parent.title, scope.parentId);
        const objects = await r.list(deps, scope);
        const selected: ApiObject[] = [];
        for (const o of objects) {
          const v = r.view(o);
          if (matches(v, plan, r.filters)) selected.push(v);
        }
        const page = paginate(selected, plan, r.filters, (m, rev) => linkTo(req, m, rev));
        return { [r.plural]: page.items, [`${r.plural}_links`]: page.links };
      }),
    );

    app.get(
      `${base}/:id`,
      octavia(async (req) => {
        const o = await r.show(deps, scopeOf(req), checkId(r.title, req.params.id));
        const fields = values(req.query, 'fields').flatMap((f) => f.split(','));
        return {
          [r.singular]: selectFields(
            r.view(o),
            fields.filter((f) => f !== ''),
          ),
        };
      }),
    );

    const create = r.create?.bind(r);
    if (create && r.post) {
      const spec = { arg: r.arg, root: r.singular, attrs: r.post };
      app.post(
        base,
        octavia(async (req, reply) => {
          denyReadOnly(req.principal);
          const body = parseBody(req.body, spec, 'POST');
          const o = await create(deps, scopeOf(req), body);
          return reply.code(201).send({ [r.singular]: r.view(o) });
        }),
      );
    }

    const update = r.update?.bind(r);
    if (update && r.put) {
      const spec = { arg: r.arg, root: r.singular, attrs: r.put };
      app.put(
        `${base}/:id`,
        octavia(async (req) => {
          denyReadOnly(req.principal);
          const id = checkId(r.title, req.params.id);
          const body = parseBody(req.body, spec, 'PUT');
          return { [r.singular]: r.view(await update(deps, scopeOf(req), id, body)) };
        }),
      );
    }

    const remove = r.remove?.bind(r);
    if (remove) {
      app.delete(
        `${base}/:id`,
        octavia(async (req, reply) => {
          denyReadOnly(req.principal);
          await remove(deps, scopeOf(req), checkId(r.title, req.params.id));
          return reply.code(204).send();
        }),
      );
    }
  }
}
