#!/usr/bin/env node
// Bundles the `weir` command (packages/cli/src/main.ts and every @weir/* package it uses) into
// dist/weir.mjs with esbuild; npm dependencies stay external and load from node_modules as usual.
// The bin runs the bundle when it is newer than every source file, and the TypeScript sources
// through tsx otherwise (ADR 0001): a long-running daemon then carries no loader thread and no
// in-memory transpiled sources (a `weir controller` at rest: ~50 MB resident instead of ~140).
import { build } from 'esbuild';
import { mkdirSync, rmSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
rmSync(`${root}dist`, { recursive: true, force: true });
mkdirSync(`${root}dist`, { recursive: true });

/** Bundle Weir's own packages; leave every npm package to node_modules. */
const externalNpm = {
  name: 'external-npm',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@weir/') ? undefined : { path: args.path, external: true },
    );
  },
};

const started = Date.now();
await build({
  entryPoints: [`${root}packages/cli/src/main.ts`],
  // Split at the commands' dynamic imports: a process loads only its command's chunk.
  outdir: `${root}dist`,
  entryNames: 'weir',
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  plugins: [externalNpm],
  logLevel: 'warning',
  legalComments: 'none',
});
console.log(`build: dist/weir.mjs in ${Date.now() - started} ms`);
