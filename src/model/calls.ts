/**
 * Application calls (RFC 9293 §3.10.1–§3.10.6 user interface, with Linux's non-blocking socket
 * semantics): socket, bind, listen, connect, accept, send, recv, shutdown, close, abort, setsockopt.
 * Every call returns exactly one CallResult; misuse is an errno, never an exception.
 *
 * Linux sources: af_inet.c (inet_stream_connect, inet_shutdown, inet_listen), tcp.c (tcp_sendmsg,
 * tcp_recvmsg, tcp_cleanup_rbuf, tcp_close, tcp_disconnect, do_tcp_setsockopt), sock.c (SO_RCVBUF).
 */
import { MAX_KEEPCNT, MAX_KEEPIDLE, MAX_KEEPINTVL, setKeepIdle, setKeepalive } from './keepalive.js';
import type { CallResult, Errno, SocketCall } from '../scenario/types.js';
import { seqAdd, seqDist, seqGt } from '../wire/seq.js';
import type { Ctx } from './ctx.js';
import { addConn, event, mut, note, setState } from './ctx.js';
import type { Conn, MConn } from './types.js';
import { newSocket } from './conn.js';
import { startConnect } from './handshake.js';
import { sendAck, sendActiveRst } from './emit.js';
import { transmit } from './output.js';
import { acceptSend } from './sendbuf.js';
import { computeWindow, freezeMinisockWindow, receiveWindow } from './window.js';
import { inPingpong } from './ackpolicy.js';
import { closeConn, dropRequest, finTime } from './teardown.js';
import { finishSegment } from './arrival.js';
import { restartAfterIdle } from './congestion.js';

const ok = (value: number): CallResult => ({ ok: true, value });
const err = (errno: Errno): CallResult => ({ ok: false, errno });

function byFd(ctx: Ctx, fd: number): Conn | null {
  for (const c of ctx.conns) if (c.fd === fd) return c;
  return null;
}

