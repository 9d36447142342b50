// The committed src/schemas/open-vswitch.ts must be exactly what the generator produces from
// the installed schema: regenerate in memory and compare.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { generateSchemaModule, pascalCase } from '../src/codegen/schema-codegen.js';
import { DEFAULT_SCHEMA_PATH, OUTPUT_PATH, renderOpenVswitchModule } from '../scripts/gen-schema-types.js';

describe('schema code generation', () => {
  it('the committed Open_vSwitch module matches a fresh generation', async (t) => {
    if (!existsSync(DEFAULT_SCHEMA_PATH)) {
      t.skip(`${DEFAULT_SCHEMA_PATH} is absent (install openvswitch-common to check the generated types)`);
      return;
    }
    const fresh = await renderOpenVswitchModule(await readFile(DEFAULT_SCHEMA_PATH, 'utf8'));
    const committed = await readFile(OUTPUT_PATH, 'utf8');
    assert.ok(
      fresh === committed,
      'src/schemas/open-vswitch.ts is stale: run `npx tsx packages/ovsdb/scripts/gen-schema-types.ts`',
    );
  });

  it('maps column types to TypeScript types', () => {
    const code = generateSchemaModule({
      name: 'My_DB',
      version: '1.2.3',
      tables: {
        Thing_One: {
          columns: {
            name: { type: 'string' },
            mode: { type: { key: { type: 'string', enum: ['set', ['a', 'b']] }, min: 0, max: 1 } },
            refs: { type: { key: { type: 'uuid', refTable: 'Thing_One' }, min: 0, max: 'unlimited' } },
            'odd-name': { type: { key: 'integer', value: 'real', min: 0, max: 'unlimited' } },
          },
        },
      },
    });
    assert.match(code, /export interface ThingOneRow \{/);
    assert.match(code, /readonly name: string;/);
    assert.match(code, /readonly mode: 'a' \| 'b' \| undefined;/);
    assert.match(code, /readonly refs: ReadonlySet<string>;/);
    assert.match(code, /readonly 'odd-name': ReadonlyMap<number, number>;/);
    assert.match(code, /export interface MyDBTables \{\n {2}readonly Thing_One: ThingOneRow;/);
    assert.match(code, /export const myDBSchema: DatabaseSchema<MyDBTables> = defineSchema<MyDBTables>\(/);
    assert.match(code, /from '@weir\/ovsdb';/);
    assert.equal(pascalCase('Open_vSwitch'), 'OpenVSwitch');
    assert.equal(pascalCase('sFlow'), 'SFlow');
  });
});
