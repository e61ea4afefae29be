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
import { expandSndbuf } from './sendbuf.js';
import { finTime } from './teardown.js';

/** Linux __tcp_win_from_space: the share of a buffer offered as window at a scaling ratio (/256). */
export function winFromSpaceAt(ratio: number, space: number): number {
  if (space <= 0) return 0;
  return Math.floor((space * ratio) / 256);
}

/** Linux tcp_win_from_space with the connection's scaling ratio. */
export function winFromSpace(c: Conn, space: number): number {
  return winFromSpaceAt(c.scalingRatio, space);
}

/** Linux tcp_full_space. */
export function fullSpace(c: Conn, _p?: Profile): number {
  return winFromSpace(c, c.rcvBuf);
}

/** Bytes held in the receive queue and the out-of-order queue. */
export function queuedBytes(c: Conn): number {
  let n = c.readable;
  for (const r of c.ooo) n += seqDist(r.left, r.right);
  return n;
}

/** Linux tcp_space: window space left after the memory queued data costs (truesize). */
export function freeSpace(c: Conn, _p?: Profile): number {
  return winFromSpace(c, c.rcvBuf - c.rcvTruesize - c.oooTruesize);
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
  const full = fullSpace(c);
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
  expandSndbuf(c, p); // tcp_init_buffer_space → tcp_sndbuf_expand
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
  const unit = 1 << c.rcvWscale;
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
  const unit = 1 << c.rcvWscale;
  if (win < cur) win = Math.ceil(cur / unit) * unit;
  c.rcvWnd = win;
  c.rcvWup = c.rcvNxt;
  const field = Math.floor(Math.min(win, 0xffff * unit) / unit);
  return field;
}

/** The allocator's size class for a request (kmalloc: powers of two above 192 bytes). */
function sizeClass(n: number): number {
  if (n <= 8) return 8;
  if (n <= 96 && n > 64) return 96;
  if (n <= 192 && n > 128) return 192;
  return n > 0x40000000 ? n : 1 << (32 - Math.clz32(n - 1)); // next power of two
}

/** Bytes of IP + TCP header of a received segment (IPv4, options padded to 4 bytes). */
export function headerBytes(optionBytes: number): number {
  return 20 + 20 + ((optionBytes + 3) & ~3);
}

/** skb truesize of a received segment of `len` payload bytes (see profile.rcvSkb). */
export function segTruesize(p: Profile, len: number, hdr: number): number {
  const k = p.rcvSkb;
  if (k.headroom <= 0) return Math.max(1, len);
  return sizeClass(k.headroom + hdr + len + k.sharedInfo) + k.skbStruct;
}

/** Room left behind the payload in that skb's head (tcp_try_coalesce copies a later segment into it). */
export function segTailroom(p: Profile, len: number, hdr: number): number {
  const k = p.rcvSkb;
  if (k.headroom <= 0) return 0;
  return sizeClass(k.headroom + hdr + len + k.sharedInfo) - k.sharedInfo - k.headroom - hdr - len;
}

/** tcp_set_window_clamp: a new clamp; a larger one lets rcv_ssthresh follow the current window. */
export function setWindowClamp(c: MConn, p: Profile, val: number): void {
  const clamp = Math.max(p.minRcvBuf >> 1, val);
  if (clamp === c.windowClamp) return;
  const old = c.windowClamp;
  c.windowClamp = clamp;
  if (clamp < old) c.rcvSsthresh = Math.min(c.rcvSsthresh, clamp);
  else c.rcvSsthresh = Math.max(Math.min(c.rcvWnd, clamp), c.rcvSsthresh);
}

/** __tcp_grow_window: growth for a segment whose overhead is large relative to its length. */
function growForOverhead(c: MConn, p: Profile, len: number, truesize: number): number {
  let ts = winFromSpace(c, truesize) >> 1;
  let window = winFromSpace(c, p.rmem[2]) >> 1;
  while (c.rcvSsthresh <= window) {
    if (ts <= len) return 2 * c.rcvMss;
    ts >>= 1;
    window >>= 1;
  }
  return 0;
}

/** tcp_grow_window: raise rcv_ssthresh on in-order data of ≥ 128 bytes (and re-arm a quick ACK). */
export function growWindow(c: MConn, p: Profile, len: number, truesize: number): void {
  if (len < 128) return;
  const room = Math.min(c.windowClamp, freeSpace(c)) - c.rcvSsthresh;
  if (room <= 0) return;
  let incr = winFromSpace(c, truesize) <= len ? 2 * c.advMss : growForOverhead(c, p, len, truesize);
  if (incr === 0) return;
  incr = Math.max(incr, 2 * len);
  c.rcvSsthresh += Math.min(room, incr);
  if (p.maxQuickAcks > 0) c.quickAcks |= 1;
}

/** tcp_initialize_rcv_mss: first guess of the peer's segment size. */
export function initialRcvMss(c: Conn): number {
  let hint = Math.min(c.advMss, c.mssCache, Math.floor(c.rcvWnd / 2), 536);
  hint = Math.max(hint, 88);
  return hint;
}

/**
 * Linux keeps TIME-WAIT — and an orphan's FIN-WAIT-2 when tcp_fin_time ≤ TCP_TIMEWAIT_LEN and the
 * ACK that got it there carried no FIN — as a timewait minisock (tcp_minisocks.c:tcp_time_wait,
 * tcp_input.c:tcp_rcv_state_process FIN_WAIT1), which remembers the receive window at that moment
 * (tw_rcv_wnd) and answers with it unchanged (tcp_ipv4.c:tcp_v4_timewait_ack): a FIN that arrives
 * later does not shrink it (ct-active-close-none: 64240, not 64239). Profile minisockWindow.
 */
/** tcp_time_wait: the connection becomes a minisock now (TIME-WAIT, or an orphan's FIN-WAIT-2 that qualifies); `Conn.minisock` then tells emit.ts to send the frozen window. */
export function freezeMinisockWindow(c: MConn, p: Profile): void {
  if (!p.minisockWindow || c.minisock) return;
  if (c.state !== 'TIME-WAIT') {
    const finWait2Orphan = c.state === 'FIN-WAIT-2' && c.fd === null && finTime(c, p) <= p.timeWaitLen;
    if (!finWait2Orphan) return;
  }
  c.rcvWnd = receiveWindow(c);
  c.rcvWup = c.rcvNxt;
  c.minisock = true;
}
