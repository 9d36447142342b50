// Wireshark as an independent oracle for encodings no captured frame covers (QinQ, IPv6
// extension header chains, router advertisements, built replies): it must parse every field
// back and find every checksum good. Skipped when tshark is not installed.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  buildDhcpOffer,
  buildIcmpv4Error,
  buildNeighborAdvertisement,
  decodeFrame,
  encodeFrame,
  type FrameInit,
} from '../src/index.js';
import { fixture, loadHexFixtures } from './helpers.js';

const captured = loadHexFixtures('captured.hex');
const ROUTER = { ip: '192.0.2.2', mac: '02:00:00:00:01:02' } as const;

function tsharkAvailable(): boolean {
  try {
    execFileSync('tshark', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A classic pcap file (Ethernet link type) holding the frames. */
function pcap(frames: readonly Uint8Array[]): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(1, 20);
  const records = frames.map((frame) => {
    const record = Buffer.alloc(16);
    record.writeUInt32LE(frame.length, 8);
    record.writeUInt32LE(frame.length, 12);
    return Buffer.concat([record, frame]);
  });
  return Buffer.concat([header, ...records]);
}

const FIELDS = [
  '_ws.malformed',
  'ieee8021ad.id',
  'vlan.id',
  'ip.checksum.status',
  'tcp.checksum.status',
  'tcp.options.mss_val',
  'udp.checksum.status',
  'ipv6.routing.type',
  'icmp.checksum.status',
  'icmp.mtu',
  'icmpv6.checksum.status',
  'icmpv6.nd.ra.flag.m',
  'icmpv6.opt.mtu',
  'icmpv6.opt.prefix',
  'icmpv6.nd.na.flag.s',
  'icmpv6.opt.linkaddr',
  'dhcp.option.dhcp',
  'dhcp.option.dhcp_server_id',
  'dhcp.option.classless_static_route',
  'arp.opcode',
] as const;
type Field = (typeof FIELDS)[number];

const ethernet = { destination: '02:00:00:00:00:02', source: '02:00:00:00:00:01' } as const;
const cases: {
  readonly name: string;
  readonly frame: FrameInit;
  readonly expect: Partial<Record<Field, string>>;
}[] = [
  {
    name: 'QinQ + IPv4 + TCP with MSS',
    frame: {
      ethernet: { ...ethernet, vlans: [{ vid: 200 }, { vid: 100 }] },
      network: { kind: 'ipv4', source: '192.0.2.1', destination: '192.0.2.2' },
      transport: {
        kind: 'tcp',
        sourcePort: 40000,
        destinationPort: 80,
        flags: { syn: true },
        options: Uint8Array.from([2, 4, 5, 0xb4]),
      },
    },
    expect: {
      'ieee8021ad.id': '200',
      'vlan.id': '100',
      'ip.checksum.status': '1',
      'tcp.checksum.status': '1',
      'tcp.options.mss_val': '1460',
    },
  },
  {
    name: 'IPv6 hop-by-hop + destination options + routing type 2 + fragment + UDP',
    frame: {
      ethernet,
      network: {
        kind: 'ipv6',
        source: '2001:db8::1',
        destination: '2001:db8::2',
        extensionHeaders: [
          { type: 'hop-by-hop', options: Uint8Array.from([1, 4, 0, 0, 0, 0]) },
          { type: 'destination-options', options: Uint8Array.from([1, 4, 0, 0, 0, 0]) },
          {
            type: 'routing',
            routingType: 2,
            segmentsLeft: 1,
            data: Uint8Array.from([0, 0, 0, 0, 0x20, 1, 0x0d, 0xb8, ...new Array<number>(11).fill(0), 0x99]),
          },
          { type: 'fragment', fragmentOffset: 0, moreFragments: false, identification: 1 },
        ],
      },
      transport: { kind: 'udp', sourcePort: 1234, destinationPort: 5678 },
      payload: Uint8Array.from([1, 2, 3]),
    },
    expect: { 'ipv6.routing.type': '2', 'udp.checksum.status': '1' },
  },
  {
    name: 'router advertisement with MTU and prefix options',
    frame: {
      ethernet: { destination: '33:33:00:00:00:01', source: '02:00:00:00:00:01' },
      network: { kind: 'ipv6', source: 'fe80::1', destination: 'ff02::1', hopLimit: 255 },
      transport: {
        kind: 'icmpv6',
        type: 'router-advertisement',
        managed: true,
        routerLifetime: 1800,
        options: [
          { type: 'source-link-layer-address', address: '02:00:00:00:00:01' },
          { type: 'mtu', mtu: 1450 },
          {
            type: 'prefix-information',
            prefixLength: 64,
            onLink: true,
            autonomous: true,
            validLifetime: 86400,
            preferredLifetime: 14400,
            prefix: '2001:db8:1::',
          },
        ],
      },
    },
    expect: {
      'icmpv6.checksum.status': '1',
      'icmpv6.nd.ra.flag.m': '1',
      'icmpv6.opt.mtu': '1450',
      'icmpv6.opt.prefix': '2001:db8:1::',
    },
  },
  {
    name: 'DHCPOFFER built for the captured DISCOVER',
    frame: buildDhcpOffer(decodeFrame(fixture(captured, 'dhcp-full-discover')), ROUTER, {
      address: '192.0.2.110',
      subnetMask: '255.255.255.0',
      leaseTime: 3600,
      routers: ['192.0.2.2'],
      classlessRoutes: [{ destination: '10.0.0.0', prefixLength: 8, router: '192.0.2.2' }],
    }),
    expect: {
      'ip.checksum.status': '1',
      'udp.checksum.status': '1',
      'dhcp.option.dhcp': '2',
      'dhcp.option.dhcp_server_id': '192.0.2.2',
      // Wireshark splits the option into its RFC 3442 routes (and shows their bytes).
      'dhcp.option.classless_static_route': '080ac0000202,00c0000202',
    },
  },
  {
    name: 'fragmentation needed built for the captured DF ping',
    frame: buildIcmpv4Error(
      decodeFrame(fixture(captured, 'icmp-echo-request-df')),
      { type: 'fragmentation-needed', mtu: 1280 },
      ROUTER,
    ) ?? {
      ethernet,
    },
    // The quoted echo request is cut short, so its own checksum cannot be verified (2).
    expect: { 'ip.checksum.status': '1,1', 'icmp.checksum.status': '1,2', 'icmp.mtu': '1280' },
  },
  {
    name: 'neighbor advertisement built for the captured NS',
    frame: buildNeighborAdvertisement(decodeFrame(fixture(captured, 'icmpv6-neighbor-solicitation')), {
      mac: ROUTER.mac,
    }) ?? { ethernet },
    expect: { 'icmpv6.checksum.status': '1', 'icmpv6.nd.na.flag.s': '1', 'icmpv6.opt.linkaddr': ROUTER.mac },
  },
];

describe(
  'tshark reads what we encode',
  { skip: tsharkAvailable() ? false : 'tshark is not installed' },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'wpk-tshark-'));
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('finds every field and every checksum good', () => {
      const file = join(dir, 'frames.pcap');
      writeFileSync(file, pcap(cases.map((c) => encodeFrame(c.frame))));
      const checks = ['ip', 'udp', 'tcp'].flatMap((p) => ['-o', `${p}.check_checksum:TRUE`]);
      const output = execFileSync(
        'tshark',
        [
          '-r',
          file,
          ...checks,
          '-T',
          'fields',
          '-E',
          'separator=\t',
          '-E',
          'occurrence=a',
          '-E',
          'aggregator=,',
          ...FIELDS.flatMap((f) => ['-e', f]),
        ],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
      );
      const rows = output.trimEnd().split('\n');
      assert.equal(rows.length, cases.length);
      cases.forEach((c, i) => {
        const values = (rows[i] ?? '').split('\t');
        const field = (name: Field): string => values[FIELDS.indexOf(name)] ?? '';
        assert.equal(field('_ws.malformed'), '', `${c.name}: malformed`);
        for (const [name, expected] of Object.entries(c.expect))
          assert.equal(field(name as Field), expected, `${c.name}: ${name}`);
      });
    });
  },
);
