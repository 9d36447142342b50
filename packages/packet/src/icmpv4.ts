// ICMP for IPv4 (RFC 792, RFC 1191 for the fragmentation-needed MTU). Message layouts that
// differ get their own variant, discriminated by `type`; anything else is kept as bytes.
import { internetChecksum } from './checksum.js';
import { PacketEncodeError } from './errors.js';
import { checkUint, EMPTY, need } from './internal/bytes.js';

export const Icmpv4Type = {
  EchoReply: 0,
  DestinationUnreachable: 3,
  Redirect: 5,
  EchoRequest: 8,
  TimeExceeded: 11,
  ParameterProblem: 12,
} as const;

export const Icmpv4UnreachableCode = {
  Network: 0,
  Host: 1,
  Protocol: 2,
  Port: 3,
  FragmentationNeeded: 4,
  SourceRouteFailed: 5,
  NetworkProhibited: 9,
  HostProhibited: 10,
  AdministrativelyProhibited: 13,
} as const;

export const Icmpv4TimeExceededCode = { TtlExceeded: 0, FragmentReassembly: 1 } as const;

interface Checksummed {
  readonly checksum: number;
  readonly checksumValid: boolean;
}

export interface Icmpv4Echo {
  readonly kind: 'icmpv4';
  readonly type: 'echo-request' | 'echo-reply';
  readonly code: number;
  readonly identifier: number;
  readonly sequence: number;
  readonly data: Uint8Array;
}

export interface Icmpv4DestinationUnreachable {
  readonly kind: 'icmpv4';
  readonly type: 'destination-unreachable';
  /** An Icmpv4UnreachableCode. */
  readonly code: number;
  /** With code FragmentationNeeded: the MTU of the next hop (RFC 1191); otherwise normally 0. */
  readonly nextHopMtu: number;
  /** The quoted original datagram: its IP header and the start of its payload. */
  readonly original: Uint8Array;
}

export interface Icmpv4TimeExceeded {
  readonly kind: 'icmpv4';
  readonly type: 'time-exceeded';
  /** An Icmpv4TimeExceededCode. */
  readonly code: number;
  readonly original: Uint8Array;
}

export interface Icmpv4Other {
  readonly kind: 'icmpv4';
  readonly type: 'other';
  /** Any ICMP type without a variant of its own (redirect, parameter problem, timestamp…). */
  readonly icmpType: number;
  readonly code: number;
  /** Everything after the checksum. */
  readonly body: Uint8Array;
}

export type Icmpv4Message = Icmpv4Echo | Icmpv4DestinationUnreachable | Icmpv4TimeExceeded | Icmpv4Other;
/** A decoded ICMPv4 message: its variant plus the checksum as found. */
export type Icmpv4 = Icmpv4Message & Checksummed;

export type Icmpv4Init =
  | (Omit<Icmpv4Echo, 'code' | 'data'> & { readonly code?: number; readonly data?: Uint8Array })
  | (Omit<Icmpv4DestinationUnreachable, 'nextHopMtu'> & { readonly nextHopMtu?: number })
  | (Omit<Icmpv4TimeExceeded, 'code'> & { readonly code?: number })
  | (Omit<Icmpv4Other, 'code' | 'body'> & { readonly code?: number; readonly body?: Uint8Array });

const TYPE_NUMBERS = {
  'echo-request': Icmpv4Type.EchoRequest,
  'echo-reply': Icmpv4Type.EchoReply,
  'destination-unreachable': Icmpv4Type.DestinationUnreachable,
  'time-exceeded': Icmpv4Type.TimeExceeded,
} as const;

/** Decodes the message in bytes[start, end) (the whole IP payload). */
export function decodeIcmpv4At(bytes: Uint8Array, view: DataView, start: number, end: number): Icmpv4 {
  need('icmpv4', start, 4, end, 'ICMP header');
  const type = view.getUint8(start);
  const code = view.getUint8(start + 1);
  const checksum = view.getUint16(start + 2);
  const checksumValid = internetChecksum(bytes, start, end) === 0;
  switch (type) {
    case Icmpv4Type.EchoRequest:
    case Icmpv4Type.EchoReply:
      need('icmpv4', start, 8, end, 'ICMP echo');
      return {
        kind: 'icmpv4',
        type: type === Icmpv4Type.EchoRequest ? 'echo-request' : 'echo-reply',
        code,
        identifier: view.getUint16(start + 4),
        sequence: view.getUint16(start + 6),
        data: bytes.subarray(start + 8, end),
        checksum,
        checksumValid,
      };
    case Icmpv4Type.DestinationUnreachable:
      need('icmpv4', start, 8, end, 'ICMP destination unreachable');
      return {
        kind: 'icmpv4',
        type: 'destination-unreachable',
        code,
        nextHopMtu: view.getUint16(start + 6),
        original: bytes.subarray(start + 8, end),
        checksum,
        checksumValid,
      };
    case Icmpv4Type.TimeExceeded:
      need('icmpv4', start, 8, end, 'ICMP time exceeded');
      return {
        kind: 'icmpv4',
        type: 'time-exceeded',
        code,
        original: bytes.subarray(start + 8, end),
        checksum,
        checksumValid,
      };
    default:
      return {
        kind: 'icmpv4',
        type: 'other',
        icmpType: type,
        code,
        body: end > start + 4 ? bytes.subarray(start + 4, end) : EMPTY,
        checksum,
        checksumValid,
      };
  }
}

export function icmpv4Length(message: Icmpv4Init): number {
  switch (message.type) {
    case 'echo-request':
    case 'echo-reply':
      return 8 + (message.data?.length ?? 0);
    case 'destination-unreachable':
    case 'time-exceeded':
      return 8 + message.original.length;
    case 'other':
      return 4 + (message.body?.length ?? 0);
  }
}

/** Writes the whole message, checksum included, into zeroed bytes; returns the offset after it. */
export function writeIcmpv4(out: Uint8Array, view: DataView, offset: number, message: Icmpv4Init): number {
  const length = icmpv4Length(message);
  let type: number;
  switch (message.type) {
    case 'echo-request':
    case 'echo-reply':
      type = TYPE_NUMBERS[message.type];
      view.setUint16(offset + 4, checkUint('icmpv4', 'identifier', message.identifier, 16));
      view.setUint16(offset + 6, checkUint('icmpv4', 'sequence', message.sequence, 16));
      if (message.data) out.set(message.data, offset + 8);
      break;
    case 'destination-unreachable':
      type = TYPE_NUMBERS[message.type];
      view.setUint16(offset + 6, checkUint('icmpv4', 'nextHopMtu', message.nextHopMtu ?? 0, 16));
      out.set(message.original, offset + 8);
      break;
    case 'time-exceeded':
      type = TYPE_NUMBERS[message.type];
      out.set(message.original, offset + 8);
      break;
    case 'other':
      type = checkUint('icmpv4', 'icmpType', message.icmpType, 8);
      if (Object.values(TYPE_NUMBERS).some((t) => t === type)) {
        throw new PacketEncodeError(
          'PACKET_FIELD_RANGE',
          'icmpv4',
          `type ${type} has its own variant; use it instead of 'other'`,
        );
      }
      if (message.body) out.set(message.body, offset + 4);
      break;
  }
  view.setUint8(offset, type);
  view.setUint8(offset + 1, checkUint('icmpv4', 'code', message.code ?? 0, 8));
  view.setUint16(offset + 2, 0);
  view.setUint16(offset + 2, internetChecksum(out, offset, offset + length));
  return offset + length;
}
