#!/usr/bin/env node
// The weir command. It runs dist/weir.mjs (the bundle `npm run build` makes, ADR 0001) when that
// is newer than every TypeScript source, and the sources through tsx otherwise — so an edited
// source is never shadowed by a stale bundle. WEIR_FROM_SOURCE=1 forces the sources.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const bundle = `${root}dist/weir.mjs`;
// Child processes the lab starts (server, controllers, the lab daemon) run this same file.
process.env.WEIR_BIN ??= fileURLToPath(import.meta.url);

function newestSource(dir, newest = 0) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'test') continue;
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) newest = newestSource(path, newest);
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function bundleIsFresh() {
  if (process.env.WEIR_FROM_SOURCE === '1' || !existsSync(bundle)) return false;
  const built = statSync(bundle).mtimeMs;
  for (const pkg of readdirSync(`${root}packages`)) {
    const src = `${root}packages/${pkg}/src`;
    if (existsSync(src) && newestSource(src) > built) return false;
  }
  return true;
}

if (bundleIsFresh()) {
  await import(bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/main.ts');
}
