// The auto-address subnet races on a real etcd: the store's checkNoneJoined is an etcd compare
// there (create revisions over the index range), not the embedded drivers' version check.
import { after, before, describe, it } from 'node:test';
import { EtcdInstance } from '@weir/lab';
import { openStore, type Store } from '@weir/nbdb';
import { portJoinsDuringSubnetCreate, portJoinsDuringSubnetDelete } from './helpers/auto-address-races.js';

describe('auto-address subnets: races with port creates (etcd)', () => {
  let etcd: EtcdInstance;
  let store: Store;
  before(async () => {
    etcd = await EtcdInstance.start();
    const hosts = etcd.endpoints.map((e) => e.replace(/^https?:\/\//, '')).join(',');
    store = await openStore(`etcd://${hosts}/auto${process.pid}`);
  });
  after(async () => {
    await store?.close();
    await etcd?.stop();
  });

  it('a port created while the subnet is being created gets its address too', () =>
    portJoinsDuringSubnetCreate(store));
  it('a port created while the subnet is being deleted loses its address too', () =>
    portJoinsDuringSubnetDelete(store));
});
