// A typed transaction builder. Each method appends one RFC 7047 operation, converting values
// through the schema at once (so a bad value throws here, with a useful stack, not later), and
// returns a handle whose typed result is read from the TransactionResult after execute().
//
//   const txn = db.transaction();
//   const ctl = txn.insert('Controller', { target: 'unix:/run/of.sock' });
//   const br = txn.insert('Bridge', { name: 'br-int', controller: [ctl.ref] });
//   txn.mutate('Open_vSwitch', [], [['bridges', 'insert', [br.ref]]]);
//   const result = await txn.execute();      // throws OvsdbTransactionError on failure
//   const bridgeUuid = result.get(br);
//
// The server applies all operations or none; on failure the error names the failing operation.
import { NamedUuid } from '../data/named-uuid.js';
import type { ColumnName, Condition, Mutation, RowWrite, WriteOf } from '../data/row-types.js';
import { decodeRow, encodeCondition, encodeMutation, encodeRow } from '../data/rows.js';
import { getTable, type DatabaseSchema, type TableMap, type TableSchema } from '../data/schema.js';
import { isUuid } from '../data/wire.js';
import { OvsdbError } from '../errors.js';
import type { RequestOptions } from '../protocol/jsonrpc.js';
import type { WireRow } from '../data/wire.js';
import type { WireCondition, WireOperation } from './operations.js';

export type TableName<S> = Extract<keyof S, string>;

/** Sends wire operations; resolves with one result object per operation (see results.ts). */
export type TransactFn = (
  operations: readonly WireOperation[],
  options?: RequestOptions,
) => Promise<readonly Readonly<Record<string, unknown>>[]>;

/** Refers to one operation of a transaction; pass it to TransactionResult.get(). */
export interface OpHandle<R> {
  readonly index: number;
  readonly decode: (result: Readonly<Record<string, unknown>>) => R;
}

/** The handle of an insert: `ref` names the new row inside the same transaction. */
export interface InsertHandle extends OpHandle<string> {
  readonly ref: NamedUuid;
}

export interface InsertOptions {
  /** The uuid-name for references; generated when omitted. */
  readonly uuidName?: string;
  /** Choose the new row's UUID (OVSDB ≥ 2.13). */
  readonly uuid?: string;
}

export interface WaitOptions<Row, C extends ColumnName<Row>> {
  readonly columns: readonly C[];
  /** `==`: wait until the selected rows equal `rows`; `!=`: until they differ. */
  readonly until: '==' | '!=';
  readonly rows: readonly { readonly [K in C]?: WriteOf<Row[K]> }[];
  /** Milliseconds the server may wait; default 0 (fail at once: a compare-and-swap guard). */
  readonly timeoutMs?: number;
}

export class TransactionResult {
  constructor(private readonly results: readonly Readonly<Record<string, unknown>>[]) {}

  get<R>(handle: OpHandle<R>): R {
    const result = this.results[handle.index];
    if (result === undefined)
      throw new OvsdbError('OVSDB_INVALID_ARGUMENT', 'handle is not from this transaction');
    return handle.decode(result);
  }

  /** The raw result objects, one per operation. */
  get raw(): readonly Readonly<Record<string, unknown>>[] {
    return this.results;
  }
}

function decodeCount(result: Readonly<Record<string, unknown>>): number {
  const count = result['count'];
  if (typeof count !== 'number' || !Number.isInteger(count)) {
    throw new OvsdbError('OVSDB_PROTOCOL', 'operation result has no count', { details: result });
  }
  return count;
}

function decodeUuid(result: Readonly<Record<string, unknown>>): string {
  const uuid = result['uuid'];
  if (!Array.isArray(uuid) || uuid[0] !== 'uuid' || !isUuid(uuid[1])) {
    throw new OvsdbError('OVSDB_PROTOCOL', 'insert result has no uuid', { details: result });
  }
  return uuid[1];
}

const decodeNothing = (): void => undefined;

export class Transaction<S extends TableMap<S>> {
  private readonly operations: WireOperation[] = [];
  private executed = false;

  constructor(
    private readonly schema: DatabaseSchema<S>,
    private readonly send: TransactFn,
  ) {}

  /** The operations so far, in wire form. */
  get wireOperations(): readonly WireOperation[] {
    return this.operations;
  }

  get size(): number {
    return this.operations.length;
  }

  insert<T extends TableName<S>>(table: T, row: RowWrite<S[T]>, options: InsertOptions = {}): InsertHandle {
    const ref = new NamedUuid(options.uuidName ?? `_row${this.operations.length}`);
    if (options.uuid !== undefined && !isUuid(options.uuid)) {
      throw new OvsdbError('OVSDB_INVALID_ARGUMENT', `insert into ${table}: options.uuid is not a UUID`);
    }
    const index = this.push({
      op: 'insert',
      table,
      row: encodeRow(this.table(table), table, row),
      'uuid-name': ref.name,
      ...(options.uuid === undefined ? {} : { uuid: options.uuid }),
    });
    return { index, ref, decode: decodeUuid };
  }

