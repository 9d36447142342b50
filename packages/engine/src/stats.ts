// Per-node counters, kept as plain data so the controller can export them (Prometheus counters:
// one series per node and field) or print them, without knowing the engine's internals.

/** Why a node was recomputed instead of handling its inputs' changes incrementally. */
export type RecomputeReason =
  /** The first run of the engine. */
  | 'initial'
  /** engine.forceRecompute() was called (e.g. after a store watch reset). */
  | 'forced'
  /** The node or one of its inputs threw in an earlier run. */
  | 'failed'
  /** A handler returned 'unhandled'. */
  | 'unhandled'
  /** An input changed and the node has no handler for that input. */
  | 'noHandler'
  /** An input was recomputed without a diff, so there were no tracked changes to handle. */
  | 'inputRecomputed';

export const RECOMPUTE_REASONS: readonly RecomputeReason[] = [
  'initial',
  'forced',
  'failed',
  'unhandled',
  'noHandler',
  'inputRecomputed',
];

export interface NodeStats {
  readonly kind: 'input' | 'node';
  /** Full recomputes, for any reason. */
  recomputes: number;
  recomputeReasons: Record<RecomputeReason, number>;
  /** Handler calls that returned 'handled'. */
  handled: number;
  /** Handler calls that returned 'unhandled' (each forced one recompute of this node). */
  unhandled: number;
  /** Runs in which this node's data changed (for an input: was written). */
  changed: number;
  /** Runs in which this node's own code threw. */
  failures: number;
  /** Time spent in this node's handlers, recompute and diff. */
  seconds: number;
}

export interface EngineStats {
  runs: number;
  /** Runs that threw EngineRunError. */
  failedRuns: number;
  /** By node name. */
  nodes: Record<string, NodeStats>;
}

export function emptyNodeStats(kind: 'input' | 'node'): NodeStats {
  const recomputeReasons = Object.fromEntries(RECOMPUTE_REASONS.map((r) => [r, 0])) as Record<
    RecomputeReason,
    number
  >;
  return {
    kind,
    recomputes: 0,
    recomputeReasons,
    handled: 0,
    unhandled: 0,
    changed: 0,
    failures: 0,
    seconds: 0,
  };
}

export function copyNodeStats(stats: NodeStats): NodeStats {
  return { ...stats, recomputeReasons: { ...stats.recomputeReasons } };
}
