// Checks on read requests (list by topic/index), shared by the drivers.
import { WeirError, isTableName, type TableName } from '@weir/model';
import type { ListOptions } from '../store.js';
import { hasIndex } from './indexes.js';

export function checkTable(table: TableName): void {
  if (!isTableName(table)) throw new WeirError('WEIR_MODEL_INVALID', `unknown table ${String(table)}`);
}

export function checkListOptions(table: TableName, options: ListOptions): void {
  checkTable(table);
  const index = options.index;
  if (index && (typeof index.value !== 'string' || !hasIndex(table, index.name)))
    throw new WeirError('WEIR_MODEL_INVALID', `${table} has no index ${String(index.name)}`, [
      { field: '/index/name', reason: `${table} has no index ${String(index.name)}` },
    ]);
}
