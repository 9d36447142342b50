// What run() does: untouched nodes stay untouched, handled changes cost no recompute, unhandled
// ones recompute that node only, recomputes propagate as diffs or as recomputes, stats count it
// all, forced recomputes, and engines that share nothing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Engine,
  EngineError,
  EngineRunError,
  GraphBuilder,
  Touched,
  defineNode,
  ignoreChanges,
  slot,
  type InputsData,
  type NodeOutcome,
} from '../src/index.js';
import {
  mirrorNode,
  numbersInput,
  numbersSlot,
  steppingClock,
  type MirrorOptions,
  type Numbers,
} from './helpers.js';
import type { KeyedChanges } from '../src/index.js';

/** in -> first -> second, and an independent other -> side. */
function chain(first: MirrorOptions, second: MirrorOptions = {}, clock?: () => number) {
  const g = new GraphBuilder();
  const input = g.input(numbersInput('in'));
  const other = g.input(numbersInput('other'));
  const a = g.node(mirrorNode('first', first));
  const b = g.node(mirrorNode('second', second));
  const side = g.node(mirrorNode('side', first.log === undefined ? {} : { log: first.log }));
  g.wire(a, { source: { from: input, why: 'test' } });
  g.wire(b, { source: { from: a, why: 'test' } });
  g.wire(side, { source: { from: other, why: 'test' } });
  const engine = new Engine(g.build(), clock === undefined ? {} : { clock });
  return { engine, input: engine.input(input), other: engine.input(other), a, b, side };
}

function changedKeys(outcome: NodeOutcome<KeyedChanges<string, number>>): string[] {
  assert.equal(outcome.kind, 'changed');
  return outcome.kind === 'changed' ? [...outcome.changes.keys()] : [];
}

