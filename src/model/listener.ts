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
import { segmentOptions, synOptions } from './options.js';
import { advertisedMss, clampedPeerMss, negotiate, newSocket } from './conn.js';
import { initialRcvMss, initialWindow } from './window.js';
import { initialSeq, tsOffset } from './isn.js';
import { offer } from './handshake.js';
import { ackAndRest, segSpace } from './arrival.js';
import { dropRequest } from './teardown.js';
import type { CookieOptions, CookieTuple } from './syncookie.js';
import { checkCookie, cookieMssIndex, cookieTsOptions, cookieTsVal, decodeCookieTs, makeCookie } from './syncookie.js';
import { tsTicks } from './tsclock.js';

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
    if ((seg.flags & SYN) === 0 && cookieAckArrival(ctx, l, seg, po, src)) return;
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
  // tcp_conn_request: a cookie instead of a request when the SYN queue is full (tcp_syncookies=1)
  // or for every SYN (=2) — never for a SYN that reuses a TIME-WAIT 4-tuple (LQ-2, LQ-4).
  const synqFull = queueFull(ctx, l.synQueue.length, l.backlog);
  if (isn === null && (p.syncookies === 'always' || (synqFull && p.syncookies === 'overflow'))) {
    sendCookieSynAck(ctx, l, seg, po, src, synqFull);
    return;
  }
  if (synqFull) {
    note(ctx, l, 'LQ-2/syn-queue-full', `SYN queue full (${l.synQueue.length}): SYN dropped`);
    return;
  }
  // tcp_conn_request: without syncookies the last quarter of tcp_max_syn_backlog is kept for
  // proven peers (tcp_peer_is_proven; with tcp_no_metrics_save none is proven) — LQ-2.
  const msb = p.maxSynBacklog;
  if (p.syncookies === 'off' && isn === null && msb > 0 && msb - l.synQueue.length < msb >> 2) {
    note(ctx, l, 'LQ-2/max-syn-backlog', `SYN queue at ${l.synQueue.length} of tcp_max_syn_backlog ${msb}: unproven SYN dropped`);
    return;
  }
  createRequest(ctx, l, seg, po, src, isn);
}

/**
 * A child of listener `l` for the peer at `src`:`remotePort` whose ISN is `peerIsn`, with our ISN
 * `iss`, options negotiated from `po` (tcp_openreq_init + tcp_create_openreq_child); not yet added.
 */
function newChild(ctx: Ctx, l: Conn, src: string, remotePort: number, peerIsn: number, po: PeerOptions, iss: number): MConn {
  const c = newSocket(ctx, null);
  c.state = 'LISTEN';
  c.parent = l.id;
  c.localPort = l.localPort;
  c.remoteAddr = src;
  c.remotePort = remotePort;
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
  c.sndBufLocked = l.sndBufLocked;
  c.iss = iss;
  c.tsOffset = tsOffset(ctx.seed, ctx.addr, c.localPort, src, c.remotePort);
  c.irs = peerIsn;
  c.rcvNxt = seqAdd(peerIsn, 1);
  c.rcvWup = c.rcvNxt;
  c.sndUna = c.iss;
  c.sndNxt = seqAdd(c.iss, 1);
  c.writeSeq = c.sndNxt;
  c.pushedSeq = c.sndNxt;
  c.sndSml = c.sndNxt;
  c.advMss = advertisedMss(ctx, c);
  c.peerOffered = { wscale: po.wscale, sack: po.sackOk, ts: po.ts !== null };
  negotiate(ctx, c, po, offer(ctx));
  c.rto = ctx.profile.initialRto;
  return c;
}

/** tcp_conn_request: a child in SYN-RECEIVED, the SYN-ACK, the SYN-ACK timer (HS-1, HS-8, HS-9). */
function createRequest(ctx: Ctx, l: Conn, seg: Segment, po: PeerOptions, src: string, isn: number | null): void {
  const p = ctx.profile;
  const iss = isn ?? initialSeq(ctx.seed, ctx.now, ctx.addr, l.localPort, src, seg.srcPort, p.isnTickUs);
  const c = newChild(ctx, l, src, seg.srcPort, seg.seq, po, iss);
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
  addConn(ctx, c);
  const lm = mut(ctx, l.id)!;
  lm.synQueue = [...lm.synQueue, c.id];
  setState(ctx, c, 'SYN-RECEIVED', 'rcv SYN');
  sendSynAck(ctx, c);
  c.synAckFirstAt = ctx.now;
  c.sent = [{ seq: c.iss, len: 1, flags: SYN | ACK, sentAt: ctx.now, retransmitted: false, lost: false }];
  c.retransmitAt = ctx.now + p.initialRto;
}

/** The 4-tuple of a segment from the peer, as a cookie sees it. */
function cookieTuple(ctx: Ctx, seg: Segment, src: string): CookieTuple {
  return { peerAddr: src, peerPort: seg.srcPort, localAddr: ctx.addr, localPort: seg.dstPort };
}

/**
 * LQ-4, tcp_conn_request with want_cookie: answer the SYN with ISN = cookie and keep no state. The
 * SYN-ACK is the one a request would send (same MSS, window and window scale), except that without
 * timestamps it offers only the MSS (tcp_clear_options), and with timestamps its TSval is the cookie
 * timestamp. The listener remembers the overflow so that returning ACKs are checked for cookies
 * (tcp_synq_overflow, at most once per second).
 */
