/**
 * Fast retransmit and fast recovery (DT-6, CC-5), run on every acceptable ACK after SND.UNA moved
 * (arrival.ts processAck). Two algorithms, chosen by profile `fastRecovery`:
 *
 * - 'prr' — Linux reno (tcp_input.c:tcp_ack → tcp_fastretrans_alert → tcp_cong_control) without
 *   RACK/TLP: duplicate ACKs are counted as delivered packets (reno sacked_out, tcp_add_reno_sack);
 *   once `dupThresh` (tcp_reordering) of them arrived the head is marked lost
 *   (tcp_newreno_mark_lost) and Recovery begins (tcp_enter_recovery: high_seq = SND.NXT,
 *   ssthresh = max(cwnd/2, 2)); cwnd then follows Proportional Rate Reduction (RFC 6937,
 *   tcp_cwnd_reduction); a partial ACK marks the new head lost; Recovery ends when SND.UNA passes
 *   high_seq, with cwnd = ssthresh (tcp_end_cwnd_reduction) — without SACK an ACK exactly at high_seq
 *   holds Recovery (tcp_try_undo_recovery, RFC 6582 §4 false-retransmit guard).
 * - 'newreno' — RFC 5681 §3.2 with RFC 6582: on the DupThresh-th duplicate ACK whose ACK covers more
 *   than `recover`, ssthresh = max(FlightSize/2, 2), retransmit the first unacknowledged segment,
 *   cwnd = ssthresh + 3; each further duplicate ACK inflates cwnd by one; a partial ACK retransmits
 *   the next hole and deflates cwnd by the packets it acknowledged (adding one back); a full ACK
 *   sets cwnd = min(ssthresh, max(FlightSize, 1) + 1) (RFC 6582 §3.2 step 3, option 1) and ends recovery.
 *
 * With SACK negotiated and profile `sackRecovery` (linux), dup ACKs are replaced by the scoreboard
 * (sack-scoreboard.ts): SACKed records leave the flight, holes with ≥ dupThresh SACKed records
 * above them are marked lost (tcp_update_scoreboard, RACK off), PRR paces their retransmission,
 * and Recovery ends as soon as SND.UNA reaches high_seq.
 *
 * Outside recovery (and in Loss after an RTO) an ACK of new data grows cwnd (congestion.ts).
 * Not modelled: undo (tcp_try_undo_*: D-SACK / timestamp evidence; the recorded dt-peer-dsack-undo
 * cannot tell), RACK loss detection (tcp_recovery — the recorded default has it on; TLP is tlp.ts),
 * F-RTO, SACK reneging, Linux raising tp->reordering on
 * reordering evidence (tcp_check_reno_reordering), RFC 3042 limited transmit for `rfc9293`.
 */
import { ACK, FIN, SYN } from '../wire/types.js';
import { seqAdd, seqGe, seqGt } from '../wire/seq.js';
import type { Ctx } from './ctx.js';
import { note } from './ctx.js';
import type { MConn, SentSegment } from './types.js';
import type { Profile } from './profile-type.js';
import { sendSegment } from './emit.js';
import { effectiveMss } from './output.js';
import { growCwnd, packetsInFlight, packetsOut, setCc } from './congestion.js';
import { markLostBySack, sackedCount } from './sack-scoreboard.js';

/** What processAck learnt from one acceptable ACK. */
export interface AckInfo {
  /** SND.UNA before the ACK. */
  readonly prevUna: number;
  /** Records of the retransmission queue fully acknowledged (the SYN not counted). */
  readonly ackedPackets: number;
  /**
   * A duplicate ACK: SEG.ACK = SND.UNA with data outstanding, no data or SYN/FIN in the segment,
   * and no window update (RFC 5681 §2 "DUPLICATE ACKNOWLEDGMENT"; Linux: not FLAG_NOT_DUP).
   */
  readonly duplicate: boolean;
  /** The SACK scoreboard is in use (SACK negotiated and profile sackRecovery). */
  readonly scoreboard: boolean;
  /** Records newly SACKed by this ACK, and SACKed records its cumulative ACK removed. */
  readonly newlySacked: number;
  readonly ackedSacked: number;
}

