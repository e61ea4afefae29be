/**
 * Header invariants (family HDR): every emitted segment is a valid TCP segment on the wire — it
 * encodes with src/wire/codec.ts and decodes back to the same fields with a correct checksum
 * (fields in their wire ranges, options encodable) — and every non-RST segment belongs to a
 * connection of the sending endpoint (addresses and ports of its 4-tuple). RFC 9293 §3.1.
 */
import type { Packet, Segment, TcpOption } from '../wire/types.js';
import { ACK, FIN, RST, SYN } from '../wire/types.js';
import { decodePacket, encodePacket } from '../wire/codec.js';
import { seqAdd } from '../wire/seq.js';
import type { StepContext, StepInvariant } from './types.js';
import { eachSegment, flagStr, has, violation } from './util.js';

function packetFor(src: string, dst: string, seg: Segment): Packet {
  const ip: Packet['ip'] = src.includes(':')
    ? { version: 6, src, dst, trafficClass: 0, flowLabel: 0, hopLimit: 64 }
    : { version: 4, src, dst, tos: 0, id: 0, ipFlags: 2, fragOffset: 0, ttl: 64, options: [] };
  return { ip, tcp: seg };
}

function meaningful(opts: readonly TcpOption[]): string {
  let s = '';
  for (const o of opts) if (o.kind !== 'nop' && o.kind !== 'eol') s += JSON.stringify(o);
  return s;
}

/** The first field that differs after an encode/decode round trip, or null. */
function roundTripDiff(a: Segment, b: Segment): string | null {
  if (a.srcPort !== b.srcPort) return `srcPort ${a.srcPort} vs ${b.srcPort}`;
  if (a.dstPort !== b.dstPort) return `dstPort ${a.dstPort} vs ${b.dstPort}`;
  if (a.seq !== b.seq) return `seq ${a.seq} vs ${b.seq}`;
  if (a.ack !== b.ack) return `ack ${a.ack} vs ${b.ack}`;
  if (a.flags !== b.flags) return `flags ${a.flags} vs ${b.flags}`;
  if (a.window !== b.window) return `window ${a.window} vs ${b.window}`;
  if (a.urgent !== b.urgent) return `urgent ${a.urgent} vs ${b.urgent}`;
  if (a.len !== b.len) return `len ${a.len} vs ${b.len}`;
  const x = meaningful(a.options);
  const y = meaningful(b.options);
  if (x !== y) return `options ${x} vs ${y}`;
  return null;
}

/** The full check of one segment: encode, decode, compare; the violation message or null. */
export function roundTripProblem(src: string, dst: string, seg: Segment): string | null {
  let bytes: Uint8Array;
  try {
    bytes = encodePacket(packetFor(src, dst, seg));
  } catch (e) {
    return `segment [${flagStr(seg.flags)}] does not encode: ${e instanceof Error ? e.message : String(e)}`;
  }
  const d = decodePacket(bytes);
  if (!d.ok) return `segment [${flagStr(seg.flags)}] encodes to bytes that do not decode: ${d.error.message}`;
  if (d.packet.checksumOk !== true) return `segment [${flagStr(seg.flags)}] has an invalid checksum after encoding`;
  const diff = roundTripDiff(seg, d.packet.tcp);
  if (diff !== null) return `segment [${flagStr(seg.flags)}] changes on the wire: ${diff} (model vs decoded)`;
  return null;
}

