/**
 * SACK-based loss recovery as RFC 6675 describes it (DT-6, DT-7, CC-5), for profiles whose
 * fastRecovery is 'newreno' (the `rfc9293` profile) when SACK was negotiated and the profile's
 * sackRecovery is on. The scoreboard itself (which records are SACKed) is sack-scoreboard.ts; this
 * file is the sender's use of it:
 *
 * - IsLost (§4): a record is lost once DupThresh SACKed records, or more than (DupThresh − 1)·SMSS
 *   SACKed bytes, lie above it. Records are segments, so "discontiguous SACKed sequences" are
 *   counted as SACKed segments.
 * - SetPipe (§4): every unSACKed record counts once unless IsLost, and once more when it lies at
 *   or below HighRxt (retransmitted in this recovery). cwnd is in segments, so pipe is too.
 * - DupAck (§2): an ACK that SACKs data not SACKed before, whatever else it does. A cumulative ACK
 *   resets DupAcks first (§5). Before recovery, the DupThresh-th DupAck, or an ACK after which the
 *   first unacknowledged segment IsLost, starts recovery (§5 (a), (b)); the DupAcks before it may
 *   send new data as far as pipe allows, when the profile has limitedTransmit (§5 (c), RFC 3042).
 * - Entering recovery (§5 step 4): RecoveryPoint = HighData (SND.NXT here), ssthresh = cwnd =
 *   max(FlightSize/2, 2) where FlightSize leaves out what limited transmit sent (RFC 5681 §3.2
 *   step 2), the first unacknowledged segment is retransmitted in the same step, then (C). The
 *   sends happen in rfc6675Transmit, which output.ts runs when the arriving segment has been
 *   processed (so they carry its ACK and SACK information) and whenever else the sender may send.
 * - During recovery (§5 (A)–(C)): an ACK at or above the recovery point ends it (cwnd stays at
 *   ssthresh; RFC 6675 never inflates it); otherwise, while cwnd − pipe ≥ 1 segment, NextSeg picks
 *   (1) the first lost unSACKed segment above HighRxt and below the highest SACKed byte, (2) one
 *   segment of new data if the peer's window allows, (3) the first unSACKed segment above HighRxt
 *   below the highest SACKed byte, (4) once per recovery, a rescue retransmission of the highest
 *   unSACKed segment (RescueRxt = RecoveryPoint; HighRxt unchanged).
 * - RTO (§5.1): recovery ends, the recovery point moves to SND.NXT (congestion.ts onRto, state
 *   'loss'), no new recovery starts before it is acknowledged; SACKed segments are not resent
 *   (timers.ts marks only unSACKed ones lost) and the scoreboard keeps being updated.
 *
 * The in-flight count the sender uses between ACKs (congestion.ts packetsInFlight: unSACKed records
 * not marked lost) equals pipe except for segments retransmitted before they were lost (rule 3),
 * and, without limited transmit, SACKed segments that RFC 5681 keeps in FlightSize; CcState
 * pipeExtra carries that difference.
 */
import { ACK, FIN, SYN } from '../wire/types.js';
import { seqAdd, seqDist, seqGe, seqGt, seqLe, seqLt } from '../wire/seq.js';
import type { Ctx } from './ctx.js';
import { note } from './ctx.js';
import type { MConn, SentSegment } from './types.js';
import type { Profile } from './profile-type.js';
import { sendSegment } from './emit.js';
import { effectiveMss } from './output.js';
import { sendNewData } from './persist.js';
import { countRetransmission, dataSegmentSent, growCwnd, setCc } from './congestion.js';

/** What rfc6675Ack needs from one acceptable ACK (a subset of recovery.ts AckInfo). */
export interface Rfc6675AckInfo {
  readonly prevUna: number;
  readonly ackedPackets: number;
  readonly newlySacked: number;
}

function endOf(r: SentSegment): number {
  return seqAdd(r.seq, r.len);
}

/** RFC 6675 §4 IsLost for every record (false for SACKed ones). */
export function isLostFlags(c: MConn, dupThresh: number): boolean[] {
  const n = c.sent.length;
  const out = new Array<boolean>(n).fill(false);
  const smss = Math.max(1, c.mssCache);
  let count = 0;
  let bytes = 0;
  for (let i = n - 1; i >= 0; i--) {
    const r = c.sent[i]!;
    if (r.sacked === true) {
      count++;
      bytes += r.len;
      continue;
    }
    out[i] = count >= dupThresh || bytes > (dupThresh - 1) * smss;
  }
  return out;
}