function sendCookieSynAck(ctx: Ctx, l: Conn, seg: Segment, po: PeerOptions, src: string, synqFull: boolean): void {
  const p = ctx.profile;
  const off = offer(ctx);
  const ts = off.ts && po.ts !== null;
  const sackOk = ts && off.sack && po.sackOk;
  const wscaleOk = ts && off.wscale && po.wscale !== null;
  const advMss = advertisedMss(ctx, l);
  const index = cookieMssIndex(p, clampedPeerMss(p, l.userMss, po));
  const t = cookieTuple(ctx, seg, src);
  const cookie = makeCookie(ctx.seed, p, ctx.now, t, seg.seq, index);
  const iw = initialWindow(l, p, advMss - (ts ? 12 : 0), wscaleOk);
  const tsOpt = ts
    ? { val: (cookieTsVal(p, ctx.now, cookieTsOptions(wscaleOk ? po.wscale : null, sackOk)) + tsOffset(ctx.seed, ctx.addr, l.localPort, src, seg.srcPort)) >>> 0, ecr: po.ts!.val }
    : null;
  ctx.out.push({
    kind: 'segment',
    src: ctx.addr,
    dst: src,
    seg: {
      srcPort: l.localPort,
      dstPort: seg.srcPort,
      seq: cookie,
      ack: seqAdd(seg.seq, 1),
      flags: SYN | ACK,
      window: Math.min(iw.rcvWnd, 0xffff),
      urgent: 0,
      options: synOptions(advMss, sackOk, tsOpt, wscaleOk ? iw.rcvWscale : null),
      len: 0,
    },
  });
  const why = synqFull ? `SYN queue full (${l.synQueue.length})` : 'tcp_syncookies=2';
  note(ctx, l, 'LQ-4/cookie-syn-ack', `${why}: cookie SYN-ACK (MSS ${p.syncookieMss[index]}${ts ? '' : ', no timestamps: options dropped'}), no state kept`);
  if (l.synqOverflowAt === null || ctx.now - l.synqOverflowAt >= 1_000_000) mut(ctx, l.id)!.synqOverflowAt = ctx.now;
}

/**
 * LQ-4, cookie_v4_check: an ACK (no SYN, no RST) to a listener that sent cookies recently may carry
 * one back in ack − 1. A valid cookie rebuilds the connection straight into the accept queue (or is
 * dropped silently when that is full); returns false when the ACK is not a cookie ACK, so the
 * listener answers it with a reset.
 */
function cookieAckArrival(ctx: Ctx, l: Conn, seg: Segment, po: PeerOptions, src: string): boolean {
  const p = ctx.profile;
  if (p.syncookies === 'off' || (seg.flags & RST) !== 0) return false;
  // tcp_synq_no_recent_overflow: only within TCP_SYNCOOKIE_VALID of the last cookie sent.
  if (l.synqOverflowAt === null || ctx.now - l.synqOverflowAt > p.syncookieValidUs) return false;
  const t = cookieTuple(ctx, seg, src);
  const peerIsn = seqAdd(seg.seq, -1);
  const index = checkCookie(ctx.seed, p, ctx.now, t, peerIsn, seqAdd(seg.ack, -1));
  if (index === null) {
    note(ctx, l, 'LQ-4/cookie-invalid', `ACK ${seg.ack}: ack − 1 is not a valid cookie`);
    return false;
  }
  const tsOff = tsOffset(ctx.seed, ctx.addr, l.localPort, src, seg.srcPort);
  let opts: CookieOptions = { wscale: null, sackOk: false };
  const ts = po.ts !== null && offer(ctx).ts ? po.ts : null;
  if (ts !== null) {
    const decoded = decodeCookieTs(p, (ts.ecr - tsOff) >>> 0);
    if (decoded === null) {
      note(ctx, l, 'LQ-4/cookie-ts-invalid', `cookie ACK: TSecr ${ts.ecr} names options this host does not offer`);
      return false;
    }
    opts = decoded;
  }
  if (queueFull(ctx, l.acceptQueue.length, l.backlog)) {
    note(ctx, l, 'LQ-4/cookie-accept-queue-full', `valid cookie but the accept queue is full (${l.acceptQueue.length}, backlog ${l.backlog}): ACK dropped`);
    return true;
  }
  const mss = p.syncookieMss[index]!;
  const cpo: PeerOptions = { ...po, mss, wscale: opts.wscale, sackOk: opts.sackOk, ts };
  const c = newChild(ctx, l, src, seg.srcPort, peerIsn, cpo, seqAdd(seg.ack, -1));
  c.tsOffset = tsOff;
  // cookie_v4_check → tcp_select_initial_window with the cookie's MSS (req->mss), not ours.
  const iw = initialWindow(c, p, mss, c.wscaleOk);
  c.rcvWnd = iw.rcvWnd;
  c.rcvWscale = iw.rcvWscale;
  c.windowClamp = iw.windowClamp;
  c.rcvSsthresh = iw.rcvWnd;
  c.rcvMss = initialRcvMss(c);
  c.sndWnd = seg.window;
  c.sndWl1 = peerIsn;
  c.sndWl2 = c.iss;
  c.sndMaxWnd = seg.window;
  // No send time is known for a cookie SYN-ACK (snt_synack = 0): the handshake RTT comes only from
  // the timestamp echo, as for a retransmitted SYN-ACK (Karn).
  c.sent = [{ seq: c.iss, len: 1, flags: SYN | ACK, sentAt: ctx.now, retransmitted: true, lost: false }];
  addConn(ctx, c);
  note(ctx, c, 'LQ-4/cookie-valid', `cookie ACK validated (MSS ${mss}${ts === null ? ', no timestamps' : `, wscale ${opts.wscale ?? 'none'}, ${opts.sackOk ? 'SACK' : 'no SACK'}`}): connection rebuilt`);
  setState(ctx, c, 'SYN-RECEIVED', 'rcv ACK with a valid cookie');
  requestArrival(ctx, c, seg, po, src);
  return true;
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
  const at = (t: number): number => (tsTicks(ctx.profile, t) + c.tsOffset) >>> 0;
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
