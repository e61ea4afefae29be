/**
 * Ending a connection: a reset or a timeout (Linux tcp_reset / tcp_done / tcp_write_err), and
 * dropping an embryonic connection from its listener's SYN queue. RS-3, HS-5, HS-11.
 */
import type { TcpStateName } from './api.js';
import type { Errno } from '../scenario/types.js';
import type { Ctx } from './ctx.js';
import { event, mut, setState } from './ctx.js';
import type { MConn } from './types.js';
import type { Conn } from './types.js';
import type { Profile } from './profile-type.js';
import type { Micros } from './api.js';

/** Remove `c` from its listener's SYN queue (not the accept queue) and forget the parent. */
export function detachFromListener(ctx: Ctx, c: MConn): void {
  if (c.parent === null) return;
  const l = mut(ctx, c.parent);
  if (l !== null) {
    const i = l.synQueue.indexOf(c.id);
    if (i >= 0) {
      l.synQueue = l.synQueue.filter((id) => id !== c.id);
      c.parent = null;
      return;
    }
    // In the accept queue: stays there (accept() returns it, the error is reported on the new fd).
    if (l.acceptQueue.includes(c.id)) return;
  }
  c.parent = null;
}

/**
 * The connection is gone: CLOSED, both directions shut, the error stored for the next call and
 * reported as an `error` event when an fd is attached (null errno: silent).
 */
export function closeConn(ctx: Ctx, c: MConn, errno: Errno | null, cause: string): void {
  setState(ctx, c, 'CLOSED', cause);
  c.done = true;
  c.sndShutdown = true;
  c.rcvShutdown = true;
  c.sendQueue = [];
  // The error stays on the socket even before accept(): a child reset in the accept queue is
  // accepted in CLOSE and its first recv() reports the error (tcp_input.c:tcp_reset sets sk_err on
  // the child; observed on 6.18.44, lq-rst-before-accept).
  if (errno !== null) {
    c.error = errno;
    if (c.fd !== null) event(ctx, c, 'error', errno);
  }
  detachFromListener(ctx, c);
}

/** An embryonic passive connection leaves the SYN queue: to LISTEN (RFC 9293 §3.10.7.4, RST) or CLOSED. */
export function dropRequest(ctx: Ctx, c: MConn, to: TcpStateName, cause: string): void {
  setState(ctx, c, to, cause);
  // The embryonic TCB itself is freed: its chain of transitions always ends in CLOSED.
  if (to !== 'CLOSED') setState(ctx, c, 'CLOSED', 'embryonic connection freed');
  c.done = true;
  c.retransmitAt = null;
  c.delayedAckAt = null;
  c.sent = [];
  detachFromListener(ctx, c);
  c.parent = null;
}

/** tcp.h:tcp_fin_time: how long an orphan may wait in FIN-WAIT-2 — max(tcp_fin_timeout, 3.5 RTO) (CT-6). */
export function finTime(c: Conn, p: Profile): Micros {
  return Math.max(p.finTimeout, Math.floor(3.5 * c.rto));
}
