// ICMPv6 (RFC 4443) and the Neighbor Discovery messages (RFC 4861). The checksum covers the IPv6
// pseudo-header, so decoding and encoding need the addresses of the enclosing packet.
import { formatIpv6, writeIpv6Address, type Ipv6Address } from '../address/ipv6.js';
import { storeTransportChecksum, transportChecksumValid, type PseudoHeaderSource } from '../checksum.js';
import { PacketEncodeError } from '../errors.js';
import { IpProtocol } from '../ip-protocol.js';
import { checkUint, EMPTY, need } from '../internal/bytes.js';
import { decodeNdOptions, ndOptionsLength, writeNdOptions, type NdOption } from './nd-options.js';

export const Icmpv6Type = {
  DestinationUnreachable: 1,
  PacketTooBig: 2,
  TimeExceeded: 3,
  ParameterProblem: 4,
  EchoRequest: 128,
  EchoReply: 129,
  RouterSolicitation: 133,
  RouterAdvertisement: 134,
  NeighborSolicitation: 135,
  NeighborAdvertisement: 136,
  Redirect: 137,
} as const;

export const Icmpv6UnreachableCode = {
  NoRoute: 0,
  AdministrativelyProhibited: 1,
  BeyondScope: 2,
  Address: 3,
  Port: 4,
  SourcePolicyFailed: 5,
  RejectRoute: 6,
} as const;

export const Icmpv6TimeExceededCode = { HopLimitExceeded: 0, FragmentReassembly: 1 } as const;

interface Base {
  readonly kind: 'icmpv6';
  readonly code: number;
}

export interface Icmpv6Echo extends Base {
  readonly type: 'echo-request' | 'echo-reply';
  readonly identifier: number;
  readonly sequence: number;
  readonly data: Uint8Array;
}

export interface Icmpv6Error extends Base {
  readonly type: 'destination-unreachable' | 'time-exceeded';
  /** As much of the invoking packet as fits (RFC 4443: the reply stays within 1280 bytes). */
  readonly original: Uint8Array;
}

export interface Icmpv6PacketTooBig extends Base {
  readonly type: 'packet-too-big';
  readonly mtu: number;
  readonly original: Uint8Array;
}

export interface Icmpv6ParameterProblem extends Base {
  readonly type: 'parameter-problem';
  /** Offset of the offending byte in the original packet. */
  readonly pointer: number;
  readonly original: Uint8Array;
}

export interface Icmpv6RouterSolicitation extends Base {
  readonly type: 'router-solicitation';
  readonly options: readonly NdOption[];
}

export interface Icmpv6RouterAdvertisement extends Base {
  readonly type: 'router-advertisement';
  /** 0 means unspecified. */
  readonly curHopLimit: number;
  /** M flag: addresses via DHCPv6. */
  readonly managed: boolean;
  /** O flag: other configuration via DHCPv6. */
  readonly otherConfig: boolean;
  /** The remaining bits of the flags byte (home agent 0x20, router preference 0x18, proxy 0x04). */
  readonly flagBits: number;
  /** Seconds; 0 means "not a default router". */
  readonly routerLifetime: number;
  /** Milliseconds. */
  readonly reachableTime: number;
  /** Milliseconds. */
  readonly retransTimer: number;
  readonly options: readonly NdOption[];
}

export interface Icmpv6NeighborSolicitation extends Base {
  readonly type: 'neighbor-solicitation';
  readonly target: Ipv6Address;
  readonly options: readonly NdOption[];
}

export interface Icmpv6NeighborAdvertisement extends Base {
  readonly type: 'neighbor-advertisement';
  readonly router: boolean;
  readonly solicited: boolean;
  readonly override: boolean;
  readonly target: Ipv6Address;
  readonly options: readonly NdOption[];
}

export interface Icmpv6Other extends Base {
  readonly type: 'other';
  readonly icmpType: number;
  /** Everything after the checksum. */
  readonly body: Uint8Array;
}

export type Icmpv6Message =
  | Icmpv6Echo
  | Icmpv6Error
  | Icmpv6PacketTooBig
  | Icmpv6ParameterProblem
  | Icmpv6RouterSolicitation
  | Icmpv6RouterAdvertisement
  | Icmpv6NeighborSolicitation
  | Icmpv6NeighborAdvertisement
  | Icmpv6Other;

/** A decoded ICMPv6 message: its variant plus the checksum as found. */
export type Icmpv6 = Icmpv6Message & { readonly checksum: number; readonly checksumValid: boolean };

type Optional<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;

