// What a driver's test file hands the conformance suite.
import type { Store } from '../../src/store.js';

export interface StoreFactory {
  /** A client on a fresh, empty store (called at the start of each test). */
  open(): Promise<Store>;
  /**
   * Another client on the same data as the last `open()` — a second process or replica, as far
   * as the driver can make it one. Concurrency and lease-expiry tests need it.
   */
  openSecond?(): Promise<Store>;
  /**
   * Drops every client of the last `open()` (their connections, or their process), restarts the
   * backend if there is one, and returns a new client on the same data. Durability tests need it.
   */
  restart?(): Promise<Store>;
  /** Closes every client and removes what the last `open()` created (called after each test). */
  cleanup(): Promise<void>;
}
