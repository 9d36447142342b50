// The multi-node lab end to end, as an operator drives it: `weir lab up` on a private etcd (every
// controller its own process), the real `openstack` CLI creating the network and ports, VMs
// plugged with `weir lab vm add`, real packets between them; then a controller killed with SIGKILL
// and restarted under a continuous 50 pps ping (zero loss, and a port created meanwhile works), an
// ovs-vswitchd restart (traffic back within 2 s), `weir flows` / `weir trace`, and `weir lab down`
// leaving nothing behind.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LabNode, readSteadyPing, run, steadyPingArgs } from '@weir/lab';
import type { SteadyPingLog } from '@weir/lab';

const WEIR = new URL('../../packages/cli/bin/weir.mjs', import.meta.url).pathname;
const OPENSTACK = '/usr/bin/openstack';

interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function exec(
  cmd: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = 180_000,
): Promise<Result> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env, timeout: timeoutMs, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Seven consecutive free TCP ports on loopback: the API's three and, from base + 3, the
 * controllers' metrics (base + 3 + 1..3 in etcd mode). Below Linux's ephemeral range (32768+), so
 * no outgoing connection takes one between this check and the daemons binding them.
 */
async function freePorts(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 12000);
    const ok = await Promise.all(
      [0, 1, 2, 3, 4, 5, 6].map(
        (i) =>
          new Promise<boolean>((resolve) => {
            const s = createServer();
            s.once('error', () => resolve(false));
            s.listen(base + i, '127.0.0.1', () => s.close(() => resolve(true)));
          }),
      ),
    );
    if (ok.every(Boolean)) return base;
  }
  throw new Error('no free ports');
}

