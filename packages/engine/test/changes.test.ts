// Tracked changes and input nodes: coalescing to the net effect, refusing contradictions, and
// inputs that record exactly what was written between two runs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  EngineError,
  KeyedChanges,
  diffMaps,
  keyedInput,
  valueInput,
  type KeyedChange,
} from '../src/index.js';

type Op = ['add', string, number] | ['update', string, number, number] | ['remove', string, number];

function recordAll(ops: readonly Op[]): KeyedChange<string, number>[] {
  const changes = new KeyedChanges<string, number>();
  for (const op of ops) {
    if (op[0] === 'add') changes.add(op[1], op[2]);
    else if (op[0] === 'update') changes.update(op[1], op[2], op[3]);
    else changes.remove(op[1], op[2]);
  }
  return [...changes];
}

const noGuard = () => {};

describe('KeyedChanges', () => {
  const cases: [string, Op[], KeyedChange<string, number>[]][] = [
    ['add', [['add', 'k', 1]], [{ kind: 'added', key: 'k', value: 1 }]],
    [
      'add then update is an add of the last value',
      [
        ['add', 'k', 1],
        ['update', 'k', 1, 2],
      ],
      [{ kind: 'added', key: 'k', value: 2 }],
    ],
    [
      'add then remove is nothing',
      [
        ['add', 'k', 1],
        ['remove', 'k', 1],
      ],
      [],
    ],
    [
      'update then update keeps the first old value',
      [
        ['update', 'k', 1, 2],
        ['update', 'k', 2, 3],
      ],
      [{ kind: 'updated', key: 'k', old: 1, value: 3 }],
    ],
    [
      'update then remove removes the first old value',
      [
        ['update', 'k', 1, 2],
        ['remove', 'k', 2],
      ],
      [{ kind: 'removed', key: 'k', old: 1 }],
    ],
    [
      'remove then add is an update',
      [
        ['remove', 'k', 1],
        ['add', 'k', 5],
      ],
      [{ kind: 'updated', key: 'k', old: 1, value: 5 }],
    ],
    [
      'keys are independent',
      [
        ['add', 'a', 1],
        ['remove', 'b', 2],
      ],
      [
        { kind: 'added', key: 'a', value: 1 },
        { kind: 'removed', key: 'b', old: 2 },
      ],
    ],
  ];
  for (const [name, ops, expected] of cases) {
    it(name, () => assert.deepEqual(recordAll(ops), expected));
  }

  const contradictions: [string, Op[]][] = [
    [
      'add twice',
      [
        ['add', 'k', 1],
        ['add', 'k', 2],
      ],
    ],
    [
      'add after update',
      [
        ['update', 'k', 1, 2],
        ['add', 'k', 3],
      ],
    ],
    [
      'remove twice',
      [
        ['remove', 'k', 1],
        ['remove', 'k', 1],
      ],
    ],
    [
      'update after remove',
      [
        ['remove', 'k', 1],
        ['update', 'k', 1, 2],
      ],
    ],
  ];
  for (const [name, ops] of contradictions) {
    it(`refuses ${name}`, () => {
      assert.throws(
        () => recordAll(ops),
        (e) => e instanceof EngineError && e.code === 'ENGINE_CHANGE_SEQUENCE',
      );
    });
  }

  it('record() maps absent values to add and remove, and applyTo() replays the net effect', () => {
    const changes = new KeyedChanges<string, number>();
    changes.record('a', undefined, 1);
    changes.record('b', 2, 3);
    changes.record('c', 4, undefined);
    changes.record('d', undefined, undefined);
    assert.equal(changes.size, 3);
    const target = new Map([
      ['b', 2],
      ['c', 4],
      ['z', 9],
    ]);
    changes.applyTo(target);
    assert.deepEqual(
      target,
      new Map([
        ['b', 3],
        ['z', 9],
        ['a', 1],
      ]),
    );
  });

  it('diffMaps records what turns one map into the other', () => {
    const before = new Map([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
    const after = new Map([
      ['b', 2],
      ['c', 30],
      ['d', 4],
    ]);
    const out = new KeyedChanges<string, number>();
    diffMaps(before, after, out);
    const replay = new Map(before);
    out.applyTo(replay);
    assert.deepEqual(replay, after);
    assert.deepEqual(new Set(out.keys()), new Set(['a', 'c', 'd']));
    const none = new KeyedChanges<string, number>();
    diffMaps(after, new Map(after), none);
    assert.ok(none.isEmpty());
  });
});

describe('keyedInput', () => {
  it('records what was written since the last take, coalesced', () => {
    const state = keyedInput<string, { v: number }>('t', { equals: (a, b) => a.v === b.v }).create(noGuard);
    state.writer.set('a', { v: 1 });
    state.writer.set('b', { v: 2 });
    assert.equal(state.pending(), true);
    assert.equal(state.take().size, 2);
    assert.equal(state.pending(), false);
    state.writer.set('a', { v: 1 }); // equal: not a change
    state.writer.set('c', { v: 3 });
    state.writer.delete('c'); // added and removed between runs: nothing
    assert.equal(state.writer.delete('nope'), false);
    assert.equal(state.pending(), false);
    state.writer.set('b', { v: 20 });
    assert.deepEqual([...state.take()], [{ kind: 'updated', key: 'b', old: { v: 2 }, value: { v: 20 } }]);
    assert.deepEqual(
      state.data,
      new Map([
        ['a', { v: 1 }],
        ['b', { v: 20 }],
      ]),
    );
  });

  it('replaceAll records only the differences', () => {
    const state = keyedInput<string, number>('t').create(noGuard);
    state.writer.replaceAll([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
    state.take();
    state.writer.replaceAll([
      ['b', 2],
      ['c', 4],
      ['d', 5],
    ]);
    const changes = [...state.take()];
    assert.deepEqual(changes, [
      { kind: 'removed', key: 'a', old: 1 },
      { kind: 'updated', key: 'c', old: 3, value: 4 },
      { kind: 'added', key: 'd', value: 5 },
    ]);
    assert.deepEqual(
      state.data,
      new Map([
        ['b', 2],
        ['c', 4],
        ['d', 5],
      ]),
    );
  });

  it('calls the guard before every write', () => {
    const state = keyedInput<string, number>('t').create(() => {
      throw new Error('closed');
    });
    assert.throws(() => state.writer.set('a', 1), /closed/);
    assert.throws(() => state.writer.delete('a'), /closed/);
    assert.throws(() => state.writer.replaceAll([]), /closed/);
    assert.equal(state.data.size, 0);
  });
});

describe('valueInput', () => {
  it('reports the previous value, and nothing when set back before a run', () => {
    const state = valueInput('mode', 'geneve').create(noGuard);
    state.writer.set('vxlan');
    state.writer.set('gre');
    const change = state.take();
    assert.equal(change.isEmpty(), false);
    assert.equal(change.previous, 'geneve');
    assert.equal(state.data, 'gre');
    state.writer.set('geneve');
    state.writer.set('gre');
    assert.equal(state.take().isEmpty(), true);
    state.writer.set('gre');
    assert.equal(state.pending(), false);
  });
});
