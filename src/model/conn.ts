/**
 * Creating sockets and connections: a fresh unconnected socket with the profile's defaults, a
 * child of a listener (inherits the listener's socket options, as Linux children do), and the
 * negotiation of options from a received SYN (HS-8, HS-9).
 */
import type { Ctx } from './ctx.js';
import type { Conn, MConn } from './types.js';
import type { PeerOptions } from './options.js';
import { initialCcState } from './cc-state.js';
import type { Profile } from './profile-type.js';

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
    sendQueue: [],
    pushedSeq: 0,
    sent: [],
    irs: 0,
    rcvNxt: 0,
    rcvWnd: 0,
    rcvWup: 0,
    rcvSsthresh: 0,
    windowClamp: 0,
    readable: 0,
    rcvTruesize: 0,
    oooTruesize: 0,
    rcvTailroom: 0,
    scalingRatio: p.rcvScalingRatio,
    ooo: [],
    finReceived: false,
    dsack: null,
    lastOooSeq: null,
    selectiveAcks: [],
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
    minRtt: 0,
    retransmits: 0,
    retransStamp: null,
    synRetransCount: 0,
    synAckFirstAt: null,
    reqAcked: false,
    cwnd: p.initialCwnd,
    ssthresh: p.initialSsthresh,
    cc: initialCcState(0),
    sndShutdown: false,
    rcvShutdown: false,
    error: null,
    done: false,
    everConnected: false,
    sockState: 'unconnected',
    mdev: 0,
    mdevMax: 0,
    rttSeq: 0,
    userTimeout: 0,
    keepIdle: 0,
    keepIntvl: 0,
    keepCnt: 0,
    keepaliveAt: null,
    persistAt: null,
    probesOut: 0,
    probeBackoff: 0,
    probesStamp: null,
    lastAckAt: 0,
    tlpAt: null,
    tlpHighSeq: null,
    tlpRetrans: false,
    synqOverflowAt: null,
    minisock: false,
    sndBufLocked: false,
    sndNoSpace: false,
  };
  return c;
}

/** MSS we announce: MTU − 40, lowered by TCP_MAXSEG (tcp_output.c:tcp_advertise_mss). */
export function advertisedMss(ctx: Ctx, c: Conn): number {
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
  const peerMss = clampedPeerMss(p, c.userMss, po);
  c.peerMss = peerMss;
  const mtuMss = Math.max(Math.min(p.mtu - 40, peerMss), p.minSndMss);
  c.mssCache = Math.max(1, mtuMss - (c.tsOk ? 12 : 0));
  if (po.ts !== null && c.tsOk) {
    c.tsRecent = po.ts.val;
    c.tsRecentAt = ctx.now;
  }
}

/**
 * A fresh copy of a connection: every field listed once, in creation order, so V8 builds it from
 * one object shape (much faster than `{ ...c }` on an object this wide; `step` does this once per
 * touched connection). test/model/conn-copy.test.ts checks the field list matches `newSocket` and
 * that a connection stays at most 128 fields wide: from 129 fields V8 copies such a literal on a
 * slow path and `step` runs ~45 % slower (measured with bench/model.bench.ts).
 */
