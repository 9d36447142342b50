// Placeholder for the etcd v3 driver, written separately (it replaces this file). It exists so that
// open.ts compiles before the driver does; `openStore('etcd://…')` reports it plainly meanwhile.
import { WeirError } from '@weir/model';
import type { Store } from '../store.js';

export interface EtcdStoreOptions {
  /** "host:port" of each cluster member. */
  readonly endpoints: readonly string[];
  /** Key prefix every key of this store lives under (no trailing slash). */
  readonly prefix: string;
}

export function openEtcdStore(options: EtcdStoreOptions): Promise<Store> {
  return Promise.reject(
    new WeirError('WEIR_STORE_UNAVAILABLE', `etcd driver not built yet (${options.endpoints.join(',')})`),
  );
}
