// Generates a TypeScript module from an OVSDB schema: one read-row interface per table (column
// names as in the schema, values typed by the data-model rules of README "Data model"), a
// table-name → row-type map, and the normalised schema metadata the converters use at run time.
// Pure and deterministic (same schema in, same text out) so the committed output can be
// checked by a test; formatting is left to the caller (the script runs prettier).
import { parseSchema } from '../data/schema-parser.js';
import {
  columnKind,
  type Atom,
  type BaseType,
  type ColumnSchema,
  type ColumnType,
  type DatabaseSchema,
} from '../data/schema.js';

export interface SchemaCodegenOptions {
  /** Module the generated code imports `defineSchema` from. Default `@weir/ovsdb`. */
  readonly importFrom?: string;
  /** Name of the exported schema constant. Default: camelCase(database) + `Schema`. */
  readonly schemaConstName?: string;
  /** Name of the table → row type map. Default: PascalCase(database) + `Tables`. */
  readonly tablesTypeName?: string;
  /** Shown in the header comment, e.g. the schema's path. */
  readonly source?: string;
  /** Command shown in the header comment to regenerate the file. */
  readonly regenerate?: string;
}

/** `Open_vSwitch` → `OpenVSwitch`, `sFlow` → `SFlow`, `CT_Zone` → `CTZone`. */
export function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

function camelCase(name: string): string {
  const pascal = pascalCase(name);
  return pascal.charAt(0).toLowerCase() + pascal.slice(1);
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

function propertyName(name: string): string {
  return IDENTIFIER.test(name) ? name : quote(name);
}

function atomLiteral(atom: Atom): string {
  return typeof atom === 'string' ? quote(atom) : String(atom);
}

function atomType(base: BaseType): string {
  if (base.enum !== undefined && base.enum.length > 0) return base.enum.map(atomLiteral).join(' | ');
  switch (base.type) {
    case 'integer':
    case 'real':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'string':
    case 'uuid':
      return 'string';
  }
}

function valueType(type: ColumnType): string {
  const key = atomType(type.key);
  switch (columnKind(type)) {
    case 'scalar':
      return key;
    case 'optional':
      return `${key} | undefined`;
    case 'set':
      return `ReadonlySet<${key}>`;
    case 'map':
      return `ReadonlyMap<${key}, ${atomType(type.value as BaseType)}>`;
  }
}

function describeBase(base: BaseType): string {
  const parts: string[] = [base.type];
  if (base.refTable !== undefined)
    parts.push(`→ ${base.refTable}${base.refType === 'weak' ? ' (weak)' : ''}`);
  const min = base.minInteger ?? base.minReal ?? base.minLength;
  const max = base.maxInteger ?? base.maxReal ?? base.maxLength;
  if (min !== undefined || max !== undefined) parts.push(`[${min ?? ''}..${max ?? ''}]`);
  return parts.join(' ');
}

function describeColumn(column: ColumnSchema): string {
  const { type } = column;
  const key = describeBase(type.key);
  let text: string;
  switch (columnKind(type)) {
    case 'scalar':
      text = key;
      break;
    case 'optional':
      text = `optional ${key}`;
      break;
    case 'set':
      text = `set of ${type.min}..${type.max} ${key}`;
      break;
    case 'map':
      text = `map ${key} → ${describeBase(type.value as BaseType)}`;
      break;
  }
  if (column.ephemeral === true) text += '; ephemeral';
  if (column.mutable === false) text += '; immutable';
  return text;
}

/**
 * Prints a JSON-compatible value as a TypeScript literal (single quotes, bare keys). Objects
 * nested deeper than `multilineDepth` are printed on one line, which keeps column types compact.
 */
function literal(value: unknown, indent: string, multilineDepth: number): string {
  if (value === null || typeof value !== 'object') {
    return typeof value === 'string' ? quote(value) : String(value);
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    return `[${value.map((v) => literal(v, inner, 0)).join(', ')}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  if (multilineDepth <= 0) {
    return `{ ${entries.map(([k, v]) => `${propertyName(k)}: ${literal(v, inner, 0)}`).join(', ')} }`;
  }
  const lines = entries.map(
    ([k, v]) => `${inner}${propertyName(k)}: ${literal(v, inner, multilineDepth - 1)},`,
  );
  return `{\n${lines.join('\n')}\n${indent}}`;
}

export function generateSchemaModule(schemaJson: unknown, options: SchemaCodegenOptions = {}): string {
  const schema: DatabaseSchema = parseSchema(schemaJson);
  const tablesType = options.tablesTypeName ?? `${pascalCase(schema.name)}Tables`;
  const schemaConst = options.schemaConstName ?? `${camelCase(schema.name)}Schema`;
  const importFrom = options.importFrom ?? '@weir/ovsdb';
  const tableNames = Object.keys(schema.tables).sort();
  const out: string[] = [];

  out.push(
    `// Generated from the OVSDB schema ${schema.name} ${schema.version}${schema.cksum ? ` (cksum ${schema.cksum})` : ''}`,
  );
  if (options.source !== undefined) out.push(`// read from ${options.source}.`);
  out.push(`// Do not edit by hand${options.regenerate ? `; regenerate with: ${options.regenerate}` : ''}.`);
  out.push('//');
  out.push('// Column values: scalar → the atom; optional (min 0, max 1) → atom | undefined;');
  out.push('// set → ReadonlySet; map → ReadonlyMap. uuid atoms are strings.');
  out.push(`import { defineSchema, type DatabaseSchema } from ${quote(importFrom)};`);
  out.push('');

  for (const table of tableNames) {
    const tableSchema = schema.tables[table];
    if (tableSchema === undefined) continue;
    out.push(`/** A row of table ${table}. */`);
    out.push(`export interface ${pascalCase(table)}Row {`);
    out.push('  readonly _uuid: string;');
    out.push('  readonly _version: string;');
    for (const column of Object.keys(tableSchema.columns).sort()) {
      const columnSchema = tableSchema.columns[column] as ColumnSchema;
      out.push(`  /** ${describeColumn(columnSchema)} */`);
      out.push(`  readonly ${propertyName(column)}: ${valueType(columnSchema.type)};`);
    }
    out.push('}');
    out.push('');
  }

  out.push(`/** Table name → row type of the ${schema.name} database. */`);
  out.push(`export interface ${tablesType} {`);
  for (const table of tableNames) out.push(`  readonly ${propertyName(table)}: ${pascalCase(table)}Row;`);
  out.push('}');
  out.push('');

  const sortedTables = Object.fromEntries(
    tableNames.map((table) => {
      const t = schema.tables[table];
      const columns = Object.fromEntries(
        Object.keys(t?.columns ?? {})
          .sort()
          .map((c) => [c, t?.columns[c]]),
      );
      return [table, { ...t, columns }];
    }),
  );
  const metadata = {
    name: schema.name,
    version: schema.version,
    cksum: schema.cksum,
    tables: sortedTables,
  };
  out.push(`/** Normalised schema of ${schema.name} ${schema.version}, typed with ${tablesType}. */`);
  out.push(
    `export const ${schemaConst}: DatabaseSchema<${tablesType}> = defineSchema<${tablesType}>(${literal(metadata, '', 4)});`,
  );
  out.push('');
  return out.join('\n');
}
