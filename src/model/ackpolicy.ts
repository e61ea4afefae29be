/**
 * When to acknowledge (DT-12, DT-13): delayed ACK with Linux's quick-ACK start, ATO estimation and
 * pingpong (interactive) mode. RFC 9293 §3.8.6.3 / RFC 1122 §4.2.3.2 allow delaying an ACK for less
 * than 0.5 s and require an ACK for at least every second full-sized segment; Linux refines it:
 *   tcp_input.c: tcp_event_data_recv, tcp_incr_quickack, tcp_enter_quickack_mode,
 *   tcp_measure_rcv_mss, __tcp_ack_snd_check; tcp_output.c: tcp_send_delayed_ack;
 *   tcp_timer.c: tcp_delack_timer_handler.
 */
import { seqDist } from '../wire/seq.js';
import type { Ctx } from './ctx.js';
import { roundTimer } from './ctx.js';
import type { Conn, MConn } from './types.js';
import { sendAck } from './emit.js';
import { computeWindow, setWindowClamp, winFromSpace } from './window.js';

/** tcp_incr_quickack: grant quick-ACK credits (≈ half a window of segments, at most `max`). */
export function incrQuickAck(c: MConn, max: number): void {
  if (max <= 0) return;
  let q = Math.floor(c.rcvWnd / (2 * Math.max(1, c.rcvMss)));
  if (q === 0) q = 2;
  q = Math.min(q, max);
  if (q > c.quickAcks) c.quickAcks = q;
}

/** tcp_enter_quickack_mode: ACK the next segments at once (after a duplicate or out-of-window segment). */
export function enterQuickAck(ctx: Ctx, c: MConn): void {
  incrQuickAck(c, ctx.profile.maxQuickAcks);
  c.pingpong = 0;
  c.ato = ctx.profile.atoMin;
}

export function inPingpong(ctx: Ctx, c: Conn): boolean {
  return c.pingpong >= ctx.profile.pingpongThresh;
}

/** tcp_in_quickack_mode. */
export function inQuickAck(ctx: Ctx, c: Conn): boolean {
  return c.quickAcks > 0 && !inPingpong(ctx, c);
}

/**
 * tcp_measure_rcv_mss: learn the peer's segment size from what arrives; when it changes, the
 * scaling ratio follows len / truesize and the window clamp follows the buffer (6.10+).
 */
export function measureRcvMss(ctx: Ctx, c: MConn, len: number, truesize: number): void {
  if (len >= c.rcvMss) {
    if (len !== c.rcvMss && ctx.profile.rcvSkb.headroom > 0) {
      const ratio = Math.max(1, Math.min(255, Math.floor((len * 256) / truesize)));
      if (ratio !== c.scalingRatio) {
        c.scalingRatio = ratio;
        setWindowClamp(c, ctx.profile, winFromSpace(c, c.rcvBuf));
      }
    }
    c.rcvMss = Math.min(len, c.advMss);
  } else {
    c.ackPushed = true;
  }
}

/** tcp_event_data_recv: in-order data was queued; an ACK is owed; ATO and quick-ACK bookkeeping. */
export function dataReceived(ctx: Ctx, c: MConn, len: number, truesize: number): void {
  const p = ctx.profile;
  c.ackPending = true;
  measureRcvMss(ctx, c, len, truesize);
  if (c.ato === 0) {
    // The first data segment starts the delayed-ACK engine in quick-ACK mode.
    incrQuickAck(c, p.maxQuickAcks);
    c.ato = p.atoMin;
  } else {
    const m = ctx.now - c.lastRcvAt;
    if (m <= p.atoMin / 2) {
      c.ato = c.ato / 2 + p.atoMin / 2;
    } else if (m < c.ato) {
      c.ato = c.ato / 2 + m;
      if (c.ato > c.rto) c.ato = c.rto;
    } else if (m > c.rto) {
      // A long gap: the sender probably lost its window; ACK quickly again.
      incrQuickAck(c, p.maxQuickAcks);
    }
  }
  c.lastRcvAt = ctx.now;
}

/** tcp_send_delayed_ack: arm (or keep) the delayed-ACK timer. */
export function scheduleDelayedAck(ctx: Ctx, c: MConn): void {
  const p = ctx.profile;
  let ato = c.ato;
  if (ato > p.delAckMin) {
    let maxAto = 500_000; // HZ/2
    if (inPingpong(ctx, c) || c.ackPushed) maxAto = p.delAckMax;
    if (c.srtt > 0) {
      const rtt = Math.max(c.srtt, p.delAckMin);
      if (rtt < maxAto) maxAto = rtt;
    }
    ato = Math.min(ato, maxAto);
  }
  ato = roundTimer(p, Math.min(ato, p.delAckMax));
  // ato 0 (no data received yet, e.g. the ACK of a FIN in pingpong mode): the timer is armed for
  // the current jiffy and fires at the next tick, never at once (tcp_output.c:tcp_send_delayed_ack,
  // timeout = jiffies + ato; observed 0.2–7.6 ms on 6.18.44 at HZ=250: one jiffy is the midpoint).
  if (ato < p.timerGranularity) ato = p.timerGranularity;
  let timeout = ctx.now + ato;
  if (c.delayedAckAt !== null) {
    // About to expire anyway: send now. A timer armed with ato 0 expired nominally at once (it
    // only fires at the next tick), so a second check while it is pending always sends now.
    if (c.delayedAckAt <= ctx.now + ato / 4 || c.ato === 0) {
      sendAck(ctx, c);
      return;
    }
    if (!(timeout < c.delayedAckAt)) timeout = c.delayedAckAt;
  }
  c.ackPending = true;
  c.delayedAckAt = timeout;
}

/** __tcp_ack_snd_check: send the owed ACK now or delay it. */
export function ackSndCheck(ctx: Ctx, c: MConn): void {
  if (!c.ackPending) return;
  const moreThanOneSegment = seqDist(c.rcvWup, c.rcvNxt) > c.rcvMss && computeWindow(c, ctx.profile) >= c.rcvWnd;
  if (moreThanOneSegment || inQuickAck(ctx, c) || c.ackNow) {
    sendAck(ctx, c);
    return;
  }
  if (c.ooo.length > 0 && ctx.profile.ackOutOfOrderAtOnce) {
    sendAck(ctx, c);
    return;
  }
  scheduleDelayedAck(ctx, c);
}

/** tcp_delack_timer_handler: the delayed ACK is due. */
export function delayedAckTimer(ctx: Ctx, c: MConn): void {
  c.delayedAckAt = null;
  if (!c.ackPending) return;
  if (!inPingpong(ctx, c)) {
    c.ato = Math.min(c.ato * 2, c.rto);
  } else {
    // Delayed ACK missed in interactive mode: leave pingpong (linux-reference.md §7).
    c.pingpong = 0;
    c.ato = ctx.profile.atoMin;
  }
  sendAck(ctx, c);
}
