// The HTTP plumbing every Weir API shares: strict JSON bodies, size limits, the optional ".json"
// suffix, request ids, health and readiness, metrics, and one error path. Each API supplies a
// renderer that puts an HttpError into its own wire shape (NeutronError, Octavia's fault, Keystone's
// error), so no error ever leaves in fastify's default shape.
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import { BodyError, parseJsonBody } from './json-body.js';
import { HttpError, toHttpError } from './http-error.js';
import type { ApiMetrics } from './metrics.js';

export interface RenderedError {
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface HttpAppOptions {
  /** "network", "load-balancer" or "identity": the metrics label and log name. */
  readonly api: string;
  readonly render: (error: HttpError) => RenderedError;
  /** Largest accepted request body in bytes (Neutron's default: 114,688). */
  readonly bodyLimit: number;
  readonly maxDepth: number;
  readonly metrics: ApiMetrics;
  /** Readiness: resolves when the service can serve (the store answers), rejects otherwise. */
  readonly ready: () => Promise<void>;
  readonly logLevel: 'silent' | 'error' | 'warn' | 'info' | 'debug';
}

declare module 'fastify' {
  interface FastifyRequest {
    startedAt: number;
  }
}

export function createHttpApp(options: HttpAppOptions): FastifyInstance {
  const app = Fastify({
    bodyLimit: options.bodyLimit,
    logger: options.logLevel === 'silent' ? false : { level: options.logLevel, name: `weir-${options.api}` },
    return503OnClosing: true,
    genReqId: () => `req-${randomUUID()}`,
    requestIdHeader: false,
    // Neutron accepts an optional ".json" suffix on every path.
    rewriteUrl: (req) => (req.url ?? '/').replace(/\.json(?=$|\?)/, ''),
    routerOptions: {
      ignoreTrailingSlash: true,
      ignoreDuplicateSlashes: true,
      maxParamLength: 512,
      querystringParser: parseQuery,
    },
    frameworkErrors: (error, _req, reply) => {
      sendError(reply, options, fromFramework(error));
    },
  });

  app.removeAllContentTypeParsers();
  // Whatever the Content-Type says, a body is JSON to these APIs (as it is to Neutron's WSGI).
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body: Buffer, done) => {
    try {
      done(null, body.length === 0 ? undefined : parseJsonBody(body, { maxDepth: options.maxDepth }));
    } catch (error) {
      const message = error instanceof BodyError ? error.message : 'unreadable body';
      done(new HttpError(400, 'MalformedRequestBody', `Malformed request body: ${message}`), undefined);
    }
  });

  app.decorateRequest('startedAt', 0);
  app.addHook('onRequest', (req, _reply, done) => {
    req.startedAt = performance.now();
    done();
  });
  app.addHook('onSend', async (req, reply) => {
    void reply.header('X-Openstack-Request-Id', req.id);
  });
  app.addHook('onResponse', async (req, reply) => {
    options.metrics.observe(
      options.api,
      req.method,
      req.routeOptions.url ?? 'unmatched',
      reply.statusCode,
      (performance.now() - req.startedAt) / 1000,
    );
  });

  app.setErrorHandler((error: FastifyError | HttpError | Error, req, reply) => {
    const http = error instanceof HttpError ? error : fromFramework(error);
    if (http.status >= 500) req.log.error({ err: error }, 'request failed');
    sendError(reply, options, http);
  });
  app.setNotFoundHandler((_req, reply) => {
    sendError(reply, options, new HttpError(404, 'HTTPNotFound', 'The resource could not be found.'));
  });

  app.get('/healthz', (_req, reply) => reply.send({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    try {
      await options.ready();
      return { status: 'ready' };
    } catch (error) {
      return reply.code(503).send({ status: 'not ready', reason: (error as Error).message });
    }
  });
  app.get('/metrics', async (_req, reply) => {
    const text = await options.metrics.render();
    return reply.type(options.metrics.contentType).send(text);
  });
  return app;
}

function sendError(reply: FastifyReply, options: HttpAppOptions, error: HttpError): void {
  const rendered = options.render(error);
  void reply
    .code(error.status)
    .headers(rendered.headers ?? {})
    .type('application/json')
    .send(rendered.body);
}

/** Errors raised by fastify itself (body too large, bad URL, bad content length…) or handlers. */
function fromFramework(error: unknown): HttpError {
  const status = (error as { statusCode?: unknown }).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    if (status === 413) return new HttpError(413, 'HTTPRequestEntityTooLarge', 'Request is too large.');
    if (status === 404) return new HttpError(404, 'HTTPNotFound', 'The resource could not be found.');
    return new HttpError(status, 'HTTPBadRequest', `Malformed request: ${(error as Error).message}`);
  }
  return toHttpError(error);
}

/**
 * Query strings: repeated keys become arrays (Neutron's multi-value filters); invalid percent
 * escapes are kept literally instead of failing; no prototype keys.
 */
export function parseQuery(text: string): Record<string, string | string[]> {
  const out = Object.create(null) as Record<string, string | string[]>;
  for (const [key, value] of new URLSearchParams(text)) {
    const prev = out[key];
    if (prev === undefined) out[key] = value;
    else if (Array.isArray(prev)) prev.push(value);
    else out[key] = [prev, value];
  }
  return out;
}
