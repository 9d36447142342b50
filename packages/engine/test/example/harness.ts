// Drives the example graph as the controller would: writes a model state into the inputs as the
// individual changes a watch would deliver, runs, and keeps a consumer's copy of the desired flows
// from the outcomes (as the installer will). `scratch` computes the same state from nothing.
import { Engine, type KeyedInputWriter } from '../../src/index.js';
import type { Flows } from './flows.js';
import type { LocalPorts } from './local-ports.js';
import type { Encap, Network, Port } from './model.js';
import type { ExampleGraph } from './wiring.js';

export interface State {
  readonly networks: Readonly<Record<string, Network>>;
  readonly ports: Readonly<Record<string, Port>>;
  /** Port id -> ofport of the local interface bound to it. */
  readonly bindings: Readonly<Record<string, number>>;
  readonly encap: Encap;
}

export const EMPTY: State = { networks: {}, ports: {}, bindings: {}, encap: 'geneve' };

export interface Output {
  readonly localPorts: LocalPorts;
  readonly flows: Flows;
}

/** An engine on the example graph, fed state after state. */
export class Driver {
  readonly engine: Engine;
  /** What a consumer of the flows' outcomes holds (the installer's desired table). */
  readonly mirror: Flows = new Map();
  #state: State = EMPTY;

  constructor(readonly example: ExampleGraph) {
    this.engine = new Engine(example.graph);
    this.#run();
  }

  /**
   * Writes the changes from the current state to `next` and runs. `shuffle` reorders the writes
   * (their order within one run must not matter).
   */
  step(next: State, shuffle?: <T>(items: T[]) => T[]): void {
    const writes = changesBetween(this.#state, next);
    for (const write of shuffle === undefined ? writes : shuffle(writes)) write(this.engine, this.example);
    this.#state = next;
    this.#run();
  }

  output(): Output {
    return {
      localPorts: this.engine.data(this.example.localPorts),
      flows: this.engine.data(this.example.flows),
    };
  }

  #run(): void {
    this.engine.run();
    const outcome = this.engine.outcome(this.example.flows);
    if (outcome.kind === 'changed') outcome.changes.applyTo(this.mirror);
    else if (outcome.kind === 'recomputed') {
      this.mirror.clear();
      for (const [owner, flows] of this.engine.data(this.example.flows)) this.mirror.set(owner, flows);
    }
  }
}

/** The output of a fresh engine that sees `state` at once: the definition of correct. */
export function scratch(example: ExampleGraph, state: State): Output {
  const engine = new Engine(example.graph);
  for (const write of changesBetween(EMPTY, state)) write(engine, example);
  engine.run();
  return { localPorts: engine.data(example.localPorts), flows: engine.data(example.flows) };
}

type Write = (engine: Engine, example: ExampleGraph) => void;

/** One write per key that differs, as separate watch events would arrive. */
function changesBetween(from: State, to: State): Write[] {
  const writes: Write[] = [];
  const table = <V>(
    before: Readonly<Record<string, V>>,
    after: Readonly<Record<string, V>>,
    writer: (engine: Engine, example: ExampleGraph) => KeyedInputWriter<string, V>,
  ) => {
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      const value = after[key];
      if (value === before[key]) continue;
      writes.push((engine, example) => {
        if (value === undefined) writer(engine, example).delete(key);
        else writer(engine, example).set(key, value);
      });
    }
  };
  table(from.networks, to.networks, (engine, e) => engine.input(e.networks));
  table(from.ports, to.ports, (engine, e) => engine.input(e.ports));
  table(from.bindings, to.bindings, (engine, e) => engine.input(e.localBindings));
  if (from.encap !== to.encap) writes.push((engine, example) => engine.input(example.encap).set(to.encap));
  return writes;
}