/** RFC 6675 §4 SetPipe, in segments. */
export function pipe(c: MConn, dupThresh: number): number {
  const lost = isLostFlags(c, dupThresh);
  let n = 0;
  for (let i = 0; i < c.sent.length; i++) {
    const r = c.sent[i]!;
    if (r.sacked === true) continue;
    if (!lost[i]) n++;
    if (c.cc.caState === 'recovery' && seqLe(endOf(r), c.cc.highRxt)) n++;
  }
  return n;
}

/** Records the sender's in-flight count sees (congestion.ts packetsInFlight without pipeExtra). */
function recordsInFlight(c: MConn): number {
  let n = 0;
  for (const r of c.sent) if (!r.lost && r.sacked !== true) n++;
  return n;
}

/** Keep CcState.pipeExtra = (what RFC 6675 / RFC 5681 count in flight) − recordsInFlight. */
function refreshPipeExtra(c: MConn, p: Profile): void {
  const raw = recordsInFlight(c);
  let target: number;
  switch (c.cc.caState) {
    case 'recovery':
      target = pipe(c, p.dupThresh);
      break;
    case 'loss':
      target = raw;
      break;
    case 'open':
    case 'disorder': {
      if (p.limitedTransmit) {
        target = pipe(c, p.dupThresh);
      } else {
        // RFC 5681: without limited transmit FlightSize (SND.NXT − SND.UNA) bounds new data.
        target = 0;
        for (const r of c.sent) if (!r.lost) target++;
      }
      break;
    }
    default: {
      const never: never = c.cc.caState;
      target = never;
    }
  }
  const extra = Math.max(0, target - raw);
  if (extra !== c.cc.pipeExtra) setCc(c, { pipeExtra: extra });
}

/** Mark IsLost records above HighRxt lost (they leave pipe until retransmitted). */
function markLost(ctx: Ctx, c: MConn, p: Profile): number {
  const lost = isLostFlags(c, p.dupThresh);
  let copy: SentSegment[] | null = null;
  let n = 0;
  for (let i = 0; i < c.sent.length; i++) {
    const r = c.sent[i]!;
    if (!lost[i] || r.lost || r.sacked === true || seqLt(r.seq, c.cc.highRxt)) continue;
    if (copy === null) copy = c.sent.slice();
    copy[i] = { ...r, lost: true };
    n++;
  }
  if (copy !== null) {
    c.sent = copy;
    note(ctx, c, 'DT-7/sack-lost', `${n} segment(s) IsLost: ≥ ${p.dupThresh} SACKed segments or > ${(p.dupThresh - 1)} SMSS SACKed above (RFC 6675 §4)`);
  }
  return n;
}

/**
 * Retransmit record `i` now, whatever cwnd says (the caller decided). A record larger than the
 * current MSS is cut: its first MSS goes, the rest stays queued with the FIN/PSH (as
 * tcp_fragment). Returns the end of what was sent.
 */
export function retransmitRecord(ctx: Ctx, c: MConn, i: number): number {
  const r = c.sent[i];
  if (r === undefined) return c.sndUna;
  const dataLen = Math.max(0, r.len - ((r.flags & FIN) !== 0 ? 1 : 0) - ((r.flags & SYN) !== 0 ? 1 : 0));
  const mss = effectiveMss(c, ctx.profile);
  const copy = c.sent.slice();
  let end: number;
  if (dataLen > mss && (r.flags & SYN) === 0) {
    sendSegment(ctx, c, ACK, r.seq, mss);
    copy.splice(i, 1,
      { seq: r.seq, len: mss, flags: ACK, sentAt: ctx.now, retransmitted: true, lost: false },
      { ...r, seq: seqAdd(r.seq, mss), len: r.len - mss });
    end = seqAdd(r.seq, mss);
  } else {
    sendSegment(ctx, c, r.flags | ACK, r.seq, dataLen);
    copy[i] = { ...r, sentAt: ctx.now, retransmitted: true, lost: false };
    end = endOf(r);
  }
  c.sent = copy;
  dataSegmentSent(c, ctx.now);
  countRetransmission(c, ctx.now);
  if (c.retransmitAt === null) c.retransmitAt = ctx.now + c.rto;
  return end;
}

