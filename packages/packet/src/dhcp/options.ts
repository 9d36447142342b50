// DHCP options (RFC 2132) as a typed list in wire order. Each option the library knows has a
// value codec below; everything else is kept as `{ kind: 'raw', code, data }`. Options split in
// several instances are joined on decode and split again on encode (RFC 3396). Pad options are
// skipped; End is implicit (the encoder always writes it).
import { formatIpv4, writeIpv4Address, type Ipv4Address } from '../address/ipv4.js';
import { PacketDecodeError, PacketEncodeError } from '../errors.js';
import { checkUint, concatBytes, latin1, writeLatin1 } from '../internal/bytes.js';
import { DhcpOptionCode } from './constants.js';

/** One RFC 3442 route: destination/prefixLength via router (0.0.0.0 means on-link). */
export interface ClasslessRoute {
  readonly destination: Ipv4Address;
  readonly prefixLength: number;
  readonly router: Ipv4Address;
}

/** The value type of each typed option, by kind. */
export interface DhcpOptionValues {
  'subnet-mask': Ipv4Address;
  router: readonly Ipv4Address[];
  'dns-servers': readonly Ipv4Address[];
  hostname: string;
  'domain-name': string;
  'interface-mtu': number;
  'broadcast-address': Ipv4Address;
  'requested-ip': Ipv4Address;
  /** Seconds. */
  'lease-time': number;
  /** A DhcpMessageType. */
  'message-type': number;
  'server-id': Ipv4Address;
  /** Option codes the client asks for, in its order of preference. */
  'parameter-request-list': readonly number[];
  message: string;
  'max-message-size': number;
  /** T1, seconds. */
  'renewal-time': number;
  /** T2, seconds. */
  'rebinding-time': number;
  /** Opaque in RFC 2132; carried as Latin-1 text so every byte survives. */
  'vendor-class': string;
  /** Opaque bytes, compared byte-wise by servers (commonly 0x01 followed by the MAC). */
  'client-id': Uint8Array;
  'classless-static-routes': readonly ClasslessRoute[];
}

export type DhcpOptionKind = keyof DhcpOptionValues;

/** One typed option: `{ kind: 'lease-time', value: 3600 }`. */
export interface DhcpOptionOf<K extends DhcpOptionKind> {
  readonly kind: K;
  readonly value: DhcpOptionValues[K];
}

export type DhcpTypedOption = { [K in DhcpOptionKind]: DhcpOptionOf<K> }[DhcpOptionKind];

export interface DhcpRawOption {
  readonly kind: 'raw';
  readonly code: number;
  readonly data: Uint8Array;
}

export type DhcpOption = DhcpTypedOption | DhcpRawOption;

/** Thrown by value decoders; decodeDhcpOptions turns it into PACKET_BAD_OPTION with an offset. */
class BadOptionValue extends Error {}

interface ValueCodec<T> {
  readonly code: number;
  decode(data: Uint8Array): T;
  encode(value: T): Uint8Array;
}

function fixed(data: Uint8Array, length: number): void {
  if (data.length !== length) throw new BadOptionValue(`is ${data.length} bytes, not ${length}`);
}

const ipv4: Omit<ValueCodec<Ipv4Address>, 'code'> = {
  decode(data) {
    fixed(data, 4);
    return formatIpv4(data);
  },
  encode(value) {
    const out = new Uint8Array(4);
    writeIpv4Address(value, out, 0);
    return out;
  },
};

const ipv4List: Omit<ValueCodec<readonly Ipv4Address[]>, 'code'> = {
  decode(data) {
    if (data.length % 4 !== 0) throw new BadOptionValue(`is ${data.length} bytes, not a multiple of 4`);
    const list: Ipv4Address[] = [];
    for (let i = 0; i < data.length; i += 4) list.push(formatIpv4(data, i));
    return list;
  },
  encode(value) {
    const out = new Uint8Array(4 * value.length);
    value.forEach((address, i) => writeIpv4Address(address, out, 4 * i));
    return out;
  },
};

const text: Omit<ValueCodec<string>, 'code'> = {
  decode: (data) => latin1(data, 0, data.length),
  encode(value) {
    const out = new Uint8Array(value.length);
    writeLatin1('dhcpv4', 'option text', value, out, 0);
    return out;
  },
};

function uint(bytes: 1 | 2 | 4): Omit<ValueCodec<number>, 'code'> {
  return {
    decode(data) {
      fixed(data, bytes);
      let value = 0;
      for (const b of data) value = value * 256 + b;
      return value;
    },
    encode(value) {
      checkUint('dhcpv4', 'option value', value, bytes * 8);
      const out = new Uint8Array(bytes);
      for (let i = bytes - 1, v = value; i >= 0; i--, v = Math.floor(v / 256)) out[i] = v % 256;
      return out;
    },
  };
}