export function onAck(ctx: Ctx, c: MConn, info: AckInfo): void {
  const p = ctx.profile;
  switch (p.fastRecovery) {
    case 'prr':
      linuxAck(ctx, c, p, info);
      return;
    case 'newreno':
      newRenoAck(ctx, c, p, info);
      return;
    default: {
      const never: never = p.fastRecovery;
      void never;
    }
  }
}

// ── Linux reno + PRR ───────────────────────────────────────────────────────────────────────────

function anyLost(c: MConn): number {
  let n = 0;
  for (const s of c.sent) if (s.lost) n++;
  return n;
}

/** tcp_add_reno_sack (with tcp_limit_reno_sacked): count dup ACKs as delivered, at most packets_out − holes. */
function addRenoSack(c: MConn, numDup: number): number {
  if (numDup <= 0) return 0;
  const prior = c.cc.sackedOut;
  let sacked = prior + numDup;
  const out = packetsOut(c);
  const holes = Math.min(Math.max(anyLost(c), 1), out);
  if (sacked + holes > out) sacked = Math.max(0, out - holes);
  setCc(c, { sackedOut: sacked });
  return Math.max(0, sacked - prior);
}

/** Mark the head of the retransmission queue lost (tcp_newreno_mark_lost → tcp_mark_skb_lost). Returns 1 when newly marked. */
function markHeadLost(ctx: Ctx, c: MConn): number {
  const head = c.sent[0];
  if (head === undefined || head.lost) return 0;
  // Linux keeps TCPCB_LOST on a retransmitted segment; the model clears `lost` on retransmission,
  // so a head already retransmitted in this recovery episode is not marked again.
  if (head.retransmitted && c.cc.caState === 'recovery' && seqGe(c.cc.highSeq, seqAdd(head.seq, head.len))) return 0;
  const copy = c.sent.slice();
  copy[0] = { ...head, lost: true };
  c.sent = copy;
  note(ctx, c, 'DT-6/mark-lost', `head ${head.seq} marked lost (dup ACKs ${c.cc.sackedOut}, state ${c.cc.caState})`);
  return 1;
}

/** tcp_enter_recovery → tcp_init_cwnd_reduction. */
function enterRecovery(ctx: Ctx, c: MConn, p: Profile): void {
  const ssthresh = recoverySsthresh(c, p);
  setCc(c, { caState: 'recovery', highSeq: c.sndNxt, cwndCnt: 0, priorCwnd: c.cwnd, prrDelivered: 0, prrOut: 0 });
  c.ssthresh = ssthresh;
  note(ctx, c, 'DT-6/fast-retransmit', `fast recovery: ssthresh ${ssthresh}, recovery point ${c.sndNxt}`);
}

function recoverySsthresh(c: MConn, p: Profile): number {
  switch (p.recoverySsthresh) {
    case 'cwnd':
      return Math.max(c.cwnd >> 1, 2);
    case 'flight':
      return Math.max(packetsOut(c) >> 1, 2);
    default: {
      const never: never = p.recoverySsthresh;
      return never;
    }
  }
}

/** tcp_cwnd_reduction (RFC 6937 PRR with the slow-start reduction bound, PRR-SSRB). */
function cwndReduction(c: MConn, delivered: number, newlyLost: number, unaAdvanced: boolean): void {
  const s = c.cc;
  if (delivered <= 0 || s.priorCwnd <= 0) return;
  const prrDelivered = s.prrDelivered + delivered;
  const inflight = packetsInFlight(c);
  const delta = c.ssthresh - inflight;
  let sndcnt: number;
  if (delta < 0) {
    sndcnt = Math.floor((c.ssthresh * prrDelivered + s.priorCwnd - 1) / s.priorCwnd) - s.prrOut;
  } else {
    sndcnt = Math.max(prrDelivered - s.prrOut, delivered);
    if (unaAdvanced && newlyLost === 0) sndcnt++;
    sndcnt = Math.min(delta, sndcnt);
  }
  // Force the fast retransmission on entering recovery.
  sndcnt = Math.max(sndcnt, s.prrOut > 0 ? 0 : 1);
  setCc(c, { prrDelivered });
  c.cwnd = Math.max(1, inflight + sndcnt);
}

