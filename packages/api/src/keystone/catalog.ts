// The service catalog in scoped tokens: Weir's three APIs, each with the public, internal and
// admin interfaces (one URL for all three; tempest and keystoneauth pick by interface and region).
// Types and names are the ones OpenStack clients look for: network/neutron,
// load-balancer/octavia, identity/keystone.
import { derivedId } from './directory.js';

export interface Endpoints {
  readonly network: string;
  readonly loadBalancer: string;
  readonly identity: string;
}

export interface CatalogEndpoint {
  readonly id: string;
  readonly interface: 'public' | 'internal' | 'admin';
  readonly region: string;
  readonly region_id: string;
  readonly url: string;
}

export interface CatalogEntry {
  readonly id: string;
  readonly type: string;
  readonly name: string;
  readonly endpoints: readonly CatalogEndpoint[];
}

const INTERFACES = ['public', 'internal', 'admin'] as const;

export function buildCatalog(endpoints: Endpoints, region: string): CatalogEntry[] {
  const services: ReadonlyArray<readonly [string, string, string]> = [
    // The identity URL is unversioned, as Keystone registers it: clients discover /v3 from `GET /`.
    ['identity', 'keystone', endpoints.identity],
    ['network', 'neutron', endpoints.network],
    ['load-balancer', 'octavia', endpoints.loadBalancer],
  ];
  return services.map(([type, name, url]) => ({
    id: derivedId('service', type),
    type,
    name,
    endpoints: INTERFACES.map((i) => ({
      id: derivedId('endpoint', type, i, region),
      interface: i,
      region,
      region_id: region,
      url,
    })),
  }));
}
