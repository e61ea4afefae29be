/**
 * fast-check arbitraries for well-formed IPv4/IPv6 + TCP packets, written for the wire tests and
 * meant to move to `src/arbitraries/` later. "Well-formed" means every packet encodes, decodes to
 * itself, and carries every option kind in random order, including an unparseable `raw` tail and
 * EOL termination, within the 40-byte option space.
 *
 * The option list is normalised so that decode(encode(list)) equals the list: the list's byte
 * length is a multiple of 4 (NOP padding, or a raw tail sized to fit), or it ends with EOL (the
 * serialiser's zero padding after EOL is what the parser drops).
 */
import fc from 'fast-check';
import { formatIpv6, MAX_OPTIONS_BYTES, optionsLength, paddedOptionsLength } from '../../src/wire/index.js';
import type { Ipv4Header, Ipv6Header, Packet, Segment, TcpOption } from '../../src/wire/index.js';

export const arbU32 = fc.nat({ max: 0xffff_ffff });
export const arbU16 = fc.nat({ max: 0xffff });
export const arbU8 = fc.nat({ max: 0xff });

export const arbIpv4Addr: fc.Arbitrary<string> = fc.tuple(arbU8, arbU8, arbU8, arbU8).map((b) => b.join('.'));

/** IPv6 addresses with zero groups common, so `::` compression and its tie rules get exercised. */
export const arbIpv6Addr: fc.Arbitrary<string> = fc
  .array(fc.oneof(fc.constant(0), fc.constant(0), fc.constant(1), fc.constant(0xffff), arbU16), { minLength: 8, maxLength: 8 })
  .map((groups) => {
    const b = new Uint8Array(16);
    groups.forEach((g, k) => {
      b[2 * k] = g >>> 8;
      b[2 * k + 1] = g & 0xff;
    });
    return formatIpv6(b, 0);
  });

export const arbIpv4Header: fc.Arbitrary<Ipv4Header> = fc.record({
  version: fc.constant(4 as const),
  src: arbIpv4Addr,
  dst: arbIpv4Addr,
  tos: arbU8,
  id: arbU16,
  // MF clear (bit 0) and offset 0: fragments are not TCP segments to the codec.
  ipFlags: fc.constantFrom(0, 2, 4, 6),
  fragOffset: fc.constant(0),
  ttl: arbU8,
  options: fc.nat({ max: 10 }).chain((words) => fc.array(arbU8, { minLength: words * 4, maxLength: words * 4 })),
});

export const arbIpv6Header: fc.Arbitrary<Ipv6Header> = fc.record({
  version: fc.constant(6 as const),
  src: arbIpv6Addr,
  dst: arbIpv6Addr,
  trafficClass: arbU8,
  flowLabel: fc.nat({ max: 0xfffff }),
  hopLimit: arbU8,
});

/** Option kinds with their own representation; `unknown` must use any other code. */
const KNOWN_CODES = new Set([0, 1, 2, 3, 4, 5, 8]);

/** One well-formed option that is not EOL and not raw (those only terminate a list). */
export const arbBodyOption: fc.Arbitrary<TcpOption> = fc.oneof(
  fc.constant<TcpOption>({ kind: 'nop' }),
  arbU16.map((mss): TcpOption => ({ kind: 'mss', mss })),
  arbU8.map((shift): TcpOption => ({ kind: 'wscale', shift })),
  fc.constant<TcpOption>({ kind: 'sackOk' }),
  fc
    .array(fc.record({ left: arbU32, right: arbU32 }), { minLength: 1, maxLength: 4 })
    .map((blocks): TcpOption => ({ kind: 'sack', blocks })),
  fc.record({ val: arbU32, ecr: arbU32 }).map(({ val, ecr }): TcpOption => ({ kind: 'ts', val, ecr })),
  fc
    .record({ code: arbU8.filter((c) => !KNOWN_CODES.has(c)), data: fc.array(arbU8, { maxLength: 8 }) })
    .map(({ code, data }): TcpOption => ({ kind: 'unknown', code, data })),
);

