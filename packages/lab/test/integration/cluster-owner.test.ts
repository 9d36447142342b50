// A cluster outlives its owner only until the next clean-up layer: the exit hook when the owner
// dies of a signal, the sweep when it was SIGKILLed (no hook can run).
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sweepStaleOvsInstances } from '../../src/index.js';
import { isAlive } from '../../src/process.js';
import { LAB, startChild, type Child } from './child.js';
import { leftovers, NOTHING_LEFT, type Leftovers } from './leftovers.js';

interface Report {
  readonly pids: number[];
}

/** A child process that starts a 1-node cluster, reports its daemons' PIDs, and waits. */
function owner(name: string, base: string): Promise<Child<Report>> {
  return startChild<Report>(`
    import { readFileSync } from 'node:fs';
    import { LabCluster } from ${LAB};
    const cluster = await LabCluster.start({ name: ${JSON.stringify(name)}, nodes: 1, baseDir: ${JSON.stringify(base)} });
    const r = cluster.node(1).rundir;
    const pids = ['ovs-vswitchd', 'ovsdb-server'].map((d) => Number(readFileSync(r + '/' + d + '.pid', 'utf8')));
    console.log(JSON.stringify({ pids }));
    setInterval(() => {}, 1000);
  `);
}

async function waitForNothingLeft(name: string, base: string, pids: number[]): Promise<Leftovers> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const left = await leftovers(name, base);
    const alive = (await Promise.all(pids.map(isAlive))).some(Boolean);
    if ((!alive && JSON.stringify(left) === JSON.stringify(NOTHING_LEFT)) || Date.now() > deadline)
      return left;
    await sleep(50);
  }
}

describe('LabCluster owner death', () => {
  it('the exit hook removes the cluster of an owner killed by SIGTERM; the sweep reaps a SIGKILLed one', async () => {
    const base = `/tmp/weir-lab-cluster-owner-${process.pid}`;
    const name = `lk${process.pid}`;
    const children: Child<Report>[] = [];
    try {
      const a = await owner(name, base);
      children.push(a);
      assert.equal((await leftovers(name, base)).namespaces.length, 2, 'underlay and node exist');
      a.child.kill('SIGTERM');
      assert.deepEqual(await waitForNothingLeft(name, base, a.report.pids), NOTHING_LEFT);
      for (const pid of a.report.pids) assert.equal(await isAlive(pid), false);

      const b = await owner(name, base);
      children.push(b);
      b.child.kill('SIGKILL');
      await b.exited;
      // No hook ran: everything is still there, daemons running.
      const orphaned = await leftovers(name, base);
      assert.deepEqual(orphaned.namespaces.sort(), [`wl-${name}-n1`, `wl-${name}-ul`]);
      assert.deepEqual(orphaned.directories.sort(), [`${name}-n1`, `${name}-ul`]);
      for (const pid of b.report.pids) assert.ok(await isAlive(pid), `daemon ${pid} outlived its owner`);

      assert.equal(await sweepStaleOvsInstances(base), 2, 'the node and the underlay');
      assert.deepEqual(await leftovers(name, base), NOTHING_LEFT);
      for (const pid of b.report.pids) assert.equal(await isAlive(pid), false);
    } finally {
      // A failed assertion may leave an owner running; the sweep only reaps dead owners' labs.
      for (const c of children)
        if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
      await Promise.all(children.map((c) => c.exited));
      await sweepStaleOvsInstances(base);
      await rm(base, { recursive: true, force: true });
    }
  });
});
