// Typed access to one database of a client: transactions and replicas that know the row types
// of the schema they were given (a generated one such as openVswitchSchema, or one fetched
// with get_schema for untyped use).
import type { OvsdbClient } from './client.js';
import type { ColumnName, Condition } from './data/row-types.js';
import type { DatabaseSchema, TableMap } from './data/schema.js';
import type { RequestOptions } from './protocol/jsonrpc.js';
import { Replica, type ReplicaOptions } from './replica/replica.js';
import type { ReplicaSpec } from './replica/spec.js';
import { Transaction, type TableName } from './transaction/transaction.js';

export class OvsdbDatabase<S extends TableMap<S>> {
  constructor(
    readonly client: OvsdbClient,
    readonly schema: DatabaseSchema<S>,
  ) {}

  get name(): string {
    return this.schema.name;
  }

  /** A new transaction builder; nothing is sent until execute(). */
  transaction(): Transaction<S> {
    return new Transaction<S>(this.schema, (operations, options) =>
      this.client.transact(this.schema.name, operations, options),
    );
  }

  /** One-operation read: the rows of `table` matching `where`. */
  async select<T extends TableName<S>, C extends ColumnName<S[T]> = ColumnName<S[T]>>(
    table: T,
    where: readonly Condition<S[T]>[] = [],
    columns?: readonly C[],
    options?: RequestOptions,
  ): Promise<Pick<S[T], C>[]> {
    const txn = this.transaction();
    const handle = txn.select<T, C>(table, where, columns);
    return (await txn.execute(options)).get(handle);
  }

  /**
   * A replica of the tables in `spec`, started at once. `spec` maps table names to `true` (all
   * columns, all rows) or `{ columns, where }`.
   */
  replica<const Spec extends ReplicaSpec<S>>(spec: Spec, options?: ReplicaOptions): Replica<S, Spec> {
    return new Replica<S, Spec>(this.client, this.schema, spec, options).start();
  }
}
