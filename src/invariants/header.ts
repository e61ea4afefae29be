/**
 * Header invariants (family HDR): every emitted segment is a valid TCP segment on the wire — it
 * encodes with src/wire/codec.ts and decodes back to the same fields with a correct checksum
 * (fields in their wire ranges, options encodable) — and every non-RST segment belongs to a
 * connection of the sending endpoint (addresses and ports of its 4-tuple). RFC 9293 §3.1.
 */
import type { Packet, Segment, TcpOption } from '../wire/types.js';
import { ACK, FIN, RST, SYN } from '../wire/types.js';
import { decodePacket, encodePacket } from '../wire/codec.js';
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

export const hdr1: StepInvariant = {
  kind: 'step',
  id: 'HDR-1',
  title: 'Every emitted segment encodes and decodes back unchanged with a valid checksum',
  rfc: 'RFC 9293 §3.1 (header format, checksum)',
  behaviours: ['HD-1', 'DT-4', 'DT-2'],
  check(ctx) {
    return eachSegment(ctx, (o, c) => {
      let bytes: Uint8Array;
      try {
        bytes = encodePacket(packetFor(o.src, o.dst, o.seg));
      } catch (e) {
        return violation(ctx, 'HDR-1', c?.id ?? null, `segment [${flagStr(o.seg.flags)}] does not encode: ${e instanceof Error ? e.message : String(e)}`);
      }
      const d = decodePacket(bytes);
      if (!d.ok) return violation(ctx, 'HDR-1', c?.id ?? null, `segment [${flagStr(o.seg.flags)}] encodes to bytes that do not decode: ${d.error.message}`);
      if (d.packet.checksumOk !== true) return violation(ctx, 'HDR-1', c?.id ?? null, `segment [${flagStr(o.seg.flags)}] has an invalid checksum after encoding`);
      const diff = roundTripDiff(o.seg, d.packet.tcp);
      if (diff !== null) return violation(ctx, 'HDR-1', c?.id ?? null, `segment [${flagStr(o.seg.flags)}] changes on the wire: ${diff} (model vs decoded)`);
      return null;
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
  if (i.seg.dstPort !== seg.srcPort || i.seg.srcPort !== seg.dstPort || seg.ack !== ((i.seg.seq + 1) >>> 0)) return false;
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
