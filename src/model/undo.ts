/**
 * Linux's undo of a cwnd reduction that proves spurious (CC-4, CC-5, DT-8; tcp_input.c
 * tcp_init_undo, tcp_may_undo, tcp_packet_delayed, tcp_undo_cwnd_reduction, tcp_try_undo_recovery,
 * tcp_try_undo_dsack, tcp_try_undo_partial, tcp_try_undo_loss; profile field `undo`).
 *
 * When Recovery or Loss begins with a reduction, Linux remembers undo_marker = SND.UNA, the
 * ssthresh and cwnd before (prior_ssthresh = tcp_current_ssthresh, prior_cwnd), and counts its
 * retransmissions in undo_retrans (tcp_retransmit_skb). Each D-SACK for retransmitted data above
 * the marker takes one off (tcp_sacktag_one; tcp_check_dsack's "dumb counting" for D-SACKs below
 * SND.UNA). The reduction is undone — cwnd = max(cwnd, prior_cwnd) (reno undo_cwnd), ssthresh =
 * max(ssthresh, prior_ssthresh), undo_marker cleared — when every retransmission was D-SACKed
 * (undo_retrans = 0), or when an ACK echoes a timestamp older than the first retransmission
 * (tcp_packet_delayed: the original, not the retransmission, arrived).
 *
 * Approximation: undo_retrans starts at −1 (tcp_init_undo's retrans_out is 0 at every entry the
 * model reaches); a missing retransmission stamp never counts as "delayed" (the 6.x rule for a
 * zero retrans_stamp is not modelled).
 */
import type { SackBlock } from '../wire/types.js';
import { seqAdd, seqGe, seqGt, seqLe } from '../wire/seq.js';
import type { Ctx } from './ctx.js';
import { note } from './ctx.js';
import type { MConn } from './types.js';
import type { Profile } from './profile-type.js';
import { setCc } from './congestion.js';
import { tsTicks } from './tsclock.js';

/** tcp_init_undo: a reduction starts; remember where. */
export function initUndo(c: MConn): void {
  setCc(c, { undoMarker: c.sndUna, undoRetrans: -1 });
}

/** D-SACK accounting (tcp_sacktag_one, tcp_check_dsack): retransmissions the peer got twice. */
export function countDsack(c: MConn, block: SackBlock, mss: number): void {
  const s = c.cc;
  if (s.undoMarker === null || s.undoRetrans <= 0 || !seqGt(block.right, s.undoMarker)) return;
  let dup = 0;
  if (seqLe(block.right, c.sndUna)) {
    // Data already cumulatively acknowledged: count the block's segments.
    dup = Math.max(1, Math.ceil(((block.right - block.left) >>> 0) / Math.max(1, mss)));
  } else {
    for (const r of c.sent) {
      if (r.retransmitted && seqGe(r.seq, block.left) && seqLe(seqAdd(r.seq, r.len), block.right)) dup++;
    }
  }
  if (dup > 0) setCc(c, { undoRetrans: Math.max(0, s.undoRetrans - dup) });
}

/** The peer's TSecr is older than our TSval at the first retransmission (tcp_packet_delayed). */
export function packetDelayed(ctx: Ctx, c: MConn, ecr: number | null): boolean {
  const at = c.cc.firstRetransAt;
  if (!c.tsOk || ecr === null || at === null) return false;
  const stampTs = (tsTicks(ctx.profile, at) + c.tsOffset) >>> 0;
  return ((ecr - stampTs) | 0) < 0;
}

/** tcp_may_undo. */
function mayUndo(ctx: Ctx, c: MConn, ecr: number | null): boolean {
  return c.cc.undoMarker !== null && (c.cc.undoRetrans === 0 || packetDelayed(ctx, c, ecr));
}

/** tcp_undo_cwnd_reduction (reno undo_cwnd = max(cwnd, prior_cwnd)). */
export function undoCwndReduction(ctx: Ctx, c: MConn, unmarkLoss: boolean, why: string): void {
  if (unmarkLoss && c.sent.some((r) => r.lost)) c.sent = c.sent.map((r) => (r.lost ? { ...r, lost: false } : r));
  const s = c.cc;
  if (s.priorSsthresh !== 0) {
    c.cwnd = Math.max(c.cwnd, s.priorCwnd);
    if (s.priorSsthresh > c.ssthresh) c.ssthresh = s.priorSsthresh;
  }
  setCc(c, { undoMarker: null });
  note(ctx, c, 'CC-5/undo', `${why}: reduction undone, cwnd ${c.cwnd}, ssthresh ${c.ssthresh}`);
}

/** tcp_try_undo_recovery's undo half: at the end of Recovery/Loss, undo if the evidence allows. */
export function tryUndoRecovery(ctx: Ctx, c: MConn, p: Profile, ecr: number | null): void {
  if (p.undo && mayUndo(ctx, c, ecr)) undoCwndReduction(ctx, c, false, c.cc.caState === 'loss' ? 'loss undo' : 'full undo');
}

/** tcp_try_undo_dsack: every retransmission was reported as a duplicate. */
export function tryUndoDsack(ctx: Ctx, c: MConn, p: Profile): boolean {
  if (!p.undo || c.cc.undoMarker === null || c.cc.undoRetrans !== 0) return false;
  undoCwndReduction(ctx, c, false, 'D-SACK undo');
  return true;
}

/** Records retransmitted and still in flight (Linux retrans_out). */
export function retransOut(c: MConn): number {
  let n = 0;
  for (const r of c.sent) if (r.retransmitted && !r.lost && r.sacked !== true) n++;
  return n;
}

/**
 * tcp_try_undo_partial on a partial ACK in Recovery: 'hold' = the hole was filled by a delayed
 * original while retransmissions are still out (send new data, mark and retransmit nothing more),
 * 'undone' = reduction undone (state Open/Disorder), 'none' = an ordinary partial ACK.
 */
export function tryUndoPartial(ctx: Ctx, c: MConn, p: Profile, ecr: number | null): 'hold' | 'undone' | 'none' {
  if (!p.undo || c.cc.undoMarker === null || !packetDelayed(ctx, c, ecr)) return 'none';
  if (retransOut(c) > 0) return 'hold';
  undoCwndReduction(ctx, c, true, 'partial undo');
  tryKeepOpen(c);
  return 'undone';
}

/** tcp_try_undo_loss: after an RTO, undo (F-RTO says spurious, or D-SACK/timestamp evidence). */
export function tryUndoLoss(ctx: Ctx, c: MConn, p: Profile, ecr: number | null, frtoUndo: boolean): boolean {
  if (!frtoUndo && !(p.undo && mayUndo(ctx, c, ecr))) return false;
  undoCwndReduction(ctx, c, true, frtoUndo ? 'F-RTO: spurious timeout' : 'loss undo');
  c.retransmits = 0;
  if (frtoUndo || c.sackOk) setCc(c, { caState: 'open', frto: false });
  return true;
}

/** tcp_try_keep_open: Disorder while anything is SACKed, lost or retransmitted, else Open. */
export function tryKeepOpen(c: MConn): void {
  let busy = c.cc.sackedOut > 0;
  for (const r of c.sent) if (r.lost || r.sacked === true || r.retransmitted) busy = true;
  const state = busy ? 'disorder' : 'open';
  if (c.cc.caState !== state) setCc(c, { caState: state, highSeq: c.sndNxt });
}

/** tcp_fastretrans_alert step D: in Open the retransmission stamp is forgotten. */
export function forgetStampWhenOpen(c: MConn): void {
  if (c.cc.caState === 'open' && c.cc.firstRetransAt !== null) setCc(c, { firstRetransAt: null });
}
