/**
 * The receive window: what we offer and how it moves (FC-2, FC-3, FC-5, FC-7).
 *
 * Follows Linux's window selection (tcp_output.c:tcp_select_initial_window, __tcp_select_window,
 * tcp_select_window; tcp_input.c:tcp_grow_window, tcp_init_buffer_space), which also satisfies
 * RFC 9293 §3.8.6.2.2 (receiver SWS avoidance) and RFC 7323 §2.4 (never shrink the right edge).
 *
 * Approximation (documented): Linux measures buffer use in skb truesize and adapts its
 * scaling_ratio; the model counts payload bytes and keeps the ratio fixed, so the free window is
 * win_from_space(rcvBuf) − queued bytes.
 */
import { seqAdd, seqDiff, seqDist } from '../wire/seq.js';
import type { Conn, MConn } from './types.js';
import type { Profile } from './profile-type.js';

/** Linux tcp_win_from_space: the share of a buffer offered as window. */
export function winFromSpace(p: Profile, space: number): number {
  if (space <= 0) return 0;
  return Math.floor((space * p.rcvScalingRatio) / 256);
}

/** Linux tcp_full_space. */
export function fullSpace(c: Conn, p: Profile): number {
  return winFromSpace(p, c.rcvBuf);
}

/** Bytes held in the receive queue and the out-of-order queue. */
export function queuedBytes(c: Conn): number {
  let n = c.readable;
  for (const r of c.ooo) n += seqDist(r.left, r.right);
  return n;
}

/** Linux tcp_space: free window space. */
export function freeSpace(c: Conn, p: Profile): number {
  return Math.max(0, fullSpace(c, p) - queuedBytes(c));
}

/** Linux tcp_receive_window: what is left of the last advertised window (≥ 0). */
export function receiveWindow(c: Conn): number {
  const w = seqDiff(c.rcvNxt, seqAdd(c.rcvWup, c.rcvWnd));
  return w < 0 ? 0 : w;
}

export interface InitialWindow {
  readonly rcvWnd: number;
  readonly rcvWscale: number;
  readonly windowClamp: number;
}

/**
 * tcp_select_initial_window: the SYN/SYN-ACK window (a multiple of `mss` up to 64 KiB) and the
 * window-scale shift (from the largest buffer the socket may grow to; linux-reference.md §2).
 */
export function initialWindow(c: Conn, p: Profile, mss: number, wscaleOk: boolean): InitialWindow {
  const full = fullSpace(c, p);
  // SO_RCVBUF locks the clamp to the buffer (tcp_output.c:tcp_connect_init, tcp_openreq_init_rwin).
  let clamp = c.rcvBufLocked ? full : 0xffff << p.maxWscale;
  let space = Math.min(clamp, full);
  if (mss > 0 && space > mss) space = Math.floor(space / mss) * mss;
  const rcvWnd = Math.min(space, 0xffff);
  let rcvWscale = 0;
  if (wscaleOk) {
    let s = Math.max(space, p.rmem[2], p.rmemMax);
    s = Math.min(s, clamp);
    rcvWscale = Math.min(Math.max(Math.floor(Math.log2(Math.max(1, s))) - 15, 0), p.maxWscale);
  }
  clamp = Math.min(0xffff * 2 ** rcvWscale, clamp);
  return { rcvWnd, rcvWscale, windowClamp: clamp };
}

/** tcp_init_buffer_space at establishment: clamp to the buffer and reserve one segment. */
export function initBufferSpace(c: MConn, p: Profile): void {
  const maxwin = fullSpace(c, p);
  if (c.windowClamp >= maxwin) c.windowClamp = maxwin;
  // "Force reservation of one segment" (tcp_app_win = 31).
  if (c.windowClamp > 2 * c.advMss && c.windowClamp + c.advMss > maxwin) {
    c.windowClamp = Math.max(2 * c.advMss, maxwin - c.advMss);
  }
  c.rcvSsthresh = Math.min(c.rcvSsthresh, c.windowClamp);
}

/**
 * __tcp_select_window: the window we would offer now, in bytes. Receiver SWS avoidance (FC-5):
 * below half the buffer the window is 0 unless at least one MSS and 1/16 of the buffer is free.
 * Side effect as in Linux: leaving quick-ACK mode when the buffer is half full.
 */
export function computeWindow(c: MConn, p: Profile): number {
  let mss = c.rcvMss;
  let free = freeSpace(c, p);
  const allowed = fullSpace(c, p);
  const full = Math.min(c.windowClamp, allowed);
  const unit = 2 ** c.rcvWscale;
  if (mss > full) {
    mss = full;
    if (mss <= 0) return 0;
  }
  if (free < full >> 1) {
    c.quickAcks = 0;
    free = Math.floor(free / unit) * unit;
    if (free < allowed >> 4 || free < mss) return 0;
  }
  if (free > c.rcvSsthresh) free = c.rcvSsthresh;
  let window = c.rcvWnd;
  if (c.rcvWscale > 0) {
    window = Math.ceil(free / unit) * unit;
  } else if (window <= free - mss || window > free) {
    window = Math.floor(free / mss) * mss;
  } else if (mss === full && free > window + (full >> 1)) {
    window = free;
  }
  return window;
}

/**
 * tcp_select_window: pick the window for an outgoing segment, never moving the right edge left
 * (FC-3, RFC 7323 §2.4), remember it (rcvWnd, rcvWup), and return the 16-bit field (FC-7).
 */
export function selectWindow(c: MConn, p: Profile): number {
  const cur = receiveWindow(c);
  let win = computeWindow(c, p);
  const unit = 2 ** c.rcvWscale;
  if (win < cur) win = Math.ceil(cur / unit) * unit;
  c.rcvWnd = win;
  c.rcvWup = c.rcvNxt;
  const field = Math.floor(Math.min(win, 0xffff * unit) / unit);
  return field;
}

/** tcp_grow_window: raise rcv_ssthresh on in-order data of ≥ 128 bytes (and re-arm a quick ACK). */
export function growWindow(c: MConn, p: Profile, len: number): void {
  if (len < 128) return;
  const room = Math.min(c.windowClamp, freeSpace(c, p)) - c.rcvSsthresh;
  if (room <= 0) return;
  const incr = Math.max(2 * c.advMss, 2 * len);
  c.rcvSsthresh += Math.min(room, incr);
  if (p.maxQuickAcks > 0) c.quickAcks |= 1;
}

/** tcp_initialize_rcv_mss: first guess of the peer's segment size. */
export function initialRcvMss(c: Conn): number {
  let hint = Math.min(c.advMss, c.mssCache, Math.floor(c.rcvWnd / 2), 536);
  hint = Math.max(hint, 88);
  return hint;
}
