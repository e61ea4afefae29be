/**
 * The sender (Linux tcp_output.c:tcp_write_xmit and friends): retransmit segments marked lost, then
 * send the unsent chunks of the send queue (Linux write-queue skbs) subject to the congestion window
 * (CC-1; at most half of cwnd per chunk, tcp_cwnd_test), the peer's window (FC-1,
 * tcp_snd_wnd_test), sender SWS avoidance (FC-6), Nagle with Minshall's variant or TCP_NODELAY
 * (DT-10; tcp_nagle_test, tcp_mss_split_point), cutting each chunk into segments of the effective
 * MSS (DT-9, HS-8). PSH goes on the last segment of a chunk that ends a send(), and on the last
 * segment of every multi-segment burst (one GSO packet; linux-reference.md §3, observed on 6.18.44:
 * a single-segment part of a split chunk carries no PSH). FIN rides the last chunk (CT-3).
 *
 * Not modelled: TSO deferral (tcp_tso_should_defer). When data waits on a closed window with
 * nothing in flight, the persist timer takes over (persist.ts, FC-4).
 */
import { ACK, FIN, PSH, SYN } from '../wire/types.js';
import { seqAdd, seqDist, seqGt, seqLe, seqLt } from '../wire/seq.js';
import type { Ctx } from './ctx.js';
import { note } from './ctx.js';
import type { MConn, SendChunk, SentSegment } from './types.js';
import type { Profile } from './profile-type.js';
import { sendSegment } from './emit.js';
import { reportBlocks } from './sack-report.js';
import { checkProbeTimer } from './persist.js';
import { scheduleLossProbe } from './tlp.js';
import { countRecoverySent, countRetransmission, cwndValidate, dataSegmentSent, packetsInFlight } from './congestion.js';
import { rfc6675Transmit } from './rfc6675.js';

/** Linux MAX_TCP_HEADER, reserved below the GSO size (tcp_xmit_size_goal). */
const MAX_TCP_HEADER = 320;

/** tcp_bound_to_half_wnd: never more than half the peer's largest window (when that exceeds 536). */
function boundToHalfWindow(c: MConn, size: number): number {
  if (c.sndMaxWnd <= 0) return size;
  const cutoff = c.sndMaxWnd > 536 ? c.sndMaxWnd >> 1 : c.sndMaxWnd;
  if (size > cutoff) return Math.max(cutoff, 68 - (20 + (c.tsOk ? 12 : 0)));
  return size;
}

/** SACK blocks the next ACK will carry (RFC 2018: 3 with timestamps, else 4). */
export function sackBlockCount(c: MConn, dsack: boolean): number {
  if (!c.sackOk) return 0;
  // Count the blocks the segment will really carry (emit.ts:sackBlocks → reportBlocks: the
  // remembered blocks, which need not match the out-of-order ranges one to one), as
  // tcp_output.c:tcp_current_mss counts eff_sacks; counting c.ooo let a segment outgrow the MSS (OPT-4).
  if ((c.dsack === null || !dsack) && c.ooo.length === 0) return 0;
  return reportBlocks(c, c.tsOk ? 3 : 4, dsack).length;
}

/**
 * The MSS segments are cut to (tcp_current_mss): the cached MSS bounded to half the peer's largest
 * window, less the room SACK blocks take on this segment (nop, nop, kind, len + 8 per block).
 */
export function effectiveMss(c: MConn, p: Profile): number {
  let mss = p.boundMssToHalfWindow ? boundToHalfWindow(c, c.mssCache) : c.mssCache;
  const blocks = sackBlockCount(c, p.dsack);
  if (blocks > 0) mss -= 4 + 8 * blocks;
  return Math.max(1, mss);
}

/** tcp_tso_autosize / tcp_tso_segs: how many segments one burst may carry. */
function tsoSegs(c: MConn, p: Profile, mss: number): number {
  if (p.gsoMaxSize <= 0) return 1;
  let rate = 0;
  if (c.srtt > 0) {
    const ratio = c.cwnd < c.ssthresh / 2 ? p.pacingSsRatio : p.pacingCaRatio;
    rate = (c.mssCache * Math.max(c.cwnd, c.sent.length) * ratio * 10_000) / c.srtt; // bytes per second
  }
  let bytes = Math.floor(rate / 2 ** p.pacingShift);
  const r = Math.floor(c.minRtt / 2 ** p.tsoRttLog);
  if (r < 32) bytes += Math.floor(p.gsoMaxSize / 2 ** r);
  bytes = Math.min(bytes, p.gsoMaxSize);
  return Math.max(Math.floor(bytes / mss), p.minTsoSegs);
}

