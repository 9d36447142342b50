// DHCPv4 messages (RFC 2131): the BOOTP fixed fields, the magic cookie, then options. Field
// names follow the RFC (ciaddr, yiaddr…) because that is the vocabulary every DHCP text uses.
import { formatIpv4, writeIpv4Address, type Ipv4Address } from '../address/ipv4.js';
import { formatMac, writeHardwareAddress } from '../address/mac.js';
import { PacketDecodeError, PacketEncodeError } from '../errors.js';
import { checkUint, latin1, need, viewOf, writeLatin1 } from '../internal/bytes.js';
import { BOOTP_MINIMUM_LENGTH, DHCP_FIXED_LENGTH, DHCP_MAGIC_COOKIE, DhcpOptionCode } from './constants.js';
import { decodeDhcpOptions, encodeDhcpOptions, getDhcpOption, type DhcpOption } from './options.js';

export interface DhcpMessage {
  readonly kind: 'dhcpv4';
  /** BootpOp.Request (1, client to server) or .Reply (2). */
  readonly op: number;
  /** Hardware type, 1 for Ethernet. */
  readonly htype: number;
  readonly hops: number;
  /** Transaction id chosen by the client, echoed by the server. */
  readonly xid: number;
  readonly secs: number;
  /** The BROADCAST flag: the client cannot receive unicast before it is configured. */
  readonly broadcast: boolean;
  /** Client address, set by a client that already has one (renewing, informing). */
  readonly ciaddr: Ipv4Address;
  /** "Your" address: the one the server offers or assigns. */
  readonly yiaddr: Ipv4Address;
  /** Next server (TFTP) address. */
  readonly siaddr: Ipv4Address;
  /** Relay agent address. */
  readonly giaddr: Ipv4Address;
  /** Client hardware address: hlen bytes as colon hex, i.e. a MacAddress for Ethernet. */
  readonly chaddr: string;
  /** Server host name (up to 63 bytes, Latin-1); option overload (52) is not interpreted. */
  readonly sname: string;
  /** Boot file name (up to 127 bytes, Latin-1). */
  readonly file: string;
  /** In wire order, pads and End left out. */
  readonly options: readonly DhcpOption[];
}

export interface DhcpMessageInit {
  readonly kind: 'dhcpv4';
  readonly op: number;
  readonly xid: number;
  readonly chaddr: string;
  readonly options: readonly DhcpOption[];
  /** Default 1 (Ethernet). */
  readonly htype?: number;
  readonly hops?: number;
  readonly secs?: number;
  readonly broadcast?: boolean;
  /** Addresses default to 0.0.0.0. */
  readonly ciaddr?: Ipv4Address;
  readonly yiaddr?: Ipv4Address;
  readonly siaddr?: Ipv4Address;
  readonly giaddr?: Ipv4Address;
  readonly sname?: string;
  readonly file?: string;
}

export interface EncodeDhcpOptions {
  /** Pad with zeros up to this length; default 300 (the BOOTP minimum real clients expect). */
  readonly minimumLength?: number;
}

function cString(bytes: Uint8Array, start: number, length: number): string {
  const nul = bytes.indexOf(0, start);
  return latin1(bytes, start, nul >= 0 && nul < start + length ? nul : start + length);
}

/** Decodes the message in bytes[start, end); offsets in errors are absolute. */
export function decodeDhcpAt(bytes: Uint8Array, view: DataView, start: number, end: number): DhcpMessage {
  need('dhcpv4', start, DHCP_FIXED_LENGTH, end, 'BOOTP fixed fields and magic cookie');
  const hlen = view.getUint8(start + 2);
  if (hlen > 16) {
    throw new PacketDecodeError(
      'PACKET_BAD_FIELD',
      'dhcpv4',
      start + 2,
      `hardware address length ${hlen} exceeds 16`,
    );
  }
  if (view.getUint32(start + 236) !== DHCP_MAGIC_COOKIE) {
    throw new PacketDecodeError(
      'PACKET_BAD_MAGIC',
      'dhcpv4',
      start + 236,
      'no DHCP magic cookie (plain BOOTP?)',
    );
  }
  return {
    kind: 'dhcpv4',
    op: view.getUint8(start),
    htype: view.getUint8(start + 1),
    hops: view.getUint8(start + 3),
    xid: view.getUint32(start + 4),
    secs: view.getUint16(start + 8),
    broadcast: (view.getUint16(start + 10) & 0x8000) !== 0,
    ciaddr: formatIpv4(bytes, start + 12),
    yiaddr: formatIpv4(bytes, start + 16),
    siaddr: formatIpv4(bytes, start + 20),
    giaddr: formatIpv4(bytes, start + 24),
    chaddr: hlen === 0 ? '' : formatMac(bytes, start + 28, hlen),
    sname: cString(bytes, start + 44, 64),
    file: cString(bytes, start + 108, 128),
    options: decodeDhcpOptions(bytes, start + DHCP_FIXED_LENGTH, end),
  };
}

