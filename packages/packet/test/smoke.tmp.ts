import { readFileSync } from 'node:fs';
import * as p from '../src/index.js';
const fx = new Map(
  readFileSync('/work/main/packages/packet/test/fixtures/captured.hex', 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [n, h] = l.split(' ');
      return [n!, new Uint8Array(Buffer.from(h!, 'hex'))];
    }),
);
const d = (n: string) => p.decodeFrame(fx.get(n)!);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const cmp = (name: string, a: Uint8Array, b: Uint8Array) =>
  console.log(name, hex(a) === hex(b) ? 'EXACT' : `DIFF\n ${hex(a)}\n ${hex(b)}`);
cmp(
  'arp',
  p.encodeFrame(p.buildArpReply(d('arp-request'), { mac: '02:00:00:00:01:02' })),
  fx.get('arp-reply')!,
);
const rep = d('icmp-echo-reply');
cmp(
  'echo',
  p.encodeFrame(
    p.buildIcmpv4EchoReply(d('icmp-echo-request'), {
      identification: (rep.network as p.Ipv4).identification,
    })!,
  ),
  fx.get('icmp-echo-reply')!,
);
const te = d('icmp-time-exceeded');
cmp(
  'ttl',
  p.encodeFrame(
    p.buildIcmpv4Error(
      d('icmp-echo-request-ttl1'),
      { type: 'time-exceeded' },
      { ip: '192.0.2.2', mac: '02:00:00:00:01:02', identification: (te.network as p.Ipv4).identification },
    )!,
  ),
  fx.get('icmp-time-exceeded')!,
);
const fn = d('icmp-frag-needed');
cmp(
  'frag',
  p.encodeFrame(
    p.buildIcmpv4Error(
      d('icmp-echo-request-df'),
      { type: 'fragmentation-needed', mtu: 1280 },
      { ip: '192.0.2.2', mac: '02:00:00:00:01:02', identification: (fn.network as p.Ipv4).identification },
    )!,
  ),
  fx.get('icmp-frag-needed')!,
);
cmp(
  'na',
  p.encodeFrame(
    p.buildNeighborAdvertisement(d('icmpv6-neighbor-solicitation'), { mac: '02:00:00:00:01:02' })!,
  ),
  fx.get('icmpv6-neighbor-advertisement')!,
);
const r6 = p.buildIcmpv6EchoReply(d('icmpv6-echo-request'))!;
const fl = (d('icmpv6-echo-reply').network as p.Ipv6).flowLabel;
cmp(
  'echo6',
  p.encodeFrame({ ...r6, network: { ...(r6.network as p.Ipv6Init), flowLabel: fl } }),
  fx.get('icmpv6-echo-reply')!,
);
const offer = p.buildDhcpOffer(
  d('dhcp-full-discover'),
  { ip: '192.0.2.2', mac: '02:00:00:00:01:02' },
  {
    address: '192.0.2.110',
    subnetMask: '255.255.255.0',
    leaseTime: 3600,
    routers: ['192.0.2.2'],
    dnsServers: ['192.0.2.53', '192.0.2.54'],
    domainName: 'example.org',
    mtu: 1400,
    classlessRoutes: [{ destination: '10.0.0.0', prefixLength: 8, router: '192.0.2.2' }],
  },
);
const ob = p.encodeFrame(offer);
console.dir(p.decodeFrame(ob).application, { depth: 4 });
console.dir(d('dhcp-offer').application, { depth: 4 });
console.log(hex(ob));