/** What to encode: the variants with codes, data, options and rarely-set fields optional. */
export type Icmpv6Init =
  | Optional<Icmpv6Echo, 'code' | 'data'>
  | Optional<Icmpv6Error, 'code'>
  | Optional<Icmpv6PacketTooBig, 'code'>
  | Optional<Icmpv6ParameterProblem, 'code'>
  | Optional<Icmpv6RouterSolicitation, 'code' | 'options'>
  | Optional<
      Icmpv6RouterAdvertisement,
      | 'code'
      | 'options'
      | 'flagBits'
      | 'managed'
      | 'otherConfig'
      | 'reachableTime'
      | 'retransTimer'
      | 'curHopLimit'
    >
  | Optional<Icmpv6NeighborSolicitation, 'code' | 'options'>
  | Optional<Icmpv6NeighborAdvertisement, 'code' | 'options' | 'router' | 'solicited' | 'override'>
  | Optional<Icmpv6Other, 'code' | 'body'>;

const TYPE_NUMBERS = {
  'destination-unreachable': Icmpv6Type.DestinationUnreachable,
  'packet-too-big': Icmpv6Type.PacketTooBig,
  'time-exceeded': Icmpv6Type.TimeExceeded,
  'parameter-problem': Icmpv6Type.ParameterProblem,
  'echo-request': Icmpv6Type.EchoRequest,
  'echo-reply': Icmpv6Type.EchoReply,
  'router-solicitation': Icmpv6Type.RouterSolicitation,
  'router-advertisement': Icmpv6Type.RouterAdvertisement,
  'neighbor-solicitation': Icmpv6Type.NeighborSolicitation,
  'neighbor-advertisement': Icmpv6Type.NeighborAdvertisement,
} as const;

/** Decodes the message in bytes[start, end) (the upper-layer part of an IPv6 packet). */
export function decodeIcmpv6At(
  bytes: Uint8Array,
  view: DataView,
  start: number,
  end: number,
  pseudo: PseudoHeaderSource,
): Icmpv6 {
  need('icmpv6', start, 4, end, 'ICMPv6 header');
  const type = view.getUint8(start);
  const code = view.getUint8(start + 1);
  const checksum = view.getUint16(start + 2);
  const checksumValid = transportChecksumValid(bytes, start, end, pseudo, IpProtocol.ICMPv6);
  const sum = { checksum, checksumValid } as const;
  const kind = 'icmpv6';
  switch (type) {
    case Icmpv6Type.EchoRequest:
    case Icmpv6Type.EchoReply:
      need('icmpv6', start, 8, end, 'ICMPv6 echo');
      return {
        kind,
        type: type === Icmpv6Type.EchoRequest ? 'echo-request' : 'echo-reply',
        code,
        identifier: view.getUint16(start + 4),
        sequence: view.getUint16(start + 6),
        data: bytes.subarray(start + 8, end),
        ...sum,
      };
    case Icmpv6Type.DestinationUnreachable:
    case Icmpv6Type.TimeExceeded:
      need('icmpv6', start, 8, end, 'ICMPv6 error');
      return {
        kind,
        type: type === Icmpv6Type.TimeExceeded ? 'time-exceeded' : 'destination-unreachable',
        code,
        original: bytes.subarray(start + 8, end),
        ...sum,
      };
    case Icmpv6Type.PacketTooBig:
      need('icmpv6', start, 8, end, 'ICMPv6 packet too big');
      return {
        kind,
        type: 'packet-too-big',
        code,
        mtu: view.getUint32(start + 4),
        original: bytes.subarray(start + 8, end),
        ...sum,
      };
    case Icmpv6Type.ParameterProblem:
      need('icmpv6', start, 8, end, 'ICMPv6 parameter problem');
      return {
        kind,
        type: 'parameter-problem',
        code,
        pointer: view.getUint32(start + 4),
        original: bytes.subarray(start + 8, end),
        ...sum,
      };
    case Icmpv6Type.RouterSolicitation:
      need('icmpv6', start, 8, end, 'router solicitation');
      return {
        kind,
        type: 'router-solicitation',
        code,
        options: decodeNdOptions(bytes, view, start + 8, end),
        ...sum,
      };
    case Icmpv6Type.RouterAdvertisement: {
      need('icmpv6', start, 16, end, 'router advertisement');
      const flags = view.getUint8(start + 5);
      return {
        kind,
        type: 'router-advertisement',
        code,
        curHopLimit: view.getUint8(start + 4),
        managed: (flags & 0x80) !== 0,
        otherConfig: (flags & 0x40) !== 0,
        flagBits: flags & 0x3f,
        routerLifetime: view.getUint16(start + 6),
        reachableTime: view.getUint32(start + 8),
        retransTimer: view.getUint32(start + 12),
        options: decodeNdOptions(bytes, view, start + 16, end),
        ...sum,
      };
    }
    case Icmpv6Type.NeighborSolicitation:
      need('icmpv6', start, 24, end, 'neighbor solicitation');
      return {
        kind,
        type: 'neighbor-solicitation',
        code,
        target: formatIpv6(bytes, start + 8),
        options: decodeNdOptions(bytes, view, start + 24, end),
        ...sum,
      };
    case Icmpv6Type.NeighborAdvertisement: {
      need('icmpv6', start, 24, end, 'neighbor advertisement');
      const flags = view.getUint8(start + 4);
      return {
        kind,
        type: 'neighbor-advertisement',
        code,
        router: (flags & 0x80) !== 0,
        solicited: (flags & 0x40) !== 0,
        override: (flags & 0x20) !== 0,
        target: formatIpv6(bytes, start + 8),
        options: decodeNdOptions(bytes, view, start + 24, end),
        ...sum,
      };
    }
    default:
      return {
        kind,
        type: 'other',
        icmpType: type,
        code,
        body: end > start + 4 ? bytes.subarray(start + 4, end) : EMPTY,
        ...sum,
      };
  }
}

