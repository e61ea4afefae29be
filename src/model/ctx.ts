/**
 * The per-step working context: a shallow copy of the endpoint's connection list, the outputs being
 * collected, and the copy-once rule that keeps `step` pure. A connection is copied the first time a
 * step writes to it (`mut`); later writes in the same step go to that fresh copy. Nothing reachable
 * from the caller's endpoint is ever written.
 *
 * Also home of `setState`, the single function through which every state change goes (FSM coverage
 * reads its `transition` outputs).
 */
import type { Micros, Output, TcpStateName } from './api.js';
import type { Conn, Endpoint, MConn } from './types.js';
import type { Profile } from './profile-type.js';
import type { Errno } from '../scenario/types.js';
import { cloneConn } from './conn.js';
import type { AppEventName } from '../trace/types.js';

export interface Ctx {
  readonly profile: Profile;
  readonly addr: string;
  readonly peerAddr: string;
  readonly seed: number;
  readonly now: Micros;
  /** The working list (a copy of the endpoint's array; entries are original or fresh copies). */
  conns: Conn[];
  /** Connections copied during this step (only these may be written); a step touches one or two. */
  readonly fresh: Conn[];
  readonly out: Output[];
  nextConnId: number;
  nextEphemeralPort: number;
}

export function makeCtx(ep: Endpoint, now: Micros): Ctx {
  return {
    profile: ep.profile,
    addr: ep.addr,
    peerAddr: ep.peerAddr,
    seed: ep.seed,
    now,
    conns: ep.conns.slice(),
    fresh: [],
    out: [],
    nextConnId: ep.nextConnId,
    nextEphemeralPort: ep.nextEphemeralPort,
  };
}

/** A writable copy of the connection with this id (copied at most once per step), or null. */
export function mut(ctx: Ctx, id: number): MConn | null {
  const conns = ctx.conns;
  for (let i = 0; i < conns.length; i++) {
    const c = conns[i]!;
    if (c.id !== id) continue;
    if (ctx.fresh.includes(c)) return c as MConn;
    const copy: MConn = cloneConn(c);
    conns[i] = copy;
    ctx.fresh.push(copy);
    return copy;
  }
  return null;
}

/** Read a connection by id. */
export function getConn(ctx: Ctx, id: number): Conn | null {
  for (const c of ctx.conns) if (c.id === id) return c;
  return null;
}

/** Add a brand-new connection (already fresh). */
export function addConn(ctx: Ctx, c: MConn): void {
  ctx.conns.push(c);
  ctx.fresh.push(c);
}

export function note(ctx: Ctx, c: Conn | null, rule: string, text: string): void {
  if (c === null) {
    ctx.out.push({ kind: 'note', rule, text });
  } else if (c.fd === null) {
    ctx.out.push({ kind: 'note', conn: c.id, rule, text });
  } else {
    ctx.out.push({ kind: 'note', conn: c.id, fd: c.fd, rule, text });
  }
}

export function event(ctx: Ctx, c: Conn, ev: AppEventName, errno?: Errno): void {
  if (c.fd === null) return;
  if (errno === undefined) ctx.out.push({ kind: 'event', fd: c.fd, event: ev });
  else ctx.out.push({ kind: 'event', fd: c.fd, event: ev, errno });
}

/**
 * Every state change goes through here: it records a `transition` output (FSM coverage) and clears
 * the timers that cannot outlive the old state. RFC 9293 §3.3.2 (state diagram).
 */
export function setState(ctx: Ctx, c: MConn, to: TcpStateName, cause: string): void {
  const from = c.state;
  if (from === to) return;
  c.state = to;
  if (c.fd === null) ctx.out.push({ kind: 'transition', conn: c.id, from, to, cause });
  else ctx.out.push({ kind: 'transition', conn: c.id, fd: c.fd, from, to, cause });
  if (to === 'CLOSED' || to === 'TIME-WAIT') {
    c.persistAt = null;
    c.keepaliveAt = null;
    c.tlpAt = null;
    c.tlpHighSeq = null;
  }
  if (to === 'CLOSED') {
    c.retransmitAt = null;
    c.delayedAckAt = null;
    c.timeWaitAt = null;
    c.finWait2At = null;
    c.ackPending = false;
    c.ackNow = false;
    c.sent = [];
  } else if (to === 'TIME-WAIT') {
    c.retransmitAt = null;
    c.delayedAckAt = null;
    c.finWait2At = null;
    c.ackPending = false;
    c.ackNow = false;
    c.sent = [];
  }
}

/** Round a duration up to the profile's timer granularity (jiffies). */
export function roundTimer(p: Profile, d: Micros): Micros {
  const g = p.timerGranularity;
  if (g <= 1) return Math.ceil(d);
  return Math.ceil(d / g) * g;
}
