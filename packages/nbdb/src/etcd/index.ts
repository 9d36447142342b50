// @weir/nbdb's etcd v3 driver (loaded lazily by ../open.ts for etcd:// URLs).
import type { Store } from '../store.js';
import { EtcdStore, type EtcdStoreOptions } from './store.js';

export type { EtcdStoreOptions, EtcdFaults } from './store.js';

/** Connects to etcd (one round trip, so an unreachable cluster fails here with WEIR_STORE_UNAVAILABLE). */
export async function openEtcdStore(options: EtcdStoreOptions): Promise<Store> {
  const store = new EtcdStore(options);
  try {
    await store.connect();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}
