// Behaviour particular to the file: driver: group commit, reads and watches that never see a write
// before it is durable, a failing disk, leases of a previous process, clients sharing an engine.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import type { Chassis } from '@weir/model';
import { openFileStore, type FileStoreOptions } from '../src/file/index.js';
import { scanFrames } from '../src/file/framing.js';
import type { Store, WatchBatch } from '../src/store.js';
import { WatchRecorder, rejectsWith, settle } from './conformance/helpers.js';
import { fx } from './conformance/fixtures.js';
import { removeDir, tempDir } from './helpers/tmp.js';

const dirs: string[] = [];
const open: Store[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close().catch(() => undefined)));
});
after(() => {
  for (const d of dirs) removeDir(d);
});

function newDir(): string {
  const d = tempDir('driver');
  dirs.push(d);
  return d;
}

async function openAt(dir: string, options: FileStoreOptions = {}): Promise<Store> {
  const s = await openFileStore(dir, options);
  open.push(s);
  return s;
}

const logFrames = (dir: string): number => {
  const log =
    readdirSync(dir)
      .filter((f) => f.startsWith('wal-'))
      .sort()
      .at(-1) ?? assert.fail('no log');
  return scanFrames(readFileSync(join(dir, log))).frames.length - 1; // minus the header
};

describe('file: driver', () => {
  it('group commit: concurrent commits share log frames (and syncs)', async () => {
    const dir = newDir();
    const s = await openAt(dir);
    const results = await Promise.all(
      Array.from({ length: 200 }, () =>
        s.commit([{ kind: 'create', table: 'logical_switch', object: fx.network() }]),
      ),
    );
    assert.equal(new Set(results.map((r) => r.revision)).size, 200);
    const frames = logFrames(dir);
    assert.ok(frames < 20, `200 concurrent commits took ${frames} frames`);
    for (let i = 0; i < 5; i++)
      await s.commit([{ kind: 'create', table: 'logical_switch', object: fx.network() }]);
    assert.equal(logFrames(dir), frames + 5, 'sequential commits: one frame each');
  });

  it('a failing disk fails the write and the store; nothing unsynced is ever read or watched', async () => {
    const dir = newDir();
    let failWrites = false;
    const s = await openAt(dir, {
      faults: {
        beforeWalWrite: () => {
          if (failWrites) throw new Error('EIO (injected)');
        },
      },
    });
    const kept = fx.network();
    await s.commit([{ kind: 'create', table: 'logical_switch', object: kept }]);
    const seen: WatchBatch[] = [];
    s.watch({}, (b) => seen.push(b));
    failWrites = true;
    const lost = fx.network();
    const commit = s.commit([{ kind: 'create', table: 'logical_switch', object: lost }]);
    // Issued after the commit was applied in memory but before it could be durable.
    const read = s.get('logical_switch', lost.id);
    await rejectsWith(commit, 'WEIR_STORE_UNAVAILABLE');
    await rejectsWith(read, 'WEIR_STORE_UNAVAILABLE');
    await rejectsWith(s.get('logical_switch', kept.id), 'WEIR_STORE_UNAVAILABLE');
    await settle(50);
    assert.deepEqual(seen, [], 'the watch never saw the write that did not reach the disk');
    await s.close();
    const again = await openAt(dir);
    assert.ok(await again.get('logical_switch', kept.id));
    assert.equal(await again.get('logical_switch', lost.id), undefined);
  });

  it('a commit larger than the log accepts is refused before it applies; big batches span frames', async () => {
    const dir = newDir();
    const s = await openAt(dir, { maxCommitBytes: 8192 });
    const big = fx.securityGroup({
      rules: Array.from({ length: 40 }, () => fx.rule({ description: 'x'.repeat(100) })),
    });
    await rejectsWith(
      s.commit([{ kind: 'create', table: 'security_group', object: big }]),
      'WEIR_STORE_TOO_LARGE',
    );
    assert.equal(await s.get('security_group', big.id), undefined);
    // 100 concurrent small commits: one batch, more bytes than one record may hold.
    const nets = Array.from({ length: 100 }, () => fx.network());
    await Promise.all(nets.map((object) => s.commit([{ kind: 'create', table: 'logical_switch', object }])));
    const log = readdirSync(dir).find((f) => f.startsWith('wal-')) ?? assert.fail('no log');
    const [, ...frames] = scanFrames(readFileSync(join(dir, log))).frames;
    assert.ok(frames.length > 1, `the batch was cut into ${frames.length} frames`);
    for (const f of frames) assert.ok(f.payload.length <= 8192 + 2, `a frame of ${f.payload.length} bytes`);
    await s.close();
    const again = await openAt(dir);
    assert.equal((await again.list('logical_switch')).items.length, 100);
  });

  it('close waits for commits in flight: every one of them is acknowledged and on disk', async () => {
    const dir = newDir();
    const s = await openFileStore(dir);
    const nets = Array.from({ length: 50 }, () => fx.network());
    const commits = nets.map((object) => s.commit([{ kind: 'create', table: 'logical_switch', object }]));
    await s.close();
    const results = await Promise.all(commits);
    assert.equal(results.length, 50);
    const again = await openAt(dir);
    assert.equal((await again.list('logical_switch')).items.length, 50);
  });

  it('objects bound to a lease of the previous process are deleted when the store opens', async () => {
    const dir = newDir();
    const s = await openAt(dir);
    const lease = await s.grantLease(60);
    const bound = fx.chassis();
    const free = fx.chassis();
    const { revision } = await s.commit([
      { kind: 'create', table: 'chassis', object: bound, lease: lease.id },
      { kind: 'create', table: 'chassis', object: free },
    ]);
    await s.close();
    const again = await openAt(dir);
    assert.equal(await again.get('chassis', bound.id), undefined);
    assert.ok(await again.get('chassis', free.id));
    assert.deepEqual((await again.list('chassis', { index: { name: 'name', value: bound.name } })).items, []);
    // The deletion is a change like any other: a watch resuming from before it sees it.
    const rec = new WatchRecorder(again, { fromRevision: revision });
    await rec.untilCount(1);
    assert.ok(rec.events[0]?.type === 'delete' && rec.events[0].prev.id === bound.id);
    rec.close();
  });

  it('clients of one directory in one process share the engine; it closes with the last', async () => {
    const dir = newDir();
    const a = await openAt(dir);
    const b = await openAt(`${dir}/.`);
    const c = fx.chassis();
    await a.commit([{ kind: 'create', table: 'chassis', object: c }]);
    assert.ok(await b.get('chassis', c.id));
    await a.close();
    const [stored] = (await b.list('chassis')).items;
    await b.commit([
      { kind: 'update', table: 'chassis', object: { ...(stored as Chassis), hostname: 'n2' } },
    ]);
    assert.ok(readdirSync(dir).includes('LOCK'));
    await b.close();
    assert.ok(!readdirSync(dir).includes('LOCK'), 'the last client released the directory');
    const again = await openAt(dir);
    assert.equal((await again.get('chassis', c.id))?.hostname, 'n2');
  });
});
