// Snapshots: the whole state at one revision, in frames (framing.ts):
//
//   {"snapshot":1,"gen":G,"revision":R,"uniqueKeys":[[table,reserved],…]}
//   {"o":[[table,object]|[table,object,lease],…]}   objects, up to CHUNK per frame
//   {"c":[[namespace,key,owner],…]}                 claims, up to CHUNK per frame
//   {"end":{"objects":N,"claims":M}}                the count proves the file is whole
//
// Capturing is synchronous and cheap (stored objects are immutable, so it copies references); the
// writing is asynchronous, chunk by chunk, while commits go on.
import { open, readFile, rename, rm } from 'node:fs/promises';
import { WeirError, isTableName, type ModelObject, type TableName } from '@weir/model';
import type { PutRecord } from '../memory/journal.js';
import type { StoreState } from '../memory/state.js';
import { encodeJsonFrame, scanFrames } from './framing.js';
import { syncDir, writeFully } from './io.js';
import { snapshotPath, snapshotTempPath } from './paths.js';

const CHUNK = 1000;

export interface SnapshotData {
  readonly revision: number;
  readonly uniqueKeys: readonly (readonly [TableName, number])[];
  readonly objects: readonly PutRecord[];
  readonly claims: readonly (readonly [string, string, string])[];
}

export function captureState(state: StoreState): SnapshotData {
  const objects: PutRecord[] = [];
  for (const [table, t] of state.tables) {
    for (const entry of t.byId.values()) {
      objects.push(entry.lease === undefined ? [table, entry.object] : [table, entry.object, entry.lease]);
    }
  }
  const claims: [string, string, string][] = [];
  for (const [namespace, keys] of state.claims)
    for (const [key, owner] of keys) claims.push([namespace, key, owner]);
  return { revision: state.revision, uniqueKeys: [...state.uniqueKeyReserved], objects, claims };
}

/**
 * Writes snapshot `gen` durably: to a temporary file, synced, then (after `beforeRename`, which waits
 * until everything the snapshot contains is durable in the log) renamed into place, directory synced.
 */
export async function writeSnapshot(
  dir: string,
  gen: number,
  data: SnapshotData,
  beforeRename: () => Promise<void> = () => Promise.resolve(),
): Promise<void> {
  const temp = snapshotTempPath(dir, gen);
  const fh = await open(temp, 'w');
  let position = 0;
  const put = async (value: unknown): Promise<void> => {
    const frame = encodeJsonFrame(value);
    await writeFully(fh, frame, position);
    position += frame.length;
  };
  try {
    await put({ snapshot: 1, gen, revision: data.revision, uniqueKeys: data.uniqueKeys });
    for (let i = 0; i < data.objects.length; i += CHUNK) await put({ o: data.objects.slice(i, i + CHUNK) });
    for (let i = 0; i < data.claims.length; i += CHUNK) await put({ c: data.claims.slice(i, i + CHUNK) });
    await put({ end: { objects: data.objects.length, claims: data.claims.length } });
    await fh.datasync();
  } catch (error) {
    await fh.close();
    await rm(temp, { force: true });
    throw error;
  }
  await fh.close();
  try {
    await beforeRename();
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await rename(temp, snapshotPath(dir, gen));
  await syncDir(dir);
}

function corrupt(path: string, why: string): WeirError {
  return new WeirError(
    'WEIR_STORE_CORRUPT',
    `snapshot ${path} is damaged (${why}); the store cannot be opened`,
  );
}

interface SnapshotFrame {
  snapshot?: number;
  gen?: number;
  revision?: number;
  uniqueKeys?: [TableName, number][];
  o?: PutRecord[];
  c?: [string, string, string][];
  end?: { objects: number; claims: number };
}

/** Reads snapshot `gen`. Any damage is corruption: a snapshot is renamed into place only when whole. */
export async function readSnapshot(dir: string, gen: number): Promise<SnapshotData> {
  const path = snapshotPath(dir, gen);
  const scan = scanFrames(await readFile(path));
  if (scan.tail !== 'clean') throw corrupt(path, `bad frame at byte ${scan.end}`);
  const objects: PutRecord[] = [];
  const claims: [string, string, string][] = [];
  let header: SnapshotFrame | undefined;
  let end: SnapshotFrame['end'];
  for (const frame of scan.frames) {
    let value: SnapshotFrame;
    try {
      value = JSON.parse(frame.payload.toString('utf8')) as SnapshotFrame;
    } catch {
      throw corrupt(path, `unreadable frame at byte ${frame.offset}`);
    }
    if (end) throw corrupt(path, 'data after the end frame');
    if (!header) {
      if (value.snapshot !== 1 || value.gen !== gen || !Number.isSafeInteger(value.revision))
        throw corrupt(path, 'bad header');
      header = value;
    } else if (value.o) {
      for (const record of value.o) objects.push(record);
    } else if (value.c) {
      for (const claim of value.c) claims.push(claim);
    } else if (value.end) {
      end = value.end;
    } else {
      throw corrupt(path, `unknown frame at byte ${frame.offset}`);
    }
  }
  if (!header || !end) throw corrupt(path, 'incomplete');
  if (end.objects !== objects.length || end.claims !== claims.length)
    throw corrupt(path, 'counts do not match');
  for (const [table, object] of objects) {
    if (!isTableName(table) || typeof (object as Partial<ModelObject>).id !== 'string')
      throw corrupt(path, 'bad object record');
  }
  return {
    revision: header.revision as number,
    uniqueKeys: header.uniqueKeys ?? [],
    objects,
    claims,
  };
}
