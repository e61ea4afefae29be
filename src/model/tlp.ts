/**
 * Tail loss probe (RFC 8985 §7; Linux tcp_output.c:tcp_schedule_loss_probe, tcp_send_loss_probe,
 * tcp_input.c:tcp_process_tlp_ack). Part of the retransmission timer's story (DT-5): on a SACK
 * connection in the Open state, Linux arms a probe timeout (PTO) of 2·SRTT plus rto_min when a
 * single packet is out (2 ms otherwise), never later than the RTO would fire. When it fires, one
 * new segment goes out if the window allows, else the last outstanding segment is retransmitted;
 * then the RTO is re-armed a full RTO from now. At most one probe is outstanding (tlp_high_seq =
 * SND.NXT) until an ACK reaches it or an RTO happens. A probe does not start the retries2 time
 * budget (only tcp_retransmit_skb sets retrans_stamp), and the retransmitted segment gives no RTT
 * sample (Karn).
 *
 * Approximations: the CWR cwnd reduction after a probe that repaired a loss
 * (tcp_process_tlp_ack → tcp_init_cwnd_reduction) is not modelled; the probe's new data is one
 * MSS of the head chunk and, unlike Linux, only when cwnd has room (else the last segment goes);
 * the timer fires one jiffy after its expiry like a level-0 kernel timer.
 */
import { ACK, FIN, SYN } from '../wire/types.js';
import { seqAdd, seqDist, seqGe, seqGt, seqLe, seqLt } from '../wire/seq.js';
import type { Ctx } from './ctx.js';
import { note, roundTimer } from './ctx.js';
import type { MConn } from './types.js';
import { sendSegment } from './emit.js';
import { effectiveMss } from './output.js';
import { sendNewData } from './persist.js';
import { packetsInFlight } from './congestion.js';

/** TCP_TIMEOUT_MIN_US: the PTO's allowance when more than one packet is out. */
const TIMEOUT_MIN_US = 2000;

function eligible(ctx: Ctx, c: MConn): boolean {
  return ctx.profile.tlp && c.sackOk && c.cc.caState === 'open' && c.sent.length > 0 && c.retransmitAt !== null;
}

/**
 * tcp_schedule_loss_probe. `advancingRto`: called for an ACK that re-armed the RTO a full RTO from
 * now (tcp_set_xmit_timer), else after new data went out.
 */
export function scheduleLossProbe(ctx: Ctx, c: MConn, advancingRto: boolean): void {
  if (!eligible(ctx, c)) {
    c.tlpAt = null;
    return;
  }
  const p = ctx.profile;
  let timeout: number;
  if (c.srtt > 0) {
    const pto = Math.floor((c.srtt * 8) / 4) + (c.sent.length === 1 ? p.rtoMin : TIMEOUT_MIN_US);
    timeout = roundTimer(p, pto);
  } else {
    timeout = p.initialRto;
  }
  const rtoDelta = advancingRto ? c.rto : c.retransmitAt! - ctx.now;
  if (rtoDelta > 0) timeout = Math.min(timeout, roundTimer(p, rtoDelta));
  // The kernel timer wheel never fires early: a level-0 timer runs one tick after its expiry jiffy
  // (kernel/time/timer.c:calc_index), which decides the probe's race against a returning ACK.
  // The probe holds the RTO's slot: when the RTO would come first the probe goes at its time.
  c.tlpAt = Math.min(ctx.now + timeout + (p.timerGranularity > 1 ? p.timerGranularity : 0), c.retransmitAt!);
}

/**
 * tcp_process_tlp_ack: the probe episode ends when an ACK reaches a new-data probe, passes a
 * retransmitted probe's SND.NXT, or is a pure duplicate (original and probe both arrived).
 */
function processTlpAck(c: MConn, ack: number, advanced: boolean, duplicate: boolean): void {
  const high = c.tlpHighSeq;
  if (high === null || !seqGe(ack, high)) return;
  if (!c.tlpRetrans || seqGt(ack, high) || (!advanced && duplicate)) c.tlpHighSeq = null;
}

/** After an ACK was processed: end an answered probe, re-schedule or stop the probe timer. */
export function tlpOnAck(ctx: Ctx, c: MConn, ack: number, advanced: boolean, duplicate: boolean): void {
  processTlpAck(c, ack, advanced, duplicate);
  if (c.sent.length === 0) {
    c.tlpAt = null;
    return;
  }
  if (advanced) scheduleLossProbe(ctx, c, true);
}

/** tcp_send_loss_probe. */
export function lossProbe(ctx: Ctx, c: MConn): void {
  c.tlpAt = null;
  if (c.sent.length === 0 || c.state === 'CLOSED') return;
  if (c.tlpHighSeq !== null) return; // one probe at a time: the RTO stays as armed
  // Entering recovery re-arms the RTO in the same kernel timer slot (tcp_xmit_retransmit_queue).
  if (c.cc.caState !== 'open') return;
  const p = ctx.profile;
  const mss = effectiveMss(c, p);
  const chunk = c.sendQueue[0];
  const wndEnd = seqAdd(c.sndUna, c.sndWnd);
  // Linux forces the new segment out even when cwnd is full (tcp_write_xmit push_one = 2); the
  // model keeps new data within cwnd (invariant WIN-2) and probes with the last segment instead.
  if (chunk !== undefined && packetsInFlight(c) < c.cwnd) {
    const len = seqDist(c.sndNxt, chunk.end);
    const n = Math.min(len, mss);
    if (n > 0 && seqLe(seqAdd(c.sndNxt, n), wndEnd)) {
      note(ctx, c, 'DT-5/tlp', `tail loss probe: new data ${c.sndNxt}..${seqAdd(c.sndNxt, n)}`);
      sendNewData(ctx, c, n, n === len, n === len && chunk.psh);
      return finish(ctx, c, false);
    }
  }
  const i = c.sent.length - 1;
  const r = c.sent[i]!;
  // __tcp_retransmit_skb: nothing beyond the peer's window except the head.
  if (!seqLt(r.seq, wndEnd) && r.seq !== c.sndUna) return;
  const dataLen = Math.max(0, r.len - ((r.flags & FIN) !== 0 ? 1 : 0) - ((r.flags & SYN) !== 0 ? 1 : 0));
  note(ctx, c, 'DT-5/tlp', `tail loss probe: retransmit the last segment ${r.seq}`);
  const sent = c.sent.slice();
  if (dataLen > mss && (r.flags & SYN) === 0) {
    // The MSS may have shrunk since the segment first went out (SACK blocks now ride on it):
    // __tcp_retransmit_skb fragments to tcp_current_mss and sends the first part; the rest, with
    // FIN/PSH, stays queued (OPT-4; as retransmitHead in recovery.ts).
    sendSegment(ctx, c, ACK, r.seq, mss);
    sent.splice(i, 1,
      { seq: r.seq, len: mss, flags: ACK, sentAt: ctx.now, retransmitted: true, lost: false },
      { ...r, seq: seqAdd(r.seq, mss), len: r.len - mss });
  } else {
    sendSegment(ctx, c, r.flags | ACK, r.seq, dataLen);
    sent[i] = { ...r, sentAt: ctx.now, retransmitted: true, lost: false };
  }
  c.sent = sent;
  finish(ctx, c, true);
}

function finish(ctx: Ctx, c: MConn, retrans: boolean): void {
  c.tlpHighSeq = c.sndNxt;
  c.tlpRetrans = retrans;
  c.retransmitAt = ctx.now + c.rto; // tcp_rearm_rto from now
}
