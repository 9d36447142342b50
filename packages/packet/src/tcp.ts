// TCP header (RFC 9293). Options stay as bytes (tcpOptions() lists them); the checksum covers the
// IP pseudo-header and is computed on encode, checked on decode.
import type { PseudoHeaderSource } from './checksum.js';
import { storeTransportChecksum, transportChecksumValid } from './checksum.js';
import { PacketDecodeError, PacketEncodeError } from './errors.js';
import { IpProtocol } from './ip-protocol.js';
import { checkUint, EMPTY, need } from './internal/bytes.js';

export interface TcpFlags {
  readonly fin: boolean;
  readonly syn: boolean;
  readonly rst: boolean;
  readonly psh: boolean;
  readonly ack: boolean;
  readonly urg: boolean;
  readonly ece: boolean;
  readonly cwr: boolean;
  /** Accurate ECN (formerly the ECN nonce bit, NS). */
  readonly ae: boolean;
}

export interface Tcp {
  readonly kind: 'tcp';
  readonly sourcePort: number;
  readonly destinationPort: number;
  readonly sequenceNumber: number;
  readonly acknowledgementNumber: number;
  readonly flags: TcpFlags;
  readonly window: number;
  readonly urgentPointer: number;
  /** Option bytes as on the wire (with their padding); empty when none. */
  readonly options: Uint8Array;
  // Computed by the encoder.
  /** Data offset × 4. */
  readonly headerLength: number;
  readonly checksum: number;
  readonly checksumValid: boolean;
}

export interface TcpInit {
  readonly kind: 'tcp';
  readonly sourcePort: number;
  readonly destinationPort: number;
  readonly sequenceNumber?: number;
  readonly acknowledgementNumber?: number;
  /** Flags not given are clear. */
  readonly flags?: Partial<TcpFlags>;
  /** Default 65535. */
  readonly window?: number;
  readonly urgentPointer?: number;
  /** Up to 40 bytes, a multiple of 4. */
  readonly options?: Uint8Array;
}

const FLAG_BITS: readonly (readonly [keyof TcpFlags, number])[] = [
  ['fin', 0x001],
  ['syn', 0x002],
  ['rst', 0x004],
  ['psh', 0x008],
  ['ack', 0x010],
  ['urg', 0x020],
  ['ece', 0x040],
  ['cwr', 0x080],
  ['ae', 0x100],
];

/** Decodes the header at `start`; the payload runs from `start + headerLength` to `end`. */
export function decodeTcpAt(
  bytes: Uint8Array,
  view: DataView,
  start: number,
  end: number,
  pseudo: PseudoHeaderSource,
): Tcp {
  need('tcp', start, 20, end, 'TCP header');
  const word = view.getUint16(start + 12);
  const headerLength = (word >> 12) * 4;
  if (headerLength < 20) {
    throw new PacketDecodeError(
      'PACKET_BAD_FIELD',
      'tcp',
      start + 12,
      `data offset ${headerLength} is below 20`,
    );
  }
  need('tcp', start, headerLength, end, 'TCP header with options');
  return {
    kind: 'tcp',
    sourcePort: view.getUint16(start),
    destinationPort: view.getUint16(start + 2),
    sequenceNumber: view.getUint32(start + 4),
    acknowledgementNumber: view.getUint32(start + 8),
    flags: {
      fin: (word & 0x001) !== 0,
      syn: (word & 0x002) !== 0,
      rst: (word & 0x004) !== 0,
      psh: (word & 0x008) !== 0,
      ack: (word & 0x010) !== 0,
      urg: (word & 0x020) !== 0,
      ece: (word & 0x040) !== 0,
      cwr: (word & 0x080) !== 0,
      ae: (word & 0x100) !== 0,
    },
    window: view.getUint16(start + 14),
    urgentPointer: view.getUint16(start + 18),
    options: headerLength > 20 ? bytes.subarray(start + 20, start + headerLength) : EMPTY,
    headerLength,
    checksum: view.getUint16(start + 16),
    checksumValid: transportChecksumValid(bytes, start, end, pseudo, IpProtocol.TCP),
  };
}

export function tcpHeaderLength(header: Pick<TcpInit, 'options'>): number {
  const options = header.options?.length ?? 0;
  if (options > 40 || options % 4 !== 0) {
    throw new PacketEncodeError(
      'PACKET_FIELD_RANGE',
      'tcp',
      `options must be 0–40 bytes in multiples of 4, got ${options}`,
    );
  }
  return 20 + options;
}

/** Writes the header and, the payload being in place already, the checksum. */
export function writeTcp(
  out: Uint8Array,
  view: DataView,
  offset: number,
  header: TcpInit,
  payloadLength: number,
  pseudo: PseudoHeaderSource,
): void {
  const headerLength = tcpHeaderLength(header);
  let word = (headerLength / 4) << 12;
  for (const [name, bit] of FLAG_BITS) if (header.flags?.[name]) word |= bit;
  view.setUint16(offset, checkUint('tcp', 'sourcePort', header.sourcePort, 16));
  view.setUint16(offset + 2, checkUint('tcp', 'destinationPort', header.destinationPort, 16));
  view.setUint32(offset + 4, checkUint('tcp', 'sequenceNumber', header.sequenceNumber ?? 0, 32));
  view.setUint32(
    offset + 8,
    checkUint('tcp', 'acknowledgementNumber', header.acknowledgementNumber ?? 0, 32),
  );
  view.setUint16(offset + 12, word);
  view.setUint16(offset + 14, checkUint('tcp', 'window', header.window ?? 0xffff, 16));
  view.setUint16(offset + 18, checkUint('tcp', 'urgentPointer', header.urgentPointer ?? 0, 16));
  if (header.options) out.set(header.options, offset + 20);
  const end = offset + headerLength + payloadLength;
  storeTransportChecksum(out, view, offset, end, offset + 16, pseudo, IpProtocol.TCP);
}

export interface TcpOption {
  /** 0 end of list, 1 no-op, 2 MSS, 3 window scale, 4 SACK permitted, 5 SACK, 8 timestamps… */
  readonly kind: number;
  /** The option's value (after kind and length); empty for end-of-list and no-op. */
  readonly data: Uint8Array;
}

/**
 * Lists the options in an option area. Stops at end-of-list; a malformed length raises
 * PACKET_BAD_OPTION (offsets relative to the option area).
 */
export function tcpOptions(options: Uint8Array): TcpOption[] {
  const list: TcpOption[] = [];
  let i = 0;
  while (i < options.length) {
    const kind = options[i] ?? 0;
    if (kind === 0 || kind === 1) {
      list.push({ kind, data: EMPTY });
      i++;
      if (kind === 0) break;
      continue;
    }
    const length = options[i + 1];
    if (length === undefined || length < 2 || i + length > options.length) {
      throw new PacketDecodeError('PACKET_BAD_OPTION', 'tcp', i, `option ${kind} has a bad length`);
    }
    list.push({ kind, data: options.subarray(i + 2, i + length) });
    i += length;
  }
  return list;
}
