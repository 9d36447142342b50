import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { EtcdInstance, run, sweepStaleEtcdInstances } from '../../src/index.js';
import { isAlive } from '../../src/process.js';

async function health(endpoint: string): Promise<boolean> {
  try {
    const r = await fetch(`${endpoint}/health`, { signal: AbortSignal.timeout(1000) });
    return ((await r.json()) as { health?: string }).health === 'true';
  } catch {
    return false;
  }
}

/** Writes a key through etcd's JSON gateway (base64 key and value), returning the revision. */
async function put(endpoint: string, key: string, value: string): Promise<number> {
  const body = { key: Buffer.from(key).toString('base64'), value: Buffer.from(value).toString('base64') };
  const r = await fetch(`${endpoint}/v3/kv/put`, { method: 'POST', body: JSON.stringify(body) });
  return Number(((await r.json()) as { header: { revision: string } }).header.revision);
}

async function get(endpoint: string, key: string): Promise<string | undefined> {
  const body = { key: Buffer.from(key).toString('base64') };
  const r = await fetch(`${endpoint}/v3/kv/range`, { method: 'POST', body: JSON.stringify(body) });
  const kvs = ((await r.json()) as { kvs?: { value: string }[] }).kvs;
  return kvs?.[0] ? Buffer.from(kvs[0].value, 'base64').toString() : undefined;
}

describe('EtcdInstance', () => {
  it('starts a private etcd with our limits, keeps data across restart and kill, removes all on stop', async () => {
    const etcd = await EtcdInstance.start({ name: `t${process.pid}` });
    let pid: number | undefined;
    try {
      assert.ok(await health(etcd.endpoint));
      pid = await etcd.pid();
      assert.ok(pid !== undefined);
      const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
      for (const flag of ['--max-txn-ops', '--max-request-bytes', '--quota-backend-bytes']) {
        assert.ok(cmdline.includes(flag), flag);
      }
      assert.equal(cmdline[cmdline.indexOf('--max-txn-ops') + 1], '10000');
      assert.equal((await readFile(join(etcd.dir, 'owner'), 'utf8')).trim(), String(process.pid));
      await put(etcd.endpoint, 'k', 'v1');

      const port = etcd.clientPort;
      await etcd.restart();
      assert.equal(etcd.clientPort, port);
      assert.equal(await isAlive(pid), false, 'the old process is gone');
      assert.equal(await get(etcd.endpoint, 'k'), 'v1', 'data survives a restart');

      const pid2 = await etcd.pid();
      await etcd.kill();
      assert.equal(await isAlive(pid2 ?? 0), false);
      assert.equal(await health(etcd.endpoint), false);
      assert.ok(existsSync(etcd.dataDir), 'kill() leaves the data');
      await etcd.resume();
      assert.equal(await get(etcd.endpoint, 'k'), 'v1', 'data survives a crash');
      pid = await etcd.pid();
    } finally {
      await etcd.stop();
    }
    assert.equal(existsSync(etcd.dir), false);
    assert.equal(await isAlive(pid ?? 0), false);
    await etcd.stop(); // idempotent
  });

  it('two instances get distinct ports', async () => {
    const [a, b] = await Promise.all([EtcdInstance.start(), EtcdInstance.start()]);
    try {
      assert.notEqual(a.clientPort, b.clientPort);
      await put(a.endpoint, 'only-in-a', 'x');
      assert.equal(await get(b.endpoint, 'only-in-a'), undefined);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('reaps an instance left behind by a dead owner', async () => {
    const base = `/tmp/weir-lab-etcd-sweep-${process.pid}`;
    const etcd = await EtcdInstance.start({ name: 'sweep', baseDir: base });
    const pid = await etcd.pid();
    assert.ok(pid !== undefined && (await isAlive(pid)));
    await writeFile(join(etcd.dir, 'owner'), '2147483646\n'); // an owner that cannot exist
    assert.equal(await sweepStaleEtcdInstances(base), 1);
    assert.equal(await isAlive(pid), false);
    assert.equal(existsSync(etcd.dir), false);
    await etcd.stop();
    await run('rm', ['-rf', base]);
  });

  it('cleans up when the owning process dies of a signal, and the next sweep reaps a SIGKILLed owner', async () => {
    const base = `/tmp/weir-lab-etcd-owner-${process.pid}`;
    // A child process starts an etcd and reports its directory; we then kill the child.
    const script = `
      import { EtcdInstance } from './packages/lab/src/index.ts';
      const etcd = await EtcdInstance.start({ baseDir: ${JSON.stringify(base)} });
      console.log(JSON.stringify({ dir: etcd.dir, pid: await etcd.pid() }));
      setInterval(() => {}, 1000);
    `;
    const started = async (): Promise<{ child: ReturnType<typeof spawn>; dir: string; pid: number }> => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        cwd: new URL('../../../../', import.meta.url).pathname,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
        out += chunk.toString();
        if (out.includes('\n')) break;
      }
      const info = JSON.parse(out) as { dir: string; pid: number };
      return { child, ...info };
    };
    try {
      const a = await started();
      a.child.kill('SIGTERM'); // the exit hook stops etcd and removes the directory
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline && ((await isAlive(a.pid)) || existsSync(a.dir))) await sleep(50);
      assert.equal(await isAlive(a.pid), false);
      assert.equal(existsSync(a.dir), false);

      const b = await started();
      b.child.kill('SIGKILL'); // no hook runs: etcd is orphaned until the next sweep
      await new Promise((resolve) => b.child.once('exit', resolve));
      assert.ok(await isAlive(b.pid));
      assert.equal(await sweepStaleEtcdInstances(base), 1);
      assert.equal(await isAlive(b.pid), false);
      assert.equal(existsSync(b.dir), false);

      // Someone else (the OVS sweep, which shares the base directory) removed the directory of
      // an orphaned etcd: the sweep still finds it by its command line (data dir + dead owner).
      const c = await started();
      c.child.kill('SIGKILL');
      await new Promise((resolve) => c.child.once('exit', resolve));
      await run('rm', ['-rf', c.dir]);
      assert.ok(await isAlive(c.pid));
      assert.equal(await sweepStaleEtcdInstances(base), 1);
      assert.equal(await isAlive(c.pid), false);
    } finally {
      await sweepStaleEtcdInstances(base);
      await run('rm', ['-rf', base]);
    }
  });
});
