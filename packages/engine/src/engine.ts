// One engine instance: the state of every node of a graph (data, pending recompute, stats) and
// run(), which brings the nodes up to date with what was written into the inputs since the last
// run. All state lives in the instance, so any number of engines can share one process or graph.
import type { TrackedChanges } from './changes.js';
import { EngineError, EngineRunError, type FailurePhase, type NodeFailure } from './errors.js';
import type { Graph, GraphNode, InputHandle, NodeHandle } from './graph.js';
import type { InputState } from './inputs.js';
import {
  copyNodeStats,
  emptyNodeStats,
  type EngineStats,
  type NodeStats,
  type RecomputeReason,
} from './stats.js';

/** What happened to a node in the last run, as its dependents and the outside world see it. */
export type NodeOutcome<C> =
  | { readonly kind: 'unchanged' }
  /** Tracked changes are available: apply them. */
  | { readonly kind: 'changed'; readonly changes: C }
  /** The data was rebuilt without tracked changes: treat all of it as new. */
  | { readonly kind: 'recomputed' };

export interface EngineOptions {
  /** Milliseconds from a monotonic source; injectable for deterministic tests. */
  readonly clock?: () => number;
}

export interface RunReport {
  /** 1 for the first run. */
  readonly run: number;
  /** Nodes recomputed in this run, in run order. */
  readonly recomputed: readonly string[];
  /** Nodes whose outcome was not 'unchanged', in run order. */
  readonly changed: readonly string[];
}

type Status = NodeOutcome<TrackedChanges> | { readonly kind: 'failed' };

interface InputNodeState {
  readonly kind: 'input';
  readonly input: InputState<unknown, unknown, TrackedChanges>;
  readonly stats: NodeStats;
}

interface ComputedNodeState {
  readonly kind: 'node';
  data: unknown;
  /** Set when the next run must recompute this node from scratch, and why. */
  stale: RecomputeReason | undefined;
  readonly stats: NodeStats;
}

type NodeState = InputNodeState | ComputedNodeState;
type ComputedGraphNode = Extract<GraphNode, { kind: 'node' }>;

const UNCHANGED: Status = { kind: 'unchanged' };
const RECOMPUTED: Status = { kind: 'recomputed' };
const FAILED: Status = { kind: 'failed' };

export class Engine {
  readonly #graph: Graph;
  readonly #clock: () => number;
  readonly #states: NodeState[];
  #statuses: Status[];
  #inputsRecomputed = true;
  #running = false;
  #runs = 0;
  #failedRuns = 0;

