// The Internet checksum (RFC 1071) and the pseudo-headers of RFC 768/793 (IPv4) and RFC 8200
// section 8.1 (IPv6). Sums are kept unfolded in a double (exact up to 2^53, far beyond the 64 KiB
// a packet can hold) and folded once at the end.

/** Adds the 16-bit big-endian words of bytes[start, end) to `sum`; an odd last byte is padded. */
export function sumWords(bytes: Uint8Array, start: number, end: number, sum = 0): number {
  let i = start;
  for (; i + 1 < end; i += 2) sum += ((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0);
  if (i < end) sum += (bytes[i] ?? 0) << 8;
  return sum;
}

/** Folds carries and complements: the value to store in a checksum field. */
export function finishChecksum(sum: number): number {
  while (sum > 0xffff) sum = (sum % 0x10000) + Math.floor(sum / 0x10000);
  return ~sum & 0xffff;
}

/** The Internet checksum of bytes[start, end). A region that contains its own valid checksum gives 0. */
export function internetChecksum(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return finishChecksum(sumWords(bytes, start, end));
}

/**
 * Where the addresses of a pseudo-header live: offsets into a buffer (the packet being decoded or
 * encoded), so no address is copied or parsed to compute a checksum.
 */
export interface PseudoHeaderSource {
  readonly bytes: Uint8Array;
  readonly source: number;
  readonly destination: number;
  /** 4 for IPv4, 16 for IPv6. */
  readonly addressLength: 4 | 16;
}

/** Sum of the pseudo-header for an upper-layer packet of `length` bytes carried as `protocol`. */
export function pseudoHeaderSum(pseudo: PseudoHeaderSource, protocol: number, length: number): number {
  const { bytes, source, destination, addressLength } = pseudo;
  let sum = sumWords(bytes, source, source + addressLength);
  sum = sumWords(bytes, destination, destination + addressLength, sum);
  // IPv4: zero, protocol, 16-bit length. IPv6: 32-bit length, three zero bytes, next header.
  // Both come to the same sum for lengths below 65536; IPv6 lengths may use the upper half.
  return sum + protocol + (length % 0x10000) + Math.floor(length / 0x10000);
}

/** Whether a transport segment bytes[start, end) with its checksum in place sums to zero. */
export function transportChecksumValid(
  bytes: Uint8Array,
  start: number,
  end: number,
  pseudo: PseudoHeaderSource | undefined,
  protocol: number,
): boolean {
  const initial = pseudo ? pseudoHeaderSum(pseudo, protocol, end - start) : 0;
  return finishChecksum(sumWords(bytes, start, end, initial)) === 0;
}

/** Computes the checksum of bytes[start, end) (field zeroed first) and stores it at `field`. */
export function storeTransportChecksum(
  out: Uint8Array,
  view: DataView,
  start: number,
  end: number,
  field: number,
  pseudo: PseudoHeaderSource | undefined,
  protocol: number,
): number {
  view.setUint16(field, 0);
  const initial = pseudo ? pseudoHeaderSum(pseudo, protocol, end - start) : 0;
  const checksum = finishChecksum(sumWords(out, start, end, initial));
  view.setUint16(field, checksum);
  return checksum;
}
