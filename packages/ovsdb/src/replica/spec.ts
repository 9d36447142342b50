// What a replica monitors, and the row types that follow from it. With a `const` type
// parameter, `{ Bridge: { columns: ['name', 'ports'] } }` types Bridge rows as
// Pick<BridgeRow, '_uuid' | 'name' | 'ports'>, so code cannot read a column it did not monitor.
import type { ColumnName, MonitorCondition } from '../data/row-types.js';
import type { TableName } from '../transaction/transaction.js';

export interface TableSpec<Row> {
  /** Columns to replicate; default: every column of the schema. */
  readonly columns?: readonly ColumnName<Row>[];
  /** monitor_cond condition; default: every row. */
  readonly where?: readonly MonitorCondition<Row>[];
}

/** Table name → `true` (all columns, all rows) or a TableSpec. */
export type ReplicaSpec<S> = { readonly [T in TableName<S>]?: TableSpec<S[T]> | true };

/** The row type a table spec produces. */
export type RowOfSpec<Row, Spec> = Spec extends { readonly columns: readonly (infer C)[] }
  ? Pick<Row, Extract<C | '_uuid', keyof Row>>
  : Row;

/** Table name → replicated row type, for the tables in `Spec`. */
export type ReplicaRows<S, Spec> = {
  readonly [T in Extract<keyof Spec, TableName<S>>]: RowOfSpec<S[T], Spec[T]>;
};

/** One row change, discriminated by `kind` (and by `table` for the row type). */
export type RowChange<Rows> = {
  [T in Extract<keyof Rows, string>]:
    | {
        readonly table: T;
        readonly kind: 'insert';
        readonly uuid: string;
        readonly old: undefined;
        readonly new: Rows[T];
      }
    | {
        readonly table: T;
        readonly kind: 'update';
        readonly uuid: string;
        readonly old: Rows[T];
        readonly new: Rows[T];
      }
    | {
        readonly table: T;
        readonly kind: 'delete';
        readonly uuid: string;
        readonly old: Rows[T];
        readonly new: undefined;
      };
}[Extract<keyof Rows, string>];
