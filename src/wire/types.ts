/**
 * Wire-level data types shared by every layer: TCP flags, options, the model's view of a segment
 * (header fields plus a payload length, no IP), and a decoded IP packet.
 *
 * Everything here is plain JSON-able data (no classes, no Uint8Array in Segment) so that scenarios
 * and traces can hold it directly. Sequence numbers are unsigned 32-bit integers stored as numbers
 * in [0, 2^32); compare them only through `src/wire/seq.ts`.
 *
 * RFC 9293 §3.1 (header), RFC 7323 (window scale, timestamps), RFC 2018 (SACK).
 */

/** TCP header flag bits as they sit in byte 13 of the header. */
export const FIN = 0x01;
export const SYN = 0x02;
export const RST = 0x04;
export const PSH = 0x08;
export const ACK = 0x10;
export const URG = 0x20;
export const ECE = 0x40;
export const CWR = 0x80;

export interface SackBlock {
  /** First sequence number of the block. */
  readonly left: number;
  /** Sequence number just past the block. */
  readonly right: number;
}

/** One TCP option, in wire order. Unknown kinds keep their raw bytes so encoding is byte-exact. */
export type TcpOption =
  | { readonly kind: 'eol' }
  | { readonly kind: 'nop' }
  | { readonly kind: 'mss'; readonly mss: number }
  | { readonly kind: 'wscale'; readonly shift: number }
  | { readonly kind: 'sackOk' }
  | { readonly kind: 'sack'; readonly blocks: readonly SackBlock[] }
  | { readonly kind: 'ts'; readonly val: number; readonly ecr: number }
  /** A well-formed option of a kind we do not interpret: kind byte and the bytes after the length byte. */
  | { readonly kind: 'unknown'; readonly code: number; readonly data: readonly number[] }
  /** Bytes that do not parse as options (bad length, overrun, padding after EOL): kept verbatim. */
  | { readonly kind: 'raw'; readonly data: readonly number[] };

/**
 * A TCP segment as the model sees it: every header field, and the payload as a byte count.
 * The model never copies payload bytes; adapters that need real bytes derive them from the stream
 * offset (see `payloadByte` in `src/wire/payload.ts`).
 */
export interface Segment {
  readonly srcPort: number;
  readonly dstPort: number;
  readonly seq: number;
  readonly ack: number;
  /** Bitwise OR of FIN, SYN, RST, PSH, ACK, URG, ECE, CWR. */
  readonly flags: number;
  /** The 16-bit window field as sent (not scaled). */
  readonly window: number;
  readonly urgent: number;
  readonly options: readonly TcpOption[];
  /** Payload length in bytes. */
  readonly len: number;
}

export interface Ipv4Header {
  readonly version: 4;
  readonly src: string;
  readonly dst: string;
  readonly tos: number;
  readonly id: number;
  /** The 3 flag bits (bit 1 = DF, bit 0 = MF). */
  readonly ipFlags: number;
  readonly fragOffset: number;
  readonly ttl: number;
  /** IP options bytes when IHL > 5. */
  readonly options: readonly number[];
}

export interface Ipv6Header {
  readonly version: 6;
  readonly src: string;
  readonly dst: string;
  readonly trafficClass: number;
  readonly flowLabel: number;
  readonly hopLimit: number;
}

/** A decoded (or to-be-encoded) IP packet carrying one TCP segment. */
export interface Packet {
  readonly ip: Ipv4Header | Ipv6Header;
  readonly tcp: Segment;
  /** Payload bytes; when absent on encode, `tcp.len` bytes of the deterministic pattern are used. */
  readonly payload?: Uint8Array;
  /** Data offset in 32-bit words as found on decode (encode computes it). */
  readonly dataOffset?: number;
  /** The 4 reserved header bits (encode writes them as given, default 0). */
  readonly reserved?: number;
  /** Checksum field as found on decode; on encode, when given, it overrides the computed one (to build corrupt packets). */
  readonly checksum?: number;
  /**
   * IPv4 header checksum as found on decode; on encode, when given, it overrides the computed one
   * (like `checksum`), so decode→encode is byte-identical even for a corrupt header. Ignored for IPv6.
   */
  readonly ipChecksum?: number;
  /** Decode only: the TCP checksum verified over the pseudo-header. */
  readonly checksumOk?: boolean;
  /** Decode only: the IPv4 header checksum verified (always true for IPv6). */
  readonly ipChecksumOk?: boolean;
}

export type DecodeErrorCode =
  | 'truncated'
  | 'bad-version'
  | 'bad-ihl'
  | 'bad-total-length'
  | 'not-tcp'
  | 'fragment'
  | 'bad-data-offset';

export interface DecodeError {
  readonly code: DecodeErrorCode;
  /** Byte offset in the input where the problem was found. */
  readonly offset: number;
  readonly message: string;
}

export type DecodeResult =
  | { readonly ok: true; readonly packet: Packet }
  | { readonly ok: false; readonly error: DecodeError };
