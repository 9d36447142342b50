// The engine: turns a NeutronResource declaration into its routes — list, show, create (single
// and bulk), update, delete, the tags subresource — with Neutron's checks and response shapes.
import { notFound } from '@weir/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal.js';
import { badRequest, HttpError } from '../http/http-error.js';
import { prepareCreate, prepareUpdate } from './body.js';
import { matches, paginate, planList, selectFields, values, type Query } from './query.js';
import type { ApiObject, IfMatch, NeutronResource, ResourceDeps } from './resource.js';
import { tag as tagCheck, tags as tagsCheck, type Invalid } from './validators.js';

interface IdParams {
  id: string;
}
interface TagParams extends IdParams {
  tag: string;
}

/** Ids in URLs: anything else cannot name an object, so it is simply not found. */
const ID = /^[A-Za-z0-9_.:-]{1,64}$/;

export function registerResource<M>(app: FastifyInstance, r: NeutronResource<M>, deps: ResourceDeps): void {
  const base = `/v2.0/${r.path ?? r.plural}`;

  const show = async (principal: Principal, id: string): Promise<M> => {
    if (!ID.test(id)) throw notFound(r.singular, id);
    return r.show(deps, principal, id);
  };

  app.get(base, async (req: FastifyRequest<{ Querystring: Query }>) => {
    const plan = planList(req.query, r.attributes, r.indexedFilters);
    const objects = await r.list(deps, req.principal, plan.hint);
    const selected: ApiObject[] = [];
    for (const o of objects) {
      const v = r.view(o, req.principal);
      if (matches(v, plan, r.attributes)) selected.push(v);
    }
    const page = paginate(selected, plan, (marker, reverse) => linkTo(req, marker, reverse));
    const body: ApiObject = { [r.plural]: page.items.map((o) => selectFields(o, plan.fields)) };
    if (page.links.length > 0) body[`${r.plural}_links`] = page.links;
    return body;
  });

  app.get(`${base}/:id`, async (req: FastifyRequest<{ Params: IdParams; Querystring: Query }>) => {
    const o = await show(req.principal, req.params.id);
    return { [r.singular]: selectFields(r.view(o, req.principal), fieldsOf(req.query)) };
  });

  const create = r.create?.bind(r);
  if (create) {
    app.post(base, async (req, reply) => {
      denyReadOnly(req.principal, 'create', r.singular);
      const request = prepareCreate(req.body, r, req.principal);
      if (!request.bulk) {
        const o = await create(deps, req.principal, request.items[0] as ApiObject);
        return reply.code(201).send({ [r.singular]: r.view(o, req.principal) });
      }
      const created = r.createBulk
        ? await r.createBulk(deps, req.principal, request.items)
        : await emulatedBulk(r, deps, req.principal, request.items);
      return reply.code(201).send({ [r.plural]: created.map((o) => r.view(o, req.principal)) });
    });
  }

  const update = r.update?.bind(r);
  if (update) {
    app.put(`${base}/:id`, async (req: FastifyRequest<{ Params: IdParams }>) => {
      denyReadOnly(req.principal, 'update', r.singular);
      const patch = prepareUpdate(req.body, r, req.principal);
      const ifMatch = await checkIfMatch(req, r, show);
      const o = await update(deps, req.principal, req.params.id, patch, ifMatch);
      return { [r.singular]: r.view(o, req.principal) };
    });
  }

  const remove = r.remove?.bind(r);
  if (remove) {
    app.delete(`${base}/:id`, async (req: FastifyRequest<{ Params: IdParams }>, reply) => {
      denyReadOnly(req.principal, 'delete', r.singular);
      if (!ID.test(req.params.id)) throw notFound(r.singular, req.params.id);
      const ifMatch = await checkIfMatch(req, r, show);
      await remove(deps, req.principal, req.params.id, ifMatch);
      return reply.code(204).send();
    });
  }

  if (r.tags && update) registerTags(app, r, deps, base, show, update);
}

function fieldsOf(q: Query): string[] {
  return values(q, 'fields')
    .flatMap((f) => f.split(','))
    .filter((f) => f !== '');
}

export function denyReadOnly(principal: Principal, action: string, singular: string): void {
  if (principal.readOnly) {
    throw new HttpError(403, 'PolicyNotAuthorized', `(rule:${action}_${singular}) is disallowed by policy`);
  }
}

/** `If-Match: revision_number=N` — checked here, and passed on so core can check it atomically. */
async function checkIfMatch<M>(
  req: FastifyRequest<{ Params: IdParams }>,
  r: NeutronResource<M>,
  show: (p: Principal, id: string) => Promise<M>,
): Promise<IfMatch> {
  const header = req.headers['if-match'];
  if (header === undefined || !r.revisions) return {};
  const text = Array.isArray(header) ? header.join(',') : header;
  const wanted = [...text.matchAll(/revision_number=([^,\s]*)/g)].map((m) => m[1] ?? '');
  if (wanted.length === 0) return {};
  const revisions = wanted.map((w) => {
    if (!/^\d{1,15}$/.test(w))
      throw badRequest(`Invalid If-Match header: revision_number must be an integer`);
    return Number(w);
  });
  const current = r.view(await show(req.principal, req.params.id), req.principal).revision_number;
  if (!revisions.includes(current as number)) {
    throw new HttpError(
      412,
      'RevisionNumberConstraintFailed',
      `Constrained to ${revisions[0]}, but current revision is ${String(current)}`,
    );
  }
  return { revision: current as number };
}

