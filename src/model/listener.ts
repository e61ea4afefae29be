/**
 * Passive open: a listener with its SYN queue and accept queue (LQ-1, LQ-2, LQ-3, LQ-5, LQ-6),
 * LISTEN segment processing (RFC 9293 §3.10.7.2), the embryonic SYN-RECEIVED connection's checks in
 * Linux's tcp_check_req order (tcp_minisocks.c) with profile switches for the RFC order, and the
 * SYN-ACK retransmission timer (HS-6, HS-7; inet_connection_sock.c:reqsk_timer_handler).
 */
import type { Segment } from '../wire/types.js';
import { ACK, FIN, RST, SYN } from '../wire/types.js';
import { seqAdd, seqDiff, seqGt, seqLt, seqInWindow } from '../wire/seq.js';
import type { Ctx } from './ctx.js';
import { addConn, mut, note, roundTimer, setState } from './ctx.js';
import type { Conn, MConn } from './types.js';
import type { PeerOptions } from './options.js';
import { oowRateLimited, sendChallengeAck, sendRstReply, sendSyn, tsVal } from './emit.js';
import { segmentOptions } from './options.js';
import { advertisedMss, negotiate, newSocket } from './conn.js';
import { initialRcvMss, initialWindow } from './window.js';
import { initialSeq, tsOffset } from './isn.js';
import { offer } from './handshake.js';
import { ackAndRest, segSpace } from './arrival.js';
import { dropRequest } from './teardown.js';

function queueFull(ctx: Ctx, n: number, backlog: number): boolean {
  return ctx.profile.queueFullTest === 'greater' ? n > backlog : n >= backlog;
}

/** RFC 9293 §3.10.7.2: a segment for a listener. `isn` overrides the ISN (TIME-WAIT reuse, Linux tw_isn). */
export function listenArrival(ctx: Ctx, l: Conn, seg: Segment, po: PeerOptions, src: string, isn: number | null): void {
  const p = ctx.profile;
  if ((seg.flags & RST) !== 0) {
    note(ctx, l, 'RS-3/listen-rst', 'RST to a listener; ignored');
    return;
  }
  if ((seg.flags & ACK) !== 0) {
    sendRstReply(ctx, src, seg, 'RS-1/listen-ack', 'ACK to a listener: RST <SEQ=SEG.ACK>', l);
    return;
  }
  if ((seg.flags & SYN) === 0) {
    note(ctx, l, 'RS-1/listen-other', 'segment without SYN to a listener; dropped');
    return;
  }
  if ((seg.flags & FIN) !== 0) {
    note(ctx, l, 'HS-1/syn-fin', 'SYN+FIN to a listener; dropped (Linux tcp_rcv_state_process)');
    return;
  }
  if (p.landSyn === 'drop' && src === ctx.addr && seg.srcPort === seg.dstPort) {
    note(ctx, l, 'LQ-6/land', 'SYN from our own address and port (land attack); dropped');
    return;
  }
  if (queueFull(ctx, l.acceptQueue.length, l.backlog)) {
    note(ctx, l, 'LQ-1/accept-queue-full', `accept queue full (${l.acceptQueue.length}, backlog ${l.backlog}): SYN dropped`);
    return;
  }
  if (queueFull(ctx, l.synQueue.length, l.backlog)) {
    note(
      ctx,
      l,
      'LQ-2/syn-queue-full',
      p.syncookies
        ? `SYN queue full (${l.synQueue.length}): SYN dropped (syncookies, LQ-4, are not modelled in part 1)`
        : `SYN queue full (${l.synQueue.length}): SYN dropped`,
    );
    return;
  }
  // tcp_conn_request: without syncookies the last quarter of tcp_max_syn_backlog is kept for
  // proven peers (tcp_peer_is_proven; with tcp_no_metrics_save none is proven) — LQ-2.
  const msb = p.maxSynBacklog;
  if (!p.syncookies && isn === null && msb > 0 && msb - l.synQueue.length < msb >> 2) {
    note(ctx, l, 'LQ-2/max-syn-backlog', `SYN queue at ${l.synQueue.length} of tcp_max_syn_backlog ${msb}: unproven SYN dropped`);
    return;
  }
  createRequest(ctx, l, seg, po, src, isn);
}