function linuxAck(ctx: Ctx, c: MConn, p: Profile, info: AckInfo): void {
  const advanced = seqGt(c.sndUna, info.prevUna);
  let delivered = 0;
  if (info.scoreboard) {
    // tcp_clean_rtx_queue counts acked records not SACKed before; tcp_sacktag_write_queue the newly SACKed.
    delivered = Math.max(0, info.ackedPackets - info.ackedSacked) + info.newlySacked;
    setCc(c, { sackedOut: sackedCount(c) });
  } else if (info.ackedPackets > 0) {
    // tcp_clean_rtx_queue → tcp_remove_reno_sacks: one ACK fills the hole, the rest eat dup ACKs.
    const so = c.cc.sackedOut;
    delivered = Math.max(info.ackedPackets - so, 1);
    setCc(c, { sackedOut: info.ackedPackets - 1 >= so ? 0 : so - (info.ackedPackets - 1) });
  }
  const numDup = info.duplicate ? 1 : 0;
  let newlyLost = 0;
  // tcp_ack_is_dubious: a dup ACK, new SACK information (FLAG_CA_ALERT), or any ACK outside the
  // Open state goes through tcp_fastretrans_alert.
  if (numDup > 0 || info.newlySacked > 0 || c.cc.caState !== 'open') {
    const r = info.scoreboard ? sackAlert(ctx, c, p, numDup, advanced) : fastRetransAlert(ctx, c, p, numDup, advanced);
    delivered += r.delivered;
    newlyLost = r.newlyLost;
  }
  // tcp_cong_control: reduce in Recovery, else grow on an ACK of new data (tcp_may_raise_cwnd).
  if (c.cc.caState === 'recovery') cwndReduction(c, delivered, newlyLost, advanced);
  else if (info.ackedPackets > 0) growCwnd(c, p, delivered);
}

/** tcp_fastretrans_alert for a reno (non-SACK) sender. */
function fastRetransAlert(ctx: Ctx, c: MConn, p: Profile, numDup: number, advanced: boolean): { delivered: number; newlyLost: number } {
  let delivered = 0;
  let newlyLost = 0;
  if (packetsOut(c) === 0 && c.cc.sackedOut > 0) setCc(c, { sackedOut: 0 });
  // D. State exit: Recovery ends once SND.UNA reaches high_seq.
  if (c.cc.caState === 'recovery' && seqGe(c.sndUna, c.cc.highSeq)) {
    setCc(c, { sackedOut: 0 });
    if (c.sndUna === c.cc.highSeq && !c.sackOk) {
      // tcp_try_undo_recovery: reno holds Recovery until data above high_seq is acknowledged.
      return { delivered, newlyLost };
    }
    setCc(c, { caState: 'open' });
    if (c.ssthresh < p.initialSsthresh) c.cwnd = c.ssthresh; // tcp_end_cwnd_reduction
    note(ctx, c, 'CC-5/recovery-exit', `fast recovery ends at ${c.sndUna}: cwnd = ssthresh ${c.ssthresh}`);
  }
  // E. Process the state.
  switch (c.cc.caState) {
    case 'recovery':
      if (!advanced) delivered += addRenoSack(c, numDup);
      else newlyLost += markHeadLost(ctx, c); // partial ACK: the next hole (tcp_newreno_mark_lost)
      return { delivered, newlyLost };
    case 'loss':
      // tcp_process_loss (without F-RTO and undo).
      if (seqGe(c.sndUna, c.cc.highSeq)) {
        if (c.sndUna === c.cc.highSeq && !c.sackOk) return { delivered, newlyLost };
        setCc(c, { caState: 'open' });
        break; // falls through to the Open processing below
      }
      if (seqGt(c.sndNxt, c.cc.highSeq) && numDup > 0) delivered += addRenoSack(c, numDup);
      else if (advanced) setCc(c, { sackedOut: 0 });
      return { delivered, newlyLost };
    case 'open':
    case 'disorder':
      break;
    default: {
      const never: never = c.cc.caState;
      void never;
    }
  }
  // Open / Disorder.
  if (advanced) setCc(c, { sackedOut: 0 });
  delivered += addRenoSack(c, numDup);
  if (c.cc.sackedOut >= p.dupThresh) newlyLost += markHeadLost(ctx, c);
  // tcp_time_to_recover: loss is proven (a lost record) or dup ACKs exceed the reordering degree.
  if (anyLost(c) > 0 || c.cc.sackedOut + 1 > p.dupThresh) {
    enterRecovery(ctx, c, p);
    return { delivered, newlyLost };
  }
  // tcp_try_to_open → tcp_try_keep_open.
  setCc(c, { caState: c.cc.sackedOut > 0 ? 'disorder' : 'open' });
  return { delivered, newlyLost };
}