/** How large a chunk send() builds (tcp_xmit_size_goal): a multiple of the MSS up to the GSO size. */
export function sizeGoal(c: MConn, p: Profile): number {
  const mss = effectiveMss(c, p);
  if (p.gsoMaxSize <= 0) return mss;
  const goal = boundToHalfWindow(c, p.gsoMaxSize - 1 - MAX_TCP_HEADER);
  return Math.max(Math.floor(goal / mss) * mss, mss);
}

/**
 * States whose queued data and FIN may still go out. CLOSING included: when the peer's FIN arrives
 * while our FIN is still queued (held by cwnd or the window in FIN-WAIT-1), the rest goes out as
 * ACKs open room — Linux tcp_rcv_state_process ends every state but CLOSE with
 * tcp_data_snd_check (LIV-2).
 */
function canSendData(state: MConn['state']): boolean {
  return state === 'ESTABLISHED' || state === 'CLOSE-WAIT' || state === 'FIN-WAIT-1' || state === 'LAST-ACK' || state === 'CLOSING';
}

/** tcp_event_data_sent: a reply soon after receiving counts toward interactive (pingpong) mode. */
function dataSent(ctx: Ctx, c: MConn): void {
  if (c.ato > 0 && ctx.now - c.lastRcvAt < c.ato) c.pingpong++;
  dataSegmentSent(c, ctx.now); // lsndtime (CC-3 restart after idle)
  countRecoverySent(c, 1); // PRR prr_out (tcp_write_xmit)
}

function armRetransmit(ctx: Ctx, c: MConn): void {
  if (c.retransmitAt === null) c.retransmitAt = ctx.now + c.rto;
}

/** tcp_minshall_check / RFC 896: would Nagle hold a sub-MSS segment now? */
function nagleHolds(ctx: Ctx, c: MConn): boolean {
  if (c.nodelay) return false;
  if (ctx.profile.nagle === 'minshall') return c.sent.length > 0 && seqGt(c.sndSml, c.sndUna) && seqLe(c.sndSml, c.sndNxt);
  return c.sndNxt !== c.sndUna;
}

/** Is any record marked lost? (A plain loop: this runs on every transmit.) */
function anyMarkedLost(sent: readonly SentSegment[]): boolean {
  for (let i = 0; i < sent.length; i++) if (sent[i]!.lost) return true;
  return false;
}

function dataOf(r: SentSegment): number {
  return Math.max(0, r.len - ((r.flags & FIN) !== 0 ? 1 : 0) - ((r.flags & SYN) !== 0 ? 1 : 0));
}

/**
 * Retransmit segments marked lost by an RTO, oldest first, within cwnd (tcp_xmit_retransmit_queue).
 * A segment larger than the room left in the peer's window is cut to it first, and the cut-off
 * front part goes without PSH/FIN (tcp_retransmit_skb → tcp_fragment; a window of zero still lets
 * the head go, as a probe). A small segment absorbs the lost segments after it while they fit one
 * MSS and the window (tcp_retrans_try_collapse; a FIN rides along: data + FIN as one "FP." segment).
 */
