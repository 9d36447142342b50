import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  BOOTP_MINIMUM_LENGTH,
  BootpOp,
  decodeDhcp,
  DhcpMessageType,
  dhcpMessageType,
  encodeDhcp,
  getDhcpOption,
  PacketEncodeError,
  type DhcpMessage,
  type DhcpMessageInit,
} from '../src/index.js';
import { arbDhcp } from './arbitraries.js';
import { assertContains, assertDecodeError, fromHex, toHex } from './helpers.js';

// A DHCPDISCOVER laid out by hand from RFC 2131 figure 1 and RFC 2132: broadcast flag set, client
// 00:0b:82:01:fc:42, options message type, client id, requested address, parameter request list.
const FIXED =
  '01 01 06 00 3903f326 0000 8000' +
  ' 00000000 00000000 00000000 00000000' +
  ' 000b8201fc42 00000000000000000000' +
  ` ${'00'.repeat(64)} ${'00'.repeat(128)}` +
  ' 63825363';
const OPTIONS = '350101 3d0701000b8201fc42 3204c0a80064 3704010306 2a ff';
const DISCOVER = (FIXED + OPTIONS).replace(/ /g, '') + '00'.repeat(300 - 240 - 25);

const discover: DhcpMessage = {
  kind: 'dhcpv4',
  op: BootpOp.Request,
  htype: 1,
  hops: 0,
  xid: 0x3903f326,
  secs: 0,
  broadcast: true,
  ciaddr: '0.0.0.0',
  yiaddr: '0.0.0.0',
  siaddr: '0.0.0.0',
  giaddr: '0.0.0.0',
  chaddr: '00:0b:82:01:fc:42',
  sname: '',
  file: '',
  options: [
    { kind: 'message-type', value: DhcpMessageType.Discover },
    { kind: 'client-id', value: fromHex('01000b8201fc42') },
    { kind: 'requested-ip', value: '192.168.0.100' },
    { kind: 'parameter-request-list', value: [1, 3, 6, 42] },
  ],
};

function withOptions(options: string): Uint8Array {
  return fromHex((FIXED + options).replace(/ /g, ''));
}

