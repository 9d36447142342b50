// update2 "modify" application (set/map diffs as symmetric differences) and the replica state
// that applies whole batches all-or-nothing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { encodeAtom } from '../src/data/datum.js';
import { applyDatumDiff, computeDatumDiff } from '../src/data/diff.js';
import { parseColumnType, parseSchema } from '../src/data/schema-parser.js';
import type { Atom, ColumnType } from '../src/data/schema.js';
import { toPlain, valueEquals } from '../src/data/values.js';
import { OvsdbError } from '../src/errors.js';
import { ReplicaState } from '../src/replica/replica-state.js';
import { parseTableUpdates2 } from '../src/replica/table-updates.js';

const SET = parseColumnType({ key: 'string', min: 0, max: 'unlimited' }, 't');
const SMALL_SET = parseColumnType({ key: 'integer', min: 0, max: 2 }, 't');
const MAP = parseColumnType({ key: 'string', value: 'string', min: 0, max: 'unlimited' }, 't');
const OPTIONAL = parseColumnType({ key: 'integer', min: 0, max: 1 }, 't');
const SCALAR = parseColumnType('string', 't');

describe('update2 modify diffs', () => {
  it('toggles set elements (symmetric difference)', () => {
    const old = new Set(['a', 'b', 'c']);
    const next = applyDatumDiff(SET, old, ['set', ['b', 'd']], 't');
    assert.deepEqual(toPlain(next), ['a', 'c', 'd']);
    // A one-element diff may be sent as a bare atom.
    assert.deepEqual(toPlain(applyDatumDiff(SET, old, 'a', 't')), ['b', 'c']);
  });

  it('applies map diffs: add new keys, delete same-value keys, replace changed values', () => {
    const old = new Map([
      ['keep', '1'],
      ['drop', '2'],
      ['change', '3'],
    ]);
    const diff = [
      'map',
      [
        ['drop', '2'],
        ['change', '33'],
        ['add', '4'],
      ],
    ];
    assert.deepEqual(toPlain(applyDatumDiff(MAP, old, diff, 't')), { add: '4', change: '33', keep: '1' });
  });

  it('accepts a diff larger than the column max (old and new both full)', () => {
    const old = new Set([1, 2]);
    const next = applyDatumDiff(SMALL_SET, old, ['set', [1, 2, 3, 4]], 't');
    assert.deepEqual(toPlain(next), [3, 4]);
  });

  it('replaces columns that hold at most one value instead of diffing them', () => {
    assert.equal(applyDatumDiff(OPTIONAL, 5, 7, 't'), 7);
    assert.equal(applyDatumDiff(OPTIONAL, 5, ['set', []], 't'), undefined);
    assert.equal(applyDatumDiff(OPTIONAL, undefined, 3, 't'), 3);
    assert.equal(applyDatumDiff(SCALAR, 'old', 'new', 't'), 'new');
  });

  it('flags a diff that would overflow the column as an inconsistency', () => {
    assert.throws(
      () => applyDatumDiff(SMALL_SET, new Set([1, 2]), 3, 't'),
      (e: unknown) => e instanceof OvsdbError && e.code === 'OVSDB_INCONSISTENT',
    );
  });

  it('apply(old, diff(old, new)) === new for sets and maps (property)', () => {
    const encode = (atom: Atom): ReturnType<typeof encodeAtom> =>
      encodeAtom({ type: typeof atom === 'number' ? 'integer' : 'string' }, atom, 't');
    const setPair = fc.tuple(
      fc.uniqueArray(fc.integer({ min: 0, max: 20 })),
      fc.uniqueArray(fc.integer({ min: 0, max: 20 })),
    );
    const intSet: ColumnType = { key: { type: 'integer' }, min: 0, max: 'unlimited' };
    fc.assert(
      fc.property(setPair, ([a, b]) => {
        const old = new Set(a);
        const next = new Set(b);
        const diff = JSON.parse(JSON.stringify(computeDatumDiff(intSet, old, next, encode))) as unknown;
        assert.ok(valueEquals(applyDatumDiff(intSet, old, diff, 't'), next));
      }),
    );
    const entries = fc.uniqueArray(
      fc.tuple(fc.constantFrom('a', 'b', 'c', 'd', 'e'), fc.constantFrom('1', '2', '3')),
      {
        selector: ([k]) => k,
      },
    );
    fc.assert(
      fc.property(entries, entries, (a, b) => {
        const old = new Map(a);
        const next = new Map(b);
        const diff = JSON.parse(JSON.stringify(computeDatumDiff(MAP, old, next, encode))) as unknown;
        assert.ok(valueEquals(applyDatumDiff(MAP, old, diff, 't'), next));
      }),
    );
  });
});

const SCHEMA = parseSchema({
  name: 'Test',
  version: '1.0.0',
  tables: {
    Port: {
      columns: {
        name: { type: 'string' },
        tags: { type: { key: 'integer', min: 0, max: 'unlimited' } },
        external_ids: { type: { key: 'string', value: 'string', min: 0, max: 'unlimited' } },
        ofport: { type: { key: 'integer', min: 0, max: 1 } },
      },
    },
    Other: { columns: { x: { type: 'integer' } } },
  },
});
const U1 = '11111111-1111-4111-8111-111111111111';
const U2 = '22222222-2222-4222-8222-222222222222';
const U3 = '33333333-3333-4333-8333-333333333333';

