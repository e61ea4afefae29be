/**
 * Segment arrival in the synchronized states and SYN-RECEIVED (RFC 9293 §3.10.7.4), in the RFC's
 * order of checks: sequence number (with RFC 7323 PAWS first), RST, security (not modelled), SYN,
 * ACK, URG (not modelled), segment text, FIN. One small function per check, each citing its rule
 * and the behaviour IDs it implements. TIME-WAIT has its own handler (timewait.ts); LISTEN and the
 * embryonic SYN-RECEIVED of a listener live in listener.ts; SYN-SENT in handshake.ts.
 */
import type { Segment } from '../wire/types.js';
import { ACK, FIN, RST, SYN, URG } from '../wire/types.js';
import { seqAdd, seqDiff, seqDist, seqGe, seqGt, seqInWindow, seqLe, seqLt, seqMax } from '../wire/seq.js';
import type { Ctx } from './ctx.js';
import { event, getConn, mut, note, setState } from './ctx.js';
import type { MConn, OooRange } from './types.js';
import type { PeerOptions } from './options.js';
import { oowRateLimited, sendAck, sendChallengeAck, sendRstReply } from './emit.js';
import { ackSndCheck, dataReceived, enterQuickAck, measureRcvMss } from './ackpolicy.js';
import { freezeMinisockWindow, growWindow, headerBytes, initBufferSpace, receiveWindow, segTailroom, segTruesize } from './window.js';
import { optionsLength } from '../wire/options.js';
import { transmit } from './output.js';
import { ackRttSample, handshakeFallback, tsEcr } from './rto.js';
import { ackReceived, keepaliveOnEstablished } from './keepalive.js';
import { ackWhileProbing } from './persist.js';
import { tlpOnAck } from './tlp.js';
import { initCongestion } from './congestion.js';
import { onAck } from './recovery.js';
import { origDataAcked } from './frto.js';
import { rackOnCumAck } from './rack.js';
import { processSackBlocks, sackedCount } from './sack-scoreboard.js';
import { closeConn, dropRequest, finTime } from './teardown.js';
import { sackNewOfo } from './sack-report.js';
import type { Errno } from '../scenario/types.js';
import { writeSpace } from './sendbuf.js';

/** Sequence space a segment occupies: SYN + data + FIN (RFC 9293 §3.4 SEG.LEN). */
export function segSpace(seg: Segment): number {
  return seg.len + ((seg.flags & SYN) !== 0 ? 1 : 0) + ((seg.flags & FIN) !== 0 ? 1 : 0);
}

/** Full pipeline for a connection that is not LISTEN, SYN-SENT, TIME-WAIT or a listener's request. */
export function synchronizedArrival(ctx: Ctx, c: MConn, seg: Segment, po: PeerOptions, src: string): void {
  if (!checkPaws(ctx, c, seg, po)) return;
  if (!checkSequence(ctx, c, seg)) return;
  if ((seg.flags & RST) !== 0) {
    checkRst(ctx, c, seg);
    return;
  }
  if ((seg.flags & SYN) !== 0 && !isSimultaneousOpenSynAck(c, seg)) {
    // RFC 5961 §4.2 / RFC 9293 §3.10.7.4 fourth: a SYN in a synchronized state gets a challenge ACK (RS-2).
    sendChallengeAck(ctx, c, 'SYN in a synchronized state (RFC 5961 §4)');
    return;
  }
  ackAndRest(ctx, c, seg, po, src);
}

/** RFC 7323 §5.3 PAWS (HD-4): a timestamp older than TS.Recent marks an old duplicate. */
function checkPaws(ctx: Ctx, c: MConn, seg: Segment, po: PeerOptions): boolean {
  if (!c.tsOk || po.ts === null || (seg.flags & RST) !== 0) return true;
  if (c.tsRecent === 0) return true; // Linux tcp_paws_check: no TS.Recent yet
  if (ctx.now - c.tsRecentAt > 24 * 86400 * 1_000_000) return true; // RFC 7323 §5.5: TS.Recent too old
  if (seqDiff(po.ts.val, c.tsRecent) <= ctx.profile.pawsWindow) return true;
  if ((seg.flags & SYN) !== 0) {
    sendChallengeAck(ctx, c, 'SYN failing PAWS');
    return false;
  }
  note(ctx, c, 'HD-4/paws-reject', `PAWS: TSval ${po.ts.val} older than TS.Recent ${c.tsRecent}; dropped with a duplicate ACK`);
  if (!oowRateLimited(ctx, c, seg)) sendDupAck(ctx, c, seg);
  return false;
}

/** tcp_send_dupack: answer an unacceptable segment; old data also gets a D-SACK and quick ACKs (DT-13). */
function sendDupAck(ctx: Ctx, c: MConn, seg: Segment): void {
  const space = segSpace(seg);
  const end = seqAdd(seg.seq, space);
  if (space > 0 && seqLt(seg.seq, c.rcvNxt)) {
    enterQuickAck(ctx, c);
    if (c.sackOk) c.dsack = { left: seg.seq, right: seqGt(end, c.rcvNxt) ? c.rcvNxt : end };
  }
  sendAck(ctx, c);
}

