// State-sequence tests (after Calico's calc_graph_fv_test.go): for every sequence of model states,
// expanded into reversed, split, squashed and empty-interleaved variants, the changes are fed in
// one step at a time and after each step the incremental result must equal a from-scratch
// recompute of the same state — and, apart from the encap (which has no handler by design), no
// step may cause a recompute at all. Random walks add sequences nobody thought of; their seed is
// printed, and WEIR_ENGINE_SEED=<seed> replays them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Driver, EMPTY, scratch, type State } from './example/harness.js';
import {
  BASE_STATES,
  EXPANDERS,
  encapChanged,
  isSingleChange,
  randomSource,
  randomWalk,
  type Random,
} from './example/states.js';
import { buildExampleGraph } from './example/wiring.js';

// One graph for every engine below: definitions and graphs hold no state.
const example = buildExampleGraph();

function feed(label: string, states: readonly State[], shuffle?: Random['shuffle']): void {
  const driver = new Driver(example);
  let previous = EMPTY;
  states.forEach((state, i) => {
    const before = driver.engine.stats().nodes;
    driver.step(state, shuffle);
    const after = driver.engine.stats().nodes;
    const recomputes = (node: string) => (after[node]?.recomputes ?? 0) - (before[node]?.recomputes ?? 0);
    within(`${label}, step ${i + 1} of ${states.length}, state ${JSON.stringify(state)}`, () => {
      const expected = scratch(example, state);
      assert.deepStrictEqual(driver.output(), expected, 'incremental result differs from a recompute');
      assert.deepStrictEqual(driver.mirror, expected.flows, "the consumer's copy of the flows differs");
      assert.equal(recomputes('localPortsByNetwork'), 0, 'localPortsByNetwork recomputed');
      // The encap has no handler in flows: exactly one recompute of flows then, never otherwise.
      assert.equal(recomputes('flows'), encapChanged(previous, state) ? 1 : 0, 'flows recomputes');
    });
    previous = state;
  });
}

function within(context: string, check: () => void): void {
  try {
    check();
  } catch (error) {
    // Both: the message for whoever catches it, the stack for the test reporter, which prints it.
    if (error instanceof Error) {
      error.message = `${context}\n${error.message}`;
      error.stack = `${context}\n${error.stack ?? ''}`;
    }
    throw error;
  }
}

describe('state sequences', () => {
  const states = BASE_STATES.map(([, s]) => s);
  const orders: Record<string, (keys: string[]) => string[]> = {
    'keys in order': (keys) => keys,
    'keys reversed': (keys) => [...keys].reverse(),
  };
  for (const [name, expand] of Object.entries(EXPANDERS)) {
    for (const [orderName, order] of Object.entries(orders)) {
      it(`${name} (${orderName})`, () => feed(`${name} (${orderName})`, expand(states, order)));
    }
  }

  it('split sequences really are single changes, so the no-recompute check covers them', () => {
    const split = EXPANDERS['split into single changes'];
    assert.ok(split);
    const steps = split(states, (k) => k);
    let previous = EMPTY;
    let singles = 0;
    for (const state of steps) {
      if (isSingleChange(previous, state)) singles += 1;
      else assert.ok(encapChanged(previous, state), 'a split step changed more than one key');
      previous = state;
    }
    assert.ok(singles >= 15, `only ${singles} single-change steps`);
  });
});

const fromEnv = process.env.WEIR_ENGINE_SEED;
const seed = fromEnv === undefined || fromEnv === '' ? Math.floor(Math.random() * 2 ** 31) : Number(fromEnv);
if (!Number.isSafeInteger(seed)) throw new Error(`WEIR_ENGINE_SEED must be an integer, got "${fromEnv}"`);
const WALKS = 20;

describe(`random walks (WEIR_ENGINE_SEED=${seed})`, () => {
  for (let walk = 0; walk < WALKS; walk += 1) {
    it(`walk ${walk}`, () => {
      const random = randomSource(seed + walk);
      const states = randomWalk(random, 10);
      for (const [name, expand] of Object.entries(EXPANDERS)) {
        // Writes within a step, and single-change steps, in random order too.
        feed(
          `WEIR_ENGINE_SEED=${seed} walk ${walk}, ${name}`,
          expand(states, random.shuffle),
          random.shuffle,
        );
      }
    });
  }
});
