// The Octavia v2 API. PLACEHOLDER: errors in Octavia's shape only.
import type { FastifyInstance } from 'fastify';
import type { Authenticator } from '../auth/principal.js';
import { createHttpApp, type HttpAppOptions } from '../http/app.js';
import type { ResourceDeps } from '../neutron/resource.js';

export interface OctaviaAppOptions extends Omit<HttpAppOptions, 'api' | 'render'> {
  readonly deps: ResourceDeps;
  readonly auth: Authenticator;
  readonly identityUrl: () => string;
}

export function createOctaviaApp(options: OctaviaAppOptions): FastifyInstance {
  return createHttpApp({
    ...options,
    api: 'load-balancer',
    render: (e) => ({
      body: { faultcode: e.status >= 500 ? 'Server' : 'Client', faultstring: e.message, debuginfo: null },
    }),
  });
}
