// Claims: unique values with an owner (addresses, MACs, segmentation ids).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Claim } from '../../src/store.js';
import type { StoreFactory } from './factory.js';
import { fx } from './fixtures.js';
import { rejectsWith } from './helpers.js';

const byKey = (claims: readonly Claim[]): Claim[] => [...claims].sort((a, b) => a.key.localeCompare(b.key));

export function claimsSuite(f: StoreFactory): void {
  describe('claims', () => {
    it('claim is idempotent for its owner and refused to anyone else', async () => {
      const s = await f.open();
      const ns = `subnet:${randomUUID()}`;
      await s.commit([{ kind: 'claim', namespace: ns, key: '10.0.0.5', owner: 'port-1' }]);
      await s.commit([{ kind: 'claim', namespace: ns, key: '10.0.0.5', owner: 'port-1' }]);
      await rejectsWith(
        s.commit([{ kind: 'claim', namespace: ns, key: '10.0.0.5', owner: 'port-2' }]),
        'WEIR_STORE_CLAIMED',
        '/ops/0',
      );
      await s.commit([{ kind: 'claim', namespace: ns, key: 'fd00::5', owner: 'port-2' }]);
      assert.deepEqual(byKey(await s.listClaims(ns)), [
        { key: '10.0.0.5', owner: 'port-1' },
        { key: 'fd00::5', owner: 'port-2' },
      ]);
    });

    it('release frees a value for its owner only; releasing a free value is a no-op', async () => {
      const s = await f.open();
      const ns = `vni:${randomUUID()}`;
      await s.commit([{ kind: 'claim', namespace: ns, key: '100', owner: 'net-1' }]);
      await rejectsWith(
        s.commit([{ kind: 'release', namespace: ns, key: '100', owner: 'net-2' }]),
        'WEIR_STORE_CLAIMED',
        '/ops/0',
      );
      assert.deepEqual(await s.listClaims(ns), [{ key: '100', owner: 'net-1' }]);
      await s.commit([{ kind: 'release', namespace: ns, key: '100', owner: 'net-1' }]);
      assert.deepEqual(await s.listClaims(ns), []);
      await s.commit([{ kind: 'release', namespace: ns, key: '100', owner: 'net-1' }]);
      await s.commit([{ kind: 'claim', namespace: ns, key: '100', owner: 'net-2' }]);
      assert.deepEqual(await s.listClaims(ns), [{ key: '100', owner: 'net-2' }]);
    });

    it('namespaces are independent, and values may hold any characters', async () => {
      const s = await f.open();
      const a = `subnet:${randomUUID()}`;
      const b = `subnet:${randomUUID()}`;
      const odd = '10.0.0.0/24 é:/%';
      await s.commit([
        { kind: 'claim', namespace: a, key: odd, owner: 'x' },
        { kind: 'claim', namespace: b, key: odd, owner: 'y' },
      ]);
      assert.deepEqual(await s.listClaims(a), [{ key: odd, owner: 'x' }]);
      assert.deepEqual(await s.listClaims(b), [{ key: odd, owner: 'y' }]);
      assert.deepEqual(await s.listClaims(`${a}x`), [], 'a namespace is not a prefix of another');
    });

    it('an object and its claims are written together: moving an address is one commit', async () => {
      const s = await f.open();
      const ns = `subnet:${randomUUID()}`;
      const port = fx.port({ networkId: randomUUID() });
      const { written } = await s.commit([
        { kind: 'create', table: 'logical_port', object: port },
        { kind: 'claim', namespace: ns, key: '10.0.0.5', owner: port.id },
      ]);
      const stored = written[0];
      assert.ok(stored);
      await s.commit([
        { kind: 'update', table: 'logical_port', object: { ...stored, name: 'moved' } },
        { kind: 'release', namespace: ns, key: '10.0.0.5', owner: port.id },
        { kind: 'claim', namespace: ns, key: '10.0.0.6', owner: port.id },
      ]);
      assert.deepEqual(await s.listClaims(ns), [{ key: '10.0.0.6', owner: port.id }]);
    });
  });
}
