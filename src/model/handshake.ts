/**
 * Active open: connect() sends the SYN (HS-1, HS-8, HS-9), SYN-SENT segment processing
 * (RFC 9293 §3.10.7.3: HS-3, HS-10, HS-11, HS-13, RS-4), and the SYN / SYN-ACK retransmission timer
 * with Linux's linear-then-exponential schedule and give-up (HS-5, HS-6, HS-12;
 * tcp_timer.c:tcp_retransmit_timer, tcp_write_timeout, retransmits_timed_out).
 */
import type { Segment } from '../wire/types.js';
import { ACK, RST, SYN } from '../wire/types.js';
import { seqAdd, seqGt, seqLe } from '../wire/seq.js';
import type { Ctx } from './ctx.js';
import { event, note, roundTimer, setState } from './ctx.js';
import type { MConn } from './types.js';
import type { PeerOptions } from './options.js';
import { sendAck, sendRstReply, sendSyn } from './emit.js';
import { advertisedMss, negotiate } from './conn.js';
import { initBufferSpace, initialRcvMss, initialWindow } from './window.js';
import { initialSeq, tsOffset } from './isn.js';
import { ackRttSample, handshakeFallback, modelTimeout } from './rto.js';
import { keepaliveOnEstablished } from './keepalive.js';
import { closeConn } from './teardown.js';
import { finishSegment } from './arrival.js';
import { initCongestion } from './congestion.js';

/** What this profile offers in its SYN. */
export function offer(ctx: Ctx): { sack: boolean; ts: boolean; wscale: boolean } {
  const p = ctx.profile;
  return { sack: p.offerSack, ts: p.offerTimestamps, wscale: p.offerWscale };
}

/** tcp_connect_init + tcp_connect: choose ISS, windows and options, send the SYN, arm the timer. */
export function startConnect(ctx: Ctx, c: MConn, remotePort: number): void {
  const p = ctx.profile;
  c.remoteAddr = ctx.peerAddr;
  c.remotePort = remotePort;
  c.activeOpen = true;
  c.iss = initialSeq(ctx.seed, ctx.now, ctx.addr, c.localPort, ctx.peerAddr, remotePort, ctx.profile.isnTickUs);
  c.tsOffset = tsOffset(ctx.seed, ctx.addr, c.localPort, ctx.peerAddr, remotePort);
  c.sndUna = c.iss;
  c.sndNxt = seqAdd(c.iss, 1);
  c.writeSeq = c.sndNxt;
  c.pushedSeq = c.sndNxt;
  c.sndSml = c.sndNxt;
  c.advMss = advertisedMss(ctx, c);
  // The active side sizes its first window with the full advertised MSS (no TS deduction yet).
  const iw = initialWindow(c, p, c.advMss, p.offerWscale);
  c.rcvWnd = iw.rcvWnd;
  c.rcvWscale = iw.rcvWscale;
  c.windowClamp = iw.windowClamp;
  c.rcvSsthresh = iw.rcvWnd;
  c.rto = p.initialRto;
  c.retransmits = 0;
  c.retransStamp = ctx.now;
  setState(ctx, c, 'SYN-SENT', 'call connect');
  sendSyn(ctx, c, false, offer(ctx));
  c.sent = [{ seq: c.iss, len: 1, flags: SYN, sentAt: ctx.now, retransmitted: false, lost: false }];
  c.retransmitAt = ctx.now + c.rto;
}