/**
 * Linux tcp_input.c:tcp_reset_check: an RST at RCV.NXT − 1 after the peer's FIN also counts. A
 * Linux extension, so only under Linux acceptability: RFC 5961 §3.2 resets only on an exact
 * RCV.NXT match, and RFC 9293 §3.10.7.4 drops an RST outside the window (RST-3).
 */
function resetCheck(ctx: Ctx, c: MConn, seg: Segment): boolean {
  if (ctx.profile.acceptability !== 'linux') return false;
  return seg.seq === seqAdd(c.rcvNxt, -1) && (c.state === 'CLOSE-WAIT' || c.state === 'LAST-ACK' || c.state === 'CLOSING');
}

/**
 * RFC 9293 §3.10.7.4 first check: is the segment acceptable? (RS-1, FC-2). Profile
 * `acceptability`: the RFC's four-case table, or Linux tcp_sequence (left edge at rcv_wup; an empty
 * segment may sit on the right edge; 6.17+ end-beyond-edge rule).
 */
function isAcceptable(ctx: Ctx, c: MConn, seg: Segment): boolean {
  const p = ctx.profile;
  const len = segSpace(seg);
  const end = seqAdd(seg.seq, len);
  const wnd = receiveWindow(c);
  if (p.acceptability === 'linux') {
    if (seqLt(end, c.rcvWup)) return false;
    const right = seqAdd(c.rcvNxt, wnd);
    if (seqGt(end, right)) {
      // A FIN may stick out past the right edge (a bare FIN is accepted at window 0).
      if (!seqGt(seqAdd(end, (seg.flags & FIN) !== 0 ? -1 : 0), right)) return true;
      if (seqGt(seg.seq, right)) return false;
      if (p.dropEndBeyondWindowWhenQueued && c.readable > 0) return false;
    }
    return true;
  }
  if (len === 0) return wnd === 0 ? seg.seq === c.rcvNxt : seqInWindow(seg.seq, c.rcvNxt, wnd);
  // Zero window: "special allowance should be made to accept valid ACKs, URGs, and RSTs" — the text
  // step then drops the data.
  if (wnd === 0) return seg.seq === c.rcvNxt;
  return seqInWindow(seg.seq, c.rcvNxt, wnd) || seqInWindow(seqAdd(end, -1), c.rcvNxt, wnd);
}

function checkSequence(ctx: Ctx, c: MConn, seg: Segment): boolean {
  if (isAcceptable(ctx, c, seg)) return true;
  if ((seg.flags & RST) !== 0) {
    if (resetCheck(ctx, c, seg)) {
      resetByPeer(ctx, c);
      return false;
    }
    note(ctx, c, 'RS-2/rst-out-of-window', `RST seq ${seg.seq} outside the window (RCV.NXT ${c.rcvNxt}); dropped`);
    return false;
  }
  if ((seg.flags & SYN) !== 0) {
    sendChallengeAck(ctx, c, 'SYN outside the window');
    return false;
  }
  note(ctx, c, 'RS-1/unacceptable', `segment seq ${seg.seq} len ${seg.len} not acceptable (RCV.NXT ${c.rcvNxt}, window ${receiveWindow(c)}); ACK`);
  if (oowRateLimited(ctx, c, seg)) {
    note(ctx, c, 'RS-1/dupack-limited', 'duplicate ACK suppressed by the rate limit');
    return false;
  }
  sendDupAck(ctx, c, seg);
  return false;
}

/** The errno an accepted RST reports in each state (RS-3; Linux tcp_reset). */
function resetErrno(ctx: Ctx, c: MConn): Errno | null {
  switch (c.state) {
    case 'SYN-SENT':
      return 'ECONNREFUSED';
    case 'SYN-RECEIVED':
      // Only an active open (simultaneous open) has a socket to tell; a listener's request has
      // none and keeps the old answer. Profile `resetErrnoSynReceived` (RST-6).
      return c.activeOpen ? ctx.profile.resetErrnoSynReceived : 'ECONNREFUSED';
    case 'CLOSE-WAIT':
      return ctx.profile.resetErrnoCloseWait;
    case 'ESTABLISHED':
    case 'FIN-WAIT-1':
    case 'FIN-WAIT-2':
    case 'CLOSING':
    case 'LAST-ACK':
      // tcp_reset: every other state reports ECONNRESET (recv still returns 0 after the peer's
      // FIN, SOCK_DONE being checked first in tcp.c:tcp_recvmsg_locked; send() sees the error).
      return 'ECONNRESET';
    case 'TIME-WAIT':
    case 'CLOSED':
    case 'LISTEN':
      return null;
    default: {
      const never: never = c.state;
      return never;
    }
  }
}

