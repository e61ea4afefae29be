/**
 * Small allocation-free helpers shared by the invariant families: state classes, sequence space a
 * segment consumes, matching output segments and input segments to connections by 4-tuple,
 * walking the connections of `before` and `after` side by side, and building violations.
 */
import type { Output, TcpStateName } from '../model/api.js';
import type { Conn, Endpoint } from '../model/types.js';
import type { Segment } from '../wire/types.js';
import { ACK, FIN, RST, SYN } from '../wire/types.js';
import { seqDist } from '../wire/seq.js';
import type { StepContext, Violation } from './types.js';

export type SegmentOutput = Extract<Output, { kind: 'segment' }>;

/** RFC 9293 §3.3.2: the states after the handshake completed (TIME-WAIT included). */
export function synchronized(s: TcpStateName): boolean {
  switch (s) {
    case 'ESTABLISHED':
    case 'FIN-WAIT-1':
    case 'FIN-WAIT-2':
    case 'CLOSE-WAIT':
    case 'CLOSING':
    case 'LAST-ACK':
    case 'TIME-WAIT':
      return true;
    case 'CLOSED':
    case 'LISTEN':
    case 'SYN-SENT':
    case 'SYN-RECEIVED':
      return false;
    default: {
      const never: never = s;
      return never;
    }
  }
}

/** States in which the connection has a send sequence space (ISS chosen). */
export function hasSendSpace(s: TcpStateName): boolean {
  return s !== 'CLOSED' && s !== 'LISTEN';
}

export const has = (flags: number, bit: number): boolean => (flags & bit) !== 0;

/** Sequence space a segment occupies: payload + SYN + FIN (RFC 9293 §3.4, HS-1). */
export function segSpace(seg: Segment): number {
  return seg.len + (has(seg.flags, SYN) ? 1 : 0) + (has(seg.flags, FIN) ? 1 : 0);
}

/** Sequence number of the first payload byte (after a SYN). */
export function dataStart(seg: Segment): number {
  return has(seg.flags, SYN) ? (seg.seq + 1) >>> 0 : seg.seq;
}

/** Sequence number just past the payload. */
export function dataEnd(seg: Segment): number {
  return (dataStart(seg) + seg.len) >>> 0;
}

/**
 * The connection of `ep` that sent `out` (same 4-tuple, not a listener), preferring one that is not
 * CLOSED; null for a segment no connection owns (an RST answering a segment for no connection).
 */
export function connOfOutput(ep: Endpoint, out: SegmentOutput): Conn | null {
  let closed: Conn | null = null;
  for (const c of ep.conns) {
    if (c.state === 'LISTEN' || c.localPort !== out.seg.srcPort || c.remotePort !== out.seg.dstPort) continue;
    if (c.remoteAddr !== null && c.remoteAddr !== out.dst) continue;
    if (c.remoteAddr === null) continue;
    if (c.state !== 'CLOSED') return c;
    if (closed === null) closed = c;
  }
  return closed;
}

/** The connection of `ep` an arriving segment is for (exact 4-tuple), preferring one not CLOSED. */
export function connOfInput(ep: Endpoint, src: string, seg: Segment): Conn | null {
  let closed: Conn | null = null;
  for (const c of ep.conns) {
    if (c.state === 'LISTEN' || c.remoteAddr !== src || c.localPort !== seg.dstPort || c.remotePort !== seg.srcPort) continue;
    if (c.state !== 'CLOSED') return c;
    if (closed === null) closed = c;
  }
  return closed;
}

/** A connection by id, or null. */
export function connById(ep: Endpoint, id: number): Conn | null {
  for (const c of ep.conns) if (c.id === id) return c;
  return null;
}

/**
 * Visit each connection of `after` with its `before` version (null when it is new), stopping at
 * the first violation. Connections are kept in creation order with increasing ids, so this walks
 * both lists once; it falls back to a scan if the order is ever different.
 */
export function eachConn(ctx: StepContext, fn: (b: Conn | null, a: Conn) => Violation | null): Violation | null {
  const bs = ctx.before.conns;
  let j = 0;
  for (const a of ctx.after.conns) {
    while (j < bs.length && bs[j]!.id < a.id) j++;
    let b: Conn | null = j < bs.length && bs[j]!.id === a.id ? bs[j]! : null;
    if (b === null && j < bs.length) b = connById(ctx.before, a.id);
    const v = fn(b, a);
    if (v !== null) return v;
  }
  return null;
}

/** Visit each segment output with the connection that sent it (looked up in `after`, else `before`). */
export function eachSegment(ctx: StepContext, fn: (out: SegmentOutput, c: Conn | null, index: number) => Violation | null): Violation | null {
  const outs = ctx.outputs;
  for (let i = 0; i < outs.length; i++) {
    const o = outs[i]!;
    if (o.kind !== 'segment') continue;
    const c = connOfOutput(ctx.after, o) ?? connOfOutput(ctx.before, o);
    const v = fn(o, c, i);
    if (v !== null) return v;
  }
  return null;
}

export function violation(ctx: StepContext, id: string, conn: number | null, message: string): Violation {
  const v: { -readonly [K in keyof Violation]: Violation[K] } = { id, message, time: ctx.now };
  if (conn !== null) v.conn = conn;
  if (ctx.node !== undefined) v.node = ctx.node;
  if (ctx.step !== undefined) v.step = ctx.step;
  return v;
}

/** "1234 (iss+5)": a sequence number with its offset from a base, for messages. */
export function rel(x: number, base: number, name: string): string {
  return `${x} (${name}+${seqDist(base, x)})`;
}

/** Short flag string for messages, e.g. "SA", "F.", "R". */
export function flagStr(flags: number): string {
  let s = '';
  if (has(flags, SYN)) s += 'S';
  if (has(flags, FIN)) s += 'F';
  if (has(flags, RST)) s += 'R';
  if (has(flags, 0x08)) s += 'P';
  if (has(flags, ACK)) s += '.';
  return s === '' ? 'none' : s;
}

/** Bytes returned by a successful recv of this step on `fd` (0 otherwise). */
export function recvBytes(ctx: StepContext, fd: number | null): number {
  if (fd === null || ctx.input.kind !== 'call' || ctx.input.call.op !== 'recv' || ctx.input.call.fd !== fd) return 0;
  for (const o of ctx.outputs) {
    if (o.kind === 'result' && o.result.ok) return Math.max(0, o.result.value);
  }
  return 0;
}

/** The transition outputs of one connection in this step, in order (no allocation when none). */
export function hasTransition(ctx: StepContext, conn: number, to: TcpStateName): boolean {
  for (const o of ctx.outputs) if (o.kind === 'transition' && o.conn === conn && o.to === to) return true;
  return false;
}

/** Round up to the profile's timer granularity (the model's timers are in jiffies). */
export function roundUp(d: number, granularity: number): number {
  if (granularity <= 1) return Math.ceil(d);
  return Math.ceil(d / granularity) * granularity;
}
