// The Keystone v3 facade's state: users and projects from the configuration (projects also in
// the store, so the API can create them), token issue and validation. PLACEHOLDER until the
// keystone facade lands: it authenticates nobody.
import type { Store } from '@weir/nbdb';
import type { Authenticator } from '../auth/principal.js';
import type { ServerConfig } from '../config.js';
import { HttpError } from '../http/http-error.js';

export interface Endpoints {
  readonly network: string;
  readonly loadBalancer: string;
  readonly identity: string;
}

export interface Identity {
  /** Validates `X-Auth-Token` on the network and load-balancer APIs (`auth: keystone`). */
  readonly authenticator: Authenticator;
  /** Where the catalog sends clients; known once the listeners are bound. */
  setEndpoints(endpoints: Endpoints): void;
}

export function createIdentity(_config: ServerConfig, _store: Store): Promise<Identity> {
  return Promise.resolve({
    authenticator: {
      authenticate: () =>
        Promise.reject(
          new HttpError(401, 'Unauthorized', 'The request you have made requires authentication.'),
        ),
    },
    setEndpoints: () => undefined,
  });
}
