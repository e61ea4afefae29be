/**
 * IPv4 + TCP and IPv6 + TCP packets ↔ bytes. IPv4 header per RFC 791 §3.1, IPv6 per RFC 8200 §3
 * (no extension headers: any next header other than TCP is `not-tcp`), TCP per RFC 9293 §3.1.
 *
 * `decodePacket` is total: any byte array gives `{ ok: true, packet }` or `{ ok: false, error }`,
 * never an exception (h11's law). Checksums are verified and reported as `checksumOk` /
 * `ipChecksumOk` fields, not errors: a stack under test decides what a bad checksum means (DT-4).
 * Order of checks and their error codes:
 *   empty or shorter than the fixed IP header → `truncated`; version not 4/6 → `bad-version`;
 *   IHL < 5 → `bad-ihl`; IPv4 total length (or 40 + IPv6 payload length) beyond the buffer, or
 *   smaller than the IP header → `bad-total-length` (bytes past it are link padding and ignored);
 *   protocol / next header ≠ 6 → `not-tcp`; MF set or fragment offset ≠ 0 → `fragment`;
 *   fewer than 20 TCP bytes inside the stated length → `truncated`; data offset < 5 or beyond the
 *   segment → `bad-data-offset`.
 * The decoded `payload` is a subarray of the input (no copy): copy it if the buffer is reused.
 *
 * `encodePacket` computes IHL, total/payload length, data offset and both checksums, except that a
 * given `checksum` / `ipChecksum` is written verbatim (to build corrupt packets; a decoded packet
 * carries both, so strip them before re-encoding a modified copy). With `payload`, its bytes are
 * sent and its length wins over `tcp.len`; without, `tcp.len` bytes of the deterministic pattern
 * (`payload.ts`) from stream offset 0 are sent. Numeric fields are truncated to their wire widths.
 * Encoding our own data can fail only on a bad address string, more than 40 bytes of TCP or IP
 * options, or a packet over 65535 bytes; that throws an Error naming the problem. Each call
 * allocates one fresh Uint8Array (not pooled: `bytes.buffer` is exactly the packet).
 */
import { formatIpv4Cached, formatIpv6Cached, writeIpv4Cached, writeIpv6Cached } from './addr.js';
import { checksumMatches, IPPROTO_TCP, ipv4HeaderChecksum, pseudoHeaderSumV4, pseudoHeaderSumV6, tcpChecksumWithPseudo } from './checksum.js';
import { MAX_OPTIONS_BYTES, paddedOptionsLength, parseOptions, writeOptions } from './options.js';
import { fillPayloadAt } from './payload.js';
import type { DecodeError, DecodeErrorCode, DecodeResult, Ipv4Header, Ipv6Header, Packet, Segment } from './types.js';

export const IPV4_HEADER_MIN = 20;
export const IPV6_HEADER_LEN = 40;
export const TCP_HEADER_MIN = 20;
/** IPv4 flag bits as stored in `Ipv4Header.ipFlags`. */
export const IP_DF = 0x2;
export const IP_MF = 0x1;

const EMPTY_OPTIONS: readonly never[] = Object.freeze([]);

function fail(code: DecodeErrorCode, offset: number, message: string): DecodeResult {
  const error: DecodeError = { code, offset, message };
  return { ok: false, error };
}

/** Decode one IP packet carrying TCP. Total: never throws. */
export function decodePacket(bytes: Uint8Array): DecodeResult {
  const n = bytes.length;
  if (n === 0) return fail('truncated', 0, 'empty packet');
  const version = bytes[0]! >>> 4;
  if (version === 4) return decodeV4(bytes, n);
  if (version === 6) return decodeV6(bytes, n);
  return fail('bad-version', 0, `IP version ${version}, expected 4 or 6`);
}