  constructor(graph: Graph, options: EngineOptions = {}) {
    this.#graph = graph;
    this.#clock = options.clock ?? (() => performance.now());
    const guard = (): void => {
      if (this.#running) throw new EngineError('ENGINE_REENTRANT', 'an input was written during a run');
    };
    this.#states = graph.nodes.map((node): NodeState => {
      if (node.kind === 'input')
        return { kind: 'input', input: node.def.create(guard), stats: emptyNodeStats('input') };
      return { kind: 'node', data: undefined, stale: 'initial', stats: emptyNodeStats('node') };
    });
    this.#statuses = graph.nodes.map(() => UNCHANGED);
  }

  get graph(): Graph {
    return this.#graph;
  }

  /** The writer of an input node: write changes through it between runs. */
  input<W, D, C extends TrackedChanges>(handle: InputHandle<W, D, C>): W {
    const state = this.#states[this.#graph.indexOf(handle)];
    if (state?.kind !== 'input')
      throw new EngineError('ENGINE_UNKNOWN_NODE', `"${handle.name}" is not an input`);
    return state.input.writer as W;
  }

  /** A node's current data. Throws ENGINE_STALE before its first recompute and after a failure. */
  data<D, C extends TrackedChanges>(handle: NodeHandle<D, C>): D {
    const state = this.#readable(handle);
    return (state.kind === 'input' ? state.input.data : state.data) as D;
  }

  /** What happened to a node in the last run. Throws ENGINE_STALE like data(). */
  outcome<D, C extends TrackedChanges>(handle: NodeHandle<D, C>): NodeOutcome<C> {
    const index = this.#graph.indexOf(handle);
    this.#readable(handle);
    return this.#statuses[index] as NodeOutcome<C>;
  }

  /**
   * Makes the next run recompute every node from its inputs' data and report every input as
   * recomputed — for when tracked changes cannot be trusted (a store watch reset, a reconnect).
   */
  forceRecompute(): void {
    this.#inputsRecomputed = true;
    for (const state of this.#states) {
      if (state.kind === 'node') state.stale ??= 'forced';
    }
  }

  /** Whether run() has anything to do: inputs written, or nodes waiting for a recompute. */
  needsRun(): boolean {
    if (this.#inputsRecomputed) return true;
    return this.#states.some((s) => (s.kind === 'input' ? s.input.pending() : s.stale !== undefined));
  }

  /**
   * Brings every node up to date, in topological order. A node none of whose inputs changed is
   * not touched. If any node throws, the rest of the graph that does not depend on it is still
   * processed, then EngineRunError is thrown (see README.md, "Errors").
   */
  run(): RunReport {
    if (this.#running) throw new EngineError('ENGINE_REENTRANT', 'run() was called during a run');
    this.#running = true;
    try {
      return this.#run();
    } finally {
      this.#running = false;
    }
  }

  /** A snapshot of the counters, as plain data. */
  stats(): EngineStats {
    const nodes: Record<string, NodeStats> = {};
    this.#graph.nodes.forEach((node, i) => {
      nodes[node.name] = copyNodeStats((this.#states[i] as NodeState).stats);
    });
    return { runs: this.#runs, failedRuns: this.#failedRuns, nodes };
  }

  #run(): RunReport {
    const inputsRecomputed = this.#inputsRecomputed;
    this.#inputsRecomputed = false;
    const statuses: Status[] = [];
    this.#statuses = statuses;
    const failures: NodeFailure[] = [];
    const skipped: string[] = [];
    const recomputed: string[] = [];
    const changed: string[] = [];
    this.#graph.nodes.forEach((node, i) => {
      const state = this.#states[i] as NodeState;
      let status: Status;
      if (state.kind === 'input') {
        // Taken even when forced, so that stale changes do not leak into the next run.
        const changes = state.input.take();
        status = inputsRecomputed ? RECOMPUTED : changes.isEmpty() ? UNCHANGED : { kind: 'changed', changes };
      } else if (node.kind !== 'node') {
        throw new Error('unreachable: an input node with computed state');
      } else if (node.edges.some((e) => statuses[e.from] === FAILED)) {
        // Its input's data is unknown: skip it and recompute it once that input is sound again.
        state.stale = 'failed';
        status = FAILED;
        skipped.push(node.name);
      } else if (
        state.stale === undefined &&
        node.edges.every((e) => statuses[e.from]?.kind === 'unchanged')
      ) {
        // Nothing it reads changed: not touched, not even timed.
        status = UNCHANGED;
      } else {
        status = this.#processTimed(node, state, statuses, failures, recomputed);
      }
      statuses.push(status);
      if (status.kind === 'changed' || status.kind === 'recomputed') {
        state.stats.changed += 1;
        changed.push(node.name);
      }
    });
    this.#runs += 1;
    if (failures.length > 0) {
      this.#failedRuns += 1;
      throw new EngineRunError(failures, skipped);
    }
    return { run: this.#runs, recomputed, changed };
  }

  #processTimed(
    node: ComputedGraphNode,
    state: ComputedNodeState,
    statuses: readonly Status[],
    failures: NodeFailure[],
    recomputed: string[],
  ): Status {
    const started = this.#clock();
    const at: { phase: FailurePhase; slot?: string } = { phase: 'recompute' };
    try {
      return this.#process(node, state, statuses, at, recomputed);
    } catch (error) {
      // The node's data may be half-updated: hide it and rebuild it from scratch next run.
      state.stale = 'failed';
      state.stats.failures += 1;
      failures.push({ node: node.name, error, ...at });
      return FAILED;
    } finally {
      state.stats.seconds += (this.#clock() - started) / 1000;
    }
  }

  #process(
    node: ComputedGraphNode,
    state: ComputedNodeState,
    statuses: readonly Status[],
    at: { phase: FailurePhase; slot?: string },
    recomputed: string[],
  ): Status {
    const recompute = (reason: RecomputeReason, out?: TrackedChanges): Status => {
      at.phase = 'recompute';
      delete at.slot;
      const before = state.data;
      // Only data that was up to date can be diffed into changes dependents may trust.
      const trusted = state.stale === undefined;
      const after = node.def.recompute(this.#inputsData(node));
      state.data = after;
      state.stats.recomputes += 1;
      state.stats.recomputeReasons[reason] += 1;
      recomputed.push(node.name);
      if (!trusted || node.def.diff === undefined) {
        state.stale = undefined;
        return RECOMPUTED;
      }
      at.phase = 'diff';
      // `out` already holds what handlers did earlier in this run; the diff continues from there.
      const changes = out ?? node.def.changes();
      node.def.diff(before, after, changes);
      return changed(changes);
    };

    if (state.stale !== undefined) {
      const status = recompute(state.stale);
      state.stale = undefined;
      return status;
    }
    const touched = node.edges.filter((e) => statuses[e.from]?.kind !== 'unchanged');
    // Decide before calling any handler, so that no handler work is thrown away.
    for (const edge of touched) {
      if (statuses[edge.from]?.kind === 'recomputed') return recompute('inputRecomputed');
      if (node.def.handlers?.[edge.slot] === undefined) return recompute('noHandler');
    }
    const inputs = this.#inputsData(node);
    const out = node.def.changes();
    for (const edge of touched) {
      const handler = node.def.handlers?.[edge.slot];
      const input = statuses[edge.from];
      if (handler === undefined || input?.kind !== 'changed') throw new Error('unreachable: checked above');
      at.phase = 'handler';
      at.slot = edge.slot;
      const result: unknown = handler({ changes: input.changes, inputs, data: state.data, out });
      if (result === 'unhandled') {
        state.stats.unhandled += 1;
        return recompute('unhandled', out);
      }
      if (result !== 'handled') {
        throw new EngineError(
          'ENGINE_BAD_RESULT',
          `handler returned ${String(result)}, not "handled" or "unhandled"`,
        );
      }
      state.stats.handled += 1;
    }
    return changed(out);
  }

  #inputsData(node: ComputedGraphNode): Record<string, unknown> {
    const inputs: Record<string, unknown> = {};
    for (const edge of node.edges) {
      const state = this.#states[edge.from] as NodeState;
      inputs[edge.slot] = state.kind === 'input' ? state.input.data : state.data;
    }
    return inputs;
  }

  #readable(handle: NodeHandle<unknown, TrackedChanges>): NodeState {
    const state = this.#states[this.#graph.indexOf(handle)] as NodeState;
    if (state.kind === 'node' && (state.stale === 'initial' || state.stale === 'failed')) {
      const why = state.stale === 'initial' ? 'the engine has not run yet' : 'it or an input failed';
      throw new EngineError('ENGINE_STALE', `node "${handle.name}" has no valid data: ${why}`);
    }
    return state;
  }
}

function changed(changes: TrackedChanges): Status {
  return changes.isEmpty() ? UNCHANGED : { kind: 'changed', changes };
}
