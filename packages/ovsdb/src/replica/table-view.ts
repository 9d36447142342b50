// Read-only access to one replicated table. Views are live (they always show the current
// state) but never torn: the replica changes only between event dispatches, a whole server
// transaction at a time. Rows are frozen; do not mutate their Sets or Maps either.

export interface TableView<Row> extends Iterable<Row> {
  readonly name: string;
  readonly size: number;
  get(uuid: string): Row | undefined;
  has(uuid: string): boolean;
  values(): IterableIterator<Row>;
  find(predicate: (row: Row) => boolean): Row | undefined;
  filter(predicate: (row: Row) => boolean): Row[];
}

export function createTableView<Row>(name: string, rows: ReadonlyMap<string, Row>): TableView<Row> {
  return {
    name,
    get size() {
      return rows.size;
    },
    get: (uuid) => rows.get(uuid),
    has: (uuid) => rows.has(uuid),
    values: () => rows.values(),
    [Symbol.iterator]: () => rows.values(),
    find: (predicate) => {
      for (const row of rows.values()) if (predicate(row)) return row;
      return undefined;
    },
    filter: (predicate) => [...rows.values()].filter(predicate),
  };
}
