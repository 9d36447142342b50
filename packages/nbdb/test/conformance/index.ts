// The driver-independent conformance suite of the Store contract (src/store.ts). A driver's test
// file calls `defineStoreConformance('memory', factory)`; every test opens its own store through
// the factory, which cleans up after each test. Suites that need a second client or a restart
// are skipped (and say so) when the factory cannot provide one.
import { afterEach, describe } from 'node:test';
import { claimsSuite } from './claims.js';
import { concurrencySuite } from './concurrency.js';
import { conditionsSuite } from './conditions.js';
import { crudSuite } from './crud.js';
import type { StoreFactory } from './factory.js';
import { leasesSuite } from './leases.js';
import { restartSuite } from './restart.js';
import { validationSuite } from './validation.js';
import { watchSuite } from './watch.js';

export type { StoreFactory } from './factory.js';

export function defineStoreConformance(label: string, factory: StoreFactory): void {
  describe(`Store conformance: ${label}`, () => {
    afterEach(() => factory.cleanup());
    crudSuite(factory);
    conditionsSuite(factory);
    claimsSuite(factory);
    validationSuite(factory);
    concurrencySuite(factory);
    watchSuite(factory);
    leasesSuite(factory);
    restartSuite(factory);
  });
}