/** NextSeg rule 2: one segment of new data, if there is some and the peer's window takes all of it. */
function sendOneNew(ctx: Ctx, c: MConn): boolean {
  const chunk = c.sendQueue[0];
  if (chunk === undefined) return false;
  const len = seqDist(c.sndNxt, chunk.end);
  if (len <= 0) return false;
  const n = Math.min(len, effectiveMss(c, ctx.profile));
  if (seqGt(seqAdd(c.sndNxt, n), seqAdd(c.sndUna, c.sndWnd))) return false;
  note(ctx, c, 'DT-7/nextseg', `NextSeg rule 2: new data ${c.sndNxt}..${seqAdd(c.sndNxt, n)}`);
  sendNewData(ctx, c, n, n === len, n === len && chunk.psh);
  dataSegmentSent(c, ctx.now);
  return true;
}

/** RFC 6675 §4 NextSeg() and the transmission of what it returns. False: nothing to send. */
function sendNextSeg(ctx: Ctx, c: MConn, p: Profile): boolean {
  let highestSacked: number | null = null;
  for (const r of c.sent) if (r.sacked === true) highestSacked = endOf(r);
  const lost = isLostFlags(c, p.dupThresh);
  const candidate = (needLost: boolean): number => {
    if (highestSacked === null) return -1;
    for (let i = 0; i < c.sent.length; i++) {
      const r = c.sent[i]!;
      if (r.sacked === true || seqLt(r.seq, c.cc.highRxt)) continue;
      if (!seqLt(r.seq, highestSacked)) return -1;
      if (!needLost || lost[i]) return i;
    }
    return -1;
  };
  // (1) a lost segment above HighRxt.
  let i = candidate(true);
  if (i >= 0) {
    const seq = c.sent[i]!.seq;
    setCc(c, { highRxt: retransmitRecord(ctx, c, i) });
    note(ctx, c, 'DT-7/nextseg', `NextSeg rule 1: retransmit lost ${seq}`);
    return true;
  }
  // (2) new data.
  if (sendOneNew(ctx, c)) return true;
  // (3) an unSACKed segment below the highest SACKed byte, not (yet) lost.
  i = candidate(false);
  if (i >= 0) {
    const seq = c.sent[i]!.seq;
    setCc(c, { highRxt: retransmitRecord(ctx, c, i) });
    note(ctx, c, 'DT-7/nextseg', `NextSeg rule 3: retransmit ${seq} (below the highest SACK)`);
    return true;
  }
  // (4) one rescue retransmission per recovery: the highest unSACKed segment.
  if (c.cc.rescueRxt === null || seqGt(c.sndUna, c.cc.rescueRxt)) {
    for (let j = c.sent.length - 1; j >= 0; j--) {
      const r = c.sent[j]!;
      if (r.sacked === true) continue;
      retransmitRecord(ctx, c, j);
      setCc(c, { rescueRxt: c.cc.highSeq });
      note(ctx, c, 'DT-7/nextseg', `NextSeg rule 4: rescue retransmission of ${r.seq}`);
      return true;
    }
  }
  return false;
}

/** RFC 6675 §5 (C): send while cwnd − pipe ≥ 1 segment and NextSeg finds something. */
function sendWhilePipeAllows(ctx: Ctx, c: MConn, p: Profile): void {
  for (let guard = c.sent.length + c.sendQueue.length + 2; guard > 0; guard--) {
    if (c.cwnd - pipe(c, p.dupThresh) < 1) return;
    if (!sendNextSeg(ctx, c, p)) return;
  }
}

/** RFC 6675 §5 step 4: enter loss recovery. */
function enterRecovery(ctx: Ctx, c: MConn, p: Profile): void {
  // (4.2) FlightSize without the segments limited transmit sent (RFC 5681 §3.2 step 2).
  let flight = 0;
  for (const r of c.sent) if (seqLt(r.seq, c.cc.dupStartSeq)) flight++;
  const ssthresh = Math.max(flight >> 1, 2);
  c.ssthresh = ssthresh;
  c.cwnd = ssthresh;
  // (4.1) RecoveryPoint = HighData. (4.3) waits for the transmit that follows this segment's
  // processing, so the retransmission carries the ACK and SACK blocks of the data it brought.
  setCc(c, { caState: 'recovery', highSeq: c.sndNxt, highRxt: c.sndUna, rescueRxt: null, cwndCnt: 0, sackedOut: 0, fastRetransmitPending: true });
  markLost(ctx, c, p);
  note(ctx, c, 'DT-6/fast-retransmit', `RFC 6675 loss recovery: ssthresh = cwnd = ${ssthresh} (FlightSize ${flight}), recovery point ${c.sndNxt}`);
}