/** An acceptable RST: the connection is reset (RFC 9293 §3.10.7.4 second check; RS-3). */
export function resetByPeer(ctx: Ctx, c: MConn): void {
  note(ctx, c, 'RS-3/reset', `RST accepted in ${c.state}`);
  closeConn(ctx, c, resetErrno(ctx, c), 'rcv RST');
}

/** RFC 5961 §3.2 (RS-2): only an RST at exactly RCV.NXT resets; another in-window RST gets a challenge ACK. */
function checkRst(ctx: Ctx, c: MConn, seg: Segment): void {
  if (seg.seq === c.rcvNxt || resetCheck(ctx, c, seg)) {
    resetByPeer(ctx, c);
    return;
  }
  if (ctx.profile.rstAcceptsSackEdge && c.sackOk && c.ooo.length > 0) {
    let maxSack = c.ooo[0]!.right;
    for (const r of c.ooo) maxSack = seqMax(maxSack, r.right);
    if (seg.seq === maxSack) {
      resetByPeer(ctx, c);
      return;
    }
  }
  sendChallengeAck(ctx, c, `in-window RST seq ${seg.seq} ≠ RCV.NXT ${c.rcvNxt} (RFC 5961 §3.2)`);
}

/** Linux lets the SYN-ACK of a simultaneous open through to the ACK step (tcp_rcv_state_process). HS-10. */
function isSimultaneousOpenSynAck(c: MConn, seg: Segment): boolean {
  return (
    c.state === 'SYN-RECEIVED' &&
    c.parent === null &&
    (seg.flags & ACK) !== 0 &&
    (seg.flags & FIN) === 0 &&
    seg.len === 0 &&
    seqAdd(seg.seq, 1) === c.rcvNxt &&
    seg.ack === c.sndNxt
  );
}

/** From the ACK check on: ACK, URG, text, FIN, then send what is due. */
export function ackAndRest(ctx: Ctx, c: MConn, seg: Segment, po: PeerOptions, src: string): void {
  // RFC 9293 §3.10.7.4 fifth: "if the ACK bit is off, drop the segment and return".
  if ((seg.flags & ACK) === 0) {
    note(ctx, c, 'RS-1/no-ack', 'segment without ACK in a synchronized state; dropped');
    return;
  }
  if (c.state === 'SYN-RECEIVED') {
    if (!(seqLt(c.sndUna, seg.ack) && seqLe(seg.ack, c.sndNxt))) {
      sendRstReply(ctx, src, seg, 'HS-1/syn-rcvd-bad-ack', `SYN-RECEIVED: ACK ${seg.ack} does not acknowledge our SYN; RST`, c);
      return;
    }
    if (!establishFromSynReceived(ctx, c, seg, src)) return;
  }
  if (!processAck(ctx, c, seg, po)) return;
  if (c.state === 'CLOSED') return;
  if ((seg.flags & URG) !== 0) note(ctx, c, 'URG/ignored', 'urgent pointer not modelled');
  processText(ctx, c, seg, src);
  finishSegment(ctx, c);
}

/** After an input: send data the window now allows, then the owed ACK (tcp_data_snd_check, tcp_ack_snd_check). */
export function finishSegment(ctx: Ctx, c: MConn): void {
  if (c.state === 'CLOSED' || c.state === 'TIME-WAIT' || c.state === 'LISTEN') return;
  transmit(ctx, c);
  writeSpace(ctx, c); // tcp_check_space
  ackSndCheck(ctx, c);
}

/**
 * SYN-RECEIVED → ESTABLISHED (RFC 9293 §3.10.7.4 fifth, HS-1, HS-13, LQ-1, LQ-3). For a passive
 * open the child joins the accept queue; if that is full the ACK is ignored (the SYN-ACK timer will
 * resend) or, with abort_on_overflow, answered with RST. Returns false when the segment is consumed.
 */
