// Reply builders, checked byte for byte against what real implementations sent or built for the
// same requests: the Linux kernel (ARP, ICMP echo, time exceeded, fragmentation needed, NA, ICMPv6
// echo in captured.hex) and os-ken's packet library (ARP reply, DHCPOFFER in osken-reference.hex).
// Fields a reference picks at random (IP identification, flow label) are copied from it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  buildArpReply,
  buildDhcpAck,
  buildDhcpNak,
  buildDhcpOffer,
  buildIcmpv4EchoReply,
  buildIcmpv4Error,
  buildIcmpv6EchoReply,
  buildNeighborAdvertisement,
  decodeFrame,
  DhcpMessageType,
  dhcpMessageType,
  encodeFrame,
  getDhcpOption,
  PacketEncodeError,
  type DhcpLease,
  type DhcpMessageInit,
  type Frame,
  type FrameInit,
  type Ipv4,
  type Ipv6,
} from '../src/index.js';
import { fixture, loadHexFixtures, toHex } from './helpers.js';

const captured = loadHexFixtures('captured.hex');
const reference = loadHexFixtures('osken-reference.hex');
const CLIENT_MAC = '02:00:00:00:01:01';
const ROUTER_MAC = '02:00:00:00:01:02';
const server = { ip: '192.0.2.2', mac: ROUTER_MAC } as const;

const frame = (name: string): Frame => decodeFrame(fixture(captured, name));
const identification = (name: string): number => (frame(name).network as Ipv4).identification;
function encoded(init: FrameInit | undefined): Uint8Array {
  assert.ok(init, 'a reply was built');
  return encodeFrame(init);
}

/** The lease osken-reference.py builds its DHCPOFFER with (the address udhcpd chose). */
function lease(): DhcpLease {
  const offered = frame('dhcp-offer').application;
  assert.ok(offered);
  return {
    address: offered.yiaddr,
    subnetMask: '255.255.255.0',
    leaseTime: 3600,
    routers: ['192.0.2.2'],
    dnsServers: ['192.0.2.53', '192.0.2.54'],
    domainName: 'example.org',
    mtu: 1400,
    classlessRoutes: [{ destination: '10.0.0.0', prefixLength: 8, router: '192.0.2.2' }],
  };
}

describe('reply builders against the Linux kernel (captured.hex)', () => {
  it('buildArpReply gives the kernel ARP reply', () => {
    const reply = encoded(buildArpReply(frame('arp-request'), { mac: ROUTER_MAC }));
    assert.equal(toHex(reply), toHex(fixture(captured, 'arp-reply')));
  });

  it('buildIcmpv4EchoReply gives the kernel echo reply', () => {
    const init = buildIcmpv4EchoReply(frame('icmp-echo-request'), {
      identification: identification('icmp-echo-reply'),
    });
    assert.equal(toHex(encoded(init)), toHex(fixture(captured, 'icmp-echo-reply')));
  });

  it('buildIcmpv4Error gives the kernel time exceeded', () => {
    const init = buildIcmpv4Error(
      frame('icmp-echo-request-ttl1'),
      { type: 'time-exceeded' },
      { ...server, identification: identification('icmp-time-exceeded') },
    );
    assert.equal(toHex(encoded(init)), toHex(fixture(captured, 'icmp-time-exceeded')));
  });

  it('buildIcmpv4Error gives the kernel fragmentation needed (quote cut at 576 bytes)', () => {
    const init = buildIcmpv4Error(
      frame('icmp-echo-request-df'),
      { type: 'fragmentation-needed', mtu: 1280 },
      { ...server, identification: identification('icmp-frag-needed') },
    );
    assert.equal(toHex(encoded(init)), toHex(fixture(captured, 'icmp-frag-needed')));
  });

  it('buildNeighborAdvertisement gives the kernel NA', () => {
    const init = buildNeighborAdvertisement(frame('icmpv6-neighbor-solicitation'), { mac: ROUTER_MAC });
    assert.equal(toHex(encoded(init)), toHex(fixture(captured, 'icmpv6-neighbor-advertisement')));
  });

  it('buildIcmpv6EchoReply gives the kernel ICMPv6 echo reply', () => {
    const init = buildIcmpv6EchoReply(frame('icmpv6-echo-request'));
    assert.ok(init?.network?.kind === 'ipv6');
    const flowLabel = (frame('icmpv6-echo-reply').network as Ipv6).flowLabel;
    const bytes = encodeFrame({ ...init, network: { ...init.network, flowLabel } });
    assert.equal(toHex(bytes), toHex(fixture(captured, 'icmpv6-echo-reply')));
  });
});

