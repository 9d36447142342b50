// The read-only parts of the directory: the one domain (Default), users (from the configuration;
// no user API — passwords live in the config file) and the three roles. Enough for tempest's
// credentials helper (`GET /v3/domains?name=Default`) and the CLI's name lookups.
import type { FastifyRequest } from 'fastify';
import { DEFAULT_DOMAIN, ROLE_NAMES, roleId } from '../directory.js';
import { forbiddenAction, notFound } from '../errors.js';
import { collectionLinks, domainView, roleView, userView } from '../render.js';
import { baseUrl, isAdmin, requireAdmin, type KeystoneRoutes } from './common.js';

type Query = Record<string, string | string[] | undefined>;
interface IdParams {
  id: string;
}

function one(q: Query, key: string): string | undefined {
  const v = q[key];
  return Array.isArray(v) ? v[v.length - 1] : v;
}

export const directoryRoutes: KeystoneRoutes = (app, ks) => {
  app.get('/v3/domains', (req: FastifyRequest<{ Querystring: Query }>) => {
    requireAdmin(req, 'list_domains');
    const name = one(req.query, 'name');
    const enabled = one(req.query, 'enabled');
    const match =
      (name === undefined || name === DEFAULT_DOMAIN.name) &&
      (enabled === undefined || !/^(false|0|no|off|f|n)$/i.test(enabled));
    return {
      domains: match ? [domainView(baseUrl(req))] : [],
      links: collectionLinks(`${baseUrl(req)}/v3/domains`),
    };
  });

  app.get('/v3/domains/:id', (req: FastifyRequest<{ Params: IdParams }>) => {
    // Keystone lets a user read the domain of the project their token is scoped to.
    if (!isAdmin(req.token) && req.token.project?.domainId !== req.params.id)
      throw forbiddenAction('identity:get_domain');
    if (req.params.id !== DEFAULT_DOMAIN.id) throw notFound('domain', req.params.id);
    return { domain: domainView(baseUrl(req)) };
  });

  app.get('/v3/users/:id', (req: FastifyRequest<{ Params: IdParams }>) => {
    if (!isAdmin(req.token) && req.token.user.id !== req.params.id)
      throw forbiddenAction('identity:get_user');
    const user = ks.directory.userById(req.params.id);
    if (!user) throw notFound('user', req.params.id);
    return { user: userView(user, baseUrl(req)) };
  });

  app.get('/v3/users', (req: FastifyRequest<{ Querystring: Query }>) => {
    requireAdmin(req, 'list_users');
    const name = one(req.query, 'name');
    const users = ks.directory.users.filter((u) => name === undefined || u.name === name);
    return {
      users: users.map((u) => userView(u, baseUrl(req))),
      links: collectionLinks(`${baseUrl(req)}/v3/users`),
    };
  });

  app.get('/v3/roles', (req: FastifyRequest<{ Querystring: Query }>) => {
    requireAdmin(req, 'list_roles');
    const name = one(req.query, 'name');
    return {
      roles: ROLE_NAMES.filter((r) => name === undefined || r === name).map((r) => roleView(r, baseUrl(req))),
      links: collectionLinks(`${baseUrl(req)}/v3/roles`),
    };
  });

  app.get('/v3/roles/:id', (req: FastifyRequest<{ Params: IdParams }>) => {
    requireAdmin(req, 'get_role');
    const name = ROLE_NAMES.find((r) => roleId(r) === req.params.id);
    if (!name) throw notFound('role', req.params.id);
    return { role: roleView(name, baseUrl(req)) };
  });
};
