import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeFrame, encodeFrame, EtherType, PacketEncodeError } from '../src/index.js';
import { assertDecodeError, fromHex, toHex } from './helpers.js';

const ARP_BODY = '0001080006040001020000000001c0000201000000000000c0000202';

describe('Ethernet and VLAN tags', () => {
  it('decodes an untagged frame', () => {
    const frame = decodeFrame(fromHex(`ffffffffffff 020000000001 0806 ${ARP_BODY}`));
    assert.deepEqual(frame.ethernet, {
      destination: 'ff:ff:ff:ff:ff:ff',
      source: '02:00:00:00:00:01',
      vlans: [],
      etherType: EtherType.ARP,
    });
  });

  it('decodes an 802.1Q tag: PCP 3, VID 100 (TCI 0x6064)', () => {
    const frame = decodeFrame(fromHex(`ffffffffffff 020000000001 8100 6064 0806 ${ARP_BODY}`));
    assert.deepEqual(frame.ethernet.vlans, [{ tpid: 0x8100, pcp: 3, dei: false, vid: 100 }]);
    assert.equal(frame.ethernet.etherType, EtherType.ARP);
    assert.equal(frame.network?.kind, 'arp');
    assert.equal(frame.layout.network, 18);
  });

  it('decodes stacked 802.1ad/802.1Q tags (QinQ), outermost first', () => {
    const hex = `ffffffffffff 020000000001 88a8 b0c8 8100 0064 0806 ${ARP_BODY}`;
    const frame = decodeFrame(fromHex(hex));
    assert.deepEqual(frame.ethernet.vlans, [
      { tpid: 0x88a8, pcp: 5, dei: true, vid: 200 },
      { tpid: 0x8100, pcp: 0, dei: false, vid: 100 },
    ]);
    assert.equal(toHex(encodeFrame(frame)), hex.replace(/ /g, ''));
  });

  it('defaults TPIDs to 0x88a8 outside and 0x8100 innermost', () => {
    const bytes = encodeFrame({
      ethernet: {
        destination: 'ff:ff:ff:ff:ff:ff',
        source: '02:00:00:00:00:01',
        vlans: [{ vid: 10 }, { vid: 20, pcp: 7 }],
      },
      network: {
        kind: 'arp',
        operation: 1,
        senderMac: '02:00:00:00:00:01',
        senderIp: '192.0.2.1',
        targetMac: '00:00:00:00:00:00',
        targetIp: '192.0.2.2',
      },
    });
    assert.equal(toHex(bytes.subarray(12, 22)), '88a8000a8100e0140806');
  });

  it('keeps an unknown EtherType payload as bytes, and 802.3 length frames too', () => {
    const lldp = decodeFrame(fromHex('0180c200000e 020000000001 88cc 0207040200000000010403020001'));
    assert.equal(lldp.network, undefined);
    assert.equal(lldp.ethernet.etherType, 0x88cc);
    assert.equal(toHex(lldp.payload), '0207040200000000010403020001');
    assert.equal(toHex(encodeFrame(lldp)), toHex(lldp.bytes));
    const llc = decodeFrame(fromHex('0180c2000000 020000000001 0026 424203000000'));
    assert.equal(llc.ethernet.etherType, 0x26);
    assert.equal(toHex(llc.payload), '424203000000');
  });

  it('reports truncation in the header and inside a tag', () => {
    assertDecodeError(() => decodeFrame(fromHex('ffffffffffff020000000001')), 'PACKET_TRUNCATED', 'ethernet');
    const e = assertDecodeError(
      () => decodeFrame(fromHex('ffffffffffff0200000000018100 60')),
      'PACKET_TRUNCATED',
      'vlan',
    );
    assert.equal(e.offset, 14);
  });

  it('refuses impossible tags and EtherTypes on encode', () => {
    const base = { destination: 'ff:ff:ff:ff:ff:ff', source: '02:00:00:00:00:01' };
    assert.throws(
      () => encodeFrame({ ethernet: { ...base, etherType: 0x88cc, vlans: [{ vid: 4096 }] } }),
      PacketEncodeError,
    );
    assert.throws(
      () => encodeFrame({ ethernet: { ...base, etherType: 0x88cc, vlans: [{ vid: 1, tpid: 0x1234 }] } }),
      PacketEncodeError,
    );
    assert.throws(() => encodeFrame({ ethernet: { ...base, etherType: 0x8100 } }), PacketEncodeError);
    assert.throws(() => encodeFrame({ ethernet: base }), PacketEncodeError);
  });
});
