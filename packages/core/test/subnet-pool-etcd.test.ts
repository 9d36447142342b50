// Subnet allocation races on a real etcd with two separate store clients (two connections), as
// two API replicas would be.
import { after, before, describe, it } from 'node:test';
import { EtcdInstance } from '@weir/lab';
import { openStore } from '@weir/nbdb';
import { subnetPoolRace } from './helpers/subnet-pool-race.js';

describe('subnet pools under concurrency (etcd)', () => {
  let etcd: EtcdInstance;
  before(async () => {
    etcd = await EtcdInstance.start();
  });
  after(async () => {
    await etcd?.stop();
  });

  it('two etcd clients: mixed-length allocations never overlap; one of two overlapping requests wins', async () => {
    const url = `etcd://${etcd.endpoints.map((e) => e.replace(/^https?:\/\//, '')).join(',')}/pools${process.pid}`;
    const a = await openStore(url);
    const b = await openStore(url);
    try {
      await subnetPoolRace(a, b);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
