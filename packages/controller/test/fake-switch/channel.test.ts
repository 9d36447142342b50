// The fake switch as a controller sees it through @weir/openflow's OpenFlowConnection: the
// handshake, replies and errors as ovs-vswitchd sends them, bundles through sendBundle,
// multipart replies cut into parts, port status, roles, reconnects and restarts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OFPP, SwitchError, errorName, sendBundle, type Envelope, type PortDesc } from '@weir/openflow';
import { FakeSwitch } from '../../src/fake-switch/index.js';
import { connect, connected, exchange, flowStats, flows, groupMod } from './helpers.js';

const PIPELINE = `
table=0,priority=100,in_port=1,actions=load:0x5->NXM_NX_REG6[],goto_table:10
table=0,priority=0,actions=drop
table=10,priority=10,reg6=0x5,actions=group:7
table=20,cookie=0xabc,priority=100,arp,arp_op=1,arp_tpa=10.0.0.1,actions=move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],IN_PORT
`;

function nextMessage(conn: Awaited<ReturnType<typeof connected>>['conn'], type: string): Promise<Envelope> {
  return new Promise((resolve) => {
    const on = (env: Envelope): void => {
      if (env.message.type !== type) return;
      conn.off('message', on);
      resolve(env);
    };
    conn.on('message', on);
  });
}

