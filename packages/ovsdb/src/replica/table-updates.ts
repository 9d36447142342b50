// Validation of `<table-updates2>` (ovsdb-server(7), update2/update3 notifications and the
// monitor_cond/monitor_cond_since replies). Only the shape is checked here; column values are
// decoded against the schema when the update is applied, because `modify` needs the old value.
import { isUuid } from '../data/wire.js';
import { OvsdbError } from '../errors.js';
import { isRecord } from '../protocol/messages.js';

export type RowUpdate2 =
  | { readonly kind: 'initial' | 'insert'; readonly row: Readonly<Record<string, unknown>> }
  | { readonly kind: 'modify'; readonly diff: Readonly<Record<string, unknown>> }
  | { readonly kind: 'delete' };

/** table → row uuid → update, in the order the server sent them. */
export type TableUpdates2 = ReadonlyMap<string, ReadonlyMap<string, RowUpdate2>>;

function bad(problem: string, details?: unknown): OvsdbError {
  return new OvsdbError('OVSDB_PROTOCOL', `malformed table-updates2: ${problem}`, { details });
}

export function parseTableUpdates2(json: unknown): TableUpdates2 {
  if (!isRecord(json)) throw bad('not an object', json);
  const tables = new Map<string, Map<string, RowUpdate2>>();
  for (const [table, rowsJson] of Object.entries(json)) {
    if (!isRecord(rowsJson)) throw bad(`rows of ${table} are not an object`);
    const rows = new Map<string, RowUpdate2>();
    for (const [uuid, updateJson] of Object.entries(rowsJson)) {
      if (!isUuid(uuid)) throw bad(`row key ${JSON.stringify(uuid)} in ${table} is not a UUID`);
      rows.set(uuid, parseRowUpdate2(table, uuid, updateJson));
    }
    tables.set(table, rows);
  }
  return tables;
}

function parseRowUpdate2(table: string, uuid: string, json: unknown): RowUpdate2 {
  const keys = isRecord(json) ? Object.keys(json) : [];
  if (!isRecord(json) || keys.length !== 1)
    throw bad(`${table} ${uuid}: want exactly one of initial/insert/modify/delete`, json);
  const kind = keys[0] ?? '';
  const body = json[kind];
  switch (kind) {
    case 'initial':
    case 'insert':
      if (!isRecord(body)) throw bad(`${table} ${uuid}: ${kind} is not a row`, json);
      return { kind, row: body };
    case 'modify':
      if (!isRecord(body)) throw bad(`${table} ${uuid}: modify is not a row`, json);
      return { kind, diff: body };
    case 'delete':
      if (body !== null) throw bad(`${table} ${uuid}: delete must be null`, json);
      return { kind };
    default:
      throw bad(`${table} ${uuid}: unknown update kind ${JSON.stringify(kind)}`, json);
  }
}
