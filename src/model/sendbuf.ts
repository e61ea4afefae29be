/**
 * How much of a send() the socket takes, and how it lands in the send queue (DT-9, DT-11; Linux
 * tcp.c:tcp_sendmsg_locked, sock.h:sk_stream_memory_free).
 *
 * Profile `sendAccounting`:
 * - 'bytes' (RFC 9293 §3.9.1 leaves it to the implementation): the send buffer holds SO_SNDBUF bytes
 *   of unacknowledged plus unsent data; send() takes what fits.
 * - 'linux-skb': data goes into skbs of the size goal (chunks of the send queue). The unsent tail skb
 *   is topped up without any memory check; a new skb is started only while the memory charged to
 *   the socket (sk_wmem_queued: every queued or unacknowledged skb's truesize) is below sk_sndbuf.
 *   A filled skb at the head of the unsent data goes out at once (tcp_push_one), or everything does
 *   when more than half the peer's largest window was written since the last PSH (forced_push) — so
 *   what was just sent leaves room in the tail skb for more. Recorded: send(57920) on a fresh
 *   connection takes 46336 (22 segments, 10 sent, the tail refilled to 22); send(30000) takes all
 *   (one skb); with an 8-byte peer window 57 one-MSS skbs of 36 or 48 bytes fill 16384
 *   (gen-1-0515, gen-1-0547, gen-1-0820).
 * A chunk filled completely while more follows gets PSH if forced_push; the chunk holding the end of
 * the send() gets PSH (tcp_push → tcp_mark_push); topping up the tail clears its PSH.
 */
import type { Ctx } from './ctx.js';
import type { MConn, SendChunk } from './types.js';
import type { Profile } from './profile-type.js';
import { seqAdd, seqDist, seqGt } from '../wire/seq.js';
import { sizeGoal, transmit } from './output.js';
import { event } from './ctx.js';

/**
 * sk_wmem_queued: the payload of every unacknowledged segment and unsent chunk, plus the per-skb
 * charge once per skb (sent segments of one GSO burst share their skb).
 */
export function wmemQueued(c: MConn, p: Profile): number {
  let n = 0;
  let lastSkb: number | undefined;
  for (const r of c.sent) {
    n += r.len;
    const skb = r.skb ?? r.seq;
    if (skb !== lastSkb) n += p.skbTruesize;
    lastSkb = skb;
  }
  let start = c.sndNxt;
  for (const q of c.sendQueue) {
    n += seqDist(start, q.end) + p.skbTruesize;
    start = q.end;
  }
  return n;
}

function roundupPow2(n: number): number {
  return n <= 1 ? 1 : 2 ** Math.ceil(Math.log2(n));
}

/**
 * tcp_sndbuf_expand (tcp_init_buffer_space at establishment): room for twice max(IW, cwnd) skbs of
 * the MSS, each in a power-of-two head plus its sk_buff — unless the application set SO_SNDBUF.
 */
export function expandSndbuf(c: MConn, p: Profile): void {
  const e = p.sndbufExpand;
  if (e === null || c.sndBufLocked) return;
  const perMss = roundupPow2(Math.max(c.peerMss, c.mssCache) + e.header) + e.skb;
  const want = 2 * Math.max(p.initialCwnd, c.cwnd) * perMss;
  if (c.sndBuf < want) c.sndBuf = Math.min(want, p.wmem[2]);
}

/** Bytes written and not yet acknowledged (what 'bytes' accounting charges). */
function usedBytes(c: MConn): number {
  return seqGt(c.writeSeq, c.sndUna) ? seqDist(c.sndUna, c.writeSeq) : 0;
}

/**
 * Accept up to `bytes` of a send() into the send queue; returns how many were taken (0: EAGAIN).
 * The unsent tail chunk is topped up, then new chunks of the size goal follow — with 'bytes'
 * accounting up to what SO_SNDBUF leaves, with 'linux-skb' while sk_wmem_queued < sk_sndbuf, a
 * full chunk at the head going out at once. Taking less than asked marks the socket as waiting
 * for room (SOCK_NOSPACE).
 */