/** tcp_conn_request: a child in SYN-RECEIVED, the SYN-ACK, the SYN-ACK timer (HS-1, HS-8, HS-9). */
function createRequest(ctx: Ctx, l: Conn, seg: Segment, po: PeerOptions, src: string, isn: number | null): void {
  const p = ctx.profile;
  const c = newSocket(ctx, null);
  c.state = 'LISTEN';
  c.parent = l.id;
  c.localPort = l.localPort;
  c.remoteAddr = src;
  c.remotePort = seg.srcPort;
  c.nodelay = l.nodelay;
  c.keepalive = l.keepalive;
  c.keepIdle = l.keepIdle;
  c.keepIntvl = l.keepIntvl;
  c.keepCnt = l.keepCnt;
  c.userTimeout = l.userTimeout;
  c.linger = l.linger;
  c.userMss = l.userMss;
  c.rcvBuf = l.rcvBuf;
  c.sndBuf = l.sndBuf;
  c.rcvBufLocked = l.rcvBufLocked;
  c.iss = isn ?? initialSeq(ctx.seed, ctx.now, ctx.addr, c.localPort, src, c.remotePort, ctx.profile.isnTickUs);
  c.tsOffset = tsOffset(ctx.seed, ctx.addr, c.localPort, src, c.remotePort);
  c.irs = seg.seq;
  c.rcvNxt = seqAdd(seg.seq, 1);
  c.rcvWup = c.rcvNxt;
  c.sndUna = c.iss;
  c.sndNxt = seqAdd(c.iss, 1);
  c.writeSeq = c.sndNxt;
  c.pushedSeq = c.sndNxt;
  c.sndSml = c.sndNxt;
  c.advMss = advertisedMss(ctx, c);
  const off = offer(ctx);
  c.peerOffered = { wscale: po.wscale, sack: po.sackOk, ts: po.ts !== null };
  negotiate(ctx, c, po, off);
  // tcp_openreq_init_rwin: the window is sized with the MSS minus the timestamp option.
  const iw = initialWindow(c, p, c.advMss - (c.tsOk ? 12 : 0), c.wscaleOk);
  c.rcvWnd = iw.rcvWnd;
  c.rcvWscale = iw.rcvWscale;
  c.windowClamp = iw.windowClamp;
  c.rcvSsthresh = iw.rcvWnd;
  c.rcvMss = initialRcvMss(c);
  c.sndWnd = seg.window; // SYN window: never scaled
  c.sndWl1 = seg.seq;
  c.sndWl2 = c.iss;
  c.sndMaxWnd = seg.window;
  c.rto = p.initialRto;
  addConn(ctx, c);
  const lm = mut(ctx, l.id)!;
  lm.synQueue = [...lm.synQueue, c.id];
  setState(ctx, c, 'SYN-RECEIVED', 'rcv SYN');
  sendSynAck(ctx, c);
  c.synAckFirstAt = ctx.now;
  c.sent = [{ seq: c.iss, len: 1, flags: SYN | ACK, sentAt: ctx.now, retransmitted: false, lost: false }];
  c.retransmitAt = ctx.now + p.initialRto;
}

function sendSynAck(ctx: Ctx, c: MConn): void {
  const off = offer(ctx);
  sendSyn(ctx, c, true, { sack: c.sackOk, ts: c.tsOk, wscale: off.wscale && c.wscaleOk });
}

/** Linux tcp_in_window for request sockets. */
function requestInWindow(c: MConn, seg: Segment): boolean {
  const end = seqAdd(seg.seq, segSpace(seg));
  const s = c.rcvNxt;
  const e = seqAdd(c.rcvNxt, c.rcvWnd);
  if (seg.seq === s) return true;
  if (seqGt(end, s) && seqLt(seg.seq, e)) return true;
  return seg.seq === e && seg.seq === end;
}