const byteList: Omit<ValueCodec<readonly number[]>, 'code'> = {
  decode: (data) => Array.from(data),
  encode(value) {
    for (const v of value) checkUint('dhcpv4', 'parameter code', v, 8);
    return Uint8Array.from(value);
  },
};

const opaque: Omit<ValueCodec<Uint8Array>, 'code'> = {
  decode: (data) => data,
  encode: (value) => value,
};

/**
 * RFC 3442: each route is the prefix length, then only the significant octets of the destination
 * (ceil(prefix / 8)), then the router's four octets.
 */
const classlessRoutes: Omit<ValueCodec<readonly ClasslessRoute[]>, 'code'> = {
  decode(data) {
    const routes: ClasslessRoute[] = [];
    let i = 0;
    while (i < data.length) {
      const prefixLength = data[i] ?? 0;
      if (prefixLength > 32)
        throw new BadOptionValue(`route ${routes.length} has prefix length ${prefixLength}`);
      const significant = Math.ceil(prefixLength / 8);
      if (i + 1 + significant + 4 > data.length)
        throw new BadOptionValue(`route ${routes.length} is cut short`);
      const destination = new Uint8Array(4);
      destination.set(data.subarray(i + 1, i + 1 + significant));
      routes.push({
        destination: formatIpv4(destination),
        prefixLength,
        router: formatIpv4(data, i + 1 + significant),
      });
      i += 1 + significant + 4;
    }
    return routes;
  },
  encode(routes) {
    const parts: Uint8Array[] = [];
    for (const route of routes) {
      const prefixLength = route.prefixLength;
      if (!Number.isInteger(prefixLength) || prefixLength < 0 || prefixLength > 32) {
        throw new PacketEncodeError(
          'PACKET_FIELD_RANGE',
          'dhcpv4',
          `route prefix length ${prefixLength} is not 0–32`,
        );
      }
      const destination = new Uint8Array(4);
      writeIpv4Address(route.destination, destination, 0);
      const significant = Math.ceil(prefixLength / 8);
      // Host bits would be silently lost by the compact encoding: refuse them instead.
      const value =
        (destination[0] ?? 0) * 2 ** 24 +
        ((destination[1] ?? 0) << 16) +
        ((destination[2] ?? 0) << 8) +
        (destination[3] ?? 0);
      if (prefixLength < 32 && value % 2 ** (32 - prefixLength) !== 0) {
        throw new PacketEncodeError(
          'PACKET_FIELD_RANGE',
          'dhcpv4',
          `route ${route.destination}/${prefixLength} has host bits set`,
        );
      }
      const part = new Uint8Array(1 + significant + 4);
      part[0] = prefixLength;
      part.set(destination.subarray(0, significant), 1);
      writeIpv4Address(route.router, part, 1 + significant);
      parts.push(part);
    }
    return concatBytes(parts);
  },
};

const CODECS: { readonly [K in DhcpOptionKind]: ValueCodec<DhcpOptionValues[K]> } = {
  'subnet-mask': { code: DhcpOptionCode.SubnetMask, ...ipv4 },
  router: { code: DhcpOptionCode.Router, ...ipv4List },
  'dns-servers': { code: DhcpOptionCode.DnsServers, ...ipv4List },
  hostname: { code: DhcpOptionCode.Hostname, ...text },
  'domain-name': { code: DhcpOptionCode.DomainName, ...text },
  'interface-mtu': { code: DhcpOptionCode.InterfaceMtu, ...uint(2) },
  'broadcast-address': { code: DhcpOptionCode.BroadcastAddress, ...ipv4 },
  'requested-ip': { code: DhcpOptionCode.RequestedIp, ...ipv4 },
  'lease-time': { code: DhcpOptionCode.LeaseTime, ...uint(4) },
  'message-type': { code: DhcpOptionCode.MessageType, ...uint(1) },
  'server-id': { code: DhcpOptionCode.ServerId, ...ipv4 },
  'parameter-request-list': { code: DhcpOptionCode.ParameterRequestList, ...byteList },
  message: { code: DhcpOptionCode.Message, ...text },
  'max-message-size': { code: DhcpOptionCode.MaxMessageSize, ...uint(2) },
  'renewal-time': { code: DhcpOptionCode.RenewalTime, ...uint(4) },
  'rebinding-time': { code: DhcpOptionCode.RebindingTime, ...uint(4) },
  'vendor-class': { code: DhcpOptionCode.VendorClass, ...text },
  'client-id': { code: DhcpOptionCode.ClientId, ...opaque },
  'classless-static-routes': { code: DhcpOptionCode.ClasslessStaticRoutes, ...classlessRoutes },
};

