// Starts a real `weir server` (all three APIs, system-chosen loopback ports) for a test, with a
// small JSON client. Each test gets its own store unless it passes one.
import type { IncomingHttpHeaders } from 'node:http';
import type { Store } from '@weir/nbdb';
import { noAuth, principalFromRoles, type Authenticator } from '../../src/auth/principal.js';
import {
  loadServerConfig,
  startServer,
  type RunningServer,
  type ServerConfig,
  type StartOptions,
} from '../../src/index.js';

export interface TestServer extends RunningServer {
  readonly config: Readonly<ServerConfig>;
  /** A request to the network API: JSON in; status, parsed JSON (typed by the caller) and text out. */
  neutron: Call;
  octavia: Call;
  keystone: Call;
}

export type Call = <T = Record<string, unknown>>(
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<Reply<T>>;

export interface Reply<T> {
  readonly status: number;
  /** The parsed JSON body, as the caller says it looks ({} when the body is not JSON). */
  readonly body: T;
  readonly text: string;
  readonly headers: Headers;
  /** The error in any of the three APIs' shapes (NeutronError, Octavia fault, Keystone error). */
  readonly error: { readonly type: string; readonly message: string } | undefined;
}

function errorOf(parsed: unknown): Reply<unknown>['error'] {
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const o = parsed as Record<string, Record<string, unknown> | string | undefined>;
  const n = o.NeutronError;
  if (typeof n === 'object') return { type: String(n.type), message: String(n.message) };
  const k = o.error;
  if (typeof k === 'object') return { type: String(k.title), message: String(k.message) };
  if (typeof o.faultstring === 'string') {
    return { type: typeof o.faultcode === 'string' ? o.faultcode : '', message: o.faultstring };
  }
  return undefined;
}

/** Headers that make a request come from another project or with other roles (auth: none only). */
export function asProject(
  projectId: string,
  roles: readonly string[] = ['member', 'reader'],
): Record<string, string> {
  return { 'x-test-project': projectId, 'x-test-roles': roles.join(',') };
}

/**
 * With `auth: none`, requests carrying `x-test-project` (and optionally `x-test-roles`, default
 * member) act as that project; the others are the default project's admin, as with noAuth.
 */
function testAuthenticator(defaultProjectId: string): Authenticator {
  const admin = noAuth(defaultProjectId);
  return {
    authenticate(headers: IncomingHttpHeaders) {
      const project = headers['x-test-project'];
      if (typeof project !== 'string') return admin.authenticate(headers);
      const roles = headers['x-test-roles'];
      const list = typeof roles === 'string' ? roles.split(',').filter((r) => r !== '') : ['member'];
      return Promise.resolve(principalFromRoles(`user-${project}`, project, list));
    },
  };
}

export async function startTestServer(
  overrides: Record<string, unknown> = {},
  store?: Store,
  options: Pick<StartOptions, 'clock'> = {},
): Promise<TestServer> {
  const config = loadServerConfig(undefined, {
    listen: { network: '127.0.0.1:0', load_balancer: '127.0.0.1:0', identity: '127.0.0.1:0' },
    log_level: 'silent',
    ...overrides,
  });
  const server = await startServer(config, {
    processMetrics: false,
    ...options,
    ...(store ? { store } : {}),
    ...(config.auth === 'none' ? { authenticator: testAuthenticator(config.default_project_id) } : {}),
  });
  const call =
    (base: string): Call =>
    async <T>(
      method: string,
      path: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ): Promise<Reply<T>> => {
      const init: RequestInit = { method, headers: { ...headers } };
      if (body !== undefined) {
        init.body = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
        (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
      }
      const res = await fetch(`${base}${path}`, init);
      const text = await res.text();
      let parsed: unknown;
      try {
        parsed = text === '' ? {} : (JSON.parse(text) as unknown);
      } catch {
        parsed = {};
      }
      const reply: Reply<T> = {
        status: res.status,
        body: parsed as T,
        text,
        headers: res.headers,
        error: errorOf(parsed),
      };
      return reply;
    };
  return {
    ...server,
    config,
    neutron: call(server.urls.network),
    octavia: call(server.urls.loadBalancer),
    keystone: call(server.urls.identity),
  };
}