function establishFromSynReceived(ctx: Ctx, c: MConn, seg: Segment, src: string): boolean {
  const p = ctx.profile;
  if (c.parent !== null) {
    const l = getConn(ctx, c.parent);
    if (l === null || l.state !== 'LISTEN') {
      sendRstReply(ctx, src, seg, 'LQ-1/no-listener', 'listener gone; RST', c);
      dropRequest(ctx, c, 'CLOSED', 'listener closed');
      return false;
    }
    const n = l.acceptQueue.length;
    const full = p.queueFullTest === 'greater' ? n > l.backlog : n >= l.backlog;
    if (full) {
      if (p.abortOnOverflow) {
        sendRstReply(ctx, src, seg, 'LQ-3/abort-on-overflow', 'accept queue full and abort_on_overflow: RST', c);
        dropRequest(ctx, c, 'CLOSED', 'accept queue overflow');
        return false;
      }
      c.reqAcked = true;
      note(ctx, c, 'LQ-3/accept-queue-full', `accept queue full (${n} > backlog ${l.backlog}): third ACK ignored, SYN-ACK will be retransmitted`);
      return false;
    }
    const lm = mut(ctx, l.id)!;
    lm.synQueue = lm.synQueue.filter((id) => id !== c.id);
    lm.acceptQueue = [...lm.acceptQueue, c.id];
    setState(ctx, c, 'ESTABLISHED', 'rcv ACK of SYN');
    event(ctx, lm, 'accept-ready');
  } else {
    setState(ctx, c, 'ESTABLISHED', 'rcv ACK of SYN (simultaneous open)');
    c.everConnected = true;
    event(ctx, c, 'connected');
  }
  // The window of the establishing ACK is scaled (RFC 7323 §2.2: only SYN windows are not).
  const synUnscaled = (seg.flags & SYN) !== 0 && !p.scaleSynAckWindowInSynReceived;
  c.sndWnd = synUnscaled ? seg.window : seg.window << c.sndWscale; // ≤ 65535 << 14 < 2^31
  c.sndWl1 = seg.seq;
  c.sndWl2 = seg.ack;
  // A passive child is created from this ACK: its largest peer window starts at this window, not
  // the SYN's unscaled one (tcp_minisocks.c:tcp_create_openreq_child, max_window = snd_wnd).
  c.sndMaxWnd = c.parent !== null ? c.sndWnd : Math.max(c.sndMaxWnd, c.sndWnd);
  initBufferSpace(c, p);
  initCongestion(c, p, 0); // CC-6: IW at ESTABLISHED; the ACK of our SYN-ACK does not grow it
  keepaliveOnEstablished(ctx, c); // KA-1: tcp_create_openreq_child arms keepalive
  c.reqAcked = false;
  return true;
}

/** RFC 9293 §3.10.7.4 fifth check on ESTABLISHED and later states (DT-1, FC-1, RS-2, CT-1, CT-4). */
/**
 * tcp_input.c:tcp_rcv_established header prediction (with tcp_fast_path_check's conditions): only
 * ACK (PSH ignored), exactly the timestamp option, the window field unchanged, seq = RCV.NXT =
 * rcv_wup, TSval not older than TS.Recent, nothing out of order, an open window. Such a segment
 * gets tcp_store_ts_recent before tcp_ack (pure ACKs: dt-old-ack-ignored; data: gen-1-0004,
 * gen-1-0650, both re-recorded). Not followed: a data segment also needs its truesize to fit
 * sk_forward_alloc (kernel memory accounting), so the kernel sometimes takes the slow path
 * (gen-1-0382).
 */
function fastPathPredicted(c: MConn, seg: Segment, po: PeerOptions): boolean {
  if (!c.tsOk || po.ts === null) return false;
  if ((seg.flags & ~0x08) !== ACK) return false;
  if (optionsLength(seg.options) !== 12) return false;
  if (seg.window !== c.sndWnd >>> c.sndWscale) return false;
  if (seg.seq !== c.rcvNxt || c.rcvNxt !== c.rcvWup) return false;
  if (c.ooo.length > 0 || c.rcvWnd === 0) return false;
  return seqDiff(c.tsRecent, po.ts.val) >= 0;
}