const KIND_BY_CODE: ReadonlyMap<number, DhcpOptionKind> = new Map(
  (Object.keys(CODECS) as DhcpOptionKind[]).map((kind) => [CODECS[kind].code, kind]),
);

/** The option code of a typed kind (e.g. for a parameter request list). */
export function dhcpOptionCode(kind: DhcpOptionKind): number {
  return CODECS[kind].code;
}

function typed<K extends DhcpOptionKind>(kind: K, data: Uint8Array): DhcpOption {
  return { kind, value: CODECS[kind].decode(data) } as DhcpOption;
}

/** Decodes the options area bytes[start, end) (after the magic cookie); error offsets are absolute. */
export function decodeDhcpOptions(bytes: Uint8Array, start: number, end: number): DhcpOption[] {
  // First pass: locate every instance, so that split options (RFC 3396) can be joined.
  const order: number[] = [];
  const instances = new Map<number, { offset: number; parts: Uint8Array[] }>();
  let offset = start;
  while (offset < end) {
    const code = bytes[offset] ?? 0;
    if (code === DhcpOptionCode.Pad) {
      offset++;
      continue;
    }
    if (code === DhcpOptionCode.End) break;
    const length = bytes[offset + 1];
    if (length === undefined || offset + 2 + length > end) {
      throw new PacketDecodeError(
        'PACKET_BAD_OPTION',
        'dhcpv4',
        offset,
        `option ${code} runs past the message`,
      );
    }
    const data = bytes.subarray(offset + 2, offset + 2 + length);
    const seen = instances.get(code);
    if (seen) seen.parts.push(data);
    else {
      instances.set(code, { offset, parts: [data] });
      order.push(code);
    }
    offset += 2 + length;
  }
  const options: DhcpOption[] = [];
  for (const code of order) {
    const instance = instances.get(code);
    if (!instance) continue;
    const data =
      instance.parts.length === 1 ? (instance.parts[0] ?? new Uint8Array(0)) : concatBytes(instance.parts);
    const kind = KIND_BY_CODE.get(code);
    if (kind === undefined) {
      options.push({ kind: 'raw', code, data });
      continue;
    }
    try {
      options.push(typed(kind, data));
    } catch (problem) {
      if (!(problem instanceof BadOptionValue)) throw problem;
      throw new PacketDecodeError(
        'PACKET_BAD_OPTION',
        'dhcpv4',
        instance.offset,
        `option ${code} (${kind}) ${problem.message}`,
      );
    }
  }
  return options;
}

/** Code and value bytes of one option, ready to be written. */
function optionBytes(option: DhcpOption): { readonly code: number; readonly data: Uint8Array } {
  if (option.kind === 'raw') {
    const code = checkUint('dhcpv4', 'option code', option.code, 8);
    if (code === DhcpOptionCode.Pad || code === DhcpOptionCode.End || KIND_BY_CODE.has(code)) {
      throw new PacketEncodeError(
        'PACKET_FIELD_RANGE',
        'dhcpv4',
        `option code ${code} cannot be raw (pad, end, or has a typed kind)`,
      );
    }
    return { code, data: option.data };
  }
  const codec = CODECS[option.kind] as ValueCodec<unknown>;
  return { code: codec.code, data: codec.encode(option.value) };
}

/** Encodes options (without End) into one buffer; values over 255 bytes become several instances. */
export function encodeDhcpOptions(options: readonly DhcpOption[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const seen = new Set<number>();
  for (const option of options) {
    const { code, data } = optionBytes(option);
    // A repeated code would be joined with the first on decode: refuse it rather than reorder.
    if (seen.has(code)) {
      throw new PacketEncodeError(
        'PACKET_FIELD_RANGE',
        'dhcpv4',
        `option ${code} appears twice; give one value`,
      );
    }
    seen.add(code);
    let i = 0;
    do {
      const chunk = data.subarray(i, i + 255);
      const part = new Uint8Array(2 + chunk.length);
      part[0] = code;
      part[1] = chunk.length;
      part.set(chunk, 2);
      parts.push(part);
      i += 255;
    } while (i < data.length);
  }
  return concatBytes(parts);
}

/** The value of the first option of `kind`, or undefined. */
export function getDhcpOption<K extends DhcpOptionKind>(
  options: readonly DhcpOption[],
  kind: K,
): DhcpOptionValues[K] | undefined {
  for (const option of options) {
    // The kind tag determines the value type; TypeScript cannot relate the two for a generic K.
    if (option.kind === kind) return (option as unknown as DhcpOptionOf<K>).value;
  }
  return undefined;
}
