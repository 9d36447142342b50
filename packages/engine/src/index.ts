// @weir/engine: an incremental processing engine. The rules for nodes are in README.md.
export type { TrackedChanges } from './changes.js';
export { Touched } from './changes.js';
export { KeyedChanges, diffMaps, type KeyedChange } from './keyed-changes.js';
export {
  keyedInput,
  valueInput,
  ValueChange,
  type InputDef,
  type InputState,
  type KeyedInputOptions,
  type KeyedInputWriter,
  type ValueInputWriter,
  type WriteGuard,
} from './inputs.js';
export {
  defineNode,
  ignoreChanges,
  slot,
  type Handler,
  type HandlerArgs,
  type HandlerResult,
  type Handlers,
  type InputsData,
  type NodeDef,
  type NodeSpec,
  type Slot,
  type SlotChanges,
  type Slots,
} from './node.js';
export {
  Graph,
  GraphBuilder,
  type ComputedHandle,
  type Edge,
  type EdgesFor,
  type GraphEdge,
  type GraphNode,
  type InputHandle,
  type NodeHandle,
} from './graph.js';
export { Engine, type EngineOptions, type NodeOutcome, type RunReport } from './engine.js';
export {
  ENGINE_ERROR_CODES,
  EngineError,
  EngineRunError,
  type EngineErrorCode,
  type FailurePhase,
  type NodeFailure,
} from './errors.js';
export { RECOMPUTE_REASONS, type EngineStats, type NodeStats, type RecomputeReason } from './stats.js';
