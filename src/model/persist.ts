/**
 * The persist timer (FC-4): data waits on a window too small to send into and nothing is in flight,
 * so no ACK will ever come to reopen it unless we ask (RFC 9293 §3.8.6.1, RFC 1122 §4.2.2.17).
 *
 * Linux (tcp_output.c:tcp_check_probe_timer, tcp_send_probe0, tcp_write_wakeup,
 * tcp_xmit_probe_skb; tcp_timer.c:tcp_probe_timer; tcp_input.c:tcp_ack_probe):
 * - armed when a transmit attempt leaves data queued with nothing out, at
 *   base = max(RTO, TCP_RTO_MIN);
 * - each expiry sends a probe — a zero-length ACK with seq SND.UNA − 1 when the window is closed,
 *   or, when it is open but too small for the sender's rules, min(window, MSS) bytes of new data
 *   with PSH (which then rides the retransmission timer) — and backs off: base << backoff, capped
 *   at RTO max;
 * - every acceptable ACK clears the unanswered-probe count (tcp_ack: icsk_probes_out = 0); an ACK
 *   that does not open the window re-arms the timer with the current backoff, one that does cancels
 *   it and the data goes;
 * - gives up (silently, ETIMEDOUT) after tcp_retries2 unanswered probes (orphans: orphan retries),
 *   or once TCP_USER_TIMEOUT has passed since the first unanswered probe.
 * The `one-byte` profile style (RFC 9293 §3.8.6.1) sends one byte of new data beyond the window as
 * the probe; it is then retransmitted by the retransmission timer, which never gives up on a zero
 * window while the peer keeps answering (tcp_rtx_probe0_timed_out).
 */
import { ACK, PSH } from '../wire/types.js';
import { seqAdd, seqDist, seqLe, seqLt } from '../wire/seq.js';
import type { Micros } from './api.js';
import type { Ctx } from './ctx.js';
import { note, roundTimer } from './ctx.js';
import type { MConn } from './types.js';
import type { Profile } from './profile-type.js';
import { sendSegment } from './emit.js';
import { effectiveMss } from './output.js';
import { giveUp, retryBoundary } from './giveup.js';

const MS = 1000;

/** States whose data the persist timer may probe for. */
function probing(c: MConn): boolean {
  return c.state === 'ESTABLISHED' || c.state === 'CLOSE-WAIT' || c.state === 'FIN-WAIT-1' || c.state === 'LAST-ACK' || c.state === 'CLOSING';
}

/** Unsent data or an unsent FIN (Linux: the write queue is not empty). */
export function hasUnsent(c: MConn): boolean {
  return c.sendQueue.length > 0 || (c.finSeq !== null && seqLe(c.sndNxt, c.finSeq));
}

/** tcp_probe0_base: max(RTO, TCP_RTO_MIN). */
export function probe0Base(c: MConn, p: Profile): Micros {
  return Math.max(c.rto, p.retriesRtoBase);
}

/** tcp_probe0_when: base << backoff (the shift itself bounded), at most RTO max. */
export function probe0When(c: MConn, p: Profile): Micros {
  const base = probe0Base(c, p);
  const shift = Math.min(Math.floor(Math.log2(Math.max(1, p.rtoMax / base))) + 1, c.probeBackoff);
  return Math.min(base * 2 ** shift, p.rtoMax);
}

/** tcp_clamp_probe0_to_user_timeout. */
function clampProbe(c: MConn, now: Micros, when: Micros, p: Profile): Micros {
  if (c.userTimeout === 0 || c.probesStamp === null) return when;
  const remaining = c.userTimeout * MS - (now - c.probesStamp);
  return Math.max(Math.min(when, remaining), p.timerGranularity);
}

function arm(ctx: Ctx, c: MConn, when: Micros): void {
  c.persistAt = ctx.now + roundTimer(ctx.profile, Math.min(when, ctx.profile.rtoMax));
}

function stop(c: MConn): void {
  c.persistAt = null;
  c.probeBackoff = 0;
  c.probesStamp = null;
}

/**
 * After a transmit attempt (tcp_push_pending_frames → tcp_check_probe_timer): arm the persist timer
 * when data is stuck with nothing out; data in flight means the retransmission timer owns the slot.
 */
export function checkProbeTimer(ctx: Ctx, c: MConn): void {
  if (c.sent.length > 0 || !probing(c) || !hasUnsent(c)) {
    if (c.persistAt !== null) stop(c);
    return;
  }
  if (c.persistAt === null && c.retransmitAt === null) {
    note(ctx, c, 'FC-4/persist-armed', `data waits on the peer window (${c.sndWnd} bytes) with nothing in flight: persist timer`);
    arm(ctx, c, probe0Base(c, ctx.profile));
  }
}

