// Version discovery: `GET /` answers Octavia's versions document (keystoneauth and openstacksdk
// read it; octaviaclient goes straight to <endpoint>/v2.0). Octavia lists one entry per feature
// level up to v2.30; Weir implements a subset of those features (no TLS, L7 policies, flavors,
// availability zones or amphorae), so it advertises the base API only, v2.0, as CURRENT.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PREFIXES } from './routes.js';

function baseUrl(req: FastifyRequest): string {
  return `${req.protocol}://${req.headers.host ?? 'localhost'}`;
}

export function registerDiscovery(app: FastifyInstance): void {
  app.get('/', (req) => ({
    versions: [
      {
        id: 'v2.0',
        status: 'CURRENT',
        updated: '2016-12-11T00:00:00Z',
        links: [{ href: `${baseUrl(req)}/v2`, rel: 'self' }],
      },
    ],
  }));
  // Octavia's V2Controller answers its own root with the string "v2".
  for (const prefix of PREFIXES)
    app.get(prefix, (_req, reply) => reply.type('application/json').send('"v2"'));
}
