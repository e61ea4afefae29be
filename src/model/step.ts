/**
 * The model's one entry point: `step(endpoint, input, now) → { endpoint, outputs, deadline }`.
 *
 * Pure, total and deterministic: the input endpoint is never written (see ctx.ts), any input a
 * fuzzer can build gives a result, and there is no clock or randomness besides `now` and the seed.
 * Segments are demultiplexed by exact 4-tuple, then by listening port, else answered as "no
 * socket" (RFC 9293 §3.10.7.1, HS-11, RS-1). A corrupted segment (checksumOk false) is dropped
 * silently (DT-4).
 */
import type { Input, Micros, StepResult } from './api.js';
import type { Segment } from '../wire/types.js';
import { RST, SYN } from '../wire/types.js';
import type { Ctx } from './ctx.js';
import { makeCtx, mut, note } from './ctx.js';
import type { Conn, Endpoint } from './types.js';
import type { Profile } from './profile-type.js';
import { parseOptions } from './options.js';
import { sendRstReply } from './emit.js';
import { synchronizedArrival } from './arrival.js';
import { synSentArrival } from './handshake.js';
import { listenArrival, requestArrival } from './listener.js';
import { timeWaitArrival } from './timewait.js';
import { fireTimers } from './timers.js';
import { handleCall } from './calls.js';
import { firstEphemeralPort } from './isn.js';

export interface EndpointOptions {
  readonly profile: Profile;
  readonly addr: string;
  /** Where connect() connects to. Default: the same as addr. */
  readonly peerAddr?: string;
  readonly seed?: number;
}

/** A host with no sockets. */
export function createEndpoint(o: EndpointOptions): Endpoint {
  const seed = (o.seed ?? 0) >>> 0;
  return {
    profile: o.profile,
    addr: o.addr,
    peerAddr: o.peerAddr ?? o.addr,
    seed,
    conns: [],
    nextConnId: 1,
    nextEphemeralPort: firstEphemeralPort(seed, o.profile.ephemeralPortLow, o.profile.ephemeralPortHigh),
  };
}

function u16(n: number): number {
  return (n >>> 0) & 0xffff;
}

/** Bring any hostile field values into their wire ranges (a copy only when something is off). */
function sanitize(seg: Segment): Segment {
  const len = Number.isFinite(seg.len) ? Math.min(Math.max(0, Math.floor(seg.len)), 0xffff) : 0;
  if (
    seg.srcPort === u16(seg.srcPort) &&
    seg.dstPort === u16(seg.dstPort) &&
    seg.seq === seg.seq >>> 0 &&
    seg.ack === seg.ack >>> 0 &&
    seg.flags === (seg.flags & 0xff) &&
    seg.window === u16(seg.window) &&
    seg.urgent === u16(seg.urgent) &&
    seg.len === len &&
    Array.isArray(seg.options)
  ) {
    return seg;
  }
  return {
    srcPort: u16(seg.srcPort),
    dstPort: u16(seg.dstPort),
    seq: seg.seq >>> 0,
    ack: seg.ack >>> 0,
    flags: (seg.flags >>> 0) & 0xff,
    window: u16(seg.window),
    urgent: u16(seg.urgent),
    options: Array.isArray(seg.options) ? seg.options : [],
    len,
  };
}

function findExact(ctx: Ctx, src: string, seg: Segment): Conn | null {
  for (const c of ctx.conns) {
    if (c.localPort === seg.dstPort && c.remotePort === seg.srcPort && c.remoteAddr === src && c.state !== 'CLOSED' && c.state !== 'LISTEN') return c;
  }
  return null;
}

function findListener(ctx: Ctx, port: number): Conn | null {
  for (const c of ctx.conns) if (c.state === 'LISTEN' && c.fd !== null && c.localPort === port) return c;
  return null;
}

