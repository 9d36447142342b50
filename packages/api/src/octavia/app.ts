// The Octavia v2 API: version discovery, the load-balancer resources under /v2/lbaas and
// /v2.0/lbaas (and Octavia's aliases without "lbaas"), authentication, and errors in Octavia's
// shape — {"faultcode", "faultstring", "debuginfo"} — which octaviaclient prints.
import type { FastifyInstance } from 'fastify';
import { authenticateRequests } from '../auth/hook.js';
import type { Authenticator } from '../auth/principal.js';
import { createHttpApp, type HttpAppOptions } from '../http/app.js';
import type { ResourceDeps } from '../neutron/resource.js';
import { renderOctaviaError } from './errors.js';
import { registerOctaviaRoutes } from './resources/index.js';
import { registerDiscovery } from './version.js';

export interface OctaviaAppOptions extends Omit<HttpAppOptions, 'api' | 'render'> {
  readonly deps: ResourceDeps;
  readonly auth: Authenticator;
  readonly identityUrl: () => string;
}

export function createOctaviaApp(options: OctaviaAppOptions): FastifyInstance {
  const app = createHttpApp({
    ...options,
    api: 'load-balancer',
    render: (e) => renderOctaviaError(e, options.identityUrl()),
  });
  authenticateRequests(app, options.auth, ['/', '/healthz', '/readyz', '/metrics']);
  registerDiscovery(app);
  registerOctaviaRoutes(app, options.deps);
  return app;
}