describe('a run', () => {
  it('recomputes everything the first time; before that no node has data', () => {
    const log: string[] = [];
    const { engine, input, a, b } = chain({ log }, { log });
    input.set('x', 1);
    assert.throws(
      () => engine.data(a),
      (e) => e instanceof EngineError && e.code === 'ENGINE_STALE',
    );
    assert.equal(engine.needsRun(), true);
    const report = engine.run();
    assert.deepEqual(report, {
      run: 1,
      recomputed: ['first', 'second', 'side'],
      changed: ['in', 'other', 'first', 'second', 'side'],
    });
    assert.deepEqual(engine.data(b), new Map([['x', 1]]));
    assert.equal(engine.stats().nodes.first?.recomputeReasons.initial, 1);
    assert.equal(engine.needsRun(), false);
  });

  it('does not touch nodes whose inputs did not change', () => {
    const log: string[] = [];
    const { engine, input, side } = chain({ log }, { log });
    engine.run();
    log.length = 0;
    input.set('x', 1);
    const report = engine.run();
    assert.deepEqual(log, ['handle:first', 'handle:second']);
    assert.deepEqual(report.changed, ['in', 'first', 'second']);
    assert.deepEqual(engine.outcome(side), { kind: 'unchanged' });
    log.length = 0;
    assert.deepEqual(engine.run().changed, []);
    assert.deepEqual(log, []);
  });

  it('handles a change without any recompute, and passes the tracked changes on', () => {
    const { engine, input, a, b } = chain({ map: (v) => v * 10 });
    input.set('x', 1);
    input.set('y', 2);
    engine.run();
    input.set('x', 3);
    input.delete('y');
    const report = engine.run();
    assert.deepEqual(report.recomputed, []);
    assert.deepEqual(engine.data(b), new Map([['x', 30]]));
    assert.deepEqual(changedKeys(engine.outcome(a)), ['x', 'y']);
    const stats = engine.stats().nodes;
    assert.equal(stats.first?.recomputes, 1);
    assert.equal(stats.first?.handled, 1);
    assert.equal(stats.second?.handled, 1);
  });

  it('stops at a node whose handler records no change', () => {
    const log: string[] = [];
    // first maps everything to 0: changing a value changes nothing downstream.
    const { engine, input, a } = chain({ map: () => 0, log }, { log });
    input.set('x', 1);
    engine.run();
    log.length = 0;
    input.set('x', 2);
    engine.run();
    assert.deepEqual(log, ['handle:first']);
    assert.deepEqual(engine.outcome(a), { kind: 'unchanged' });
  });

  it('recomputes only the node that returned unhandled; with a diff its dependents stay incremental', () => {
    const log: string[] = [];
    const { engine, input, a, b } = chain({ handler: 'declines', diff: true, log }, { log });
    input.set('x', 1);
    engine.run();
    log.length = 0;
    input.set('y', 2);
    const report = engine.run();
    assert.deepEqual(log, ['handle:first', 'recompute:first', 'handle:second']);
    assert.deepEqual(report.recomputed, ['first']);
    assert.deepEqual(changedKeys(engine.outcome(a)), ['y']);
    assert.deepEqual(
      engine.data(b),
      new Map([
        ['x', 1],
        ['y', 2],
      ]),
    );
    const stats = engine.stats().nodes;
    assert.equal(stats.first?.unhandled, 1);
    assert.equal(stats.first?.recomputeReasons.unhandled, 1);
    assert.equal(stats.second?.recomputes, 1);
    assert.equal(stats.second?.handled, 1);
  });

  it('without a diff, a recompute makes the dependents recompute too', () => {
    const { engine, input, a, b } = chain({ handler: 'declines' });
    engine.run();
    input.set('y', 2);
    assert.deepEqual(engine.run().recomputed, ['first', 'second']);
    assert.deepEqual(engine.outcome(a), { kind: 'recomputed' });
    assert.deepEqual(engine.data(b), new Map([['y', 2]]));
    assert.equal(engine.stats().nodes.second?.recomputeReasons.inputRecomputed, 1);
  });

  it('a diff that finds nothing changed leaves the dependents untouched', () => {
    const log: string[] = [];
    const { engine, input, a } = chain({ handler: 'none', diff: true, map: () => 7, log }, { log });
    input.set('x', 1);
    engine.run();
    log.length = 0;
    input.set('x', 2);
    engine.run();
    assert.deepEqual(log, ['recompute:first']);
    assert.deepEqual(engine.outcome(a), { kind: 'unchanged' });
    assert.equal(engine.stats().nodes.first?.recomputeReasons.noHandler, 1);
  });

  it('a changed input without a handler recomputes the node without calling other handlers', () => {
    const log: string[] = [];
    const { engine, input } = chain({ handler: 'none', log }, { log });
    engine.run();
    log.length = 0;
    input.set('x', 1);
    engine.run();
    assert.deepEqual(log, ['recompute:first', 'recompute:second']);
  });

  it('forceRecompute() recomputes everything once, then runs are incremental again', () => {
    const { engine, input, a } = chain({});
    input.set('x', 1);
    engine.run();
    engine.forceRecompute();
    assert.equal(engine.needsRun(), true);
    // The data stays readable until the forced run.
    assert.deepEqual(engine.data(a), new Map([['x', 1]]));
    const forced = engine.run();
    assert.deepEqual(forced.recomputed, ['first', 'second', 'side']);
    assert.deepEqual(engine.outcome(a), { kind: 'recomputed' });
    assert.equal(engine.stats().nodes.second?.recomputeReasons.forced, 1);
    input.set('x', 2);
    assert.deepEqual(engine.run().recomputed, []);
    assert.deepEqual(engine.data(a), new Map([['x', 2]]));
  });

  it('writes that cancel out before a run touch nothing', () => {
    const log: string[] = [];
    const { engine, input } = chain({ log });
    engine.run();
    log.length = 0;
    input.set('x', 1);
    input.delete('x');
    assert.equal(engine.needsRun(), false);
    assert.deepEqual(engine.run().changed, []);
    assert.deepEqual(log, []);
  });

  it('refuses input writes and nested runs from inside a node', () => {
    const g = new GraphBuilder();
    const input = g.input(numbersInput('in'));
    // The nodes below break the rules on purpose: they reach the engine from inside a run.
    const outside: { engine?: Engine } = {};
    const writer = g.node(
      mirrorNode('writer', {
        handler: 'none',
        onRecompute: () => outside.engine?.input(input).set('sneaky', 1),
      }),
    );
    const runner = g.node(
      mirrorNode('runner', { handler: 'none', onRecompute: () => outside.engine?.run() }),
    );
    g.wire(writer, { source: { from: input, why: 'test' } });
    g.wire(runner, { source: { from: input, why: 'test' } });
    const engine = new Engine(g.build());
    outside.engine = engine;
    assert.throws(
      () => engine.run(),
      (e) => {
        assert.ok(e instanceof EngineRunError);
        assert.deepEqual(
          e.failures.map((f) => [f.node, f.error instanceof EngineError ? f.error.code : f.error]),
          [
            ['writer', 'ENGINE_REENTRANT'],
            ['runner', 'ENGINE_REENTRANT'],
          ],
        );
        return true;
      },
    );
    assert.equal(engine.data(input).has('sneaky'), false);
    assert.equal(engine.stats().runs, 1);
  });

  it('counts time only for the nodes it touched, with an injectable clock', () => {
    const { engine, input } = chain({}, {}, steppingClock(5));
    engine.run();
    input.set('x', 1);
    engine.run();
    const stats = engine.stats();
    // Each timed visit reads the clock twice, 5 ms apart: first and second twice, side once.
    assert.equal(stats.nodes.first?.seconds, 0.01);
    assert.equal(stats.nodes.second?.seconds, 0.01);
    assert.equal(stats.nodes.side?.seconds, 0.005);
    assert.equal(stats.runs, 2);
  });

  it('exposes stats as a plain copy', () => {
    const { engine, input } = chain({});
    engine.run();
    input.set('x', 1);
    engine.run();
    const stats = engine.stats();
    assert.deepEqual(JSON.parse(JSON.stringify(stats)), stats);
    assert.deepEqual(stats.nodes.in, {
      kind: 'input',
      recomputes: 0,
      recomputeReasons: { initial: 0, forced: 0, failed: 0, unhandled: 0, noHandler: 0, inputRecomputed: 0 },
      handled: 0,
      unhandled: 0,
      changed: 2,
      failures: 0,
      seconds: 0,
    });
    const first = stats.nodes.first;
    assert.ok(first);
    first.handled = 99;
    first.recomputeReasons.initial = 99;
    assert.equal(engine.stats().nodes.first?.handled, 1);
    assert.equal(engine.stats().nodes.first?.recomputeReasons.initial, 1);
  });
});

