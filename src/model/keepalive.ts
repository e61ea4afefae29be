/**
 * Keepalive (KA-1, KA-2, KA-3; RFC 9293 §3.8.4, RFC 1122 §4.2.3.6; Linux tcp_timer.c:
 * tcp_keepalive_timer, tcp.c:tcp_set_keepalive, tcp_sock_set_keepidle_locked).
 *
 * With SO_KEEPALIVE on, a connection idle for TCP_KEEPIDLE (default tcp_keepalive_time, 7200 s)
 * sends a probe — an ACK with seq SND.UNA − 1 and no data, which any live peer answers with an
 * ACK — and repeats it every TCP_KEEPINTVL (75 s). Idle time counts from the later of the last data
 * received and the last ACK received (icsk_ack.lrcvtime, rcv_tstamp), so any answer resets the
 * count; data in flight or queued postpones the timer by a full idle period. After TCP_KEEPCNT (9)
 * unanswered probes — or, with TCP_USER_TIMEOUT, once that much idle time has passed with at least
 * one probe out — Linux sends RST|ACK with seq SND.NXT and reports ETIMEDOUT. A peer that rebooted
 * answers the probe with an RST, which resets the connection (ECONNRESET) through the normal
 * arrival path.
 */
import type { Micros } from './api.js';
import type { Ctx } from './ctx.js';
import { note, roundTimer } from './ctx.js';
import type { MConn } from './types.js';
import type { Profile } from './profile-type.js';
import { sendActiveRst } from './emit.js';
import { closeConn } from './teardown.js';
import { hasUnsent, writeWakeup } from './persist.js';

const MS = 1000;
const S = 1_000_000;

/** Socket option limits (include/net/tcp.h MAX_TCP_KEEPIDLE, MAX_TCP_KEEPINTVL, MAX_TCP_KEEPCNT). */
export const MAX_KEEPIDLE = 32767;
export const MAX_KEEPINTVL = 32767;
export const MAX_KEEPCNT = 127;

export function keepIdle(c: MConn, p: Profile): Micros {
  return c.keepIdle > 0 ? c.keepIdle : p.keepaliveTime;
}
export function keepIntvl(c: MConn, p: Profile): Micros {
  return c.keepIntvl > 0 ? c.keepIntvl : p.keepaliveIntvl;
}
export function keepCnt(c: MConn, p: Profile): number {
  return c.keepCnt > 0 ? c.keepCnt : p.keepaliveProbes;
}

/** keepalive_time_elapsed: time since the later of the last data and the last ACK received. */
function idleFor(c: MConn, now: Micros): Micros {
  return Math.max(0, now - Math.max(c.lastRcvAt, c.lastAckAt));
}

/** States where the keepalive timer runs (not CLOSED, LISTEN, SYN-SENT, TIME-WAIT). */
function keepaliveState(c: MConn): boolean {
  return c.state !== 'CLOSED' && c.state !== 'LISTEN' && c.state !== 'SYN-SENT' && c.state !== 'TIME-WAIT';
}

function arm(ctx: Ctx, c: MConn, d: Micros): void {
  c.keepaliveAt = ctx.now + roundTimer(ctx.profile, Math.max(0, d));
}

/** Connection established (tcp_finish_connect, tcp_create_openreq_child): start the idle clock. */
export function keepaliveOnEstablished(ctx: Ctx, c: MConn): void {
  c.lastAckAt = ctx.now;
  if (c.keepalive) arm(ctx, c, keepIdle(c, ctx.profile));
}

/** tcp_ack: an acceptable ACK arrived (rcv_tstamp, icsk_probes_out = 0). */
export function ackReceived(ctx: Ctx, c: MConn): void {
  c.lastAckAt = ctx.now;
  c.probesOut = 0;
}

/** SO_KEEPALIVE (tcp_set_keepalive): turning it on arms the timer a full idle period ahead. */
export function setKeepalive(ctx: Ctx, c: MConn, on: boolean): void {
  const was = c.keepalive;
  c.keepalive = on;
  if (c.state === 'CLOSED' || c.state === 'LISTEN') return;
  if (on && !was) arm(ctx, c, keepIdle(c, ctx.profile));
  else if (!on) c.keepaliveAt = null;
}

/** TCP_KEEPIDLE (tcp_sock_set_keepidle_locked): re-arm for the rest of the new idle period. */
export function setKeepIdle(ctx: Ctx, c: MConn, seconds: number): void {
  c.keepIdle = seconds * S;
  if (!c.keepalive || c.state === 'CLOSED' || c.state === 'LISTEN') return;
  const elapsed = idleFor(c, ctx.now);
  arm(ctx, c, c.keepIdle > elapsed ? c.keepIdle - elapsed : 0);
}

/** tcp_keepalive_timer. */
export function keepaliveTimer(ctx: Ctx, c: MConn): void {
  const p = ctx.profile;
  c.keepaliveAt = null;
  if (!c.keepalive || !keepaliveState(c)) return;
  const idle = keepIdle(c, p);
  // "It is alive without keepalive": something is in flight or queued.
  if (c.sent.length > 0 || hasUnsent(c)) {
    arm(ctx, c, idle);
    return;
  }
  const elapsed = idleFor(c, ctx.now);
  if (elapsed < idle) {
    arm(ctx, c, idle - elapsed);
    return;
  }
  const ut = c.userTimeout * MS;
  if ((ut > 0 && elapsed >= ut && c.probesOut > 0) || (ut === 0 && c.probesOut >= keepCnt(c, p))) {
    note(ctx, c, 'KA-1/give-up', `${c.probesOut} keepalive probes unanswered: RST, ETIMEDOUT`);
    sendActiveRst(ctx, c);
    closeConn(ctx, c, 'ETIMEDOUT', 'timer keepalive');
    return;
  }
  note(ctx, c, 'KA-1/probe', `idle ${elapsed} µs: keepalive probe ${c.probesOut + 1}`);
  writeWakeup(ctx, c, 'KA-1/probe-sent');
  c.probesOut++;
  arm(ctx, c, keepIntvl(c, p));
}
