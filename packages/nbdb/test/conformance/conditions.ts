// Conditions and multi-object commits: check, checkEmpty, checkNoneJoined, all-or-nothing.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { StoreFactory } from './factory.js';
import { fx } from './fixtures.js';
import { rejectsWith } from './helpers.js';

export function conditionsSuite(f: StoreFactory): void {
  describe('conditions and transactions', () => {
    it('check passes at the stored version and fails with WEIR_STORE_CONFLICT otherwise', async () => {
      const s = await f.open();
      const net = fx.network();
      const { revision } = await s.commit([{ kind: 'create', table: 'logical_switch', object: net }]);
      const port = fx.port({ networkId: net.id });
      await rejectsWith(
        s.commit([
          { kind: 'check', table: 'logical_switch', id: net.id, version: revision + 1000 },
          { kind: 'create', table: 'logical_port', object: port },
        ]),
        'WEIR_STORE_CONFLICT',
        '/ops/0',
      );
      await rejectsWith(
        s.commit([
          { kind: 'create', table: 'logical_port', object: port },
          { kind: 'check', table: 'logical_switch', id: randomUUID(), version: revision },
        ]),
        'WEIR_STORE_CONFLICT',
        '/ops/1',
      );
      assert.equal(await s.get('logical_port', port.id), undefined);
      await s.commit([
        { kind: 'check', table: 'logical_switch', id: net.id, version: revision },
        { kind: 'create', table: 'logical_port', object: port },
      ]);
      assert.ok(await s.get('logical_port', port.id));
    });

    it("check 'absent' passes only while the id is free", async () => {
      const s = await f.open();
      const net = fx.network();
      await s.commit([{ kind: 'check', table: 'logical_switch', id: net.id, version: 'absent' }]);
      await s.commit([{ kind: 'create', table: 'logical_switch', object: net }]);
      await rejectsWith(
        s.commit([{ kind: 'check', table: 'logical_switch', id: net.id, version: 'absent' }]),
        'WEIR_STORE_CONFLICT',
        '/ops/0',
      );
    });

    it('checkEmpty: delete a network only while no port is on it', async () => {
      const s = await f.open();
      const net = fx.network();
      const port = fx.port({ networkId: net.id });
      await s.commit([
        { kind: 'create', table: 'logical_switch', object: net },
        { kind: 'create', table: 'logical_port', object: port },
      ]);
      const guardedDelete = [
        { kind: 'checkEmpty', table: 'logical_port', index: { name: 'network', value: net.id } },
        { kind: 'delete', table: 'logical_switch', id: net.id },
      ] as const;
      await rejectsWith(s.commit(guardedDelete), 'WEIR_STORE_CONFLICT', '/ops/0');
      assert.ok(await s.get('logical_switch', net.id));
      await s.commit([{ kind: 'delete', table: 'logical_port', id: port.id }]);
      await s.commit(guardedDelete);
      assert.equal(await s.get('logical_switch', net.id), undefined);
    });

    it('checkEmpty sees multi-valued index entries', async () => {
      const s = await f.open();
      const sgA = randomUUID();
      const sgB = randomUUID();
      const port = fx.port({ networkId: randomUUID(), securityGroups: [sgA, sgB] });
      await s.commit([{ kind: 'create', table: 'logical_port', object: port }]);
      for (const sg of [sgA, sgB]) {
        await rejectsWith(
          s.commit([
            { kind: 'checkEmpty', table: 'logical_port', index: { name: 'securityGroup', value: sg } },
          ]),
          'WEIR_STORE_CONFLICT',
          '/ops/0',
        );
      }
      await s.commit([
        { kind: 'checkEmpty', table: 'logical_port', index: { name: 'securityGroup', value: randomUUID() } },
      ]);
    });

    it('checkNoneJoined: what a list under an index value saw stays all there is until the commit', async () => {
      const s = await f.open();
      const net = fx.network();
      const first = fx.port({ networkId: net.id });
      await s.commit([
        { kind: 'create', table: 'logical_switch', object: net },
        { kind: 'create', table: 'logical_port', object: first },
      ]);
      const index = { name: 'network', value: net.id };
      const listed = await s.list('logical_port', { index });
      assert.equal(listed.items.length, 1);
      const guard = {
        kind: 'checkNoneJoined',
        table: 'logical_port',
        index,
        since: listed.revision,
      } as const;
      // Nobody joined: it passes although the value lists an object (where checkEmpty fails).
      await s.commit([guard]);
      // A newcomer elsewhere does not matter; one under the value does.
      await s.commit([
        { kind: 'create', table: 'logical_port', object: fx.port({ networkId: randomUUID() }) },
      ]);
      await s.commit([guard]);
      const newcomer = fx.port({ networkId: net.id });
      await s.commit([{ kind: 'create', table: 'logical_port', object: newcomer }]);
      const other = fx.network();
      await rejectsWith(
        s.commit([{ kind: 'create', table: 'logical_switch', object: other }, guard]),
        'WEIR_STORE_CONFLICT',
        '/ops/1',
      );
      assert.equal(await s.get('logical_switch', other.id), undefined);
      // Leaving is no joining: after both leave, a guard from before the newcomer passes again.
      await s.commit([
        { kind: 'delete', table: 'logical_port', id: newcomer.id },
        { kind: 'delete', table: 'logical_port', id: first.id },
      ]);
      await s.commit([guard]);
      await rejectsWith(s.commit([{ ...guard, since: -1 }]), 'WEIR_MODEL_INVALID', '/ops/0/since');
    });

    it('a commit of six operations whose fifth fails writes nothing', async () => {
      const s = await f.open();
      const net = fx.network();
      const existing = fx.port({ networkId: net.id });
      const { revision: r0, written } = await s.commit([
        { kind: 'create', table: 'logical_switch', object: net },
        { kind: 'create', table: 'logical_port', object: existing },
      ]);
      const [, stored] = written;
      assert.ok(stored);
      const newPorts = [fx.port({ networkId: net.id }), fx.port({ networkId: net.id })];
      const ns = `subnet:${randomUUID()}`;
      await rejectsWith(
        s.commit([
          { kind: 'create', table: 'logical_port', object: newPorts[0] ?? assert.fail() },
          { kind: 'claim', namespace: ns, key: '10.0.0.5', owner: newPorts[0]?.id ?? '' },
          { kind: 'update', table: 'logical_port', object: { ...stored, name: 'renamed' } },
          { kind: 'delete', table: 'logical_switch', id: net.id },
          { kind: 'check', table: 'logical_switch', id: net.id, version: r0 - 1 },
          { kind: 'create', table: 'logical_port', object: newPorts[1] ?? assert.fail() },
        ]),
        'WEIR_STORE_CONFLICT',
        '/ops/4',
      );
      assert.equal(await s.get('logical_port', newPorts[0]?.id ?? ''), undefined);
      assert.equal(await s.get('logical_port', newPorts[1]?.id ?? ''), undefined);
      assert.deepEqual(await s.get('logical_port', existing.id), stored);
      assert.ok(await s.get('logical_switch', net.id));
      assert.deepEqual(await s.listClaims(ns), []);
      assert.equal(
        (await s.list('logical_port', { index: { name: 'network', value: net.id } })).items.length,
        1,
        'no index entry of the failed creates',
      );
      assert.equal(await s.revision(), r0, 'a failed commit does not advance the revision');
    });

    it('a failing claim at the end aborts the whole commit', async () => {
      const s = await f.open();
      const ns = `mac:${randomUUID()}`;
      await s.commit([{ kind: 'claim', namespace: ns, key: 'fa:16:3e:00:00:01', owner: 'someone' }]);
      const port = fx.port({ networkId: randomUUID() });
      await rejectsWith(
        s.commit([
          { kind: 'create', table: 'logical_port', object: port },
          { kind: 'claim', namespace: ns, key: '10.0.0.9', owner: port.id },
          { kind: 'claim', namespace: ns, key: 'fa:16:3e:00:00:01', owner: port.id },
        ]),
        'WEIR_STORE_CLAIMED',
        '/ops/2',
      );
      assert.equal(await s.get('logical_port', port.id), undefined);
      assert.deepEqual(await s.listClaims(ns), [{ key: 'fa:16:3e:00:00:01', owner: 'someone' }]);
    });

    it('one commit may not write an object or a claim twice', async () => {
      const s = await f.open();
      const net = fx.network();
      await rejectsWith(
        s.commit([
          { kind: 'create', table: 'logical_switch', object: net },
          { kind: 'delete', table: 'logical_switch', id: net.id },
        ]),
        'WEIR_MODEL_INVALID',
        '/ops/1',
      );
      await rejectsWith(
        s.commit([
          { kind: 'claim', namespace: 'ns', key: 'k', owner: 'a' },
          { kind: 'release', namespace: 'ns', key: 'k', owner: 'a' },
        ]),
        'WEIR_MODEL_INVALID',
        '/ops/1',
      );
      assert.equal(await s.get('logical_switch', net.id), undefined);
    });

    it('an empty commit succeeds and writes nothing', async () => {
      const s = await f.open();
      const before = await s.revision();
      const result = await s.commit([]);
      assert.deepEqual(result.written, []);
      assert.ok(result.revision >= before);
    });
  });
}
