import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { OvsInstance, run, sweepStaleOvsInstances } from '../../src/index.js';
import { isAlive } from '../../src/process.js';

async function netnsExists(name: string): Promise<boolean> {
  const out = await run('ip', ['netns', 'list']);
  return out.split('\n').some((line) => line.split(' ')[0] === name);
}

describe('OvsInstance', () => {
  it('starts an isolated OVS with a netdev bridge and removes every trace on stop', async () => {
    const ovs = await OvsInstance.start({ name: `lt${process.pid}` });
    try {
      assert.ok(await netnsExists(ovs.netns));
      await ovs.addBridge('br-test', { datapathId: '00000000000000aa' });
      assert.equal((await ovs.vsctl(['get', 'bridge', 'br-test', 'datapath_type'])).trim(), 'netdev');
      assert.equal((await ovs.vsctl(['get', 'bridge', 'br-test', 'fail_mode'])).trim(), 'secure');
      // The bridge's OpenFlow management socket answers, and it speaks only OpenFlow 1.3.
      const features = await ovs.ofctl('br-test', 'show');
      assert.match(features, /dpid:00000000000000aa/);
      // ovs-vswitchd runs inside the instance's namespace: the bridge's tap is there, not in ours.
      const links = await ovs.exec('ip', ['-o', 'link', 'show']);
      assert.match(links, /br-test/);
      const rootLinks = await run('ip', ['-o', 'link', 'show']);
      assert.doesNotMatch(rootLinks, /br-test/);
    } finally {
      await ovs.stop();
    }
    assert.equal(await netnsExists(ovs.netns), false);
    assert.equal(existsSync(ovs.rundir), false);
  });

  it('reaps an instance left behind by a dead owner', async () => {
    const base = `/tmp/weir-lab-sweep-${process.pid}`;
    const ovs = await OvsInstance.start({ name: `ls${process.pid}`, baseDir: base });
    const pid = Number((await run('cat', [join(ovs.rundir, 'ovs-vswitchd.pid')])).trim());
    assert.ok(await isAlive(pid));
    // Pretend the owner died: point ownership at a PID that cannot exist.
    await writeFile(join(ovs.rundir, 'owner'), '2147483646\n');
    await mkdir(base, { recursive: true });
    assert.equal(await sweepStaleOvsInstances(base), 1);
    assert.equal(await isAlive(pid), false);
    assert.equal(await netnsExists(ovs.netns), false);
    assert.equal(existsSync(ovs.rundir), false);
    await ovs.stop(); // idempotent
    await run('rm', ['-rf', base]);
  });
});
