/**
 * The sender (Linux tcp_output.c:tcp_write_xmit and friends): retransmit segments marked lost, then
 * cut new data into segments of the effective MSS (DT-9, HS-8), subject to the congestion window
 * (CC-1), the peer's window (FC-1), sender SWS avoidance (FC-6), Nagle with Minshall's variant or
 * TCP_NODELAY (DT-10), PSH marks (DT-11), and FIN on the last segment (CT-3).
 *
 * Part 1 gap (say it, do not hide it): no zero-window probe / persist timer (FC-4, part 2). When data
 * waits on a closed window with nothing in flight, a note `FC-4/persist-missing` is written.
 */
import { ACK, FIN, PSH, SYN } from '../wire/types.js';
import { seqAdd, seqDist, seqGt, seqLe, seqLt } from '../wire/seq.js';
import type { Ctx } from './ctx.js';
import { note } from './ctx.js';
import type { MConn, SentSegment } from './types.js';
import type { Profile } from './profile-type.js';
import { sendSegment } from './emit.js';
import { packetsInFlight } from './congestion.js';

/** tcp_bound_to_half_wnd: never a segment larger than half the peer's largest window. */
export function effectiveMss(c: MConn, p: Profile): number {
  let mss = c.mssCache;
  if (p.boundMssToHalfWindow && c.sndMaxWnd > 0) {
    const cutoff = c.sndMaxWnd > 536 ? c.sndMaxWnd >> 1 : c.sndMaxWnd;
    if (mss > cutoff) mss = Math.max(cutoff, 68 - (20 + (c.tsOk ? 12 : 0)));
  }
  return Math.max(1, mss);
}

function canSendData(state: MConn['state']): boolean {
  return state === 'ESTABLISHED' || state === 'CLOSE-WAIT' || state === 'FIN-WAIT-1' || state === 'LAST-ACK';
}

function hasPushMark(c: MConn, start: number, end: number): boolean {
  for (const m of c.pushMarks) if (seqGt(m, start) && seqLe(m, end)) return true;
  return false;
}

/** tcp_event_data_sent: a reply soon after receiving counts toward interactive (pingpong) mode. */
function dataSent(ctx: Ctx, c: MConn): void {
  if (c.ato > 0 && ctx.now - c.lastRcvAt < c.ato) c.pingpong++;
}

function armRetransmit(ctx: Ctx, c: MConn): void {
  if (c.retransmitAt === null) c.retransmitAt = ctx.now + c.rto;
}

/** Retransmit segments marked lost by an RTO, oldest first, within cwnd (tcp_xmit_retransmit_queue). */
function retransmitLost(ctx: Ctx, c: MConn): void {
  let inflight = packetsInFlight(c);
  let changed: SentSegment[] | null = null;
  const wndEnd = seqAdd(c.sndUna, c.sndWnd);
  for (let i = 0; i < c.sent.length; i++) {
    const r = c.sent[i]!;
    if (!r.lost) continue;
    if (inflight >= c.cwnd) break;
    // tcp_retransmit_skb: only the head may go beyond the window.
    if (!seqLt(r.seq, wndEnd) && r.seq !== c.sndUna) break;
    const dataLen = r.len - ((r.flags & FIN) !== 0 ? 1 : 0) - ((r.flags & SYN) !== 0 ? 1 : 0);
    sendSegment(ctx, c, r.flags | ACK, r.seq, Math.max(0, dataLen));
    if (changed === null) changed = c.sent.slice();
    changed[i] = { seq: r.seq, len: r.len, flags: r.flags, sentAt: ctx.now, retransmitted: true, lost: false };
    inflight++;
  }
  if (changed !== null) {
    c.sent = changed;
    armRetransmit(ctx, c);
  }
}

/** Push out whatever the rules allow. */
export function transmit(ctx: Ctx, c: MConn): void {
  if (!canSendData(c.state) && c.state !== 'CLOSING') return;
  const p = ctx.profile;
  if (c.sent.length > 0 && c.sent[0]!.lost) retransmitLost(ctx, c);
  if (!canSendData(c.state)) return;
  const mss = effectiveMss(c, p);
  let inflight = packetsInFlight(c);
  let sentAny = false;
  let newRecords: SentSegment[] | null = null;
  for (;;) {
    const unsent = seqLt(c.sndNxt, c.writeSeq) ? seqDist(c.sndNxt, c.writeSeq) : 0;
    const finPending = c.finSeq !== null && c.sndNxt === c.finSeq;
    if (unsent === 0 && !finPending) break;
    if (inflight >= c.cwnd) break;
    const wndEnd = seqAdd(c.sndUna, c.sndWnd);
    let segLen = Math.min(unsent, mss);
    if (p.senderSws === 'linux') {
      // tcp_snd_wnd_test: the whole (≤ MSS) segment, FIN included, must fit the window.
      const fin = finPending && segLen === unsent;
      if (seqGt(seqAdd(c.sndNxt, segLen + (fin ? 1 : 0)), wndEnd)) {
        if (inflight === 0) note(ctx, c, 'FC-4/persist-missing', 'data waits on the peer window with nothing in flight; the persist timer is part 2');
        break;
      }
    } else {
      // RFC 1122 §4.2.3.4: a full segment, all queued data, or half the peer's largest window.
      const usable = seqLt(c.sndNxt, wndEnd) ? seqDist(c.sndNxt, wndEnd) : 0;
      const n = Math.min(segLen, usable);
      const fin = finPending && n === unsent;
      const ok = (n > 0 || fin) && (n === mss || n === unsent || n >= c.sndMaxWnd / 2);
      if (!ok) {
        if (inflight === 0 && unsent > 0) note(ctx, c, 'FC-4/persist-missing', 'data waits on the peer window with nothing in flight; the persist timer is part 2');
        break;
      }
      segLen = n;
    }
    const fin = finPending && segLen === unsent;
    // Nagle (RFC 896 / RFC 1122 §4.2.3.4) or Minshall's variant (tcp_nagle_check, tcp_minshall_check).
    if (segLen < mss && !fin && !c.nodelay) {
      const hold =
        p.nagle === 'minshall'
          ? c.sent.length > 0 && seqGt(c.sndSml, c.sndUna) && seqLe(c.sndSml, c.sndNxt)
          : c.sndNxt !== c.sndUna;
      if (hold) break;
    }
    const start = c.sndNxt;
    const end = seqAdd(start, segLen);
    let flags = ACK;
    if (segLen > 0 && hasPushMark(c, start, end)) flags |= PSH;
    if (fin) flags |= FIN;
    sendSegment(ctx, c, flags, start, segLen);
    const consumed = segLen + (fin ? 1 : 0);
    if (newRecords === null) newRecords = c.sent.slice();
    newRecords.push({ seq: start, len: consumed, flags, sentAt: ctx.now, retransmitted: false, lost: false });
    c.sent = newRecords;
    c.sndNxt = seqAdd(start, consumed);
    if (segLen < mss) c.sndSml = c.sndNxt; // tcp_minshall_update
    inflight++;
    sentAny = true;
    if (segLen > 0) dataSent(ctx, c);
  }
  if (sentAny) {
    armRetransmit(ctx, c);
    if (c.pushMarks.length > 0) {
      let k = 0;
      while (k < c.pushMarks.length && seqLe(c.pushMarks[k]!, c.sndNxt)) k++;
      if (k > 0) c.pushMarks = c.pushMarks.slice(k);
    }
  }
}