function decodeV4(b: Uint8Array, n: number): DecodeResult {
  if (n < IPV4_HEADER_MIN) return fail('truncated', n, `IPv4 header needs 20 bytes, have ${n}`);
  const ihl = (b[0]! & 0x0f) * 4;
  if (ihl < IPV4_HEADER_MIN) return fail('bad-ihl', 0, `IHL ${ihl / 4} words, minimum 5`);
  const total = (b[2]! << 8) | b[3]!;
  if (total > n) return fail('bad-total-length', 2, `total length ${total} beyond the ${n} bytes received`);
  if (total < ihl) return fail('bad-total-length', 2, `total length ${total} smaller than the ${ihl}-byte IP header`);
  if (b[9] !== IPPROTO_TCP) return fail('not-tcp', 9, `IP protocol ${b[9]}, not TCP`);
  const ipFlags = b[6]! >>> 5;
  const fragOffset = ((b[6]! & 0x1f) << 8) | b[7]!;
  if ((ipFlags & IP_MF) !== 0 || fragOffset !== 0) {
    return fail('fragment', 6, `fragment (MF ${ipFlags & IP_MF}, offset ${fragOffset})`);
  }
  const ipChecksum = (b[10]! << 8) | b[11]!;
  const ipChecksumOk = checksumMatches(ipChecksum, ipv4HeaderChecksum(b, 0, ihl));
  const pseudo = pseudoHeaderSumV4(b, 12, b, 16, total - ihl);
  const ip: Ipv4Header = {
    version: 4,
    src: formatIpv4Cached(b, 12),
    dst: formatIpv4Cached(b, 16),
    tos: b[1]!,
    id: (b[4]! << 8) | b[5]!,
    ipFlags,
    fragOffset,
    ttl: b[8]!,
    options: ihl > IPV4_HEADER_MIN ? Array.from(b.subarray(IPV4_HEADER_MIN, ihl)) : EMPTY_OPTIONS,
  };
  return decodeTcp(b, ihl, total, ip, pseudo, ipChecksum, ipChecksumOk);
}

function decodeV6(b: Uint8Array, n: number): DecodeResult {
  if (n < IPV6_HEADER_LEN) return fail('truncated', n, `IPv6 header needs 40 bytes, have ${n}`);
  const payloadLen = (b[4]! << 8) | b[5]!;
  const total = IPV6_HEADER_LEN + payloadLen;
  if (total > n) return fail('bad-total-length', 4, `payload length ${payloadLen} beyond the ${n - IPV6_HEADER_LEN} bytes received`);
  if (b[6] !== IPPROTO_TCP) return fail('not-tcp', 6, `next header ${b[6]}, not TCP (extension headers are not supported)`);
  const pseudo = pseudoHeaderSumV6(b, 8, b, 24, payloadLen);
  const ip: Ipv6Header = {
    version: 6,
    src: formatIpv6Cached(b, 8),
    dst: formatIpv6Cached(b, 24),
    trafficClass: ((b[0]! & 0x0f) << 4) | (b[1]! >>> 4),
    flowLabel: ((b[1]! & 0x0f) << 16) | (b[2]! << 8) | b[3]!,
    hopLimit: b[7]!,
  };
  return decodeTcp(b, IPV6_HEADER_LEN, total, ip, pseudo, undefined, true);
}

function u32At(b: Uint8Array, i: number): number {
  return ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
}

