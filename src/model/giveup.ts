/**
 * When a connection stops retrying (DT-5, CT-5, KA-3; tcp_timer.c:tcp_write_timeout,
 * retransmits_timed_out, tcp_clamp_rto_to_user_timeout, tcp_rtx_probe0_timed_out).
 *
 * Linux counts time, not retransmissions: from the first retransmission of the episode
 * (retrans_stamp) the connection may keep retransmitting for tcp_model_timeout(tcp_retries2,
 * TCP_RTO_MIN) — (2^(n+1) − 1)·200 ms up to the RTO cap, 924.6 s for the default 15 — or
 * tcp_orphan_retries for a socket closed by the application. TCP_USER_TIMEOUT replaces both budgets
 * with its own value and also shortens the last timer so the connection ends on time. Giving up is
 * silent (no RST, tcp_write_err): the application sees ETIMEDOUT.
 */
import type { Micros } from './api.js';
import type { Ctx } from './ctx.js';
import { note } from './ctx.js';
import type { MConn } from './types.js';
import type { Profile } from './profile-type.js';
import { modelTimeout } from './rto.js';
import { closeConn } from './teardown.js';

const MS = 1000;

/** The retry boundary for this socket: tcp_retries2, or tcp_orphan_retries for an orphan. */
export function retryBoundary(c: MConn, p: Profile): number {
  return c.fd === null ? p.orphanRetries : p.retries2;
}

/** retransmits_timed_out: has the episode's time budget been spent? */
export function retransmitsTimedOut(c: MConn, p: Profile, now: Micros, boundary: number): boolean {
  if (c.retransmits === 0 || c.retransStamp === null) return false;
  const elapsed = now - c.retransStamp;
  const budget = c.userTimeout > 0 ? c.userTimeout * MS : modelTimeout(boundary, p.retriesRtoBase, p.rtoMax);
  return elapsed >= budget;
}

/** tcp_write_err: silent abort, ETIMEDOUT to the application. */
export function giveUp(ctx: Ctx, c: MConn, why: string): void {
  note(ctx, c, c.userTimeout > 0 ? 'KA-3/user-timeout' : 'CT-5/give-up', `${why}; connection dropped silently, ETIMEDOUT`);
  closeConn(ctx, c, 'ETIMEDOUT', 'timer retransmission give-up');
}

/** tcp_clamp_rto_to_user_timeout: the next retransmission timer never runs past the user timeout. */
export function clampToUserTimeout(c: MConn, p: Profile, now: Micros, timeout: Micros): Micros {
  if (c.userTimeout === 0 || c.retransmits === 0 || c.retransStamp === null) return timeout;
  const remaining = c.userTimeout * MS - (now - c.retransStamp);
  if (remaining <= 0) return p.timerGranularity;
  return Math.min(timeout, remaining);
}

/**
 * tcp_rtx_probe0_timed_out: data outstanding at a zero window — give up only when nothing was heard
 * from the peer for 2·RTO max (or the user timeout) and retransmitting has gone on that long.
 */
export function zeroWindowRtxTimedOut(c: MConn, p: Profile, now: Micros, rtxDelta: Micros): boolean {
  let timeout = 2 * p.rtoMax;
  if (c.userTimeout > 0) {
    if (rtxDelta > c.userTimeout * MS) return true;
    timeout = Math.min(timeout, c.userTimeout * MS);
  }
  if (now - c.lastAckAt <= timeout) return false;
  return rtxDelta > timeout;
}
