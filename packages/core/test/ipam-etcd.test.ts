// The IPAM race on a real etcd with two separate store clients (two connections), as two API
// replicas would be.
import { after, before, describe, it } from 'node:test';
import { EtcdInstance } from '@weir/lab';
import { openStore } from '@weir/nbdb';
import { ipamRace } from './helpers/ipam-race.js';

describe('IPAM under concurrency (etcd)', () => {
  let etcd: EtcdInstance;
  before(async () => {
    etcd = await EtcdInstance.start();
  });
  after(async () => {
    await etcd?.stop();
  });

  it('two etcd clients, 300 ports on one /24 — 253 distinct addresses, 47 refusals', async () => {
    const url = `etcd://${etcd.endpoints.map((e) => e.replace(/^https?:\/\//, '')).join(',')}/ipam${process.pid}`;
    const a = await openStore(url);
    const b = await openStore(url);
    try {
      await ipamRace(a, b);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
