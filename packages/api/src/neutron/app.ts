// The Neutron v2.0 API: discovery, every resource's routes, authentication, and errors in
// Neutron's shape — {"NeutronError": {"type", "message", "detail"}} — which the openstack CLI
// prints and tempest asserts on.
import type { FastifyInstance } from 'fastify';
import type { Authenticator } from '../auth/principal.js';
import { createHttpApp, type HttpAppOptions } from '../http/app.js';
import type { HttpError } from '../http/http-error.js';
import type { NeutronResource, ResourceDeps } from './resource.js';
import { registerResource } from './routes.js';
import { registerDiscovery } from './version.js';
import { authenticateRequests, unauthorizedBody } from '../auth/hook.js';

export interface NeutronAppOptions extends Omit<HttpAppOptions, 'api' | 'render'> {
  readonly deps: ResourceDeps;
  readonly auth: Authenticator;
  readonly resources: readonly NeutronResource[];
  /** Extra routes that are not plain resources (router interfaces, trunk subports, quotas). */
  readonly extraRoutes?: ReadonlyArray<(app: FastifyInstance, deps: ResourceDeps) => void>;
  /** Where clients get tokens (the WWW-Authenticate header of a 401). */
  readonly identityUrl: () => string;
}

export function renderNeutronError(
  error: HttpError,
  identityUrl?: string,
): { body: unknown; headers?: Record<string, string> } {
  if (error.status === 401) return unauthorizedBody(identityUrl);
  return { body: { NeutronError: { type: error.type, message: error.message, detail: error.detail } } };
}

export function createNeutronApp(options: NeutronAppOptions): FastifyInstance {
  const app = createHttpApp({
    ...options,
    api: 'network',
    render: (e) => renderNeutronError(e, options.identityUrl()),
  });
  authenticateRequests(app, options.auth, ['/', '/healthz', '/readyz', '/metrics']);
  registerDiscovery(app, options.resources);
  for (const r of options.resources) registerResource(app, r, options.deps);
  for (const extra of options.extraRoutes ?? []) extra(app, options.deps);
  return app;
}
