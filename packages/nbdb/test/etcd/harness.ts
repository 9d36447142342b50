// Test plumbing for the etcd driver: a store factory over one EtcdInstance (every test gets its own
// key prefix, so tests never see each other's keys) and a raw etcd3 client to look at the keys.
import { randomUUID } from 'node:crypto';
import { Etcd3 } from 'etcd3';
import type { EtcdInstance } from '@weir/lab';
import { openEtcdStore, type EtcdStoreOptions } from '../../src/etcd/index.js';
import type { Store } from '../../src/store.js';
import type { StoreFactory } from '../conformance/index.js';

export class EtcdStores implements StoreFactory {
  prefix = '';
  private readonly clients: Store[] = [];

  constructor(private readonly etcd: () => EtcdInstance) {}

  /** A client on the current prefix (extra options for tests of limits and timeouts). */
  async client(options: Partial<EtcdStoreOptions> = {}): Promise<Store> {
    const store = await openEtcdStore({ endpoints: this.etcd().endpoints, prefix: this.prefix, ...options });
    this.clients.push(store);
    return store;
  }

  open(): Promise<Store> {
    this.prefix = `test/${randomUUID()}`;
    return this.client();
  }

  openSecond(): Promise<Store> {
    return this.client();
  }

  /** Closes every client, restarts etcd (same ports, same data), and opens a new client. */
  async restart(): Promise<Store> {
    await this.closeAll();
    await this.etcd().restart();
    return this.client();
  }

  async cleanup(): Promise<void> {
    await this.closeAll();
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.clients.splice(0).map((s) => s.close()));
  }
}

/** A raw etcd3 client on `etcd`, closed by the caller. */
export function rawClient(etcd: EtcdInstance): Etcd3 {
  return new Etcd3({ hosts: etcd.endpoints });
}

/** Every key under `prefix` (as text) with its value and lease. */
export async function dump(
  raw: Etcd3,
  prefix: string,
): Promise<Map<string, { value: string; lease: string }>> {
  const kvs = await raw.getAll().prefix(prefix).exec();
  return new Map(kvs.kvs.map((kv) => [kv.key.toString(), { value: kv.value.toString(), lease: kv.lease }]));
}
