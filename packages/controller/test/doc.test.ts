// docs/pipeline.md is generated from the declaration; this fails when someone changes one without
// regenerating the other (node --import tsx packages/controller/scripts/pipeline-doc.ts).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CONTROLLER_ERROR_CODES, PIPELINE, renderPipelineDoc } from '../src/index.js';

const doc = readFileSync(new URL('../../../docs/pipeline.md', import.meta.url), 'utf8');

describe('docs', () => {
  it('docs/pipeline.md equals what the declaration generates', () => {
    assert.equal(doc, renderPipelineDoc());
  });

  it('has one section per table with its current number, owner and miss', () => {
    const headings = [...doc.matchAll(/^## (\d+) (\w+)$/gm)].map((m) => [Number(m[1]), m[2]]);
    assert.deepEqual(
      headings,
      PIPELINE.tables.map((t) => [t.id, t.name]),
    );
    for (const t of PIPELINE.tables) {
      const body = doc.split(`## ${t.id} ${t.name}\n`)[1]?.split('\n## ')[0] ?? '';
      assert.match(body, new RegExp(`\\*\\*owner\\*\\*: ${t.owner}`), t.name);
      assert.match(body, /\*\*Miss\*\*: /, t.name);
    }
  });

  it('the package README lists every error code', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const code of Object.keys(CONTROLLER_ERROR_CODES)) assert.ok(readme.includes(`\`${code}\``), code);
  });
});
