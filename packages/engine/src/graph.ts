// The wiring: nodes are added to a GraphBuilder, each computed node's slots are connected to the
// nodes that feed them with the reason for the edge, and build() checks the whole and freezes it
// in topological order. The result is immutable and can back any number of engines.
import type { TrackedChanges } from './changes.js';
import { EngineError } from './errors.js';
import type { InputDef } from './inputs.js';
import type { NodeDef, Slot, Slots } from './node.js';
import { topologicalOrder } from './topology.js';

declare const handleType: unique symbol;
declare const writerType: unique symbol;
declare const slotsType: unique symbol;

/** A node in one graph, as the wiring and the engine refer to it. Carries its types only. */
export interface NodeHandle<D, C extends TrackedChanges> {
  readonly name: string;
  readonly kind: 'input' | 'node';
  readonly [handleType]?: { readonly data: D; readonly changes: C };
}

export interface InputHandle<W, D, C extends TrackedChanges> extends NodeHandle<D, C> {
  readonly kind: 'input';
  readonly [writerType]?: W;
}

export interface ComputedHandle<S extends Slots, D, C extends TrackedChanges> extends NodeHandle<D, C> {
  readonly kind: 'node';
  readonly [slotsType]?: S;
}

/** One edge of the manifest: the node feeding a slot, and why the slot needs it. */
export interface Edge<D, C extends TrackedChanges> {
  readonly from: NodeHandle<D, C>;
  readonly why: string;
}

/** Every slot of a node must be given an edge whose node provides what the slot reads. */
export type EdgesFor<S extends Slots> = {
  readonly [K in keyof S]: S[K] extends Slot<infer D, infer C> ? Edge<D, C> : never;
};

/** The engine's view of a node, types erased (the builder checked them at wiring time). */
export type ErasedNodeDef = NodeDef<Slots, unknown, TrackedChanges>;
export type ErasedInputDef = InputDef<unknown, unknown, TrackedChanges>;

export interface GraphEdge {
  readonly slot: string;
  /** Index of the feeding node in `Graph.nodes`. */
  readonly from: number;
  readonly why: string;
}

export type GraphNode =
  | { readonly kind: 'input'; readonly name: string; readonly def: ErasedInputDef }
  | {
      readonly kind: 'node';
      readonly name: string;
      readonly def: ErasedNodeDef;
      /** In the order of the definition's slots, so handlers run in a stable order. */
      readonly edges: readonly GraphEdge[];
    };

export class Graph {
  readonly #index: ReadonlyMap<NodeHandle<unknown, TrackedChanges>, number>;

  /** @internal Built by GraphBuilder.build(). */
  constructor(
    /** In topological order: every node comes after all of its inputs. */
    readonly nodes: readonly GraphNode[],
    index: ReadonlyMap<NodeHandle<unknown, TrackedChanges>, number>,
  ) {
    this.#index = index;
  }

  /** Position of a handle in `nodes`; throws ENGINE_UNKNOWN_NODE for a handle of another graph. */
  indexOf(handle: NodeHandle<unknown, TrackedChanges>): number {
    const index = this.#index.get(handle);
    if (index === undefined) {
      throw new EngineError('ENGINE_UNKNOWN_NODE', `node "${handle.name}" does not belong to this graph`);
    }
    return index;
  }

  /** The manifest as text, one line per edge in run order: `node.slot <- input: why`. */
  describe(): string {
    const lines: string[] = [];
    for (const node of this.nodes) {
      if (node.kind === 'input') lines.push(`${node.name} (input)`);
      else
        for (const e of node.edges)
          lines.push(`${node.name}.${e.slot} <- ${this.nodes[e.from]?.name}: ${e.why}`);
    }
    return lines.join('\n');
  }
}

interface Entry {
  readonly handle: NodeHandle<unknown, TrackedChanges>;
  readonly def: ErasedInputDef | ErasedNodeDef;
  edges?: ReadonlyMap<string, Edge<unknown, TrackedChanges>>;
}

export class GraphBuilder {
  readonly #entries = new Map<NodeHandle<unknown, TrackedChanges>, Entry>();
  readonly #names = new Set<string>();
  #built = false;

