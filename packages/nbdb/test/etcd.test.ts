// The etcd v3 driver against a real etcd (Debian etcd-server, started by @weir/lab on free
// loopback ports with its own data dir): the shared conformance suite, then what only etcd has.
import { after, afterEach, before, describe } from 'node:test';
import { EtcdInstance } from '@weir/lab';
import { defineStoreConformance } from './conformance/index.js';
import { EtcdStores } from './etcd/harness.js';
import { etcdSpecifics } from './etcd/specifics.js';

let etcd: EtcdInstance | undefined;
const instance = (): EtcdInstance => {
  if (!etcd) throw new Error('etcd is not running');
  return etcd;
};
const stores = new EtcdStores(instance);

describe('etcd driver', () => {
  before(async () => {
    etcd = await EtcdInstance.start();
  });
  after(async () => {
    await stores.closeAll();
    await etcd?.stop();
  });

  defineStoreConformance('etcd', stores);
  describe('etcd', () => {
    afterEach(() => stores.cleanup());
    etcdSpecifics(stores, instance);
  });
});
