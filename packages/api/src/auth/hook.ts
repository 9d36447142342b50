// Authentication as a request hook shared by the APIs: every route except the open ones gets
// `req.principal` before its handler runs.
import type { FastifyInstance } from 'fastify';
import type { Authenticator, Principal } from './principal.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
}

export function authenticateRequests(
  app: FastifyInstance,
  auth: Authenticator,
  open: readonly string[],
): void {
  const openRoutes = new Set(open);
  app.decorateRequest('principal', undefined as unknown as Principal);
  app.addHook('onRequest', async (req) => {
    if (openRoutes.has(req.routeOptions.url ?? '')) return;
    req.principal = await auth.authenticate(req.headers);
  });
}

/** The 401 keystonemiddleware sends: Keystone's error shape and where to authenticate. */
export function unauthorizedBody(identityUrl?: string): { body: unknown; headers: Record<string, string> } {
  return {
    body: {
      error: {
        code: 401,
        title: 'Unauthorized',
        message: 'The request you have made requires authentication.',
      },
    },
    headers: identityUrl ? { 'WWW-Authenticate': `Keystone uri="${identityUrl}"` } : {},
  };
}
