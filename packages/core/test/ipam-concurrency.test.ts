import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openStore } from '@weir/nbdb';
import { ipamRace } from './helpers/ipam-race.js';

describe('IPAM under concurrency (embedded store)', () => {
  it('memory: two clients, 300 ports on one /24 — 253 distinct addresses, 47 refusals', async () => {
    const name = `ipam-${process.pid}`;
    const a = await openStore(`memory:${name}`);
    const b = await openStore(`memory:${name}`);
    try {
      await ipamRace(a, b);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('file: the same race on the durable store (one client, two core contexts)', async () => {
    const dir = join(tmpdir(), `weir-core-ipam-${process.pid}`);
    const store = await openStore(`file:${dir}`);
    try {
      await ipamRace(store, store);
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
