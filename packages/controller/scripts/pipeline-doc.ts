// Writes docs/pipeline.md from the pipeline declaration (the doc test checks it is up to date).
//   node --import tsx packages/controller/scripts/pipeline-doc.ts
import { writeFileSync } from 'node:fs';
import { renderPipelineDoc } from '../src/pipeline/doc.js';

const target = new URL('../../../docs/pipeline.md', import.meta.url);
writeFileSync(target, renderPipelineDoc());
console.log(`wrote ${target.pathname}`);
