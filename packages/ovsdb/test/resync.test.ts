// Resync after reconnect with found=false: the new full state replaces the old one, and exactly
// the differences are reported — no delete+insert for rows that did not change.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseSchema } from '../src/data/schema-parser.js';
import { rowEquals } from '../src/data/values.js';
import { diffStates, ReplicaState, type StoredRow } from '../src/replica/replica-state.js';
import { parseTableUpdates2 } from '../src/replica/table-updates.js';

const SCHEMA = parseSchema({
  name: 'Test',
  version: '1.0.0',
  tables: {
    Bridge: {
      columns: {
        name: { type: 'string' },
        ports: { type: { key: 'integer', min: 0, max: 'unlimited' } },
        external_ids: { type: { key: 'string', value: 'string', min: 0, max: 'unlimited' } },
      },
    },
  },
});
const COLUMNS = new Map([['Bridge', ['name', 'ports', 'external_ids']]]);
const uuid = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

type RowSpec = { name: string; ports: number[]; ids: [string, string][] };
function dump(rows: ReadonlyMap<number, RowSpec>): unknown {
  const out: Record<string, unknown> = {};
  for (const [n, row] of rows) {
    const initial: Record<string, unknown> = { name: row.name };
    if (row.ports.length > 0) initial['ports'] = ['set', row.ports];
    if (row.ids.length > 0) initial['external_ids'] = ['map', row.ids];
    out[uuid(n)] = { initial };
  }
  return { Bridge: out };
}

function snapshot(state: ReplicaState): Map<string, StoredRow> {
  return new Map(state.tables.get('Bridge'));
}

describe('resync (replaceAll)', () => {
  it('reports nothing when the server state did not change', () => {
    const rows = new Map([
      [1, { name: 'br-int', ports: [1, 2], ids: [['a', 'b']] as [string, string][] }],
      [2, { name: 'br-ex', ports: [], ids: [] }],
    ]);
    const state = new ReplicaState(SCHEMA, COLUMNS);
    assert.equal(state.replaceAll(parseTableUpdates2(dump(rows))).length, 2);
    const before = snapshot(state);
    assert.deepEqual(state.replaceAll(parseTableUpdates2(dump(rows))), []);
    // Unchanged rows keep their identity: consumers holding them see no churn.
    for (const [key, row] of before) assert.equal(state.tables.get('Bridge')?.get(key), row);
  });

  it('reports exactly the inserted, updated and deleted rows', () => {
    const state = new ReplicaState(SCHEMA, COLUMNS);
    state.replaceAll(
      parseTableUpdates2(
        dump(
          new Map([
            [1, { name: 'same', ports: [1], ids: [] }],
            [2, { name: 'changes', ports: [1], ids: [] }],
            [3, { name: 'goes', ports: [], ids: [] }],
          ]),
        ),
      ),
    );
    const changes = state.replaceAll(
      parseTableUpdates2(
        dump(
          new Map([
            [1, { name: 'same', ports: [1], ids: [] }],
            [2, { name: 'changes', ports: [1, 2], ids: [] }],
            [4, { name: 'new', ports: [], ids: [] }],
          ]),
        ),
      ),
    );
    assert.deepEqual(changes.map((c) => [c.kind, c.uuid]).sort(), [
      ['delete', uuid(3)],
      ['insert', uuid(4)],
      ['update', uuid(2)],
    ]);
  });

  it('applying the reported changes to the old state yields the new state (property)', () => {
    const rowSpec = fc.record({
      name: fc.constantFrom('a', 'b', 'c'),
      ports: fc.uniqueArray(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }),
      ids: fc.uniqueArray(fc.tuple(fc.constantFrom('k1', 'k2'), fc.constantFrom('v1', 'v2')), {
        selector: ([k]) => k,
      }),
    });
    const table = fc
      .array(fc.tuple(fc.integer({ min: 1, max: 8 }), rowSpec))
      .map((entries) => new Map(entries));
    fc.assert(
      fc.property(table, table, (first, second) => {
        const state = new ReplicaState(SCHEMA, COLUMNS);
        state.replaceAll(parseTableUpdates2(dump(first)));
        const old = snapshot(state);
        const changes = state.replaceAll(parseTableUpdates2(dump(second)));
        // Replay the events onto a copy of the old state.
        const replayed = new Map(old);
        for (const change of changes) {
          if (change.kind === 'delete') replayed.delete(change.uuid);
          else replayed.set(change.uuid, change.new);
          if (change.kind === 'update') assert.ok(!rowEquals(change.old, change.new), 'no no-op updates');
        }
        const now = snapshot(state);
        assert.equal(replayed.size, now.size);
        for (const [key, row] of now) assert.ok(rowEquals(replayed.get(key) ?? {}, row));
        // And the events are minimal: one per row that differs.
        const expected = diffStates(new Map([['Bridge', old]]), new Map([['Bridge', now]]));
        assert.equal(changes.length, expected.length);
        const differing = [...new Set([...old.keys(), ...now.keys()])].filter((key) => {
          const a = old.get(key);
          const b = now.get(key);
          return a === undefined || b === undefined || !rowEquals(a, b);
        });
        assert.equal(changes.length, differing.length);
      }),
    );
  });
});