function processAck(ctx: Ctx, c: MConn, seg: Segment, po: PeerOptions): boolean {
  const p = ctx.profile;
  const ack = seg.ack;
  if (seqLt(ack, c.sndUna)) {
    // RFC 5961 §5.2: an ACK older than SND.UNA − MAX.SND.WND is suspicious.
    if (seqLt(ack, seqAdd(c.sndUna, -c.sndMaxWnd))) {
      sendChallengeAck(ctx, c, `ACK ${ack} below SND.UNA − MAX.SND.WND (RFC 5961 §5.2)`);
      return false;
    }
    // Linux's header-prediction fast path stores TS.Recent before it looks at the ACK, so a
    // predicted segment updates it even with an old ACK (observed on 6.18.44: dt-old-ack-ignored).
    if (fastPathPredicted(c, seg, po)) {
      c.tsRecent = po.ts!.val;
      c.tsRecentAt = ctx.now;
    }
    return true; // duplicate ACK: ignored, the segment's text is still processed
  }
  if (seqGt(ack, c.sndNxt)) {
    switch (p.ackAboveSndNxt) {
      case 'ack':
        note(ctx, c, 'DT-1/ack-unsent', `ACK ${ack} above SND.NXT ${c.sndNxt}: ACK and drop`);
        sendAck(ctx, c);
        return false;
      case 'drop':
        note(ctx, c, 'DT-1/ack-unsent', `ACK ${ack} above SND.NXT ${c.sndNxt}: dropped`);
        return false;
      case 'challenge-ack':
        sendChallengeAck(ctx, c, `ACK ${ack} above SND.NXT ${c.sndNxt}`);
        return false;
      default: {
        const never: never = p.ackAboveSndNxt;
        return never;
      }
    }
  }
  // RFC 7323 §4.3: TS.Recent follows the segment that covers Last.ACK.sent (Linux rcv_wup).
  if (c.tsOk && po.ts !== null && seqLe(seg.seq, c.rcvWup) && seqDiff(c.tsRecent, po.ts.val) >= 0) {
    c.tsRecent = po.ts.val;
    c.tsRecentAt = ctx.now;
  }
  ackReceived(ctx, c); // KA-1/FC-4: rcv_tstamp, unanswered probes cleared (tcp_ack)
  // DT-6: a duplicate ACK (RFC 5681 §2) — judged before the window update, which it must not be.
  const wndBefore = c.sndWnd;
  const windowUpdated = updateWindow(ctx, c, seg);
  const prevUna = c.sndUna;
  const scoreboard = c.sackOk && p.sackRecovery;
  const sackedBefore = scoreboard ? sackedCount(c) : 0;
  const origAcked = seqGt(ack, c.sndUna) && origDataAcked(c, ack); // frto.ts: FLAG_ORIG_SACK_ACKED (before the records go)
  if (seqGt(ack, c.sndUna)) rackOnCumAck(ctx, c, ack); // rack.ts: tcp_clean_rtx_queue → tcp_rack_advance
  const ackedPackets = seqGt(ack, c.sndUna) ? advanceUna(ctx, c, ack, seg) : 0;
  if (c.state === 'CLOSED') return true;
  // DT-7/DT-8: the SACK scoreboard (tcp_sacktag_write_queue), after the cumulative ACK.
  const sack = scoreboard ? processSackBlocks(ctx, c, seg) : { newlySacked: 0, dsack: false, origSacked: false };
  const duplicate =
    ack === prevUna && segSpace(seg) === 0 && c.sent.length > 0 && !sack.dsack &&
    (p.windowUpdate === 'linux' ? !windowUpdated : c.sndWnd === wndBefore);
  const ackedSacked = scoreboard ? sackedBefore - (sackedCount(c) - sack.newlySacked) : 0;
  onAck(ctx, c, { prevUna, ackedPackets, duplicate, scoreboard, newlySacked: sack.newlySacked, ackedSacked, origAcked: origAcked || sack.origSacked, ecr: c.tsOk ? tsEcr(seg) : null, dsack: sack.dsack });
  ackWhileProbing(ctx, c); // FC-4: tcp_ack_probe
  tlpOnAck(ctx, c, ack, seqGt(c.sndUna, prevUna), duplicate); // DT-5: tcp_process_tlp_ack, tcp_set_xmit_timer
  return true;
}

/** SND.WND update (FC-1, FC-7): RFC 9293 §3.10.7.4 WL1/WL2 rule or Linux tcp_may_update_window. */
function updateWindow(ctx: Ctx, c: MConn, seg: Segment): boolean {
  // A SYN's window is not scaled (RFC 7323 §2.2), except where the profile follows Linux for the
  // SYN-ACK that completes a simultaneous open (its SYN_RECV step shifts every window).
  const nwin = (seg.flags & SYN) !== 0 && !ctx.profile.scaleSynAckWindowInSynReceived ? seg.window : seg.window << c.sndWscale;
  const may =
    ctx.profile.windowUpdate === 'linux'
      ? seqGt(seg.ack, c.sndUna) || seqGt(seg.seq, c.sndWl1) || (seg.seq === c.sndWl1 && (nwin > c.sndWnd || nwin === 0))
      : seqLt(c.sndWl1, seg.seq) || (c.sndWl1 === seg.seq && seqLe(c.sndWl2, seg.ack));
  if (!may) return false;
  c.sndWnd = nwin;
  c.sndWl1 = seg.seq;
  c.sndWl2 = seg.ack;
  if (nwin > c.sndMaxWnd) c.sndMaxWnd = nwin;
  return true;
}

/**
 * New data acknowledged: SND.UNA moves, the retransmission queue shrinks, RTT updates, FIN-acked
 * transitions. Returns the data records fully acknowledged (for cwnd, recovery.ts).
 */
