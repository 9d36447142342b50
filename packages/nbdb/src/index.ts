// @weir/nbdb — the northbound store. See store.ts for the contract every driver honours.
export type * from './store.js';
export { openStore, parseEtcdUrl, DEFAULT_ETCD_PREFIX } from './open.js';
export type { OpenStoreOptions, EtcdOptions, EtcdTarget } from './open.js';
export { openMemoryStore } from './memory/index.js';
export type { MemoryStoreOptions } from './memory/index.js';
export { openFileStore } from './file/index.js';
export type { FileStoreOptions } from './file/index.js';
export type { EngineOptions } from './memory/engine.js';
export { keyLayout, encodeSegment, decodeSegment } from './shared/keys.js';
export type { KeyLayout } from './shared/keys.js';
