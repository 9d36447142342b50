// The file: driver's disk format under damage and failure: torn and garbage tails are cut off,
// damage in the middle refuses to open, rotation through snapshots loses nothing, a crash in the
// middle of a rotation is recovered, the directory lock, leases of a previous process, group
// commit, and a failing disk.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  appendFileSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import type { LogicalPort } from '@weir/model';
import { openFileStore, type FileStoreOptions } from '../src/file/index.js';
import { FRAME_HEADER_BYTES, scanFrames } from '../src/file/framing.js';
import type { Store } from '../src/store.js';
import { rejectsWith } from './conformance/helpers.js';
import { fx } from './conformance/fixtures.js';
import { dumpStore } from './helpers/dump.js';
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
  const d = tempDir('recovery');
  dirs.push(d);
  return d;
}

async function openAt(dir: string, options: FileStoreOptions = {}): Promise<Store> {
  const s = await openFileStore(dir, options);
  open.push(s);
  return s;
}

async function closeAll(): Promise<void> {
  await Promise.all(open.splice(0).map((s) => s.close()));
}

const files = (dir: string): string[] => readdirSync(dir).sort();
const wal = (dir: string): string => {
  const logs = files(dir).filter((f) => f.startsWith('wal-'));
  return join(dir, logs.at(-1) ?? assert.fail('no log'));
};

/** A store with a network and `n` ports (one commit each), closed; returns its dump. */
async function populate(dir: string, n: number, options: FileStoreOptions = {}) {
  const s = await openAt(dir, options);
  const net = fx.network();
  await s.commit([{ kind: 'create', table: 'logical_switch', object: net }]);
  for (let i = 0; i < n; i++) {
    const port = fx.port({ networkId: net.id });
    await s.commit([
      { kind: 'create', table: 'logical_port', object: port },
      { kind: 'claim', namespace: 'mac', key: port.macAddress, owner: port.id },
    ]);
  }
  const dump = await dumpStore(s, ['mac']);
  await closeAll();
  return { dump, net };
}

