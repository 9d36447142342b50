// `weir server`: the three APIs over one store. Stateless — every request is served from the
// store, so any number of replicas on one etcd behave as one service (tokens are HMAC-signed
// with a shared secret, see keystone/tokens.ts).
import { createContext, DEFAULT_CONFIG, type CoreConfig } from '@weir/core';
import { openStore, type Store } from '@weir/nbdb';
import type { FastifyInstance } from 'fastify';
import { noAuth, type Authenticator } from './auth/principal.js';
import type { ServerConfig } from './config.js';
import { createApiMetrics } from './http/metrics.js';
import { createNeutronApp } from './neutron/app.js';
import { NEUTRON_RESOURCES } from './neutron/resources/index.js';
import { NEUTRON_EXTRA_ROUTES } from './neutron/extra-routes.js';
import { createOctaviaApp } from './octavia/app.js';
import { createKeystoneApp } from './keystone/app.js';
import { createIdentity, type Identity } from './keystone/identity.js';

export interface ServerUrls {
  readonly network: string;
  readonly loadBalancer: string;
  readonly identity: string;
}

export interface RunningServer {
  readonly urls: ServerUrls;
  readonly store: Store;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Use this store instead of opening `config.db` (tests; not closed by `close`). */
  readonly store?: Store;
  /** Collect process metrics (off in tests that start many servers). */
  readonly processMetrics?: boolean;
  /**
   * Decides who calls instead of `config.auth` (tests act as several projects and roles without
   * going through Keystone tokens).
   */
  readonly authenticator?: Authenticator;
  /** The identity facade's clock, milliseconds since the epoch (tests expire tokens with it). */
  readonly clock?: () => number;
}

function coreConfig(config: ServerConfig): Partial<CoreConfig> {
  const c = config.core;
  return {
    ...(c.overlay_mtu === undefined ? {} : { overlayMtu: c.overlay_mtu }),
    ...(c.tenant_network_type === undefined ? {} : { tenantNetworkType: c.tenant_network_type }),
    ...(c.vni_range === undefined ? {} : { vniRange: c.vni_range }),
    ...(c.vlan_ranges === undefined ? {} : { vlanRanges: c.vlan_ranges }),
    ...(c.quotas === undefined ? {} : { defaultQuotas: { ...DEFAULT_CONFIG.defaultQuotas, ...c.quotas } }),
  };
}

function splitHostPort(hp: string): { host: string; port: number } {
  const at = hp.lastIndexOf(':');
  return { host: hp.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(hp.slice(at + 1)) };
}

async function listen(app: FastifyInstance, hostPort: string): Promise<string> {
  const { host, port } = splitHostPort(hostPort);
  await app.listen({ host, port });
  const address = app.server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return `http://${shownHost}:${actual}`;
}

export async function startServer(config: ServerConfig, options: StartOptions = {}): Promise<RunningServer> {
  const store = options.store ?? (await openStore(config.db));
  const ownsStore = options.store === undefined;
  const core = createContext(store, coreConfig(config));
  const metrics = createApiMetrics(options.processMetrics ?? true);
  const ready = async (): Promise<void> => {
    await store.get('project', config.default_project_id);
  };
  const common = {
    bodyLimit: config.limits.body_bytes,
    maxDepth: config.limits.max_depth,
    metrics,
    ready,
    logLevel: config.log_level,
  };
  const apps: FastifyInstance[] = [];
  let closeIdentity = (): void => undefined;
  try {
    const identity: Identity = await createIdentity(config, core, {
      ...(options.clock ? { now: options.clock } : {}),
    });
    closeIdentity = () => identity.close();
    const auth: Authenticator =
      options.authenticator ??
      (config.auth === 'none' ? noAuth(config.default_project_id) : identity.authenticator);
    // Known once the listeners are bound (ports may be chosen by the system).
    let identityUrl = '';
    const keystone = createKeystoneApp({ ...common, identity, config, identityUrl: () => identityUrl });
    apps.push(keystone);
    const neutron = createNeutronApp({
      ...common,
      deps: { core },
      auth,
      resources: NEUTRON_RESOURCES,
      extraRoutes: NEUTRON_EXTRA_ROUTES,
      identityUrl: () => identityUrl,
    });
    apps.push(neutron);
    const octavia = createOctaviaApp({ ...common, deps: { core }, auth, identityUrl: () => identityUrl });
    apps.push(octavia);
    const urls: ServerUrls = {
      identity: await listen(keystone, config.listen.identity),
      network: await listen(neutron, config.listen.network),
      loadBalancer: await listen(octavia, config.listen.load_balancer),
    };
    const published: ServerUrls = {
      network: config.public_urls?.network ?? urls.network,
      loadBalancer: config.public_urls?.load_balancer ?? urls.loadBalancer,
      identity: config.public_urls?.identity ?? urls.identity,
    };
    identityUrl = `${published.identity}/v3`;
    identity.setEndpoints(published);
    return {
      urls,
      store,
      async close() {
        await Promise.allSettled(apps.map((a) => a.close()));
        closeIdentity();
        if (ownsStore) await store.close();
      },
    };
  } catch (error) {
    await Promise.allSettled(apps.map((a) => a.close()));
    closeIdentity();
    if (ownsStore) await store.close();
    throw error;
  }
}
