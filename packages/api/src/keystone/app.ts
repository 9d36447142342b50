// The Keystone v3 facade's HTTP API. PLACEHOLDER: version discovery only.
import type { FastifyInstance } from 'fastify';
import type { ServerConfig } from '../config.js';
import { createHttpApp, type HttpAppOptions } from '../http/app.js';
import type { Identity } from './identity.js';

export interface KeystoneAppOptions extends Omit<HttpAppOptions, 'api' | 'render'> {
  readonly identity: Identity;
  readonly config: Readonly<ServerConfig>;
}

export function createKeystoneApp(options: KeystoneAppOptions): FastifyInstance {
  return createHttpApp({
    ...options,
    api: 'identity',
    render: (e) => ({ body: { error: { code: e.status, title: e.type, message: e.message } } }),
  });
}