describe('helpers for nodes', () => {
  it('ignoreChanges handles an input whose changes cannot affect the node; Touched only flags a change', () => {
    const log: string[] = [];
    const slots = { source: numbersSlot(), notes: numbersSlot() };
    // keys: the key set of `source`. It reads `notes` nowhere in its data, so it ignores them.
    const keysNode = defineNode({
      name: 'keys',
      inputs: slots,
      changes: () => new Touched(),
      recompute: (inputs: InputsData<typeof slots>): Set<string> => {
        log.push('recompute:keys');
        return new Set(inputs.source.keys());
      },
      handlers: {
        source: ({ changes, data, out }) => {
          for (const change of changes) {
            if (change.kind === 'added') data.add(change.key);
            if (change.kind === 'removed') data.delete(change.key);
            if (change.kind !== 'updated') out.mark();
          }
          return 'handled';
        },
        notes: ignoreChanges,
      },
    });
    const countSlots = { keys: slot<ReadonlySet<string>, Touched>() };
    const countNode = defineNode({
      name: 'count',
      inputs: countSlots,
      changes: () => new Touched(),
      recompute: (inputs: InputsData<typeof countSlots>): { n: number } => {
        log.push('recompute:count');
        return { n: inputs.keys.size };
      },
    });
    const g = new GraphBuilder();
    const source = g.input(numbersInput('source'));
    const notes = g.input(numbersInput('notes'));
    const keys = g.node(keysNode);
    const count = g.node(countNode);
    g.wire(keys, { source: { from: source, why: 'test' }, notes: { from: notes, why: 'test' } });
    g.wire(count, { keys: { from: keys, why: 'test' } });
    const engine = new Engine(g.build());
    engine.run();
    log.length = 0;
    engine.input(notes).set('n', 1);
    engine.input(source).set('a', 1);
    engine.run();
    assert.deepEqual(log, ['recompute:count']);
    assert.deepEqual(engine.data(count), { n: 1 });
    log.length = 0;
    engine.input(notes).set('n', 2);
    engine.input(source).set('a', 2); // an update does not change the key set
    engine.run();
    assert.deepEqual(log, []);
    assert.deepEqual(engine.outcome(keys), { kind: 'unchanged' });
    assert.equal(engine.stats().nodes.keys?.handled, 4);
  });
});

describe('engines', () => {
  it('share nothing, even when built from one graph and one set of definitions', () => {
    const g = new GraphBuilder();
    const input = g.input(numbersInput('in'));
    const a = g.node(mirrorNode('a'));
    g.wire(a, { source: { from: input, why: 'test' } });
    const graph = g.build();
    const one = new Engine(graph);
    const two = new Engine(graph);
    one.input(input).set('x', 1);
    two.input(input).set('y', 2);
    one.run();
    two.run();
    one.input(input).set('z', 3);
    one.run();
    assert.deepEqual(
      one.data(a),
      new Map([
        ['x', 1],
        ['z', 3],
      ]) satisfies Numbers,
    );
    assert.deepEqual(two.data(a), new Map([['y', 2]]));
    assert.equal(one.stats().runs, 2);
    assert.equal(two.stats().runs, 1);
  });
});
