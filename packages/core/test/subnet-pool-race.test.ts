// Subnet allocation races on one pool, on the in-memory store with two clients sharing it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openStore } from '@weir/nbdb';
import { subnetPoolRace } from './helpers/subnet-pool-race.js';

describe('subnet pools under concurrency (memory)', () => {
  it('mixed-length allocations never overlap; one of two overlapping requests wins', async () => {
    const store = await openStore('memory:');
    try {
      const { retries } = await subnetPoolRace(store, store);
      // The creates really raced (a run with no lost commit would prove nothing).
      assert.ok(retries > 0, `${retries} retries`);
    } finally {
      await store.close();
    }
  });
});
