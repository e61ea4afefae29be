/**
 * Congestion-control invariants (family CC), in packets as Linux counts them: cwnd never drops
 * below one segment and ssthresh never below two, a retransmission timeout collapses cwnd to the
 * loss window and halves ssthresh (once per loss episode), cwnd grows only on ACKs of new data and
 * by no more than they acknowledge, and a connection starts with at most the initial window.
 * RFC 5681 §3.1, RFC 6928; Linux tcp_input.c:tcp_enter_loss, tcp_cong.c:tcp_slow_start.
 * The in-flight bound (flight ≤ cwnd) is WIN-2.
 */
import type { Conn } from '../model/types.js';
import { ACK } from '../wire/types.js';
import { seqAdd, seqGt, seqLe, seqLt } from '../wire/seq.js';
import type { StepInvariant } from './types.js';
import { connOfInput, eachConn, has, synchronized, violation } from './util.js';

function ccApplies(c: Conn): boolean {
  return c.state !== 'CLOSED' && c.state !== 'LISTEN';
}

/** A data retransmission timeout fired on this connection in this step. */
function rtoFired(input: { kind: string }, b: Conn | null, c: Conn): b is Conn {
  return input.kind === 'timer' && b !== null && synchronized(b.state) && c.retransmits === b.retransmits + 1;
}

export const cc1: StepInvariant = {
  kind: 'step',
  id: 'CC-1',
  title: 'cwnd is never below one segment',
  rfc: 'RFC 5681 §3.1 (loss window = 1 SMSS)',
  behaviours: ['CC-1', 'CC-4'],
  check(ctx) {
    return eachConn(ctx, (_b, c) => {
      if (!ccApplies(c) || (Number.isInteger(c.cwnd) && c.cwnd >= 1)) return null;
      return violation(ctx, 'CC-1', c.id, `cwnd ${c.cwnd} packets (< 1) in ${c.state}`);
    });
  },
};

export const cc2: StepInvariant = {
  kind: 'step',
  id: 'CC-2',
  title: 'ssthresh is never below two segments (in particular after a loss)',
  rfc: 'RFC 5681 §3.1 equation (4); tcp_cong.c:tcp_reno_ssthresh',
  behaviours: ['CC-4', 'CC-5'],
  check(ctx) {
    return eachConn(ctx, (_b, c) => {
      if (!ccApplies(c) || (Number.isInteger(c.ssthresh) && c.ssthresh >= 2)) return null;
      return violation(ctx, 'CC-2', c.id, `ssthresh ${c.ssthresh} packets (< 2) in ${c.state}`);
    });
  },
};

export const cc3: StepInvariant = {
  kind: 'step',
  id: 'CC-3',
  title: 'A retransmission timeout sets cwnd to the loss window (one segment)',
  rfc: 'RFC 5681 §3.1; tcp_input.c:tcp_enter_loss',
  behaviours: ['CC-4', 'DT-5'],
  check(ctx) {
    return eachConn(ctx, (b, c) => {
      if (!rtoFired(ctx.input, b, c) || c.state === 'CLOSED') return null;
      if (c.cwnd !== 1) return violation(ctx, 'CC-3', c.id, `retransmission timeout ${c.retransmits}: cwnd ${b.cwnd} → ${c.cwnd}, expected the loss window 1`);
      return null;
    });
  },
};

function packetsInFlight(c: Conn): number {
  let n = 0;
  for (const r of c.sent) if (!r.lost) n++;
  return n;
}

export const cc4: StepInvariant = {
  kind: 'step',
  id: 'CC-4',
  title: 'On the first timeout of a loss episode ssthresh = max(cwnd/2 or FlightSize/2, 2); later timeouts keep it',
  rfc: 'RFC 5681 §3.1 equation (4); tcp_input.c:tcp_enter_loss (ssthresh once per episode)',
  behaviours: ['CC-4'],
  check(ctx) {
    return eachConn(ctx, (b, c) => {
      if (!rtoFired(ctx.input, b, c) || c.state === 'CLOSED') return null;
      const byCwnd = Math.max(Math.floor(b.cwnd / 2), 2);
      const byFlight = Math.max(Math.floor(packetsInFlight(b) / 2), 2);
      if (c.ssthresh === byCwnd || c.ssthresh === byFlight) return null;
      if (b.retransmits > 0 && c.ssthresh === b.ssthresh) return null;
      // Linux tcp_enter_loss: a timeout during fast recovery (before the recovery point is
      // acknowledged) keeps the ssthresh the recovery set (recorded: cc-rto-during-recovery-*).
      const linuxRule = ctx.before.profile.rtoSsthresh === 'cwnd';
      if (linuxRule && b.cc.caState === 'recovery' && seqGt(b.cc.highSeq, b.sndUna) && c.ssthresh === b.ssthresh) return null;
      return violation(ctx, 'CC-4', c.id, `retransmission timeout ${c.retransmits}: ssthresh ${b.ssthresh} → ${c.ssthresh}, expected max(cwnd ${b.cwnd}/2, 2) = ${byCwnd} or max(flight ${packetsInFlight(b)}/2, 2) = ${byFlight}${b.retransmits > 0 ? ` or unchanged ${b.ssthresh}` : ''}`);
    });
  },
};

