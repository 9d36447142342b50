// Regenerates src/schemas/open-vswitch.ts from the installed Open vSwitch schema.
//   npx tsx packages/ovsdb/scripts/gen-schema-types.ts [SCHEMA] [OUTPUT]
// The output is formatted with the repository's prettier settings, so the committed file and a
// fresh run compare equal (test/schema-codegen.test.ts checks exactly that).
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as prettier from 'prettier';
import { generateSchemaModule } from '../src/codegen/schema-codegen.js';

export const DEFAULT_SCHEMA_PATH = '/usr/share/openvswitch/vswitch.ovsschema';
export const OUTPUT_PATH = fileURLToPath(new URL('../src/schemas/open-vswitch.ts', import.meta.url));

/** The exact text of src/schemas/open-vswitch.ts for a given schema file's contents. */
export async function renderOpenVswitchModule(schemaText: string): Promise<string> {
  const code = generateSchemaModule(JSON.parse(schemaText), {
    importFrom: '../data/schema.js',
    schemaConstName: 'openVswitchSchema',
    tablesTypeName: 'OpenVswitchTables',
    source: DEFAULT_SCHEMA_PATH,
    regenerate: 'npx tsx packages/ovsdb/scripts/gen-schema-types.ts',
  });
  const config = (await prettier.resolveConfig(OUTPUT_PATH)) ?? {};
  return prettier.format(code, { ...config, filepath: OUTPUT_PATH });
}

async function main(): Promise<void> {
  const schemaPath = process.argv[2] ?? DEFAULT_SCHEMA_PATH;
  const outputPath = process.argv[3] ?? OUTPUT_PATH;
  const text = await renderOpenVswitchModule(await readFile(schemaPath, 'utf8'));
  await writeFile(outputPath, text);
  console.log(`wrote ${outputPath}`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
