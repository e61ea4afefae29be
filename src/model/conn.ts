/**
 * Creating sockets and connections: a fresh unconnected socket with the profile's defaults, a
 * child of a listener (inherits the listener's socket options, as Linux children do), and the
 * negotiation of options from a received SYN (HS-8, HS-9).
 */
import type { Ctx } from './ctx.js';
import type { MConn } from './types.js';
import type { PeerOptions } from './options.js';

/** A new socket in CLOSED with default options (tcp_init_sock). */
export function newSocket(ctx: Ctx, fd: number | null): MConn {
  const p = ctx.profile;
  const c: MConn = {
    id: ctx.nextConnId++,
    fd,
    state: 'CLOSED',
    parent: null,
    activeOpen: false,
    localPort: 0,
    remoteAddr: null,
    remotePort: 0,
    backlog: 0,
    synQueue: [],
    acceptQueue: [],
    nodelay: false,
    keepalive: false,
    linger: -1,
    userMss: 0,
    rcvBuf: p.rmem[1],
    sndBuf: p.wmem[1],
    rcvBufLocked: false,
    iss: 0,
    sndUna: 0,
    sndNxt: 0,
    sndWnd: 0,
    sndWl1: 0,
    sndWl2: 0,
    sndMaxWnd: 0,
    writeSeq: 0,
    finSeq: null,
    sndSml: 0,
    pushMarks: [],
    pushedSeq: 0,
    sent: [],
    irs: 0,
    rcvNxt: 0,
    rcvWnd: 0,
    rcvWup: 0,
    rcvSsthresh: 0,
    windowClamp: 0,
    readable: 0,
    ooo: [],
    finReceived: false,
    dsack: null,
    lastOooSeq: null,
    peerMss: p.defaultMss,
    advMss: p.mtu - 40,
    mssCache: p.defaultMss,
    rcvMss: p.defaultMss,
    wscaleOk: false,
    sndWscale: 0,
    rcvWscale: 0,
    sackOk: false,
    tsOk: false,
    tsRecent: 0,
    tsRecentAt: 0,
    tsOffset: 0,
    peerOffered: { wscale: null, sack: false, ts: false },
    ackPending: false,
    ackNow: false,
    quickAcks: 0,
    ato: 0,
    pingpong: 0,
    lastRcvAt: 0,
    ackPushed: false,
    lastOowAckAt: null,
    retransmitAt: null,
    delayedAckAt: null,
    timeWaitAt: null,
    finWait2At: null,
    rto: p.initialRto,
    srtt: 0,
    rttvar: 0,
    retransmits: 0,
    retransStamp: null,
    synRetransCount: 0,
    reqAcked: false,
    cwnd: p.initialCwnd,
    ssthresh: p.initialSsthresh,
    sndShutdown: false,
    rcvShutdown: false,
    error: null,
    done: false,
    everConnected: false,
    sockState: 'unconnected',
  };
  return c;
}

/** MSS we announce: MTU − 40, lowered by TCP_MAXSEG (tcp_output.c:tcp_advertise_mss). */
export function advertisedMss(ctx: Ctx, c: MConn): number {
  const base = ctx.profile.mtu - 40;
  return c.userMss > 0 && c.userMss < base ? c.userMss : base;
}

/**
 * Apply the options of the peer's SYN (or SYN-ACK) given what we offer: each of window scale,
 * SACK-permitted and timestamps is on only if both sides offered it (HS-9); the send MSS is
 * min(peer MSS or 536, MTU − 40), floored, minus 12 with timestamps (HS-8, Linux tcp_mtu_to_mss).
 */
export function negotiate(ctx: Ctx, c: MConn, po: PeerOptions, offer: { sack: boolean; ts: boolean; wscale: boolean }): void {
  const p = ctx.profile;
  c.sackOk = offer.sack && po.sackOk;
  c.tsOk = offer.ts && po.ts !== null;
  c.wscaleOk = offer.wscale && po.wscale !== null;
  c.sndWscale = c.wscaleOk ? (po.wscale ?? 0) : 0;
  if (!c.wscaleOk) c.rcvWscale = 0;
  let peerMss = po.mss ?? p.defaultMss;
  if (c.userMss > 0 && c.userMss < peerMss) peerMss = c.userMss;
  c.peerMss = peerMss;
  const mtuMss = Math.max(Math.min(p.mtu - 40, peerMss), p.minSndMss);
  c.mssCache = Math.max(1, mtuMss - (c.tsOk ? 12 : 0));
  if (po.ts !== null && c.tsOk) {
    c.tsRecent = po.ts.val;
    c.tsRecentAt = ctx.now;
  }
}
