// Shared by the fake-switch tests: a controller connection over openChannel() that is closed
// after each test, flow and group text helpers, and flow-stats requests.
import { after } from 'node:test';
import {
  OFPG,
  OFPP,
  OpenFlowConnection,
  parseFlow,
  parseFlows,
  parseGroup,
  type Envelope,
  type FlowMod,
  type FlowStats,
  type FlowStatsRequest,
  type GroupMod,
  type OpenFlowMessage,
} from '@weir/openflow';
import { FakeSwitch, type FakeSwitchOptions } from '../../src/fake-switch/index.js';

const open: OpenFlowConnection[] = [];
after(() => {
  for (const c of open) c.close();
});

/** A switch with ports 1–3 and a connected controller. */
export async function connected(
  options: FakeSwitchOptions = {},
): Promise<{ sw: FakeSwitch; conn: OpenFlowConnection }> {
  const sw = new FakeSwitch(options);
  for (const p of [1, 2, 3]) sw.addPort(p, `p${p}`);
  const conn = await connect(sw);
  return { sw, conn };
}

export async function connect(sw: FakeSwitch): Promise<OpenFlowConnection> {
  const conn = await OpenFlowConnection.open(sw.openChannel(), { requestTimeoutMs: 5000 });
  open.push(conn);
  return conn;
}

export const flows = (text: string): FlowMod[] => parseFlows(text);

export const flow = (text: string, command: FlowMod['command'] = 'add'): FlowMod => parseFlow(text, command);

export function groupMod(command: GroupMod['command'], text: string): GroupMod {
  return { type: 'group_mod', command, ...parseGroup(text) };
}

/** Flow stats over the connection (all tables, no filter unless given). */
export async function flowStats(
  conn: OpenFlowConnection,
  filter: Partial<FlowStatsRequest> = {},
): Promise<FlowStats[]> {
  const parts = await conn.multipart({
    kind: 'flow',
    tableId: 0xff,
    outPort: OFPP.ANY,
    outGroup: OFPG.ANY,
    cookie: 0n,
    cookieMask: 0n,
    match: [],
    ...filter,
  });
  return parts.flatMap((p) => (p.kind === 'flow' ? p.flows : []));
}

/**
 * Sends messages with chosen xids and collects everything the switch sends back until a barrier
 * returns (for protocol details that request() hides: errors with their xids, bundle replies).
 */
export async function exchange(
  conn: OpenFlowConnection,
  messages: readonly (readonly [OpenFlowMessage, number])[],
): Promise<Envelope[]> {
  const seen: Envelope[] = [];
  const on = (env: Envelope): void => void seen.push(env);
  conn.on('message', on);
  try {
    for (const [m, xid] of messages) conn.send(m, xid);
    await conn.barrier();
    return seen;
  } finally {
    conn.off('message', on);
  }
}