/**
 * The ACK a request sends for an unacceptable segment (tcp_v4_reqsk_send_ack): seq = ISS + 1,
 * ack = RCV.NXT, window = the SYN-ACK's window scaled down (not re-selected), timestamps if on.
 */
function sendRequestAck(ctx: Ctx, c: MConn): void {
  const options = c.tsOk ? segmentOptions({ val: tsVal(ctx, c), ecr: c.tsRecent }, null) : [];
  ctx.out.push({
    kind: 'segment',
    src: ctx.addr,
    dst: c.remoteAddr ?? ctx.peerAddr,
    seg: { srcPort: c.localPort, dstPort: c.remotePort, seq: c.sndNxt, ack: c.rcvNxt, flags: ACK, window: Math.min(c.rcvWnd >> c.rcvWscale, 0xffff), urgent: 0, options, len: 0 },
  });
}

/** A segment for an embryonic passive connection (Linux tcp_check_req; RFC 9293 §3.10.7.4 for SYN-RECEIVED). */
export function requestArrival(ctx: Ctx, c: MConn, seg: Segment, po: PeerOptions, src: string): void {
  const p = ctx.profile;
  const flg = seg.flags & (RST | SYN | ACK);
  const paws = c.tsOk && po.ts !== null && c.tsRecent !== 0 && seqDiff(po.ts.val, c.tsRecent) > p.pawsWindow && (seg.flags & RST) === 0;
  // A retransmitted SYN: resend the SYN-ACK (rate limited) and restart the timer (HS-6).
  if (p.synRcvdDupSyn === 'resend-synack' && seg.seq === c.irs && flg === SYN && !paws) {
    if (oowRateLimited(ctx, c, seg)) {
      note(ctx, c, 'HS-6/dup-syn-limited', 'retransmitted SYN: SYN-ACK resend suppressed by the rate limit');
      return;
    }
    note(ctx, c, 'HS-6/dup-syn', 'retransmitted SYN: SYN-ACK sent again');
    sendSynAck(ctx, c);
    c.synRetransCount++;
    markSynAckRetransmitted(ctx, c);
    c.retransmitAt = ctx.now + roundTimer(p, Math.min(p.initialRto * 2 ** c.retransmits, p.rtoMax));
    return;
  }
  const badAck = (flg & ACK) !== 0 && seg.ack !== c.sndNxt;
  if (p.synRcvdAckFirst && badAck) {
    sendRstReply(ctx, src, seg, 'HS-1/syn-rcvd-bad-ack', `SYN-RECEIVED: ACK ${seg.ack} ≠ ISS+1; RST`, c);
    return;
  }
  const inWindow = p.acceptability === 'linux' ? requestInWindow(c, seg) : rfcAcceptable(c, seg);
  if (tsecrRejected(ctx, c, po)) {
    note(ctx, c, 'HD-4/tsecr-reject', `SYN-RECEIVED: TSecr ${po.ts?.ecr} is not a TSval of our SYN-ACK; treated as out of window`);
  }
  if (paws || !inWindow || tsecrRejected(ctx, c, po)) {
    if ((seg.flags & RST) === 0) {
      if (!oowRateLimited(ctx, c, seg)) {
        note(ctx, c, 'RS-1/syn-rcvd-unacceptable', `SYN-RECEIVED: segment seq ${seg.seq} not acceptable; ACK`);
        sendRequestAck(ctx, c);
      }
    } else {
      note(ctx, c, 'RS-2/rst-out-of-window', 'SYN-RECEIVED: RST outside the window; dropped');
    }
    return;
  }
  if (!p.synRcvdAckFirst && badAck && (flg & RST) === 0) {
    sendRstReply(ctx, src, seg, 'HS-1/syn-rcvd-bad-ack', `SYN-RECEIVED: ACK ${seg.ack} ≠ ISS+1; RST`, c);
    return;
  }
  if ((flg & RST) !== 0) {
    if (p.acceptability === 'rfc9293' && seg.seq !== c.rcvNxt) {
      sendChallengeAck(ctx, c, 'in-window RST in SYN-RECEIVED (RFC 5961 §3.2)');
      return;
    }
    // RFC 9293 §3.10.7.4 second check: a passive open returns to LISTEN, silently (RS-3).
    note(ctx, c, 'RS-3/syn-rcvd-reset', 'RST in SYN-RECEIVED (passive): connection dropped, listener unaffected');
    dropRequest(ctx, c, 'LISTEN', 'rcv RST');
    return;
  }
  if ((flg & SYN) !== 0) {
    if (p.synRcvdNewSyn === 'reset') {
      sendRstReply(ctx, src, seg, 'RS-2/syn-rcvd-syn', 'SYN-RECEIVED: in-window SYN; RST and drop the request', c);
      dropRequest(ctx, c, 'CLOSED', 'rcv SYN in window');
    } else {
      sendChallengeAck(ctx, c, 'SYN in SYN-RECEIVED (RFC 5961 §4)');
    }
    return;
  }
  if ((flg & ACK) === 0) {
    note(ctx, c, 'RS-1/no-ack', 'SYN-RECEIVED: segment without ACK; dropped');
    return;
  }
  ackAndRest(ctx, c, seg, po, src);
}

