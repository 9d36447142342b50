// The conformance suite against the memory: driver, with a second client on a named shared store.
import { randomUUID } from 'node:crypto';
import { openStore } from '../src/open.js';
import type { Store } from '../src/store.js';
import { defineStoreConformance } from './conformance/index.js';

let url = 'memory:';
const open: Store[] = [];

defineStoreConformance('memory:', {
  async open() {
    url = `memory:${randomUUID()}`;
    const s = await openStore(url);
    open.push(s);
    return s;
  },
  async openSecond() {
    const s = await openStore(url);
    open.push(s);
    return s;
  },
  async cleanup() {
    await Promise.all(open.splice(0).map((s) => s.close()));
  },
});
