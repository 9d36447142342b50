// openStore(url): which driver a URL selects, and the etcd URL grammar.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openStore, parseEtcdUrl } from '../src/open.js';
import { rejectsWith } from './conformance/helpers.js';
import { fx } from './conformance/fixtures.js';
import { removeDir, tempDir } from './helpers/tmp.js';

describe('openStore', () => {
  it('memory: is private, memory:NAME is shared', async () => {
    const [p1, p2] = [await openStore('memory:'), await openStore('memory:')];
    const [n1, n2] = [await openStore('memory:x-test'), await openStore('memory:x-test')];
    const net = fx.network();
    await p1.commit([{ kind: 'create', table: 'logical_switch', object: net }]);
    await n1.commit([{ kind: 'create', table: 'logical_switch', object: net }]);
    assert.equal(await p2.get('logical_switch', net.id), undefined);
    assert.ok(await n2.get('logical_switch', net.id));
    assert.equal(p1.driver, 'memory');
    await Promise.all([p1, p2, n1, n2].map((s) => s.close()));
  });

  it('file:PATH and file:///PATH open the durable store', async () => {
    const dir = tempDir('open');
    try {
      const a = await openStore(`file:${dir}`);
      assert.equal(a.driver, 'file');
      const net = fx.network();
      await a.commit([{ kind: 'create', table: 'logical_switch', object: net }]);
      await a.close();
      const b = await openStore(`file://${dir}`);
      assert.ok(await b.get('logical_switch', net.id));
      await b.close();
    } finally {
      removeDir(dir);
    }
  });

  it('parses etcd URLs', () => {
    assert.deepEqual(parseEtcdUrl('etcd://127.0.0.1:2379'), {
      endpoints: ['127.0.0.1:2379'],
      prefix: 'weir',
    });
    assert.deepEqual(parseEtcdUrl('etcd://a:1,b.example:2,[::1]:3/lab/one/'), {
      endpoints: ['a:1', 'b.example:2', '[::1]:3'],
      prefix: 'lab/one',
    });
    assert.throws(() => parseEtcdUrl('etcd://nohost'), /host:port/);
    assert.throws(() => parseEtcdUrl('etcd://a:1,,b:2'), /host:port/);
  });

  it('refuses unknown schemes and empty paths', async () => {
    await rejectsWith(openStore('redis://x'), 'WEIR_MODEL_INVALID');
    await rejectsWith(openStore('file:'), 'WEIR_MODEL_INVALID');
  });
});