export function cloneConn(c: Conn): MConn {
  return {
    id: c.id,
    fd: c.fd,
    state: c.state,
    parent: c.parent,
    activeOpen: c.activeOpen,
    localPort: c.localPort,
    remoteAddr: c.remoteAddr,
    remotePort: c.remotePort,
    backlog: c.backlog,
    synQueue: c.synQueue,
    acceptQueue: c.acceptQueue,
    nodelay: c.nodelay,
    keepalive: c.keepalive,
    linger: c.linger,
    userMss: c.userMss,
    rcvBuf: c.rcvBuf,
    sndBuf: c.sndBuf,
    rcvBufLocked: c.rcvBufLocked,
    iss: c.iss,
    sndUna: c.sndUna,
    sndNxt: c.sndNxt,
    sndWnd: c.sndWnd,
    sndWl1: c.sndWl1,
    sndWl2: c.sndWl2,
    sndMaxWnd: c.sndMaxWnd,
    writeSeq: c.writeSeq,
    finSeq: c.finSeq,
    sndSml: c.sndSml,
    sendQueue: c.sendQueue,
    pushedSeq: c.pushedSeq,
    sent: c.sent,
    irs: c.irs,
    rcvNxt: c.rcvNxt,
    rcvWnd: c.rcvWnd,
    rcvWup: c.rcvWup,
    rcvSsthresh: c.rcvSsthresh,
    windowClamp: c.windowClamp,
    readable: c.readable,
    rcvTruesize: c.rcvTruesize,
    oooTruesize: c.oooTruesize,
    rcvTailroom: c.rcvTailroom,
    scalingRatio: c.scalingRatio,
    ooo: c.ooo,
    finReceived: c.finReceived,
    dsack: c.dsack,
    lastOooSeq: c.lastOooSeq,
    selectiveAcks: c.selectiveAcks,
    peerMss: c.peerMss,
    advMss: c.advMss,
    mssCache: c.mssCache,
    rcvMss: c.rcvMss,
    wscaleOk: c.wscaleOk,
    sndWscale: c.sndWscale,
    rcvWscale: c.rcvWscale,
    sackOk: c.sackOk,
    tsOk: c.tsOk,
    tsRecent: c.tsRecent,
    tsRecentAt: c.tsRecentAt,
    tsOffset: c.tsOffset,
    peerOffered: c.peerOffered,
    ackPending: c.ackPending,
    ackNow: c.ackNow,
    quickAcks: c.quickAcks,
    ato: c.ato,
    pingpong: c.pingpong,
    lastRcvAt: c.lastRcvAt,
    ackPushed: c.ackPushed,
    lastOowAckAt: c.lastOowAckAt,
    retransmitAt: c.retransmitAt,
    delayedAckAt: c.delayedAckAt,
    timeWaitAt: c.timeWaitAt,
    finWait2At: c.finWait2At,
    rto: c.rto,
    srtt: c.srtt,
    rttvar: c.rttvar,
    minRtt: c.minRtt,
    retransmits: c.retransmits,
    retransStamp: c.retransStamp,
    synRetransCount: c.synRetransCount,
    synAckFirstAt: c.synAckFirstAt,
    reqAcked: c.reqAcked,
    cwnd: c.cwnd,
    ssthresh: c.ssthresh,
    cc: c.cc,
    sndShutdown: c.sndShutdown,
    rcvShutdown: c.rcvShutdown,
    error: c.error,
    done: c.done,
    everConnected: c.everConnected,
    sockState: c.sockState,
    mdev: c.mdev,
    mdevMax: c.mdevMax,
    rttSeq: c.rttSeq,
    userTimeout: c.userTimeout,
    keepIdle: c.keepIdle,
    keepIntvl: c.keepIntvl,
    keepCnt: c.keepCnt,
    keepaliveAt: c.keepaliveAt,
    persistAt: c.persistAt,
    probesOut: c.probesOut,
    probeBackoff: c.probeBackoff,
    probesStamp: c.probesStamp,
    lastAckAt: c.lastAckAt,
    tlpAt: c.tlpAt,
    tlpHighSeq: c.tlpHighSeq,
    tlpRetrans: c.tlpRetrans,
    synqOverflowAt: c.synqOverflowAt,
    minisock: c.minisock,
    sndBufLocked: c.sndBufLocked,
    sndNoSpace: c.sndNoSpace,
  };
}

/** The peer's MSS option (536 without one, RFC 9293 §3.7.1), lowered by TCP_MAXSEG (tcp_parse_options mss_clamp). */
export function clampedPeerMss(p: Profile, userMss: number, po: PeerOptions): number {
  const mss = po.mss ?? p.defaultMss;
  return userMss > 0 && userMss < mss ? userMss : mss;
}
