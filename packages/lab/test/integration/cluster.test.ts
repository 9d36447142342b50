import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { DEFAULT_LAB_BASE, LabCluster, OvsInstance, type LabHost, type LabNode } from '../../src/index.js';
import { isAlive } from '../../src/process.js';
import { leftovers, NOTHING_LEFT } from './leftovers.js';
import {
  buildOverlay,
  GENEVE_PORT,
  installOverlayFlows,
  pingOnce,
  tcpTransfer,
  txPackets,
  VXLAN_PORT,
  type OverlayHost,
} from './overlay.js';

async function daemonPids(nodes: readonly LabNode[]): Promise<number[]> {
  const pids: number[] = [];
  for (const node of nodes) {
    const vswitchd = await node.ovs.vswitchdPid();
    const server = Number(await node.ovs.exec('cat', [`${node.rundir}/ovsdb-server.pid`]).catch(() => 0));
    pids.push(...[vswitchd ?? 0, server].filter((p) => p > 0));
  }
  return pids;
}

/**
 * Every host pings every other one, all at once; returns the pairs that lost any packet. (ping
 * with a deadline sends until `count` replies came back, so a lost first packet shows up as a
 * fourth request, not as a missing reply.)
 */
async function pingMatrix(hosts: readonly OverlayHost[]): Promise<string[]> {
  const pairs = hosts.flatMap((a) => hosts.filter((b) => b !== a).map((b) => [a, b] as const));
  const results = await Promise.all(pairs.map(([a, b]) => a.host.ping(b.ip, 3, 5)));
  return pairs.flatMap(([a, b], i) => {
    const r = results[i];
    return r?.received === 3 && r.transmitted === 3
      ? []
      : [`${a.node.name} -> ${b.ip}: ${r?.received ?? 0} of ${r?.transmitted ?? 0} answered`];
  });
}

/** Pings (200 ms wait each) until a reply comes back, 5 s at most: when, and after how many. */
async function firstReply(from: LabHost, ip: string): Promise<{ at: number; pings: number }> {
  const deadline = performance.now() + 5000;
  for (let pings = 1; ; pings++) {
    if (await pingOnce(from, ip)) return { at: performance.now(), pings };
    if (performance.now() > deadline) assert.fail(`${from.netns} never reached ${ip}`);
  }
}

/** Traffic over one tunnel type: ping matrix, a full-MTU ping, TCP; counted on the tunnel ports. */
async function checkTunnel(cluster: LabCluster, hosts: readonly OverlayHost[], port: number): Promise<void> {
  const other = port === GENEVE_PORT ? VXLAN_PORT : GENEVE_PORT;
  await Promise.all(cluster.nodes.map((n) => installOverlayFlows(n, cluster.nodes, port)));
  const [h1, h2, h3] = hosts;
  assert.ok(h1 && h2 && h3);
  const before = await Promise.all([txPackets(h1.node, port), txPackets(h1.node, other)]);

  assert.deepEqual(await pingMatrix(hosts), [], 'every host reaches every other one, first packet included');
  // The largest frame the address plan allows crosses the tunnel whole (pitfall 3)…
  const size = String(h1.node.overlayMtu - 28);
  await h1.host.exec('ping', ['-n', '-q', '-c', '1', '-W', '2', '-M', 'do', '-s', size, h2.ip]);
  // …and full-size TCP segments arrive with valid checksums (pitfall 2).
  const payload = randomBytes(192 * 1024).toString('base64');
  const received = await tcpTransfer(h1.host, h3, payload);
  assert.equal(received.length, payload.length, 'TCP delivered every byte');
  assert.ok(received === payload, 'TCP delivered the same bytes');

  const after = await Promise.all([txPackets(h1.node, port), txPackets(h1.node, other)]);
  assert.ok(after[0] - before[0] >= 8, `node 1 sent through port ${port}`);
  assert.equal(after[1] - before[1], 0, `node 1 sent nothing through port ${other}`);
}

