/**
 * Building the segments a connection sends: SYN / SYN-ACK, ACK-bearing segments with the selected
 * window and timestamp / SACK options, the active RST, and RSTs answering a segment
 * (RFC 9293 §3.10.7.1 and §3.5.2; Linux tcp_v4_send_reset).
 *
 * Every ACK-bearing segment goes through `sendSegment`, which also does what Linux's
 * tcp_event_ack_sent does: the owed ACK is paid, the delayed-ACK timer stops, a quick-ACK credit is
 * used (DT-12).
 */
import type { SackBlock, Segment } from '../wire/types.js';
import { ACK, FIN, RST, SYN } from '../wire/types.js';
import { seqAdd, seqDist, seqInRange, seqLt } from '../wire/seq.js';
import type { Ctx } from './ctx.js';
import { note } from './ctx.js';
import type { Conn, MConn } from './types.js';
import { segmentOptions, synOptions } from './options.js';
import { selectWindow } from './window.js';
import { reportBlocks } from './sack-report.js';
import { tsTicks } from './tsclock.js';

/** Our TSval now (RFC 7323 §4.1; Linux: ms clock + per-connection offset). */
export function tsVal(ctx: Ctx, c: Conn): number {
  return (tsTicks(ctx.profile, ctx.now) + c.tsOffset) >>> 0;
}

function put(ctx: Ctx, c: Conn, seg: Segment): void {
  ctx.out.push({ kind: 'segment', src: ctx.addr, dst: c.remoteAddr ?? ctx.peerAddr, seg });
}

/** SACK blocks for an ACK (RFC 2018 §4, RFC 2883 §4): D-SACK first, then the newest block, then the rest. */
function sackBlocks(c: Conn, dsack: boolean): SackBlock[] | null {
  if (!c.sackOk || ((c.dsack === null || !dsack) && c.ooo.length === 0)) return null;
  const max = c.tsOk ? 3 : 4;
  // Linux order: D-SACK (unless tcp_dsack=0), then the remembered blocks most recently changed
  // first (sack-report.ts).
  const blocks = reportBlocks(c, max, dsack).map((b): SackBlock => ({ left: b.left, right: b.right }));
  return blocks.length > 0 ? blocks : null;
}

/** tcp_event_ack_sent: an ACK went out. */
function ackSent(ctx: Ctx, c: MConn): void {
  if (c.quickAcks > 0) {
    const pkts = c.ackPending ? 1 : 0;
    if (pkts >= c.quickAcks) {
      c.quickAcks = 0;
      c.ato = ctx.profile.atoMin;
    } else {
      c.quickAcks -= pkts;
    }
  }
  c.ackPending = false;
  c.ackNow = false;
  c.ackPushed = false;
  c.delayedAckAt = null;
  c.dsack = null;
}

/**
 * Send a non-SYN segment of this connection. With ACK set: ack = RCV.NXT, the window from
 * tcp_select_window, timestamps and SACK blocks when negotiated (HD-2, HD-4).
 */
export function sendSegment(ctx: Ctx, c: MConn, flags: number, seq: number, len: number): void {
  let ack = 0;
  let window = 0;
  let options: Segment['options'] = [];
  if ((flags & ACK) !== 0) {
    ack = c.rcvNxt;
    window = c.minisock ? Math.min(c.rcvWnd >> c.rcvWscale, 0xffff) : selectWindow(c, ctx.profile);
    options = segmentOptions(c.tsOk ? { val: tsVal(ctx, c), ecr: c.tsRecent } : null, (flags & RST) === 0 ? sackBlocks(c, ctx.profile.dsack) : null);
  } else if (c.tsOk) {
    options = segmentOptions({ val: tsVal(ctx, c), ecr: c.tsRecent }, null);
  }
  put(ctx, c, { srcPort: c.localPort, dstPort: c.remotePort, seq, ack, flags, window, urgent: 0, options, len });
  if ((flags & ACK) !== 0) ackSent(ctx, c);
}

/** A bare ACK: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> (RFC 9293 §3.10.7.4). */
export function sendAck(ctx: Ctx, c: MConn): void {
  sendSegment(ctx, c, ACK, acceptableSeq(ctx, c), 0);
}

/**
 * tcp_output.c:tcp_acceptable_seq: SND.NXT, unless the peer shrank its window so that SND.NXT lies
 * beyond its right edge (by at least one unit of our window scale with scaling): then the right
 * edge SND.UNA + SND.WND, which the peer still accepts.
 */