function decodeTcp(
  b: Uint8Array,
  t: number,
  end: number,
  ip: Ipv4Header | Ipv6Header,
  pseudo: number,
  ipChecksum: number | undefined,
  ipChecksumOk: boolean,
): DecodeResult {
  const segLen = end - t;
  if (segLen < TCP_HEADER_MIN) return fail('truncated', t, `TCP header needs 20 bytes, IP length leaves ${segLen}`);
  const dataOffset = b[t + 12]! >>> 4;
  const hdr = dataOffset * 4;
  if (dataOffset < 5) return fail('bad-data-offset', t + 12, `data offset ${dataOffset} words, minimum 5`);
  if (hdr > segLen) return fail('bad-data-offset', t + 12, `data offset ${dataOffset} words (${hdr} bytes) beyond the ${segLen}-byte segment`);
  const checksum = (b[t + 16]! << 8) | b[t + 17]!;
  const checksumOk = checksumMatches(checksum, tcpChecksumWithPseudo(pseudo, b, t, end));
  const tcp: Segment = {
    srcPort: (b[t]! << 8) | b[t + 1]!,
    dstPort: (b[t + 2]! << 8) | b[t + 3]!,
    seq: u32At(b, t + 4),
    ack: u32At(b, t + 8),
    flags: b[t + 13]!,
    window: (b[t + 14]! << 8) | b[t + 15]!,
    urgent: (b[t + 18]! << 8) | b[t + 19]!,
    options: hdr > TCP_HEADER_MIN ? parseOptions(b, t + TCP_HEADER_MIN, t + hdr) : EMPTY_OPTIONS,
    len: segLen - hdr,
  };
  const packet: Packet = {
    ip,
    tcp,
    payload: b.subarray(t + hdr, end),
    dataOffset,
    reserved: b[t + 12]! & 0x0f,
    checksum,
    ipChecksum,
    checksumOk,
    ipChecksumOk,
  };
  return { ok: true, packet };
}