/**
 * The sending half of RFC 6675 recovery, run first whenever the sender may transmit (output.ts
 * transmit): (4.3) the first unacknowledged segment right after recovery began, whatever cwnd
 * says, then (C) NextSeg while cwnd − pipe ≥ 1 segment.
 */
export function rfc6675Transmit(ctx: Ctx, c: MConn): void {
  const p = ctx.profile;
  if (c.cc.caState !== 'recovery' || p.fastRecovery !== 'newreno' || !p.sackRecovery || !c.sackOk) return;
  if (c.cc.fastRetransmitPending) {
    setCc(c, { fastRetransmitPending: false });
    const head = c.sent.findIndex((r) => r.sacked !== true);
    if (head >= 0) setCc(c, { highRxt: retransmitRecord(ctx, c, head) });
  }
  sendWhilePipeAllows(ctx, c, p);
  refreshPipeExtra(c, p);
}

/** One acceptable ACK on a SACK connection under RFC 6675 (after the scoreboard was updated). */
export function rfc6675Ack(ctx: Ctx, c: MConn, p: Profile, info: Rfc6675AckInfo): void {
  const advanced = seqGt(c.sndUna, info.prevUna);
  switch (c.cc.caState) {
    case 'recovery':
      if (seqGe(c.sndUna, c.cc.highSeq)) {
        // (A) a cumulative ACK at or past the recovery point ends recovery; cwnd stays (= ssthresh).
        setCc(c, { caState: 'open', dupAcks: 0, highRxt: c.sndUna, rescueRxt: null, fastRetransmitPending: false });
        note(ctx, c, 'CC-5/recovery-exit', `RFC 6675 loss recovery ends at ${c.sndUna}: cwnd ${c.cwnd}, ssthresh ${c.ssthresh}`);
        refreshPipeExtra(c, p);
        return;
      }
      // (B) the scoreboard is updated; pipe follows from it. (C) runs in rfc6675Transmit.
      markLost(ctx, c, p);
      refreshPipeExtra(c, p);
      return;
    case 'loss':
      // §5.1: after an RTO no new recovery until the recovery point is acknowledged; slow start.
      if (advanced) growCwnd(c, p, info.ackedPackets);
      if (seqGe(c.sndUna, c.cc.highSeq)) setCc(c, { caState: 'open', dupAcks: 0, highRxt: c.sndUna });
      refreshPipeExtra(c, p);
      return;
    case 'open':
    case 'disorder':
      break;
    default: {
      const never: never = c.cc.caState;
      void never;
    }
  }
  let dupAcks = c.cc.dupAcks;
  let dupStartSeq = c.cc.dupStartSeq;
  if (advanced) {
    dupAcks = 0; // §5: a cumulative ACK resets DupAcks
    growCwnd(c, p, info.ackedPackets);
  }
  if (info.newlySacked > 0) {
    if (dupAcks === 0) dupStartSeq = c.sndNxt;
    dupAcks++;
  }
  // (c.1) HighRxt = HighACK outside recovery.
  setCc(c, { dupAcks, dupStartSeq, highRxt: c.sndUna });
  if (info.newlySacked > 0) {
    const head = c.sent.findIndex((r) => r.sacked !== true);
    const headLost = head >= 0 && isLostFlags(c, p.dupThresh)[head] === true;
    if (dupAcks >= p.dupThresh || headLost) {
      // (a) DupThresh DupAcks, or (b) IsLost(HighACK + 1).
      enterRecovery(ctx, c, p);
      refreshPipeExtra(c, p);
      return;
    }
  }
  let sacked = false;
  for (const r of c.sent) if (r.sacked === true) sacked = true;
  setCc(c, { caState: sacked ? 'disorder' : 'open' });
  // (c.2)–(c.4): new data as far as pipe allows is sent by output.ts (packetsInFlight = pipe here).
  refreshPipeExtra(c, p);
}
