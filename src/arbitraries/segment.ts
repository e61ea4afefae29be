/**
 * Segment arbitraries relative to a context: the state of the endpoint that will RECEIVE the
 * segment (its SND.UNA, SND.NXT, RCV.NXT, RCV.WND and the ports of the connection), so generated
 * segments land where the interesting checks of RFC 9293 §3.10.7.4 are (acceptability of SEG.SEQ
 * against RCV.NXT/RCV.WND, of SEG.ACK against SND.UNA/SND.NXT).
 *
 * - `wellFormedSegmentArb`: what a correct peer could send: a sensible flag combination, seq inside
 *   the receive window (with the payload fitting), ack in [SND.UNA, SND.NXT], valid options.
 * - `handshakeSegmentArb`: a SYN or a SYN-ACK acknowledging the receiver's SYN, with valid options.
 * - `nearValidSegmentArb`: the edges: seq and ack off by one or two around RCV.NXT, the right window
 *   edge, SND.UNA and SND.NXT; payloads that end exactly at / one past the window; SYN in a
 *   synchronized state.
 * - `hostileSegmentArb`: any flag mix (SYN|FIN|RST …), any seq/ack including ±2^31 from the
 *   context (wrap-around, DT-2), zero and huge windows, urgent pointers, hostile option lists,
 *   payloads up to 64 KiB.
 *
 * `segmentArb(kind, ctx)` picks one of them by name.
 */
import fc from 'fast-check';
import type { Segment } from '../wire/types.js';
import { ACK, FIN, PSH, RST, SYN } from '../wire/types.js';
import { seqAdd } from '../wire/seq.js';
import { hostileOptionsArb, optionsArb } from './options.js';
import { u16Arb, u32Arb } from './_internals/u32.js';

export interface SegContext {
  /** Port of the receiving endpoint (the segment's dstPort). */
  readonly localPort: number;
  /** Port of the sender (the segment's srcPort). */
  readonly remotePort: number;
  /** Receiver's SND.UNA / SND.NXT: what SEG.ACK is judged against. */
  readonly sndUna: number;
  readonly sndNxt: number;
  /** Receiver's RCV.NXT / RCV.WND (bytes, after scaling): what SEG.SEQ is judged against. */
  readonly rcvNxt: number;
  readonly rcvWnd: number;
  /** Largest payload to generate for in-window data (default 1460). */
  readonly mss?: number;
}

/** A context for tests that do not care: ports 5000 → 80, everything at 1000, 64 KiB window. */
export const DEFAULT_SEG_CONTEXT: SegContext = { localPort: 80, remotePort: 5000, sndUna: 1000, sndNxt: 1000, rcvNxt: 1000, rcvWnd: 65535 };

export type SegmentKind = 'well-formed' | 'near-valid' | 'hostile';

/** Flag combinations a correct peer sends in a synchronized state. */
export const SYNCHRONIZED_FLAGS: readonly number[] = [ACK, ACK | PSH, ACK | FIN, ACK | PSH | FIN, RST, RST | ACK];

function mk(ctx: SegContext, seq: number, ack: number, flags: number, window: number, len: number, options: Segment['options'], urgent = 0): Segment {
  return { srcPort: ctx.remotePort, dstPort: ctx.localPort, seq: seq >>> 0, ack: ack >>> 0, flags, window, urgent, options, len };
}

/** In-window segments a correct peer could send (see the file comment). */
export function wellFormedSegmentArb(ctx: SegContext = DEFAULT_SEG_CONTEXT): fc.Arbitrary<Segment> {
  const mss = ctx.mss ?? 1460;
  const inFlight = Math.max(0, (ctx.sndNxt - ctx.sndUna) >>> 0);
  return fc
    .record({
      flags: fc.constantFrom(...SYNCHRONIZED_FLAGS),
      len: fc.integer({ min: 0, max: mss }),
      off: fc.integer({ min: 0, max: Math.max(0, ctx.rcvWnd) }),
      acked: fc.integer({ min: 0, max: Math.min(inFlight, 0x7fff_ffff) }),
      window: u16Arb,
      options: optionsArb({ sackBase: ctx.rcvNxt }),
    })
    .map((r) => {
      const rst = (r.flags & RST) !== 0;
      // The payload fits the window; RSTs carry none. The segment starts at or after RCV.NXT.
      const len = rst ? 0 : Math.min(r.len, ctx.rcvWnd);
      const off = Math.min(r.off, Math.max(0, ctx.rcvWnd - len - ((r.flags & FIN) !== 0 ? 1 : 0)));
      // An RST is only acceptable at exactly RCV.NXT (RFC 5961 §3.2); keep well-formed RSTs there.
      const seq = seqAdd(ctx.rcvNxt, rst ? 0 : off);
      const ack = (r.flags & ACK) !== 0 ? seqAdd(ctx.sndUna, r.acked) : 0;
      return mk(ctx, seq, ack, r.flags, r.window, len, rst ? [] : r.options);
    });
}

