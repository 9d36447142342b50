// Node definitions are plain data: a name, typed input slots, a recompute, and optional change
// handlers per slot. A definition holds no state (the Engine does), so one definition can serve
// any number of engines, and which node feeds which slot is decided in the wiring manifest only.
import type { TrackedChanges } from './changes.js';

declare const slotType: unique symbol;

/**
 * An input slot: what the node reads from the node wired into it — its data `D` and its tracked
 * changes `C`. Made with `slot<D, C>()`; the type exists only at compile time.
 */
export interface Slot<D, C extends TrackedChanges> {
  readonly [slotType]?: { readonly data: D; readonly changes: C };
}

export function slot<D, C extends TrackedChanges>(): Slot<D, C> {
  return {};
}

export type Slots = Readonly<Record<string, Slot<unknown, TrackedChanges>>>;

/** The data of every input, by slot name. */
export type InputsData<S extends Slots> = {
  readonly [K in keyof S]: S[K] extends Slot<infer D, TrackedChanges> ? D : never;
};

/** The tracked changes of one input slot. */
export type SlotChanges<S extends Slots, K extends keyof S> = S[K] extends Slot<unknown, infer C> ? C : never;

export interface HandlerArgs<S extends Slots, D, C extends TrackedChanges, K extends keyof S> {
  /** What changed in the input since the last run. Read-only. */
  readonly changes: SlotChanges<S, K>;
  /** The current data of every input (already brought up to date in this run). Read-only. */
  readonly inputs: InputsData<S>;
  /** This node's data, to update in place. */
  readonly data: D;
  /** This node's tracked changes for this run: record every change made to `data` here. */
  readonly out: C;
}

/**
 * 'handled': `data` now reflects the input's changes and `out` says how it moved.
 * 'unhandled': the handler cannot apply these changes; the engine recomputes this node (only).
 */
export type HandlerResult = 'handled' | 'unhandled';

/** A change handler; by convention named `<node>On<Input>`, e.g. `flowsOnLocalPorts`. */
export type Handler<S extends Slots, D, C extends TrackedChanges, K extends keyof S> = (
  args: HandlerArgs<S, D, C, K>,
) => HandlerResult;

export type Handlers<S extends Slots, D, C extends TrackedChanges> = {
  readonly [K in keyof S]?: Handler<S, D, C, K>;
};

export interface NodeSpec<S extends Slots, D, C extends TrackedChanges> {
  /** Unique in its graph; shown in stats, errors and `Graph.describe()`. */
  readonly name: string;
  /** The slots this node reads, by name. */
  readonly inputs: S;
  /** A fresh, empty record of this node's tracked changes (one per run in which it is touched). */
  readonly changes: () => C;
  /** Computes the node's data from scratch from its inputs' data. Returns a new object. */
  readonly recompute: (inputs: InputsData<S>) => D;
  /** Incremental handlers by slot; a changed slot without one makes the node recompute. */
  readonly handlers?: Handlers<NoInfer<S>, NoInfer<D>, NoInfer<C>>;
  /**
   * Optional: records in `out` how `after` differs from `before`. With it, a recompute forced by
   * an unhandled change still gives dependents tracked changes, so they stay incremental;
   * without it, every dependent recomputes too.
   */
  readonly diff?: (before: NoInfer<D>, after: NoInfer<D>, out: NoInfer<C>) => void;
}

export interface NodeDef<S extends Slots, D, C extends TrackedChanges> extends NodeSpec<S, D, C> {
  readonly kind: 'node';
}

export function defineNode<S extends Slots, D, C extends TrackedChanges>(
  spec: NodeSpec<S, D, C>,
): NodeDef<S, D, C> {
  return Object.freeze({ ...spec, kind: 'node' });
}

/**
 * A handler for an input whose changes never affect this node's data (the node reads it only in
 * recompute, or reads it lazily). Use it with a comment saying why; it is OVN's engine_noop_handler.
 */
export function ignoreChanges(): HandlerResult {
  return 'handled';
}
