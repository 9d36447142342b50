// Time to install 100,000 flows into a real ovs-vswitchd in one bundle: our channel versus
// `ovs-ofctl --bundle add-flows` of the same flows from a file, alternating, in one run.
//   node --import tsx bench/openflow-install.ts [flows] [runs]
// Goal: our time <= 1.0x ovs-ofctl's. Both paths end when the switch confirmed the commit.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OvsInstance } from '@weir/lab';
import {
  OpenFlowListener,
  flowMod,
  formatFlowMod,
  sendBundle,
  type FlowMod,
  type OpenFlowConnection,
} from '@weir/openflow';
import { fmt, machineLine, median } from './lib/stats.js';

const N = Number(process.argv[2] ?? 100_000);
const RUNS = Number(process.argv[3] ?? 5);

/** A pipeline-like mix: classifier, L2 lookup, security-group style and tunnel output flows. */
function makeFlows(n: number): FlowMod[] {
  const flows: FlowMod[] = [];
  for (let i = 0; i < n; i++) {
    const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    const cookie = 0x0100_0000_0000_0000n | BigInt(i);
    switch (i % 4) {
      case 0:
        flows.push(
          flowMod({
            tableId: 0,
            priority: 100,
            cookie,
            match: [
              { field: 'in_port', value: (i % 60000) + 1 },
              { field: 'reg13', value: i },
            ],
            instructions: [
              {
                type: 'apply_actions',
                actions: [
                  { type: 'set_field', field: 'reg6', value: i },
                  { type: 'set_field', field: 'metadata', value: BigInt(i >> 4) },
                  { type: 'resubmit', table: 10 },
                ],
              },
            ],
          }),
        );
        break;
      case 1:
        flows.push(
          flowMod({
            tableId: 10,
            priority: 50,
            cookie,
            match: [
              { field: 'metadata', value: BigInt(i >> 4) },
              {
                field: 'eth_dst',
                value: `02:00:${((i >> 24) & 255).toString(16)}:${((i >> 16) & 255).toString(16)}:${((i >> 8) & 255).toString(16)}:${(i & 255).toString(16)}`,
              },
            ],
            instructions: [
              {
                type: 'apply_actions',
                actions: [
                  { type: 'set_field', field: 'reg7', value: i },
                  { type: 'resubmit', table: 20 },
                ],
              },
            ],
          }),
        );
        break;
      case 2:
        flows.push(
          flowMod({
            tableId: 20,
            priority: 1000,
            cookie,
            match: [
              { field: 'reg7', value: i },
              { field: 'eth_type', value: 0x0800 },
              { field: 'ip_src', value: ip },
              { field: 'nw_proto', value: 6 },
              { field: 'tcp_dst', value: 80 },
            ],
            instructions: [
              {
                type: 'apply_actions',
                actions: [
                  { type: 'ct', commit: true, zone: { field: 'reg6', start: 0, nBits: 16 } },
                  { type: 'resubmit', table: 30 },
                ],
              },
            ],
          }),
        );
        break;
      default:
        flows.push(
          flowMod({
            tableId: 30,
            priority: 100,
            cookie,
            match: [{ field: 'reg7', value: i }],
            instructions: [
              {
                type: 'apply_actions',
                actions: [
                  { type: 'set_field', field: 'tun_dst', value: ip },
                  { type: 'set_field', field: 'tun_id', value: BigInt(i & 0xffffff) },
                  { type: 'output', port: 100 },
                ],
              },
            ],
          }),
        );
    }
  }
  return flows;
}

function ofctlFileLine(f: FlowMod): string {
  // "ADD table:10 priority=…,… actions=…" -> "table=10,priority=…,… actions=…" (add-flows syntax).
  const body = formatFlowMod(f).trim().replace(/^ADD /, '');
  const m = /^table:(\d+) (.*)$/.exec(body);
  const rest = m ? (m[2] ?? '') : body;
  const cookie = rest.match(/ cookie:(0x[0-9a-f]+) /);
  const clean = rest.replace(/ cookie:0x[0-9a-f]+ /, ' ');
  return `table=${m ? m[1] : 0},${cookie ? `cookie=${cookie[1]},` : ''}${clean}`;
}

function sh(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(cmd, args, { maxBuffer: 1 << 30 }, (e, out, err) =>
      e ? reject(new Error(`${cmd} ${args.join(' ')}: ${err}`)) : resolve(out),
    ),
  );
}

function ofctlBundle(ovs: OvsInstance, file: string): Promise<string> {
  return sh('ovs-ofctl', [
    '-O',
    'OpenFlow13',
    '--bundle',
    'add-flows',
    `unix:${ovs.mgmtSocketPath('br-int')}`,
    file,
  ]);
}

async function dumpFlows(ovs: OvsInstance): Promise<string[]> {
  return (await ovs.ofctl('br-int', 'dump-flows', [], { flags: ['--no-stats'] })).split('\n').sort();
}

async function flowCount(ovs: OvsInstance): Promise<number> {
  const out = await ovs.ofctl('br-int', 'dump-aggregate');
  return Number(/flow_count=(\d+)/.exec(out)?.[1] ?? -1);
}

const ovs = await OvsInstance.start({ name: `bench${process.pid}` });
const listener = new OpenFlowListener(`unix:${ovs.rundir}/of.sock`);
try {
  await listener.listen();
  const first = new Promise<OpenFlowConnection>((resolve) => listener.once('switch', resolve));
  await ovs.addBridge('br-int', { controller: `unix:${ovs.rundir}/of.sock` });
  const conn = await first;
  const flows = makeFlows(N);
  const file = join(ovs.rundir, 'flows.txt');
  writeFileSync(file, flows.map(ofctlFileLine).join('\n') + '\n');

  const ours: number[] = [];
  const theirs: number[] = [];
  const clear = async (): Promise<void> => {
    await ovs.ofctl('br-int', 'del-flows');
    if ((await flowCount(ovs)) !== 0) throw new Error('flows left after del-flows');
  };
  for (let r = 0; r < RUNS; r++) {
    for (const who of r % 2 === 0 ? ['ours', 'theirs'] : ['theirs', 'ours']) {
      await clear();
      // Our side starts from typed flow-mods, as a controller holds them; encoding is timed.
      const batch = who === 'ours' ? makeFlows(N) : [];
      const t0 = process.hrtime.bigint();
      if (who === 'ours') {
        await sendBundle(conn, batch);
      } else {
        await ofctlBundle(ovs, file);
      }
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const count = await flowCount(ovs);
      if (count !== N) throw new Error(`${who}: ${count} flows installed, expected ${N}`);
      (who === 'ours' ? ours : theirs).push(ms);
      console.log(`run ${r + 1} ${who.padEnd(6)} ${fmt(ms)} ms`);
    }
  }
  // Same flows? Compare one dump of each (sorted) once.
  await clear();
  await sendBundle(conn, flows);
  const a = await dumpFlows(ovs);
  await clear();
  await ofctlBundle(ovs, file);
  const b = await dumpFlows(ovs);
  const same = a.length === b.length && a.every((l, i) => l === b[i]);
  const mo = median(ours);
  const mt = median(theirs);
  console.log(machineLine());
  console.log(
    `install ${fmt(N)} flows in one bundle: weir median ${fmt(mo)} ms, ovs-ofctl --bundle add-flows median ${fmt(mt)} ms, ratio ${(mo / mt).toFixed(2)}x (goal <= 1.00x); identical flow tables: ${same}`,
  );
  conn.close();
} finally {
  await listener.close();
  await ovs.stop();
}