/**
 * tcp_fastretrans_alert for a SACK sender with RACK off: the scoreboard marks holes lost
 * (tcp_update_scoreboard); Recovery starts once anything is lost or dupThresh records are SACKed
 * (tcp_time_to_recover) and ends when SND.UNA reaches high_seq (no reno hold with SACK).
 */
function sackAlert(ctx: Ctx, c: MConn, p: Profile, numDup: number, advanced: boolean): { delivered: number; newlyLost: number } {
  const none = { delivered: 0, newlyLost: 0 };
  if (c.cc.caState === 'recovery' && seqGe(c.sndUna, c.cc.highSeq)) {
    setCc(c, { caState: 'open' });
    if (c.ssthresh < p.initialSsthresh) c.cwnd = c.ssthresh; // tcp_end_cwnd_reduction
    note(ctx, c, 'CC-5/recovery-exit', `fast recovery ends at ${c.sndUna}: cwnd = ssthresh ${c.ssthresh}`);
  }
  switch (c.cc.caState) {
    case 'recovery':
      return { delivered: 0, newlyLost: markLostBySack(ctx, c, p.dupThresh, false) };
    case 'loss':
      if (!seqGe(c.sndUna, c.cc.highSeq)) return none; // tcp_process_loss: retransmit what is marked
      setCc(c, { caState: 'open' });
      break;
    case 'open':
    case 'disorder':
      break;
    default: {
      const never: never = c.cc.caState;
      void never;
    }
  }
  void numDup;
  void advanced;
  let newlyLost = markLostBySack(ctx, c, p.dupThresh, false);
  const sacked = c.cc.sackedOut;
  if (anyLost(c) > 0 || sacked + 1 > p.dupThresh) {
    enterRecovery(ctx, c, p);
    if (anyLost(c) === 0) newlyLost += markLostBySack(ctx, c, p.dupThresh, true); // fast_rexmit: the head
    return { delivered: 0, newlyLost };
  }
  setCc(c, { caState: sacked > 0 ? 'disorder' : 'open' });
  return { delivered: 0, newlyLost };
}

// ── RFC 5681 + RFC 6582 NewReno ───────────────────────────────────────────────────────────────