type Terminator =
  | { readonly t: 'nop-pad' }
  | { readonly t: 'eol' }
  /** Unparseable bytes: an option kind ≥ 2 with length byte 0 or 1, then filler. */
  | { readonly t: 'raw'; readonly kind: number; readonly len: 0 | 1; readonly filler: readonly number[] }
  /** EOL followed by non-padding bytes (first byte non-zero). */
  | { readonly t: 'eol-raw'; readonly first: number; readonly filler: readonly number[] };

const arbTerminator: fc.Arbitrary<Terminator> = fc.oneof(
  fc.constant<Terminator>({ t: 'nop-pad' }),
  fc.constant<Terminator>({ t: 'eol' }),
  fc.record({
    t: fc.constant('raw' as const),
    kind: fc.integer({ min: 2, max: 255 }),
    len: fc.constantFrom(0 as const, 1 as const),
    filler: fc.array(arbU8, { maxLength: 8 }),
  }),
  fc.record({ t: fc.constant('eol-raw' as const), first: fc.integer({ min: 1, max: 255 }), filler: fc.array(arbU8, { maxLength: 8 }) }),
);

/** Bytes needed to bring `n` up to a multiple of 4. */
const padTo4 = (n: number): number => (4 - (n & 3)) & 3;

/** Append the terminator to `body` so that the list decodes back to itself (see file comment). */
export function terminate(body: readonly TcpOption[], term: Terminator): TcpOption[] {
  const list = [...body];
  const n = optionsLength(list);
  switch (term.t) {
    case 'nop-pad':
      for (let k = padTo4(n); k > 0; k--) list.push({ kind: 'nop' });
      return list;
    case 'eol':
      list.push({ kind: 'eol' });
      return list;
    case 'raw': {
      const data = [term.kind, term.len, ...term.filler];
      const want = data.length + padTo4(n + data.length);
      while (data.length < want) data.push(0x5a);
      list.push({ kind: 'raw', data });
      return list;
    }
    case 'eol-raw': {
      list.push({ kind: 'eol' });
      const data = [term.first, ...term.filler];
      const want = data.length + padTo4(n + 1 + data.length);
      while (data.length < want) data.push(0);
      list.push({ kind: 'raw', data });
      return list;
    }
    default: {
      const never: never = term;
      return never;
    }
  }
}

/** A well-formed option list (≤ 40 bytes padded) in random order that survives a round trip. */
export const arbOptions: fc.Arbitrary<TcpOption[]> = fc
  .tuple(fc.array(arbBodyOption, { maxLength: 8 }), arbTerminator)
  .map(([body, term]) => {
    const b = [...body];
    let list = terminate(b, term);
    while (paddedOptionsLength(list) > MAX_OPTIONS_BYTES) {
      b.pop();
      list = terminate(b, term);
    }
    return list;
  });

export function arbSegment(maxLen = 300): fc.Arbitrary<Segment> {
  return fc.record({
    srcPort: arbU16,
    dstPort: arbU16,
    seq: arbU32,
    ack: arbU32,
    flags: arbU8,
    window: arbU16,
    urgent: arbU16,
    options: arbOptions,
    len: fc.nat({ max: maxLen }),
  });
}

/** A well-formed packet, IPv4 or IPv6, with explicit payload bytes or the pattern (no `payload`). */
export function arbPacket(version?: 4 | 6): fc.Arbitrary<Packet> {
  const ip: fc.Arbitrary<Ipv4Header | Ipv6Header> =
    version === 4 ? arbIpv4Header : version === 6 ? arbIpv6Header : fc.oneof(arbIpv4Header, arbIpv6Header);
  return fc
    .record({ ip, tcp: arbSegment(), reserved: fc.nat({ max: 15 }), explicitPayload: fc.boolean(), seed: arbU8 })
    .map(({ ip, tcp, reserved, explicitPayload, seed }): Packet => {
      if (!explicitPayload) return { ip, tcp, reserved };
      const payload = new Uint8Array(tcp.len);
      for (let i = 0; i < payload.length; i++) payload[i] = (seed + i * 13) & 0xff;
      return { ip, tcp, reserved, payload };
    });
}
