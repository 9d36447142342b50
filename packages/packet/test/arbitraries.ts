// fast-check generators for every layer. They produce values in the canonical form the decoder
// returns (lower-case addresses, RFC 5952 text, 8n-byte extension headers…), with every field
// explicit, so decode(encode(x)) can be compared with x field by field.
import fc from 'fast-check';
import {
  formatIpv4,
  formatIpv6,
  formatMac,
  type Arp,
  type ClasslessRoute,
  type DhcpMessageInit,
  type DhcpOption,
  type FrameInit,
  type Icmpv4Init,
  type Icmpv6Init,
  type Ipv4Init,
  type Ipv6ExtensionHeader,
  type Ipv6Init,
  type NdOption,
  type TcpInit,
  type UdpInit,
  type VlanTagInit,
} from '../src/index.js';

const u8 = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const bytes = (maxLength: number, minLength = 0): fc.Arbitrary<Uint8Array> =>
  fc.uint8Array({ minLength, maxLength });
/** Byte strings whose length is a multiple of `unit`, minus `less`, up to `maxUnits` units. */
const blocks = (unit: number, less: number, minUnits: number, maxUnits: number): fc.Arbitrary<Uint8Array> =>
  fc.integer({ min: minUnits, max: maxUnits }).chain((n) => bytes(n * unit - less, n * unit - less));

export const arbMac = bytes(6, 6).map((b) => formatMac(b));
export const arbIpv4 = bytes(4, 4).map((b) => formatIpv4(b));
export const arbIpv6 = fc
  .tuple(bytes(16, 16), fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 8 }))
  .map(([b, from, count]) => {
    b.fill(0, from * 2, Math.min(16, (from + count) * 2));
    return formatIpv6(b);
  });

export const arbVlans: fc.Arbitrary<VlanTagInit[]> = fc.array(
  fc.record({
    tpid: fc.constantFrom(0x8100, 0x88a8, 0x9100),
    pcp: fc.integer({ min: 0, max: 7 }),
    dei: fc.boolean(),
    vid: fc.integer({ min: 0, max: 4095 }),
  }),
  { maxLength: 3 },
);

export const arbEthernet = fc.record({ destination: arbMac, source: arbMac, vlans: arbVlans });

export const arbArp: fc.Arbitrary<Arp> = fc.record({
  kind: fc.constant('arp' as const),
  operation: u16,
  senderMac: arbMac,
  senderIp: arbIpv4,
  targetMac: arbMac,
  targetIp: arbIpv4,
});

export const arbIpv4Header: fc.Arbitrary<Ipv4Init> = fc.record({
  kind: fc.constant('ipv4' as const),
  source: arbIpv4,
  destination: arbIpv4,
  ttl: u8,
  dscp: fc.integer({ min: 0, max: 63 }),
  ecn: fc.integer({ min: 0, max: 3 }),
  identification: u16,
  dontFragment: fc.boolean(),
  moreFragments: fc.constant(false),
  fragmentOffset: fc.constant(0),
  options: blocks(4, 0, 0, 10),
});

const arbExtension: fc.Arbitrary<Ipv6ExtensionHeader> = fc.oneof(
  fc.record({
    type: fc.constantFrom('hop-by-hop' as const, 'destination-options' as const),
    options: blocks(8, 2, 1, 4),
  }),
  fc.record({
    type: fc.constant('routing' as const),
    routingType: u8,
    segmentsLeft: u8,
    data: blocks(8, 4, 1, 5),
  }),
  // Atomic fragments only: a real fragment hides the upper layer, which the frame tests cover.
  fc.record({
    type: fc.constant('fragment' as const),
    fragmentOffset: fc.constant(0),
    moreFragments: fc.constant(false),
    identification: u32,
  }),
);

export const arbIpv6Header: fc.Arbitrary<Ipv6Init> = fc.record({
  kind: fc.constant('ipv6' as const),
  source: arbIpv6,
  destination: arbIpv6,
  hopLimit: u8,
  dscp: fc.integer({ min: 0, max: 63 }),
  ecn: fc.integer({ min: 0, max: 3 }),
  flowLabel: fc.integer({ min: 0, max: 0xfffff }),
  extensionHeaders: fc.array(arbExtension, { maxLength: 4 }),
});

const notDhcpPorts = fc
  .tuple(u16, u16)
  .filter(([s, d]) => !((s === 67 || s === 68) && (d === 67 || d === 68)));

export const arbUdp: fc.Arbitrary<UdpInit> = notDhcpPorts.map(([sourcePort, destinationPort]) => ({
  kind: 'udp' as const,
  sourcePort,
  destinationPort,
}));

export const arbTcp: fc.Arbitrary<TcpInit> = fc.record({
  kind: fc.constant('tcp' as const),
  sourcePort: u16,
  destinationPort: u16,
  sequenceNumber: u32,
  acknowledgementNumber: u32,
  flags: fc.record({
    fin: fc.boolean(),
    syn: fc.boolean(),
    rst: fc.boolean(),
    psh: fc.boolean(),
    ack: fc.boolean(),
    urg: fc.boolean(),
    ece: fc.boolean(),
    cwr: fc.boolean(),
    ae: fc.boolean(),
  }),
  window: u16,
  urgentPointer: u16,
  options: blocks(4, 0, 0, 10),
});