/** Encode a packet to bytes. Throws only on our own bad data (address text, oversized options). */
export function encodePacket(p: Packet): Uint8Array {
  const ip = p.ip;
  const tcp = p.tcp;
  const optLen = paddedOptionsLength(tcp.options);
  if (optLen > MAX_OPTIONS_BYTES) throw new Error(`encodePacket: TCP options take ${optLen} bytes, at most ${MAX_OPTIONS_BYTES} fit`);
  const payloadLen = p.payload !== undefined ? p.payload.length : tcp.len;
  const tcpHdr = TCP_HEADER_MIN + optLen;
  const segLen = tcpHdr + payloadLen;
  let ipLen: number;
  let buf: Uint8Array;
  let pseudo: number;
  if (ip.version === 4) {
    const ipOptLen = (ip.options.length + 3) & ~3;
    if (ipOptLen > 40) throw new Error(`encodePacket: IPv4 options take ${ipOptLen} bytes, at most 40 fit`);
    ipLen = IPV4_HEADER_MIN + ipOptLen;
    const total = ipLen + segLen;
    if (total > 0xffff) throw new Error(`encodePacket: IPv4 packet of ${total} bytes exceeds 65535`);
    buf = new Uint8Array(total);
    buf[0] = 0x40 | (ipLen >>> 2);
    buf[1] = ip.tos;
    buf[2] = total >>> 8;
    buf[3] = total;
    buf[4] = ip.id >>> 8;
    buf[5] = ip.id;
    buf[6] = ((ip.ipFlags & 0x7) << 5) | ((ip.fragOffset >>> 8) & 0x1f);
    buf[7] = ip.fragOffset;
    buf[8] = ip.ttl;
    buf[9] = IPPROTO_TCP;
    if (!writeIpv4Cached(ip.src, buf, 12)) throw new Error(`encodePacket: bad IPv4 source address ${JSON.stringify(ip.src)}`);
    if (!writeIpv4Cached(ip.dst, buf, 16)) throw new Error(`encodePacket: bad IPv4 destination address ${JSON.stringify(ip.dst)}`);
    for (let k = 0; k < ip.options.length; k++) buf[IPV4_HEADER_MIN + k] = ip.options[k]!;
    const ipSum = p.ipChecksum ?? ipv4HeaderChecksum(buf, 0, ipLen);
    buf[10] = ipSum >>> 8;
    buf[11] = ipSum;
    pseudo = pseudoHeaderSumV4(buf, 12, buf, 16, segLen);
  } else {
    ipLen = IPV6_HEADER_LEN;
    if (segLen > 0xffff) throw new Error(`encodePacket: IPv6 payload of ${segLen} bytes exceeds 65535 (jumbograms unsupported)`);
    buf = new Uint8Array(ipLen + segLen);
    buf[0] = 0x60 | ((ip.trafficClass >>> 4) & 0x0f);
    buf[1] = ((ip.trafficClass & 0x0f) << 4) | ((ip.flowLabel >>> 16) & 0x0f);
    buf[2] = ip.flowLabel >>> 8;
    buf[3] = ip.flowLabel;
    buf[4] = segLen >>> 8;
    buf[5] = segLen;
    buf[6] = IPPROTO_TCP;
    buf[7] = ip.hopLimit;
    if (!writeIpv6Cached(ip.src, buf, 8)) throw new Error(`encodePacket: bad IPv6 source address ${JSON.stringify(ip.src)}`);
    if (!writeIpv6Cached(ip.dst, buf, 24)) throw new Error(`encodePacket: bad IPv6 destination address ${JSON.stringify(ip.dst)}`);
    pseudo = pseudoHeaderSumV6(buf, 8, buf, 24, segLen);
  }
  const t = ipLen;
  buf[t] = tcp.srcPort >>> 8;
  buf[t + 1] = tcp.srcPort;
  buf[t + 2] = tcp.dstPort >>> 8;
  buf[t + 3] = tcp.dstPort;
  buf[t + 4] = tcp.seq >>> 24;
  buf[t + 5] = tcp.seq >>> 16;
  buf[t + 6] = tcp.seq >>> 8;
  buf[t + 7] = tcp.seq;
  buf[t + 8] = tcp.ack >>> 24;
  buf[t + 9] = tcp.ack >>> 16;
  buf[t + 10] = tcp.ack >>> 8;
  buf[t + 11] = tcp.ack;
  buf[t + 12] = ((tcpHdr >>> 2) << 4) | ((p.reserved ?? 0) & 0x0f);
  buf[t + 13] = tcp.flags;
  buf[t + 14] = tcp.window >>> 8;
  buf[t + 15] = tcp.window;
  buf[t + 18] = tcp.urgent >>> 8;
  buf[t + 19] = tcp.urgent;
  if (optLen > 0) writeOptions(tcp.options, buf, t + TCP_HEADER_MIN);
  if (p.payload !== undefined) buf.set(p.payload, t + tcpHdr);
  else fillPayloadAt(buf, t + tcpHdr, buf.length, 0);
  const sum = p.checksum ?? tcpChecksumWithPseudo(pseudo, buf, t, buf.length);
  buf[t + 16] = sum >>> 8;
  buf[t + 17] = sum;
  return buf;
}

/**
 * Recompute and store the TCP checksum (and the IPv4 header checksum) of an encoded packet in
 * place, e.g. after a test mutated a field. Returns false when the bytes do not decode far enough
 * to find the segment.
 */
export function fixChecksums(bytes: Uint8Array): boolean {
  const r = decodePacket(bytes);
  if (!r.ok) return false;
  const v4 = r.packet.ip.version === 4;
  const t = v4 ? (bytes[0]! & 0x0f) * 4 : IPV6_HEADER_LEN;
  const end = v4 ? (bytes[2]! << 8) | bytes[3]! : IPV6_HEADER_LEN + ((bytes[4]! << 8) | bytes[5]!);
  if (v4) {
    const ipSum = ipv4HeaderChecksum(bytes, 0, t);
    bytes[10] = ipSum >>> 8;
    bytes[11] = ipSum;
  }
  const pseudo = v4 ? pseudoHeaderSumV4(bytes, 12, bytes, 16, end - t) : pseudoHeaderSumV6(bytes, 8, bytes, 24, end - t);
  const sum = tcpChecksumWithPseudo(pseudo, bytes, t, end);
  bytes[t + 16] = sum >>> 8;
  bytes[t + 17] = sum;
  return true;
}
