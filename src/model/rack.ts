/**
 * RACK loss detection (RFC 8985 §6; Linux tcp_recovery.c: tcp_rack_advance, tcp_rack_reo_wnd,
 * tcp_rack_detect_loss, tcp_rack_mark_lost, tcp_rack_reo_timeout; profile field `rack`, sysctl
 * tcp_recovery bit 0) for SACK connections of the Linux algorithm (fastRecovery 'prr').
 *
 * Every ACK that delivers a record (cumulatively or by SACK) remembers the send time and end of the
 * most recently sent delivered record (rack.mstamp, rack.end_seq) and that delivery's RTT
 * (rack.rtt); a retransmission delivered faster than the minimum RTT is ambiguous and ignored. A
 * record sent before rack.mstamp and neither SACKed nor already marked lost (and not waiting for
 * its retransmission) is lost once rack.rtt + reo_wnd has passed since it was sent; otherwise the
 * reordering timer is armed for the earliest such moment (+ TCP_TIMEOUT_MIN_US, 2 ms, in jiffies). reo_wnd is 0
 * in Recovery/Loss and once dupThresh records are SACKed (no reordering seen), else
 * min(min_rtt / 4, srtt). When the timer fires, newly lost records start Recovery (PRR with
 * one delivered packet) and are retransmitted. With RACK, loss is only what RACK (or an RTO)
 * marked: the dupThresh count no longer starts recovery by itself (tcp_time_to_recover), and an
 * RTO does not mark records sent within the last rack.rtt + reo_wnd (tcp_timeout_mark_lost).
 *
 * Not modelled: reordering detection (tp->reord_seen, so reo_wnd never widens), D-SACK driven
 * reo_wnd_steps, the spurious-retransmission check on cumulatively acknowledged records.
 */
import { seqAdd, seqGt } from '../wire/seq.js';
import type { Micros } from './api.js';
import type { Ctx } from './ctx.js';
import { note, roundTimer } from './ctx.js';
import type { MConn, SentSegment } from './types.js';
import type { Profile } from './profile-type.js';
import { setCc } from './congestion.js';

/** TCP_TIMEOUT_MIN_US: added to the reordering timeout (tcp_rack_mark_lost). */
const TIMEOUT_MIN_US = 2000;

/**
 * When the reordering timer fires: the timeout (+ TCP_TIMEOUT_MIN_US) in whole jiffies, and a
 * level-0 kernel timer then runs on the tick after its expiry jiffy, i.e. between 0 and one jiffy
 * later depending on the clock's phase — the model takes the midpoint (recorded on 6.18.44: 4.9,
 * 7.2 and 7.3 ms after the ACK for a 2.25 ms timeout, i.e. one jiffy + 0..4 ms).
 */
function reoDeadline(ctx: Ctx, timeout: Micros): Micros {
  const g = ctx.profile.timerGranularity;
  return ctx.now + roundTimer(ctx.profile, timeout + TIMEOUT_MIN_US) + (g > 1 ? g >> 1 : 0);
}

export function rackOn(p: Profile, c: MConn): boolean {
  return p.rack && c.sackOk && p.fastRecovery === 'prr';
}

/** tcp_skb_sent_after: t1 later than t2, or the same time and a higher end sequence. */
function sentAfter(t1: Micros, t2: Micros, seq1: number, seq2: number): boolean {
  return t1 > t2 || (t1 === t2 && seqGt(seq1, seq2));
}

/** tcp_rack_advance for one delivered record. */
export function rackAdvance(c: MConn, r: SentSegment, now: Micros): void {
  const rtt = now - r.sentAt;
  if (r.retransmitted && c.minRtt > 0 && rtt < c.minRtt) return; // ambiguous: likely the original's delivery
  const end = seqAdd(r.seq, r.len);
  const s = c.cc;
  const newer = s.rackMstamp === null || sentAfter(r.sentAt, s.rackMstamp, end, s.rackEndSeq);
  setCc(c, newer ? { rackAdvanced: true, rackRtt: rtt, rackMstamp: r.sentAt, rackEndSeq: end } : { rackAdvanced: true, rackRtt: rtt });
}