function newState(): ReplicaState {
  return new ReplicaState(SCHEMA, new Map([['Port', ['name', 'tags', 'external_ids', 'ofport']]]));
}

describe('ReplicaState.applyUpdates', () => {
  it('fills omitted (default) columns on initial/insert and applies modify diffs', () => {
    const state = newState();
    const changes = state.applyUpdates(
      parseTableUpdates2({
        Port: { [U1]: { initial: { name: 'p1', external_ids: ['map', [['iface-id', 'a']]] } } },
      }),
    );
    assert.equal(changes.length, 1);
    const row = state.tables.get('Port')?.get(U1);
    assert.deepEqual(
      row && { ...row, tags: toPlain(row['tags']), external_ids: toPlain(row['external_ids']) },
      {
        _uuid: U1,
        name: 'p1',
        tags: [],
        external_ids: { 'iface-id': 'a' },
        ofport: undefined,
      },
    );
    const [update] = state.applyUpdates(
      parseTableUpdates2({
        Port: {
          [U1]: {
            modify: {
              tags: ['set', [5, 6]],
              external_ids: [
                'map',
                [
                  ['iface-id', 'a'],
                  ['mac', 'm'],
                ],
              ],
              ofport: 3,
            },
          },
        },
      }),
    );
    assert.equal(update?.kind, 'update');
    assert.equal(update?.old?.['ofport'], undefined, 'the old row is left untouched');
    assert.deepEqual(toPlain(update?.new?.['tags']), [5, 6]);
    assert.deepEqual(toPlain(update?.new?.['external_ids']), { mac: 'm' });
    assert.equal(update?.new?.['ofport'], 3);
    assert.ok(Object.isFrozen(update?.new));
  });

  it('is all-or-nothing: one bad row leaves the whole batch unapplied', () => {
    const state = newState();
    state.applyUpdates(parseTableUpdates2({ Port: { [U1]: { insert: { name: 'p1' } } } }));
    const bad = parseTableUpdates2({
      Port: {
        [U2]: { insert: { name: 'p2' } },
        [U1]: { modify: { name: 'renamed' } },
        [U3]: { modify: { name: 'nobody' } }, // unknown row
      },
    });
    assert.throws(
      () => state.applyUpdates(bad),
      (e: unknown) => e instanceof OvsdbError && e.code === 'OVSDB_INCONSISTENT',
    );
    assert.deepEqual([...(state.tables.get('Port')?.keys() ?? [])], [U1]);
    assert.equal(state.tables.get('Port')?.get(U1)?.['name'], 'p1');
    const badValue = parseTableUpdates2({
      Port: { [U2]: { insert: { name: 'p2' } }, [U1]: { modify: { ofport: 'x' } } },
    });
    assert.throws(
      () => state.applyUpdates(badValue),
      (e: unknown) => e instanceof OvsdbError && e.code === 'OVSDB_PROTOCOL',
    );
    assert.equal(state.tables.get('Port')?.size, 1);
  });

  it('reports deletes with the old row, ignores deletes of unknown rows and unmonitored tables', () => {
    const state = newState();
    state.applyUpdates(parseTableUpdates2({ Port: { [U1]: { insert: { name: 'p1' } } } }));
    const changes = state.applyUpdates(
      parseTableUpdates2({
        Port: { [U1]: { delete: null }, [U2]: { delete: null } },
        Other: { [U3]: { insert: { x: 1 } } },
      }),
    );
    assert.deepEqual(
      changes.map((c) => [c.kind, c.uuid, c.old?.['name']]),
      [['delete', U1, 'p1']],
    );
    assert.equal(state.tables.get('Port')?.size, 0);
  });

  it('treats an insert of a row it holds as a replacement, reporting only real changes', () => {
    const state = newState();
    state.applyUpdates(parseTableUpdates2({ Port: { [U1]: { insert: { name: 'p1' } } } }));
    assert.deepEqual(
      state.applyUpdates(parseTableUpdates2({ Port: { [U1]: { insert: { name: 'p1' } } } })),
      [],
    );
    const [change] = state.applyUpdates(parseTableUpdates2({ Port: { [U1]: { insert: { name: 'p9' } } } }));
    assert.equal(change?.kind, 'update');
  });

  it('rejects malformed table-updates2 shapes', () => {
    for (const bad of [
      [],
      { Port: [] },
      { Port: { 'not-a-uuid': { insert: {} } } },
      { Port: { [U1]: { insert: {}, delete: null } } },
      { Port: { [U1]: { delete: {} } } },
      { Port: { [U1]: { upsert: {} } } },
      { Port: { [U1]: { modify: 3 } } },
    ]) {
      assert.throws(
        () => parseTableUpdates2(bad),
        (e: unknown) => e instanceof OvsdbError && e.code === 'OVSDB_PROTOCOL',
        JSON.stringify(bad),
      );
    }
  });
});
