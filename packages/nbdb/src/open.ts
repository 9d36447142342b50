// openStore(url): the one way to get a Store. The URL picks the driver:
//
//   memory:                    a private, volatile store (tests)
//   memory:NAME                a volatile store shared by every client opened with NAME in this process
//   file:PATH                  the durable embedded store in directory PATH (created if absent)
//   etcd://host:port[,host:port…][/prefix]   etcd v3; keys under `prefix` (default "weir")
//
// The etcd driver is imported only when asked for, so embedded users never load it.
import { WeirError } from '@weir/model';
// Type-only: erased at run time, so the etcd driver is still loaded only on demand.
import type { openEtcdStore as openEtcdStoreType } from './etcd/index.js';
import type { Store } from './store.js';
import { openFileStore, type FileStoreOptions } from './file/index.js';
import type { EngineOptions } from './memory/engine.js';
import { openMemoryStore } from './memory/index.js';

/** Options of the etcd driver other than those the URL gives. */
export type EtcdOptions = Omit<Parameters<typeof openEtcdStoreType>[0], 'endpoints' | 'prefix'>;

export interface OpenStoreOptions extends EngineOptions {
  /** file: only — write-ahead log and snapshot tuning. */
  readonly file?: Omit<FileStoreOptions, keyof EngineOptions>;
  /** etcd:// only. */
  readonly etcd?: EtcdOptions;
}

export const DEFAULT_ETCD_PREFIX = 'weir';

function badUrl(url: string, why: string): WeirError {
  return new WeirError('WEIR_MODEL_INVALID', `store URL ${JSON.stringify(url)}: ${why}`, [
    { field: '/url', reason: why },
  ]);
}

export interface EtcdTarget {
  readonly endpoints: readonly string[];
  readonly prefix: string;
}

/** Parses `etcd://host:port[,host:port…][/prefix]`. */
export function parseEtcdUrl(url: string): EtcdTarget {
  const rest = url.slice('etcd://'.length);
  const slash = rest.indexOf('/');
  const hosts = slash < 0 ? rest : rest.slice(0, slash);
  const path = slash < 0 ? '' : rest.slice(slash + 1).replace(/\/+$/, '');
  const endpoints = hosts.split(',');
  for (const endpoint of endpoints) {
    if (!/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):[0-9]{1,5}$/.test(endpoint))
      throw badUrl(url, `endpoint ${JSON.stringify(endpoint)} is not host:port`);
  }
  return { endpoints, prefix: path === '' ? DEFAULT_ETCD_PREFIX : path };
}

/** Opens a store client for `url` (see the table above). */
export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  const { file, etcd, ...engine } = options;
  if (url === 'memory:') return openMemoryStore(engine);
  if (url.startsWith('memory:')) return openMemoryStore({ ...engine, name: url.slice('memory:'.length) });
  if (url.startsWith('file:')) {
    let path = url.slice('file:'.length);
    if (path.startsWith('//')) path = decodeURIComponent(new URL(url).pathname);
    if (path === '') throw badUrl(url, 'file: needs a directory path');
    return openFileStore(path, { ...engine, ...file });
  }
  if (url.startsWith('etcd://')) {
    const target = parseEtcdUrl(url);
    const { openEtcdStore } = await import('./etcd/index.js');
    return openEtcdStore({ ...etcd, ...target });
  }
  throw badUrl(url, 'expected memory:, file:PATH or etcd://host:port[,…][/prefix]');
}