describe('DHCPv4 messages (RFC 2131, RFC 2132)', () => {
  it('decodes a hand-made DISCOVER and re-encodes it padded to 300 bytes', () => {
    assert.equal(DISCOVER.length / 2, BOOTP_MINIMUM_LENGTH);
    assert.deepEqual(decodeDhcp(fromHex(DISCOVER)), discover);
    assert.equal(toHex(encodeDhcp(discover)), DISCOVER);
    assert.equal(dhcpMessageType(discover), DhcpMessageType.Discover);
    assert.equal(getDhcpOption(discover.options, 'requested-ip'), '192.168.0.100');
    assert.equal(getDhcpOption(discover.options, 'lease-time'), undefined);
  });

  it('encodes every typed option in its RFC 2132 format', () => {
    const message: DhcpMessageInit = {
      kind: 'dhcpv4',
      op: BootpOp.Reply,
      xid: 1,
      chaddr: '02:00:00:00:00:01',
      options: [
        { kind: 'message-type', value: DhcpMessageType.Ack },
        { kind: 'server-id', value: '192.0.2.1' },
        { kind: 'lease-time', value: 86400 },
        { kind: 'renewal-time', value: 43200 },
        { kind: 'rebinding-time', value: 75600 },
        { kind: 'subnet-mask', value: '255.255.255.0' },
        { kind: 'router', value: ['192.0.2.1', '192.0.2.254'] },
        { kind: 'dns-servers', value: ['192.0.2.53'] },
        { kind: 'hostname', value: 'vm-1' },
        { kind: 'domain-name', value: 'example.org' },
        { kind: 'interface-mtu', value: 1450 },
        { kind: 'broadcast-address', value: '192.0.2.255' },
        { kind: 'message', value: 'ok' },
        { kind: 'max-message-size', value: 1500 },
        { kind: 'vendor-class', value: 'weir' },
        { kind: 'requested-ip', value: '192.0.2.10' },
        { kind: 'parameter-request-list', value: [1, 3] },
        { kind: 'client-id', value: fromHex('0102') },
      ],
    };
    const bytes = encodeDhcp(message);
    assert.equal(
      toHex(bytes.subarray(240, 240 + 117)),
      [
        '350105',
        '3604c0000201',
        '330400015180',
        '3a040000a8c0',
        '3b0400012750',
        '0104ffffff00',
        '0308c0000201c00002fe',
        '0604c0000235',
        '0c04766d2d31',
        '0f0b6578616d706c652e6f7267',
        '1a0205aa',
        '1c04c00002ff',
        '38026f6b',
        '390205dc',
        '3c0477656972',
        '3204c000020a',
        '37020103',
        '3d020102',
        'ff',
      ].join(''),
    );
    assertContains(decodeDhcp(bytes), message);
  });

  it('encodes classless static routes as RFC 3442 does in its examples', () => {
    const routes = [
      { destination: '0.0.0.0', prefixLength: 0, router: '192.0.2.1' },
      { destination: '10.0.0.0', prefixLength: 8, router: '192.0.2.1' },
      { destination: '10.0.0.0', prefixLength: 24, router: '192.0.2.1' },
      { destination: '10.17.0.0', prefixLength: 16, router: '192.0.2.1' },
      { destination: '10.27.129.0', prefixLength: 24, router: '192.0.2.1' },
      { destination: '10.229.0.128', prefixLength: 25, router: '192.0.2.1' },
      { destination: '10.198.122.47', prefixLength: 32, router: '0.0.0.0' },
    ];
    const bytes = encodeDhcp({
      kind: 'dhcpv4',
      op: 2,
      xid: 1,
      chaddr: '',
      options: [{ kind: 'classless-static-routes', value: routes }],
    });
    const value = [
      '00 c0000201',
      '080a c0000201',
      '180a0000 c0000201',
      '100a11 c0000201',
      '180a1b81 c0000201',
      '190ae50080 c0000201',
      '200ac67a2f 00000000',
    ]
      .join('')
      .replace(/ /g, '');
    assert.equal(
      toHex(bytes.subarray(240, 242 + value.length / 2)),
      `79${(value.length / 2).toString(16)}${value}`,
    );
    assert.deepEqual(getDhcpOption(decodeDhcp(bytes).options, 'classless-static-routes'), routes);
    assert.throws(
      () =>
        encodeDhcp({
          kind: 'dhcpv4',
          op: 2,
          xid: 1,
          chaddr: '',
          options: [
            {
              kind: 'classless-static-routes',
              value: [{ destination: '10.0.0.1', prefixLength: 8, router: '0.0.0.0' }],
            },
          ],
        }),
      PacketEncodeError,
    );
  });

  it('splits long options and joins split ones (RFC 3396)', () => {
    const hostname = 'h'.repeat(300);
    const bytes = encodeDhcp({
      kind: 'dhcpv4',
      op: 1,
      xid: 1,
      chaddr: '',
      options: [{ kind: 'hostname', value: hostname }],
    });
    assert.equal(bytes[240], 12);
    assert.equal(bytes[241], 255);
    assert.equal(bytes[240 + 257], 12);
    assert.equal(bytes[240 + 258], 45);
    assert.equal(getDhcpOption(decodeDhcp(bytes).options, 'hostname'), hostname);
    // Two router instances apart, with pads between options: joined into one list.
    const split = decodeDhcp(withOptions('0304c0000201 00 00 350101 0304c0000202 ff'));
    assert.deepEqual(split.options, [
      { kind: 'router', value: ['192.0.2.1', '192.0.2.2'] },
      { kind: 'message-type', value: 1 },
    ]);
  });

  it('keeps unknown options as raw bytes, in place', () => {
    const message = decodeDhcp(withOptions('350101 5203010203 e00101 ff'));
    assert.deepEqual(message.options, [
      { kind: 'message-type', value: 1 },
      { kind: 'raw', code: 82, data: fromHex('010203') },
      { kind: 'raw', code: 224, data: fromHex('01') },
    ]);
    assert.equal(toHex(encodeDhcp(message, { minimumLength: 0 }).subarray(240)), '3501015203010203e00101ff');
  });

  it('tolerates a missing End option but not an option running past the message', () => {
    assert.deepEqual(decodeDhcp(withOptions('350101')).options, [{ kind: 'message-type', value: 1 }]);
    assertDecodeError(() => decodeDhcp(withOptions('350201')), 'PACKET_BAD_OPTION', 'dhcpv4');
    assertDecodeError(() => decodeDhcp(withOptions('35')), 'PACKET_BAD_OPTION', 'dhcpv4');
  });

  it('refuses typed options of the wrong size, naming the offset', () => {
    const e = assertDecodeError(
      () => decodeDhcp(withOptions('350101 3303000e10 ff')),
      'PACKET_BAD_OPTION',
      'dhcpv4',
    );
    assert.equal(e.offset, 243);
    assertDecodeError(() => decodeDhcp(withOptions('0305c000020101 ff')), 'PACKET_BAD_OPTION');
    assertDecodeError(() => decodeDhcp(withOptions('7906 21 0a000000 00 ff')), 'PACKET_BAD_OPTION');
    assertDecodeError(() => decodeDhcp(withOptions('7905 18 0a0000 00 ff')), 'PACKET_BAD_OPTION');
  });

  it('reports truncation, a missing cookie and an impossible hardware length', () => {
    const bytes = fromHex(DISCOVER);
    assertDecodeError(() => decodeDhcp(bytes.subarray(0, 239)), 'PACKET_TRUNCATED', 'dhcpv4');
    const noCookie = bytes.slice();
    noCookie[236] = 0;
    assertDecodeError(() => decodeDhcp(noCookie), 'PACKET_BAD_MAGIC', 'dhcpv4');
    const longHardware = bytes.slice();
    longHardware[2] = 17;
    assertDecodeError(() => decodeDhcp(longHardware), 'PACKET_BAD_FIELD', 'dhcpv4');
  });

  it('refuses what cannot be encoded', () => {
    const base = { kind: 'dhcpv4', op: 1, xid: 1, chaddr: '' } as const;
    const bad: DhcpMessageInit[] = [
      {
        ...base,
        options: [
          { kind: 'message-type', value: 1 },
          { kind: 'message-type', value: 3 },
        ],
      },
      { ...base, options: [{ kind: 'raw', code: 53, data: fromHex('01') }] },
      { ...base, options: [{ kind: 'raw', code: 255, data: fromHex('') }] },
      { ...base, options: [{ kind: 'hostname', value: 'ħost' }] },
      { ...base, options: [{ kind: 'interface-mtu', value: 70000 }] },
      { ...base, options: [], sname: 's'.repeat(64) },
      { ...base, options: [], chaddr: '00'.repeat(17).replace(/(..)(?=.)/g, '$1:') },
    ];
    for (const message of bad)
      assert.throws(
        () => encodeDhcp(message),
        (e: unknown) => e instanceof Error && 'code' in e,
        JSON.stringify(message.options),
      );
  });

  it('round-trips random messages (fast-check)', () => {
    fc.assert(
      fc.property(arbDhcp, (message) => {
        const bytes = encodeDhcp(message);
        assert.ok(bytes.length >= BOOTP_MINIMUM_LENGTH);
        const decoded = decodeDhcp(bytes);
        assertContains(decoded, message);
        assert.equal(toHex(encodeDhcp(decoded)), toHex(bytes));
      }),
      { numRuns: 300 },
    );
  });
});
