// The whole content of a store as plain data, for "identical after recovery" assertions.
import { TABLE_NAMES } from '@weir/model';
import type { Store } from '../../src/store.js';

export interface Dump {
  readonly revision: number;
  readonly objects: Record<string, unknown[]>;
  readonly claims: Record<string, unknown[]>;
}

export async function dumpStore(store: Store, namespaces: readonly string[] = []): Promise<Dump> {
  const objects: Record<string, unknown[]> = {};
  for (const table of TABLE_NAMES) {
    const items = (await store.list(table)).items;
    if (items.length > 0) objects[table] = [...items].sort((a, b) => a.id.localeCompare(b.id));
  }
  const claims: Record<string, unknown[]> = {};
  for (const ns of namespaces)
    claims[ns] = [...(await store.listClaims(ns))].sort((a, b) => a.key.localeCompare(b.key));
  return { revision: await store.revision(), objects, claims };
}