function handleSegment(ctx: Ctx, src: string, dst: string, raw: Segment, checksumOk: boolean): void {
  if (!checksumOk) {
    note(ctx, null, 'DT-4/bad-checksum', 'segment with a bad checksum dropped silently');
    return;
  }
  if (dst !== ctx.addr) {
    note(ctx, null, 'demux/not-for-us', `segment for ${dst} is not addressed to ${ctx.addr}; dropped`);
    return;
  }
  const seg = sanitize(raw);
  const isSyn = (seg.flags & SYN) !== 0;
  const po = parseOptions(seg.options, isSyn, ctx.profile.maxWscale);
  const exact = findExact(ctx, src, seg);
  if (exact !== null) {
    const c = mut(ctx, exact.id)!;
    switch (c.state) {
      case 'SYN-SENT':
        synSentArrival(ctx, c, seg, po, src);
        return;
      case 'TIME-WAIT': {
        const v = timeWaitArrival(ctx, c, seg, po, (tw) => findListener(ctx, tw.localPort) !== null);
        if (v.kind === 'new-syn') {
          const l = findListener(ctx, seg.dstPort);
          if (l !== null) listenArrival(ctx, l, seg, po, src, v.isn);
        }
        return;
      }
      case 'SYN-RECEIVED':
        if (c.parent !== null) requestArrival(ctx, c, seg, po, src);
        else synchronizedArrival(ctx, c, seg, po, src);
        return;
      default:
        synchronizedArrival(ctx, c, seg, po, src);
        return;
    }
  }
  const l = findListener(ctx, seg.dstPort);
  if (l !== null) {
    listenArrival(ctx, l, seg, po, src, null);
    return;
  }
  // RFC 9293 §3.10.7.1: no connection. RS-1, HS-11; never answer an RST.
  if ((seg.flags & RST) !== 0) {
    note(ctx, null, 'RS-3/no-socket-rst', 'RST for no connection; dropped');
    return;
  }
  sendRstReply(ctx, src, seg, 'RS-1/no-socket', `no socket for port ${seg.dstPort}: RST`, null);
}

function alive(c: Conn): boolean {
  if (c.fd !== null || c.parent !== null) return true;
  return c.state !== 'CLOSED' && c.state !== 'LISTEN';
}

function deadlineOf(conns: readonly Conn[]): Micros | null {
  let d: number | null = null;
  for (const c of conns) {
    if (c.retransmitAt !== null && (d === null || c.retransmitAt < d)) d = c.retransmitAt;
    if (c.delayedAckAt !== null && (d === null || c.delayedAckAt < d)) d = c.delayedAckAt;
    if (c.timeWaitAt !== null && (d === null || c.timeWaitAt < d)) d = c.timeWaitAt;
    if (c.finWait2At !== null && (d === null || c.finWait2At < d)) d = c.finWait2At;
    if (c.persistAt !== null && (d === null || c.persistAt < d)) d = c.persistAt;
    if (c.keepaliveAt !== null && (d === null || c.keepaliveAt < d)) d = c.keepaliveAt;
    if (c.tlpAt !== null && (d === null || c.tlpAt < d)) d = c.tlpAt;
    if (c.cc.rackReoAt !== null && (d === null || c.cc.rackReoAt < d)) d = c.cc.rackReoAt; // rack.ts reordering timer
  }
  return d;
}

/** One step of the model. Never mutates `ep` or `input`; never throws on well-typed input. */
export function step(ep: Endpoint, input: Input, now: Micros): StepResult<Endpoint> {
  const ctx = makeCtx(ep, Number.isFinite(now) ? Math.floor(now) : 0);
  switch (input.kind) {
    case 'segment':
      handleSegment(ctx, input.src, input.dst, input.seg, input.checksumOk !== false);
      break;
    case 'call': {
      const result = handleCall(ctx, input.call);
      ctx.out.push({ kind: 'result', call: input.call, result });
      break;
    }
    case 'timer':
      fireTimers(ctx);
      break;
    default: {
      const never: never = input;
      void never;
    }
  }
  let conns = ctx.conns;
  let dead = false;
  for (const c of conns) if (!alive(c)) dead = true;
  if (dead) conns = conns.filter(alive);
  const endpoint: Endpoint = {
    profile: ep.profile,
    addr: ep.addr,
    peerAddr: ep.peerAddr,
    seed: ep.seed,
    conns,
    nextConnId: ctx.nextConnId,
    nextEphemeralPort: ctx.nextEphemeralPort,
  };
  return { endpoint, outputs: ctx.out, deadline: deadlineOf(conns) };
}