export const arbIcmpv4: fc.Arbitrary<Icmpv4Init> = fc.oneof(
  fc.record({
    kind: fc.constant('icmpv4' as const),
    type: fc.constantFrom('echo-request' as const, 'echo-reply' as const),
    code: u8,
    identifier: u16,
    sequence: u16,
    data: bytes(64),
  }),
  fc.record({
    kind: fc.constant('icmpv4' as const),
    type: fc.constant('destination-unreachable' as const),
    code: u8,
    nextHopMtu: u16,
    original: bytes(64),
  }),
  fc.record({
    kind: fc.constant('icmpv4' as const),
    type: fc.constant('time-exceeded' as const),
    code: u8,
    original: bytes(64),
  }),
  fc.record({
    kind: fc.constant('icmpv4' as const),
    type: fc.constant('other' as const),
    icmpType: u8.filter((t) => ![0, 3, 8, 11].includes(t)),
    code: u8,
    body: bytes(40),
  }),
);

export const arbNdOption: fc.Arbitrary<NdOption> = fc.oneof(
  fc.record({
    type: fc.constantFrom('source-link-layer-address' as const, 'target-link-layer-address' as const),
    address: arbMac,
  }),
  fc.record({
    type: fc.constant('prefix-information' as const),
    prefixLength: u8,
    onLink: fc.boolean(),
    autonomous: fc.boolean(),
    validLifetime: u32,
    preferredLifetime: u32,
    prefix: arbIpv6,
  }),
  fc.record({ type: fc.constant('mtu' as const), mtu: u32 }),
  fc.record({
    type: fc.constant('other' as const),
    optionType: u8.filter((t) => ![1, 2, 3, 5].includes(t)),
    data: blocks(8, 2, 1, 4),
  }),
);

const ndOptions = fc.array(arbNdOption, { maxLength: 4 });
const icmpv6 = fc.constant('icmpv6' as const);

export const arbIcmpv6: fc.Arbitrary<Icmpv6Init> = fc.oneof(
  fc.record({
    kind: icmpv6,
    type: fc.constantFrom('echo-request' as const, 'echo-reply' as const),
    code: u8,
    identifier: u16,
    sequence: u16,
    data: bytes(64),
  }),
  fc.record({
    kind: icmpv6,
    type: fc.constantFrom('destination-unreachable' as const, 'time-exceeded' as const),
    code: u8,
    original: bytes(64),
  }),
  fc.record({
    kind: icmpv6,
    type: fc.constant('packet-too-big' as const),
    code: u8,
    mtu: u32,
    original: bytes(64),
  }),
  fc.record({
    kind: icmpv6,
    type: fc.constant('parameter-problem' as const),
    code: u8,
    pointer: u32,
    original: bytes(64),
  }),
  fc.record({
    kind: icmpv6,
    type: fc.constant('router-solicitation' as const),
    code: u8,
    options: ndOptions,
  }),
  fc.record({
    kind: icmpv6,
    type: fc.constant('router-advertisement' as const),
    code: u8,
    curHopLimit: u8,
    managed: fc.boolean(),
    otherConfig: fc.boolean(),
    flagBits: fc.integer({ min: 0, max: 63 }),
    routerLifetime: u16,
    reachableTime: u32,
    retransTimer: u32,
    options: ndOptions,
  }),
  fc.record({
    kind: icmpv6,
    type: fc.constant('neighbor-solicitation' as const),
    code: u8,
    target: arbIpv6,
    options: ndOptions,
  }),
  fc.record({
    kind: icmpv6,
    type: fc.constant('neighbor-advertisement' as const),
    code: u8,
    router: fc.boolean(),
    solicited: fc.boolean(),
    override: fc.boolean(),
    target: arbIpv6,
    options: ndOptions,
  }),
  fc.record({
    kind: icmpv6,
    type: fc.constant('other' as const),
    icmpType: u8.filter((t) => ![1, 2, 3, 4, 128, 129, 133, 134, 135, 136].includes(t)),
    code: u8,
    body: bytes(40),
  }),
);

const latin1 = (maxLength: number, minChar = 0): fc.Arbitrary<string> =>
  fc
    .array(fc.integer({ min: minChar, max: 0xff }), { maxLength })
    .map((codes) => String.fromCharCode(...codes));

export const arbClasslessRoute: fc.Arbitrary<ClasslessRoute> = fc
  .tuple(fc.integer({ min: 0, max: 32 }), u32, arbIpv4)
  .map(([prefixLength, address, router]) => {
    const masked = prefixLength === 0 ? 0 : (address - (address % 2 ** (32 - prefixLength))) >>> 0;
    return {
      destination: `${masked >>> 24}.${(masked >>> 16) & 0xff}.${(masked >>> 8) & 0xff}.${masked & 0xff}`,
      prefixLength,
      router,
    };
  });

