// Tracing through a small L2 pipeline shaped like a controller's (l2-pipeline.ts): unicast,
// flooding through a group, the ARP responder, the tunnel, drops, and counters.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sendBundle } from '@weir/openflow';
import type { FakeSwitch } from '../../src/fake-switch/index.js';
import { formatTrace, makePacket, type TraceResult } from '../../src/fake-switch/index.js';
import { connected, flowStats, flows, groupMod } from './helpers.js';
import { FLOOD, GW_MAC, PIPELINE, REMOTE, TUNNEL_PORT, VM1, VM2 } from './l2-pipeline.js';

async function pipeline(): Promise<FakeSwitch> {
  const { sw, conn } = await connected();
  sw.addPort(TUNNEL_PORT, 'tun0');
  await sendBundle(conn, [groupMod('add', FLOOD), ...flows(PIPELINE)]);
  return sw;
}

const path = (t: TraceResult): string[] =>
  t.path.map((s) => (s.miss ? `${s.tableId}:miss` : `${s.tableId}:0x${s.cookie.toString(16)}`));

describe('fake switch: tracing an L2 pipeline', () => {
  it('forwards unicast between two ports through every table, with registers and cookies on the path', async () => {
    const sw = await pipeline();
    const t = sw.trace(
      makePacket({
        kind: 'ip',
        in_port: 1,
        eth_src: VM1,
        eth_dst: VM2,
        ip_src: '10.0.0.5',
        ip_dst: '10.0.0.6',
      }),
    );
    assert.deepEqual(path(t), ['0:0x100', '10:0x211', '20:0x300', '30:0x412', '40:0x512'], formatTrace(t));
    assert.deepEqual(
      t.outputs.map((o) => [o.port, o.tableId, o.cookie]),
      [[2, 40, 0x512n]],
    );
    const out = t.outputs[0]?.packet;
    assert.equal(out?.reg4, 5);
    assert.equal(out?.reg6, 0x11);
    assert.equal(out?.reg7, 0x12);
    assert.equal(out?.ip_dst, '10.0.0.6');
    assert.equal(t.dropped, false);
    assert.deepEqual(t.drops, []);
  });

  it('floods through a group of type all: buckets set a register and resubmit; output to in_port is suppressed', async () => {
    const sw = await pipeline();
    const t = sw.trace(
      makePacket({
        kind: 'arp',
        in_port: 1,
        eth_src: VM1,
        eth_dst: 'ff:ff:ff:ff:ff:ff',
        arp_spa: '10.0.0.5',
        arp_tpa: '10.0.0.9',
      }),
    );
    assert.deepEqual(
      t.outputs.map((o) => [o.port, o.packet.reg7]),
      [
        [2, 0x12],
        [100, 0x99],
      ],
      formatTrace(t),
    );
    assert.deepEqual(t.drops, [{ tableId: 40, cookie: 0x511n, reason: 'in_port', port: 1 }]);
    // Each bucket worked on a copy: the original packet never got reg7.
    assert.equal(t.packet.reg7, undefined);
    const tunnel = t.outputs[1]?.packet;
    assert.equal(tunnel?.tun_dst, '192.168.0.2');
    assert.equal(tunnel?.tun_id, 0x64n);
    // The resubmits from the bucket appear one level deeper than the group's table.
    assert.deepEqual(
      t.path.filter((s) => s.via === 'resubmit').map((s) => [s.tableId, s.depth]),
      [
        [40, 5],
        [40, 5],
        [40, 5],
      ],
    );
  });

  it('answers ARP for the gateway: moves and set_fields build the reply, sent back out IN_PORT', async () => {
    const sw = await pipeline();
    const t = sw.trace(
      makePacket({
        kind: 'arp',
        in_port: 1,
        eth_src: VM1,
        eth_dst: 'ff:ff:ff:ff:ff:ff',
        arp_spa: '10.0.0.5',
        arp_tpa: '10.0.0.1',
      }),
    );
    assert.equal(t.outputs.length, 1, formatTrace(t));
    const reply = t.outputs[0];
    assert.equal(reply?.port, 1);
    assert.equal(reply?.cookie, 0x301n);
    assert.deepEqual(
      {
        eth_src: reply?.packet.eth_src,
        eth_dst: reply?.packet.eth_dst,
        arp_op: reply?.packet.arp_op,
        arp_sha: reply?.packet.arp_sha,
        arp_spa: reply?.packet.arp_spa,
        arp_tha: reply?.packet.arp_tha,
        arp_tpa: reply?.packet.arp_tpa,
      },
      {
        eth_src: GW_MAC,
        eth_dst: VM1,
        arp_op: 2,
        arp_sha: GW_MAC,
        arp_spa: '10.0.0.1',
        arp_tha: VM1,
        arp_tpa: '10.0.0.5',
      },
    );
  });

  it('sends to a remote port through the tunnel with tun_dst and tun_id set, and accepts traffic from it', async () => {
    const sw = await pipeline();
    const out = sw.trace(makePacket({ kind: 'udp', in_port: 1, eth_src: VM1, eth_dst: REMOTE, udp_dst: 53 }));
    assert.deepEqual(
      out.outputs.map((o) => [o.port, o.packet.tun_dst, o.packet.tun_id]),
      [[100, '192.168.0.2', 0x64n]],
    );
    const back = sw.trace(
      makePacket({
        kind: 'udp',
        in_port: 100,
        tun_id: 0x64n,
        tun_src: '192.168.0.2',
        eth_src: REMOTE,
        eth_dst: VM2,
      }),
    );
    assert.deepEqual(path(back), ['0:0x100', '10:0x200', '20:0x300', '30:0x412', '40:0x512']);
    assert.equal(back.outputs[0]?.port, 2);
    assert.equal(back.outputs[0]?.packet.reg0, 1, 'the from-tunnel mark');
  });

  it('reports drops with the table where the packet stopped', async () => {
    const sw = await pipeline();
    const spoofed = sw.trace(makePacket({ kind: 'ip', in_port: 1, eth_src: VM2, eth_dst: VM1 }));
    assert.equal(spoofed.dropped, true);
    assert.deepEqual(spoofed.drops, [{ tableId: 10, cookie: 0x200n, reason: 'no_output' }]);
    const unknown = sw.trace(
      makePacket({ kind: 'ip', in_port: 2, eth_src: VM2, eth_dst: 'fa:16:3e:00:00:77' }),
    );
    assert.deepEqual(unknown.drops, [{ tableId: 30, cookie: undefined, reason: 'no_match' }]);
    assert.equal(path(unknown).at(-1), '30:miss');
    const stranger = sw.trace(makePacket({ in_port: 3, eth_src: VM1, eth_dst: VM2 }));
    assert.deepEqual(stranger.drops, [{ tableId: 0, cookie: 0x100n, reason: 'no_output' }]);
  });

  it('counts traced packets on the flows they hit, as flow stats show', async () => {
    const { sw, conn } = await connected();
    await sendBundle(
      conn,
      flows('table=0,cookie=0x1,in_port=1,actions=output:2\ntable=0,cookie=0x2,priority=0,actions=drop'),
    );
    const p = makePacket({ in_port: 1, eth_src: VM1, eth_dst: VM2 });
    sw.trace(p); // like ofproto/trace: not counted
    sw.trace(p, { count: true, bytes: 60 });
    sw.trace(p, { count: true, bytes: 60 });
    const stats = await flowStats(conn);
    assert.deepEqual(
      stats.map((f) => [f.cookie, f.packetCount, f.byteCount]),
      [
        [0x1n, 2n, 120n],
        [0x2n, 0n, 0n],
      ],
    );
  });
});