describe('LabCluster', () => {
  it('carries traffic between nodes over Geneve and VXLAN, survives an ovs-vswitchd restart, leaves nothing', async (t) => {
    const name = `lc${process.pid}`;
    const started = performance.now();
    const cluster = await LabCluster.start({ name, nodes: 3 });
    t.diagnostic(`3 nodes up in ${Math.round(performance.now() - started)} ms`);
    let pids: number[] = [];
    try {
      const [n1, n2, n3] = cluster.nodes;
      assert.ok(n1 && n2 && n3);
      assert.deepEqual(
        cluster.nodes.map((n) => [n.netns, n.tunnelIp, n.mac]),
        [1, 2, 3].map((i) => [
          `wl-${name}-n${i}`,
          `198.51.100.${10 + i}`,
          `02:00:c6:33:64:0${(10 + i).toString(16)}`,
        ]),
      );
      for (const node of cluster.nodes) {
        assert.equal(await node.ovs.vsctl(['get-controller', 'br-phy']), '', 'br-phy has no controller');
        assert.equal((await node.ovs.vsctl(['get', 'bridge', 'br-phy', 'fail_mode'])).trim(), 'standalone');
        assert.match(await node.ovs.exec('ip', ['-o', 'addr', 'show', 'br-phy']), new RegExp(node.tunnelIp));
        assert.equal((await node.ovs.exec('sysctl', ['-n', 'net.ipv4.conf.all.arp_ignore'])).trim(), '1');
        assert.deepEqual(
          [...(await node.tunnelNeighbours())].sort(),
          cluster.nodes.filter((p) => p !== node).map((p) => [p.tunnelIp, p.mac]),
          'peers seeded',
        );
      }

      const hosts = await buildOverlay(cluster);
      pids = await daemonPids(cluster.nodes);
      await checkTunnel(cluster, hosts, GENEVE_PORT);
      await checkTunnel(cluster, hosts, VXLAN_PORT);

      // ovs-vswitchd on node 2 restarts; only br-int's flows are replayed (the controller's
      // job); br-phy is left alone and must carry tunnels again by itself.
      const [h1, h2, h3] = hosts;
      assert.ok(h1 && h2 && h3);
      const phyFlows = await n2.ovs.ofctl('br-phy', 'dump-flows', [], { flags: ['--no-stats'] });
      const oldPid = await n2.ovs.vswitchdPid();
      const restartAt = performance.now();
      await n2.ovs.restartVswitchd();
      const restartedAt = performance.now();
      const newPid = await n2.ovs.vswitchdPid();
      assert.ok(oldPid !== undefined && newPid !== undefined && newPid !== oldPid);
      assert.equal(await isAlive(oldPid), false);
      pids.push(newPid);
      const intFlows = await n2.ovs.ofctl('br-int', 'dump-flows', [], { flags: ['--no-stats'] });
      assert.doesNotMatch(intFlows, /table=|priority=/, 'the restart really lost br-int flows');
      assert.equal((await n2.tunnelNeighbours()).size, 0, 'and the neighbour cache');

      const replayAt = performance.now();
      await installOverlayFlows(n2, cluster.nodes, VXLAN_PORT);
      const replayedAt = performance.now();
      // The restarted node speaks first, with an empty neighbour cache: its first packet to node 3
      // is dropped while OVS ARPs through br-phy, and the reply is snooped there.
      const out = await firstReply(h2.host, h3.ip);
      assert.deepEqual([...(await n2.tunnelNeighbours())], [[n3.tunnelIp, n3.mac]], 'learnt by ARP');
      // A peer speaks first: OVS learns the sender's tunnel endpoint from the packet itself.
      const into = await firstReply(h1.host, h2.ip);
      const ms = (from: number, to: number): string => `${Math.round(to - from)} ms`;
      t.diagnostic(
        `vswitchd restart ${ms(restartAt, restartedAt)}, br-int replay ${ms(replayAt, replayedAt)}; ` +
          `from the restarted node: first reply ${ms(replayedAt, out.at)} after the replay ` +
          `(ping #${out.pings}); towards it: ${ms(out.at, into.at)} more (ping #${into.pings})`,
      );
      // Measured from the replay (this test's own checks before it are not the switch's time).
      assert.ok(out.at - replayedAt < 2000, 'traffic back within 2 s of the flows');
      assert.ok(into.at - out.at < 2000);
      await n2.seedNeighbours();
      assert.deepEqual([...(await n2.tunnelNeighbours()).keys()].sort(), [n1.tunnelIp, n3.tunnelIp]);
      assert.deepEqual(await pingMatrix(hosts), [], 'every pair, both directions, after the restart');
      assert.equal(
        await n2.ovs.ofctl('br-phy', 'dump-flows', [], { flags: ['--no-stats'] }),
        phyFlows,
        'br-phy has exactly the flows it had: nobody programmed it',
      );
    } finally {
      if (pids.length === 0) pids = await daemonPids(cluster.nodes).catch(() => []);
      await cluster.stop();
    }
    assert.deepEqual(await leftovers(name, DEFAULT_LAB_BASE), NOTHING_LEFT);
    for (const pid of pids) assert.equal(await isAlive(pid), false, `daemon ${pid} is gone`);
    await cluster.stop(); // idempotent
  });

  it('honours another subnet and a jumbo MTU end to end', async () => {
    const name = `lj${process.pid}`;
    const cluster = await LabCluster.start({ name, nodes: 2, subnet: '192.0.2.0/24', mtu: 9000 });
    try {
      const [n1, n2] = cluster.nodes;
      assert.ok(n1 && n2);
      assert.equal(n2.tunnelIp, '192.0.2.12');
      assert.equal(n2.overlayMtu, 8950);
      assert.match(await n2.ovs.exec('ip', ['-o', 'addr', 'show', 'br-phy']), /192\.0\.2\.12\/24/);
      const [h1, h2] = await buildOverlay(cluster);
      assert.ok(h1 && h2);
      await Promise.all(cluster.nodes.map((n) => installOverlayFlows(n, cluster.nodes, GENEVE_PORT)));
      // One unfragmented 8950-byte packet per direction: a 9000-byte outer packet on the underlay.
      const size = String(n1.overlayMtu - 28);
      await h1.host.exec('ping', ['-n', '-q', '-c', '1', '-W', '2', '-M', 'do', '-s', size, h2.ip]);
      await h2.host.exec('ping', ['-n', '-q', '-c', '1', '-W', '2', '-M', 'do', '-s', size, h1.ip]);
    } finally {
      await cluster.stop();
    }
    assert.deepEqual(await leftovers(name, DEFAULT_LAB_BASE), NOTHING_LEFT);
  });

  it('a cluster that fails half-way removes what it built, and only that', async () => {
    const name = `lf${process.pid}`;
    // Node 2's instance name is taken (by a live owner: us), so node 2 fails after the underlay
    // and node 1 exist.
    const squatter = await OvsInstance.start({ name: `${name}-n2` });
    try {
      await assert.rejects(LabCluster.start({ name, nodes: 2 }), /already exists/);
      const left = await leftovers(name, DEFAULT_LAB_BASE);
      assert.deepEqual(left.namespaces, [squatter.netns]);
      assert.deepEqual(left.directories, [squatter.name]);
      assert.match(await squatter.appctl(['version']), /Open vSwitch/, 'the other instance still runs');
    } finally {
      await squatter.stop();
    }
    assert.deepEqual(await leftovers(name, DEFAULT_LAB_BASE), NOTHING_LEFT);
  });
});
