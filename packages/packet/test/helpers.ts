// Shared test helpers: fixture loading, hex, and "the decoded value contains what was encoded".
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PacketDecodeError } from '../src/index.js';

const FIXTURES = new URL('./fixtures/', import.meta.url);

export function fromHex(hex: string): Uint8Array {
  const clean = hex.replace(/\s+/g, '');
  return new Uint8Array(Buffer.from(clean, 'hex'));
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Reads a fixture file of '# comment' and 'name hex' lines into a map. */
export function loadHexFixtures(file: string): Map<string, Uint8Array> {
  const frames = new Map<string, Uint8Array>();
  for (const line of readFileSync(new URL(file, FIXTURES), 'utf8').split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const [name, hex] = line.trim().split(/\s+/);
    if (name === undefined || hex === undefined) throw new Error(`bad fixture line: ${line}`);
    frames.set(name, fromHex(hex));
  }
  return frames;
}

export function fixture(frames: Map<string, Uint8Array>, name: string): Uint8Array {
  const bytes = frames.get(name);
  if (!bytes) throw new Error(`no fixture named ${name}`);
  return bytes;
}

/**
 * Asserts that every property of `expected` is deep-equal in `actual` (recursively for plain
 * objects and arrays); properties only in `actual` (computed lengths, checksums) are ignored.
 */
export function assertContains(actual: unknown, expected: unknown, path = '$'): void {
  if (expected instanceof Uint8Array) {
    assert.ok(actual instanceof Uint8Array, `${path}: expected bytes`);
    assert.equal(toHex(actual), toHex(expected), path);
    return;
  }
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${path}: expected an array`);
    assert.equal(actual.length, expected.length, `${path}.length`);
    expected.forEach((e, i) => assertContains((actual as unknown[])[i], e, `${path}[${i}]`));
    return;
  }
  if (expected !== null && typeof expected === 'object') {
    assert.ok(actual !== null && typeof actual === 'object', `${path}: expected an object`);
    for (const [key, value] of Object.entries(expected)) {
      if (value === undefined) continue;
      assertContains((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
    }
    return;
  }
  assert.equal(actual, expected, path);
}

/** Runs `f`; passes if it returns or throws a PacketDecodeError, fails on anything else. */
export function decodesOrThrowsTyped(f: () => unknown, label: string): PacketDecodeError | undefined {
  try {
    f();
    return undefined;
  } catch (error) {
    if (error instanceof PacketDecodeError) return error;
    throw new Error(`${label}: threw ${String(error)} instead of PacketDecodeError`, { cause: error });
  }
}

/** Asserts that `f` throws a PacketDecodeError with `code` (and `layer`, if given). */
export function assertDecodeError(f: () => unknown, code: string, layer?: string): PacketDecodeError {
  let caught: unknown;
  try {
    f();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof PacketDecodeError, `expected PacketDecodeError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  if (layer !== undefined) assert.equal(caught.layer, layer, caught.message);
  return caught;
}
