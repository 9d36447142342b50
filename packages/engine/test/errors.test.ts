// What happens when a node throws: the run fails loudly, the node's (possibly half-updated) data
// is hidden, everything downstream waits, the rest of the graph carries on, and the next run
// rebuilds the failed part from scratch so that nothing written in between is lost.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  ENGINE_ERROR_CODES,
  Engine,
  EngineError,
  EngineRunError,
  GraphBuilder,
  KeyedChanges,
  defineNode,
  type HandlerResult,
  type InputsData,
} from '../src/index.js';
import { mirrorNode, numbersInput, numbersSlot, type MirrorOptions, type Numbers } from './helpers.js';

/** in -> first -> second, and other -> side, which does not depend on first. */
function graph(first: MirrorOptions) {
  const g = new GraphBuilder();
  const input = g.input(numbersInput('in'));
  const other = g.input(numbersInput('other'));
  const a = g.node(mirrorNode('first', first));
  const b = g.node(mirrorNode('second'));
  const side = g.node(mirrorNode('side'));
  g.wire(a, { source: { from: input, why: 'test' } });
  g.wire(b, { source: { from: a, why: 'test' } });
  g.wire(side, { source: { from: other, why: 'test' } });
  const engine = new Engine(g.build());
  return { engine, input: engine.input(input), other: engine.input(other), a, b, side };
}

function runFails(engine: Engine): EngineRunError {
  try {
    engine.run();
  } catch (error) {
    assert.ok(error instanceof EngineRunError, `expected EngineRunError, got ${String(error)}`);
    assert.equal(error.code, 'ENGINE_RUN_FAILED');
    return error;
  }
  assert.fail('run() should have thrown');
}

const isStale = (e: unknown) => e instanceof EngineError && e.code === 'ENGINE_STALE';

