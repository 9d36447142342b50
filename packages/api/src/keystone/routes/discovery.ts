// Version discovery as Keystone serves it: `GET /` is a 300 Multiple Choices listing v3, `GET /v3`
// the v3 document. keystoneauth reads one or the other before anything else (OS_AUTH_URL=…/v3
// asks `GET /v3`; an unversioned catalog URL asks `GET /`).
import type { FastifyRequest } from 'fastify';
import { baseUrl, type KeystoneRoutes } from './common.js';

function v3(req: FastifyRequest): Record<string, unknown> {
  return {
    id: 'v3.14',
    status: 'stable',
    updated: '2020-04-07T00:00:00Z',
    links: [{ rel: 'self', href: `${baseUrl(req)}/v3/` }],
    'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
  };
}

export const discoveryRoutes: KeystoneRoutes = (app) => {
  app.get('/', (req, reply) =>
    reply
      .code(300)
      .header('Location', `${baseUrl(req)}/v3/`)
      .send({ versions: { values: [v3(req)] } }),
  );
  app.get('/v3', (req, reply) => reply.send({ version: v3(req) }));
};