describe(
  'weir lab: three nodes on etcd, driven by the openstack CLI',
  { skip: !existsSync(OPENSTACK) },
  () => {
    const name = `lab${process.pid % 10000}`;
    const state = mkdtempSync(join(tmpdir(), 'weir-lab-e2e-'));
    const home = mkdtempSync(join(tmpdir(), 'weir-lab-home-'));
    let env: NodeJS.ProcessEnv;
    const weir = (...args: string[]): Promise<Result> => exec(process.execPath, [WEIR, ...args]);
    const lab = (...args: string[]): Promise<Result> => weir('lab', ...args, '--state', state);
    /** `weir lab exec VM -- CMD…` (the options before `--`, which ends them). */
    const inVm = (vm: string, ...cmd: string[]): Promise<Result> =>
      weir('lab', 'exec', '--state', state, vm, '--', ...cmd);
    const os = async (...args: string[]): Promise<string> => {
      const r = await exec(OPENSTACK, args, env, 60_000);
      assert.equal(r.code, 0, `openstack ${args.join(' ')}: ${r.stderr}`);
      return r.stdout;
    };
    const ports: Record<string, { id: string; ip: string }> = {};
    const createPort = async (port: string, host: string): Promise<void> => {
      const out = JSON.parse(
        await os('port', 'create', '--network', 'blue', '--host', host, port, '-f', 'json'),
      ) as {
        id: string;
        fixed_ips: { ip_address: string }[];
      };
      ports[port] = { id: out.id, ip: out.fixed_ips[0]?.ip_address ?? '' };
    };
    const vmNetns = (vm: string): string => `wl-${name}-n${vm.slice(-1) === '4' ? 2 : vm.slice(-1)}-${vm}`;
    /** A 50 pps ping from `vm`, `count` probes, read per sequence number (see steady-ping.ts). */
    const continuousPing = async (vm: string, to: string, count: number): Promise<SteadyPingLog> => {
      const r = await exec(
        'ip',
        ['netns', 'exec', vmNetns(vm), 'ping', ...steadyPingArgs(to, count, 0.02)],
        process.env,
        60_000,
      );
      return readSteadyPing(r.stdout, count);
    };
    const waitActive = async (port: string): Promise<void> => {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const status = (await os('port', 'show', port, '-f', 'value', '-c', 'status')).trim();
        if (status === 'ACTIVE') return;
        if (Date.now() > deadline) assert.fail(`${port} is ${status}, not ACTIVE`);
        await new Promise((r) => setTimeout(r, 200));
      }
    };

    before(async () => {
      const base = await freePorts();
      const metrics = base + 3;
      const up = await lab(
        'up',
        '--nodes',
        '3',
        '--db',
        'etcd',
        '--name',
        name,
        '--api-port',
        String(base),
        '--metrics-port',
        String(metrics),
      );
      assert.equal(up.code, 0, `weir lab up: ${up.stderr}`);
      assert.match(up.stdout, /OS_CLIENT_CONFIG_FILE=.* OS_CLOUD=weir-lab openstack/);
      env = {
        PATH: '/usr/bin:/bin',
        HOME: home,
        OS_CLIENT_CONFIG_FILE: join(state, 'clouds.yaml'),
        OS_CLOUD: 'weir-lab',
      };
    });

    after(async () => {
      const down = await lab('down');
      assert.equal(down.code, 0, down.stderr);
      const left = (await run('ip', ['netns', 'list']))
        .split('\n')
        .filter((l) => l.startsWith(`wl-${name}-`));
      rmSync(home, { recursive: true, force: true });
      assert.deepEqual(left, [], 'weir lab down left namespaces');
      assert.equal(existsSync(state), false, 'weir lab down left the state directory');
    });

    it('status names every node, process and socket', async () => {
      const r = await lab('status', '--json');
      assert.equal(r.code, 0, r.stderr);
      const s = JSON.parse(r.stdout) as {
        nodes: { name: string; controllerPid?: number; ovsdb: string }[];
        serverPid?: number;
        etcdPid?: number;
      };
      assert.deepEqual(
        s.nodes.map((n) => n.name),
        ['n1', 'n2', 'n3'],
      );
      assert.ok(s.nodes.every((n) => typeof n.controllerPid === 'number' && n.ovsdb.startsWith('unix:')));
      assert.ok(typeof s.serverPid === 'number' && typeof s.etcdPid === 'number');
    });

    it('one network across 3 nodes through the openstack CLI: ACTIVE ports, every pair pings', async () => {
      await os('network', 'create', 'blue');
      await os('subnet', 'create', '--network', 'blue', '--subnet-range', '10.20.0.0/24', 'blue-v4');
      for (const n of [1, 2, 3]) {
        await createPort(`p${n}`, `n${n}`);
        const add = await lab('vm', 'add', `vm${n}`, '--node', `n${n}`, '--port', ports[`p${n}`]?.id ?? '');
        assert.equal(add.code, 0, add.stderr);
      }
      for (const n of [1, 2, 3]) await waitActive(`p${n}`);
      for (const a of [1, 2, 3]) {
        for (const b of [1, 2, 3]) {
          if (a === b) continue;
          const r = await inVm(`vm${a}`, 'ping', '-c', '2', '-W', '2', ports[`p${b}`]?.ip ?? '');
          assert.equal(r.code, 0, `vm${a} -> vm${b}: ${r.stdout}${r.stderr}`);
        }
      }
    });

    it('weir flows and weir trace speak table names and owners', async () => {
      const flows = await weir('flows', '--node', 'n1', '--table', 'L2Lookup', '--state', state);
      assert.equal(flows.code, 0, flows.stderr);
      assert.match(flows.stdout, /^table=L2Lookup, priority=normal.*# gen \d+ l2 port:\d+$/m);
      const trace = await weir(
        'trace',
        '--node',
        'n1',
        '--from',
        'vm1',
        `arp,arp_op=1,arp_tpa=${ports['p2']?.ip ?? ''}`,
        '--state',
        state,
      );
      assert.equal(trace.code, 0, trace.stderr);
      assert.match(trace.stdout, /\[ArpResponder\]/);
      assert.match(trace.stdout, /arp-responder port:\d+/);
    });

    it('a controller killed with SIGKILL and restarted: zero loss at 50 pps, and a port created meanwhile works', async () => {
      const ping = continuousPing('vm1', ports['p2']?.ip ?? '', 500);
      await new Promise((r) => setTimeout(r, 1500));
      const kill = await lab('controller', 'stop', 'n2', '--kill');
      assert.equal(kill.code, 0, kill.stderr);
      await createPort('p4', 'n2');
      await new Promise((r) => setTimeout(r, 1000));
      const start = await lab('controller', 'start', 'n2');
      assert.equal(start.code, 0, start.stderr);
      const add = await lab('vm', 'add', 'vm4', '--node', 'n2', '--port', ports['p4']?.id ?? '');
      assert.equal(add.code, 0, add.stderr);
      const log = await ping;
      assert.deepEqual(
        log.missing,
        [],
        `lost ${log.missing.length} of ${log.count} packets across the restart (icmp_seq ${log.missing.join(', ')})`,
      );
      await waitActive('p4');
      const r = await inVm('vm1', 'ping', '-c', '2', '-W', '2', ports['p4']?.ip ?? '');
      assert.equal(r.code, 0, `the port created while n2's controller was down: ${r.stdout}`);
    });

    it('an ovs-vswitchd restart: traffic is back within 2 s', async (t) => {
      const node = await LabNode.attach(`${name}-n2`);
      const before = await node.ovs.vswitchdPid();
      const ping = continuousPing('vm1', ports['p2']?.ip ?? '', 400);
      await new Promise((r) => setTimeout(r, 1500));
      await node.ovs.restartVswitchd();
      const backAt = Date.now() / 1000;
      const afterPid = await node.ovs.vswitchdPid();
      assert.notEqual(afterPid, before, 'ovs-vswitchd really restarted');
      const log = await ping;
      // From the moment the new ovs-vswitchd runs: it dials the controller, which replays its
      // flows. (The stop and start themselves take the machine's time, not Weir's; the gap below
      // includes them and is bounded loosely.)
      const firstAfter = log.replyTimes.find((at) => at >= backAt);
      assert.ok(firstAfter !== undefined, 'replies after the restart');
      const backIn = firstAfter - backAt;
      t.diagnostic(
        `traffic back ${backIn.toFixed(2)} s after ovs-vswitchd was up; longest gap ${log.maxGapSeconds.toFixed(2)} s`,
      );
      assert.ok(backIn <= 2, `traffic came back ${backIn.toFixed(2)} s after ovs-vswitchd was up`);
      assert.ok(
        log.maxGapSeconds <= 5,
        `the longest gap without replies was ${log.maxGapSeconds.toFixed(2)} s`,
      );
      // And still everything answers afterwards.
      const r = await inVm('vm3', 'ping', '-c', '2', '-W', '2', ports['p2']?.ip ?? '');
      assert.equal(r.code, 0, r.stdout);
    });
  },
);
