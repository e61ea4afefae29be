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
 * With SACK negotiated and profile `sackRecovery`, dup ACKs are replaced by the scoreboard
 * (sack-scoreboard.ts). Linux: SACKed records leave the flight, holes with ≥ dupThresh SACKed
 * records above them are marked lost (tcp_update_scoreboard, RACK off), PRR paces their
 * retransmission, and Recovery ends as soon as SND.UNA reaches high_seq. 'newreno' profiles use
 * RFC 6675 instead (rfc6675.ts); without SACK they send new data on the first dup ACKs when the
 * profile has `limitedTransmit` (RFC 3042: the dup ACKs are counted in cc.sackedOut, which the
 * in-flight count subtracts, and the segments they release are left out of FlightSize for ssthresh).
 *
 * Linux also undoes a reduction found spurious (undo.ts: D-SACK and timestamp evidence, profile
 * `undo`) and runs the Loss state after an RTO with F-RTO (frto.ts, profile `frto`).
 *
 * With profile `rack` (linux), SACK loss detection is RACK's (rack.ts: time-based, with the
 * reordering timer) instead of the dupThresh count.
 *
 * Outside recovery (and in Loss after an RTO) an ACK of new data grows cwnd (congestion.ts).
 * Not modelled: SACK reneging, Linux raising tp->reordering on reordering evidence
 * (tcp_check_reno_reordering, tcp_check_sack_reordering), ECN/CWR.
 */
import { ACK, FIN, SYN } from '../wire/types.js';
import { seqAdd, seqGe, seqGt, seqLt } from '../wire/seq.js';
import type { Ctx } from './ctx.js';
import { note } from './ctx.js';
import type { MConn, SentSegment } from './types.js';
import type { Profile } from './profile-type.js';
import { sendSegment } from './emit.js';
import { effectiveMss } from './output.js';
import { countRetransmission, currentSsthresh, growCwnd, packetsInFlight, packetsOut, setCc } from './congestion.js';
import { forgetStampWhenOpen, tryKeepOpen, tryUndoDsack, tryUndoPartial, tryUndoRecovery } from './undo.js';
import { processLoss } from './frto.js';
import { rackMarkLost, rackOn, rackReoTimeout } from './rack.js';
import { markLostBySack, sackedCount } from './sack-scoreboard.js';
import { rfc6675Ack } from './rfc6675.js';

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
  /** Never-retransmitted data at or below the recovery point was (S)ACKed (Linux FLAG_ORIG_SACK_ACKED; frto.ts). */
  readonly origAcked: boolean;
  /** The ACK's TSecr when timestamps are in use, else null (undo.ts tcp_packet_delayed). */
  readonly ecr: number | null;
  /** The ACK carried a D-SACK (RFC 2883; Linux FLAG_DSACKING_ACK). */
  readonly dsack: boolean;
}

