/**
 * Timer handling: every timer of every connection due at `now` fires, in connection order and, per
 * connection, in the order retransmission, delayed ACK, FIN-WAIT-2, TIME-WAIT (quinn-style: one
 * deadline per kind, one handler per kind).
 *
 * The data retransmission timer is the part 1 basic one (DT-5 shape, CT-5, KA-3): all outstanding
 * segments are marked lost, cwnd drops to 1, the head goes again, the RTO doubles up to RTO max; the
 * connection gives up silently (ETIMEDOUT) once Linux's time budget for tcp_retries2 (or
 * tcp_orphan_retries for orphans) is spent (tcp_timer.c:tcp_write_timeout, retransmits_timed_out).
 * Part 2 replaces it with the exact Linux recovery machinery.
 */
import type { Ctx } from './ctx.js';
import { mut, note, roundTimer } from './ctx.js';
import type { MConn } from './types.js';
import { synTimer } from './handshake.js';
import { synAckTimer } from './listener.js';
import { delayedAckTimer } from './ackpolicy.js';
import { closeConn } from './teardown.js';
import { modelTimeout } from './rto.js';
import { onRto } from './congestion.js';
import { finishSegment } from './arrival.js';

function due(t: number | null, now: number): boolean {
  return t !== null && t <= now;
}

export function fireTimers(ctx: Ctx): void {
  const n = ctx.conns.length;
  for (let i = 0; i < n; i++) {
    const c0 = ctx.conns[i]!;
    const now = ctx.now;
    if (!due(c0.retransmitAt, now) && !due(c0.delayedAckAt, now) && !due(c0.finWait2At, now) && !due(c0.timeWaitAt, now)) continue;
    const c = mut(ctx, c0.id)!;
    if (due(c.retransmitAt, now)) {
      c.retransmitAt = null;
      retransmitTimer(ctx, c);
    }
    if (due(c.delayedAckAt, now)) delayedAckTimer(ctx, c);
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
  const boundary = c.fd === null ? p.orphanRetries : p.retries2;
  if (c.retransmits > 0 && c.retransStamp !== null && ctx.now - c.retransStamp >= modelTimeout(boundary, p.rtoMin, p.rtoMax)) {
    note(ctx, c, 'DT-5/give-up', `retransmissions exhausted (${c.retransmits}); connection dropped silently, ETIMEDOUT`);
    closeConn(ctx, c, 'ETIMEDOUT', 'timer retransmission give-up');
    return;
  }
  if (c.retransStamp === null) c.retransStamp = c.sent[0]!.sentAt;
  onRto(c, c.retransmits === 0);
  c.sent = c.sent.map((s) => (s.lost ? s : { ...s, lost: true }));
  c.retransmits++;
  note(ctx, c, 'DT-5/rto', `retransmission timeout ${c.retransmits}: resend from SND.UNA ${c.sndUna}`);
  c.retransmitAt = null;
  finishSegment(ctx, c);
  c.rto = Math.min(c.rto * 2, p.rtoMax);
  c.retransmitAt = ctx.now + roundTimer(p, c.rto);
}