/*
 * Fast path of HDR-1. `roundTripProblem` is null exactly when encoding does not throw, the bytes
 * decode with a valid checksum, and every compared field comes back equal. `surelyRoundTrips`
 * returns true only in a class of segments for which that is so by construction of
 * src/wire/codec.ts and src/wire/options.ts; for anything else it returns false and the full
 * round trip runs (so every violation and its message are what they were):
 *
 * - Encoding throws only on a bad address (a property of the address pair alone: remembered per
 *   pair after one real encode), more than 40 bytes of TCP options, or more than 65535 bytes.
 * - A packet encodePacket built always decodes (IHL 5, DF only, data offset ≤ 15 words, lengths
 *   as written), and its checksum verifies: the decoder sums the same bytes over the same
 *   pseudo-header and cancels the stored field (checksum.ts:tcpChecksumWithPseudo).
 * - Header fields are written truncated to their wire widths and read back unsigned, so they come
 *   back equal exactly when each is an integer in its width; `len` comes back as the payload
 *   length written.
 * - Options of kinds mss, wscale, sackOk, sack (1+ blocks) and ts with in-range integer values are
 *   written and parsed back as the same kinds and values, in order, followed only by padding (an
 *   EOL and fewer than 4 zero bytes, which `meaningful` ignores like NOPs). `meaningful` compares
 *   JSON text, so the fast path also demands plain objects whose own keys are exactly the ones the
 *   parser creates, in its order. EOL, unknown and raw options always take the full path.
 */
const goodPairs = new Map<string, Map<string, boolean>>();

function pairEncodes(src: string, dst: string): boolean {
  let m = goodPairs.get(src);
  if (m === undefined) {
    if (goodPairs.size >= 256) goodPairs.clear();
    m = new Map();
    goodPairs.set(src, m);
  }
  let ok = m.get(dst);
  if (ok === undefined) {
    try {
      encodePacket(packetFor(src, dst, { srcPort: 0, dstPort: 0, seq: 0, ack: 0, flags: 0, window: 0, urgent: 0, options: [], len: 0 }));
      ok = true;
    } catch {
      ok = false;
    }
    if (m.size >= 256) m.clear();
    m.set(dst, ok);
  }
  return ok;
}

const isU8 = (x: number): boolean => typeof x === 'number' && (x & 0xff) === x;
const isU16 = (x: number): boolean => typeof x === 'number' && (x & 0xffff) === x;
const isU32 = (x: number): boolean => typeof x === 'number' && x >>> 0 === x;

function keysAre(o: object, k0: string, k1?: string, k2?: string): boolean {
  if (Object.getPrototypeOf(o) !== Object.prototype) return false;
  const ks = Object.keys(o);
  const n = k2 !== undefined ? 3 : k1 !== undefined ? 2 : 1;
  return ks.length === n && ks[0] === k0 && (n < 2 || ks[1] === k1) && (n < 3 || ks[2] === k2);
}

/** Wire bytes of the options when they surely round trip (see above), else -1. */
function surelyRoundTripOptions(opts: readonly TcpOption[]): number {
  if (!Array.isArray(opts) || Object.getPrototypeOf(opts) !== Array.prototype) return -1;
  let bytes = 0;
  for (let i = 0; i < opts.length; i++) {
    const o = opts[i];
    if (o === undefined || o === null || typeof o !== 'object') return -1;
    switch (o.kind) {
      case 'nop':
        bytes += 1;
        break;
      case 'mss':
        if (!isU16(o.mss) || !keysAre(o, 'kind', 'mss')) return -1;
        bytes += 4;
        break;
      case 'wscale':
        if (!isU8(o.shift) || !keysAre(o, 'kind', 'shift')) return -1;
        bytes += 3;
        break;
      case 'sackOk':
        if (!keysAre(o, 'kind')) return -1;
        bytes += 2;
        break;
      case 'ts':
        if (!isU32(o.val) || !isU32(o.ecr) || !keysAre(o, 'kind', 'val', 'ecr')) return -1;
        bytes += 10;
        break;
      case 'sack': {
        const bl = o.blocks;
        if (!keysAre(o, 'kind', 'blocks') || !Array.isArray(bl) || Object.getPrototypeOf(bl) !== Array.prototype) return -1;
        if (bl.length < 1 || bl.length > 4) return -1;
        for (let k = 0; k < bl.length; k++) {
          const b = bl[k];
          if (b === undefined || b === null || typeof b !== 'object' || !isU32(b.left) || !isU32(b.right) || !keysAre(b, 'left', 'right')) return -1;
        }
        bytes += 2 + 8 * bl.length;
        break;
      }
      default:
        return -1;
    }
    if (bytes > 40) return -1;
  }
  return bytes;
}

