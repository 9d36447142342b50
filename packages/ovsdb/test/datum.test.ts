import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decodeDatum, encodeDatum, defaultValue } from '../src/data/datum.js';
import { NamedUuid } from '../src/data/named-uuid.js';
import { parseColumnType } from '../src/data/schema-parser.js';
import type { Atom, BaseType, ColumnType, OvsdbValue } from '../src/data/schema.js';
import { valueEquals } from '../src/data/values.js';
import { OvsdbError } from '../src/errors.js';

const atomOf: Record<BaseType['type'], fc.Arbitrary<Atom>> = {
  integer: fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
  real: fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : x)),
  boolean: fc.boolean(),
  string: fc.string({ unit: 'binary' }),
  uuid: fc.uuid(),
};
const baseType = fc.constantFrom<BaseType['type']>('integer', 'real', 'boolean', 'string', 'uuid');

interface TypedValue {
  readonly type: ColumnType;
  readonly value: OvsdbValue;
}

/** A column type together with a value that fits it. */
const typedValue: fc.Arbitrary<TypedValue> = fc
  .record({
    key: baseType,
    value: baseType,
    kind: fc.constantFrom('scalar', 'optional', 'set', 'map'),
    max: fc.oneof(fc.constant<'unlimited'>('unlimited'), fc.integer({ min: 2, max: 6 })),
  })
  .chain(({ key, value, kind, max }): fc.Arbitrary<TypedValue> => {
    const keyType: BaseType = { type: key };
    const limit = max === 'unlimited' ? 8 : max;
    switch (kind) {
      case 'scalar':
        return atomOf[key].map((v) => ({
          type: { key: keyType, min: 1, max: 1 },
          value: v,
        }));
      case 'optional':
        return fc
          .option(atomOf[key], { nil: undefined })
          .map((v) => ({ type: { key: keyType, min: 0, max: 1 }, value: v }));
      case 'set':
        return fc.uniqueArray(atomOf[key], { maxLength: limit }).map((v) => ({
          type: { key: keyType, min: 0, max },
          value: new Set(v),
        }));
      default:
        return fc
          .uniqueArray(fc.tuple(atomOf[key], atomOf[value]), { maxLength: limit, selector: ([k]) => k })
          .map((pairs) => ({
            type: { key: keyType, value: { type: value }, min: 0, max },
            value: new Map(pairs),
          }));
    }
  });