/** RFC 9293 §3.10.7.3: a segment arrives in SYN-SENT. */
export function synSentArrival(ctx: Ctx, c: MConn, seg: Segment, po: PeerOptions, src: string): void {
  const p = ctx.profile;
  const hasAck = (seg.flags & ACK) !== 0;
  const rst = (seg.flags & RST) !== 0;
  // First: the ACK must acknowledge our SYN (ISS < SEG.ACK ≤ SND.NXT).
  if (hasAck && (seqLe(seg.ack, c.iss) || seqGt(seg.ack, c.sndNxt))) {
    if (rst) {
      note(ctx, c, 'RS-4/rst-bad-ack', `SYN-SENT: RST with ACK ${seg.ack} not acknowledging our SYN; dropped`);
      // tcp_input.c:tcp_rcv_synsent_state_process re-arms the SYN timer before looking at RST.
      if (p.synSentBadAckRearm !== null && c.retransmits === 0) c.retransmitAt = ctx.now + p.synSentBadAckRearm;
      return;
    }
    // HS-3: old duplicate SYN-ACK (or any bad ACK) → <SEQ=SEG.ACK><CTL=RST>, stay in SYN-SENT.
    sendRstReply(ctx, src, seg, 'HS-3/old-duplicate', `SYN-SENT: ACK ${seg.ack} ≠ ISS+1; RST, stay in SYN-SENT`, c);
    if (p.synSentBadAckRearm !== null && c.retransmits === 0) c.retransmitAt = ctx.now + p.synSentBadAckRearm;
    return;
  }
  // Second: RST (RS-4: counts only with an acceptable ACK).
  if (rst) {
    if (hasAck) {
      note(ctx, c, 'HS-11/refused', 'SYN-SENT: RST acknowledging our SYN: connection refused');
      closeConn(ctx, c, 'ECONNREFUSED', 'rcv RST');
    } else {
      note(ctx, c, 'RS-4/rst-no-ack', 'SYN-SENT: RST without ACK; dropped');
    }
    return;
  }
  // Fourth: SYN.
  if ((seg.flags & SYN) === 0) {
    note(ctx, c, 'HS-1/no-syn', 'SYN-SENT: segment without SYN or RST; dropped');
    return;
  }
  c.irs = seg.seq;
  c.rcvNxt = seqAdd(seg.seq, 1);
  c.rcvWup = c.rcvNxt;
  const ownRcvWscale = c.rcvWscale;
  // Record what the peer's SYN (or SYN-ACK) offered, as a listener does (listener.ts): a
  // simultaneous-open SYN-ACK and its retransmissions are built from it (RFC 7323 §2.2, §3.2; OPT-2).
  c.peerOffered = { wscale: po.wscale, sack: po.sackOk, ts: po.ts !== null };
  negotiate(ctx, c, po, offer(ctx));
  // Linux keeps its own window scale in a simultaneous open even when the peer's SYN has none
  // (tcp_rcv_synsent_state_process resets rcv_wscale only on the SYN-ACK path).
  const keepOwn = !hasAck && p.simultaneousOpenKeepsOwnOptions;
  if (keepOwn) c.rcvWscale = ownRcvWscale;
  if (!c.wscaleOk && !keepOwn) c.windowClamp = Math.min(c.windowClamp, 0xffff);
  // The window of a SYN is never scaled (RFC 7323 §2.2, HS-9).
  c.sndWnd = seg.window;
  c.sndWl1 = seg.seq;
  c.sndMaxWnd = seg.window;
  if (hasAck) {
    completeActiveOpen(ctx, c, seg);
  } else {
    // HS-10: simultaneous open. Send SYN,ACK with the original ISN and options.
    c.sndWl2 = c.sndUna;
    c.rcvMss = initialRcvMss(c);
    setState(ctx, c, 'SYN-RECEIVED', 'rcv SYN (simultaneous open)');
    sendSyn(ctx, c, true, simultaneousSynAckOffer(ctx, c));
    note(ctx, c, 'HS-10/simultaneous-open', 'SYN-SENT: SYN without ACK: SYN-RECEIVED, SYN-ACK sent');
  }
}

/**
 * The options of our SYN-ACK in a simultaneous open: Linux re-sends its SYN with ACK added and
 * builds the options from the sysctls as for the SYN (tcp_output.c:tcp_send_synack →
 * tcp_syn_options), so window scale goes out even when the peer's SYN had none. Otherwise a
 * SYN-ACK carries only what the peer's SYN offered and we negotiated: window scale (RFC 7323
 * §2.2), timestamps (RFC 7323 §3.2: "MAY send a TSopt in <SYN,ACK> only if it received a TSopt in
 * the initial <SYN>"), SACK-permitted (RFC 2018 §2), as on a listener's SYN-ACK.
 */
