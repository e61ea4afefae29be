/**
 * Reset invariants (family RST): an RST goes out only where RFC 9293 §3.5.2 / §3.10.7 or a
 * documented rule allows it (answering a segment for no connection in the §3.10.7.1 shape, an
 * active reset on an application call, on data after close, or on an orphan's timeout), never in
 * answer to an RST, and never for an unacceptable segment of a synchronized connection (that gets
 * an ACK). An RST is accepted only where RFC 5961 §3.2 (exact RCV.NXT), RFC 9293 §3.10.7.3 (SYN-SENT:
 * acceptable ACK) or the profile (RFC 1337 in TIME-WAIT, Linux tcp_reset_check and SACK right edge) allows; an
 * in-window inexact RST or a SYN in a synchronized state gets a challenge ACK; an accepted reset
 * is reported to the application.
 */
import type { Conn } from '../model/types.js';
import type { Errno } from '../scenario/types.js';
import type { Segment } from '../wire/types.js';
import { ACK, FIN, RST, SYN } from '../wire/types.js';
import { seqAdd, seqInRange, seqLe, seqLt } from '../wire/seq.js';
import type { StepContext, StepInvariant, Violation } from './types.js';
import type { SegmentOutput } from './util.js';
import { connById, connOfInput, connOfOutput, flagStr, has, rel, segSpace, synchronized, violation } from './util.js';
import { advertisedEdge } from './window.js';

/** The §3.10.7.1 reply to `seg`: seq = SEG.ACK (ACK set), else seq 0 with ACK = SEG.SEQ + SEG.LEN. */
function isReplyShape(rst: SegmentOutput, src: string, seg: Segment): boolean {
  const r = rst.seg;
  if (rst.dst !== src || r.dstPort !== seg.srcPort || r.srcPort !== seg.dstPort) return false;
  if (has(seg.flags, ACK)) return r.seq === seg.ack;
  return r.seq === 0 && has(r.flags, ACK) && r.ack === seqAdd(seg.seq, segSpace(seg));
}

/** An active reset of connection c: SEQ = SND.NXT (RFC 9293 §3.10.5 ABORT). */
function isActiveShape(ctx: StepContext, rst: SegmentOutput, c: Conn | null): boolean {
  return c !== null && activeRstSeqOk(ctx, c, rst.seg.seq) && (!has(rst.seg.flags, ACK) || rst.seg.ack === c.rcvNxt);
}

/**
 * An active RST carries SND.NXT (RFC 9293 §3.10.5); with profile ackSeqWhenWindowShrank =
 * 'window-end' (Linux tcp_output.c:tcp_send_active_reset → tcp_acceptable_seq) it carries
 * SND.UNA + SND.WND instead when the peer's window ends before SND.NXT (e.g. a SYN with window 0),
 * unless window scaling puts SND.NXT within one scale unit of that edge.
 */
function activeRstSeqOk(ctx: StepContext, c: Conn, seq: number): boolean {
  if (seq === c.sndNxt) return true;
  if (ctx.before.profile.ackSeqWhenWindowShrank !== 'window-end') return false;
  const wndEnd = seqAdd(c.sndUna, c.sndWnd);
  if (!seqLt(wndEnd, c.sndNxt)) return false;
  if (c.wscaleOk && ((c.sndNxt - wndEnd) >>> 0) < 1 << c.rcvWscale) return false;
  return seq === wndEnd;
}

function closedNow(ctx: StepContext, id: number): boolean {
  const c = connById(ctx.after, id);
  return c === null || c.state === 'CLOSED';
}

export const rst1: StepInvariant = {
  kind: 'step',
  id: 'RST-1',
  title: 'An RST answers a segment in the §3.10.7.1 shape, or is an active reset (SEQ = SND.NXT) on a call, on data after close, or on an orphan timeout',
  rfc: 'RFC 9293 §3.5.2, §3.10.7.1, §3.10.5; RFC 1122 §4.2.2.13; RFC 2525 §2.17',
  behaviours: ['RS-1', 'HS-3', 'HS-11', 'CT-7', 'CT-8', 'CT-9', 'KA-2'],
  check(ctx) {
    const inp = ctx.input;
    for (const o of ctx.outputs) {
      if (o.kind !== 'segment' || !has(o.seg.flags, RST)) continue;
      const c = connOfOutput(ctx.before, o) ?? connOfOutput(ctx.after, o);
      if (inp.kind === 'segment' && inp.checksumOk !== false && !has(inp.seg.flags, RST)) {
        if (isReplyShape(o, inp.src, inp.seg)) continue;
        if (isActiveShape(ctx, o, c) && c !== null && (c.fd === null || c.rcvShutdown) && (inp.seg.len > 0 || has(inp.seg.flags, FIN))) continue;
      }
      if (inp.kind === 'call' && isActiveShape(ctx, o, c)) continue;
      if (inp.kind === 'timer' && c !== null && c.fd === null && isActiveShape(ctx, o, c) && closedNow(ctx, c.id)) continue;
      return violation(ctx, 'RST-1', c?.id ?? null, `RST seq ${o.seg.seq} ack ${o.seg.ack} [${flagStr(o.seg.flags)}] on a ${inp.kind} input is neither a §3.10.7.1 reply nor a permitted active reset`);
    }
    return null;
  },
};

