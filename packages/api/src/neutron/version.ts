// Version discovery and the extension list: the first calls every client makes. The openstack
// CLI aborts unless `GET /` returns a version document.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../http/http-error.js';
import { EXTENSIONS, extensionView } from './extensions.js';
import type { NeutronResource } from './resource.js';

function baseUrl(req: FastifyRequest): string {
  return `${req.protocol}://${req.headers.host ?? 'localhost'}`;
}

export function registerDiscovery(app: FastifyInstance, resources: readonly NeutronResource[]): void {
  app.get('/', (req, reply) =>
    reply.send({
      versions: [{ id: 'v2.0', status: 'CURRENT', links: [{ href: `${baseUrl(req)}/v2.0/`, rel: 'self' }] }],
    }),
  );
  app.get('/v2.0', (req, reply) =>
    reply.send({
      resources: resources.map((r) => ({
        name: r.singular,
        collection: r.path ?? r.plural,
        links: [{ href: `${baseUrl(req)}/v2.0/${r.path ?? r.plural}`, rel: 'self' }],
      })),
    }),
  );
  app.get('/v2.0/extensions', (_req, reply) => reply.send({ extensions: EXTENSIONS.map(extensionView) }));
  app.get(
    '/v2.0/extensions/:alias',
    (req: FastifyRequest<{ Params: { alias: string } }>, reply: FastifyReply) => {
      const e = EXTENSIONS.find((x) => x.alias === req.params.alias);
      if (!e)
        throw new HttpError(404, 'HTTPNotFound', `Extension with alias ${req.params.alias} does not exist`);
      return reply.send({ extension: extensionView(e) });
    },
  );
}
