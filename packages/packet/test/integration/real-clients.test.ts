// End to end with real clients: busybox udhcpc takes a lease from buildDhcpOffer/buildDhcpAck,
// iputils ping is answered through buildArpReply/buildIcmpv4EchoReply, accepts the ICMP errors of
// buildIcmpv4Error (the kernel caches the fragmentation-needed MTU), and ping -6 resolves its
// neighbour through buildNeighborAdvertisement. The replies are sent by a raw socket in a second
// namespace, where no kernel address exists to answer in our place.
//
// Needs root, iproute2, busybox, ping and /usr/bin/python3; skipped otherwise. Namespaces and
// veths are named wpk-*/wpk*, created directly inside the namespaces, and removed in `after`.
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { run, tryRun } from '@weir/lab';
import {
  ArpOperation,
  buildArpReply,
  buildDhcpAck,
  buildDhcpOffer,
  buildIcmpv4EchoReply,
  buildIcmpv4Error,
  buildIcmpv6EchoReply,
  buildNeighborAdvertisement,
  decodeFrame,
  DhcpMessageType,
  dhcpMessageType,
  encodeFrame,
  PacketDecodeError,
  type DhcpLease,
  type Frame,
  type FrameInit,
} from '../../src/index.js';

const ID = process.pid;
const CLIENT_NS = `wpk-c-${ID}`;
const RESPONDER_NS = `wpk-s-${ID}`;
const CLIENT_IF = `wpk${ID}c`;
const RESPONDER_IF = `wpk${ID}s`;
const GATEWAY = { ip: '192.0.2.2', mac: '02:00:00:00:02:02' } as const;
const GATEWAY6 = '2001:db8:1::2';
const FAR_HOST = '198.51.100.2';
const LEASE: DhcpLease = {
  address: '192.0.2.110',
  subnetMask: '255.255.255.0',
  leaseTime: 600,
  routers: [GATEWAY.ip],
  dnsServers: ['192.0.2.53'],
  domainName: 'example.org',
  mtu: 1400,
  classlessRoutes: [{ destination: '10.0.0.0', prefixLength: 8, router: GATEWAY.ip }],
};

function missing(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root';
  for (const path of ['/usr/bin/python3', '/usr/bin/busybox', '/usr/bin/ping']) {
    try {
      accessSync(path, constants.X_OK);
    } catch {
      return `needs ${path}`;
    }
  }
  return undefined;
}

/** What the responder answers: the pure builders, nothing else. */
function respond(frame: Frame): FrameInit | undefined {
  const { network, transport, application } = frame;
  if (network?.kind === 'arp') {
    return network.operation === ArpOperation.Request && network.targetIp === GATEWAY.ip
      ? buildArpReply(frame, { mac: GATEWAY.mac })
      : undefined;
  }
  if (application?.kind === 'dhcpv4') {
    const type = dhcpMessageType(application);
    if (type === DhcpMessageType.Discover) return buildDhcpOffer(frame, GATEWAY, LEASE);
    if (type === DhcpMessageType.Request) return buildDhcpAck(frame, GATEWAY, LEASE);
    return undefined;
  }
  if (network?.kind === 'ipv4' && transport?.kind === 'icmpv4' && transport.type === 'echo-request') {
    if (network.destination === GATEWAY.ip) return buildIcmpv4EchoReply(frame, { mac: GATEWAY.mac });
    if (network.destination !== FAR_HOST) return undefined;
    // Forwarding towards the far host: the TTL runs out, or the 1280-byte next link is too small.
    if (network.ttl <= 1) return buildIcmpv4Error(frame, { type: 'time-exceeded' }, GATEWAY);
    if (network.dontFragment && network.totalLength > 1280) {
      return buildIcmpv4Error(frame, { type: 'fragmentation-needed', mtu: 1280 }, GATEWAY);
    }
    return undefined;
  }
  if (network?.kind === 'ipv6' && transport?.kind === 'icmpv6') {
    if (transport.type === 'neighbor-solicitation' && transport.target === GATEWAY6) {
      return buildNeighborAdvertisement(frame, { mac: GATEWAY.mac, router: true });
    }
    if (transport.type === 'echo-request' && network.destination === GATEWAY6) {
      return buildIcmpv6EchoReply(frame, { mac: GATEWAY.mac });
    }
  }
  return undefined;
}

/** Standard output of a command in the client namespace, whatever its exit status (ping fails on errors). */
function clientOutput(args: readonly string[]): Promise<string> {
  return new Promise((resolve) => {
    execFile('ip', ['netns', 'exec', CLIENT_NS, ...args], { timeout: 20_000 }, (_error, stdout, stderr) =>
      resolve(`${stdout}${stderr}`),
    );
  });
}

const skip = missing();

