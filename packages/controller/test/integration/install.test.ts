// The pipeline on a real ovs-vswitchd: the miss flow of every table and a representative flow
// for every table (with their groups) install in one bundle, read back exactly as flowText()
// prints them, and a restart under a new generation followed by the sweep leaves exactly the new
// generation's flows — and a hand-made flow (cookie 0) untouched.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OvsInstance } from '@weir/lab';
import {
  OFPP,
  OpenFlowListener,
  sendBundle,
  type OpenFlowConnection,
  type OpenFlowMessage,
} from '@weir/openflow';
import {
  deleteByCookie,
  flowText,
  generationSelector,
  missFlows,
  parseCookie,
  staleGenerations,
} from '../../src/index.js';
import { TUNNEL_OFPORT, representativeFlows } from '../representative.js';

function messages(
  generation: number,
  options: { skip?: number; groups?: 'add' | 'modify' } = {},
): OpenFlowMessage[] {
  const { flows, groups } = representativeFlows(generation);
  const kept = flows.filter((_, i) => i !== options.skip);
  // Groups first: the flows that use them are refused otherwise. Groups carry no cookie, so a
  // restarted controller finds its groups still there and must modify, not add, them.
  const command = options.groups ?? 'add';
  return [...groups.map((g) => ({ ...g.mod, command })), ...missFlows(generation), ...kept];
}

function expectedText(generation: number, options: { skip?: number } = {}): string[] {
  return messages(generation, options)
    .flatMap((m) => (m.type === 'flow_mod' ? [flowText(m)] : []))
    .sort();
}

describe('pipeline on a real ovs-vswitchd', () => {
  let ovs: OvsInstance;
  let listener: OpenFlowListener;
  let conn: OpenFlowConnection;

  const dump = async (): Promise<string[]> =>
    (await ovs.ofctl('br-int', 'dump-flows', [], { flags: ['--no-stats'] }))
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .sort();

  const cookies = async (): Promise<bigint[]> => {
    const replies = await conn.multipart({
      kind: 'flow',
      tableId: 0xff,
      outPort: OFPP.ANY,
      outGroup: 0xffffffff,
      cookie: 0n,
      cookieMask: 0n,
      match: [],
    });
    return replies.flatMap((r) => (r.kind === 'flow' ? r.flows.map((f) => f.cookie) : []));
  };

  before(async () => {
    ovs = await OvsInstance.start({ name: `ctl${process.pid}` });
    const socket = `unix:${ovs.rundir}/of.sock`;
    listener = new OpenFlowListener(socket, { echoIntervalMs: 2000 });
    await listener.listen();
    const first = new Promise<OpenFlowConnection>((resolve) => listener.once('switch', resolve));
    await ovs.addBridge('br-int', { controller: socket, datapathId: '00000000000000c2' });
    conn = await first;
    await ovs.vsctl([
      'add-port',
      'br-int',
      'gnv0',
      '--',
      'set',
      'interface',
      'gnv0',
      'type=geneve',
      'options:remote_ip=flow',
      'options:key=flow',
      `ofport_request=${TUNNEL_OFPORT}`,
    ]);
  });
  after(async () => {
    await listener?.close();
    await ovs?.stop();
  });

  it('installs a flow for every table in one bundle and reads back exactly our text', async () => {
    await sendBundle(conn, messages(3));
    assert.deepEqual(await dump(), expectedText(3));
  });

  it('restarts under a new generation and sweeps only the stale flows', async () => {
    await ovs.ofctl('br-int', 'add-flow', ['table=40,priority=5,actions=drop']);
    // Generation 4 no longer wants flow 0 (say its port went away while the controller was down).
    await sendBundle(conn, messages(4, { skip: 0, groups: 'modify' }));
    const stale = staleGenerations(await cookies(), 4);
    assert.deepEqual(stale, [3]);
    await sendBundle(
      conn,
      stale.map((g) => deleteByCookie(generationSelector(g))),
    );
    const after = await cookies();
    assert.ok(after.includes(0n), 'the hand-made flow survives the sweep');
    assert.ok(
      after.filter((c) => c !== 0n).every((c) => parseCookie(c)?.generation === 4),
      'only generation 4 remains',
    );
    const expected = [...expectedText(4, { skip: 0 }), 'table=40, priority=5 actions=drop'].sort();
    assert.deepEqual(await dump(), expected);
  });
});
