// Three real nodes, one controller each, real packets: L2 across Geneve and VXLAN, TCP, isolation
// of two networks with the same CIDR, anti-spoofing (MAC, IP, ARP), broadcast to exactly a
// network's ports, a deleted port's traffic stopping, and a plug on a chassis the port is not
// bound to being refused.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { createNetwork, createPort, createSubnet, deletePort } from '@weir/core';
import type { LabHost } from '@weir/lab';
import type { LogicalPort, LogicalSwitch } from '@weir/model';
import { ControllerLab, actor, waitFor } from './harness.js';

const ipOf = (p: LogicalPort): string => p.fixedIps[0]?.ipAddress ?? '';

/**
 * Starts tcpdump on `host`'s eth0 and resolves once it is listening (its "listening on" line), with
 * a promise of what it printed in `seconds`. Waiting for that line, not a fixed sleep, is what
 * keeps a loaded machine from starting the traffic before the capture.
 */
function capture(host: LabHost, filter: string, seconds = 4): Promise<{ readonly output: Promise<string> }> {
  return new Promise((ready, failed) => {
    const child = spawn(
      'ip',
      ['netns', 'exec', host.netns, 'timeout', String(seconds), 'tcpdump', '-n', '-l', '-i', 'eth0', filter],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    const done = new Promise<string>((resolve) => child.once('close', () => resolve(out)));
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      // Wrapped: resolving with the promise itself would wait for it.
      if (/listening on/.test(err)) ready({ output: done });
    });
    child.once('error', failed);
    void done.then(() => failed(new Error(`tcpdump on ${host.netns} never listened: ${err}`)));
  });
}

const re = (ip: string): string => ip.replaceAll('.', '\\.');

/** busybox arping without -w: it sends all `count` requests (with -w 1 it stops after one). */
function arping(host: LabHost, target: string, extra: readonly string[] = [], count = 3): Promise<string> {
  return host
    .exec('busybox', ['arping', ...extra, '-c', String(count), '-I', 'eth0', target], 15_000)
    .catch(() => '');
}

