// Small nodes for the unit tests: a keyed input of numbers and "mirror" nodes that copy their
// one input (optionally transformed), whose behaviour each test chooses, and which log what the
// engine made them do so that tests can assert order and what was touched.
import {
  KeyedChanges,
  defineNode,
  diffMaps,
  keyedInput,
  slot,
  type HandlerArgs,
  type HandlerResult,
  type InputsData,
} from '../src/index.js';

export type Numbers = Map<string, number>;
export const numbersSlot = () => slot<ReadonlyMap<string, number>, KeyedChanges<string, number>>();
export const numbersInput = (name: string) => keyedInput<string, number>(name);

export interface MirrorOptions {
  /** What the handler does: apply the changes, decline them, or there is no handler. */
  readonly handler?: 'handles' | 'declines' | 'none';
  /** Whether the node has a diff. */
  readonly diff?: boolean;
  /** Applied to every value. */
  readonly map?: (value: number) => number;
  /** Receives `recompute:<name>` and `handle:<name>` as the engine calls the node. */
  readonly log?: string[];
  /** Called at the start of the handler for each change; may throw or mutate to test errors. */
  readonly onChange?: (key: string, data: Numbers) => void;
  /** Called at the start of recompute and diff. */
  readonly onRecompute?: () => void;
  readonly onDiff?: () => void;
}

const mirrorSlots = { source: numbersSlot() };
type MirrorSlots = typeof mirrorSlots;

/** A node whose data is its input's data with `map` applied to every value. */
export function mirrorNode(name: string, options: MirrorOptions = {}) {
  const map = options.map ?? ((v: number) => v);
  const handle = (
    args: HandlerArgs<MirrorSlots, Numbers, KeyedChanges<string, number>, 'source'>,
  ): HandlerResult => {
    options.log?.push(`handle:${name}`);
    if (options.handler === 'declines') return 'unhandled';
    for (const change of args.changes) {
      options.onChange?.(change.key, args.data);
      const old = args.data.get(change.key);
      const next = change.kind === 'removed' ? undefined : map(change.value);
      if (old === next) continue;
      if (next === undefined) args.data.delete(change.key);
      else args.data.set(change.key, next);
      args.out.record(change.key, old, next);
    }
    return 'handled';
  };
  return defineNode({
    name,
    inputs: mirrorSlots,
    changes: () => new KeyedChanges<string, number>(),
    recompute: (inputs: InputsData<MirrorSlots>): Numbers => {
      options.log?.push(`recompute:${name}`);
      options.onRecompute?.();
      return new Map([...inputs.source].map(([k, v]) => [k, map(v)]));
    },
    ...(options.handler === 'none' ? {} : { handlers: { source: handle } }),
    ...(options.diff === true
      ? {
          diff: (before: Numbers, after: Numbers, out: KeyedChanges<string, number>) => {
            options.onDiff?.();
            diffMaps(before, after, out);
          },
        }
      : {}),
  });
}

const pairSlots = { left: numbersSlot(), right: numbersSlot() };
type PairSlots = typeof pairSlots;

/** A node whose data is the sum, by key, of two inputs; incremental on both. */
export function sumNode(name: string, log?: string[]) {
  const sum = (inputs: InputsData<PairSlots>, key: string): number | undefined => {
    const l = inputs.left.get(key);
    const r = inputs.right.get(key);
    return l === undefined && r === undefined ? undefined : (l ?? 0) + (r ?? 0);
  };
  const refresh = (
    args: HandlerArgs<PairSlots, Numbers, KeyedChanges<string, number>, 'left' | 'right'>,
  ): HandlerResult => {
    log?.push(`handle:${name}`);
    for (const key of args.changes.keys()) {
      const old = args.data.get(key);
      const next = sum(args.inputs, key);
      if (old === next) continue;
      if (next === undefined) args.data.delete(key);
      else args.data.set(key, next);
      args.out.record(key, old, next);
    }
    return 'handled';
  };
  return defineNode({
    name,
    inputs: pairSlots,
    changes: () => new KeyedChanges<string, number>(),
    recompute: (inputs: InputsData<PairSlots>): Numbers => {
      log?.push(`recompute:${name}`);
      const out: Numbers = new Map();
      for (const key of new Set([...inputs.left.keys(), ...inputs.right.keys()]))
        out.set(key, sum(inputs, key) ?? 0);
      return out;
    },
    handlers: { left: refresh, right: refresh },
  });
}

/** A clock that advances by `step` milliseconds every time it is read. */
export function steppingClock(step: number): () => number {
  let now = 0;
  return () => (now += step);
}