/**
 * tcp_check_req (6.18): with timestamps on, a non-zero TSecr must lie between the TSvals of the
 * first and the last SYN-ACK sent (snt_tsval_first .. snt_tsval_last), else the segment is treated
 * as out of window.
 */
function tsecrRejected(ctx: Ctx, c: MConn, po: PeerOptions): boolean {
  if (!ctx.profile.synRcvdTsecrCheck || !c.tsOk || po.ts === null || po.ts.ecr === 0 || c.synAckFirstAt === null) return false;
  const at = (t: number): number => (Math.floor((t * ctx.profile.tsHz) / 1_000_000) + c.tsOffset) >>> 0;
  const first = at(c.synAckFirstAt);
  const last = at(c.sent[0]?.sentAt ?? c.synAckFirstAt);
  return seqLt(po.ts.ecr, first) || seqGt(po.ts.ecr, last);
}

function rfcAcceptable(c: MConn, seg: Segment): boolean {
  const len = segSpace(seg);
  const wnd = c.rcvWnd;
  if (len === 0) return wnd === 0 ? seg.seq === c.rcvNxt : seqInWindow(seg.seq, c.rcvNxt, wnd);
  if (wnd === 0) return false;
  return seqInWindow(seg.seq, c.rcvNxt, wnd) || seqInWindow(seqAdd(seg.seq, len - 1), c.rcvNxt, wnd);
}

function markSynAckRetransmitted(ctx: Ctx, c: MConn): void {
  if (c.sent.length > 0) c.sent = [{ ...c.sent[0]!, sentAt: ctx.now, retransmitted: true }];
}

/** reqsk_timer_handler: resend the SYN-ACK at 1, 3, 7, 15, 31 s; drop the request at 63 s (HS-6, HS-7, LQ-7). */
export function synAckTimer(ctx: Ctx, c: MConn): void {
  const p = ctx.profile;
  if (c.retransmits >= p.synAckRetries) {
    note(ctx, c, 'HS-7/synack-give-up', `SYN-ACK retries (${p.synAckRetries}) exhausted; request dropped`);
    dropRequest(ctx, c, 'CLOSED', 'timer SYN-ACK give-up');
    return;
  }
  c.retransmits++;
  c.synRetransCount++;
  sendSynAck(ctx, c);
  markSynAckRetransmitted(ctx, c);
  c.retransmitAt = ctx.now + roundTimer(p, Math.min(p.initialRto * 2 ** c.retransmits, p.rtoMax));
  note(ctx, c, 'HS-7/synack-retransmit', `SYN-ACK retransmission ${c.retransmits}`);
}