describe('reply builders against os-ken (osken-reference.hex)', () => {
  it('the ARP reply matches os-ken (which pads to 60 bytes)', () => {
    const reply = encodeFrame(buildArpReply(frame('arp-request'), { mac: ROUTER_MAC }), {
      minimumLength: 60,
    });
    assert.equal(toHex(reply), toHex(fixture(reference, 'arp-reply')));
    assert.equal(decodeFrame(reply).network?.kind, 'arp');
  });

  it('the DHCPOFFER for the captured DISCOVER matches os-ken byte for byte', () => {
    const offer = encoded(buildDhcpOffer(frame('dhcp-full-discover'), server, lease()));
    assert.equal(toHex(offer), toHex(fixture(reference, 'dhcp-offer')));
  });

  const python = '/usr/bin/python3';
  const script = fileURLToPath(new URL('./fixtures/osken-reference.py', import.meta.url));
  const hasOsKen =
    existsSync(python) &&
    (() => {
      try {
        execFileSync(python, ['-c', 'import os_ken'], { stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    })();
  it(
    'osken-reference.hex is what os-ken builds today',
    { skip: hasOsKen ? false : 'no /usr/bin/python3 with os_ken' },
    () => {
      const live = execFileSync(
        python,
        [script, fileURLToPath(new URL('./fixtures/captured.hex', import.meta.url))],
        {
          encoding: 'utf8',
        },
      );
      const stored = toHex(fixture(reference, 'dhcp-offer'));
      assert.ok(live.includes(`dhcp-offer ${stored}`));
      assert.ok(live.includes(`arp-reply ${toHex(fixture(reference, 'arp-reply'))}`));
    },
  );
});

describe('DHCP replies (RFC 2131)', () => {
  it('an OFFER answers the DISCOVER as udhcpd did, unicast to the client per section 4.1', () => {
    const offerFrame = decodeFrame(encoded(buildDhcpOffer(frame('dhcp-full-discover'), server, lease())));
    const ours = offerFrame.application;
    const theirs = frame('dhcp-offer').application;
    assert.ok(ours && theirs);
    for (const field of [
      'op',
      'htype',
      'hops',
      'xid',
      'secs',
      'broadcast',
      'ciaddr',
      'yiaddr',
      'siaddr',
      'giaddr',
      'chaddr',
    ] as const) {
      assert.equal(ours[field], theirs[field], field);
    }
    for (const kind of [
      'message-type',
      'server-id',
      'lease-time',
      'subnet-mask',
      'router',
      'dns-servers',
      'domain-name',
      'interface-mtu',
    ] as const) {
      assert.deepEqual(getDhcpOption(ours.options, kind), getDhcpOption(theirs.options, kind), kind);
    }
    // The client asked for option 121, so the default route is carried there too (RFC 3442).
    assert.deepEqual(getDhcpOption(ours.options, 'classless-static-routes'), [
      { destination: '10.0.0.0', prefixLength: 8, router: '192.0.2.2' },
      { destination: '0.0.0.0', prefixLength: 0, router: '192.0.2.2' },
    ]);
    // RFC 6842: the client identifier comes back.
    assert.equal(
      toHex(getDhcpOption(ours.options, 'client-id') ?? new Uint8Array()),
      `01${CLIENT_MAC.replace(/:/g, '')}`,
    );
    // No BROADCAST flag, no ciaddr, no relay: unicast to chaddr / yiaddr.
    assert.equal(offerFrame.ethernet.destination, CLIENT_MAC);
    assert.equal((offerFrame.network as Ipv4).destination, theirs.yiaddr);
    assert.equal((offerFrame.network as Ipv4).source, '192.0.2.2');
    assert.equal(offerFrame.transport?.kind === 'udp' && offerFrame.transport.destinationPort, 68);
  });

  it('an ACK answers the captured REQUEST like udhcpd', () => {
    const ours = decodeFrame(encoded(buildDhcpAck(frame('dhcp-request'), server, lease()))).application;
    const theirs = frame('dhcp-ack').application;
    assert.ok(ours && theirs);
    assert.equal(dhcpMessageType(ours), DhcpMessageType.Ack);
    assert.equal(ours.xid, theirs.xid);
    assert.equal(ours.yiaddr, theirs.yiaddr);
    assert.equal(getDhcpOption(ours.options, 'server-id'), getDhcpOption(theirs.options, 'server-id'));
    assert.equal(getDhcpOption(ours.options, 'lease-time'), 3600);
  });

  /** A client message inside a frame, with the chosen fields changed. */
  function clientFrame(type: number, changes: Partial<DhcpMessageInit> = {}, source = CLIENT_MAC): Frame {
    const message: DhcpMessageInit = {
      kind: 'dhcpv4',
      op: 1,
      xid: 0x11223344,
      chaddr: CLIENT_MAC,
      options: [{ kind: 'message-type', value: type }],
      ...changes,
    };
    return decodeFrame(
      encodeFrame({
        ethernet: { destination: 'ff:ff:ff:ff:ff:ff', source },
        network: { kind: 'ipv4', source: message.ciaddr ?? '0.0.0.0', destination: '255.255.255.255' },
        transport: { kind: 'udp', sourcePort: message.giaddr ? 67 : 68, destinationPort: 67 },
        application: message,
      }),
    );
  }

  function addressing(init: FrameInit): [string, string, number | false, boolean | undefined] {
    const reply = decodeFrame(encodeFrame(init));
    return [
      reply.ethernet.destination,
      (reply.network as Ipv4).destination,
      reply.transport?.kind === 'udp' && reply.transport.destinationPort,
      reply.application?.broadcast,
    ];
  }

  it('follows the addressing rules of section 4.1', () => {
    const l = lease();
    assert.deepEqual(addressing(buildDhcpOffer(clientFrame(1, { broadcast: true }), server, l)), [
      'ff:ff:ff:ff:ff:ff',
      '255.255.255.255',
      68,
      true,
    ]);
    assert.deepEqual(addressing(buildDhcpOffer(clientFrame(1), server, l)), [
      CLIENT_MAC,
      l.address,
      68,
      false,
    ]);
    assert.deepEqual(addressing(buildDhcpAck(clientFrame(3, { ciaddr: '192.0.2.50' }), server, l)), [
      CLIENT_MAC,
      '192.0.2.50',
      68,
      false,
    ]);
    const relayMac = '02:00:00:00:0f:0f';
    assert.deepEqual(
      addressing(buildDhcpOffer(clientFrame(1, { giaddr: '198.51.100.1', hops: 1 }, relayMac), server, l)),
      [relayMac, '198.51.100.1', 67, false],
    );
    assert.deepEqual(addressing(buildDhcpNak(clientFrame(3), server)), [
      'ff:ff:ff:ff:ff:ff',
      '255.255.255.255',
      68,
      false,
    ]);
    assert.deepEqual(
      addressing(buildDhcpNak(clientFrame(3, { giaddr: '198.51.100.1' }, relayMac), server, 'wrong network')),
      [relayMac, '198.51.100.1', 67, true],
    );
  });

  it('fills the header fields of table 3', () => {
    const offer = decodeFrame(
      encodeFrame(
        buildDhcpOffer(clientFrame(1, { secs: 9, hops: 0, ciaddr: '0.0.0.0' }), server, {
          ...lease(),
          nextServer: '192.0.2.9',
          bootFile: 'pxelinux.0',
        }),
      ),
    ).application;
    assert.ok(offer);
    assert.deepEqual(
      [offer.op, offer.hops, offer.secs, offer.xid, offer.siaddr, offer.file, offer.chaddr],
      [2, 0, 0, 0x11223344, '192.0.2.9', 'pxelinux.0', CLIENT_MAC],
    );
    const nak = decodeFrame(
      encodeFrame(buildDhcpNak(clientFrame(3, { ciaddr: '192.0.2.50' }), server, 'no')),
    ).application;
    assert.ok(nak);
    assert.deepEqual([nak.ciaddr, nak.yiaddr, nak.siaddr], ['0.0.0.0', '0.0.0.0', '0.0.0.0']);
    assert.deepEqual(nak.options, [
      { kind: 'message-type', value: DhcpMessageType.Nak },
      { kind: 'server-id', value: '192.0.2.2' },
      { kind: 'message', value: 'no' },
    ]);
  });

  it('answers DHCPINFORM without an address or lease times (section 3.4)', () => {
    const ack = decodeFrame(
      encodeFrame(
        buildDhcpAck(clientFrame(8, { ciaddr: '192.0.2.77' }), server, { ...lease(), renewalTime: 1800 }),
      ),
    );
    const message = ack.application;
    assert.ok(message);
    assert.equal(message.yiaddr, '0.0.0.0');
    assert.equal(message.ciaddr, '192.0.2.77');
    assert.equal(getDhcpOption(message.options, 'lease-time'), undefined);
    assert.equal(getDhcpOption(message.options, 'renewal-time'), undefined);
    assert.equal(getDhcpOption(message.options, 'subnet-mask'), '255.255.255.0');
    assert.equal((ack.network as Ipv4).destination, '192.0.2.77');
  });

  it('refuses messages it does not answer, and replies the client could not take', () => {
    const notApplicable = (e: unknown): boolean =>
      e instanceof PacketEncodeError && e.code === 'PACKET_NOT_APPLICABLE';
    assert.throws(() => buildDhcpOffer(clientFrame(3), server, lease()), notApplicable);
    assert.throws(() => buildDhcpAck(clientFrame(1), server, lease()), notApplicable);
    assert.throws(() => buildDhcpNak(clientFrame(8), server), notApplicable);
    assert.throws(() => buildDhcpOffer(clientFrame(1, { op: 2 }), server, lease()), notApplicable);
    assert.throws(() => buildDhcpOffer(frame('arp-request'), server, lease()), notApplicable);
    const huge = { ...lease(), dnsServers: Array.from({ length: 70 }, (_, i) => `192.0.2.${i}`) };
    assert.throws(
      () => buildDhcpOffer(clientFrame(1), server, huge),
      (e: unknown) => e instanceof PacketEncodeError && e.code === 'PACKET_TOO_LARGE',
    );
  });
});

describe('ICMP, ARP and ND builder rules', () => {
  const origin = { ip: '192.0.2.2', mac: ROUTER_MAC } as const;
  function ipFrame(changes: {
    source?: string;
    destination?: string;
    fragmentOffset?: number;
    ethDestination?: string;
    icmpError?: boolean;
  }): Frame {
    return decodeFrame(
      encodeFrame({
        ethernet: {
          destination: changes.ethDestination ?? ROUTER_MAC,
          source: CLIENT_MAC,
          vlans: [{ vid: 42 }],
        },
        network: {
          kind: 'ipv4',
          source: changes.source ?? '192.0.2.1',
          destination: changes.destination ?? '198.51.100.2',
          ...(changes.fragmentOffset ? { fragmentOffset: changes.fragmentOffset, protocol: 17 } : {}),
        },
        ...(changes.fragmentOffset
          ? { payload: new Uint8Array(8) }
          : changes.icmpError
            ? { transport: { kind: 'icmpv4', type: 'time-exceeded', original: new Uint8Array(28) } as const }
            : {
                transport: { kind: 'udp', sourcePort: 1, destinationPort: 2 } as const,
                payload: new Uint8Array(1000),
              }),
      }),
    );
  }

  it('sends no ICMP error where RFC 1122/1812 forbid one', () => {
    const timeExceeded = { type: 'time-exceeded' } as const;
    assert.ok(buildIcmpv4Error(ipFrame({}), timeExceeded, origin));
    for (const changes of [
      { icmpError: true },
      { fragmentOffset: 1480 },
      { destination: '255.255.255.255' },
      { destination: '224.0.0.5' },
      { source: '0.0.0.0' },
      { source: '127.0.0.1' },
      { source: '240.0.0.1' },
      { ethDestination: 'ff:ff:ff:ff:ff:ff' },
    ]) {
      assert.equal(
        buildIcmpv4Error(ipFrame(changes), timeExceeded, origin),
        undefined,
        JSON.stringify(changes),
      );
    }
    assert.throws(() => buildIcmpv4Error(frame('arp-request'), timeExceeded, origin), PacketEncodeError);
  });

  it('quotes at most 548 bytes, keeps VLAN tags, and decodes back', () => {
    const init = buildIcmpv4Error(ipFrame({}), { type: 'destination-unreachable', code: 13 }, origin);
    const reply = decodeFrame(encoded(init));
    assert.deepEqual(reply.ethernet.vlans, [{ tpid: 0x8100, pcp: 0, dei: false, vid: 42 }]);
    assert.equal(reply.ethernet.destination, CLIENT_MAC);
    assert.ok(reply.transport?.kind === 'icmpv4' && reply.transport.type === 'destination-unreachable');
    assert.equal(reply.transport.code, 13);
    assert.equal(reply.transport.original.length, 548);
    assert.equal((reply.network as Ipv4).totalLength, 576);
  });

  it('does not answer pings to broadcast addresses', () => {
    const ping = decodeFrame(
      encodeFrame({
        ethernet: { destination: 'ff:ff:ff:ff:ff:ff', source: CLIENT_MAC },
        network: { kind: 'ipv4', source: '192.0.2.1', destination: '192.0.2.255' },
        transport: { kind: 'icmpv4', type: 'echo-request', identifier: 1, sequence: 1 },
      }),
    );
    assert.equal(buildIcmpv4EchoReply(ping), undefined);
    assert.throws(() => buildIcmpv4EchoReply(frame('tcp-syn')), PacketEncodeError);
  });

  it('answers ARP on the VLAN it came from, and only requests', () => {
    const tagged = decodeFrame(
      encodeFrame({
        ...frame('arp-request'),
        ethernet: { ...frame('arp-request').ethernet, vlans: [{ vid: 7 }] },
      }),
    );
    const reply = decodeFrame(encodeFrame(buildArpReply(tagged, { mac: ROUTER_MAC })));
    assert.equal(reply.ethernet.vlans[0]?.vid, 7);
    assert.throws(() => buildArpReply(frame('arp-reply'), { mac: ROUTER_MAC }), PacketEncodeError);
  });

  it('answers duplicate address detection to all-nodes, and drops invalid solicitations', () => {
    const dad = decodeFrame(
      encodeFrame({
        ethernet: { destination: '33:33:ff:00:00:02', source: CLIENT_MAC },
        network: { kind: 'ipv6', source: '::', destination: 'ff02::1:ff00:2', hopLimit: 255 },
        transport: { kind: 'icmpv6', type: 'neighbor-solicitation', target: '2001:db8:1::2' },
      }),
    );
    const na = decodeFrame(encoded(buildNeighborAdvertisement(dad, { mac: ROUTER_MAC, router: true })));
    assert.equal(na.ethernet.destination, '33:33:00:00:00:01');
    assert.equal((na.network as Ipv6).destination, 'ff02::1');
    assert.ok(na.transport?.kind === 'icmpv6' && na.transport.type === 'neighbor-advertisement');
    assert.deepEqual(
      [na.transport.router, na.transport.solicited, na.transport.override],
      [true, false, true],
    );

    const ns = frame('icmpv6-neighbor-solicitation');
    const lowHop = decodeFrame(encodeFrame({ ...ns, network: { ...(ns.network as Ipv6), hopLimit: 64 } }));
    assert.equal(buildNeighborAdvertisement(lowHop, { mac: ROUTER_MAC }), undefined);
    assert.throws(
      () => buildNeighborAdvertisement(frame('icmpv6-echo-request'), { mac: ROUTER_MAC }),
      PacketEncodeError,
    );
  });
});