describe('fake switch: the OpenFlow channel', () => {
  it('completes the OpenFlow 1.3 handshake with the configured datapath id and 254 tables', async () => {
    const { sw, conn } = await connected({ datapathId: 0xc1n });
    assert.equal(conn.datapathId, 0xc1n);
    assert.equal(conn.features.nTables, 254);
    assert.equal(sw.connections, 1);
    await conn.barrier();
    const echo = await conn.request({ type: 'echo_request', data: Buffer.from('ping') });
    assert.ok(echo.message.type === 'echo_reply' && echo.message.data.toString() === 'ping');
  });

  it('installs a bundle from sendBundle and reads it back through flow stats and group desc', async () => {
    const { sw, conn } = await connected();
    const group = groupMod('add', 'group_id=7,type=all,bucket=actions=output:2,bucket=actions=output:3');
    await sendBundle(conn, [group, ...flows(PIPELINE)]);
    assert.equal(sw.flowCount, 4);
    assert.equal(sw.groupCount, 1);
    assert.deepEqual(sw.counters, { flowMods: 4, groupMods: 1, bundlesCommitted: 1, bundlesFailed: 0 });
    const stats = await flowStats(conn);
    assert.equal(stats.length, 4);
    const arp = stats.find((f) => f.cookie === 0xabcn);
    assert.equal(arp?.tableId, 20);
    assert.equal(arp?.priority, 100);
    assert.equal(arp?.packetCount, 0n);
    const parts = await conn.multipart({ kind: 'group_desc' });
    const groups = parts.flatMap((p) => (p.kind === 'group_desc' ? p.groups : []));
    assert.deepEqual(
      groups.map((g) => [g.groupId, g.groupType, g.buckets.length]),
      [[7, 'all', 2]],
    );
    assert.deepEqual(sw.faults, []);
  });

  it('answers desc and port_desc, and announces added and removed ports with port_status', async () => {
    const { sw, conn } = await connected();
    const [desc] = await conn.multipart({ kind: 'desc' });
    assert.ok(desc?.kind === 'desc' && desc.desc.manufacturer === 'Nicira, Inc.');
    const ports = async (): Promise<PortDesc[]> =>
      (await conn.multipart({ kind: 'port_desc' })).flatMap((p) => (p.kind === 'port_desc' ? p.ports : []));
    assert.deepEqual(
      (await ports()).map((p) => [p.portNo, p.name]),
      [
        [1, 'p1'],
        [2, 'p2'],
        [3, 'p3'],
        [OFPP.LOCAL, 'br-int'],
      ],
    );
    const added = nextMessage(conn, 'port_status');
    sw.addPort(7, 'tap7', 'fa:16:3e:00:00:07');
    const status = (await added).message;
    assert.ok(status.type === 'port_status' && status.reason === 'add' && status.port.portNo === 7);
    assert.equal(status.port.hwAddr, 'fa:16:3e:00:00:07');
    const removed = nextMessage(conn, 'port_status');
    assert.equal(sw.removePort(7), true);
    const gone = (await removed).message;
    assert.ok(gone.type === 'port_status' && gone.reason === 'delete' && gone.port.portNo === 7);
    assert.equal((await ports()).length, 4);
  });

  it('cuts a long flow dump into multipart parts that each fit 65,535 bytes', async () => {
    const { sw, conn } = await connected();
    const many = Array.from({ length: 3000 }, (_, i) =>
      flows(
        `table=1,priority=${i + 1},reg0=${i},actions=load:0x${i.toString(16)}->NXM_NX_REG1[],resubmit(,2)`,
      ),
    ).flat();
    sw.apply(many);
    const parts = await conn.multipart({
      kind: 'flow',
      tableId: 1,
      outPort: OFPP.ANY,
      outGroup: 0xffffffff,
      cookie: 0n,
      cookieMask: 0n,
      match: [],
    });
    assert.ok(parts.length > 1, `${parts.length} part(s)`);
    const all = parts.flatMap((p) => (p.kind === 'flow' ? p.flows : []));
    assert.equal(all.length, 3000);
    assert.deepEqual(new Set(all.map((f) => f.priority)).size, 3000);
  });

  it('refuses what it does not support with OVS’s errors and keeps the connection', async () => {
    const { sw, conn } = await connected();
    const refused = async (promise: Promise<unknown>, name: string): Promise<void> => {
      await assert.rejects(promise, (e: unknown) => e instanceof SwitchError && e.errorName === name);
    };
    await refused(
      conn.request({
        type: 'multipart_request',
        more: false,
        body: { kind: 'unknown', mpType: 0x77, body: Buffer.alloc(0) },
      }),
      'OFPBRC_BAD_STAT',
    );
    await refused(conn.request({ type: 'unknown', msgType: 30, body: Buffer.alloc(0) }), 'OFPBRC_BAD_TYPE');
    await refused(
      conn.request({ type: 'unknown', msgType: 4, experimenter: 0x1234, expType: 1, body: Buffer.alloc(0) }),
      'OFPBRC_BAD_VENDOR',
    );
    await refused(
      conn.request({
        type: 'unknown',
        msgType: 4,
        experimenter: 0x2320,
        expType: 999,
        body: Buffer.alloc(0),
      }),
      'OFPBRC_BAD_SUBTYPE',
    );
    await refused(conn.request({ type: 'barrier_reply' }), 'OFPBRC_BAD_TYPE');
    await refused(
      conn.request({
        type: 'nx_resume',
        data: Buffer.alloc(60),
        metadata: [],
        continuation: Buffer.alloc(8),
      }),
      'NXR_STALE',
    );
    // A message whose body does not decode (a flow-mod without a body) gets an error with its xid.
    const errors = await new Promise<Envelope>((resolve) => {
      conn.once('message', resolve);
      conn.send({ type: 'unknown', msgType: 14, body: Buffer.alloc(0) }, 0x4242);
    });
    assert.equal(errors.xid, 0x4242);
    assert.ok(errors.message.type === 'error' && errorName(errors.message) === 'OFPBRC_BAD_LEN');
    await conn.barrier();
    assert.deepEqual(sw.faults, []);
  });

  it('keeps get_config, answers roles like OVS (stale generation, slaves may not write)', async () => {
    const { sw, conn } = await connected();
    conn.send({ type: 'set_config', flags: 0, missSendLen: 1234 });
    const config = await conn.request({ type: 'get_config_request' });
    assert.deepEqual(config.message, { type: 'get_config_reply', flags: 0, missSendLen: 1234 });
    const master = await conn.request({ type: 'role_request', role: 'master', generationId: 5n });
    assert.deepEqual(master.message, { type: 'role_reply', role: 'master', generationId: 5n });
    await assert.rejects(
      conn.request({ type: 'role_request', role: 'slave', generationId: 3n }),
      (e: unknown) => e instanceof SwitchError && e.errorName === 'OFPRRFC_STALE',
    );
    // A second controller takes over; the first becomes a slave and may no longer write.
    const other = await connect(sw);
    await other.request({ type: 'role_request', role: 'master', generationId: 6n });
    const nochange = await conn.request({ type: 'role_request', role: 'nochange', generationId: 0n });
    assert.deepEqual(nochange.message, { type: 'role_reply', role: 'slave', generationId: 6n });
    await assert.rejects(sendBundle(conn, flows('table=0,actions=drop')), (e: unknown) =>
      String(e).includes('OFPBRC_IS_SECONDARY'),
    );
    await sendBundle(other, flows('table=0,actions=drop'));
    assert.equal(sw.flowCount, 1);
  });

  it('keeps its tables across a dropped connection and clears them on restart', async () => {
    const { sw, conn } = await connected();
    await sendBundle(conn, flows(PIPELINE.replace(/group:7/, 'output:2')));
    const before = sw.snapshot();
    const closed = new Promise((resolve) => conn.once('close', resolve));
    sw.disconnect();
    await closed;
    assert.equal(conn.isClosed, true);
    assert.equal(sw.connections, 0);
    const again = await connect(sw);
    assert.equal((await flowStats(again)).length, 4);
    assert.equal(sw.snapshot(), before);
    const closedAgain = new Promise((resolve) => again.once('close', resolve));
    sw.restart();
    await closedAgain;
    const fresh = await connect(sw);
    assert.equal((await flowStats(fresh)).length, 0);
    assert.equal(sw.ports().length, 4, 'ports survive a restart (they live in OVSDB)');
  });

  it('forgets a half-built bundle when the controller disconnects', async () => {
    const sw = new FakeSwitch();
    const conn = await connect(sw);
    await exchange(conn, [
      [{ type: 'bundle_control', bundleId: 9, controlType: 'open_request', flags: { atomic: true } }, 10],
      [{ type: 'bundle_add', bundleId: 9, flags: { atomic: true }, message: flows('actions=drop')[0]! }, 11],
    ]);
    conn.close();
    const again = await connect(sw);
    const seen = await exchange(again, [
      [{ type: 'bundle_control', bundleId: 9, controlType: 'commit_request', flags: { atomic: true } }, 12],
    ]);
    assert.equal(seen.length, 1);
    const m = seen[0]?.message;
    assert.ok(m?.type === 'error' && errorName(m) === 'OFPBFC_BAD_ID');
    assert.equal(sw.flowCount, 0);
  });
});