export function onAck(ctx: Ctx, c: MConn, info: AckInfo): void {
  const p = ctx.profile;
  switch (p.fastRecovery) {
    case 'prr':
      linuxAck(ctx, c, p, info);
      return;
    case 'newreno':
      // With the SACK scoreboard in use, RFC 6675 replaces dup-ACK counting (rfc6675.ts).
      if (info.scoreboard) rfc6675Ack(ctx, c, p, info);
      else newRenoAck(ctx, c, p, info);
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

/**
 * tcp_enter_recovery → tcp_init_undo, tcp_init_cwnd_reduction: the undo marker, prior_ssthresh =
 * tcp_current_ssthresh (taken in Open/Disorder), prior_cwnd, then the reduced ssthresh.
 */
function enterRecovery(ctx: Ctx, c: MConn, p: Profile): void {
  const ssthresh = recoverySsthresh(c, p);
  setCc(c, {
    caState: 'recovery', highSeq: c.sndNxt, cwndCnt: 0, priorCwnd: c.cwnd, prrDelivered: 0, prrOut: 0,
    priorSsthresh: currentSsthresh(c), undoMarker: c.sndUna, undoRetrans: -1,
  });
  c.ssthresh = ssthresh;
  note(ctx, c, 'DT-6/fast-retransmit', `fast recovery: ssthresh ${ssthresh}, recovery point ${c.sndNxt}`);
}

function recoverySsthresh(c: MConn, p: Profile): number {
  switch (p.recoverySsthresh) {
    case 'cwnd':
      return Math.max(c.cwnd >> 1, 2);
    case 'flight': {
      // RFC 5681 §3.2 step 2: data sent by limited transmit (after the first dup ACK) is not counted.
      let flight = 0;
      for (const r of c.sent) if (seqLt(r.seq, c.cc.dupStartSeq)) flight++;
      return Math.max(flight >> 1, 2);
    }
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

/** What the Linux alert needs besides the profile: this ACK's facts. */
interface LinuxAck {
  readonly numDup: number;
  readonly advanced: boolean;
  readonly info: AckInfo;
}

function linuxAck(ctx: Ctx, c: MConn, p: Profile, info: AckInfo): void {
  const advanced = seqGt(c.sndUna, info.prevUna);
  if (c.cc.holdRetransmit) setCc(c, { holdRetransmit: false });
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
  const a: LinuxAck = { numDup: info.duplicate ? 1 : 0, advanced, info };
  let newlyLost = 0;
  // tcp_ack_is_dubious: a dup ACK (a D-SACK one too, though it counts no dup ACK), new SACK
  // information (FLAG_CA_ALERT), or any ACK outside the Open state goes through tcp_fastretrans_alert.
  if (a.numDup > 0 || info.newlySacked > 0 || c.cc.caState !== 'open' || (info.dsack && !advanced)) {
    const r = fastRetransAlert(ctx, c, p, a);
    delivered += r.delivered;
    newlyLost = r.newlyLost;
  } else {
    forgetStampWhenOpen(c);
  }
  // tcp_cong_control: reduce in Recovery, else grow on an ACK of new data (tcp_may_raise_cwnd).
  if (c.cc.caState === 'recovery') cwndReduction(c, delivered, newlyLost, advanced);
  else if (info.ackedPackets > 0) growCwnd(c, p, delivered);
}

type AlertResult = { delivered: number; newlyLost: number };

/**
 * tcp_identify_packet_loss / tcp_update_scoreboard: RACK (rack.ts) when on, else for SACK the holes
 * below ≥ dupThresh SACKed records, for reno the head after dupThresh dup ACKs (outside Recovery).
 */
function identifyLoss(ctx: Ctx, c: MConn, p: Profile, sack: boolean): number {
  if (sack && rackOn(p, c)) return rackMarkLost(ctx, c);
  if (sack) return markLostBySack(ctx, c, p.dupThresh, false);
  return c.cc.caState !== 'recovery' && c.cc.sackedOut >= p.dupThresh ? markHeadLost(ctx, c) : 0;
}

/** tcp_time_to_recover: loss is proven (a lost record) or, without RACK, dup ACKs / SACKs exceed the reordering degree. */
function timeToRecover(c: MConn, p: Profile): boolean {
  return anyLost(c) > 0 || (!rackOn(p, c) && c.cc.sackedOut + 1 > p.dupThresh);
}

/**
 * The RACK reordering timer fired (tcp_rack_reo_timeout): newly lost records start Recovery, with
 * PRR counting one delivered packet (tcp_cwnd_reduction(sk, 1, 0, 0)), and are retransmitted
 * (the caller's transmit); the RTO is re-armed from now, the timer slot being shared.
 */
export function rackTimer(ctx: Ctx, c: MConn): boolean {
  if (!rackReoTimeout(ctx, c)) return false;
  if (c.cc.caState !== 'recovery') {
    enterRecovery(ctx, c, ctx.profile);
    cwndReduction(c, 1, 0, false);
  }
  if (c.sent.length > 0) c.retransmitAt = ctx.now + c.rto;
  return true;
}

/**
 * tcp_fastretrans_alert, for reno (dup ACKs counted in sackedOut) and SACK (the scoreboard; RACK
 * off) senders, with undo (undo.ts) and F-RTO (frto.ts).
 */
function fastRetransAlert(ctx: Ctx, c: MConn, p: Profile, a: LinuxAck): AlertResult {
  const sack = a.info.scoreboard;
  const res: AlertResult = { delivered: 0, newlyLost: 0 };
  if (!sack && packetsOut(c) === 0 && c.cc.sackedOut > 0) setCc(c, { sackedOut: 0 });
  // D. State exit: Recovery ends once SND.UNA reaches high_seq.
  forgetStampWhenOpen(c);
  if (c.cc.caState === 'recovery' && seqGe(c.sndUna, c.cc.highSeq)) {
    if (!sack) setCc(c, { sackedOut: 0 });
    tryUndoRecovery(ctx, c, p, a.info.ecr);
    // tcp_is_non_sack_preventing_reopen: reno holds Recovery until data above high_seq is acknowledged.
    if (c.sndUna === c.cc.highSeq && !c.sackOk) return res;
    setCc(c, { caState: 'open' });
    // tcp_end_cwnd_reduction: cwnd = ssthresh unless the reduction was undone.
    if (c.cc.undoMarker !== null && c.ssthresh < p.initialSsthresh) c.cwnd = c.ssthresh;
    note(ctx, c, 'CC-5/recovery-exit', `fast recovery ends at ${c.sndUna}: cwnd ${c.cwnd}, ssthresh ${c.ssthresh}`);
  }
  // E. Process the state.
  switch (c.cc.caState) {
    case 'recovery': {
      if (!a.advanced) {
        if (!sack) res.delivered += addRenoSack(c, a.numDup);
      } else {
        const u = tryUndoPartial(ctx, c, p, a.info.ecr);
        if (u === 'hold') {
          // New data may go, nothing is marked or retransmitted on this ACK (REXMIT_NONE).
          setCc(c, { holdRetransmit: true });
          return res;
        }
        // A partial ACK: the next hole (tcp_force_fast_retransmit → tcp_newreno_mark_lost).
        if (u === 'none' && !sack) res.newlyLost += markHeadLost(ctx, c);
      }
      if (tryUndoDsack(ctx, c, p)) tryKeepOpen(c);
      if (sack) res.newlyLost += identifyLoss(ctx, c, p, sack);
      if (c.cc.caState !== 'recovery') {
        if (!timeToRecover(c, p)) return res;
        enterRecovery(ctx, c, p);
      }
      return res;
    }
    case 'loss': {
      const r = processLoss(ctx, c, p, { advanced: a.advanced, numDup: a.numDup, newlySacked: a.info.newlySacked, origAcked: a.info.origAcked, ecr: a.info.ecr });
      if (r === 'done') return res;
      if (r === 'lost') {
        if (sack && rackOn(p, c)) res.newlyLost += rackMarkLost(ctx, c); // tcp_identify_packet_loss in Loss
        if (!sack) {
          // A reno dup ACK in Loss means new data (F-RTO) arrived: clock out (re)transmissions.
          if (seqGt(c.sndNxt, c.cc.highSeq) && a.numDup > 0) res.delivered += addRenoSack(c, a.numDup);
          else if (a.advanced) setCc(c, { sackedOut: 0 });
        }
        return res;
      }
      break; // Loss ended: on with the Open processing
    }
    case 'open':
    case 'disorder':
      break;
    default: {
      const never: never = c.cc.caState;
      void never;
    }
  }
  // Open / Disorder.
  if (!sack) {
    if (a.advanced) setCc(c, { sackedOut: 0 });
    res.delivered += addRenoSack(c, a.numDup);
  }
  tryUndoDsack(ctx, c, p);
  res.newlyLost += identifyLoss(ctx, c, p, sack);
  if (timeToRecover(c, p)) {
    enterRecovery(ctx, c, p);
    // tcp_update_scoreboard with fast_rexmit (not with RACK): the head is lost even without enough SACKs.
    if (sack && !rackOn(p, c) && anyLost(c) === 0) res.newlyLost += markLostBySack(ctx, c, p.dupThresh, true);
    return res;
  }
  // tcp_try_to_open → tcp_try_keep_open.
  setCc(c, { caState: c.cc.sackedOut > 0 ? 'disorder' : 'open' });
  return res;
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
  countRetransmission(c, ctx.now);
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
    setCc(c, { dupAcks: 0, sackedOut: 0, caState: c.cc.caState === 'loss' ? 'loss' : 'open' });
    growCwnd(c, p, info.ackedPackets);
    return;
  }
  if (!info.duplicate) return;
  const dupAcks = c.cc.dupAcks + 1;
  const inLoss = c.cc.caState === 'loss';
  // RFC 3042 limited transmit: each of the first DupThresh − 1 dup ACKs lets one new segment go
  // beyond cwnd (counted as a delivered packet, so packetsInFlight leaves room for it).
  const lt = p.limitedTransmit && !inLoss ? Math.min(dupAcks, p.dupThresh - 1) : 0;
  setCc(c, { dupAcks, sackedOut: lt, caState: inLoss ? 'loss' : 'disorder', ...(dupAcks === 1 ? { dupStartSeq: c.sndNxt } : {}) });
  if (dupAcks !== p.dupThresh || inLoss) return;
  setCc(c, { sackedOut: 0 });
  // RFC 6582 §3.2 step 2: fast retransmit only when the ACK covers more than `recover`.
  if (!seqGt(c.sndUna, c.cc.highSeq)) {
    note(ctx, c, 'DT-6/no-fast-retransmit', `dup ACKs at ${c.sndUna} do not cover recover ${c.cc.highSeq} (RFC 6582 §3.2)`);
    return;
  }
  enterRecovery(ctx, c, p);
  retransmitHead(ctx, c);
  c.cwnd = c.ssthresh + p.dupThresh; // RFC 5681 §3.2 step 3: inflate by the segments that left
}