describe('a node that throws', () => {
  it('in a handler: the run fails, its half-updated data is hidden, and the next run rebuilds it', () => {
    let broken = true;
    const bug = new Error('handler bug');
    const { engine, input, other, a, b, side } = graph({
      onChange: (key, data) => {
        if (key !== 'boom' || !broken) return;
        data.set('half', 1); // a partial update the engine must not let anyone see
        throw bug;
      },
    });
    input.set('x', 1);
    engine.run();

    input.set('boom', 1);
    other.set('o', 1);
    const error = runFails(engine);
    assert.deepEqual(error.failures, [{ node: 'first', phase: 'handler', slot: 'source', error: bug }]);
    assert.deepEqual(error.skipped, ['second']);
    assert.equal(error.cause, bug);
    assert.match(error.message, /first \(handler of source\): handler bug/);
    // The independent part of the graph was brought up to date anyway.
    assert.deepEqual(engine.data(side), new Map([['o', 1]]));
    assert.throws(() => engine.data(a), isStale);
    assert.throws(() => engine.outcome(a), isStale);
    assert.throws(() => engine.data(b), isStale);
    assert.equal(engine.needsRun(), true);
    const stats = engine.stats();
    assert.equal(stats.failedRuns, 1);
    assert.equal(stats.nodes.first?.failures, 1);
    assert.equal(stats.nodes.second?.failures, 0);

    broken = false;
    input.set('y', 2); // written after the failure: must not be lost either
    const report = engine.run();
    assert.deepEqual(report.recomputed, ['first', 'second']);
    assert.deepEqual(engine.outcome(b), { kind: 'recomputed' });
    const expected = new Map([
      ['x', 1],
      ['boom', 1],
      ['y', 2],
    ]);
    assert.deepEqual(engine.data(a), expected);
    assert.deepEqual(engine.data(b), expected);
    assert.equal(engine.stats().nodes.second?.recomputeReasons.failed, 1);
    // And incremental again afterwards.
    input.set('z', 3);
    assert.deepEqual(engine.run().recomputed, []);
  });

  it('in recompute: it keeps failing each run while the bug is there, the rest keeps working', () => {
    let broken = true;
    const { engine, input, other, b, side } = graph({
      onRecompute: () => {
        if (broken) throw new Error('recompute bug');
      },
    });
    input.set('x', 1);
    for (let round = 1; round <= 2; round += 1) {
      other.set('o', round);
      const error = runFails(engine);
      assert.deepEqual(
        error.failures.map((f) => [f.node, f.phase]),
        [['first', 'recompute']],
      );
      assert.deepEqual(engine.data(side), new Map([['o', round]]));
      assert.throws(() => engine.data(b), isStale);
    }
    broken = false;
    engine.run();
    assert.deepEqual(engine.data(b), new Map([['x', 1]]));
    assert.equal(engine.stats().failedRuns, 2);
  });

  it('in diff: the recomputed data is sound but its changes are not, so dependents are rebuilt', () => {
    let broken = false;
    const { engine, input, a, b } = graph({
      handler: 'declines',
      diff: true,
      onDiff: () => {
        if (broken) throw new Error('diff bug');
      },
    });
    input.set('x', 1);
    engine.run();
    broken = true;
    input.set('y', 2);
    const error = runFails(engine);
    assert.equal(error.failures[0]?.phase, 'diff');
    assert.throws(() => engine.data(a), isStale);
    broken = false;
    assert.deepEqual(engine.run().recomputed, ['first', 'second']);
    assert.deepEqual(
      engine.data(b),
      new Map([
        ['x', 1],
        ['y', 2],
      ]),
    );
  });

  it('every failing node is reported, and a node reading a failed one is skipped', () => {
    const g = new GraphBuilder();
    const input = g.input(numbersInput('in'));
    const one = g.node(mirrorNode('one', { handler: 'none', onRecompute: () => assert.fail('one') }));
    const two = g.node(mirrorNode('two', { handler: 'none', onRecompute: () => assert.fail('two') }));
    const both = defineNode({
      name: 'both',
      inputs: { l: numbersSlot(), r: numbersSlot() },
      changes: () => new KeyedChanges<string, number>(),
      recompute: (
        inputs: InputsData<{ l: ReturnType<typeof numbersSlot>; r: ReturnType<typeof numbersSlot> }>,
      ) => new Map([...inputs.l, ...inputs.r]) satisfies Numbers,
    });
    const join = g.node(both);
    g.wire(one, { source: { from: input, why: 'test' } });
    g.wire(two, { source: { from: input, why: 'test' } });
    g.wire(join, { l: { from: one, why: 'test' }, r: { from: two, why: 'test' } });
    const engine = new Engine(g.build());
    const error = runFails(engine);
    assert.deepEqual(
      error.failures.map((f) => f.node),
      ['one', 'two'],
    );
    assert.deepEqual(error.skipped, ['both']);
    assert.throws(() => engine.data(join), isStale);
  });

  it('a handler returning something else than handled/unhandled fails the run', () => {
    const g = new GraphBuilder();
    const input = g.input(numbersInput('in'));
    const slots = { source: numbersSlot() };
    const node = g.node(
      defineNode({
        name: 'sloppy',
        inputs: slots,
        changes: () => new KeyedChanges<string, number>(),
        recompute: (inputs: InputsData<typeof slots>): Numbers => new Map(inputs.source),
        handlers: { source: () => true as unknown as HandlerResult },
      }),
    );
    g.wire(node, { source: { from: input, why: 'test' } });
    const engine = new Engine(g.build());
    engine.run();
    engine.input(input).set('x', 1);
    const error = runFails(engine);
    assert.ok(error.cause instanceof EngineError);
    assert.equal(error.cause.code, 'ENGINE_BAD_RESULT');
  });
});

describe('error catalogue', () => {
  it('README.md lists exactly the codes the library throws, with the same meanings', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const rows = [...readme.matchAll(/^\| `(ENGINE_[A-Z_]+)` \| (.+) \|$/gm)].map((m) => [m[1], m[2]]);
    assert.deepEqual(Object.fromEntries(rows), ENGINE_ERROR_CODES);
  });
});
