/**
 * The Internet checksum (RFC 1071): the 16-bit one's complement of the one's complement sum of
 * 16-bit big-endian words, an odd trailing byte padded with a zero low byte. Used for the IPv4
 * header checksum (RFC 791 §3.1) and the TCP checksum over a pseudo-header: source and
 * destination address, protocol and TCP length for IPv4 (RFC 9293 §3.1), or source, destination,
 * 32-bit upper-layer length and next header for IPv6 (RFC 8200 §8.1).
 *
 * The functions work on ranges of a Uint8Array so the codec can checksum in place without copying.
 * Sums are kept unfolded in a plain number (exact below 2^53; an IP packet is at most 64 KiB) and
 * folded once at the end.
 */

/** The IP protocol number of TCP. */
export const IPPROTO_TCP = 6;

/** True on little-endian hosts, where a Uint32Array sees each 16-bit word byte-swapped. */
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/**
 * Add the 16-bit big-endian words of `buf[start, end)` to `acc` without folding. An odd final byte
 * counts as the high byte of a word whose low byte is zero. Callers must keep `start` even relative
 * to the start of the checksummed data (all uses here do).
 *
 * Fast path for long, 4-byte-aligned ranges: sum native 32-bit words as two 16-bit halves in int32
 * accumulators (at most 16384 words of 64 KiB, so no overflow). On a little-endian host these are
 * byte-swapped words; the one's complement sum is byte-order independent (RFC 1071 §2(B)), so
 * folding and swapping the result gives a value congruent (mod 0xFFFF, and zero only for all-zero
 * data) to the big-endian sum, which is all the final fold needs.
 */
export function sumWords(buf: Uint8Array, start: number, end: number, acc = 0): number {
  let s = acc;
  let i = start;
  if (end - start >= 64 && ((buf.byteOffset + start) & 3) === 0) {
    const n = (end - start) >>> 2;
    const words = new Uint32Array(buf.buffer, buf.byteOffset + start, n);
    let hi = 0;
    let lo = 0;
    for (let k = 0; k < n; k++) {
      const w = words[k]!;
      hi = (hi + (w >>> 16)) | 0;
      lo = (lo + (w & 0xffff)) | 0;
    }
    let f = foldSum(hi + lo);
    if (LITTLE_ENDIAN) f = ((f & 0xff) << 8) | (f >>> 8);
    s += f;
    i = start + 4 * n;
  }
  const evenEnd = end - ((end - i) & 1);
  for (; i < evenEnd; i += 2) s += (buf[i]! << 8) | buf[i + 1]!;
  if (i < end) s += buf[i]! << 8;
  return s;
}

/** Fold an unfolded sum to 16 bits with end-around carry (RFC 1071 §4.1). */
export function foldSum(sum: number): number {
  let s = sum;
  while (s > 0xffff) s = (s % 0x10000) + Math.floor(s / 0x10000);
  return s;
}

/** The Internet checksum of `buf[start, end)`: ~fold(sum) & 0xffff (RFC 1071). */
export function internetChecksum(buf: Uint8Array, start = 0, end = buf.length): number {
  return ~foldSum(sumWords(buf, start, end)) & 0xffff;
}

/**
 * The IPv4 header checksum for the header at `buf[start, start + headerLen)`, computed as if the
 * checksum field (bytes 10–11) were zero (RFC 791 §3.1).
 */
export function ipv4HeaderChecksum(buf: Uint8Array, start: number, headerLen: number): number {
  let s = sumWords(buf, start, start + 10);
  s = sumWords(buf, start + 12, start + headerLen, s);
  return ~foldSum(s) & 0xffff;
}

/** Unfolded sum of the IPv4 TCP pseudo-header (RFC 9293 §3.1): addresses, zero, protocol, TCP length. */
export function pseudoHeaderSumV4(src: Uint8Array, srcOff: number, dst: Uint8Array, dstOff: number, tcpLen: number): number {
  let s = sumWords(src, srcOff, srcOff + 4);
  s = sumWords(dst, dstOff, dstOff + 4, s);
  return s + IPPROTO_TCP + tcpLen;
}

/** Unfolded sum of the IPv6 pseudo-header (RFC 8200 §8.1): addresses, 32-bit length, zeros, next header. */
export function pseudoHeaderSumV6(src: Uint8Array, srcOff: number, dst: Uint8Array, dstOff: number, tcpLen: number): number {
  let s = sumWords(src, srcOff, srcOff + 16);
  s = sumWords(dst, dstOff, dstOff + 16, s);
  return s + Math.floor(tcpLen / 0x10000) + (tcpLen & 0xffff) + IPPROTO_TCP;
}

/**
 * The TCP checksum of the segment at `seg[start, end)` given the unfolded pseudo-header sum,
 * computed as if the checksum field (segment bytes 16–17) were zero.
 */
export function tcpChecksumWithPseudo(pseudoSum: number, seg: Uint8Array, start: number, end: number): number {
  // Sum the whole segment in one aligned pass, then cancel the checksum field by adding its one's
  // complement (≡ subtracting it mod 0xFFFF). The pseudo-header makes the true sum non-zero, and so
  // is this one, so both fold to the same value in [1, 0xFFFF].
  const field = (seg[start + 16]! << 8) | seg[start + 17]!;
  const s = sumWords(seg, start, end, pseudoSum) + (0xffff - field);
  return ~foldSum(s) & 0xffff;
}

/**
 * The TCP checksum of `segment` (TCP header + payload) between IPv4 (4-byte) or IPv6 (16-byte)
 * addresses `src` and `dst`. The checksum field inside `segment` is ignored. Returns −1 when the
 * address lengths are not both 4 or both 16 (bad input is a result, not an exception).
 */
export function tcpChecksum(src: Uint8Array, dst: Uint8Array, segment: Uint8Array): number {
  if (segment.length < 18) return -1;
  if (src.length === 4 && dst.length === 4) {
    return tcpChecksumWithPseudo(pseudoHeaderSumV4(src, 0, dst, 0, segment.length), segment, 0, segment.length);
  }
  if (src.length === 16 && dst.length === 16) {
    return tcpChecksumWithPseudo(pseudoHeaderSumV6(src, 0, dst, 0, segment.length), segment, 0, segment.length);
  }
  return -1;
}

/**
 * Whether a checksum field `found` verifies against the checksum `computed` over the same data
 * with the field zeroed. One's complement has two zeros, so a field of 0xFFFF is as good as 0x0000
 * (RFC 1624 §3): this equals the receiver's test "sum over everything folds to 0xFFFF".
 */
export function checksumMatches(found: number, computed: number): boolean {
  return found === computed || (computed === 0 && found === 0xffff) || (computed === 0xffff && found === 0);
}

/**
 * Make an encoded IPv4/IPv6 + TCP packet's TCP checksum wrong, in place (a DT-4 test segment):
 * the checksum field (TCP offset 16) is XORed with 0x5a, so it can never still be right.
 */
export function corruptTcpChecksum(bytes: Uint8Array): Uint8Array {
  const ipHeader = bytes[0]! >> 4 === 6 ? 40 : (bytes[0]! & 0x0f) * 4;
  const at = ipHeader + 16;
  if (at < bytes.length) bytes[at] = bytes[at]! ^ 0x5a;
  return bytes;
}