export const rst2: StepInvariant = {
  kind: 'step',
  id: 'RST-2',
  title: 'A segment for a synchronized connection is answered with an ACK, never an RST (data after close excepted)',
  rfc: 'RFC 9293 §3.5.2 (case 3), §3.10.7.4; RFC 1122 §4.2.2.13 (data after close)',
  behaviours: ['RS-1', 'RS-2', 'CT-7'],
  check(ctx) {
    const inp = ctx.input;
    if (inp.kind !== 'segment' || inp.checksumOk === false || has(inp.seg.flags, RST)) return null;
    const b = connOfInput(ctx.before, inp.src, inp.seg);
    if (b === null || !synchronized(b.state)) return null;
    // Data after close (RFC 1122 §4.2.2.13); with profile `rstOnDataAfterPeerFin` (Linux tcp_fin sets
    // RCV_SHUTDOWN) also data arriving after the peer's FIN, in CLOSE-WAIT, CLOSING or LAST-ACK.
    const peerFinShut = b.finReceived && ctx.before.profile.rstOnDataAfterPeerFin && b.state !== 'ESTABLISHED';
    const afterClose = (b.fd === null || b.rcvShutdown || peerFinShut) && (inp.seg.len > 0 || has(inp.seg.flags, FIN));
    if (afterClose) return null;
    for (const o of ctx.outputs) {
      if (o.kind === 'segment' && has(o.seg.flags, RST) && o.dst === inp.src && o.seg.dstPort === inp.seg.srcPort && o.seg.srcPort === inp.seg.dstPort) {
        return violation(ctx, 'RST-2', b.id, `[${flagStr(inp.seg.flags)}] seq ${rel(inp.seg.seq, b.irs, 'irs')} in ${b.state} answered with RST seq ${o.seg.seq} instead of an ACK`);
      }
    }
    return null;
  },
};

/** The right edge of the highest out-of-order block we hold (what our SACK blocks report). */
function maxSackEdge(b: Conn): number {
  let m = b.ooo[0]!.right;
  for (const r of b.ooo) if (seqLt(m, r.right)) m = r.right;
  return m;
}

/**
 * Is an RST (that may carry data, e.g. a forged one) acceptable to a SYN-RECEIVED request? Its
 * whole sequence space counts, not just SEG.SEQ: Linux tcp_minisocks.c:tcp_check_req →
 * tcp_in_window (starts at RCV.NXT, or overlaps the window, or is empty at its right edge), RFC 9293
 * §3.10.7.4 acceptability table (first or last octet inside the window).
 */
function synRcvdRstAcceptable(ctx: StepContext, b: Conn, seg: Segment): boolean {
  const len = segSpace(seg);
  const end = seqAdd(seg.seq, len);
  const right = seqAdd(b.rcvNxt, b.rcvWnd);
  if (ctx.before.profile.acceptability === 'linux') {
    if (seg.seq === b.rcvNxt) return true;
    if (seqLt(b.rcvNxt, end) && seqLt(seg.seq, right)) return true;
    return seg.seq === right && seg.seq === end;
  }
  if (len === 0) return seqLe(b.rcvNxt, seg.seq) && seqLe(seg.seq, right);
  const inWnd = (x: number): boolean => seqLe(b.rcvNxt, x) && seqLt(x, right);
  return inWnd(seg.seq) || inWnd(seqAdd(end, -1));
}

