// The conformance suite against the file: driver. A second client is a second openStore of the
// same directory (one process: the clients share the engine); a restart closes every client, which
// closes the engine and releases the directory, and opens it again — recovery from disk.
import { openStore } from '../src/open.js';
import type { Store } from '../src/store.js';
import { defineStoreConformance } from './conformance/index.js';
import { removeDir, tempDir } from './helpers/tmp.js';

let dir: string | undefined;
const clients: Store[] = [];

async function client(): Promise<Store> {
  // A small log, so the suite also exercises rotation through snapshots.
  const s = await openStore(`file:${dir ?? ''}`, { file: { maxWalBytes: 64 * 1024 } });
  clients.push(s);
  return s;
}

const closeAll = (): Promise<unknown> => Promise.all(clients.splice(0).map((s) => s.close()));

defineStoreConformance('file:', {
  async open() {
    dir = tempDir('conformance');
    return client();
  },
  openSecond: client,
  async restart() {
    await closeAll();
    return client();
  },
  async cleanup() {
    await closeAll();
    if (dir) removeDir(dir);
    dir = undefined;
  },
});