function validInt(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

function portInUse(ctx: Ctx, port: number, except: number): boolean {
  for (const c of ctx.conns) {
    if (c.id === except || c.localPort !== port) continue;
    if (c.fd !== null || c.state !== 'CLOSED') return true;
  }
  return false;
}

function ephemeralPort(ctx: Ctx, selfId: number): number {
  const p = ctx.profile;
  const span = p.ephemeralPortHigh - p.ephemeralPortLow + 1;
  for (let i = 0; i < span; i++) {
    let port = ctx.nextEphemeralPort;
    if (port < p.ephemeralPortLow || port > p.ephemeralPortHigh) port = p.ephemeralPortLow;
    ctx.nextEphemeralPort = port + 1;
    if (!portInUse(ctx, port, selfId)) return port;
  }
  return 0;
}

function lowestFreeFd(ctx: Ctx): number {
  const used = new Set<number>();
  for (const c of ctx.conns) if (c.fd !== null) used.add(c.fd);
  let fd = 3;
  while (used.has(fd)) fd++;
  return fd;
}

/** Pop the pending socket error (sock_error: returned once, then cleared). */
function takeError(c: MConn): Errno | null {
  const e = c.error;
  c.error = null;
  return e;
}

export function handleCall(ctx: Ctx, call: SocketCall): CallResult {
  if (!Number.isSafeInteger(call.fd) || call.fd < 0) return err('EBADF');
  if (call.op === 'socket') {
    if (byFd(ctx, call.fd) !== null) return err('EINVAL');
    addConn(ctx, newSocket(ctx, call.fd));
    return ok(call.fd);
  }
  const c0 = byFd(ctx, call.fd);
  if (c0 === null) return err('EBADF');
  const c = mut(ctx, c0.id)!;
  switch (call.op) {
    case 'bind':
      return bind(ctx, c, call.port);
    case 'listen':
      return listen(ctx, c, call.backlog);
    case 'connect':
      return connect(ctx, c, call.port);
    case 'accept':
      return accept(ctx, c);
    case 'send':
      return send(ctx, c, call.bytes);
    case 'recv':
      return recv(ctx, c, call.bytes);
    case 'shutdown':
      return shutdown(ctx, c, call.how);
    case 'close':
      return close(ctx, c, false);
    case 'abort':
      return close(ctx, c, true);
    case 'setsockopt':
      return setsockopt(ctx, c, call.opt, call.value);
    default: {
      const never: never = call;
      void never;
      return err('EINVAL');
    }
  }
}

function bind(ctx: Ctx, c: MConn, port: number): CallResult {
  if (!validInt(port) || port > 65535) return err('EINVAL');
  if (c.localPort !== 0 || c.state !== 'CLOSED') return err('EINVAL');
  if (port === 0) {
    const e = ephemeralPort(ctx, c.id);
    if (e === 0) return err('EADDRINUSE');
    c.localPort = e;
    return ok(0);
  }
  if (portInUse(ctx, port, c.id)) return err('EADDRINUSE');
  c.localPort = port;
  return ok(0);
}

/** LQ-1: backlog = min(backlog, somaxconn) (af_inet.c:inet_listen compares unsigned). */
function listen(ctx: Ctx, c: MConn, backlog: number): CallResult {
  const p = ctx.profile;
  const b = !Number.isSafeInteger(backlog) || backlog < 0 || backlog > p.somaxconn ? p.somaxconn : backlog;
  if (c.state === 'LISTEN') {
    c.backlog = b;
    return ok(0);
  }
  if (c.state !== 'CLOSED' || c.sockState !== 'unconnected' || c.done) return err('EINVAL');
  if (c.localPort === 0) {
    const e = ephemeralPort(ctx, c.id);
    if (e === 0) return err('EADDRINUSE');
    c.localPort = e;
  }
  c.backlog = b;
  setState(ctx, c, 'LISTEN', 'call listen');
  return ok(0);
}

/** inet_stream_connect, non-blocking: EINPROGRESS, then the `connected` or `error` event. */
function connect(ctx: Ctx, c: MConn, port: number): CallResult {
  if (!validInt(port) || port > 65535 || port === 0) return err('EINVAL');
  switch (c.sockState) {
    case 'connected':
      return err('EISCONN');
    case 'connecting':
      if (c.state === 'SYN-SENT' || c.state === 'SYN-RECEIVED') return err('EALREADY');
      if (c.state === 'CLOSED') {
        const e = takeError(c) ?? 'ECONNABORTED';
        c.sockState = 'unconnected';
        return err(e);
      }
      c.sockState = 'connected';
      return ok(0);
    case 'unconnected':
      break;
    default: {
      const never: never = c.sockState;
      void never;
    }
  }
  if (c.state !== 'CLOSED') return err('EISCONN');
  if (c.done) resetForReuse(ctx, c);
  if (c.localPort === 0) {
    const e = ephemeralPort(ctx, c.id);
    if (e === 0) return err('EADDRINUSE');
    c.localPort = e;
  }
  startConnect(ctx, c, port);
  c.sockState = 'connecting';
  return err('EINPROGRESS');
}

/** A failed socket is connected again: a fresh TCB with the same fd, options and port. */
function resetForReuse(ctx: Ctx, c: MConn): void {
  const fresh = newSocket(ctx, c.fd);
  const keep = {
    fd: c.fd,
    localPort: c.localPort,
    nodelay: c.nodelay,
    keepalive: c.keepalive,
    keepIdle: c.keepIdle,
    keepIntvl: c.keepIntvl,
    keepCnt: c.keepCnt,
    userTimeout: c.userTimeout,
    linger: c.linger,
    userMss: c.userMss,
    rcvBuf: c.rcvBuf,
    sndBuf: c.sndBuf,
    rcvBufLocked: c.rcvBufLocked,
    sndBufLocked: c.sndBufLocked,
  };
  Object.assign(c, fresh, keep);
}

function accept(ctx: Ctx, l: MConn): CallResult {
  if (l.state !== 'LISTEN') return err('EINVAL');
  const id = l.acceptQueue[0];
  if (id === undefined) return err('EAGAIN');
  l.acceptQueue = l.acceptQueue.slice(1);
  const child = mut(ctx, id);
  if (child === null) return err('EAGAIN');
  const fd = lowestFreeFd(ctx);
  child.fd = fd;
  child.parent = null;
  child.sockState = 'connected';
  // LQ-5: data (and EOF, or an error) that arrived before accept() is there for the new fd.
  if (child.readable > 0) event(ctx, child, 'readable');
  if (child.finReceived) event(ctx, child, 'eof');
  if (child.error !== null) event(ctx, child, 'error', child.error);
  return ok(fd);
}

/** tcp_sendmsg_locked, non-blocking. */
function send(ctx: Ctx, c: MConn, bytes: number): CallResult {
  if (!validInt(bytes)) return err('EINVAL');
  if (c.state === 'LISTEN') return err('EPIPE');
  if (c.state !== 'ESTABLISHED' && c.state !== 'CLOSE-WAIT') {
    // sk_stream_wait_connect
    const e = takeError(c);
    if (e !== null) return err(e);
    if (c.state !== 'SYN-SENT' && c.state !== 'SYN-RECEIVED') return err('EPIPE');
    return err('EAGAIN');
  }
  if (c.error !== null || c.sndShutdown) return err(takeError(c) ?? 'EPIPE');
  if (bytes === 0) return ok(0);
  restartAfterIdle(c, ctx.profile, ctx.now); // CC-3: tcp_skb_entail → tcp_slow_start_after_idle_check
  const n = acceptSend(ctx, c, bytes); // sendbuf.ts: how much fits, queued as skbs of the size goal
  if (n === 0) return err('EAGAIN');
  transmit(ctx, c);
  return ok(n);
}

/** tcp_recvmsg, non-blocking. */
function recv(ctx: Ctx, c: MConn, bytes: number): CallResult {
  if (!validInt(bytes)) return err('EINVAL');
  if (c.state === 'LISTEN') return err('ENOTCONN');
  if (c.readable > 0 && bytes > 0) {
    const n = Math.min(bytes, c.readable);
    // Memory of consumed segments is released (approximated in proportion to the bytes read).
    c.rcvTruesize = c.readable === n ? 0 : c.rcvTruesize - Math.round((c.rcvTruesize * n) / c.readable);
    if (c.readable === n) c.rcvTailroom = 0;
    c.readable -= n;
    cleanupRbuf(ctx, c, n);
    return ok(n);
  }
  if (bytes === 0) return ok(0);
  if (c.finReceived) return ok(0); // CT-10: EOF after all data
  const e = takeError(c);
  if (e !== null) return err(e);
  if (c.rcvShutdown) return ok(0);
  if (c.state === 'CLOSED') return err('ENOTCONN');
  return err('EAGAIN');
}

/** tcp_cleanup_rbuf: after a read, ACK if one is owed for a full segment or the window doubled (FC-5). */
function cleanupRbuf(ctx: Ctx, c: MConn, copied: number): void {
  if (c.state !== 'ESTABLISHED' && c.state !== 'FIN-WAIT-1' && c.state !== 'FIN-WAIT-2') return;
  let timeToAck = false;
  if (c.ackPending) {
    if (seqDist(c.rcvWup, c.rcvNxt) > c.rcvMss) timeToAck = true;
    else if (copied > 0 && c.ackPushed && !inPingpong(ctx, c) && c.readable === 0) timeToAck = true;
  }
  if (!timeToAck && copied > 0 && !c.rcvShutdown) {
    const now = receiveWindow(c);
    if (2 * now <= c.windowClamp) {
      const w = computeWindow(c, ctx.profile);
      if (w > 0 && w >= 2 * now) timeToAck = true;
    }
  }
  if (timeToAck) {
    note(ctx, c, 'FC-5/window-update', 'read opened the window: window update ACK');
    sendAck(ctx, c);
  }
}

/** Queue our FIN (tcp_close_state + tcp_send_fin): CT-1, CT-3. */
function queueFin(ctx: Ctx, c: MConn, cause: string): void {
  if (c.finSeq !== null) return;
  switch (c.state) {
    case 'ESTABLISHED':
    case 'SYN-RECEIVED':
      c.finSeq = c.writeSeq;
      setState(ctx, c, 'FIN-WAIT-1', cause);
      break;
    case 'CLOSE-WAIT':
      c.finSeq = c.writeSeq;
      setState(ctx, c, 'LAST-ACK', cause);
      break;
    default:
      return;
  }
  finishSegment(ctx, c);
}

/** inet_shutdown / tcp_shutdown (CT-6, CT-7). */
function shutdown(ctx: Ctx, c: MConn, how: 'SHUT_RD' | 'SHUT_WR' | 'SHUT_RDWR'): CallResult {
  const rd = how === 'SHUT_RD' || how === 'SHUT_RDWR';
  const wr = how === 'SHUT_WR' || how === 'SHUT_RDWR';
  if (how !== 'SHUT_RD' && how !== 'SHUT_WR' && how !== 'SHUT_RDWR') return err('EINVAL');
  switch (c.state) {
    case 'CLOSED':
      if (rd) c.rcvShutdown = true;
      if (wr) c.sndShutdown = true;
      return err('ENOTCONN');
    case 'LISTEN':
      if (rd) closeListener(ctx, c, 'call shutdown');
      return ok(0);
    case 'SYN-SENT':
      setState(ctx, c, 'CLOSED', 'call shutdown');
      c.retransmitAt = null;
      c.sockState = 'unconnected';
      return ok(0);
    default:
      if (rd) c.rcvShutdown = true;
      if (wr) {
        c.sndShutdown = true;
        queueFin(ctx, c, 'call shutdown');
      }
      return ok(0);
  }
}

function closeListener(ctx: Ctx, l: MConn, cause: string): void {
  for (const id of l.acceptQueue) {
    const ch = mut(ctx, id);
    if (ch === null) continue;
    if (ch.state === 'ESTABLISHED' || ch.state === 'CLOSE-WAIT' || ch.state === 'SYN-RECEIVED') sendActiveRst(ctx, ch);
    ch.parent = null;
    closeConn(ctx, ch, null, 'listener closed');
  }
  for (const id of l.synQueue) {
    const ch = mut(ctx, id);
    if (ch !== null) dropRequest(ctx, ch, 'CLOSED', 'listener closed');
  }
  l.acceptQueue = [];
  l.synQueue = [];
  setState(ctx, l, 'CLOSED', cause);
}

/** tcp_need_reset: states in which an abortive close sends RST. */
function needReset(c: MConn): boolean {
  return c.state === 'ESTABLISHED' || c.state === 'CLOSE-WAIT' || c.state === 'FIN-WAIT-1' || c.state === 'FIN-WAIT-2' || c.state === 'SYN-RECEIVED';
}

/** tcp_close (abortive = SO_LINGER {1, 0} or RFC 9293 ABORT): CT-1, CT-8, CT-9, CT-11. */
function close(ctx: Ctx, c: MConn, abortive: boolean): CallResult {
  const p = ctx.profile;
  const cause = abortive ? 'call abort' : 'call close';
  switch (c.state) {
    case 'CLOSED':
      break;
    case 'LISTEN':
      closeListener(ctx, c, cause);
      break;
    case 'SYN-SENT':
      setState(ctx, c, 'CLOSED', cause);
      break;
    case 'TIME-WAIT':
      // Linux: the socket is already TCP_CLOSE (a time-wait sock carries on): nothing is sent.
      break;
    default: {
      c.rcvShutdown = true;
      c.sndShutdown = true;
      const unread = c.readable > 0;
      if (unread && !abortive) {
        // CT-8: unread data → RST instead of FIN.
        note(ctx, c, 'CT-8/unread-data', `close() with ${c.readable} unread bytes: RST instead of FIN`);
        c.readable = 0;
        c.rcvTruesize = 0;
        sendActiveRst(ctx, c);
        setState(ctx, c, 'CLOSED', cause);
        c.done = true;
        break;
      }
      if (abortive || c.linger === 0) {
        // CT-9: abortive close (tcp_disconnect).
        if (needReset(c)) {
          note(ctx, c, 'CT-9/linger-zero', 'abortive close: RST, no TIME-WAIT');
          sendActiveRst(ctx, c);
        }
        c.readable = 0;
        c.rcvTruesize = 0;
        setState(ctx, c, 'CLOSED', cause);
        c.done = true;
        break;
      }
      c.fd = null; // orphan from here on (CT-11: the kernel finishes the close)
      queueFin(ctx, c, cause);
      if (c.state === 'FIN-WAIT-2' && c.finWait2At === null) {
        c.finWait2At = ctx.now + finTime(c, p);
        freezeMinisockWindow(c, p); // tcp_close: an orphan's FIN-WAIT-2 becomes a minisock
      }
      break;
    }
  }
  c.fd = null;
  c.parent = c.parent ?? null;
  return ok(0);
}

/** do_tcp_setsockopt / sock_setsockopt. */
function setsockopt(ctx: Ctx, c: MConn, opt: string, value: number): CallResult {
  const p = ctx.profile;
  if (!Number.isFinite(value)) return err('EINVAL');
  const v = Math.trunc(value);
  switch (opt) {
    case 'TCP_NODELAY':
      c.nodelay = v !== 0;
      if (c.nodelay) transmit(ctx, c); // setting TCP_NODELAY pushes pending data
      return ok(0);
    case 'SO_RCVBUF': {
      const val = v < 0 ? p.rmemMax : Math.min(v, p.rmemMax);
      c.rcvBuf = Math.max(val * 2, p.minRcvBuf);
      c.rcvBufLocked = true;
      return ok(0);
    }
    case 'SO_SNDBUF': {
      const val = v < 0 ? p.wmemMax : Math.min(v, p.wmemMax);
      c.sndBuf = Math.max(val * 2, p.minSndBuf);
      c.sndBufLocked = true;
      return ok(0);
    }
    case 'SO_LINGER':
      c.linger = v < 0 ? -1 : v;
      return ok(0);
    case 'SO_KEEPALIVE':
      setKeepalive(ctx, c, v !== 0); // KA-1
      return ok(0);
    case 'TCP_MAXSEG':
      if (v !== 0 && (v < p.minUserMss || v > 32767)) return err('EINVAL');
      c.userMss = v;
      return ok(0);
    case 'TCP_QUICKACK':
      c.pingpong = v !== 0 ? 0 : p.pingpongThresh;
      return ok(0);
    // KA-1, KA-3: do_tcp_setsockopt ranges (include/net/tcp.h MAX_TCP_KEEP*).
    case 'TCP_KEEPIDLE':
      if (v < 1 || v > MAX_KEEPIDLE) return err('EINVAL');
      setKeepIdle(ctx, c, v);
      return ok(0);
    case 'TCP_KEEPINTVL':
      if (v < 1 || v > MAX_KEEPINTVL) return err('EINVAL');
      c.keepIntvl = v * 1_000_000;
      return ok(0);
    case 'TCP_KEEPCNT':
      if (v < 1 || v > MAX_KEEPCNT) return err('EINVAL');
      c.keepCnt = v;
      return ok(0);
    case 'TCP_USER_TIMEOUT':
      if (v < 0) return err('EINVAL');
      c.userTimeout = v;
      return ok(0);
    default:
      return err('EINVAL');
  }
}
