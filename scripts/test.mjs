#!/usr/bin/env node
// Runs every test file with node's built-in runner through tsx.
//   node scripts/test.mjs            all tests (unit + integration against real OVS/etcd)
//   node scripts/test.mjs --unit     only files outside test/integration/
//   node scripts/test.mjs FILTER…    only files whose path contains one of the FILTERs
// Node 20 has no TypeScript glob default for --test, so the file list is built here.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const unitOnly = args.includes('--unit');
const filters = args.filter((a) => !a.startsWith('--'));

function walk(dir, out) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    if (name === 'node_modules' || name === 'fixtures') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith('.test.ts')) out.push(relative(root, path));
  }
  return out;
}

let files = [...walk(join(root, 'packages'), []), ...walk(join(root, 'test'), [])].sort();
if (unitOnly) files = files.filter((f) => !f.includes('/integration/') && !f.startsWith('test/e2e/'));
if (filters.length > 0) files = files.filter((f) => filters.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', ...files],
  { cwd: root, stdio: 'inherit' },
);
process.exit(result.status ?? 1);