/** tcp_ack_probe: an acceptable ACK while probing (call after the window update). */
export function ackWhileProbing(ctx: Ctx, c: MConn): void {
  if (c.persistAt === null || c.sent.length > 0 || !hasUnsent(c)) return;
  const p = ctx.profile;
  const mss = effectiveMss(c, p);
  const chunk = c.sendQueue[0];
  const end = chunk === undefined ? seqAdd(c.sndNxt, 1) : seqAdd(c.sndNxt, Math.min(seqDist(c.sndNxt, chunk.end), mss));
  if (seqLe(end, seqAdd(c.sndUna, c.sndWnd))) {
    stop(c); // the window opened: the data goes (tcp_data_snd_check)
    return;
  }
  arm(ctx, c, clampProbe(c, ctx.now, probe0When(c, p), p));
}

/** tcp_probe_timer. */
export function persistTimer(ctx: Ctx, c: MConn): void {
  const p = ctx.profile;
  c.persistAt = null;
  if (c.sent.length > 0 || !probing(c) || !hasUnsent(c)) {
    c.probesOut = 0;
    c.probesStamp = null;
    return;
  }
  if (c.probesStamp === null) {
    c.probesStamp = ctx.now;
  } else if (c.userTimeout > 0 && ctx.now - c.probesStamp >= c.userTimeout * MS) {
    giveUp(ctx, c, `zero-window probes unanswered for TCP_USER_TIMEOUT ${c.userTimeout} ms`);
    return;
  }
  let maxProbes = p.retries2;
  if (c.fd === null) {
    const alive = Math.min(c.rto * 2 ** c.probeBackoff, p.rtoMax) < p.rtoMax;
    maxProbes = retryBoundary(c, p);
    if (!alive && c.probeBackoff >= maxProbes) {
      giveUp(ctx, c, `orphan: ${c.probeBackoff} zero-window probes`);
      return;
    }
  }
  if (c.probesOut >= maxProbes) {
    giveUp(ctx, c, `${c.probesOut} zero-window probes unanswered`);
    return;
  }
  sendProbe0(ctx, c);
}

/** tcp_send_probe0. */
function sendProbe0(ctx: Ctx, c: MConn): void {
  const p = ctx.profile;
  writeWakeup(ctx, c);
  if (c.sent.length > 0 || !hasUnsent(c)) {
    c.probesOut = 0;
    stop(c);
    return;
  }
  c.probesOut++;
  if (c.probeBackoff < p.retries2) c.probeBackoff++;
  arm(ctx, c, clampProbe(c, ctx.now, probe0When(c, p), p));
}

/**
 * tcp_write_wakeup: new data if the window has room (a partial segment with PSH), else a probe.
 * Also the keepalive probe (queue empty → the zero-length ACK at SND.UNA − 1).
 */
export function writeWakeup(ctx: Ctx, c: MConn, rule = 'FC-4/probe'): void {
  const p = ctx.profile;
  const wndEnd = seqAdd(c.sndUna, c.sndWnd);
  const chunk = c.sendQueue[0];
  if (chunk !== undefined && seqLt(c.sndNxt, wndEnd)) {
    const mss = effectiveMss(c, p);
    const len = seqDist(c.sndNxt, chunk.end);
    const room = seqDist(c.sndNxt, wndEnd);
    const n = Math.min(len, room, mss);
    note(ctx, c, 'FC-4/probe-data', `window probe with data: ${n} bytes into a ${room}-byte window`);
    sendNewData(ctx, c, n, n === len);
    return;
  }
  if (chunk !== undefined && p.persistProbe === 'one-byte') {
    note(ctx, c, 'FC-4/probe-one-byte', 'zero-window probe: one byte beyond the window (RFC 9293 §3.8.6.1)');
    sendNewData(ctx, c, 1, seqDist(c.sndNxt, chunk.end) === 1);
    return;
  }
  // tcp_xmit_probe_skb: an old sequence number makes the peer answer with an ACK.
  note(ctx, c, rule, `probe: ACK with seq SND.UNA − 1 (${seqAdd(c.sndUna, -1)})`);
  sendSegment(ctx, c, ACK, seqAdd(c.sndUna, -1), 0);
}

/** Send `n` bytes of the head chunk as a new segment, with PSH unless told otherwise (tcp_write_wakeup → tcp_transmit_skb). */
export function sendNewData(ctx: Ctx, c: MConn, n: number, wholeChunk: boolean, psh = true): void {
  const start = c.sndNxt;
  const flags = psh ? ACK | PSH : ACK;
  sendSegment(ctx, c, flags, start, n);
  c.sent = [...c.sent, { seq: start, len: n, flags, sentAt: ctx.now, retransmitted: false, lost: false }];
  c.sndNxt = seqAdd(start, n);
  c.sndSml = c.sndNxt;
  if (seqLt(c.pushedSeq, c.sndNxt)) c.pushedSeq = c.sndNxt;
  if (wholeChunk) c.sendQueue = c.sendQueue.slice(1);
  c.persistAt = null;
  if (c.retransmitAt === null) c.retransmitAt = ctx.now + c.rto;
}
