// Neighbor Discovery options (RFC 4861 section 4.6): type, length in units of 8 bytes, value.
// The link-layer address options are decoded for Ethernet (length 1); other lengths and unknown
// types are kept as bytes.
import { formatIpv6, writeIpv6Address, type Ipv6Address } from '../address/ipv6.js';
import { formatMac, writeMac, type MacAddress } from '../address/mac.js';
import { PacketDecodeError, PacketEncodeError } from '../errors.js';
import { checkUint } from '../internal/bytes.js';

export const NdOptionType = {
  SourceLinkLayerAddress: 1,
  TargetLinkLayerAddress: 2,
  PrefixInformation: 3,
  RedirectedHeader: 4,
  Mtu: 5,
} as const;

export type NdOption =
  | { readonly type: 'source-link-layer-address' | 'target-link-layer-address'; readonly address: MacAddress }
  | {
      readonly type: 'prefix-information';
      readonly prefixLength: number;
      /** L flag. */
      readonly onLink: boolean;
      /** A flag: usable for stateless address autoconfiguration. */
      readonly autonomous: boolean;
      /** Seconds; 0xffffffff is infinity. */
      readonly validLifetime: number;
      readonly preferredLifetime: number;
      readonly prefix: Ipv6Address;
    }
  | { readonly type: 'mtu'; readonly mtu: number }
  | {
      readonly type: 'other';
      readonly optionType: number;
      /** The option after its type and length bytes; length + 2 is a multiple of 8. */
      readonly data: Uint8Array;
    };

/** Decodes the options in bytes[start, end); offsets in errors are absolute. */
export function decodeNdOptions(bytes: Uint8Array, view: DataView, start: number, end: number): NdOption[] {
  const options: NdOption[] = [];
  let offset = start;
  while (offset < end) {
    if (offset + 2 > end) {
      throw new PacketDecodeError('PACKET_BAD_OPTION', 'icmpv6', offset, 'option header is cut short');
    }
    const type = view.getUint8(offset);
    const length = view.getUint8(offset + 1) * 8;
    // A zero length would never advance: RFC 4861 says to discard such packets.
    if (length === 0 || offset + length > end) {
      throw new PacketDecodeError(
        'PACKET_BAD_OPTION',
        'icmpv6',
        offset + 1,
        `option ${type} has length ${length}`,
      );
    }
    options.push(decodeOption(bytes, view, offset, type, length));
    offset += length;
  }
  return options;
}

function decodeOption(
  bytes: Uint8Array,
  view: DataView,
  offset: number,
  type: number,
  length: number,
): NdOption {
  switch (type) {
    case NdOptionType.SourceLinkLayerAddress:
    case NdOptionType.TargetLinkLayerAddress:
      if (length !== 8) break;
      return {
        type:
          type === NdOptionType.SourceLinkLayerAddress
            ? 'source-link-layer-address'
            : 'target-link-layer-address',
        address: formatMac(bytes, offset + 2),
      };
    case NdOptionType.PrefixInformation: {
      if (length !== 32) {
        throw new PacketDecodeError(
          'PACKET_BAD_OPTION',
          'icmpv6',
          offset + 1,
          `prefix information is ${length} bytes, not 32`,
        );
      }
      const flags = view.getUint8(offset + 3);
      return {
        type: 'prefix-information',
        prefixLength: view.getUint8(offset + 2),
        onLink: (flags & 0x80) !== 0,
        autonomous: (flags & 0x40) !== 0,
        validLifetime: view.getUint32(offset + 4),
        preferredLifetime: view.getUint32(offset + 8),
        prefix: formatIpv6(bytes, offset + 16),
      };
    }
    case NdOptionType.Mtu:
      if (length !== 8) {
        throw new PacketDecodeError(
          'PACKET_BAD_OPTION',
          'icmpv6',
          offset + 1,
          `MTU option is ${length} bytes, not 8`,
        );
      }
      return { type: 'mtu', mtu: view.getUint32(offset + 4) };
  }
  return { type: 'other', optionType: type, data: bytes.subarray(offset + 2, offset + length) };
}

function optionLength(option: NdOption): number {
  switch (option.type) {
    case 'source-link-layer-address':
    case 'target-link-layer-address':
    case 'mtu':
      return 8;
    case 'prefix-information':
      return 32;
    case 'other': {
      const length = option.data.length + 2;
      if (length % 8 !== 0 || length > 255 * 8) {
        throw new PacketEncodeError(
          'PACKET_FIELD_RANGE',
          'icmpv6',
          `option data must be 8n - 2 bytes, got ${option.data.length}`,
        );
      }
      const t = option.optionType;
      if (
        t === NdOptionType.PrefixInformation ||
        t === NdOptionType.Mtu ||
        ((t === 1 || t === 2) && length === 8)
      ) {
        throw new PacketEncodeError(
          'PACKET_FIELD_RANGE',
          'icmpv6',
          `option type ${t} has its own variant; use it instead of 'other'`,
        );
      }
      return length;
    }
  }
}

export function ndOptionsLength(options: readonly NdOption[]): number {
  let length = 0;
  for (const option of options) length += optionLength(option);
  return length;
}

/** Writes the options into zeroed bytes at `offset`; returns the offset after them. */
export function writeNdOptions(
  out: Uint8Array,
  view: DataView,
  offset: number,
  options: readonly NdOption[],
): number {
  for (const option of options) {
    const length = optionLength(option);
    view.setUint8(offset + 1, length / 8);
    switch (option.type) {
      case 'source-link-layer-address':
      case 'target-link-layer-address':
        view.setUint8(offset, option.type === 'source-link-layer-address' ? 1 : 2);
        writeMac(option.address, out, offset + 2);
        break;
      case 'prefix-information':
        view.setUint8(offset, NdOptionType.PrefixInformation);
        view.setUint8(offset + 2, checkUint('icmpv6', 'prefixLength', option.prefixLength, 8));
        view.setUint8(offset + 3, (option.onLink ? 0x80 : 0) | (option.autonomous ? 0x40 : 0));
        view.setUint32(offset + 4, checkUint('icmpv6', 'validLifetime', option.validLifetime, 32));
        view.setUint32(offset + 8, checkUint('icmpv6', 'preferredLifetime', option.preferredLifetime, 32));
        writeIpv6Address(option.prefix, out, offset + 16);
        break;
      case 'mtu':
        view.setUint8(offset, NdOptionType.Mtu);
        view.setUint32(offset + 4, checkUint('icmpv6', 'mtu', option.mtu, 32));
        break;
      case 'other':
        view.setUint8(offset, checkUint('icmpv6', 'optionType', option.optionType, 8));
        out.set(option.data, offset + 2);
        break;
    }
    offset += length;
  }
  return offset;
}