/** Why this RST may not close connection b, or null when it may. */
function rstNotAcceptable(ctx: StepContext, b: Conn, seg: Segment): string | null {
  const p = ctx.before.profile;
  switch (b.state) {
    case 'SYN-SENT':
      if (!has(seg.flags, ACK)) return 'RST in SYN-SENT without ACK';
      if (seg.ack !== b.sndNxt) return `RST in SYN-SENT acknowledges ${rel(seg.ack, b.iss, 'iss')}, not our SYN (${rel(b.sndNxt, b.iss, 'iss')})`;
      return null;
    case 'SYN-RECEIVED':
      if (synRcvdRstAcceptable(ctx, b, seg)) return null;
      return `RST seq ${rel(seg.seq, b.irs, 'irs')} len ${seg.len} outside the SYN-RECEIVED window [RCV.NXT ${rel(b.rcvNxt, b.irs, 'irs')}, +${b.rcvWnd}]`;
    case 'TIME-WAIT':
      if (p.rfc1337) return `RST in TIME-WAIT with RFC 1337 protection on (profile ${p.name})`;
      return seg.seq === b.rcvNxt ? null : `RST seq ${rel(seg.seq, b.irs, 'irs')} ≠ RCV.NXT ${rel(b.rcvNxt, b.irs, 'irs')} in TIME-WAIT`;
    case 'ESTABLISHED':
    case 'FIN-WAIT-1':
    case 'FIN-WAIT-2':
    case 'CLOSE-WAIT':
    case 'CLOSING':
    case 'LAST-ACK': {
      if (seg.seq === b.rcvNxt) return null;
      // Linux tcp_input.c:tcp_reset_check: after the peer's FIN, RCV.NXT − 1 also resets.
      const linuxAfterFin = p.acceptability === 'linux' && (b.state === 'CLOSE-WAIT' || b.state === 'LAST-ACK' || b.state === 'CLOSING');
      if (linuxAfterFin && seg.seq === seqAdd(b.rcvNxt, -1)) return null;
      // Linux tcp_input.c:tcp_validate_incoming: an RST at the right edge of the highest SACK block
      // also resets (the peer's RST after data we hold out of order, e.g. CT-8 close with unread
      // data while its earlier segment was lost). Profile `rstAcceptsSackEdge`.
      if (p.rstAcceptsSackEdge && b.sackOk && b.ooo.length > 0 && seg.seq === maxSackEdge(b)) return null;
      return `RST seq ${rel(seg.seq, b.irs, 'irs')} ≠ RCV.NXT ${rel(b.rcvNxt, b.irs, 'irs')} in ${b.state} (RFC 5961 §3.2: only an exact match resets)`;
    }
    case 'CLOSED':
    case 'LISTEN':
      return null;
    default: {
      const never: never = b.state;
      return never;
    }
  }
}

function rstInput(ctx: StepContext): { b: Conn; seg: Extract<StepContext['input'], { kind: 'segment' }>['seg'] } | null {
  const inp = ctx.input;
  if (inp.kind !== 'segment' || inp.checksumOk === false || !has(inp.seg.flags, RST)) return null;
  const b = connOfInput(ctx.before, inp.src, inp.seg);
  if (b === null || b.state === 'CLOSED' || b.state === 'LISTEN') return null;
  return { b, seg: inp.seg };
}

export const rst3: StepInvariant = {
  kind: 'step',
  id: 'RST-3',
  title: 'An RST closes a connection only if acceptable: SYN-SENT needs our SYN acked; synchronized states need SEG.SEQ = RCV.NXT',
  rfc: 'RFC 5961 §3.2; RFC 9293 §3.10.7.3, §3.10.7.4; RFC 1337; tcp_input.c:tcp_validate_incoming, tcp_reset_check',
  behaviours: ['RS-2', 'RS-4', 'RS-3'],
  check(ctx) {
    const r = rstInput(ctx);
    if (r === null || !closedNow(ctx, r.b.id)) return null;
    const why = rstNotAcceptable(ctx, r.b, r.seg);
    return why === null ? null : violation(ctx, 'RST-3', r.b.id, `connection closed by an unacceptable RST: ${why}`);
  },
};

function challengeLimited(ctx: StepContext, b: Conn): boolean {
  const lim = ctx.before.profile.invalidRateLimit;
  return lim > 0 && b.lastOowAckAt !== null && ctx.now - b.lastOowAckAt < lim && ctx.now >= b.lastOowAckAt;
}

function sentChallengeAck(ctx: StepContext, id: number): boolean {
  for (const o of ctx.outputs) {
    if (o.kind !== 'segment' || has(o.seg.flags, RST) || !has(o.seg.flags, ACK)) continue;
    const c = connOfOutput(ctx.after, o);
    if (c !== null && c.id === id && o.seg.seq === c.sndNxt && o.seg.ack === c.rcvNxt) return true;
  }
  return false;
}

export const rst4: StepInvariant = {
  kind: 'step',
  id: 'RST-4',
  title: 'An in-window RST with SEG.SEQ ≠ RCV.NXT leaves the connection open and draws a (rate-limited) challenge ACK',
  rfc: 'RFC 5961 §3.2, §7; tcp_input.c:tcp_send_challenge_ack',
  behaviours: ['RS-2'],
  check(ctx) {
    const r = rstInput(ctx);
    if (r === null || !synchronized(r.b.state) || r.b.state === 'TIME-WAIT') return null;
    const b = r.b;
    if (r.seg.seq === b.rcvNxt || !seqInRange(r.seg.seq, b.rcvNxt, advertisedEdge(b))) return null;
    if (rstNotAcceptable(ctx, b, r.seg) === null) return null;
    if (closedNow(ctx, b.id)) return null; // RST-3 reports it
    if (challengeLimited(ctx, b) || sentChallengeAck(ctx, b.id)) return null;
    return violation(ctx, 'RST-4', b.id, `in-window RST seq ${rel(r.seg.seq, b.irs, 'irs')} (RCV.NXT ${rel(b.rcvNxt, b.irs, 'irs')}) got no challenge ACK`);
  },
};

