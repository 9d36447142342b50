// The miss flow of every table, straight from the declaration: priority 0 (band `miss`), app
// `pipeline`, owner = the table. Installed with everything else, so an empty table (a future
// app's) is already transparent or closed as declared, and `weir flows` shows why a packet
// stopped where it did.
import { applyActions, flowMod, type Action, type FlowMod } from '@weir/openflow';
import { makeCookie } from '../pipeline/cookies.js';
import { PRIORITY_BANDS } from '../pipeline/priorities.js';
import { missTarget, type PipelineTable } from '../pipeline/table.js';
import { PIPELINE } from '../pipeline/tables.js';

function missActions(t: PipelineTable): { actions: Action[]; goto?: number } {
  switch (t.miss.kind) {
    case 'drop':
      return { actions: [] };
    case 'controller':
      return { actions: [{ type: 'controller', reason: 'no_match' }] };
    case 'next':
    case 'goto': {
      // declarePipeline has checked that the target exists and is allowed.
      const target = missTarget(t, PIPELINE.tables);
      return target === undefined ? { actions: [] } : { actions: [], goto: target.id };
    }
  }
}

/** The declared miss flow of `table` under `generation`. */
export function missFlow(table: PipelineTable, generation: number): FlowMod {
  const { actions, goto } = missActions(table);
  return flowMod({
    tableId: table.id,
    priority: PRIORITY_BANDS.miss,
    cookie: makeCookie({ generation, app: 'pipeline', owner: { kind: 'table', key: table.id } }),
    match: [],
    instructions: applyActions(actions, goto),
  });
}

/** One miss flow per declared table, in table order. */
export function missFlows(generation: number): FlowMod[] {
  return PIPELINE.tables.map((t) => missFlow(t, generation));
}