  /** Adds an input (leaf) node. */
  input<W, D, C extends TrackedChanges>(def: InputDef<W, D, C>): InputHandle<W, D, C> {
    const handle: InputHandle<W, D, C> = Object.freeze({ name: def.name, kind: 'input' });
    // Kept untyped from here on; the engine hands the writer back only through the typed handle.
    this.#add(handle, def);
    return handle;
  }

  /** Adds a computed node; connect its slots with wire(). */
  node<S extends Slots, D, C extends TrackedChanges>(def: NodeDef<S, D, C>): ComputedHandle<S, D, C> {
    const handle: ComputedHandle<S, D, C> = Object.freeze({ name: def.name, kind: 'node' });
    // Erased once here; wire() checks every edge against the slot types at compile time.
    this.#add(handle, def as unknown as ErasedNodeDef);
    return handle;
  }

  /** Connects every slot of `node`, each with the reason the node needs that input. */
  wire<S extends Slots, D, C extends TrackedChanges>(
    node: ComputedHandle<S, D, C>,
    edges: EdgesFor<S>,
  ): void {
    this.#open();
    const entry = this.#entries.get(node);
    if (entry === undefined) throw wiring(`node "${node.name}" was not added to this builder`);
    if (entry.def.kind !== 'node') throw wiring(`"${node.name}" is an input; inputs have no slots`);
    if (entry.edges !== undefined)
      throw wiring(`node "${node.name}" is wired twice; wire all its slots at once`);
    const given = new Map<string, Edge<unknown, TrackedChanges>>(Object.entries(edges));
    const slots = Object.keys(entry.def.inputs);
    for (const name of given.keys()) {
      if (!slots.includes(name)) throw wiring(`node "${node.name}" has no slot "${name}"`);
    }
    for (const name of slots) {
      const edge = given.get(name);
      if (edge === undefined) throw wiring(`slot "${node.name}.${name}" is not connected`);
      if (!this.#entries.has(edge.from)) {
        throw wiring(`slot "${node.name}.${name}": node "${edge.from.name}" was not added to this builder`);
      }
      if (typeof edge.why !== 'string' || edge.why.trim() === '') {
        throw wiring(`edge "${node.name}.${name}" <- "${edge.from.name}" needs a reason`);
      }
    }
    entry.edges = given;
  }

  /** Checks the wiring (every slot connected, no cycle) and returns the graph in run order. */
  build(): Graph {
    this.#open();
    const entries = [...this.#entries.values()];
    const position = new Map(entries.map((e, i) => [e.handle, i]));
    const inputsOf = entries.map((e) => {
      if (e.def.kind === 'input') return [];
      if (e.edges === undefined) {
        if (Object.keys(e.def.inputs).length > 0) throw wiring(`node "${e.handle.name}" is not wired`);
        return [];
      }
      return [...e.edges.values()].map((edge) => position.get(edge.from) ?? -1);
    });
    const order = topologicalOrder(inputsOf, (i) => entries[i]?.handle.name ?? '?');
    const runIndex = new Map(order.map((original, at) => [original, at]));
    const nodes = order.map((original): GraphNode => {
      const e = entries[original] as Entry;
      if (e.def.kind === 'input') return { kind: 'input', name: e.handle.name, def: e.def };
      const edges = Object.keys(e.def.inputs).map((slot) => {
        const edge = e.edges?.get(slot) as Edge<unknown, TrackedChanges>;
        return { slot, from: runIndex.get(position.get(edge.from) ?? -1) ?? -1, why: edge.why };
      });
      return { kind: 'node', name: e.handle.name, def: e.def, edges };
    });
    this.#built = true;
    return new Graph(nodes, new Map(order.map((original, at) => [entries[original]!.handle, at])));
  }

  #add(handle: NodeHandle<unknown, TrackedChanges>, def: ErasedInputDef | ErasedNodeDef): void {
    this.#open();
    if (typeof def.name !== 'string' || def.name === '') throw wiring('a node needs a name');
    if (this.#names.has(def.name)) throw wiring(`two nodes are named "${def.name}"`);
    this.#names.add(def.name);
    this.#entries.set(handle, { handle, def });
  }

  #open(): void {
    if (this.#built) throw wiring('the graph was already built; a GraphBuilder builds one graph');
  }
}

function wiring(message: string): EngineError {
  return new EngineError('ENGINE_WIRING', message);
}