/**
 * Well-formed opening segments from the peer: a SYN (its ISN anywhere in sequence space, DT-2) or a
 * SYN-ACK acknowledging the receiver's SYN (ack = SND.NXT), with valid SYN options (HS-1, HS-9).
 */
export function handshakeSegmentArb(ctx: SegContext = DEFAULT_SEG_CONTEXT): fc.Arbitrary<Segment> {
  return fc
    .record({ synAck: fc.boolean(), isn: u32Arb(), window: u16Arb, options: optionsArb({ syn: true }) })
    .map((r) => mk(ctx, r.isn, r.synAck ? ctx.sndNxt : 0, r.synAck ? SYN | ACK : SYN, r.window, 0, r.options));
}

/** Segments at the edges of acceptability (see the file comment). */
export function nearValidSegmentArb(ctx: SegContext = DEFAULT_SEG_CONTEXT): fc.Arbitrary<Segment> {
  const mss = ctx.mss ?? 1460;
  const rightEdge = seqAdd(ctx.rcvNxt, ctx.rcvWnd);
  return fc
    .record({
      flags: fc.constantFrom(...SYNCHRONIZED_FLAGS, SYN, SYN | ACK, ACK | FIN | SYN),
      seqBase: fc.constantFrom(ctx.rcvNxt, rightEdge),
      seqDelta: fc.integer({ min: -2, max: 2 }),
      // Payload lengths that end just inside, at or past the right edge.
      lenKind: fc.constantFrom('zero', 'one', 'to-edge', 'past-edge', 'mss', 'mss+1'),
      ackBase: fc.constantFrom(ctx.sndUna, ctx.sndNxt),
      ackDelta: fc.integer({ min: -2, max: 2 }),
      window: fc.constantFrom(0, 1, 65535),
      options: optionsArb({ sackBase: ctx.rcvNxt }),
    })
    .map((r) => {
      const seq = seqAdd(r.seqBase, r.seqDelta);
      const toEdge = Math.max(0, (rightEdge - seq) | 0);
      const len =
        r.lenKind === 'zero' ? 0 : r.lenKind === 'one' ? 1 : r.lenKind === 'to-edge' ? toEdge : r.lenKind === 'past-edge' ? toEdge + 1 : r.lenKind === 'mss' ? mss : mss + 1;
      return mk(ctx, seq, seqAdd(r.ackBase, r.ackDelta), r.flags, r.window, len, r.options);
    });
}

/** Anything a fuzzer should throw at a stack (see the file comment). */
export function hostileSegmentArb(ctx: SegContext = DEFAULT_SEG_CONTEXT): fc.Arbitrary<Segment> {
  const seqArb = fc.oneof(
    { arbitrary: fc.integer({ min: -4, max: 4 }).map((d) => seqAdd(ctx.rcvNxt, d)), weight: 2 },
    { arbitrary: fc.integer({ min: -4, max: 4 }).map((d) => seqAdd(ctx.rcvNxt, 0x8000_0000 + d)), weight: 1 },
    { arbitrary: u32Arb(), weight: 2 },
  );
  const ackArb = fc.oneof(
    { arbitrary: fc.integer({ min: -4, max: 4 }).map((d) => seqAdd(ctx.sndNxt, d)), weight: 2 },
    { arbitrary: fc.integer({ min: -4, max: 4 }).map((d) => seqAdd(ctx.sndUna, 0x8000_0000 + d)), weight: 1 },
    { arbitrary: u32Arb(), weight: 2 },
  );
  return fc
    .record({
      flags: fc.oneof(fc.constantFrom(SYN | FIN, SYN | RST, RST | FIN, SYN | FIN | RST | ACK, 0, 0xff), fc.integer({ min: 0, max: 0xff })),
      seq: seqArb,
      ack: ackArb,
      window: fc.oneof(fc.constantFrom(0, 1, 0xffff), u16Arb),
      urgent: fc.oneof(fc.constant(0), u16Arb),
      options: hostileOptionsArb(),
      len: fc.oneof(fc.constantFrom(0, 1), fc.integer({ min: 0, max: 65535 })),
      ports: fc.oneof(
        { arbitrary: fc.constant<[number, number] | null>(null), weight: 4 },
        { arbitrary: fc.tuple(u16Arb, u16Arb), weight: 1 },
      ),
    })
    .map((r) => {
      const s = mk(ctx, r.seq, r.ack, r.flags, r.window, r.len, r.options, r.urgent);
      return r.ports === null ? s : { ...s, srcPort: r.ports[0], dstPort: r.ports[1] };
    });
}

/** One of the three families by name. */
export function segmentArb(kind: SegmentKind, ctx: SegContext = DEFAULT_SEG_CONTEXT): fc.Arbitrary<Segment> {
  switch (kind) {
    case 'well-formed':
      return wellFormedSegmentArb(ctx);
    case 'near-valid':
      return nearValidSegmentArb(ctx);
    case 'hostile':
      return hostileSegmentArb(ctx);
    default: {
      const never: never = kind;
      return never;
    }
  }
}