function simultaneousSynAckOffer(ctx: Ctx, c: MConn): { sack: boolean; ts: boolean; wscale: boolean } {
  const p = ctx.profile;
  if (p.simultaneousOpenKeepsOwnOptions) return offer(ctx);
  return { sack: c.sackOk, ts: c.tsOk, wscale: p.offerWscale && c.wscaleOk };
}

/** SYN-ACK accepted: ESTABLISHED, connect() completes (HS-13), the ACK goes out at once. */
function completeActiveOpen(ctx: Ctx, c: MConn, seg: Segment): void {
  const p = ctx.profile;
  c.sndWl2 = seg.ack;
  const syn = c.sent[0];
  const retransmittedSyns = c.retransmits;
  c.sndUna = seg.ack;
  // DT-5: the SYN times the handshake unless it was retransmitted (Karn); then a TS echo may.
  ackRttSample(c, p, ctx.now, syn !== undefined && !syn.retransmitted ? ctx.now - syn.sentAt : null, seg);
  c.sent = [];
  c.retransmitAt = null;
  c.retransmits = 0;
  c.retransStamp = null;
  handshakeFallback(c, p); // RFC 6298 §5.7, tcp_metrics.c:tcp_init_metrics
  // CC-6: IW; Linux tcp_init_cwnd after more than one SYN retransmission starts with cwnd 1 (linux-reference §2).
  initCongestion(c, p, retransmittedSyns);
  c.rcvMss = initialRcvMss(c);
  setState(ctx, c, 'ESTABLISHED', 'rcv SYN,ACK');
  keepaliveOnEstablished(ctx, c); // KA-1: tcp_finish_connect arms keepalive
  initBufferSpace(c, p);
  c.everConnected = true;
  event(ctx, c, 'connected');
  if (seg.len > 0) note(ctx, c, 'HS-2/synack-data', 'data on a SYN-ACK is not accepted (Fast Open is out of scope)');
  sendAck(ctx, c);
  finishSegment(ctx, c);
}

/** SYN-SENT / simultaneous-open SYN-RECEIVED retransmission timer. */
export function synTimer(ctx: Ctx, c: MConn): void {
  const p = ctx.profile;
  const maxRetrans = p.synRetries + (c.state === 'SYN-SENT' ? p.synLinearTimeouts : 0);
  const elapsed = c.retransStamp === null ? 0 : ctx.now - c.retransStamp;
  if (c.retransmits >= maxRetrans || (c.retransmits > 0 && elapsed >= modelTimeout(p.synRetries, p.initialRto, p.rtoMax))) {
    note(ctx, c, 'HS-5/give-up', `SYN retransmissions exhausted after ${c.retransmits}; ETIMEDOUT`);
    closeConn(ctx, c, 'ETIMEDOUT', 'timer SYN give-up');
    return;
  }
  c.retransmits++;
  if (c.state === 'SYN-SENT') sendSyn(ctx, c, false, offer(ctx));
  else sendSyn(ctx, c, true, simultaneousSynAckOffer(ctx, c));
  if (c.sent.length > 0) c.sent = [{ ...c.sent[0]!, sentAt: ctx.now, retransmitted: true }];
  // Linear for the first syn_linear_timeouts timeouts in SYN-SENT, then exponential (tcp_retransmit_timer).
  if (c.state !== 'SYN-SENT' || c.retransmits > p.synLinearTimeouts) c.rto = Math.min(c.rto * 2, p.rtoMax);
  c.retransmitAt = ctx.now + roundTimer(p, c.rto);
  note(ctx, c, 'HS-5/syn-retransmit', `SYN retransmission ${c.retransmits}, next in ${c.rto} µs`);
}