const TYPED: readonly fc.Arbitrary<DhcpOption>[] = [
  arbIpv4.map((value) => ({ kind: 'subnet-mask', value })),
  fc.array(arbIpv4, { maxLength: 70 }).map((value) => ({ kind: 'router', value })),
  fc.array(arbIpv4, { maxLength: 5 }).map((value) => ({ kind: 'dns-servers', value })),
  latin1(300).map((value) => ({ kind: 'hostname', value })),
  latin1(40).map((value) => ({ kind: 'domain-name', value })),
  u16.map((value) => ({ kind: 'interface-mtu', value })),
  arbIpv4.map((value) => ({ kind: 'broadcast-address', value })),
  arbIpv4.map((value) => ({ kind: 'requested-ip', value })),
  u32.map((value) => ({ kind: 'lease-time', value })),
  u8.map((value) => ({ kind: 'message-type', value })),
  arbIpv4.map((value) => ({ kind: 'server-id', value })),
  fc.array(u8, { maxLength: 20 }).map((value) => ({ kind: 'parameter-request-list', value })),
  latin1(40).map((value) => ({ kind: 'message', value })),
  u16.map((value) => ({ kind: 'max-message-size', value })),
  u32.map((value) => ({ kind: 'renewal-time', value })),
  u32.map((value) => ({ kind: 'rebinding-time', value })),
  latin1(40).map((value) => ({ kind: 'vendor-class', value })),
  bytes(20).map((value) => ({ kind: 'client-id', value })),
  fc.array(arbClasslessRoute, { maxLength: 8 }).map((value) => ({ kind: 'classless-static-routes', value })),
];
const TYPED_CODES = [1, 3, 6, 12, 15, 26, 28, 50, 51, 53, 54, 55, 56, 57, 58, 59, 60, 61, 121];

export const arbDhcpOptions: fc.Arbitrary<DhcpOption[]> = fc
  .tuple(
    fc.subarray([...TYPED.keys()]),
    fc.uniqueArray(
      fc.integer({ min: 1, max: 254 }).filter((c) => !TYPED_CODES.includes(c)),
      { maxLength: 3 },
    ),
  )
  .chain(([typed, rawCodes]) =>
    fc.tuple(
      fc.tuple(...typed.map((i) => TYPED[i] as fc.Arbitrary<DhcpOption>)),
      fc.tuple(
        ...rawCodes.map((code) => bytes(300).map((data): DhcpOption => ({ kind: 'raw', code, data }))),
      ),
    ),
  )
  .chain(([typed, raw]) => fc.shuffledSubarray([...typed, ...raw], { minLength: typed.length + raw.length }));

export const arbDhcp: fc.Arbitrary<DhcpMessageInit> = fc.record({
  kind: fc.constant('dhcpv4' as const),
  op: fc.constantFrom(1, 2),
  htype: u8,
  hops: u8,
  xid: u32,
  secs: u16,
  broadcast: fc.boolean(),
  ciaddr: arbIpv4,
  yiaddr: arbIpv4,
  siaddr: arbIpv4,
  giaddr: arbIpv4,
  chaddr: bytes(16).map((b) => (b.length === 0 ? '' : formatMac(b, 0, b.length))),
  sname: latin1(63, 1),
  file: latin1(127, 1),
  options: arbDhcpOptions,
});

/** A whole frame with a valid layer combination. */
export const arbFrame: fc.Arbitrary<FrameInit> = fc.oneof(
  fc.record({ ethernet: arbEthernet, network: arbArp }),
  fc.record({ ethernet: arbEthernet, network: arbIpv4Header, transport: arbUdp, payload: bytes(100) }),
  fc.record({ ethernet: arbEthernet, network: arbIpv4Header, transport: arbTcp, payload: bytes(100) }),
  fc.record({ ethernet: arbEthernet, network: arbIpv4Header, transport: arbIcmpv4 }),
  fc.record({
    ethernet: arbEthernet,
    network: arbIpv4Header,
    transport: fc.record({
      kind: fc.constant('udp' as const),
      sourcePort: fc.constantFrom(67, 68),
      destinationPort: fc.constantFrom(67, 68),
    }),
    application: arbDhcp,
  }),
  fc.record({ ethernet: arbEthernet, network: arbIpv6Header, transport: arbUdp, payload: bytes(100) }),
  fc.record({ ethernet: arbEthernet, network: arbIpv6Header, transport: arbTcp, payload: bytes(100) }),
  fc.record({ ethernet: arbEthernet, network: arbIpv6Header, transport: arbIcmpv6 }),
  // Upper layers this library does not decode stay as payload.
  fc.record({
    ethernet: arbEthernet,
    network: arbIpv4Header.map((h) => ({ ...h, protocol: 47 })),
    payload: bytes(100),
  }),
);