export const rst5: StepInvariant = {
  kind: 'step',
  id: 'RST-5',
  title: 'No RST is ever sent in answer to an RST',
  rfc: 'RFC 9293 §3.10.7.1 ("an incoming segment containing a RST is discarded"), §3.5.2',
  behaviours: ['RS-3'],
  check(ctx) {
    const inp = ctx.input;
    if (inp.kind !== 'segment' || !has(inp.seg.flags, RST)) return null;
    for (const o of ctx.outputs) {
      if (o.kind === 'segment' && has(o.seg.flags, RST) && o.dst === inp.src && o.seg.dstPort === inp.seg.srcPort) {
        return violation(ctx, 'RST-5', null, `RST seq ${o.seg.seq} sent in answer to an RST seq ${inp.seg.seq}`);
      }
    }
    return null;
  },
};

function expectedErrno(ctx: StepContext, b: Conn): Errno {
  if (b.state === 'SYN-SENT') return 'ECONNREFUSED';
  // An active open reset in SYN-RECEIVED (simultaneous open): RFC 9293 §3.10.7.4 says "connection
  // refused"; Linux tcp_reset reports ECONNRESET. Profile `resetErrnoSynReceived`.
  if (b.state === 'SYN-RECEIVED' && b.activeOpen) return ctx.before.profile.resetErrnoSynReceived;
  if (b.state === 'CLOSE-WAIT') return ctx.before.profile.resetErrnoCloseWait;
  return 'ECONNRESET';
}

export const rst6: StepInvariant = {
  kind: 'step',
  id: 'RST-6',
  title: 'An accepted RST is reported to the application (ECONNREFUSED in SYN-SENT, the profile errno in CLOSE-WAIT and active SYN-RECEIVED, else ECONNRESET)',
  rfc: 'RFC 9293 §3.10.7.3, §3.10.7.4 (second: "user should receive connection reset"); tcp_input.c:tcp_reset',
  behaviours: ['RS-3', 'HS-11'],
  check(ctx): Violation | null {
    const r = rstInput(ctx);
    if (r === null || r.b.fd === null || !closedNow(ctx, r.b.id) || rstNotAcceptable(ctx, r.b, r.seg) !== null) return null;
    if (r.b.state === 'TIME-WAIT') return null;
    const want = expectedErrno(ctx, r.b);
    for (const o of ctx.outputs) if (o.kind === 'event' && o.fd === r.b.fd && o.event === 'error' && o.errno === want) return null;
    const c = connById(ctx.after, r.b.id);
    if (c !== null && c.error === want) return null;
    return violation(ctx, 'RST-6', r.b.id, `RST closed fd ${r.b.fd} in ${r.b.state} but ${want} was neither reported nor left pending (error ${c?.error ?? 'gone'})`);
  },
};

export const rst7: StepInvariant = {
  kind: 'step',
  id: 'RST-7',
  title: 'A SYN in a synchronized state (TIME-WAIT aside) does not reset the connection; it draws a challenge ACK',
  rfc: 'RFC 5961 §4; RFC 9293 §3.10.7.4 (fourth); tcp_input.c:tcp_validate_incoming',
  behaviours: ['RS-2'],
  check(ctx) {
    const inp = ctx.input;
    if (inp.kind !== 'segment' || inp.checksumOk === false || !has(inp.seg.flags, SYN) || has(inp.seg.flags, RST)) return null;
    const b = connOfInput(ctx.before, inp.src, inp.seg);
    if (b === null || !synchronized(b.state) || b.state === 'TIME-WAIT') return null;
    if (closedNow(ctx, b.id)) return violation(ctx, 'RST-7', b.id, `SYN seq ${rel(inp.seg.seq, b.irs, 'irs')} in ${b.state} closed the connection`);
    for (const o of ctx.outputs) {
      if (o.kind === 'segment' && has(o.seg.flags, RST) && connOfOutput(ctx.after, o)?.id === b.id) return violation(ctx, 'RST-7', b.id, `SYN in ${b.state} answered with RST`);
    }
    if (challengeLimited(ctx, b) || sentChallengeAck(ctx, b.id)) return null;
    return violation(ctx, 'RST-7', b.id, `SYN seq ${rel(inp.seg.seq, b.irs, 'irs')} in ${b.state} got no challenge ACK`);
  },
};

export const resetInvariants: readonly StepInvariant[] = [rst1, rst2, rst3, rst4, rst5, rst6, rst7];
