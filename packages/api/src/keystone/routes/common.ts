// What the facade's route handlers share: the caller's token, Keystone's policy checks (the facade
// keeps the defaults' spirit: admins manage, users see their own), and the links base URL.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { forbiddenAction } from '../errors.js';
import type { Keystone, ValidToken } from '../service.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The validated X-Auth-Token (every route except discovery and `POST /v3/auth/tokens`). */
    token: ValidToken;
  }
}

export type KeystoneRoutes = (app: FastifyInstance, ks: Keystone) => void;

export const isAdmin = (t: ValidToken): boolean => t.roles.includes('admin');

/** Keystone's policy refusal for a non-admin caller. */
export function requireAdmin(req: FastifyRequest, action: string): void {
  if (!isAdmin(req.token)) throw forbiddenAction(`identity:${action}`);
}

/** The URL clients reached us by, for `links` (as Keystone's base_url without public_endpoint). */
export function baseUrl(req: FastifyRequest): string {
  return `${req.protocol}://${req.headers.host ?? 'localhost'}`;
}

/** A header's single value (the first of repeated ones). */
export function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