/** Neutron's emulated bulk: one by one, and on any failure the ones already made are deleted. */
async function emulatedBulk<M>(
  r: NeutronResource<M>,
  deps: ResourceDeps,
  principal: Principal,
  items: readonly ApiObject[],
): Promise<M[]> {
  const create = (r.create as NonNullable<NeutronResource<M>['create']>).bind(r);
  const done: M[] = [];
  try {
    for (const item of items) done.push(await create(deps, principal, item));
    return done;
  } catch (error) {
    for (const o of done.reverse()) {
      try {
        await r.remove?.(deps, principal, r.idOf(o), {});
      } catch {
        // Undo is best effort; the original error is what the caller needs.
      }
    }
    throw error;
  }
}

function linkTo(req: FastifyRequest<{ Querystring: Query }>, marker: string, reverse: boolean): string {
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

function registerTags<M>(
  app: FastifyInstance,
  r: NeutronResource<M>,
  deps: ResourceDeps,
  base: string,
  show: (p: Principal, id: string) => Promise<M>,
  update: NonNullable<NeutronResource<M>['update']>,
): void {
  const tagsOf = async (p: Principal, id: string): Promise<string[]> => {
    const t = r.view(await show(p, id), p).tags;
    return Array.isArray(t) ? (t as string[]) : [];
  };
  const setTags = async (p: Principal, id: string, tags: readonly string[]): Promise<string[]> => {
    denyReadOnly(p, 'update', `${r.singular}s_tags`);
    const o = await update(deps, p, id, { tags: [...tags] }, {});
    return (r.view(o, p).tags as string[] | undefined) ?? [...tags];
  };
  const checkTag = (t: string): string => {
    try {
      return tagCheck(t) as string;
    } catch (error) {
      throw badRequest(`Invalid input for tags. Reason: ${(error as Invalid).message}.`);
    }
  };

  app.get(`${base}/:id/tags`, async (req: FastifyRequest<{ Params: IdParams }>) => ({
    tags: await tagsOf(req.principal, req.params.id),
  }));
  app.put(`${base}/:id/tags`, async (req: FastifyRequest<{ Params: IdParams }>) => {
    const body = req.body as { tags?: unknown } | undefined;
    if (typeof body !== 'object' || body === null || !('tags' in body)) {
      throw badRequest(`Invalid input for tags. Reason: Unable to find 'tags' in request body.`);
    }
    let list: string[];
    try {
      list = tagsCheck(body.tags) as string[];
    } catch (error) {
      throw badRequest(`Invalid input for tags. Reason: ${(error as Invalid).message}.`);
    }
    return { tags: await setTags(req.principal, req.params.id, list) };
  });
  app.delete(`${base}/:id/tags`, async (req: FastifyRequest<{ Params: IdParams }>, reply: FastifyReply) => {
    await setTags(req.principal, req.params.id, []);
    return reply.code(204).send();
  });
  app.get(
    `${base}/:id/tags/:tag`,
    async (req: FastifyRequest<{ Params: TagParams }>, reply: FastifyReply) => {
      const tags = await tagsOf(req.principal, req.params.id);
      if (!tags.includes(req.params.tag)) throw tagNotFound(r.singular, req.params.id, req.params.tag);
      return reply.code(204).send();
    },
  );
  app.put(
    `${base}/:id/tags/:tag`,
    async (req: FastifyRequest<{ Params: TagParams }>, reply: FastifyReply) => {
      const t = checkTag(req.params.tag);
      const tags = await tagsOf(req.principal, req.params.id);
      if (!tags.includes(t)) {
        if (tags.length >= 64)
          throw badRequest('Invalid input for tags. Reason: a resource has at most 64 tags.');
        await setTags(req.principal, req.params.id, [...tags, t]);
      }
      return reply.code(201).send();
    },
  );
  app.delete(
    `${base}/:id/tags/:tag`,
    async (req: FastifyRequest<{ Params: TagParams }>, reply: FastifyReply) => {
      const tags = await tagsOf(req.principal, req.params.id);
      if (!tags.includes(req.params.tag)) throw tagNotFound(r.singular, req.params.id, req.params.tag);
      await setTags(
        req.principal,
        req.params.id,
        tags.filter((t) => t !== req.params.tag),
      );
      return reply.code(204).send();
    },
  );
}

function tagNotFound(singular: string, id: string, tag: string): HttpError {
  return new HttpError(404, 'TagNotFound', `Tag ${tag} could not be found for ${singular} ${id}.`);
}