describe('datum conversion', () => {
  it('round-trips TypeScript values through the wire form (property)', () => {
    fc.assert(
      fc.property(typedValue, ({ type, value }) => {
        const wire = JSON.parse(JSON.stringify(encodeDatum(type, value, 't'))) as unknown;
        const back = decodeDatum(type, wire, 't');
        assert.ok(valueEquals(back, value), `${JSON.stringify(wire)}`);
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips the wire form through TypeScript values (property)', () => {
    fc.assert(
      fc.property(typedValue, ({ type, value }) => {
        const wire = encodeDatum(type, value, 't');
        assert.deepEqual(encodeDatum(type, decodeDatum(type, wire, 't'), 't'), wire);
      }),
      { numRuns: 300 },
    );
  });

  it('reads a set of max 1 as an optional scalar and a one-element set sent as a bare atom', () => {
    const optional = parseColumnType({ key: 'string', min: 0, max: 1 }, 't');
    assert.equal(decodeDatum(optional, ['set', []], 't'), undefined);
    assert.equal(decodeDatum(optional, 'secure', 't'), 'secure');
    assert.equal(decodeDatum(optional, ['set', ['secure']], 't'), 'secure');
    const uuids = parseColumnType({ key: { type: 'uuid', refTable: 'Port' }, min: 0, max: 'unlimited' }, 't');
    const u = '8d7e8e0e-7d9c-4f4c-9a4e-1f8d2f4b7a11';
    assert.deepEqual(decodeDatum(uuids, ['uuid', u], 't'), new Set([u]));
    assert.deepEqual(encodeDatum(optional, undefined, 't'), ['set', []]);
    assert.deepEqual(encodeDatum(optional, 'x', 't'), 'x');
  });

  it('encodes maps given as Map or plain object, with typed keys', () => {
    const strings = parseColumnType({ key: 'string', value: 'string', min: 0, max: 'unlimited' }, 't');
    assert.deepEqual(encodeDatum(strings, { 'iface-id': 'p1' }, 't'), ['map', [['iface-id', 'p1']]]);
    assert.deepEqual(encodeDatum(strings, new Map([['a', 'b']]), 't'), ['map', [['a', 'b']]]);
    const byInt = parseColumnType(
      { key: 'integer', value: { type: 'uuid', refTable: 'Queue' }, min: 0, max: 'unlimited' },
      't',
    );
    const u = '8d7e8e0e-7d9c-4f4c-9a4e-1f8d2f4b7a11';
    assert.deepEqual(encodeDatum(byInt, { 7: u }, 't'), ['map', [[7, ['uuid', u]]]]);
  });

  it('encodes named-uuid references only where a uuid is expected', () => {
    const refs = parseColumnType({ key: { type: 'uuid', refTable: 'Port' }, min: 0, max: 'unlimited' }, 't');
    assert.deepEqual(encodeDatum(refs, [new NamedUuid('p')], 't'), ['set', [['named-uuid', 'p']]]);
    const strings = parseColumnType('string', 't');
    assert.throws(() => encodeDatum(strings, new NamedUuid('p'), 't'), isCode('OVSDB_INVALID_ARGUMENT'));
    assert.throws(() => new NamedUuid('1bad'), isCode('OVSDB_INVALID_ARGUMENT'));
  });

  it('rejects caller values that do not fit the column', () => {
    const int = parseColumnType('integer', 'c');
    const set2 = parseColumnType({ key: 'string', min: 0, max: 2 }, 'c');
    const uuid = parseColumnType('uuid', 'c');
    assert.throws(() => encodeDatum(int, 1.5, 'c'), isCode('OVSDB_INVALID_ARGUMENT'));
    assert.throws(() => encodeDatum(int, '1', 'c'), isCode('OVSDB_INVALID_ARGUMENT'));
    assert.throws(() => encodeDatum(int, undefined, 'c'), isCode('OVSDB_INVALID_ARGUMENT'));
    assert.throws(() => encodeDatum(set2, ['a', 'b', 'c'], 'c'), isCode('OVSDB_INVALID_ARGUMENT'));
    assert.throws(() => encodeDatum(set2, { a: 'b' }, 'c'), isCode('OVSDB_INVALID_ARGUMENT'));
    assert.throws(() => encodeDatum(uuid, 'not-a-uuid', 'c'), isCode('OVSDB_INVALID_ARGUMENT'));
  });

  it('rejects server data of the wrong shape with OVSDB_PROTOCOL', () => {
    const int = parseColumnType('integer', 'c');
    const map = parseColumnType({ key: 'string', value: 'string', min: 0, max: 'unlimited' }, 'c');
    const optional = parseColumnType({ key: 'string', min: 0, max: 1 }, 'c');
    const uuid = parseColumnType('uuid', 'c');
    for (const [type, wire] of [
      [int, 'x'],
      [int, 1.5],
      [map, ['set', []]],
      [map, ['map', [['a']]]],
      [map, ['map', [['a', 1]]]],
      [optional, ['set', ['a', 'b']]],
      [optional, ['set', 'a']],
      [uuid, ['uuid', 'nope']],
      [uuid, ['named-uuid', 'x']],
      [int, null],
      [int, { x: 1 }],
    ] as const) {
      assert.throws(() => decodeDatum(type, wire, 'c'), isCode('OVSDB_PROTOCOL'), JSON.stringify(wire));
    }
  });

  it('gives every column kind its default value', () => {
    assert.equal(defaultValue(parseColumnType('integer', 't')), 0);
    assert.equal(defaultValue(parseColumnType('string', 't')), '');
    assert.equal(defaultValue(parseColumnType('boolean', 't')), false);
    assert.equal(defaultValue(parseColumnType({ key: 'integer', min: 0, max: 1 }, 't')), undefined);
    assert.deepEqual(
      defaultValue(parseColumnType({ key: 'integer', min: 0, max: 'unlimited' }, 't')),
      new Set(),
    );
    assert.deepEqual(
      defaultValue(parseColumnType({ key: 'string', value: 'string', min: 0, max: 'unlimited' }, 't')),
      new Map(),
    );
  });
});

function isCode(code: string): (e: unknown) => boolean {
  return (e) => e instanceof OvsdbError && e.code === code;
}
