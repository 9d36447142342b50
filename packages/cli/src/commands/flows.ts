// `weir flows --node nX [--table NAME] [--app NAME] [--stats]` prints a lab node's installed flows
// (read over OpenFlow from br-int's management socket) with table names, priority bands and the
// cookie explained (generation, app, owner). `weir trace --node nX [--from VM] FLOW` runs
// ovs-appctl ofproto/trace and names the tables and cookies in its output.
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import {
  APP_NAMES,
  PIPELINE,
  appSelector,
  describeCookie,
  nameTables,
  namedFlowText,
  tableName,
  type AppName,
} from '@weir/controller';
import {
  OFPG,
  OFPP,
  OFPTT_ALL,
  SwitchClient,
  flowModOfStats,
  formatGroup,
  type FlowStats,
} from '@weir/openflow';
import { readLabState, DEFAULT_STATE_DIR, type LabNodeState } from '../lab/state.js';

export interface FlowsFlags {
  readonly node?: string;
  readonly table?: string;
  readonly app?: string;
  readonly stats?: boolean;
  readonly groups?: boolean;
  readonly state?: string;
}

class FlowsError extends Error {}

function labNode(stateDir: string | undefined, name: string | undefined): LabNodeState {
  const dir = resolve(stateDir ?? DEFAULT_STATE_DIR);
  const state = readLabState(dir);
  if (state === undefined) throw new FlowsError(`no lab in ${dir} (weir lab up)`);
  const node = state.nodes.find((n) => n.name === name);
  if (node === undefined) throw new FlowsError(`--node: one of ${state.nodes.map((n) => n.name).join(', ')}`);
  return node;
}

function statsLine(f: FlowStats, withStats: boolean): string {
  const text = namedFlowText(flowModOfStats(f));
  return withStats ? `n_packets=${f.packetCount}, n_bytes=${f.byteCount}, ${text}` : text;
}

export async function runFlows(flags: FlowsFlags): Promise<number> {
  let client: SwitchClient | undefined;
  try {
    const node = labNode(flags.state, flags.node);
    const table = flags.table === undefined ? undefined : PIPELINE.tables.find((t) => t.name === flags.table);
    if (flags.table !== undefined && table === undefined)
      throw new FlowsError(`--table: one of ${PIPELINE.tables.map((t) => t.name).join(', ')}`);
    if (flags.app !== undefined && !APP_NAMES.includes(flags.app as AppName))
      throw new FlowsError(`--app: one of ${APP_NAMES.join(', ')}`);
    const selector =
      flags.app === undefined ? { cookie: 0n, cookieMask: 0n } : appSelector(flags.app as AppName);
    client = new SwitchClient(`unix:${node.mgmt}`);
    client.start();
    const conn = await client.ready(5000);
    const replies = await conn.multipart({
      kind: 'flow',
      tableId: table?.id ?? OFPTT_ALL,
      outPort: OFPP.ANY,
      outGroup: OFPG.ANY,
      cookie: selector.cookie,
      cookieMask: selector.cookieMask,
      match: [],
    });
    const flows = replies.flatMap((r) => (r.kind === 'flow' ? r.flows : []));
    flows.sort((a, b) => a.tableId - b.tableId || b.priority - a.priority);
    for (const f of flows) process.stdout.write(`${statsLine(f, flags.stats === true)}\n`);
    if (flags.groups === true) {
      const groups = (await conn.multipart({ kind: 'group_desc' })).flatMap((r) =>
        r.kind === 'group_desc' ? r.groups : [],
      );
      for (const g of groups) {
        process.stdout.write(`${nameTables(formatGroup(g))}\n`);
      }
    }
    process.stderr.write(
      `${flows.length} flows on ${node.name}${table ? ` in ${table.name}` : ''}${flags.app ? ` of app ${flags.app}` : ''}\n`,
    );
    return 0;
  } catch (error) {
    process.stderr.write(`weir flows: ${(error as Error).message}\n`);
    return 1;
  } finally {
    client?.stop();
  }
}

/** ofproto/trace output with `N. ` table numbers and `cookie 0x…` values named. */
export function annotateTrace(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      let out = line.replace(
        /^(\s*)(\d+)\. /,
        (_, pad: string, n: string) => `${pad}${n}. [${tableName(Number(n))}] `,
      );
      out = out.replace(
        /cookie (0x[0-9a-f]+)/g,
        (_, c: string) => `cookie ${c} (${describeCookie(BigInt(c))})`,
      );
      return nameTables(out);
    })
    .join('\n');
}

/**
 * The packet `flow` as `vm` would send it: its port and MAC, and — unless the flow says otherwise —
 * its address as ARP sender or IP source, and broadcast as an ARP request's destination.
 */
export function fromVm(
  flow: string,
  vm: { readonly nic: string; readonly mac: string; readonly ip?: string },
): string {
  const has = (field: string): boolean => new RegExp(`(^|,)${field}=`).test(flow);
  const fields = [`in_port=${vm.nic}`, `dl_src=${vm.mac}`];
  const arp = /(^|,)arp(,|$)/.test(flow);
  const ip = /(^|,)(ip|icmp|tcp|udp|sctp)(,|$)/.test(flow);
  if (arp && !has('arp_sha')) fields.push(`arp_sha=${vm.mac}`);
  if (arp && !has('arp_spa') && vm.ip !== undefined) fields.push(`arp_spa=${vm.ip}`);
  if (arp && !has('dl_dst')) fields.push('dl_dst=ff:ff:ff:ff:ff:ff');
  if (ip && !has('nw_src') && !has('ip_src') && vm.ip !== undefined) fields.push(`nw_src=${vm.ip}`);
  return flow === '' ? fields.join(',') : `${flow},${fields.join(',')}`;
}

export interface TraceFlags {
  readonly node?: string;
  readonly from?: string;
  readonly state?: string;
}

export async function runTrace(flow: string | undefined, flags: TraceFlags): Promise<number> {
  try {
    const node = labNode(flags.state, flags.node);
    const state = readLabState(resolve(flags.state ?? DEFAULT_STATE_DIR));
    let spec = flow ?? '';
    if (flags.from !== undefined) {
      const vm = state?.vms.find((v) => v.name === flags.from && v.node === node.name);
      if (vm === undefined) throw new FlowsError(`--from: no VM ${flags.from} on ${node.name}`);
      spec = fromVm(spec, vm);
    }
    if (spec === '')
      throw new FlowsError('give a flow, e.g. in_port=vm1,arp,arp_op=1,arp_tpa=10.0.0.5 (see ovs-fields(7))');
    const out = await new Promise<string>((done, fail) => {
      execFile(
        'ovs-appctl',
        ['-t', node.vswitchdControl, 'ofproto/trace', 'br-int', spec],
        (error, stdout, stderr) => {
          if (error) fail(new FlowsError(stderr.trim() || error.message));
          else done(stdout);
        },
      );
    });
    process.stdout.write(annotateTrace(out));
    return 0;
  } catch (error) {
    process.stderr.write(`weir trace: ${(error as Error).message}\n`);
    return 1;
  }
}