export function surelyRoundTrips(src: string, dst: string, seg: Segment): boolean {
  if (seg === null || typeof seg !== 'object') return false;
  if (!isU16(seg.srcPort) || !isU16(seg.dstPort) || !isU32(seg.seq) || !isU32(seg.ack) || !isU8(seg.flags) || !isU16(seg.window) || !isU16(seg.urgent) || !isU16(seg.len)) return false;
  const opt = surelyRoundTripOptions(seg.options);
  if (opt < 0) return false;
  // IPv4: 20-byte IP header + TCP header + payload ≤ 65535; IPv6: TCP header + payload ≤ 65535.
  if (40 + ((opt + 3) & ~3) + seg.len > 0xffff) return false;
  return typeof src === 'string' && typeof dst === 'string' && pairEncodes(src, dst);
}

export const hdr1: StepInvariant = {
  kind: 'step',
  id: 'HDR-1',
  title: 'Every emitted segment encodes and decodes back unchanged with a valid checksum',
  rfc: 'RFC 9293 §3.1 (header format, checksum)',
  behaviours: ['HD-1', 'DT-4', 'DT-2'],
  check(ctx) {
    return eachSegment(ctx, (o, c) => {
      if (surelyRoundTrips(o.src, o.dst, o.seg)) return null;
      const problem = roundTripProblem(o.src, o.dst, o.seg);
      return problem === null ? null : violation(ctx, 'HDR-1', c?.id ?? null, problem);
    });
  },
};

/**
 * A SYN cookie SYN-ACK (LQ-4) is stateless by design: allowed when it answers this step's SYN to a
 * listening port of an endpoint whose profile uses cookies, acknowledging exactly that SYN.
 */
function cookieSynAck(ctx: StepContext, seg: Segment): boolean {
  const i = ctx.input;
  if (i.kind !== 'segment' || ctx.before.profile.syncookies === 'off') return false;
  if ((seg.flags & (SYN | ACK | RST | FIN)) !== (SYN | ACK) || (i.seg.flags & (SYN | ACK)) !== SYN) return false;
  if (i.seg.dstPort !== seg.srcPort || i.seg.srcPort !== seg.dstPort || seg.ack !== seqAdd(i.seg.seq, 1)) return false;
  return ctx.before.conns.some((x) => x.state === 'LISTEN' && x.localPort === seg.srcPort && x.parent === null);
}

export const hdr2: StepInvariant = {
  kind: 'step',
  id: 'HDR-2',
  title: "Every segment leaves from the endpoint's address, and every non-RST segment belongs to one of its connections",
  rfc: 'RFC 9293 §3.4 (4-tuple), §3.10.7.1; RFC 4987 §3.6 (stateless SYN cookie SYN-ACK)',
  behaviours: ['HD-1', 'RS-1', 'LQ-4'],
  check(ctx) {
    return eachSegment(ctx, (o, c) => {
      if (o.src !== ctx.before.addr) return violation(ctx, 'HDR-2', c?.id ?? null, `segment [${flagStr(o.seg.flags)}] sent from ${o.src}, the endpoint is ${ctx.before.addr}`);
      if (c === null && !has(o.seg.flags, RST) && !cookieSynAck(ctx, o.seg)) {
        return violation(ctx, 'HDR-2', null, `segment [${flagStr(o.seg.flags)}] ${o.seg.srcPort} → ${o.dst}:${o.seg.dstPort} belongs to no connection`);
      }
      return null;
    });
  },
};

export const headerInvariants: readonly StepInvariant[] = [hdr1, hdr2];
