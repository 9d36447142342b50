// The typed transaction builder's wire output and result decoding, without a server.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OvsdbError, OvsdbTransactionError } from '../src/errors.js';
import { openVswitchSchema } from '../src/schemas/open-vswitch.js';
import { checkTransactResult } from '../src/transaction/results.js';
import { Transaction, type TransactFn } from '../src/transaction/transaction.js';
import type { WireOperation } from '../src/transaction/operations.js';

const U1 = '11111111-1111-4111-8111-111111111111';
const U2 = '22222222-2222-4222-8222-222222222222';

function recorder(reply: (ops: readonly WireOperation[]) => readonly Record<string, unknown>[]): {
  send: TransactFn;
  sent: (readonly WireOperation[])[];
} {
  const sent: (readonly WireOperation[])[] = [];
  return {
    sent,
    send: (ops) => {
      sent.push(ops);
      return Promise.resolve(reply(ops));
    },
  };
}

describe('Transaction builder', () => {
  it('encodes every operation through the schema', () => {
    const txn = new Transaction(openVswitchSchema, recorder(() => []).send);
    const iface = txn.insert('Interface', {
      name: 'p0',
      type: 'internal',
      external_ids: { 'iface-id': 'x' },
    });
    const port = txn.insert('Port', { name: 'p0', interfaces: [iface.ref] }, { uuidName: 'port0', uuid: U2 });
    txn.mutate(
      'Bridge',
      [['name', '==', 'br-int']],
      [
        ['ports', 'insert', [port.ref]],
        ['external_ids', 'delete', ['stale']],
        ['external_ids', 'insert', { fresh: 'yes' }],
        ['flood_vlans', 'delete', new Set([5])],
      ],
    );
    txn.update('Bridge', [['_uuid', '==', U1]], { fail_mode: undefined, protocols: ['OpenFlow13'] });
    txn.select(
      'Bridge',
      [
        ['ports', 'includes', [U2]],
        ['fail_mode', '==', 'secure'],
      ],
      ['name'],
    );
    txn.delete('Port', [['name', '!=', 'p0']]);
    txn.wait('Bridge', [['name', '==', 'br-int']], {
      columns: ['name', '_version'],
      until: '!=',
      rows: [{ name: 'x', _version: U1 }],
    });
    txn.commit({ durable: true });
    txn.comment('why');
    txn.assert('lock');
    txn.abort();
    assert.deepEqual(txn.wireOperations, [
      {
        op: 'insert',
        table: 'Interface',
        row: { name: 'p0', type: 'internal', external_ids: ['map', [['iface-id', 'x']]] },
        'uuid-name': '_row0',
      },
      {
        op: 'insert',
        table: 'Port',
        row: { name: 'p0', interfaces: ['set', [['named-uuid', '_row0']]] },
        'uuid-name': 'port0',
        uuid: U2,
      },
      {
        op: 'mutate',
        table: 'Bridge',
        where: [['name', '==', 'br-int']],
        mutations: [
          ['ports', 'insert', ['set', [['named-uuid', 'port0']]]],
          ['external_ids', 'delete', ['set', ['stale']]],
          ['external_ids', 'insert', ['map', [['fresh', 'yes']]]],
          ['flood_vlans', 'delete', ['set', [5]]],
        ],
      },
      {
        op: 'update',
        table: 'Bridge',
        where: [['_uuid', '==', ['uuid', U1]]],
        row: { fail_mode: ['set', []], protocols: ['set', ['OpenFlow13']] },
      },
      {
        op: 'select',
        table: 'Bridge',
        where: [
          ['ports', 'includes', ['set', [['uuid', U2]]]],
          ['fail_mode', '==', 'secure'],
        ],
        columns: ['name'],
      },
      { op: 'delete', table: 'Port', where: [['name', '!=', 'p0']] },
      {
        op: 'wait',
        table: 'Bridge',
        where: [['name', '==', 'br-int']],
        columns: ['name', '_version'],
        until: '!=',
        rows: [{ name: 'x', _version: ['uuid', U1] }],
        timeout: 0,
      },
      { op: 'commit', durable: true },
      { op: 'comment', comment: 'why' },
      { op: 'assert', lock: 'lock' },
      { op: 'abort' },
    ]);
  });

  it('throws OVSDB_INVALID_ARGUMENT for unknown tables, columns and read-only columns', () => {
    const txn = new Transaction(openVswitchSchema, recorder(() => []).send);
    const invalid = (e: unknown): boolean => e instanceof OvsdbError && e.code === 'OVSDB_INVALID_ARGUMENT';
    assert.throws(() => txn.insert('Bridge', { nope: 1 } as never), invalid);
    assert.throws(() => txn.insert('Bridge', { _uuid: U1 } as never), invalid);
    assert.throws(() => txn.select('Nope' as never, []), invalid);
    assert.throws(() => txn.delete('Bridge', [['name', '~=', 'x'] as never]), invalid);
    assert.throws(
      () =>
        txn.wait('Bridge', [], { columns: ['name'], until: '==', rows: [{ fail_mode: 'secure' } as never] }),
      invalid,
    );
    assert.equal(txn.size, 0, 'failed calls add nothing');
  });

  it('decodes typed results and sends only once', async () => {
    const { send, sent } = recorder(() => [
      { uuid: ['uuid', U1] },
      { rows: [{ _uuid: ['uuid', U2], name: 'br0', fail_mode: ['set', []], ports: ['uuid', U1] }] },
      { count: 2 },
    ]);
    const txn = new Transaction(openVswitchSchema, send);
    const inserted = txn.insert('Controller', { target: 'tcp:127.0.0.1:6653' });
    const selected = txn.select('Bridge', [], ['_uuid', 'name', 'fail_mode', 'ports']);
    const deleted = txn.delete('Port', []);
    const result = await txn.execute();
    assert.equal(result.get(inserted), U1);
    assert.deepEqual(result.get(selected), [
      { _uuid: U2, name: 'br0', fail_mode: undefined, ports: new Set([U1]) },
    ]);
    assert.equal(result.get(deleted), 2);
    assert.equal(sent.length, 1);
    await assert.rejects(
      txn.execute(),
      (e: unknown) => e instanceof OvsdbError && e.code === 'OVSDB_INVALID_ARGUMENT',
    );
    assert.throws(() => txn.comment('late'), OvsdbError);
  });
});