  /** Rows matching `where`, with `columns` (default: every column the schema knows). */
  select<T extends TableName<S>, C extends ColumnName<S[T]> = ColumnName<S[T]>>(
    table: T,
    where: readonly Condition<S[T]>[],
    columns?: readonly C[],
  ): OpHandle<Pick<S[T], C>[]> {
    const schema = this.table(table);
    const wanted = columns ?? ['_uuid', '_version', ...Object.keys(schema.columns)];
    const index = this.push({ op: 'select', table, where: this.where(table, where), columns: wanted });
    return {
      index,
      decode: (result) => {
        const rows = result['rows'];
        if (!Array.isArray(rows))
          throw new OvsdbError('OVSDB_PROTOCOL', 'select result has no rows', { details: result });
        return rows.map((row: unknown) => decodeRow(schema, table, row) as unknown as Pick<S[T], C>);
      },
    };
  }

  /** Sets the given columns in every row matching `where`; result: the number of rows. */
  update<T extends TableName<S>>(
    table: T,
    where: readonly Condition<S[T]>[],
    row: RowWrite<S[T]>,
  ): OpHandle<number> {
    const index = this.push({
      op: 'update',
      table,
      where: this.where(table, where),
      row: encodeRow(this.table(table), table, row),
    });
    return { index, decode: decodeCount };
  }

  mutate<T extends TableName<S>>(
    table: T,
    where: readonly Condition<S[T]>[],
    mutations: readonly Mutation<S[T]>[],
  ): OpHandle<number> {
    const schema = this.table(table);
    const index = this.push({
      op: 'mutate',
      table,
      where: this.where(table, where),
      mutations: mutations.map((m) => encodeMutation(schema, table, m)),
    });
    return { index, decode: decodeCount };
  }

  delete<T extends TableName<S>>(table: T, where: readonly Condition<S[T]>[]): OpHandle<number> {
    const index = this.push({ op: 'delete', table, where: this.where(table, where) });
    return { index, decode: decodeCount };
  }

  /**
   * Fails the whole transaction unless the rows matching `where`, projected on `columns`, are
   * (`until: '=='`) or are not (`'!='`) exactly `rows`. With the default timeout of 0 this is a
   * compare-and-swap guard: "only if nobody changed what I read".
   */
  wait<T extends TableName<S>, C extends ColumnName<S[T]>>(
    table: T,
    where: readonly Condition<S[T]>[],
    options: WaitOptions<S[T], C>,
  ): OpHandle<void> {
    const schema = this.table(table);
    const rows: WireRow[] = options.rows.map((row) => {
      const extra = Object.keys(row).filter((name) => !options.columns.includes(name as C));
      if (extra.length > 0) {
        throw new OvsdbError(
          'OVSDB_INVALID_ARGUMENT',
          `wait on ${table}: rows have columns not in columns: ${extra.join(', ')}`,
        );
      }
      return encodeWaitRow(schema, table, row);
    });
    const index = this.push({
      op: 'wait',
      table,
      where: this.where(table, where),
      columns: [...options.columns],
      until: options.until,
      rows,
      timeout: options.timeoutMs ?? 0,
    });
    return { index, decode: decodeNothing };
  }

  /** The `commit` operation (durable: wait for the write to reach disk before replying). */
  commit(options: { readonly durable: boolean }): OpHandle<void> {
    return { index: this.push({ op: 'commit', durable: options.durable }), decode: decodeNothing };
  }

  /** The `abort` operation: the transaction fails with "aborted" (useful with tests and dry runs). */
  abort(): OpHandle<void> {
    return { index: this.push({ op: 'abort' }), decode: decodeNothing };
  }

  /** The `comment` operation: recorded in the database log. */
  comment(text: string): OpHandle<void> {
    return { index: this.push({ op: 'comment', comment: text }), decode: decodeNothing };
  }

  /** The `assert` operation: fails with "not owner" unless this session holds `lockId`. */
  assert(lockId: string): OpHandle<void> {
    return { index: this.push({ op: 'assert', lock: lockId }), decode: decodeNothing };
  }

  /** Sends the transaction (once). Rejects with OvsdbTransactionError if the server refused it. */
  async execute(options?: RequestOptions): Promise<TransactionResult> {
    if (this.executed) throw new OvsdbError('OVSDB_INVALID_ARGUMENT', 'transaction already executed');
    this.executed = true;
    return new TransactionResult(await this.send(this.operations, options));
  }

  private table(name: string): TableSchema {
    return getTable(this.schema, name);
  }

  private where(table: string, where: readonly unknown[]): WireCondition[] {
    const schema = this.table(table);
    return where.map((condition) => encodeCondition(schema, table, condition));
  }

  private push(operation: WireOperation): number {
    if (this.executed) throw new OvsdbError('OVSDB_INVALID_ARGUMENT', 'transaction already executed');
    this.operations.push(operation);
    return this.operations.length - 1;
  }
}

/** Wait rows may name `_uuid`/`_version`, which ordinary writes may not. */
function encodeWaitRow(schema: TableSchema, table: string, row: object): WireRow {
  const { _uuid, _version, ...rest } = row as Record<string, unknown>;
  const out: Record<string, WireRow[string]> = { ...encodeRow(schema, table, rest) };
  for (const [name, value] of [
    ['_uuid', _uuid],
    ['_version', _version],
  ] as const) {
    if (value !== undefined) {
      if (!isUuid(value))
        throw new OvsdbError('OVSDB_INVALID_ARGUMENT', `wait on ${table}: ${name} must be a UUID`);
      out[name] = ['uuid', value];
    }
  }
  return out;
}