function retransmitLost(ctx: Ctx, c: MConn): void {
  let inflight = packetsInFlight(c);
  const mss = effectiveMss(c, ctx.profile);
  const wndEnd = seqAdd(c.sndUna, c.sndWnd);
  const out: SentSegment[] = [];
  let changed = false;
  let rearm = false;
  let i = 0;
  let sent = c.sent;
  while (i < sent.length) {
    const r = sent[i]!;
    if (!r.lost || inflight >= c.cwnd || (!seqLt(r.seq, wndEnd) && r.seq !== c.sndUna)) {
      // tcp_retransmit_skb: only the head may go beyond the window.
      out.push(r);
      i++;
      continue;
    }
    // The lost segments of one skb go back together: Linux retransmits the (trimmed) skb and cuts it
    // at the MSS again, so a partial ACK shifts every segment boundary (tcp_retransmit_skb).
    let head = r;
    let k = i + 1;
    while (
      r.skb !== undefined && (r.flags & (SYN | FIN)) === 0 && k < sent.length &&
      sent[k]!.lost && sent[k]!.skb === r.skb && sent[k]!.seq === seqAdd(head.seq, head.len) && (sent[k]!.flags & SYN) === 0
    ) {
      const n = sent[k]!;
      head = { ...head, len: head.len + n.len, flags: head.flags | n.flags };
      k++;
    }
    let merged = head;
    let j = k;
    let availWnd = seqLt(r.seq, wndEnd) ? seqDist(r.seq, wndEnd) : 0;
    if (availWnd <= 0) availWnd = mss; // the head goes anyway (a zero-window probe)
    let cut = mss;
    if (cut > availWnd) cut = Math.floor(availWnd / mss) * mss || availWnd;
    if ((head.flags & SYN) === 0 && dataOf(head) > cut) {
      // tcp_fragment: the front part goes now without PSH/FIN; the rest stays marked lost, cut
      // into MSS-sized records again (PSH/FIN on its last one).
      const front: SentSegment = { ...head, len: cut, flags: head.flags & ~(PSH | FIN) };
      sendSegment(ctx, c, front.flags | ACK, front.seq, cut);
      out.push({ ...front, sentAt: ctx.now, retransmitted: true, lost: false });
      changed = true;
      inflight++;
      dataSegmentSent(c, ctx.now);
      if (i === 0) rearm = true; // the head went again: tcp_xmit_retransmit_queue re-arms the RTO from now
      countRetransmission(c, ctx.now); // PRR prr_out, undo_retrans, retrans_stamp (tcp_xmit_retransmit_queue → tcp_retransmit_skb)
      const pieces: SentSegment[] = [];
      let seq = seqAdd(head.seq, cut);
      let left = head.len - cut;
      while (left > 0) {
        const finBit = (head.flags & FIN) !== 0 ? 1 : 0;
        const data = left - finBit;
        const take = data > mss ? mss : left;
        const last = take === left;
        pieces.push({ ...head, seq, len: take, flags: last ? head.flags : head.flags & ~(PSH | FIN) });
        seq = seqAdd(seq, take);
        left -= take;
      }
      // tcp_xmit_retransmit_queue goes on with the rest while cwnd allows (it is lost too).
      sent = out.concat(pieces, sent.slice(k));
      i = out.length;
      continue;
    }
    if ((head.flags & SYN) === 0 && dataOf(head) < Math.min(availWnd, mss)) {
      const avail = Math.min(mss, availWnd);
      while (j < sent.length && (merged.flags & FIN) === 0) {
        const n = sent[j]!;
        if (!n.lost || (n.flags & SYN) !== 0) break;
        const total = dataOf(merged) + dataOf(n);
        if (total > avail) break;
        merged = { ...merged, len: merged.len + n.len, flags: merged.flags | n.flags, retransmitted: true, lost: true };
        j++;
      }
    }
    sendSegment(ctx, c, merged.flags | ACK, merged.seq, dataOf(merged));
    out.push({ ...merged, sentAt: ctx.now, retransmitted: true, lost: false });
    changed = true;
    inflight++;
    dataSegmentSent(c, ctx.now);
    if (i === 0) rearm = true; // the head went again: tcp_xmit_retransmit_queue re-arms the RTO from now
    countRetransmission(c, ctx.now); // PRR prr_out, undo_retrans, retrans_stamp (tcp_xmit_retransmit_queue → tcp_retransmit_skb)
    i = j;
  }
  if (changed) {
    c.sent = out;
    if (rearm) c.retransmitAt = ctx.now + c.rto;
    else armRetransmit(ctx, c);
  }
}

/** tcp_mss_split_point: how much of a multi-segment chunk to send now. */
function splitPoint(ctx: Ctx, c: MConn, len: number, mss: number, maxSegs: number, isTail: boolean): number {
  const window = seqDist(c.sndNxt, seqAdd(c.sndUna, c.sndWnd));
  const maxLen = mss * maxSegs;
  if (maxLen <= window && !isTail) return maxLen;
  const needed = Math.min(len, window);
  if (maxLen <= needed) return maxLen;
  const partial = needed % mss;
  if (partial !== 0 && nagleHolds(ctx, c)) return needed - partial;
  return needed;
}

