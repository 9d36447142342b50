// Bad input: refused with WEIR_MODEL_INVALID naming the field, and nothing written.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { isWeirError, type TableName } from '@weir/model';
import type { WriteOp } from '../../src/store.js';
import type { StoreFactory } from './factory.js';
import { fx } from './fixtures.js';
import { rejectsInvalid, rejectsWith } from './helpers.js';

export function validationSuite(f: StoreFactory): void {
  describe('invalid input', () => {
    it('an invalid object is refused with the field named, and nothing of the commit is written', async () => {
      const s = await f.open();
      const before = await s.revision();
      const net = fx.network();
      const bad = { ...fx.port({ networkId: net.id }), macAddress: 'not-a-mac' };
      await rejectsInvalid(
        s.commit([
          { kind: 'create', table: 'logical_switch', object: net },
          { kind: 'create', table: 'logical_port', object: bad },
        ]),
        '/ops/1/object/macAddress',
      );
      assert.equal(await s.get('logical_switch', net.id), undefined);
      assert.equal(await s.get('logical_port', bad.id), undefined);
      assert.equal(await s.revision(), before);
    });

    it('unknown attributes, missing attributes and wrong types are refused; stored objects stay', async () => {
      const s = await f.open();
      const net = fx.network();
      const [stored] = (await s.commit([{ kind: 'create', table: 'logical_switch', object: net }])).written;
      assert.ok(stored);
      const variants: unknown[] = [
        { ...stored, surprise: 1 },
        { ...stored, mtu: 'big' },
        { ...stored, mtu: 10 },
        Object.fromEntries(Object.entries(stored).filter(([k]) => k !== 'networkType')),
        { ...stored, id: 'not-a-uuid' },
      ];
      for (const object of variants) {
        await rejectsInvalid(
          s.commit([{ kind: 'update', table: 'logical_switch', object } as WriteOp]),
          '/ops/0/object',
        );
      }
      assert.deepEqual(await s.get('logical_switch', net.id), stored);
    });

    it('unknown tables and indexes are refused', async () => {
      const s = await f.open();
      await rejectsWith(
        s.commit([{ kind: 'delete', table: 'nope' as TableName, id: randomUUID() }]),
        'WEIR_MODEL_INVALID',
        '/ops/0/table',
      );
      await rejectsWith(
        s.commit([{ kind: 'checkEmpty', table: 'logical_port', index: { name: 'nope', value: 'x' } }]),
        'WEIR_MODEL_INVALID',
        '/ops/0/index/name',
      );
      await rejectsWith(
        s.commit([{ kind: 'claim', namespace: '', key: 'k', owner: 'o' }]),
        'WEIR_MODEL_INVALID',
        '/ops/0/namespace',
      );
    });

    it('a closed client refuses every call with WEIR_STORE_UNAVAILABLE', async () => {
      const s = await f.open();
      await s.close();
      await rejectsWith(s.get('logical_switch', randomUUID()), 'WEIR_STORE_UNAVAILABLE');
      await rejectsWith(s.commit([]), 'WEIR_STORE_UNAVAILABLE');
      await rejectsWith(s.revision(), 'WEIR_STORE_UNAVAILABLE');
      assert.throws(
        () => s.watch({}, () => undefined),
        (e: unknown) => isWeirError(e, 'WEIR_STORE_UNAVAILABLE'),
      );
      await s.close();
    });
  });
}