describe('real clients accept the built replies', { skip: skip ?? false }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'wpk-clients-'));
  const script = join(dir, 'udhcpc.script');
  let responder: ChildProcessWithoutNullStreams | undefined;
  const inClient = (command: string, args: readonly string[], timeoutMs = 20_000): Promise<string> =>
    run('ip', ['netns', 'exec', CLIENT_NS, command, ...args], { timeoutMs });

  before(async () => {
    // udhcpc hook: configure only this interface inside the client namespace, print the lease.
    writeFileSync(
      script,
      [
        '#!/bin/sh',
        'case "$1" in',
        '  deconfig) ip -4 addr flush dev "$interface" ;;',
        '  bound|renew)',
        '    ip addr add "$ip/$mask" dev "$interface"',
        '    ip route replace default via "${router%% *}" dev "$interface"',
        '    echo "LEASE ip=$ip mask=$mask router=$router dns=$dns domain=$domain mtu=$mtu serverid=$serverid lease=$lease staticroutes=$staticroutes" ;;',
        'esac',
        '',
      ].join('\n'),
      { mode: 0o755 },
    );
    await run('ip', ['netns', 'add', CLIENT_NS]);
    await run('ip', ['netns', 'add', RESPONDER_NS]);
    await run('ip', [
      'netns',
      'exec',
      RESPONDER_NS,
      'sysctl',
      '-qw',
      'net.ipv6.conf.all.disable_ipv6=1',
      'net.ipv6.conf.default.disable_ipv6=1',
    ]);
    await inClient('sysctl', ['-qw', 'net.ipv6.conf.all.accept_dad=0', 'net.ipv6.conf.default.accept_dad=0']);
    await run('ip', [
      'link',
      'add',
      CLIENT_IF,
      'netns',
      CLIENT_NS,
      'type',
      'veth',
      'peer',
      'name',
      RESPONDER_IF,
      'netns',
      RESPONDER_NS,
    ]);
    await tryRun('ip', ['netns', 'exec', CLIENT_NS, 'ethtool', '-K', CLIENT_IF, 'tx', 'off']);
    await run('ip', ['-n', CLIENT_NS, 'link', 'set', 'lo', 'up']);
    await run('ip', ['-n', RESPONDER_NS, 'link', 'set', RESPONDER_IF, 'up']);
    await run('ip', ['-n', CLIENT_NS, 'link', 'set', CLIENT_IF, 'up']);
    await run('ip', ['-n', CLIENT_NS, 'addr', 'add', '2001:db8:1::1/64', 'dev', CLIENT_IF, 'nodad']);

    const helper = fileURLToPath(new URL('./raw-socket.py', import.meta.url));
    const child = spawn('ip', ['netns', 'exec', RESPONDER_NS, '/usr/bin/python3', helper, RESPONDER_IF]);
    responder = child;
    child.stdin.on('error', () => undefined); // the helper may be gone during teardown
    const lines = createInterface({ input: child.stdout });
    await new Promise<void>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`raw socket helper exited (${code})`)));
      lines.once('line', (line) => (line === 'ready' ? resolve() : reject(new Error(line))));
    });
    lines.on('line', (hex) => {
      let frame: Frame;
      try {
        frame = decodeFrame(Buffer.from(hex, 'hex'));
      } catch (error) {
        if (error instanceof PacketDecodeError) return; // not ours to answer
        throw error;
      }
      const reply = respond(frame);
      if (reply) child.stdin.write(`${Buffer.from(encodeFrame(reply)).toString('hex')}\n`);
    });
  });

  after(async () => {
    // ip netns exec replaces itself with python: this PID is the helper we started.
    if (responder?.pid !== undefined && responder.exitCode === null) {
      responder.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    for (const ns of [CLIENT_NS, RESPONDER_NS]) {
      const pids = (await run('ip', ['netns', 'pids', ns]).catch(() => '')).split(/\s+/).filter(Boolean);
      for (const pid of pids) await tryRun('kill', ['-9', pid]);
      await tryRun('ip', ['netns', 'del', ns]);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('busybox udhcpc takes the offered lease with its options', async () => {
    const output = await inClient('busybox', [
      'udhcpc',
      '-i',
      CLIENT_IF,
      '-n',
      '-q',
      '-t',
      '5',
      '-T',
      '1',
      '-s',
      script,
      '-O',
      'staticroutes',
    ]);
    assert.match(
      output,
      /LEASE ip=192\.0\.2\.110 mask=24 router=192\.0\.2\.2 dns=192\.0\.2\.53 domain=example\.org mtu=1400 serverid=192\.0\.2\.2 lease=600/,
    );
    assert.match(output, /staticroutes=10\.0\.0\.0\/8 192\.0\.2\.2 0\.0\.0\.0\/0 192\.0\.2\.2/);
    assert.match(await inClient('ip', ['-4', 'addr', 'show', 'dev', CLIENT_IF]), /inet 192\.0\.2\.110\/24/);
  });

  it('ping resolves the gateway through the ARP reply and gets the echo reply', async () => {
    const output = await inClient('ping', ['-c', '1', '-W', '2', GATEWAY.ip]);
    assert.match(output, /1 received/);
    assert.match(await inClient('ip', ['neigh', 'show', GATEWAY.ip]), new RegExp(`lladdr ${GATEWAY.mac}`));
  });

  it('ping reports the time exceeded built for its TTL-1 packet', async () => {
    const output = await clientOutput(['ping', '-c', '1', '-W', '2', '-t', '1', FAR_HOST]);
    assert.match(output, /From 192\.0\.2\.2 icmp_seq=1 Time to live exceeded/);
  });

  it('the kernel takes the MTU from the fragmentation needed built for its DF packet', async () => {
    const output = await clientOutput(['ping', '-c', '1', '-W', '2', '-M', 'do', '-s', '1372', FAR_HOST]);
    assert.match(output, /mtu = 1280/);
    assert.match(await inClient('ip', ['route', 'get', FAR_HOST]), /mtu 1280/);
  });

  it('ping -6 resolves the neighbour through the advertisement and gets the echo reply', async () => {
    const output = await inClient('ping', ['-6', '-c', '1', '-W', '2', GATEWAY6]);
    assert.match(output, /1 received/);
    assert.match(
      await inClient('ip', ['-6', 'neigh', 'show', GATEWAY6]),
      new RegExp(`lladdr ${GATEWAY.mac} router`),
    );
  });
});