describe('checkTransactResult', () => {
  const ops: WireOperation[] = [
    { op: 'comment', comment: 'a' },
    { op: 'delete', table: 'T', where: [] },
  ];

  it('names the first failing operation', () => {
    assert.throws(
      () => checkTransactResult(ops, [{}, { error: 'constraint violation', details: 'x' }]),
      (e: unknown) =>
        e instanceof OvsdbTransactionError &&
        e.operationIndex === 1 &&
        e.operation === 'delete' &&
        e.ovsdbDetails === 'x' &&
        /operation 1 \(delete\): constraint violation: x/.test(e.message),
    );
  });

  it('reports a commit-time error appended after the operations', () => {
    assert.throws(
      () => checkTransactResult(ops, [{}, { count: 0 }, { error: 'referential integrity violation' }]),
      (e: unknown) =>
        e instanceof OvsdbTransactionError && e.operationIndex === undefined && /at commit/.test(e.message),
    );
  });

  it('rejects replies of the wrong shape as OVSDB_PROTOCOL', () => {
    for (const bad of [null, {}, [{}], [{}, 3]]) {
      assert.throws(
        () => checkTransactResult(ops, bad),
        (e: unknown) => e instanceof OvsdbError && e.code === 'OVSDB_PROTOCOL',
        JSON.stringify(bad),
      );
    }
  });
});
