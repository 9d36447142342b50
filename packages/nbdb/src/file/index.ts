// The file: driver (work in progress: not built yet).
import { WeirError } from '@weir/model';
import type { EngineOptions } from '../memory/engine.js';
import type { Store } from '../store.js';

export interface FileStoreOptions extends EngineOptions {
  /** Rotate (snapshot, start a new log) once the write-ahead log exceeds this many bytes. */
  readonly maxWalBytes?: number;
  /** Unique keys reserved per durable log write. */
  readonly uniqueKeyBlock?: number;
}

export function openFileStore(path: string, _options: FileStoreOptions = {}): Promise<Store> {
  return Promise.reject(new WeirError('WEIR_STORE_UNAVAILABLE', `file driver not built yet (${path})`));
}