function advanceUna(ctx: Ctx, c: MConn, ack: number, seg: Segment): number {
  const p = ctx.profile;
  let removed = 0;
  let sample: number | null = null;
  let karn = false;
  let synAcked = false;
  const sent = c.sent;
  let k = 0;
  while (k < sent.length) {
    const r = sent[k]!;
    const end = seqAdd(r.seq, r.len);
    if (!seqLe(end, ack)) break;
    // DT-5: the oldest newly acknowledged segment times the round trip, unless any acknowledged
    // segment was retransmitted (Karn, RFC 6298 §3; tcp_clean_rtx_queue FLAG_RETRANS_DATA_ACKED).
    if (r.retransmitted) karn = true;
    else if (sample === null && r.sacked !== true) sample = ctx.now - r.sentAt; // SACKed: timed when SACKed
    if ((r.flags & SYN) !== 0) synAcked = true;
    if ((r.flags & SYN) === 0) removed++; // the SYN is not counted as a data packet for cwnd

    k++;
  }
  let rest = k > 0 ? sent.slice(k) : sent;
  const head = rest[0];
  if (head !== undefined && seqGt(ack, head.seq)) {
    // Partial acknowledgement of the head segment (Linux tcp_trim_head).
    const copy = rest.slice();
    copy[0] = { ...head, seq: ack, len: seqDist(ack, seqAdd(head.seq, head.len)) };
    rest = copy;
  }
  c.sent = rest;
  c.sndUna = ack;
  if (seqLt(c.sndSml, c.sndUna)) c.sndSml = c.sndUna;
  // A valid sample (or, with timestamps, the TS echo) recomputes the RTO; else the backoff stays.
  ackRttSample(c, p, ctx.now, karn ? null : sample, seg);
  if (synAcked) handshakeFallback(c, p); // RFC 6298 §5.7: no sample from the handshake → 3 s
  c.retransmits = 0;
  c.retransStamp = null;
  c.retransmitAt = c.sent.length > 0 ? ctx.now + c.rto : null;

  if (c.finSeq !== null && seqGt(ack, c.finSeq)) {
    switch (c.state) {
      case 'FIN-WAIT-1':
        setState(ctx, c, 'FIN-WAIT-2', 'rcv ACK of FIN');
        if (c.fd === null) {
          // CT-6: an orphan waits at most max(tcp_fin_timeout, 3.5 RTO) (tcp.h:tcp_fin_time).
          c.finWait2At = ctx.now + finTime(c, p);
          if ((seg.flags & FIN) === 0) freezeMinisockWindow(c, p); // with a FIN it stays a full socket until tcp_fin
        }
        break;
      case 'CLOSING':
        setState(ctx, c, 'TIME-WAIT', 'rcv ACK of FIN');
        freezeMinisockWindow(c, p);
        c.timeWaitAt = ctx.now + p.timeWaitLen;
        break;
      case 'LAST-ACK':
        closeConn(ctx, c, null, 'rcv ACK of FIN');
        break;
      default:
        break;
    }
  }
  return removed;
}

/** RFC 9293 §3.10.7.4 seventh (text) and eighth (FIN). DT-3, DT-13, FC-2, CT-7, CT-10. */
function processText(ctx: Ctx, c: MConn, seg: Segment, src: string): void {
  const st = c.state;
  const afterPeerFin = st === 'CLOSE-WAIT' || st === 'CLOSING' || st === 'LAST-ACK';
  // CLOSE-WAIT, CLOSING, LAST-ACK: text and FIN at or above RCV.NXT are ignored; an older segment
  // (a retransmitted FIN) still goes through the data queue and gets its duplicate ACK with D-SACK
  // (tcp_input.c:tcp_rcv_state_process falls through to tcp_data_queue when seq < rcv_nxt).
  if (afterPeerFin && !seqLt(seg.seq, c.rcvNxt)) return;
  if (st !== 'ESTABLISHED' && st !== 'FIN-WAIT-1' && st !== 'FIN-WAIT-2' && !afterPeerFin) return;
  const syn = (seg.flags & SYN) !== 0 ? 1 : 0;
  const fin = (seg.flags & FIN) !== 0;
  const space = segSpace(seg);
  if (space === 0) return;
  const end = seqAdd(seg.seq, space);
  // CT-7 / RFC 1122 §4.2.2.13: new data once the receive side is shut (close(), or with profile
  // `rstOnDataAfterPeerFin` the peer's FIN: RCV_SHUTDOWN) is answered with RST
  // (tcp_rcv_state_process, LINUX_MIB_TCPABORTONDATA).
  const newData = seg.len > 0 && seqGt(seqAdd(end, fin ? -1 : 0), c.rcvNxt);
  if (afterPeerFin && !c.rcvShutdown && !ctx.profile.rstOnDataAfterPeerFin && newData) {
    // RFC 9293 §3.10.7.4 seventh: after the peer's FIN, segment text "should not occur"; ignore it.
    note(ctx, c, 'CT-10/text-after-fin', `data ${seg.seq}..${end} beyond the peer's FIN (RCV.NXT ${c.rcvNxt}) ignored`);
    return;
  }
  if ((c.rcvShutdown || afterPeerFin) && st !== 'ESTABLISHED' && newData) {
    sendRstReply(ctx, src, seg, 'CT-7/data-after-close', 'data arrived after close(): RST', c);
    // tcp_reset picks the errno by state: EPIPE in CLOSE-WAIT (gen-1-0897), else ECONNRESET.
    closeConn(ctx, c, resetErrno(ctx, c) ?? 'ECONNRESET', 'rcv data after close');
    return;
  }
  if (seqLe(end, c.rcvNxt)) {
    // DT-3/DT-13: a duplicate; ACK at once (with D-SACK).
    note(ctx, c, 'DT-3/duplicate', `duplicate segment ${seg.seq}..${end} below RCV.NXT ${c.rcvNxt}; immediate ACK`);
    enterQuickAck(ctx, c);
    if (c.sackOk) c.dsack = { left: seg.seq, right: end };
    c.ackPending = true;
    c.ackNow = true;
    return;
  }
  let dataStart = seqAdd(seg.seq, syn);
  let dataLen = seg.len;
  if (seqLt(dataStart, c.rcvNxt)) {
    // Partly old: D-SACK the old part, keep the new (tcp_data_queue partial packet).
    const old = seqDist(dataStart, c.rcvNxt);
    if (c.sackOk && old > 0) c.dsack = { left: dataStart, right: c.rcvNxt };
    dataStart = c.rcvNxt;
    dataLen = Math.max(0, dataLen - old);
  }
  const wnd = receiveWindow(c);
  if (dataStart !== c.rcvNxt) {
    queueOutOfOrder(ctx, c, dataStart, dataLen, fin, wnd, seg);
    return;
  }
  // In order.
  if (dataLen > 0) {
    if (wnd === 0) {
      // FC-2: in-order data at a zero window is dropped and ACKed (a bare FIN still passes).
      note(ctx, c, 'FC-2/zero-window', `in-order data at a zero window dropped (seq ${dataStart}, ${dataLen} bytes)`);
      enterQuickAck(ctx, c);
      c.ackPending = true;
      c.ackNow = true;
      return;
    }
    let take = dataLen;
    let finOk = fin;
    if (ctx.profile.trimToWindow && take > wnd) {
      take = wnd;
      finOk = false;
    }
    // Memory: a new skb, unless the segment fits behind the tail skb's data (tcp_try_coalesce).
    const hdr = headerBytes(optionsLength(seg.options));
    const truesize = segTruesize(ctx.profile, seg.len, hdr);
    if (c.readable > 0 && seg.len <= c.rcvTailroom) {
      c.rcvTailroom -= seg.len;
    } else {
      c.rcvTruesize += truesize;
      c.rcvTailroom = segTailroom(ctx.profile, seg.len, hdr);
    }
    c.rcvNxt = seqAdd(c.rcvNxt, take);
    c.readable += take;
    // tcp_event_data_recv sees the whole segment (its skb), not just the new bytes.
    dataReceived(ctx, c, seg.len, truesize);
    const hadOoo = c.ooo.length > 0;
    const oooFin = drainOutOfOrder(c);
    if (hadOoo) c.rcvTailroom = 0;
    if (hadOoo && c.ooo.length === 0) c.ackNow = true; // RFC 5681 §4.2: ACK at once when a gap fills
    growWindow(c, ctx.profile, seg.len, truesize);
    event(ctx, c, 'readable');
    if (finOk || oooFin) processFin(ctx, c);
    return;
  }
  if (fin) processFin(ctx, c);
}