export function acceptSend(ctx: Ctx, c: MConn, bytes: number): number {
  const p = ctx.profile;
  const linux = p.sendAccounting === 'linux-skb';
  const limit = linux ? bytes : Math.min(bytes, Math.max(0, c.sndBuf - usedBytes(c)));
  let taken = 0;
  while (taken < limit) {
    const goal = sizeGoal(c, p);
    const q = c.sendQueue.slice(); // copy-on-write: older chunks are shared
    let room: number;
    const tail = unsentTail(c, q, goal);
    if (tail !== null) {
      room = tail.room;
    } else {
      // sk_stream_memory_free: a new skb only below the send buffer.
      if (linux && wmemQueued(c, p) >= c.sndBuf) break;
      q.push({ end: c.writeSeq, psh: false });
      room = goal;
    }
    const add = Math.min(room, limit - taken);
    const pos = seqAdd(c.writeSeq, add);
    q[q.length - 1] = { end: pos, psh: false };
    c.sendQueue = q;
    c.writeSeq = pos;
    taken += add;
    if (add === room && taken < limit) {
      // The chunk is full and more follows: forced_push marks it (and, on Linux, pushes everything);
      // else Linux's tcp_push_one sends it when it is the first unsent skb.
      if (forced(ctx, c, q, pos) ? linux : linux && q.length === 1) transmit(ctx, c);
    }
  }
  if (taken > 0) finish(c, c.sendQueue.slice(), c.writeSeq);
  if (taken < bytes) c.sndNoSpace = true;
  return taken;
}

/** Free room in the send buffer, as the writer sees it. */
function freeRoom(c: MConn, p: Profile): { free: number; used: number } {
  const used = p.sendAccounting === 'linux-skb' ? wmemQueued(c, p) : usedBytes(c);
  return { free: c.sndBuf - used, used };
}

/**
 * tcp_check_space → tcp_new_space → sk_stream_write_space: after an ACK freed memory, a writer that
 * found the buffer full is woken ('writable', EPOLLOUT) once the free room is at least half of what
 * is queued (sk_stream_wspace ≥ sk_stream_min_wspace).
 */
export function writeSpace(ctx: Ctx, c: MConn): void {
  if (!c.sndNoSpace || c.fd === null || c.sndShutdown) return;
  const r = freeRoom(c, ctx.profile);
  if (r.free < r.used >> 1) return;
  c.sndNoSpace = false;
  event(ctx, c, 'writable');
}

/** The unsent tail chunk with room left below the size goal, or null. */
function unsentTail(c: MConn, q: readonly SendChunk[], goal: number): { room: number } | null {
  const tail = q[q.length - 1];
  if (tail === undefined) return null;
  const start = q.length > 1 ? q[q.length - 2]!.end : c.sndNxt;
  const room = goal - seqDist(start, tail.end);
  return room > 0 ? { room } : null;
}

/** tcp.c:forced_push: more than half the peer's largest window written since the last PSH. */
function forced(ctx: Ctx, c: MConn, q: SendChunk[], pos: number): boolean {
  if (!ctx.profile.forcedPush || !seqGt(pos, seqAdd(c.pushedSeq, c.sndMaxWnd >> 1))) return false;
  q[q.length - 1] = { end: pos, psh: true };
  c.pushedSeq = pos;
  c.sendQueue = q;
  return true;
}

/** tcp_push: the chunk holding the end of the write gets PSH. */
function finish(c: MConn, q: SendChunk[], pos: number): void {
  const last = q[q.length - 1];
  if (last !== undefined) q[q.length - 1] = { end: last.end, psh: true };
  c.pushedSeq = pos;
  c.writeSeq = pos;
  c.sendQueue = q;
}
