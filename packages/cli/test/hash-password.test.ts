// `weir hash-password`: the real command, password on stdin, hash on stdout, checked with the
// server's own verification.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { verifyPassword } from '@weir/api';

const WEIR = new URL('../bin/weir.mjs', import.meta.url).pathname;

function run(input: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [WEIR, 'hash-password'],
      { timeout: 30_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      },
    );
    child.stdin?.end(input);
  });
}

describe('weir hash-password', () => {
  it('prints a scrypt hash of the password read from stdin (one trailing newline dropped)', async () => {
    const [a, b] = await Promise.all([run('s3cret pass\n'), run('')]);
    assert.equal(a.code, 0, a.stderr);
    const hash = a.stdout.trim();
    assert.match(hash, /^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    assert.ok(await verifyPassword('s3cret pass', hash));
    assert.ok(!(await verifyPassword('s3cret pass\n', hash)));
    assert.equal(b.code, 2);
    assert.match(b.stderr, /the password is empty/);
  });
});