describe('file: recovery', () => {
  it('a torn last frame (a write cut short) is cut off; everything before it is intact', async () => {
    const dir = newDir();
    const { dump } = await populate(dir, 5);
    const log = wal(dir);
    const frames = scanFrames(readFileSync(log)).frames;
    const last = frames.at(-1) ?? assert.fail();
    // Simulate the crash during a 6th commit: half of a copy of the last frame.
    const copy = readFileSync(log).subarray(
      last.offset,
      last.offset + FRAME_HEADER_BYTES + last.payload.length,
    );
    appendFileSync(log, copy.subarray(0, Math.floor(copy.length / 2)));
    const sizeBefore = statSync(log).size;
    const s = await openAt(dir);
    assert.deepEqual(await dumpStore(s, ['mac']), dump);
    assert.ok(statSync(log).size < sizeBefore, 'the torn tail was truncated');
    await s.commit([{ kind: 'create', table: 'logical_switch', object: fx.network() }]);
    await closeAll();
    const again = await openAt(dir);
    assert.equal(Object.values((await dumpStore(again)).objects).flat().length, 7);
  });

  for (const [label, tail] of [
    ['random garbage', Buffer.from(Array.from({ length: 300 }, () => Math.floor(Math.random() * 256)))],
    ['zeros', Buffer.alloc(4096)],
    [
      'a frame header promising more than the file holds',
      Buffer.from([0xd7, 0x45, 0x49, 0x52, 0xff, 0xff, 0, 0, 1, 2, 3, 4, 5]),
    ],
  ] as const) {
    it(`garbage at the end of the log (${label}) is cut off`, async () => {
      const dir = newDir();
      const { dump } = await populate(dir, 3);
      appendFileSync(wal(dir), tail);
      const s = await openAt(dir);
      assert.deepEqual(await dumpStore(s, ['mac']), dump);
      await s.commit([{ kind: 'create', table: 'logical_switch', object: fx.network() }]);
    });
  }

  it('damage in the middle of the log refuses to open with WEIR_STORE_CORRUPT', async () => {
    const dir = newDir();
    await populate(dir, 5);
    const log = wal(dir);
    const buf = readFileSync(log);
    const second = scanFrames(buf).frames[2] ?? assert.fail();
    const at = second.offset + FRAME_HEADER_BYTES + 10;
    buf[at] = (buf[at] ?? 0) ^ 0x20; // one flipped bit in an acknowledged frame
    writeFileSync(log, buf);
    await rejectsWith(openFileStore(dir), 'WEIR_STORE_CORRUPT');
    // The failed open released the directory: the answer stays CORRUPT, not "in use".
    await rejectsWith(openFileStore(dir), 'WEIR_STORE_CORRUPT');
    assert.equal(readFileSync(log).length, buf.length, 'a corrupt log is never truncated');
  });

  it('a missing generation (snapshot removed) refuses to open', async () => {
    const dir = newDir();
    await populate(dir, 40, { maxWalBytes: 4096 });
    const logs = files(dir).filter((f) => f.startsWith('wal-'));
    assert.equal(logs.length, 1, 'rotation removed the older logs');
    const snaps = files(dir).filter((f) => f.endsWith('.snap'));
    assert.equal(snaps.length, 1);
    // Remove the snapshot: its log alone does not hold the whole state.
    rmSync(join(dir, snaps[0] ?? ''));
    await rejectsWith(openFileStore(dir), 'WEIR_STORE_CORRUPT');
  });

  it('rotation through snapshots keeps every object, claim, index, and revision', async () => {
    const dir = newDir();
    const s = await openAt(dir, { maxWalBytes: 8 * 1024 });
    const net = fx.network();
    await s.commit([{ kind: 'create', table: 'logical_switch', object: net }]);
    const ports: LogicalPort[] = [];
    for (let i = 0; i < 300; i++) {
      const port = fx.port({ networkId: net.id, securityGroups: [randomUUID()] });
      const { written } = await s.commit([
        { kind: 'create', table: 'logical_port', object: port },
        { kind: 'claim', namespace: 'mac', key: port.macAddress, owner: port.id },
      ]);
      ports.push(written[0] as LogicalPort);
      if (i % 3 === 2) {
        const victim = ports.shift() as LogicalPort;
        await s.commit([
          { kind: 'delete', table: 'logical_port', id: victim.id },
          { kind: 'release', namespace: 'mac', key: victim.macAddress, owner: victim.id },
        ]);
      }
    }
    const keys = await Promise.all(Array.from({ length: 30 }, () => s.allocateUniqueKey('logical_port')));
    const dump = await dumpStore(s, ['mac']);
    await closeAll();
    assert.ok(
      files(dir).some((f) => /^snap-\d+\.snap$/.test(f)),
      'a snapshot was written',
    );
    assert.equal(files(dir).filter((f) => f.startsWith('wal-')).length, 1);
    const again = await openAt(dir);
    assert.deepEqual(await dumpStore(again, ['mac']), dump);
    const sg = ports[0]?.securityGroups[0] ?? '';
    assert.deepEqual(
      (await again.list('logical_port', { index: { name: 'securityGroup', value: sg } })).items.map(
        (p) => p.id,
      ),
      [ports[0]?.id],
    );
    const more = await Promise.all(Array.from({ length: 30 }, () => again.allocateUniqueKey('logical_port')));
    assert.equal(new Set([...keys, ...more]).size, 60, 'no unique key twice across the restart');
  });

  it('a crash in the middle of a rotation (logs g and g+1, no snapshot g+1) loses nothing', async () => {
    const dir = newDir();
    const snapshotErrors: unknown[] = [];
    // Snapshots never make it into place: the directory keeps the state a crash between starting
    // log g+1 and renaming snapshot g+1 leaves behind, over and over.
    const { dump } = await populate(dir, 60, {
      maxWalBytes: 4096,
      faults: {
        beforeSnapshotRename: () => {
          throw new Error('crash before the rename (injected)');
        },
      },
      onSnapshotError: (e) => snapshotErrors.push(e),
    });
    assert.ok(snapshotErrors.length > 0, 'rotation was attempted');
    const logs = files(dir).filter((f) => f.startsWith('wal-'));
    assert.ok(logs.length >= 2, `several generations of logs: ${logs.join(' ')}`);
    assert.ok(!files(dir).some((f) => f.includes('snap-')), 'no snapshot in place, no temporary one left');
    writeFileSync(join(dir, 'snap-0000000099.tmp'), 'half a snapshot');
    const s = await openAt(dir);
    assert.deepEqual(await dumpStore(s, ['mac']), dump);
    assert.ok(!files(dir).includes('snap-0000000099.tmp'), 'leftover temporary snapshots are removed');
    await closeAll();

    // A torn end is a crash artefact only on the newest log; on an older one it is corruption.
    const oldest = join(dir, logs[0] ?? '');
    truncateSync(oldest, statSync(oldest).size - 3);
    await rejectsWith(openFileStore(dir), 'WEIR_STORE_CORRUPT');
  });

  it('a store that failed to open leaves no lock behind, and a stale lock is taken over', async () => {
    const dir = newDir();
    await populate(dir, 1);
    // A lock left by a process that no longer exists (pid far above pid_max).
    writeFileSync(join(dir, 'LOCK'), JSON.stringify({ pid: 2 ** 30, host: hostname() }));
    const s = await openAt(dir);
    assert.equal((await s.list('logical_port')).items.length, 1);
    await closeAll();
    assert.ok(!files(dir).includes('LOCK'), 'the lock is removed on close');
  });
});