/** Records of the retransmission queue fully acknowledged by the new SND.UNA. */
function newlyAcked(b: Conn, c: Conn): number {
  let n = 0;
  for (const r of b.sent) {
    const end = seqAdd(r.seq, r.len);
    if (seqLe(end, c.sndUna) && seqLt(b.sndUna, end)) n++;
  }
  return n;
}

/** Records SACKed after this step that were not SACKed before. */
function newlySacked(b: Conn, c: Conn): number {
  const before = new Set<number>();
  for (const r of b.sent) if (r.sacked === true) before.add(r.seq);
  let n = 0;
  for (const r of c.sent) if (r.sacked === true && !before.has(r.seq)) n++;
  return n;
}

export const cc5: StepInvariant = {
  kind: 'step',
  id: 'CC-5',
  title: 'cwnd grows only on an ACK of new data, by at most the packets it acknowledges',
  rfc: 'RFC 5681 §3.1 (slow start: cwnd += min(N, SMSS)); RFC 3465; tcp_cong.c:tcp_slow_start',
  behaviours: ['CC-2', 'CC-3'],
  check(ctx) {
    const inp = ctx.input;
    return eachConn(ctx, (b, c) => {
      if (b === null || !synchronized(b.state) || c.state === 'CLOSED' || !(c.cwnd > b.cwnd)) return null;
      if (inp.kind !== 'segment' || !has(inp.seg.flags, ACK)) return violation(ctx, 'CC-5', c.id, `cwnd grew ${b.cwnd} → ${c.cwnd} on a ${inp.kind} input`);
      const owner = connOfInput(ctx.before, inp.src, inp.seg);
      if (owner === null || owner.id !== c.id) return violation(ctx, 'CC-5', c.id, `cwnd grew ${b.cwnd} → ${c.cwnd} on a segment for another connection`);
      // Delivered packets (Linux acked_sacked): cumulatively acknowledged records, records newly
      // SACKed, dup ACKs a reno sender counts as delivered; RFC 5681 §3.2 step 4 inflates cwnd by one
      // per further dup ACK during fast recovery (NewReno).
      const inflation = b.cc.caState === 'recovery' && c.cc.caState === 'recovery' ? 1 : 0;
      // RFC 5681 §3.2 step 3: entering fast recovery sets cwnd = ssthresh + 3·SMSS, which can exceed a small cwnd.
      const p = ctx.before.profile;
      if (p.fastRecovery === 'newreno' && b.cc.caState !== 'recovery' && c.cc.caState === 'recovery' && c.cwnd === c.ssthresh + p.dupThresh) return null;
      const n = newlyAcked(b, c) + newlySacked(b, c) + Math.max(0, c.cc.sackedOut - b.cc.sackedOut) + inflation;
      // RFC 6937 / tcp_end_cwnd_reduction: leaving fast recovery sets cwnd = ssthresh (PRR may have taken it lower).
      if (b.cc.caState === 'recovery' && c.cc.caState !== 'recovery' && c.cwnd <= c.ssthresh + n) return null;
      // Linux undo (tcp_undo_cwnd_reduction, reno undo_cwnd): a reduction found spurious (D-SACK,
      // timestamp, F-RTO) restores cwnd to max(cwnd, prior_cwnd), then the ACK may grow it as usual;
      // the same ACK may start a new recovery (tcp_try_undo_dsack → tcp_enter_recovery), which
      // re-arms the undo marker, so the bound is the remembered prior cwnd whenever undo was possible.
      if ((p.undo || p.frto) && b.cc.undoMarker !== null && c.cwnd <= Math.max(b.cwnd, b.cc.priorCwnd) + n) return null;
      if (c.cwnd - b.cwnd > n) return violation(ctx, 'CC-5', c.id, `cwnd grew ${b.cwnd} → ${c.cwnd} on an ACK that newly delivers ${n} packets`);
      return null;
    });
  },
};

export const cc6: StepInvariant = {
  kind: 'step',
  id: 'CC-6',
  title: 'A connection starts with cwnd at most the initial window',
  rfc: 'RFC 5681 §3.1; RFC 6928 (IW10); tcp_input.c:tcp_init_transfer',
  behaviours: ['CC-1', 'CC-6'],
  check(ctx) {
    const iw = ctx.before.profile.initialCwnd;
    return eachConn(ctx, (b, c) => {
      if (c.state !== 'ESTABLISHED' || (b !== null && synchronized(b.state))) return null;
      if (c.cwnd > iw) return violation(ctx, 'CC-6', c.id, `established with cwnd ${c.cwnd} packets, initial window is ${iw}`);
      return null;
    });
  },
};

export const congestionInvariants: readonly StepInvariant[] = [cc1, cc2, cc3, cc4, cc5, cc6];
