/**
 * Linux's Loss state after an RTO, with F-RTO (RFC 5682, the SACK-enhanced variant of
 * tcp_input.c:tcp_process_loss; sysctl tcp_frto, profile field `frto`) and loss undo (DT-5, CC-4).
 *
 * tcp_enter_loss (congestion.ts onRto) turns F-RTO on for a timeout that starts an episode (from
 * Open/Disorder) or repeats one (icsk_retransmits > 0). Then, per ACK in Loss:
 * - an ACK that advances SND.UNA may undo at once when every retransmission was D-SACKed or the
 *   echoed timestamp predates the first retransmission (tcp_try_undo_loss);
 * - F-RTO step 3b: never-retransmitted data below the recovery point is (S)ACKed → the timeout was
 *   spurious: undo, lost marks cleared, Open;
 * - step 3a: after new data went out, a SACK or dup ACK means the loss was real: F-RTO ends;
 * - step 2b: the first ACK of the retransmission moves the recovery point to SND.NXT and, when new
 *   data is queued and the peer's window is open beyond SND.NXT, the next transmit sends new data
 *   instead of more retransmissions (CcState.holdRetransmit, read by output.ts); otherwise F-RTO ends;
 * - once SND.UNA reaches the recovery point, Loss ends (tcp_try_undo_recovery; a non-SACK sender
 *   holds Loss while SND.UNA equals it).
 */
import { seqAdd, seqGe, seqGt, seqLe } from '../wire/seq.js';
import type { Ctx } from './ctx.js';
import { note } from './ctx.js';
import type { MConn } from './types.js';
import type { Profile } from './profile-type.js';
import { setCc } from './congestion.js';
import { tryUndoLoss, tryUndoRecovery } from './undo.js';

/** What tcp_process_loss needs from one ACK. */
export interface LossAck {
  readonly advanced: boolean;
  readonly numDup: number;
  readonly newlySacked: number;
  /** FLAG_ORIG_SACK_ACKED: never-retransmitted data at or below the recovery point was (S)ACKed. */
  readonly origAcked: boolean;
  readonly ecr: number | null;
}

/**
 * Before the cumulative ACK is applied: does it acknowledge a never-retransmitted, not SACKed record
 * ending at or below the recovery point (tcp_clean_rtx_queue FLAG_ORIG_SACK_ACKED)?
 */
export function origDataAcked(c: MConn, ack: number): boolean {
  for (const r of c.sent) {
    const end = seqAdd(r.seq, r.len);
    if (!seqLe(end, ack)) break;
    if (!r.retransmitted && r.sacked !== true && seqLe(end, c.cc.highSeq)) return true;
  }
  return false;
}

/**
 * tcp_process_loss. 'open': Loss ended (or was undone) and the ACK goes on through the Open
 * processing; 'lost': stay in Loss, retransmit what is marked (the caller adjusts reno dup ACKs);
 * 'done': nothing more for this ACK (reno hold, or F-RTO new data).
 */
export function processLoss(ctx: Ctx, c: MConn, p: Profile, a: LossAck): 'open' | 'lost' | 'done' {
  const recovered = seqGe(c.sndUna, c.cc.highSeq);
  if (a.advanced && tryUndoLoss(ctx, c, p, a.ecr, false)) return c.cc.caState === 'open' ? 'open' : 'done';
  if (c.cc.frto) {
    // Step 3b: never-retransmitted data was (S)ACKed: the timeout was spurious.
    if (a.origAcked && tryUndoLoss(ctx, c, p, a.ecr, true)) return 'open';
    if (seqGt(c.sndNxt, c.cc.highSeq)) {
      if (a.newlySacked > 0 || a.numDup > 0) {
        setCc(c, { frto: false }); // step 3a: the loss was real
        note(ctx, c, 'DT-5/frto', 'F-RTO: new data SACKed or duplicate ACK: the timeout was genuine');
      }
    } else if (a.advanced && !recovered) {
      setCc(c, { highSeq: c.sndNxt });
      // Step 2b: new data instead of retransmissions, if some can go.
      if (c.sendQueue.length > 0 && seqGt(seqAdd(c.sndUna, c.sndWnd), c.sndNxt)) {
        setCc(c, { holdRetransmit: true });
        note(ctx, c, 'DT-5/frto', `F-RTO: retransmission acknowledged; new data from ${c.sndNxt} instead of retransmissions`);
        return 'done';
      }
      setCc(c, { frto: false });
    }
  }
  if (recovered) {
    tryUndoRecovery(ctx, c, p, a.ecr);
    // tcp_is_non_sack_preventing_reopen: reno holds Loss while SND.UNA equals the recovery point.
    if (c.sndUna === c.cc.highSeq && !c.sackOk) return 'done';
    setCc(c, { caState: 'open' });
    return 'open';
  }
  return 'lost';
}
