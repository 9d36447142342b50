// /v3/projects: the store's projects. Admins create, list, update and delete; a user may read the
// project their token is scoped to and list the projects they have roles on.
import type { Project } from '@weir/model';
import type { FastifyRequest } from 'fastify';
import { invalidField, notFound, forbiddenAction, pyRepr } from '../errors.js';
import { createBody, updateBody } from '../project-body.js';
import { createProject, deleteProject, listProjects, readProject, updateProject } from '../projects.js';
import { collectionLinks, projectView } from '../render.js';
import { baseUrl, isAdmin, requireAdmin, type KeystoneRoutes } from './common.js';

type Query = Record<string, string | string[] | undefined>;
interface IdParams {
  id: string;
}

const TRUE = new Set(['true', 'True', 'TRUE', '1', 'yes', 'on', 'y', 't']);
const FALSE = new Set(['false', 'False', 'FALSE', '0', 'no', 'off', 'n', 'f']);

function last(q: Query, key: string): string | undefined {
  const v = q[key];
  return Array.isArray(v) ? v[v.length - 1] : v;
}

function boolFilter(q: Query, key: string): boolean | undefined {
  const v = last(q, key);
  if (v === undefined) return undefined;
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  throw invalidField(key, `${pyRepr(v)} is not one of the allowed boolean values`);
}

/** Keystone's list filters on projects (exact matches). */
function filterProjects(all: readonly Project[], q: Query): Project[] {
  const name = last(q, 'name');
  const domainId = last(q, 'domain_id');
  const parentId = last(q, 'parent_id');
  const enabled = boolFilter(q, 'enabled');
  // Every project here is a regular one: is_domain=true lists none.
  if (boolFilter(q, 'is_domain') === true) return [];
  return all.filter(
    (p) =>
      (name === undefined || p.name === name) &&
      (domainId === undefined || p.domainId === domainId) &&
      (parentId === undefined || p.domainId === parentId) &&
      (enabled === undefined || p.enabled === enabled),
  );
}

export const projectRoutes: KeystoneRoutes = (app, ks) => {
  const ctx = ks.deps.ctx;

  app.get('/v3/projects', async (req: FastifyRequest<{ Querystring: Query }>) => {
    requireAdmin(req, 'list_projects');
    const projects = filterProjects(await listProjects(ctx), req.query);
    return {
      projects: projects.map((p) => projectView(p, baseUrl(req))),
      links: collectionLinks(`${baseUrl(req)}/v3/projects`),
    };
  });

  app.post('/v3/projects', async (req, reply) => {
    const input = createBody(req.body);
    requireAdmin(req, 'create_project');
    const p = await createProject(ctx, input);
    return reply.code(201).send({ project: projectView(p, baseUrl(req)) });
  });

  app.get('/v3/projects/:id', async (req: FastifyRequest<{ Params: IdParams }>) => {
    if (!isAdmin(req.token) && req.token.project?.id !== req.params.id)
      throw forbiddenAction('identity:get_project');
    return { project: projectView(await readProject(ctx, req.params.id), baseUrl(req)) };
  });

  app.patch('/v3/projects/:id', async (req: FastifyRequest<{ Params: IdParams }>) => {
    requireAdmin(req, 'update_project');
    const current = await readProject(ctx, req.params.id);
    const p = await updateProject(ctx, req.params.id, updateBody(req.body, current));
    return { project: projectView(p, baseUrl(req)) };
  });

  app.delete('/v3/projects/:id', async (req: FastifyRequest<{ Params: IdParams }>, reply) => {
    requireAdmin(req, 'delete_project');
    await deleteProject(ctx, req.params.id);
    return reply.code(204).send();
  });

  // `openstack project list --my-projects` and clients that list a user's projects.
  app.get('/v3/users/:id/projects', async (req: FastifyRequest<{ Params: IdParams; Querystring: Query }>) => {
    if (!isAdmin(req.token) && req.token.user.id !== req.params.id)
      throw forbiddenAction('identity:list_user_projects');
    const user = ks.directory.userById(req.params.id);
    if (!user) throw notFound('user', req.params.id);
    const mine = await Promise.all([...user.roles.keys()].map((id) => ks.project(id)));
    const projects = filterProjects(
      mine.filter((p): p is Project => p !== undefined),
      req.query,
    );
    return {
      projects: projects.map((p) => projectView(p, baseUrl(req))),
      links: collectionLinks(`${baseUrl(req)}/v3/users/${user.id}/projects`),
    };
  });
};
