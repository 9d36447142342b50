// The memory: driver — the embedded engine with no journal: volatile, for tests and demos.
//
// `memory:` opens a fresh, private store. `memory:NAME` opens a client on an in-process store
// shared by every client opened with the same name (two "replicas" in one test); its data lives
// until the last of those clients closes.
import type { Store } from '../store.js';
import { EmbeddedStore } from './embedded-store.js';
import { Engine, type EngineOptions } from './engine.js';
import { StoreState } from './state.js';

export interface MemoryStoreOptions extends EngineOptions {
  /** Share the store with every client opened under this name in this process. */
  readonly name?: string;
}

interface Shared {
  readonly engine: Engine;
  clients: number;
}

const named = new Map<string, Shared>();

export function openMemoryStore(options: MemoryStoreOptions = {}): Promise<Store> {
  const { name } = options;
  if (name === undefined) {
    const engine = new Engine(new StoreState(), undefined, options);
    return Promise.resolve(new EmbeddedStore('memory', engine, () => engine.close()));
  }
  let shared = named.get(name);
  if (!shared) {
    shared = { engine: new Engine(new StoreState(), undefined, options), clients: 0 };
    named.set(name, shared);
  }
  const s = shared;
  s.clients++;
  return Promise.resolve(
    new EmbeddedStore('memory', s.engine, async () => {
      if (--s.clients > 0) return;
      named.delete(name);
      await s.engine.close();
    }),
  );
}

export type { EngineFaults } from './engine.js';
export { DEFAULT_HISTORY_REVISIONS } from './engine.js';
