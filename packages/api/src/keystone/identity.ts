// The Keystone v3 facade's state, put together at start-up: the directory from the configuration,
// the configured projects seeded into the store, the shared token secret, and the watched cache
// that lets every replica validate any replica's tokens without reading the store (ADR 0007).
// This is a facade for Weir's own APIs, not a general identity service.
import type { CoreContext } from '@weir/core';
import type { Authenticator } from '../auth/principal.js';
import { principalFromRoles } from '../auth/principal.js';
import type { ServerConfig } from '../config.js';
import { IdentityCache } from './cache.js';
import type { Endpoints } from './catalog.js';
import { buildDirectory } from './directory.js';
import { unauthorized } from './errors.js';
import { seedProjects } from './projects.js';
import { tokenSecret } from './secret.js';
import { Keystone } from './service.js';
import { tokenSigner } from './tokens.js';

export type { Endpoints } from './catalog.js';

export interface Identity {
  /** Validates `X-Auth-Token` on the network and load-balancer APIs (`auth: keystone`). */
  readonly authenticator: Authenticator;
  readonly keystone: Keystone;
  /** Where the catalog sends clients; known once the listeners are bound. */
  setEndpoints(endpoints: Endpoints): void;
  /** Stops the watch. */
  close(): void;
}

export interface IdentityOptions {
  /** Milliseconds since the epoch; tests move it to expire tokens. */
  readonly now?: () => number;
}

export async function createIdentity(
  config: ServerConfig,
  ctx: CoreContext,
  options: IdentityOptions = {},
): Promise<Identity> {
  const directory = buildDirectory(config.identity);
  await seedProjects(ctx, directory.projects);
  const secret = await tokenSecret(config.identity.token_secret, ctx.store);
  // After seeding, so the configured projects are in the first list.
  const cache = await IdentityCache.open(ctx.store);
  const keystone = new Keystone({
    ctx,
    directory,
    cache,
    signer: tokenSigner(secret),
    ttlMs: config.identity.token_ttl_seconds * 1000,
    region: config.region,
    now: options.now ?? Date.now,
  });
  const authenticator: Authenticator = {
    async authenticate(headers) {
      const raw = headers['x-auth-token'];
      const v = await keystone.validate(Array.isArray(raw) ? raw[0] : raw);
      // keystonemiddleware would pass an unscoped token on; Neutron then has no project to act in.
      if (!v.project) throw unauthorized();
      return principalFromRoles(v.user.id, v.project.id, v.roles);
    },
  };
  return {
    authenticator,
    keystone,
    setEndpoints: (e) => keystone.setEndpoints(e),
    close: () => cache.close(),
  };
}