/** Insert [start, start+len) (+FIN) into the out-of-order queue (DT-3); an immediate ACK follows. */
function queueOutOfOrder(ctx: Ctx, c: MConn, start: number, len: number, fin: boolean, wnd: number, seg: Segment): void {
  if (!seqLt(start, seqAdd(c.rcvNxt, wnd))) {
    note(ctx, c, 'FC-2/beyond-window', `data at ${start} beyond the window; dropped and ACKed`);
    enterQuickAck(ctx, c);
    c.ackPending = true;
    c.ackNow = true;
    return;
  }
  if (ctx.profile.trimToWindow) {
    const room = seqDist(start, seqAdd(c.rcvNxt, wnd));
    if (len > room) {
      len = room;
      fin = false;
    }
  }
  const right = seqAdd(start, len + (fin ? 1 : 0));
  if (right === start) return;
  c.ackPending = true;
  c.lastOooSeq = start;
  if (c.sackOk) sackNewOfo(c, start, right); // tcp_data_queue_ofo → add_sack, duplicates too
  // Already held entirely? Then it is a duplicate (D-SACK, RFC 2883).
  for (const r of c.ooo) {
    if (seqGe(start, r.left) && seqLe(right, r.right)) {
      if (c.sackOk) c.dsack = { left: start, right };
      c.ackNow = true;
      return;
    }
  }
  // Partly held already: the first overlap is reported as D-SACK (tcp_data_queue_ofo,
  // tcp_dsack_set / tcp_dsack_extend; later overlaps are separated by gaps and do not extend it).
  for (const r of c.ooo) {
    const l = seqGt(r.left, start) ? r.left : start;
    const h = seqLt(r.right, right) ? r.right : right;
    if (seqLt(l, h)) {
      dsackExtend(c, l, h);
      break;
    }
  }
  const truesize = segTruesize(ctx.profile, seg.len, headerBytes(optionsLength(seg.options)));
  c.oooTruesize += truesize;
  if (ctx.profile.oooMeasuresRcvMss) {
    // tcp_data_queue_ofo (6.17+): tcp_measure_rcv_mss, and with SACK tcp_grow_window.
    measureRcvMss(ctx, c, seg.len, truesize);
    if (c.sackOk) growWindow(c, ctx.profile, seg.len, truesize);
  }
  let left = start;
  let newRight = right;
  let newFin = fin;
  const kept: OooRange[] = [];
  let inserted = false;
  for (const r of c.ooo) {
    if (seqLt(r.right, left)) {
      kept.push(r);
      continue;
    }
    if (seqGt(r.left, newRight)) {
      if (!inserted) {
        kept.push({ left, right: newRight, fin: newFin });
        inserted = true;
      }
      kept.push(r);
      continue;
    }
    // Overlapping or adjacent: merge.
    if (seqLt(r.left, left)) left = r.left;
    if (seqGt(r.right, newRight)) {
      newRight = r.right;
      newFin = r.fin;
    } else if (r.right === newRight) {
      newFin = newFin || r.fin;
    }
  }
  if (!inserted) kept.push({ left, right: newRight, fin: newFin });
  c.ooo = kept;
  note(ctx, c, 'DT-3/out-of-order', `out-of-order data ${start}..${right} held (RCV.NXT ${c.rcvNxt})`);
}

