// Actions that name a table take the table's declaration object, so no app writes a number.
import type { CtAction, ResubmitAction } from '@weir/openflow';
import type { PipelineTable } from '../pipeline/table.js';

/** `resubmit(,<table>)`: run `table` now and come back (group buckets, flows that fork). */
export function resubmit(table: PipelineTable): ResubmitAction {
  return { type: 'resubmit', table: table.id };
}

export type ConntrackOptions = Omit<CtAction, 'type' | 'table'> & {
  /** Recirculate to this later table after conntrack. */
  readonly table?: PipelineTable;
};

/** `ct(…)`, with the recirculation table given by its declaration. */
export function conntrack(options: ConntrackOptions): CtAction {
  const { table, ...rest } = options;
  return table === undefined ? { type: 'ct', ...rest } : { type: 'ct', ...rest, table: table.id };
}
