// Frames captured from real tools (fixtures/capture.sh): decode each, check the fields the
// tools are known to send, check every checksum, and re-encode each to the exact same bytes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ArpOperation,
  decodeFrame,
  decodeIpPacket,
  DhcpMessageType,
  dhcpMessageType,
  encodeFrame,
  getDhcpOption,
  Icmpv4UnreachableCode,
  tcpOptions,
  type DhcpMessage,
  type Frame,
  type Icmpv4,
  type Icmpv6,
  type Ipv4,
  type Ipv6,
  type Tcp,
  type Udp,
} from '../src/index.js';
import { fixture, loadHexFixtures, toHex } from './helpers.js';

const frames = loadHexFixtures('captured.hex');
const CLIENT_MAC = '02:00:00:00:01:01';
const ROUTER_MAC = '02:00:00:00:01:02';

function decoded(name: string): Frame {
  return decodeFrame(fixture(frames, name));
}
function ipv4(frame: Frame): Ipv4 {
  assert.equal(frame.network?.kind, 'ipv4');
  return frame.network;
}
function ipv6(frame: Frame): Ipv6 {
  assert.equal(frame.network?.kind, 'ipv6');
  return frame.network;
}
function udp(frame: Frame): Udp {
  assert.equal(frame.transport?.kind, 'udp');
  return frame.transport;
}
function tcp(frame: Frame): Tcp {
  assert.equal(frame.transport?.kind, 'tcp');
  return frame.transport;
}
function icmp(frame: Frame): Icmpv4 {
  assert.equal(frame.transport?.kind, 'icmpv4');
  return frame.transport;
}
function icmpv6(frame: Frame): Icmpv6 {
  assert.equal(frame.transport?.kind, 'icmpv6');
  return frame.transport;
}
function dhcp(frame: Frame): DhcpMessage {
  assert.equal(frame.application?.kind, 'dhcpv4');
  return frame.application;
}