/** Retransmit the first unacknowledged segment now, regardless of cwnd (RFC 5681 §3.2 step 4, RFC 6582 step 5). */
function retransmitHead(ctx: Ctx, c: MConn): void {
  const head: SentSegment | undefined = c.sent[0];
  if (head === undefined) return;
  const dataLen = Math.max(0, head.len - ((head.flags & FIN) !== 0 ? 1 : 0) - ((head.flags & SYN) !== 0 ? 1 : 0));
  const mss = effectiveMss(c, ctx.profile); // SACK blocks on this ACK may have shrunk it since
  const copy = c.sent.slice();
  if (dataLen > mss && (head.flags & SYN) === 0) {
    // Split like tcp_retransmit_skb → tcp_fragment: the first MSS goes, the rest stays queued (FIN/PSH with it).
    sendSegment(ctx, c, ACK, head.seq, mss);
    copy.splice(0, 1,
      { seq: head.seq, len: mss, flags: ACK, sentAt: ctx.now, retransmitted: true, lost: false },
      { ...head, seq: seqAdd(head.seq, mss), len: head.len - mss });
  } else {
    sendSegment(ctx, c, head.flags | ACK, head.seq, dataLen);
    copy[0] = { ...head, sentAt: ctx.now, retransmitted: true, lost: false };
  }
  c.sent = copy;
  if (c.retransmitAt === null) c.retransmitAt = ctx.now + c.rto;
}

function newRenoAck(ctx: Ctx, c: MConn, p: Profile, info: AckInfo): void {
  const advanced = seqGt(c.sndUna, info.prevUna);
  const s = c.cc;
  if (s.caState === 'recovery') {
    if (info.duplicate) {
      c.cwnd += 1; // RFC 5681 §3.2 step 4: inflate by one SMSS per further duplicate ACK
      return;
    }
    if (!advanced) return;
    if (seqGe(c.sndUna, s.highSeq)) {
      // Full ACK (RFC 6582 §3.2 step 3, option 1).
      c.cwnd = Math.max(1, Math.min(c.ssthresh, Math.max(packetsOut(c), 1) + 1));
      setCc(c, { caState: 'open', dupAcks: 0 });
      note(ctx, c, 'CC-5/recovery-exit', `full ACK ${c.sndUna}: fast recovery ends, cwnd ${c.cwnd}`);
      return;
    }
    // Partial ACK (RFC 6582 §3.2 step 3): retransmit the next hole, deflate, stay in recovery.
    retransmitHead(ctx, c);
    c.cwnd = Math.max(1, c.cwnd - info.ackedPackets + (info.ackedPackets >= 1 ? 1 : 0));
    note(ctx, c, 'DT-6/partial-ack', `partial ACK ${c.sndUna} below recover ${s.highSeq}: ${c.sndUna} retransmitted, cwnd ${c.cwnd}`);
    return;
  }
  if (s.caState === 'loss') {
    if (seqGe(c.sndUna, s.highSeq)) setCc(c, { caState: 'open', dupAcks: 0 });
    else if (!advanced) return; // RFC 6582 §3.2 step 4: no fast retransmit after a timeout until recover is covered
  }
  if (advanced) {
    setCc(c, { dupAcks: 0, caState: c.cc.caState === 'loss' ? 'loss' : 'open' });
    growCwnd(c, p, info.ackedPackets);
    return;
  }
  if (!info.duplicate) return;
  const dupAcks = c.cc.dupAcks + 1;
  setCc(c, { dupAcks, caState: c.cc.caState === 'loss' ? 'loss' : 'disorder' });
  if (dupAcks !== p.dupThresh || c.cc.caState === 'loss') return;
  // RFC 6582 §3.2 step 2: fast retransmit only when the ACK covers more than `recover`.
  if (!seqGt(c.sndUna, c.cc.highSeq)) {
    note(ctx, c, 'DT-6/no-fast-retransmit', `dup ACKs at ${c.sndUna} do not cover recover ${c.cc.highSeq} (RFC 6582 §3.2)`);
    return;
  }
  enterRecovery(ctx, c, p);
  retransmitHead(ctx, c);
  c.cwnd = c.ssthresh + p.dupThresh; // RFC 5681 §3.2 step 3: inflate by the segments that left
}
