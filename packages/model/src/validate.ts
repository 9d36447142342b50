// Validation of stored objects against their table's schema. Returns field-level reasons (JSON
// pointers), never throws for bad data; `assertValid` throws a WeirError('WEIR_MODEL_INVALID').
import { Compile } from 'typebox/compile';
import { WeirError, type WeirErrorDetail } from './errors.js';
import { registerFormats } from './formats.js';
import { TABLES, isTableName, type TableName, type Tables } from './tables.js';

type Validator = ReturnType<typeof Compile>;
const compiled = new Map<TableName, Validator>();

function validatorFor(table: TableName): Validator {
  let v = compiled.get(table);
  if (!v) {
    registerFormats();
    v = Compile(TABLES[table].schema);
    compiled.set(table, v);
  }
  return v;
}

interface SchemaError {
  readonly keyword: string;
  readonly instancePath: string;
  readonly message: string;
  readonly params: Readonly<Record<string, unknown>>;
}

/** Readable, de-duplicated reasons from TypeBox's errors. */
export function describeErrors(errors: Iterable<unknown>): WeirErrorDetail[] {
  const out: WeirErrorDetail[] = [];
  const seen = new Set<string>();
  for (const raw of errors) {
    const e = raw as SchemaError;
    if (e.keyword === 'boolean') continue; // "schema is false": the additionalProperties entry says it better
    let field = e.instancePath || '/';
    let reason = e.message;
    if (e.keyword === 'additionalProperties') {
      const names = (e.params['additionalProperties'] as string[] | undefined) ?? [];
      field = `${e.instancePath}/${names.join(',')}`;
      reason = `unknown attribute${names.length > 1 ? 's' : ''} ${names.join(', ')}`;
    } else if (e.keyword === 'required') {
      const names = (e.params['requiredProperties'] as string[] | undefined) ?? [];
      reason = `missing required attribute${names.length > 1 ? 's' : ''} ${names.join(', ')}`;
    }
    const key = `${field}|${reason}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ field, reason });
  }
  return out;
}

export function validateObject(table: string, value: unknown): WeirErrorDetail[] {
  if (!isTableName(table)) return [{ reason: `unknown table ${table}` }];
  const v = validatorFor(table);
  if (v.Check(value)) return [];
  return describeErrors(v.Errors(value));
}

export function assertValid<T extends TableName>(table: T, value: unknown): asserts value is Tables[T] {
  const details = validateObject(table, value);
  if (details.length > 0) {
    throw new WeirError(
      'WEIR_MODEL_INVALID',
      `invalid ${table}: ${details.map((d) => `${d.field ?? ''} ${d.reason}`.trim()).join('; ')}`,
      details,
    );
  }
}