export function icmpv6Length(message: Icmpv6Init): number {
  switch (message.type) {
    case 'echo-request':
    case 'echo-reply':
      return 8 + (message.data?.length ?? 0);
    case 'destination-unreachable':
    case 'time-exceeded':
    case 'packet-too-big':
    case 'parameter-problem':
      return 8 + message.original.length;
    case 'router-solicitation':
      return 8 + ndOptionsLength(message.options ?? []);
    case 'router-advertisement':
      return 16 + ndOptionsLength(message.options ?? []);
    case 'neighbor-solicitation':
    case 'neighbor-advertisement':
      return 24 + ndOptionsLength(message.options ?? []);
    case 'other':
      return 4 + (message.body?.length ?? 0);
  }
}

/** Writes the whole message into zeroed bytes, checksum included; returns the offset after it. */
export function writeIcmpv6(
  out: Uint8Array,
  view: DataView,
  offset: number,
  message: Icmpv6Init,
  pseudo: PseudoHeaderSource,
): number {
  const length = icmpv6Length(message);
  let type: number;
  switch (message.type) {
    case 'echo-request':
    case 'echo-reply':
      view.setUint16(offset + 4, checkUint('icmpv6', 'identifier', message.identifier, 16));
      view.setUint16(offset + 6, checkUint('icmpv6', 'sequence', message.sequence, 16));
      if (message.data) out.set(message.data, offset + 8);
      type = TYPE_NUMBERS[message.type];
      break;
    case 'destination-unreachable':
    case 'time-exceeded':
      out.set(message.original, offset + 8);
      type = TYPE_NUMBERS[message.type];
      break;
    case 'packet-too-big':
      view.setUint32(offset + 4, checkUint('icmpv6', 'mtu', message.mtu, 32));
      out.set(message.original, offset + 8);
      type = TYPE_NUMBERS[message.type];
      break;
    case 'parameter-problem':
      view.setUint32(offset + 4, checkUint('icmpv6', 'pointer', message.pointer, 32));
      out.set(message.original, offset + 8);
      type = TYPE_NUMBERS[message.type];
      break;
    case 'router-solicitation':
      writeNdOptions(out, view, offset + 8, message.options ?? []);
      type = TYPE_NUMBERS[message.type];
      break;
    case 'router-advertisement':
      view.setUint8(offset + 4, checkUint('icmpv6', 'curHopLimit', message.curHopLimit ?? 0, 8));
      view.setUint8(
        offset + 5,
        (message.managed ? 0x80 : 0) |
          (message.otherConfig ? 0x40 : 0) |
          checkUint('icmpv6', 'flagBits', message.flagBits ?? 0, 6),
      );
      view.setUint16(offset + 6, checkUint('icmpv6', 'routerLifetime', message.routerLifetime, 16));
      view.setUint32(offset + 8, checkUint('icmpv6', 'reachableTime', message.reachableTime ?? 0, 32));
      view.setUint32(offset + 12, checkUint('icmpv6', 'retransTimer', message.retransTimer ?? 0, 32));
      writeNdOptions(out, view, offset + 16, message.options ?? []);
      type = TYPE_NUMBERS[message.type];
      break;
    case 'neighbor-solicitation':
      writeIpv6Address(message.target, out, offset + 8);
      writeNdOptions(out, view, offset + 24, message.options ?? []);
      type = TYPE_NUMBERS[message.type];
      break;
    case 'neighbor-advertisement':
      view.setUint8(
        offset + 4,
        (message.router ? 0x80 : 0) | (message.solicited ? 0x40 : 0) | (message.override ? 0x20 : 0),
      );
      writeIpv6Address(message.target, out, offset + 8);
      writeNdOptions(out, view, offset + 24, message.options ?? []);
      type = TYPE_NUMBERS[message.type];
      break;
    case 'other':
      type = checkUint('icmpv6', 'icmpType', message.icmpType, 8);
      if (Object.values(TYPE_NUMBERS).some((t) => t === type)) {
        throw new PacketEncodeError(
          'PACKET_FIELD_RANGE',
          'icmpv6',
          `type ${type} has its own variant; use it instead of 'other'`,
        );
      }
      if (message.body) out.set(message.body, offset + 4);
      break;
  }
  view.setUint8(offset, type);
  view.setUint8(offset + 1, checkUint('icmpv6', 'code', message.code ?? 0, 8));
  storeTransportChecksum(out, view, offset, offset + length, offset + 2, pseudo, IpProtocol.ICMPv6);
  return offset + length;
}