export function decodeDhcp(bytes: Uint8Array): DhcpMessage {
  return decodeDhcpAt(bytes, viewOf(bytes), 0, bytes.length);
}

/** Options already encoded, so that length and writing agree without encoding twice. */
export interface PreparedDhcp {
  readonly message: DhcpMessageInit;
  readonly options: Uint8Array;
  readonly length: number;
}

export function prepareDhcp(message: DhcpMessageInit, settings: EncodeDhcpOptions = {}): PreparedDhcp {
  const options = encodeDhcpOptions(message.options);
  const length = Math.max(
    DHCP_FIXED_LENGTH + options.length + 1,
    settings.minimumLength ?? BOOTP_MINIMUM_LENGTH,
  );
  return { message, options, length };
}

/** Writes a prepared message into zeroed bytes at `offset`; returns the offset after it. */
export function writeDhcp(out: Uint8Array, view: DataView, offset: number, prepared: PreparedDhcp): number {
  const m = prepared.message;
  view.setUint8(offset, checkUint('dhcpv4', 'op', m.op, 8));
  view.setUint8(offset + 1, checkUint('dhcpv4', 'htype', m.htype ?? 1, 8));
  view.setUint8(offset + 2, writeHardwareAddress(m.chaddr, out, offset + 28, 16));
  view.setUint8(offset + 3, checkUint('dhcpv4', 'hops', m.hops ?? 0, 8));
  view.setUint32(offset + 4, checkUint('dhcpv4', 'xid', m.xid, 32));
  view.setUint16(offset + 8, checkUint('dhcpv4', 'secs', m.secs ?? 0, 16));
  view.setUint16(offset + 10, m.broadcast ? 0x8000 : 0);
  writeIpv4Address(m.ciaddr ?? '0.0.0.0', out, offset + 12);
  writeIpv4Address(m.yiaddr ?? '0.0.0.0', out, offset + 16);
  writeIpv4Address(m.siaddr ?? '0.0.0.0', out, offset + 20);
  writeIpv4Address(m.giaddr ?? '0.0.0.0', out, offset + 24);
  const sname = m.sname ?? '';
  const file = m.file ?? '';
  // One byte stays for the terminating NUL.
  if (sname.length > 63)
    throw new PacketEncodeError('PACKET_FIELD_RANGE', 'dhcpv4', `sname is ${sname.length} bytes, at most 63`);
  if (file.length > 127)
    throw new PacketEncodeError('PACKET_FIELD_RANGE', 'dhcpv4', `file is ${file.length} bytes, at most 127`);
  writeLatin1('dhcpv4', 'sname', sname, out, offset + 44);
  writeLatin1('dhcpv4', 'file', file, out, offset + 108);
  view.setUint32(offset + 236, DHCP_MAGIC_COOKIE);
  out.set(prepared.options, offset + DHCP_FIXED_LENGTH);
  out[offset + DHCP_FIXED_LENGTH + prepared.options.length] = DhcpOptionCode.End;
  return offset + prepared.length;
}

/** Encodes a DHCP message (the UDP payload). */
export function encodeDhcp(message: DhcpMessageInit, settings: EncodeDhcpOptions = {}): Uint8Array {
  const prepared = prepareDhcp(message, settings);
  const out = new Uint8Array(prepared.length);
  writeDhcp(out, viewOf(out), 0, prepared);
  return out;
}

/** The message type option (DhcpMessageType), or undefined for plain BOOTP. */
export function dhcpMessageType(message: Pick<DhcpMessage, 'options'>): number | undefined {
  return getDhcpOption(message.options, 'message-type');
}