/** Push out whatever the rules allow. */
export function transmit(ctx: Ctx, c: MConn): void {
  if (!canSendData(c.state)) return;
  const p = ctx.profile;
  rfc6675Transmit(ctx, c); // RFC 6675 loss recovery (rfc9293 with SACK): the fast retransmission, then NextSeg
  // SACK recovery: holes past the head too; not when the ACK asked for none (F-RTO new data, undo hold).
  if (anyMarkedLost(c.sent) && !c.cc.holdRetransmit) retransmitLost(ctx, c);
  const mss = effectiveMss(c, p);
  let inflight = packetsInFlight(c);
  // tcp_push_pending_frames runs tcp_write_xmit only with a send head (then tcp_cwnd_validate).
  const hadSendHead = c.sendQueue.length > 0 || (c.finSeq !== null && seqLe(c.sndNxt, c.finSeq));
  let queue: SendChunk[] | null = null; // copy-on-write of c.sendQueue
  let records: SentSegment[] | null = null;
  let sentAny = false;
  for (;;) {
    const q = queue ?? c.sendQueue;
    const finPending = c.finSeq !== null && seqLe(c.sndNxt, c.finSeq);
    if (q.length === 0 && !finPending) break;
    const chunk = q[0];
    const chunkEnd = chunk === undefined ? c.sndNxt : chunk.end;
    const isTail = q.length <= 1;
    const len = seqDist(c.sndNxt, chunkEnd);
    const fin = finPending && isTail && chunkEnd === c.finSeq;
    const psh = chunk !== undefined && chunk.psh;
    // tcp_cwnd_test: at most half the window per chunk, so two chunks are in flight.
    if (inflight >= c.cwnd) break;
    const quota = Math.min(Math.max(c.cwnd >> 1, 1), c.cwnd - inflight);
    const wndEnd = seqAdd(c.sndUna, c.sndWnd);
    let sendLen: number;
    // The FIN takes a sequence number and must fit the window like data (RFC 9293 §3.8.6.1).
    let finFits = fin;
    if (p.senderSws === 'linux') {
      // tcp_snd_wnd_test: the first MSS of the chunk (FIN included when it is the whole chunk) must fit.
      const testEnd = seqAdd(c.sndNxt, len > mss ? mss : len + (fin ? 1 : 0));
      if (seqGt(testEnd, wndEnd)) {
        break;
      }
      if (len <= mss) {
        // tcp_nagle_test: a sub-MSS segment waits while a small one is unacknowledged (not with FIN).
        if (len < mss && !fin && nagleHolds(ctx, c)) break;
        sendLen = len;
      } else {
        // tcp_write_xmit fragments only when skb->len > limit: never more than the chunk.
        sendLen = Math.min(len, splitPoint(ctx, c, len, mss, Math.min(quota, tsoSegs(c, p, mss)), isTail));
      }
    } else {
      // RFC 1122 §4.2.3.4: a full segment, all queued data, or half the peer's largest window.
      const usable = seqLt(c.sndNxt, wndEnd) ? seqDist(c.sndNxt, wndEnd) : 0;
      const n = Math.min(len, mss, usable);
      finFits = fin && usable > n;
      const ok = (n > 0 || finFits) && (n === mss || (n === len && (n === 0 || finFits || !(n < mss && nagleHolds(ctx, c)))) || n >= c.sndMaxWnd / 2);
      if (!ok) {
        break;
      }
      sendLen = n;
    }
    const sendFin = finFits && sendLen === len;
    if (sendLen === 0 && !sendFin) break;
    // The burst: MSS segments, PSH (and FIN) on the last one.
    const burstStart = c.sndNxt;
    const burstPsh = sendLen > 0 && ((psh && sendLen === len) || (p.gsoMaxSize > 0 && sendLen > mss));
    if (records === null) records = c.sent.slice();
    let off = 0;
    do {
      const segLen = Math.min(mss, sendLen - off);
      const last = off + segLen === sendLen;
      let flags = ACK;
      if (last && burstPsh) flags |= PSH;
      if (last && sendFin) flags |= FIN;
      const start = c.sndNxt;
      sendSegment(ctx, c, flags, start, segLen);
      const consumed = segLen + ((flags & FIN) !== 0 ? 1 : 0);
      records.push({ seq: start, len: consumed, flags, sentAt: ctx.now, retransmitted: false, lost: false, skb: burstStart });
      c.sndNxt = seqAdd(start, consumed);
      if (segLen < mss) c.sndSml = c.sndNxt; // tcp_minshall_update
      if (segLen > 0) dataSent(ctx, c);
      inflight++;
      off += segLen;
    } while (off < sendLen);
    c.sent = records;
    sentAny = true;
    if (chunk !== undefined && sendLen === len) {
      if (queue === null) queue = c.sendQueue.slice();
      queue.shift();
      c.sendQueue = queue;
    }
    if (sendFin) break;
  }
  if (sentAny) armRetransmit(ctx, c);
  if (hadSendHead) cwndValidate(c, sentAny); // CC-2: was this window cwnd-limited?
  if (sentAny) scheduleLossProbe(ctx, c, false); // DT-5: tail loss probe (tlp.ts)
  checkProbeTimer(ctx, c); // FC-4: data stuck with nothing in flight → persist timer (persist.ts)
}