/** Before the cumulative ACK removes them: advance RACK over the records it delivers (not SACKed before). */
export function rackOnCumAck(ctx: Ctx, c: MConn, ack: number): void {
  if (!rackOn(ctx.profile, c)) return;
  for (const r of c.sent) {
    if (seqGt(seqAdd(r.seq, r.len), ack)) break;
    if (r.sacked !== true) rackAdvance(c, r, ctx.now);
  }
}

/** tcp_rack_reo_wnd. */
function reoWnd(c: MConn, p: Profile): Micros {
  const s = c.cc;
  if (s.caState === 'recovery' || s.caState === 'loss') return 0;
  if (s.sackedOut >= p.dupThresh) return 0;
  return Math.min(c.minRtt >> 2, c.srtt); // min_rtt/4 · reo_wnd_steps (1), capped by srtt (srtt_us >> 3)
}

/** Time left before record `r` counts as lost (tcp_rack_skb_timeout). */
function remaining(c: MConn, r: SentSegment, reo: Micros, now: Micros): Micros {
  return c.cc.rackRtt + reo - (now - r.sentAt);
}

/** tcp_rack_detect_loss: mark what is due lost; returns the earliest remaining time (0 = none). */
function detectLoss(ctx: Ctx, c: MConn): { lost: number; timeout: Micros } {
  const s = c.cc;
  if (s.rackMstamp === null) return { lost: 0, timeout: 0 };
  const reo = reoWnd(c, ctx.profile);
  let timeout = 0;
  let lost = 0;
  let copy: SentSegment[] | null = null;
  for (let i = 0; i < c.sent.length; i++) {
    const r = c.sent[i]!;
    if (r.sacked === true || r.lost) continue;
    if (!sentAfter(s.rackMstamp, r.sentAt, s.rackEndSeq, seqAdd(r.seq, r.len))) continue;
    const left = remaining(c, r, reo, ctx.now);
    if (left <= 0) {
      if (copy === null) copy = c.sent.slice();
      copy[i] = { ...r, lost: true };
      lost++;
    } else if (left > timeout) {
      timeout = left;
    }
  }
  if (copy !== null) {
    c.sent = copy;
    note(ctx, c, 'DT-7/rack-lost', `RACK: ${lost} segment(s) sent before the last delivered one and older than rtt ${s.rackRtt} µs + reo_wnd ${reo} µs marked lost`);
  }
  return { lost, timeout };
}

/** tcp_rack_mark_lost on an ACK: detect, and arm the reordering timer for what is not yet due. */
export function rackMarkLost(ctx: Ctx, c: MConn): number {
  if (!c.cc.rackAdvanced) return 0;
  setCc(c, { rackAdvanced: false });
  const r = detectLoss(ctx, c);
  if (r.timeout > 0) setCc(c, { rackReoAt: reoDeadline(ctx, r.timeout) });
  return r.lost;
}

/** tcp_timeout_mark_lost with RACK: records sent too recently to be judged are not marked at an RTO. */
export function rtoSpares(ctx: Ctx, c: MConn, r: SentSegment, isHead: boolean): boolean {
  if (!rackOn(ctx.profile, c) || isHead || c.cc.rackMstamp === null) return false;
  return remaining(c, r, 0, ctx.now) > 0;
}

/**
 * tcp_rack_reo_timeout: the reordering timer fired. Returns true when records became lost (the
 * caller enters Recovery and retransmits).
 */
export function rackReoTimeout(ctx: Ctx, c: MConn): boolean {
  setCc(c, { rackReoAt: null });
  if (!rackOn(ctx.profile, c) || c.sent.length === 0) return false;
  const r = detectLoss(ctx, c);
  if (r.timeout > 0) setCc(c, { rackReoAt: reoDeadline(ctx, r.timeout) });
  return r.lost > 0;
}