export function acceptableSeq(ctx: Ctx, c: Conn): number {
  if (ctx.profile.ackSeqWhenWindowShrank === 'snd-nxt') return c.sndNxt;
  const wndEnd = seqAdd(c.sndUna, c.sndWnd);
  if (!seqLt(wndEnd, c.sndNxt)) return c.sndNxt;
  if (c.wscaleOk && seqDist(wndEnd, c.sndNxt) < 1 << c.rcvWscale) return c.sndNxt;
  return wndEnd;
}

/**
 * Out-of-window ACK rate limit (Linux tcp_oow_rate_limited, RFC 5961 §7): true when an ACK of this
 * kind was sent less than profile.invalidRateLimit ago. Data segments are never limited.
 */
export function oowRateLimited(ctx: Ctx, c: MConn, seg: Segment): boolean {
  // tcp_oow_rate_limited: a segment occupying sequence space (data, or a FIN: end_seq ≠ seq) and
  // without SYN is never limited.
  if ((seg.len > 0 || (seg.flags & FIN) !== 0) && (seg.flags & SYN) === 0) return false;
  return challengeLimited(ctx, c);
}

function challengeLimited(ctx: Ctx, c: MConn): boolean {
  const lim = ctx.profile.invalidRateLimit;
  if (lim > 0 && c.lastOowAckAt !== null && ctx.now - c.lastOowAckAt < lim && ctx.now >= c.lastOowAckAt) return true;
  c.lastOowAckAt = ctx.now;
  return false;
}

/** RFC 5961 §3.2 / §4 challenge ACK, rate limited per socket (Linux tcp_send_challenge_ack). RS-2. */
export function sendChallengeAck(ctx: Ctx, c: MConn, why: string): void {
  if (challengeLimited(ctx, c)) {
    note(ctx, c, 'RS-2/challenge-ack-limited', `challenge ACK suppressed by the per-socket rate limit (${why})`);
    return;
  }
  note(ctx, c, 'RS-2/challenge-ack', `challenge ACK: ${why}`);
  sendAck(ctx, c);
}

/** Our SYN (withAck false) or SYN-ACK, in the profile's option layout, window never scaled (HS-9). */
export function sendSyn(ctx: Ctx, c: MConn, withAck: boolean, offer: { sack: boolean; ts: boolean; wscale: boolean }): void {
  const ts = offer.ts ? { val: tsVal(ctx, c), ecr: withAck ? c.tsRecent : 0 } : null;
  const options = synOptions(c.advMss, offer.sack, ts, offer.wscale ? c.rcvWscale : null);
  const seg: Segment = {
    srcPort: c.localPort,
    dstPort: c.remotePort,
    seq: c.iss,
    ack: withAck ? c.rcvNxt : 0,
    flags: withAck ? SYN | ACK : SYN,
    window: Math.min(c.rcvWnd, 0xffff),
    urgent: 0,
    options,
    len: 0,
  };
  put(ctx, c, seg);
  if (withAck) ackSent(ctx, c);
}

/**
 * Active reset (close with unread data, SO_LINGER 0, abort): RST|ACK, seq = SND.NXT, ack = RCV.NXT,
 * with window and timestamps (Linux tcp_send_active_reset; linux-reference.md §5). CT-8, CT-9.
 */
export function sendActiveRst(ctx: Ctx, c: MConn): void {
  sendSegment(ctx, c, RST | ACK, acceptableSeq(ctx, c), 0);
}

/**
 * The RST that answers `seg` when there is no connection for it (RFC 9293 §3.10.7.1):
 * with ACK → <SEQ=SEG.ACK><CTL=RST>; without → <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>, where
 * SEG.LEN counts SYN and FIN. Window 0, no options (Linux tcp_v4_send_reset). Never for an RST.
 */
export function rstReply(seg: Segment): Segment | null {
  if ((seg.flags & RST) !== 0) return null;
  if ((seg.flags & ACK) !== 0) {
    return { srcPort: seg.dstPort, dstPort: seg.srcPort, seq: seg.ack, ack: 0, flags: RST, window: 0, urgent: 0, options: [], len: 0 };
  }
  const segLen = seg.len + ((seg.flags & SYN) !== 0 ? 1 : 0) + ((seg.flags & FIN) !== 0 ? 1 : 0);
  return { srcPort: seg.dstPort, dstPort: seg.srcPort, seq: 0, ack: seqAdd(seg.seq, segLen), flags: RST | ACK, window: 0, urgent: 0, options: [], len: 0 };
}

export function sendRstReply(ctx: Ctx, src: string, seg: Segment, rule: string, text: string, c: Conn | null): void {
  const r = rstReply(seg);
  if (r === null) {
    note(ctx, c, rule, `${text}; no RST answers an RST (RS-3)`);
    return;
  }
  note(ctx, c, rule, text);
  ctx.out.push({ kind: 'segment', src: ctx.addr, dst: src, seg: r });
}