/** tcp_dsack_extend: start a D-SACK block, or grow the pending one when the range touches it. */
function dsackExtend(c: MConn, left: number, right: number): void {
  if (!c.sackOk) return;
  const d = c.dsack;
  if (d === null) {
    c.dsack = { left, right };
  } else if (seqLe(left, d.right) && seqLe(d.left, right)) {
    c.dsack = { left: seqLt(left, d.left) ? left : d.left, right: seqGt(right, d.right) ? right : d.right };
  }
}

/** Move out-of-order ranges that now touch RCV.NXT into the readable stream. Returns true when a FIN was reached. */
function drainOutOfOrder(c: MConn): boolean {
  if (c.ooo.length === 0) return false;
  const before = queuedOooBytes(c);
  let k = 0;
  let fin = false;
  // tcp_ofo_queue: held data the in-order segment already delivered again is a D-SACK.
  let dsackHigh = c.rcvNxt;
  while (k < c.ooo.length) {
    const r = c.ooo[k]!;
    if (seqGt(r.left, c.rcvNxt)) break;
    if (seqLt(r.left, dsackHigh)) {
      // The re-delivered part [left, min(right, high)) (observed on 6.18.44: gen-1-0142).
      if (seqLt(r.right, dsackHigh)) dsackHigh = r.right;
      dsackExtend(c, r.left, dsackHigh);
    }
    // tcp_ofo_queue: a held range the in-order data already covered entirely is dropped — a FIN
    // in it too (a peer whose data runs past its own FIN has contradicted itself).
    if (!seqGt(r.right, c.rcvNxt)) {
      k++;
      continue;
    }
    const dataRight = r.fin ? seqAdd(r.right, -1) : r.right;
    if (seqGt(dataRight, c.rcvNxt)) {
      const n = seqDist(c.rcvNxt, dataRight);
      c.readable += n;
      c.rcvNxt = dataRight;
    }
    k++;
    if (r.fin) {
      fin = true;
      break;
    }
  }
  c.ooo = fin ? [] : c.ooo.slice(k);
  if (c.ooo.length === 0) c.lastOooSeq = null;
  // The drained ranges' memory moves to the in-order queue (proportionally to their bytes).
  const moved = c.ooo.length === 0 ? c.oooTruesize : Math.round((c.oooTruesize * (before - queuedOooBytes(c))) / Math.max(1, before));
  c.oooTruesize -= moved;
  c.rcvTruesize += moved;
  return fin;
}

function queuedOooBytes(c: MConn): number {
  let n = 0;
  for (const r of c.ooo) n += seqDist(r.left, r.right);
  return n;
}

/** RFC 9293 §3.10.7.4 eighth: the peer's FIN in order (CT-1, CT-4, CT-10). */
function processFin(ctx: Ctx, c: MConn): void {
  c.rcvNxt = seqAdd(c.rcvNxt, 1);
  c.finReceived = true;
  c.ackPending = true;
  c.ooo = []; // tcp_fin: anything out of order after the FIN is dropped
  c.oooTruesize = 0;
  c.lastOooSeq = null;
  event(ctx, c, 'eof');
  switch (c.state) {
    case 'SYN-RECEIVED':
    case 'ESTABLISHED':
      setState(ctx, c, 'CLOSE-WAIT', 'rcv FIN');
      // Linux tcp_fin: enter pingpong, so the ACK of the FIN is delayed unless the app answers.
      c.pingpong = Math.max(c.pingpong, ctx.profile.pingpongThresh);
      break;
    case 'FIN-WAIT-1':
      setState(ctx, c, 'CLOSING', 'rcv FIN');
      sendAck(ctx, c);
      break;
    case 'FIN-WAIT-2':
      // tcp_fin: the ACK goes from the full socket (tcp_select_window), or from the minisock an
      // orphan's FIN-WAIT-2 already is (its frozen window); then TIME-WAIT keeps that window.
      sendAck(ctx, c);
      setState(ctx, c, 'TIME-WAIT', 'rcv FIN');
      freezeMinisockWindow(c, ctx.profile);
      c.timeWaitAt = ctx.now + ctx.profile.timeWaitLen;
      break;
    default:
      break;
  }
}
