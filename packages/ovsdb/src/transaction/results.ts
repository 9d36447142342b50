// Mapping a transact reply to per-operation results, or to the typed error that names the
// failing operation. RFC 7047 5.2: the reply array has one element per operation; the first
// failing operation's element is {"error", "details"} and later elements are null; an error
// found while committing (referential integrity, unique index, ...) is appended as one extra
// element after the last operation.
import { OvsdbError, OvsdbTransactionError } from '../errors.js';
import { isRecord } from '../protocol/messages.js';
import type { WireOperation } from './operations.js';

/** Returns one result object per operation or throws OvsdbTransactionError / OVSDB_PROTOCOL. */
export function checkTransactResult(
  operations: readonly WireOperation[],
  result: unknown,
): readonly Readonly<Record<string, unknown>>[] {
  if (!Array.isArray(result)) {
    throw new OvsdbError('OVSDB_PROTOCOL', 'transact reply is not an array', { details: result });
  }
  const elements = result as unknown[];
  for (let i = 0; i < elements.length; i++) {
    const element = elements[i];
    if (isRecord(element) && element['error'] !== undefined && element['error'] !== null) {
      const operationIndex = i < operations.length ? i : undefined;
      const details = element['details'];
      throw new OvsdbTransactionError(
        {
          operationIndex,
          operation: operationIndex === undefined ? undefined : operations[i]?.op,
          ovsdbError:
            typeof element['error'] === 'string' ? element['error'] : JSON.stringify(element['error']),
          ovsdbDetails: typeof details === 'string' ? details : undefined,
        },
        { details: element },
      );
    }
  }
  if (elements.length < operations.length) {
    throw new OvsdbError(
      'OVSDB_PROTOCOL',
      `transact reply has ${elements.length} results for ${operations.length} operations`,
    );
  }
  return operations.map((_, i) => {
    const element = elements[i];
    if (!isRecord(element)) {
      throw new OvsdbError('OVSDB_PROTOCOL', `transact result ${i} is not an object`, { details: element });
    }
    return element;
  });
}
