/**
 * Timer handling: every timer of every connection due at `now` fires, in connection order and, per
 * connection, in the order retransmission, persist, delayed ACK, keepalive, FIN-WAIT-2, TIME-WAIT
 * (quinn-style: one deadline per kind, one handler per kind).
 *
 * The data retransmission timer (DT-5, CC-4; tcp_timer.c:tcp_retransmit_timer): the give-up check
 * first (giveup.ts: tcp_retries2 / orphan retries as Linux's time budget from the first
 * retransmission, or TCP_USER_TIMEOUT; silent, ETIMEDOUT), then tcp_enter_loss — ssthresh once per
 * episode, cwnd 1, every outstanding segment marked lost — and the head goes again; the RTO doubles
 * up to RTO max and the timer is re-armed (clamped to what is left of a user timeout). Data
 * outstanding at a zero window is retransmitted the same way but never timed out while the peer is
 * heard from (tcp_rtx_probe0_timed_out). The persist timer lives in persist.ts, keepalive in
 * keepalive.ts.
 */
import type { Ctx } from './ctx.js';
import { mut, note, roundTimer } from './ctx.js';
import type { MConn } from './types.js';
import { synTimer } from './handshake.js';
import { synAckTimer } from './listener.js';
import { delayedAckTimer } from './ackpolicy.js';
import { closeConn } from './teardown.js';
import { onRto } from './congestion.js';
import { clampToUserTimeout, giveUp, retransmitsTimedOut, retryBoundary, zeroWindowRtxTimedOut } from './giveup.js';
import { persistTimer } from './persist.js';
import { keepaliveTimer } from './keepalive.js';
import { lossProbe } from './tlp.js';
import { finishSegment } from './arrival.js';
import { rackTimer } from './recovery.js';
import { rtoSpares } from './rack.js';

function due(t: number | null, now: number): boolean {
  return t !== null && t <= now;
}

export function fireTimers(ctx: Ctx): void {
  const n = ctx.conns.length;
  for (let i = 0; i < n; i++) {
    const c0 = ctx.conns[i]!;
    const now = ctx.now;
    if (
      !due(c0.retransmitAt, now) &&
      !due(c0.delayedAckAt, now) &&
      !due(c0.finWait2At, now) &&
      !due(c0.timeWaitAt, now) &&
      !due(c0.persistAt, now) &&
      !due(c0.keepaliveAt, now) &&
      !due(c0.tlpAt, now) &&
      !due(c0.cc.rackReoAt, now)
    ) {
      continue;
    }
    const c = mut(ctx, c0.id)!;
    if (due(c.cc.rackReoAt, now) && rackTimer(ctx, c)) finishSegment(ctx, c); // RACK reordering timer (rack.ts)
    if (due(c.tlpAt, now)) lossProbe(ctx, c); // before the RTO it may pre-empt (same Linux timer slot)
    if (due(c.retransmitAt, now)) {
      c.retransmitAt = null;
      retransmitTimer(ctx, c);
    }
    if (due(c.persistAt, now)) persistTimer(ctx, c);
    if (due(c.delayedAckAt, now)) delayedAckTimer(ctx, c);
    if (due(c.keepaliveAt, now)) keepaliveTimer(ctx, c);
    if (due(c.finWait2At, now)) {
      c.finWait2At = null;
      if (c.state === 'FIN-WAIT-2') {
        note(ctx, c, 'CT-6/fin-wait-2-timeout', 'orphaned FIN-WAIT-2 timed out; connection dropped silently');
        closeConn(ctx, c, null, 'timer FIN-WAIT-2');
      }
    }
    if (due(c.timeWaitAt, now)) {
      c.timeWaitAt = null;
      if (c.state === 'TIME-WAIT') closeConn(ctx, c, null, 'timer TIME-WAIT');
    }
  }
}

function retransmitTimer(ctx: Ctx, c: MConn): void {
  switch (c.state) {
    case 'SYN-SENT':
      synTimer(ctx, c);
      return;
    case 'SYN-RECEIVED':
      if (c.parent !== null) synAckTimer(ctx, c);
      else synTimer(ctx, c);
      return;
    case 'ESTABLISHED':
    case 'CLOSE-WAIT':
    case 'FIN-WAIT-1':
    case 'CLOSING':
    case 'LAST-ACK':
      dataRetransmitTimer(ctx, c);
      return;
    case 'CLOSED':
    case 'LISTEN':
    case 'FIN-WAIT-2':
    case 'TIME-WAIT':
      return;
    default: {
      const never: never = c.state;
      void never;
    }
  }
}

function dataRetransmitTimer(ctx: Ctx, c: MConn): void {
  const p = ctx.profile;
  if (c.sent.length === 0) return;
  if (c.sndWnd === 0 && c.fd !== null) {
    // The peer shrank its window to zero under outstanding data: keep retransmitting as window
    // probes while it answers (tcp_retransmit_timer, tcp_rtx_probe0_timed_out).
    const rtxDelta = ctx.now - (c.retransStamp ?? c.sent[0]!.sentAt);
    if (zeroWindowRtxTimedOut(c, p, ctx.now, rtxDelta)) {
      giveUp(ctx, c, 'zero window: nothing heard from the peer for 2·RTO max');
      return;
    }
  } else if (retransmitsTimedOut(c, p, ctx.now, retryBoundary(c, p))) {
    giveUp(ctx, c, `retransmissions exhausted (${c.retransmits})`);
    return;
  }
  c.tlpHighSeq = null; // tcp_retransmit_timer: an RTO ends any loss probe episode
  c.tlpAt = null;
  // tcp_enter_loss: ssthresh on the first timeout of the episode, cwnd 1, everything outstanding lost.
  onRto(c, c.retransmits === 0, p);
  // tcp_timeout_mark_lost: not SACKed ones, nor (with RACK) ones sent too recently to judge.
  c.sent = c.sent.map((s, i) => (s.lost || s.sacked === true || rtoSpares(ctx, c, s, i === 0) ? s : { ...s, lost: true }));
  c.retransmits++;
  note(ctx, c, 'DT-5/rto', `retransmission timeout ${c.retransmits}: resend from SND.UNA ${c.sndUna}`);
  c.retransmitAt = null;
  finishSegment(ctx, c);
  // tcp_retransmit_skb: retrans_stamp = time of the first retransmission of the episode.
  if (c.retransStamp === null) c.retransStamp = ctx.now;
  c.rto = Math.min(c.rto * 2, p.rtoMax);
  c.retransmitAt = ctx.now + roundTimer(p, clampToUserTimeout(c, p, ctx.now, c.rto));
}
