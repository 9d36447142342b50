// The Keystone v3 facade's HTTP API: discovery, tokens, projects, the Default domain, users and
// roles. Every route but discovery and `POST /v3/auth/tokens` needs a valid X-Auth-Token. Errors
// in Keystone's shape, {"error": {"code", "title", "message"}}, a 401 with WWW-Authenticate.
import type { FastifyInstance } from 'fastify';
import type { ServerConfig } from '../config.js';
import { createHttpApp, type HttpAppOptions } from '../http/app.js';
import { TITLES } from './errors.js';
import type { Identity } from './identity.js';
import { header, type KeystoneRoutes } from './routes/common.js';
import { directoryRoutes } from './routes/directory.js';
import { discoveryRoutes } from './routes/discovery.js';
import { projectRoutes } from './routes/projects.js';
import { tokenRoutes } from './routes/tokens.js';
import type { ValidToken } from './service.js';

export interface KeystoneAppOptions extends Omit<HttpAppOptions, 'api' | 'render'> {
  readonly identity: Identity;
  readonly config: Readonly<ServerConfig>;
  /** This API's published URL + "/v3" (the WWW-Authenticate of a 401). */
  readonly identityUrl: () => string;
}

const ROUTES: readonly KeystoneRoutes[] = [discoveryRoutes, tokenRoutes, projectRoutes, directoryRoutes];

/** Routes anyone may call; unmatched URLs are open too, so they answer 404 rather than 401. */
const OPEN = new Set([
  'GET /',
  'HEAD /',
  'GET /v3',
  'HEAD /v3',
  'POST /v3/auth/tokens',
  'GET /healthz',
  'GET /readyz',
  'GET /metrics',
]);

export function createKeystoneApp(options: KeystoneAppOptions): FastifyInstance {
  const app = createHttpApp({
    ...options,
    api: 'identity',
    render: (e) => ({
      body: { error: { code: e.status, title: TITLES[e.status] ?? e.type, message: e.message } },
      ...(e.status === 401
        ? { headers: { 'WWW-Authenticate': `Keystone uri="${options.identityUrl()}"` } }
        : {}),
    }),
  });
  const ks = options.identity.keystone;
  app.decorateRequest('token', undefined as unknown as ValidToken);
  app.addHook('onRequest', async (req) => {
    const url = req.routeOptions.url;
    if (url === undefined || OPEN.has(`${req.method} ${url}`)) return;
    req.token = await ks.validate(header(req, 'x-auth-token'));
  });
  for (const routes of ROUTES) routes(app, ks);
  return app;
}
