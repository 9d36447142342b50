// Size and speed sanity for the benchmark's use (50+ fakes of 20,000 flows in one process):
// one 20,000-flow bundle over the wire, the same flows applied directly, a flow dump of all of
// them, a sweep by cookie mask, and what a flow costs in memory. Bounds are generous (CI
// machines are shared); CPU time is measured rather than wall time where it matters.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { flowMod, sendBundle, type FlowMod } from '@weir/openflow';
import { FakeSwitch } from '../../src/fake-switch/index.js';
import { connect, flowStats } from './helpers.js';

const N = 20_000;

/** Flows shaped like an L2 app's: network key + MAC → port key, in five tables. */
function l2Flows(n: number, generation: bigint): FlowMod[] {
  return Array.from({ length: n }, (_, i) =>
    flowMod({
      tableId: 10 + (i % 5),
      priority: 2000,
      cookie: (generation << 48n) | BigInt(i),
      match: [
        { field: 'reg4', value: i % 100 },
        {
          field: 'eth_dst',
          value: `fa:16:3e:${[i >> 16, i >> 8, i].map((b) => (b & 0xff).toString(16).padStart(2, '0')).join(':')}`,
        },
      ],
      instructions: [
        { type: 'apply_actions', actions: [{ type: 'set_field', field: 'reg7', value: i }] },
        { type: 'goto_table', tableId: 20 },
      ],
    }),
  );
}

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function collectGarbage(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

describe('fake switch: scale', () => {
  it(`applies ${N.toLocaleString('en')} flow-mods sent in one bundle, dumps them, and sweeps them by cookie`, async () => {
    const sw = new FakeSwitch();
    const conn = await connect(sw);
    const t0 = performance.now();
    await sendBundle(conn, l2Flows(N, 1n));
    const installMs = performance.now() - t0;
    assert.equal(sw.flowCount, N);
    assert.equal(sw.counters.flowMods, N);
    assert.ok(installMs < 5000, `20k-flow bundle took ${installMs.toFixed(0)} ms`);
    const dumped = await flowStats(conn, { tableId: 12 });
    assert.equal(dumped.length, N / 5);
    await sendBundle(conn, [flowMod({ command: 'delete', cookie: 1n << 48n, cookieMask: 0xffffn << 48n })]);
    assert.equal(sw.flowCount, 0);
    console.log(`# ${N} flows in one bundle over the wire: ${installMs.toFixed(0)} ms`);
  });

  it('costs well under a second of CPU and under 1.5 KB of heap per flow once applied', async () => {
    const gc = collectGarbage();
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const batch = l2Flows(N, 2n);
    const sw = new FakeSwitch();
    const c0 = cpuMs();
    sw.apply(batch);
    const applyCpu = cpuMs() - c0;
    assert.equal(sw.flowCount, N);
    // Re-applying identical flows replaces them in place.
    sw.apply(batch);
    assert.equal(sw.flowCount, N);
    batch.length = 0; // what the switch keeps is all that remains
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    const perFlow = (process.memoryUsage().heapUsed - heapBefore) / N;
    console.log(
      `# apply of ${N} flows: ${applyCpu.toFixed(0)} ms CPU; ${perFlow.toFixed(0)} bytes of heap per flow`,
    );
    assert.ok(applyCpu < 1000, `apply took ${applyCpu.toFixed(0)} ms of CPU`);
    assert.ok(perFlow < 1500, `${perFlow.toFixed(0)} bytes per flow`);
    assert.equal(sw.flowCount, N, 'keep the switch alive until measured');
  });
});
