// The Neutron API in this process on an embedded store, with quotas off, as every in-process
// benchmark cluster starts it. The driver gets its own core context on the same store so it can
// write fills directly (no HTTP) with the same unlimited quotas the API has.
import { loadServerConfig, startServer, type RunningServer } from '@weir/api';
import { DEFAULT_CONFIG, createContext, type CoreContext } from '@weir/core';
import { openStore, type Store } from '@weir/nbdb';

export interface InProcessApi {
  readonly store: Store;
  readonly ctx: CoreContext;
  readonly server: RunningServer;
}

export const UNLIMITED_QUOTAS = { ...DEFAULT_CONFIG.defaultQuotas, network: -1, subnet: -1, port: -1 };

export async function startInProcessApi(url: string): Promise<InProcessApi> {
  const store = await openStore(url);
  const config = loadServerConfig(undefined, {
    db: url,
    auth: 'none',
    log_level: 'error',
    listen: { network: '127.0.0.1:0', load_balancer: '127.0.0.1:0', identity: '127.0.0.1:0' },
    core: { quotas: { network: -1, subnet: -1, port: -1 } },
  });
  const server = await startServer(config, { store, processMetrics: false });
  return { store, server, ctx: createContext(store, { defaultQuotas: UNLIMITED_QUOTAS }) };
}
