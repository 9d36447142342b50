// One catalogue of error codes, documented: the README's table must list exactly the codes the
// library can raise (the fastify habit of checking the error docs against the code).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { OVSDB_ERROR_CODES, OvsdbError, OvsdbTransactionError, isOvsdbError } from '../src/errors.js';

describe('error catalogue', () => {
  it('the README documents every code, and only those', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const table = readme.slice(readme.indexOf('## Errors'));
    const documented = new Set([...table.matchAll(/^\| `(OVSDB_[A-Z_]+)`/gm)].map((m) => m[1]));
    assert.deepEqual([...documented].sort(), Object.keys(OVSDB_ERROR_CODES).sort());
  });

  it('codes are stable identifiers and errors carry them', () => {
    for (const code of Object.keys(OVSDB_ERROR_CODES)) assert.match(code, /^OVSDB_[A-Z_]+$/);
    const error = new OvsdbTransactionError({
      operationIndex: 2,
      operation: 'wait',
      ovsdbError: 'timed out',
      ovsdbDetails: undefined,
    });
    assert.ok(error instanceof OvsdbError);
    assert.ok(isOvsdbError(error, 'OVSDB_TXN_FAILED'));
    assert.equal(isOvsdbError(error, 'OVSDB_TIMEOUT'), false);
    assert.equal(error.name, 'OvsdbTransactionError');
  });
});