describe('captured frames', () => {
  it('has every frame capture.sh promises', () => {
    assert.equal(frames.size, 29);
  });

  it('decodes every frame with valid checksums and re-encodes it byte for byte', () => {
    for (const [name, bytes] of frames) {
      const frame = decodeFrame(bytes);
      for (const layer of [frame.network, frame.transport]) {
        if (layer && 'checksumValid' in layer)
          assert.equal(layer.checksumValid, true, `${name}: ${layer.kind} checksum`);
      }
      assert.equal(toHex(encodeFrame(frame)), toHex(bytes), name);
    }
  });

  it('udhcpc DHCPDISCOVER (no server)', () => {
    const frame = decoded('dhcp-discover');
    assert.equal(frame.ethernet.destination, 'ff:ff:ff:ff:ff:ff');
    assert.equal(frame.ethernet.source, CLIENT_MAC);
    const ip = ipv4(frame);
    assert.equal(ip.source, '0.0.0.0');
    assert.equal(ip.destination, '255.255.255.255');
    assert.deepEqual([udp(frame).sourcePort, udp(frame).destinationPort], [68, 67]);
    const message = dhcp(frame);
    assert.equal(udp(frame).length - 8, 300, 'padded to the BOOTP minimum');
    assert.equal(message.op, 1);
    assert.equal(message.htype, 1);
    assert.equal(message.chaddr, CLIENT_MAC);
    assert.equal(message.broadcast, false);
    assert.equal(dhcpMessageType(message), DhcpMessageType.Discover);
    assert.equal(
      toHex(getDhcpOption(message.options, 'client-id') ?? new Uint8Array()),
      `01${CLIENT_MAC.replace(/:/g, '')}`,
    );
    assert.match(getDhcpOption(message.options, 'vendor-class') ?? '', /^udhcp 1\./);
    assert.equal(getDhcpOption(message.options, 'max-message-size'), 576);
    const requested = getDhcpOption(message.options, 'parameter-request-list') ?? [];
    for (const code of [1, 3, 6, 12, 15, 28]) assert.ok(requested.includes(code), `requests option ${code}`);
  });

  it('udhcpc and udhcpd: DISCOVER, OFFER, REQUEST, ACK', () => {
    const discover = dhcp(decoded('dhcp-full-discover'));
    assert.equal(getDhcpOption(discover.options, 'hostname'), 'wpk-client');
    assert.ok(getDhcpOption(discover.options, 'parameter-request-list')?.includes(121));

    const offerFrame = decoded('dhcp-offer');
    assert.equal(offerFrame.ethernet.source, ROUTER_MAC);
    assert.equal(ipv4(offerFrame).source, '192.0.2.2');
    assert.deepEqual([udp(offerFrame).sourcePort, udp(offerFrame).destinationPort], [67, 68]);
    const offer = dhcp(offerFrame);
    assert.equal(offer.op, 2);
    assert.equal(offer.xid, discover.xid);
    assert.equal(offer.chaddr, CLIENT_MAC);
    assert.match(offer.yiaddr, /^192\.0\.2\.1(0\d|10)$/);
    assert.deepEqual(offer.options, [
      { kind: 'message-type', value: DhcpMessageType.Offer },
      { kind: 'server-id', value: '192.0.2.2' },
      { kind: 'lease-time', value: 3600 },
      { kind: 'subnet-mask', value: '255.255.255.0' },
      { kind: 'router', value: ['192.0.2.2'] },
      { kind: 'dns-servers', value: ['192.0.2.53', '192.0.2.54'] },
      { kind: 'domain-name', value: 'example.org' },
      { kind: 'interface-mtu', value: 1400 },
      {
        kind: 'classless-static-routes',
        value: [
          { destination: '10.0.0.0', prefixLength: 8, router: '192.0.2.2' },
          { destination: '198.51.100.0', prefixLength: 24, router: '192.0.2.2' },
        ],
      },
    ]);

    const request = dhcp(decoded('dhcp-request'));
    assert.equal(request.xid, discover.xid);
    assert.equal(dhcpMessageType(request), DhcpMessageType.Request);
    assert.equal(getDhcpOption(request.options, 'requested-ip'), offer.yiaddr);
    assert.equal(getDhcpOption(request.options, 'server-id'), '192.0.2.2');

    const ack = dhcp(decoded('dhcp-ack'));
    assert.equal(dhcpMessageType(ack), DhcpMessageType.Ack);
    assert.equal(ack.xid, discover.xid);
    assert.equal(ack.yiaddr, offer.yiaddr);
  });

  it('ping: ARP request and reply', () => {
    const request = decoded('arp-request');
    assert.equal(request.ethernet.destination, 'ff:ff:ff:ff:ff:ff');
    assert.deepEqual(request.network, {
      kind: 'arp',
      operation: ArpOperation.Request,
      senderMac: CLIENT_MAC,
      senderIp: '192.0.2.1',
      targetMac: '00:00:00:00:00:00',
      targetIp: '192.0.2.2',
    });
    const reply = decoded('arp-reply');
    assert.equal(reply.ethernet.destination, CLIENT_MAC);
    assert.deepEqual(reply.network, {
      kind: 'arp',
      operation: ArpOperation.Reply,
      senderMac: ROUTER_MAC,
      senderIp: '192.0.2.2',
      targetMac: CLIENT_MAC,
      targetIp: '192.0.2.1',
    });
  });

  it('ping: ICMP echo request and reply', () => {
    const request = decoded('icmp-echo-request');
    const reply = decoded('icmp-echo-reply');
    assert.deepEqual([ipv4(request).source, ipv4(request).destination], ['192.0.2.1', '192.0.2.2']);
    assert.deepEqual([ipv4(reply).source, ipv4(reply).destination], ['192.0.2.2', '192.0.2.1']);
    const echo = icmp(request);
    const answer = icmp(reply);
    assert.ok(echo.type === 'echo-request' && answer.type === 'echo-reply');
    assert.equal(echo.data.length, 56);
    assert.equal(answer.identifier, echo.identifier);
    assert.equal(answer.sequence, echo.sequence);
    assert.equal(toHex(answer.data), toHex(echo.data));
  });

  it('a UDP datagram and the port unreachable quoting it', () => {
    const datagram = decoded('udp-datagram');
    assert.equal(udp(datagram).destinationPort, 5002);
    assert.equal(new TextDecoder().decode(datagram.payload), 'hello\n');
    const error = icmp(decoded('icmp-port-unreachable'));
    assert.ok(error.type === 'destination-unreachable');
    assert.equal(error.code, Icmpv4UnreachableCode.Port);
    assert.equal(toHex(error.original), toHex(datagram.bytes.subarray(14)));
    assert.equal(decodeIpPacket(error.original).transport?.kind, 'udp');
  });

  it('TCP handshake from busybox nc', () => {
    const syn = tcp(decoded('tcp-syn'));
    const synAck = tcp(decoded('tcp-syn-ack'));
    const ack = tcp(decoded('tcp-ack'));
    assert.equal(syn.destinationPort, 5001);
    assert.deepEqual(syn.flags, {
      fin: false,
      syn: true,
      rst: false,
      psh: false,
      ack: false,
      urg: false,
      ece: false,
      cwr: false,
      ae: false,
    });
    assert.ok(synAck.flags.syn && synAck.flags.ack);
    assert.equal(synAck.acknowledgementNumber, (syn.sequenceNumber + 1) >>> 0);
    assert.ok(ack.flags.ack && !ack.flags.syn);
    assert.equal(ack.acknowledgementNumber, (synAck.sequenceNumber + 1) >>> 0);
    // Linux SYN options: MSS 1460, SACK permitted, timestamps, NOP, window scale.
    const options = tcpOptions(syn.options);
    assert.deepEqual(
      options.map((o) => o.kind),
      [2, 4, 8, 1, 3],
    );
    assert.equal(toHex(options[0]?.data ?? new Uint8Array()), '05b4');
  });

  it('ICMP time exceeded and fragmentation needed from a Linux router, quoting the originals', () => {
    const expiring = decoded('icmp-echo-request-ttl1');
    assert.equal(ipv4(expiring).ttl, 1);
    const timeExceeded = decoded('icmp-time-exceeded');
    const te = icmp(timeExceeded);
    assert.ok(te.type === 'time-exceeded');
    assert.equal(te.code, 0);
    assert.equal(ipv4(timeExceeded).dscp, 48);
    assert.equal(toHex(te.original), toHex(expiring.bytes.subarray(14)));

    const oversized = decoded('icmp-echo-request-df');
    assert.equal(ipv4(oversized).dontFragment, true);
    assert.equal(ipv4(oversized).totalLength, 1428);
    const fragNeeded = icmp(decoded('icmp-frag-needed'));
    assert.ok(fragNeeded.type === 'destination-unreachable');
    assert.equal(fragNeeded.code, Icmpv4UnreachableCode.FragmentationNeeded);
    assert.equal(fragNeeded.nextHopMtu, 1280);
    // RFC 1812: the error stays within 576 bytes, so 548 bytes of the original are quoted.
    assert.equal(fragNeeded.original.length, 548);
    assert.equal(toHex(fragNeeded.original), toHex(oversized.bytes.subarray(14, 14 + 548)));
  });

  it('IPv4 fragments of a large ping', () => {
    const first = decoded('ipv4-first-fragment');
    const last = decoded('ipv4-last-fragment');
    assert.ok(ipv4(first).moreFragments && ipv4(first).fragmentOffset === 0);
    assert.ok(!ipv4(last).moreFragments && ipv4(last).fragmentOffset === 1480);
    assert.equal(ipv4(first).identification, ipv4(last).identification);
    assert.equal(first.transport, undefined);
    assert.equal(first.payload.length, 1480);
    assert.equal(first.payload.length + last.payload.length, 8 + 2000);
  });

  it('MLDv2 report: a hop-by-hop header with the router alert option', () => {
    const frame = decoded('mldv2-report');
    const ip = ipv6(frame);
    assert.equal(ip.destination, 'ff02::16');
    assert.equal(ip.hopLimit, 1);
    const [hopByHop] = ip.extensionHeaders;
    assert.ok(hopByHop?.type === 'hop-by-hop');
    assert.equal(toHex(hopByHop.options.subarray(0, 4)), '05020000');
    const report = icmpv6(frame);
    assert.ok(report.type === 'other' && report.icmpType === 143);
  });

  it('router solicitation', () => {
    const frame = decoded('icmpv6-router-solicitation');
    assert.equal(ipv6(frame).source, 'fe80::ff:fe00:101');
    assert.equal(ipv6(frame).destination, 'ff02::2');
    assert.equal(ipv6(frame).hopLimit, 255);
    const rs = icmpv6(frame);
    assert.ok(rs.type === 'router-solicitation');
    assert.deepEqual(rs.options, [{ type: 'source-link-layer-address', address: CLIENT_MAC }]);
  });

  it('neighbor solicitation and advertisement', () => {
    const nsFrame = decoded('icmpv6-neighbor-solicitation');
    assert.equal(nsFrame.ethernet.destination, '33:33:ff:00:00:02');
    assert.equal(ipv6(nsFrame).destination, 'ff02::1:ff00:2');
    assert.equal(ipv6(nsFrame).hopLimit, 255);
    const ns = icmpv6(nsFrame);
    assert.ok(ns.type === 'neighbor-solicitation');
    assert.equal(ns.target, '2001:db8:1::2');
    assert.deepEqual(ns.options, [{ type: 'source-link-layer-address', address: CLIENT_MAC }]);

    const naFrame = decoded('icmpv6-neighbor-advertisement');
    assert.equal(ipv6(naFrame).source, '2001:db8:1::2');
    assert.equal(ipv6(naFrame).destination, '2001:db8:1::1');
    const na = icmpv6(naFrame);
    assert.ok(na.type === 'neighbor-advertisement');
    assert.deepEqual(
      {
        router: na.router,
        solicited: na.solicited,
        override: na.override,
        target: na.target,
        options: na.options,
      },
      {
        router: false,
        solicited: true,
        override: true,
        target: '2001:db8:1::2',
        options: [{ type: 'target-link-layer-address', address: ROUTER_MAC }],
      },
    );
  });

  it('ICMPv6 echo request and reply', () => {
    const request = icmpv6(decoded('icmpv6-echo-request'));
    const reply = icmpv6(decoded('icmpv6-echo-reply'));
    assert.ok(request.type === 'echo-request' && reply.type === 'echo-reply');
    assert.equal(reply.identifier, request.identifier);
    assert.equal(toHex(reply.data), toHex(request.data));
  });

  it('802.1Q and QinQ tags pushed by Open vSwitch', () => {
    const tagged = decoded('vlan-arp-request');
    assert.deepEqual(tagged.ethernet.vlans, [{ tpid: 0x8100, pcp: 0, dei: false, vid: 100 }]);
    assert.equal(tagged.network?.kind === 'arp' && tagged.network.targetIp, '203.0.113.9');
    assert.equal(tagged.layout.network, 18);

    const stacked = decoded('qinq-icmp-echo-request');
    assert.deepEqual(stacked.ethernet.vlans, [
      { tpid: 0x88a8, pcp: 0, dei: false, vid: 200 },
      { tpid: 0x8100, pcp: 0, dei: false, vid: 100 },
    ]);
    assert.equal(ipv4(stacked).destination, '203.0.113.9');
    assert.equal(icmp(stacked).type, 'echo-request');
    assert.equal(stacked.layout.network, 22);
  });

  it('IPv6 first fragment: the fragment header hides ICMPv6', () => {
    const frame = decoded('ipv6-first-fragment');
    const ip = ipv6(frame);
    const [fragment] = ip.extensionHeaders;
    assert.ok(fragment?.type === 'fragment' && fragment.moreFragments && fragment.fragmentOffset === 0);
    assert.equal(ip.protocol, 58);
    assert.equal(frame.transport, undefined);
    assert.equal(frame.payload.length, 1448);
  });
});
