// The error catalogue is API: the README documents every code with the same meaning, and the
// sources use no code outside it (the habit of fastify's test/internals/errors.test.js).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  PACKET_ERROR_CODES,
  PacketAddressError,
  PacketDecodeError,
  PacketEncodeError,
  PacketError,
  parseIpv6,
} from '../src/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('error catalogue', () => {
  it('is documented in the README, code for code and word for word', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const documented = new Map(
      [...readme.matchAll(/^\| `(PACKET_[A-Z_]+)` *\| (.+?) *\|$/gm)].map((m) => [m[1] ?? '', m[2] ?? '']),
    );
    assert.deepEqual(documented, new Map(Object.entries(PACKET_ERROR_CODES)));
  });

  it('covers every code the sources use, and every code is used', () => {
    const used = new Set<string>();
    for (const file of sources(join(root, 'src'))) {
      if (file.endsWith('errors.ts')) continue;
      for (const match of readFileSync(file, 'utf8').matchAll(/'(PACKET_[A-Z_]+)'/g))
        used.add(match[1] ?? '');
    }
    used.add('PACKET_INVALID_ADDRESS'); // set by PacketAddressError itself
    assert.deepEqual([...used].sort(), Object.keys(PACKET_ERROR_CODES).sort());
  });

  it('gives every error a class, a code, a name and a readable message', () => {
    const decode = new PacketDecodeError('PACKET_TRUNCATED', 'udp', 14, 'UDP header needs 8 bytes, 3 left');
    assert.ok(decode instanceof PacketError && decode instanceof Error);
    assert.equal(decode.name, 'PacketDecodeError');
    assert.equal(decode.message, 'udp at byte 14: UDP header needs 8 bytes, 3 left');
    const encode = new PacketEncodeError(
      'PACKET_FIELD_RANGE',
      'ipv4',
      'ttl must be an integer in [0, 255], got 300',
    );
    assert.ok(encode instanceof PacketError);
    assert.equal(encode.name, 'PacketEncodeError');
    assert.throws(
      () => parseIpv6('nope'),
      (e: unknown) =>
        e instanceof PacketAddressError &&
        e.code === 'PACKET_INVALID_ADDRESS' &&
        e.kind === 'ipv6' &&
        e.text === 'nope',
    );
  });
});
