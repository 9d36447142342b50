// The wiring manifest: refused cycles, refused incomplete or inconsistent wiring (at compile time
// where types allow, at build time always), run order from the edges, and a printable manifest.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Engine, EngineError, GraphBuilder, valueInput } from '../src/index.js';
import { mirrorNode, numbersInput, sumNode } from './helpers.js';

function code(expected: string, message?: RegExp) {
  return (e: unknown) => {
    assert.ok(e instanceof EngineError, `expected an EngineError, got ${String(e)}`);
    assert.equal(e.code, expected);
    if (message !== undefined) assert.match(e.message, message);
    return true;
  };
}

describe('cycles', () => {
  it('refuses a two-node cycle and names it', () => {
    const g = new GraphBuilder();
    const a = g.node(mirrorNode('a'));
    const b = g.node(mirrorNode('b'));
    g.wire(a, { source: { from: b, why: 'test' } });
    g.wire(b, { source: { from: a, why: 'test' } });
    assert.throws(() => g.build(), code('ENGINE_CYCLE', /cycle: (a -> b -> a|b -> a -> b)$/));
  });

  it('refuses a node that reads itself', () => {
    const g = new GraphBuilder();
    const a = g.node(mirrorNode('a'));
    g.wire(a, { source: { from: a, why: 'test' } });
    assert.throws(() => g.build(), code('ENGINE_CYCLE', /cycle: a -> a$/));
  });

  it('names only the nodes on the cycle, in data-flow order, not the ones leading to it', () => {
    const g = new GraphBuilder();
    const input = g.input(numbersInput('in'));
    const feed = g.node(mirrorNode('feed'));
    const x = g.node(sumNode('x'));
    const y = g.node(mirrorNode('y'));
    const z = g.node(mirrorNode('z'));
    const after = g.node(mirrorNode('after'));
    g.wire(feed, { source: { from: input, why: 'test' } });
    g.wire(x, { left: { from: feed, why: 'test' }, right: { from: z, why: 'test' } });
    g.wire(y, { source: { from: x, why: 'test' } });
    g.wire(z, { source: { from: y, why: 'test' } });
    g.wire(after, { source: { from: z, why: 'test' } });
    assert.throws(
      () => g.build(),
      code('ENGINE_CYCLE', /cycle: (x -> y -> z -> x|y -> z -> x -> y|z -> x -> y -> z)$/),
    );
  });
});

describe('wiring checks', () => {
  it('refuses two nodes with one name', () => {
    const g = new GraphBuilder();
    g.input(numbersInput('a'));
    assert.throws(() => g.node(mirrorNode('a')), code('ENGINE_WIRING', /two nodes are named "a"/));
  });

  it('refuses a node left unwired, a slot left out, an unknown slot, and wiring twice', () => {
    const g = new GraphBuilder();
    const input = g.input(numbersInput('in'));
    const sum = g.node(sumNode('sum'));
    const missing = () =>
      // @ts-expect-error -- a slot is missing
      g.wire(sum, { left: { from: input, why: 'test' } });
    assert.throws(missing, code('ENGINE_WIRING', /sum.right" is not connected/));
    const extra = {
      left: { from: input, why: 't' },
      right: { from: input, why: 't' },
      middle: { from: input, why: 't' },
    };
    assert.throws(() => g.wire(sum, extra), code('ENGINE_WIRING', /no slot "middle"/));
    assert.throws(() => g.build(), code('ENGINE_WIRING', /"sum" is not wired/));
    g.wire(sum, { left: { from: input, why: 'test' }, right: { from: input, why: 'test' } });
    assert.throws(
      () => g.wire(sum, { left: { from: input, why: 'test' }, right: { from: input, why: 'test' } }),
      code('ENGINE_WIRING', /wired twice/),
    );
    g.build();
  });

  it('refuses an edge without a reason', () => {
    const g = new GraphBuilder();
    const input = g.input(numbersInput('in'));
    const a = g.node(mirrorNode('a'));
    assert.throws(
      () => g.wire(a, { source: { from: input, why: '  ' } }),
      code('ENGINE_WIRING', /needs a reason/),
    );
  });

  it('refuses handles of another builder, and changes after build', () => {
    const other = new GraphBuilder();
    const foreign = other.input(numbersInput('in'));
    const g = new GraphBuilder();
    const a = g.node(mirrorNode('a'));
    assert.throws(
      () => g.wire(a, { source: { from: foreign, why: 'test' } }),
      code('ENGINE_WIRING', /not added to this builder/),
    );
    const input = g.input(numbersInput('in'));
    g.wire(a, { source: { from: input, why: 'test' } });
    const graph = g.build();
    assert.throws(() => g.input(numbersInput('late')), code('ENGINE_WIRING', /already built/));
    const engine = new Engine(graph);
    assert.throws(() => engine.input(foreign), code('ENGINE_UNKNOWN_NODE'));
  });

  it('checks edge types at compile time', () => {
    const g = new GraphBuilder();
    const mode = g.input(valueInput('mode', 'geneve'));
    const a = g.node(mirrorNode('a'));
    // @ts-expect-error -- a value input does not provide what a numbers slot reads
    g.wire(a, { source: { from: mode, why: 'test' } });
  });
});

describe('run order', () => {
  it('follows the edges whatever order nodes were added in, ties in insertion order', () => {
    const log: string[] = [];
    const g = new GraphBuilder();
    // Added downstream-first on purpose.
    const d = g.node(sumNode('d', log));
    const c = g.node(mirrorNode('c', { log }));
    const b = g.node(mirrorNode('b', { log }));
    const input = g.input(numbersInput('in'));
    g.wire(d, { left: { from: b, why: 'test' }, right: { from: c, why: 'test' } });
    g.wire(c, { source: { from: input, why: 'test' } });
    g.wire(b, { source: { from: input, why: 'test' } });
    const graph = g.build();
    assert.deepEqual(
      graph.nodes.map((n) => n.name),
      ['in', 'c', 'b', 'd'],
    );
    const engine = new Engine(graph);
    engine.run();
    assert.deepEqual(log, ['recompute:c', 'recompute:b', 'recompute:d']);
    log.length = 0;
    engine.input(input).set('k', 1);
    engine.run();
    // d has two changed inputs: one handler call for each.
    assert.deepEqual(log, ['handle:c', 'handle:b', 'handle:d', 'handle:d']);
  });

  it('prints the manifest with the reason of every edge', () => {
    const g = new GraphBuilder();
    const input = g.input(numbersInput('ports'));
    const a = g.node(mirrorNode('local'));
    g.wire(a, { source: { from: input, why: 'only bound ports are local' } });
    assert.equal(g.build().describe(), 'ports (input)\nlocal.source <- ports: only bound ports are local');
  });
});
