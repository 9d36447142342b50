// /v3/auth/*: issue (`POST`, 201 + X-Subject-Token), validate (`GET`/`HEAD` with X-Auth-Token and
// X-Subject-Token), revoke (`DELETE`), and what a token may see (catalog, projects, domains).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { authenticate } from '../authenticate.js';
import { HttpError } from '../../http/http-error.js';
import { forbiddenAction } from '../errors.js';
import { collectionLinks, projectView, renderToken } from '../render.js';
import type { Keystone, ValidToken } from '../service.js';
import { baseUrl, header, isAdmin, type KeystoneRoutes } from './common.js';

type Query = Record<string, string | string[] | undefined>;

const withCatalog = (req: FastifyRequest<{ Querystring: Query }>): boolean => !('nocatalog' in req.query);

/** The subject token of a validate/revoke call; Keystone answers 404 for one it cannot validate. */
async function subject(ks: Keystone, req: FastifyRequest, action: string): Promise<ValidToken> {
  const id = header(req, 'x-subject-token');
  if (id === undefined) throw new HttpError(404, 'Not Found', 'No token in the request');
  const v = await ks.check(id);
  if (!v) throw new HttpError(404, 'Not Found', 'Failed to validate token');
  // Keystone's default policy: admins, or the token's own user.
  if (!isAdmin(req.token) && req.token.user.id !== v.user.id) throw forbiddenAction(`identity:${action}`);
  return v;
}

export const tokenRoutes: KeystoneRoutes = (app, ks) => {
  app.post('/v3/auth/tokens', async (req: FastifyRequest<{ Querystring: Query }>, reply: FastifyReply) => {
    const v = await authenticate(ks, req.body);
    return reply
      .code(201)
      .header('X-Subject-Token', v.id)
      .send(renderToken(v, withCatalog(req) ? ks.catalog() : undefined));
  });

  // fastify answers HEAD from this route too, without the body (Keystone's check_token).
  app.get('/v3/auth/tokens', async (req: FastifyRequest<{ Querystring: Query }>, reply: FastifyReply) => {
    const v = await subject(ks, req, req.method === 'HEAD' ? 'check_token' : 'validate_token');
    return reply
      .header('X-Subject-Token', v.id)
      .send(renderToken(v, withCatalog(req) ? ks.catalog() : undefined));
  });

  app.delete('/v3/auth/tokens', async (req, reply) => {
    await ks.revoke(await subject(ks, req, 'revoke_token'));
    return reply.code(204).send();
  });

  app.get('/v3/auth/catalog', (req) => ({
    catalog: req.token.project ? ks.catalog() : [],
    links: collectionLinks(`${baseUrl(req)}/v3/auth/catalog`),
  }));

  app.get('/v3/auth/projects', async (req) => {
    const user = req.token.user;
    const mine = await Promise.all([...user.roles.keys()].map((id) => ks.project(id)));
    return {
      projects: mine
        .filter((p) => p?.enabled)
        .map((p) => projectView(p as NonNullable<typeof p>, baseUrl(req))),
      links: collectionLinks(`${baseUrl(req)}/v3/auth/projects`),
    };
  });

  // No roles on domains exist here.
  app.get('/v3/auth/domains', (req) => ({
    domains: [],
    links: collectionLinks(`${baseUrl(req)}/v3/auth/domains`),
  }));
};