async function tcpEcho(server: LabHost, client: LabHost, address: string, port: number): Promise<string> {
  const listening = server
    .exec('timeout', ['10', 'busybox', 'nc', '-l', '-p', String(port)], 15_000)
    .catch((e: Error) => e.message);
  // Connect only once the server listens (a refused connect would leave it waiting in vain).
  const deadline = Date.now() + 5000;
  while (!(await server.exec('ss', ['-Hltn', `sport = :${port}`])).trim()) {
    if (Date.now() > deadline) throw new Error(`nc never listened on ${port}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  await client
    .exec('sh', ['-c', `echo weir-over-tcp | timeout 5 busybox nc ${address} ${port}`], 10_000)
    .catch(() => '');
  return listening;
}

describe('three nodes, one controller each (real packets)', () => {
  let lab: ControllerLab;
  let blue: LogicalSwitch;
  let red: LogicalSwitch;
  const bluePorts: LogicalPort[] = [];
  const redPorts: LogicalPort[] = [];
  const vm = (name: string): LabHost => {
    const v = lab.vms.get(name);
    if (!v) throw new Error(`no vm ${name}`);
    return v.host;
  };

  before(async () => {
    lab = await ControllerLab.start(`mn${process.pid % 10000}`, 3);
    // Two networks with the SAME CIDR: blue over Geneve, red over VXLAN.
    blue = await createNetwork(lab.ctx, actor, { name: 'blue', networkType: 'geneve' });
    red = await createNetwork(lab.ctx, actor, { name: 'red', networkType: 'vxlan' });
    // The pool stops at .99: the addresses the tests forge or ARP for (.200, .250–.252) must never
    // be a port's own (the IPAM picks at random, so a full pool once gave b1 10.1.0.200).
    for (const net of [blue, red])
      await createSubnet(lab.ctx, actor, {
        networkId: net.id,
        cidr: '10.1.0.0/24',
        allocationPools: [{ start: '10.1.0.10', end: '10.1.0.99' }],
      });
    for (const node of lab.cluster.nodes) {
      for (const [net, list, prefix] of [
        [blue, bluePorts, 'b'],
        [red, redPorts, 'r'],
      ] as const) {
        const port = await createPort(lab.ctx, actor, {
          networkId: net.id,
          name: `${prefix}${node.index}`,
          binding: { hostId: lab.chassisName(node) },
        });
        list.push(port);
        await lab.plug(`${prefix}${node.index}`, node, port);
      }
    }
    for (const p of [...bluePorts, ...redPorts]) await lab.waitActive(p);
  });

  after(async () => {
    await lab?.stop();
  });

  it('Geneve and VXLAN: every pair on each network pings across nodes', async () => {
    for (const [list, prefix] of [
      [bluePorts, 'b'],
      [redPorts, 'r'],
    ] as const) {
      for (let i = 0; i < list.length; i++) {
        for (let j = 0; j < list.length; j++) {
          if (i === j) continue;
          const r = await vm(`${prefix}${i + 1}`).ping(ipOf(list[j] as LogicalPort), 2);
          assert.equal(r.received, 2, `${prefix}${i + 1} -> ${prefix}${j + 1}`);
        }
      }
    }
    // The tunnel types really differ: red's packets left through the VXLAN port.
    const dump = await lab.cluster.node(1).ovs.ofctl('br-int', 'dump-ports', ['weir-vxlan']);
    assert.match(dump, /tx pkts=[1-9]/);
  });

  it('TCP across nodes', async () => {
    const got = await tcpEcho(vm('b3'), vm('b1'), ipOf(bluePorts[2] as LogicalPort), 5001);
    assert.match(got, /weir-over-tcp/);
  });

  it('two networks with the same CIDR stay isolated', async () => {
    // b1 and r2 have addresses in the same /24; red's address is not reachable from blue.
    const redIp = ipOf(redPorts[1] as LogicalPort);
    const blueIps = new Set(bluePorts.map(ipOf));
    if (!blueIps.has(redIp)) {
      const r = await vm('b1').ping(redIp, 2, 3);
      assert.equal(r.received, 0, 'blue reached an address of red');
    }
    // And nothing of blue's broadcast reaches red's VMs (while blue's do see it).
    const red2 = await capture(vm('r2'), 'arp', 5);
    const blue2 = await capture(vm('b2'), 'arp', 5);
    await arping(vm('b1'), '10.1.0.250');
    assert.match(await blue2.output, /10\.1\.0\.250/, 'the capture works: blue saw it');
    assert.doesNotMatch(await red2.output, /10\.1\.0\.250/, 'red saw blue’s broadcast');
  });

  it('broadcast reaches exactly the network’s ports on every node', async () => {
    const target = '10.1.0.251';
    const captures = await Promise.all(
      ['b2', 'b3', 'r1', 'r2', 'r3'].map(async (name) => ({ name, out: await capture(vm(name), 'arp', 5) })),
    );
    await arping(vm('b1'), target);
    for (const c of captures) {
      const out = await c.out.output;
      if (c.name.startsWith('b'))
        assert.match(out, new RegExp(`who-has ${re(target)}`), `${c.name} missed it`);
      else assert.doesNotMatch(out, new RegExp(re(target)), `${c.name} got blue's broadcast`);
    }
  });

  it('a forged source IP, a forged MAC and a forged ARP are dropped at the source', async () => {
    const victim = ipOf(bluePorts[1] as LogicalPort);
    // Forged IP: an address the port does not own. The capture sees the real one, not the forged.
    await vm('b1').exec('ip', ['addr', 'add', '10.1.0.200/24', 'dev', 'eth0']);
    const seenIp = await capture(vm('b2'), 'icmp', 6);
    await vm('b1')
      .exec('ping', ['-c', '2', '-W', '1', '-I', '10.1.0.200', victim])
      .catch(() => '');
    await vm('b1').ping(victim, 1);
    const icmp = await seenIp.output;
    assert.match(
      icmp,
      new RegExp(`${re(ipOf(bluePorts[0] as LogicalPort))} > ${re(victim)}`),
      'the capture works',
    );
    assert.doesNotMatch(icmp, /10\.1\.0\.200/, 'a packet with a forged source IP arrived');
    await vm('b1').exec('ip', ['addr', 'del', '10.1.0.200/24', 'dev', 'eth0']);
    // Forged ARP: b1 announces b2's address as its own (gratuitous ARP from b1's MAC).
    const seenArp = await capture(vm('b3'), 'arp', 8);
    await arping(vm('b1'), victim, ['-U', '-s', victim], 2);
    await arping(vm('b1'), '10.1.0.252', [], 2);
    const arp = await seenArp.output;
    assert.match(arp, /who-has 10\.1\.0\.252/, 'the capture works');
    assert.doesNotMatch(arp, new RegExp(`tell ${re(victim)}|is-at .* ${re(victim)}`), 'a forged ARP arrived');
    // Forged MAC: the VM changes its NIC's MAC; nothing it sends gets through.
    const original = (bluePorts[0] as LogicalPort).macAddress;
    await vm('b1').exec('ip', ['link', 'set', 'eth0', 'address', 'fa:16:3e:66:66:66']);
    const r = await vm('b1').ping(victim, 2, 3);
    assert.equal(r.received, 0, 'a forged MAC got through');
    await vm('b1').exec('ip', ['link', 'set', 'eth0', 'address', original]);
    await vm('b1').exec('ip', ['neigh', 'flush', 'all']);
    assert.equal((await vm('b1').ping(victim, 2)).received, 2, 'the real MAC works again');
  });

  it('a port plugged on a chassis it is not bound to is not served', async () => {
    const port = await createPort(lab.ctx, actor, {
      networkId: blue.id,
      name: 'stray',
      binding: { hostId: 'n2' },
    });
    await lab.plug('stray', lab.cluster.node(3), port, 24);
    await waitFor('n3 reports the foreign plug', () =>
      lab.controllers[2]?.stats().pluggedNotServed === 1 ? true : undefined,
    );
    assert.notEqual((await lab.store.get('logical_port', port.id))?.status, 'ACTIVE');
    const r = await vm('stray').ping(ipOf(bluePorts[0] as LogicalPort), 2, 3);
    assert.equal(r.received, 0, 'a port bound to n2 but plugged on n3 passed traffic on n3');
    await lab.unplug('stray');
    await waitFor('cleared', () => (lab.controllers[2]?.stats().pluggedNotServed === 0 ? true : undefined));
  });

  it('deleting a port stops its traffic', async () => {
    const target = bluePorts[2] as LogicalPort;
    assert.equal((await vm('b1').ping(ipOf(target), 1)).received, 1);
    await deletePort(lab.ctx, actor, target.id);
    await waitFor('the port’s flows gone on its node', () => {
      const owners = lab.controllers[2]?.desiredFlows();
      return owners !== undefined && !owners.has(`port:${target.uniqueKey}`) ? true : undefined;
    });
    await lab.controllers[2]?.settled();
    await lab.controllers[0]?.settled();
    const r = await vm('b1').ping(ipOf(target), 2, 3);
    assert.equal(r.received, 0, 'a deleted port still answered');
  });
});
