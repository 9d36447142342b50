// kill -9 at random moments: a child process writes to a file store with four concurrent writers
// and prints every acknowledged write; the test SIGKILLs it at a random point (several rounds on
// the same directory, each recovering what the last one left) and checks, after each round, that
// every acknowledged write is there, that the state is consistent (indexes and claims agree with
// the objects, unique keys are never reused) and that the store takes new writes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { readdirSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openStore } from '../src/open.js';
import { rejectsWith } from './conformance/helpers.js';
import { fx } from './conformance/fixtures.js';
import { removeDir, tempDir } from './helpers/tmp.js';

const WRITER = fileURLToPath(new URL('./helpers/crash-writer.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

interface Acked {
  readonly live: Map<string, { revision: number; key: number; claim: string }>;
  readonly deleted: Set<string>;
  /** Deletes issued: if killed before the acknowledgement, the object may be gone or not. */
  readonly deleting: Set<string>;
  readonly updated: Map<string, number>;
  readonly keys: Set<number>;
  maxRevision: number;
}

/** Runs the writer until it has acknowledged `acks` writes (or 5 s passed), then SIGKILLs it. */
async function runAndKill(
  dir: string,
  networkId: string,
  acks: number,
  acked: Acked,
  duringRun?: () => Promise<void>,
) {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dir, networkId], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.on('exit', (_code, signal) => resolve(signal)),
  );
  let count = 0;
  let ready = false;
  let resolveEnough: () => void = () => undefined;
  const enough = new Promise<void>((r) => (resolveEnough = r));
  let timer: NodeJS.Timeout | undefined;
  // A writer that dies before it is ready ends the wait too (the assertions below say why).
  void exited.then(() => resolveEnough());
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => {
    const [what, id = '', rev = '0', key = '0', claim = ''] = line.split(' ');
    const revision = Number(rev);
    acked.maxRevision = Math.max(acked.maxRevision, revision);
    if (what === 'ready') {
      ready = true;
      // The fallback counts from the writer's start, not its spawn (tsx takes seconds when loaded).
      timer = setTimeout(resolveEnough, 5000);
    } else if (what === 'create') {
      acked.live.set(id, { revision, key: Number(key), claim });
      acked.keys.add(Number(key));
    } else if (what === 'update') acked.updated.set(id, revision);
    else if (what === 'deleting') acked.deleting.add(id);
    else if (what === 'delete') {
      acked.live.delete(id);
      acked.deleted.add(id);
    }
    if (what !== 'ready' && ++count >= acks) resolveEnough();
  });
  await enough;
  clearTimeout(timer);
  if (duringRun) await duringRun();
  child.kill('SIGKILL');
  const signal = await exited;
  lines.close();
  assert.ok(ready, `the writer started (stderr: ${stderr})`);
  assert.equal(signal, 'SIGKILL', `the writer was killed, not crashed (stderr: ${stderr})`);
}

async function verify(dir: string, networkId: string, acked: Acked): Promise<void> {
  const s = await openStore(`file:${dir}`);
  try {
    assert.ok((await s.revision()) >= acked.maxRevision, 'revision >= the last acknowledged one');
    const all = (await s.list('logical_port')).items;
    const byId = new Map(all.map((p) => [p.id, p]));
    for (const [id, { revision }] of acked.live) {
      const port = byId.get(id);
      if (!port && acked.deleting.has(id)) continue; // its delete was in flight at the kill
      assert.ok(port, `acknowledged create of ${id} (revision ${revision}) survived`);
      assert.ok(port.version >= (acked.updated.get(id) ?? revision), `acknowledged update of ${id} survived`);
    }
    for (const id of acked.deleted) assert.ok(!byId.has(id), `acknowledged delete of ${id} survived`);
    // Indexes agree with the objects.
    const indexed = (await s.list('logical_port', { index: { name: 'network', value: networkId } })).items;
    assert.deepEqual(indexed.map((p) => p.id).sort(), [...byId.keys()].sort());
    // Claims agree with the objects: one per port, owned by it, and none orphaned.
    const claims = await s.listClaims('crash');
    assert.equal(claims.length, all.length);
    for (const c of claims) assert.equal(byId.get(c.owner)?.dnsName, c.key);
    // Unique keys: distinct among stored objects, and never handed out again.
    assert.equal(new Set(all.map((p) => p.uniqueKey)).size, all.length);
    const fresh = await Promise.all(Array.from({ length: 20 }, () => s.allocateUniqueKey('logical_port')));
    for (const k of fresh) assert.ok(!acked.keys.has(k), `unique key ${k} handed out twice`);
    // And it takes writes.
    const port = fx.port({ networkId: randomUUID() });
    await s.commit([{ kind: 'create', table: 'logical_port', object: port }]);
    await s.commit([{ kind: 'delete', table: 'logical_port', id: port.id }]);
  } finally {
    await s.close();
  }
}

describe('file: store under kill -9', () => {
  const dir = tempDir('crash');
  after(() => removeDir(dir));

  it('loses no acknowledged write and keeps a consistent state, over several kills', async () => {
    const networkId = randomUUID();
    const acked: Acked = {
      live: new Map(),
      deleted: new Set(),
      deleting: new Set(),
      updated: new Map(),
      keys: new Set(),
      maxRevision: 0,
    };
    const rounds = 5;
    for (let round = 0; round < rounds; round++) {
      const acks = 20 + Math.floor(Math.random() * 400);
      await runAndKill(dir, networkId, acks, acked, async () => {
        if (round !== 0) return;
        // While the writer runs, this process cannot open the directory.
        await rejectsWith(openStore(`file:${dir}`), 'WEIR_STORE_UNAVAILABLE');
      });
      await verify(dir, networkId, acked);
    }
    assert.ok(
      acked.live.size > 0 && acked.deleted.size > 0 && acked.updated.size > 0,
      'every kind of write was tested',
    );
    assert.ok(
      readdirSync(dir).some((f) => /^snap-\d+\.snap$/.test(f)),
      'the log rotated through snapshots during the test',
    );
  });
});
