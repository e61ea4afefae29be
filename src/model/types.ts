/**
 * The model's data: one host (`Endpoint`) and its sockets (`Conn`, the RFC 9293 §3.3.1 TCB).
 *
 * Everything is plain JSON-able data. `step` never mutates an endpoint it is given: it copies the
 * endpoint and each connection it touches once, then mutates the fresh copies (see `ctx.ts`).
 * Arrays inside a Conn (sent records, out-of-order ranges, queues) are copy-on-write.
 *
 * Other helpers (invariants, adapters, reports) READ these fields; their names are stable. RFC names
 * are kept for the RFC 793/9293 variables (sndUna, sndNxt, sndWnd, sndWl1, sndWl2, iss, rcvNxt, rcvWnd,
 * irs); Linux names (in comments) where the variable is Linux's (rcv_wup, rcv_ssthresh, snd_sml …).
 * Payload is never copied: the send buffer is sequence counters, the receive buffer a byte count
 * plus out-of-order sequence ranges.
 *
 * Sequence numbers are u32 in [0, 2^32), compared only through `src/wire/seq.ts`. Times are integer
 * microseconds (`Micros`); window sizes are bytes after scaling unless a name says "field".
 */
import type { Micros, TcpStateName } from './api.js';
import type { Errno } from '../scenario/types.js';
import type { Profile } from './profile-type.js';

/** One transmitted segment still unacknowledged (the retransmission queue; part 2 adds SACK state). */
export interface SentSegment {
  /** First sequence number (the SYN or first data byte). */
  readonly seq: number;
  /** Sequence space consumed: payload bytes + SYN + FIN. */
  readonly len: number;
  /** Flags the segment went out with (SYN, FIN, PSH are what matters on retransmission). */
  readonly flags: number;
  /** When it was last (re)transmitted. */
  readonly sentAt: Micros;
  /** True once it was retransmitted (Karn: no RTT sample from it). */
  readonly retransmitted: boolean;
  /** Marked lost by an RTO and not yet retransmitted (Linux TCPCB_LOST); not counted in flight. */
  readonly lost: boolean;
  /** Covered by a SACK block from the peer (Linux TCPCB_SACKED_ACKED, RFC 6675 scoreboard); absent = false. */
  readonly sacked?: boolean;
  /**
   * The GSO burst (Linux skb) this segment left in, named by the burst's first sequence number;
   * an RTO retransmission re-cuts one skb's lost segments at the MSS (tcp_retransmit_skb).
   */
  readonly skb?: number;
}

/** Linux icsk_ca_state (tcp.h): Open, Disorder (dup ACKs / SACKs seen), Recovery (fast recovery), Loss (after an RTO). */
export type CaState = 'open' | 'disorder' | 'recovery' | 'loss';

/**
 * Congestion-control and loss-recovery state beyond cwnd / ssthresh (congestion.ts, recovery.ts).
 * Replaced as a whole on change (copy-on-write).
 */
export interface CcState {
  readonly caState: CaState;
  /** Congestion avoidance credit: packets acknowledged since the last +1 (Linux snd_cwnd_cnt). */
  readonly cwndCnt: number;
  /** Without SACK: duplicate ACKs counted as delivered packets (Linux reno sacked_out, RFC 5681 dup ACK count). With SACK: SACKed records. */
  readonly sackedOut: number;
  /** RFC 5681 §3.2 duplicate ACK counter (profile fastRecovery 'newreno'); reset by an ACK of new data. */
  readonly dupAcks: number;
  /** Recovery point (RFC 6582 "recover", Linux high_seq): SND.NXT when recovery or loss began. */
  readonly highSeq: number;
  /** PRR (RFC 6937): cwnd at the start of recovery, packets delivered and sent since then. */
  readonly priorCwnd: number;
  readonly prrDelivered: number;
  readonly prrOut: number;
  /** Linux tcp_cwnd_validate: the current window was cwnd-limited; most packets out in it; its end (cwnd_usage_seq). */
  readonly isCwndLimited: boolean;
  readonly maxPacketsOut: number;
  readonly cwndUsageSeq: number;
  /** When data was last sent (Linux lsndtime), for the restart after idle; null before any data. */
  readonly lastDataSentAt: Micros | null;
  /** RFC 6675 HighRxt: end of the highest segment retransmitted in this recovery by NextSeg rules 1–3 (rfc6675.ts). */
  readonly highRxt: number;
  /** RFC 6675 RescueRxt: RecoveryPoint when the rule-4 rescue retransmission was used; null = undefined. */
  readonly rescueRxt: number | null;
  /**
   * Packets the in-flight count (congestion.ts packetsInFlight) adds to the records it sees: RFC 6675
   * pipe counts a segment retransmitted before it was deemed lost twice, and without limited
   * transmit SACKed segments stay in FlightSize (rfc6675.ts). 0 for Linux.
   */
  readonly pipeExtra: number;
  /** SND.NXT at the first duplicate ACK of the current run (RFC 5681 §3.2 step 2: limited-transmit data is not counted in FlightSize). */
  readonly dupStartSeq: number;
  /** Linux undo state (undo.ts): undo_marker (SND.UNA when the reduction began, null = no undo possible), undo_retrans (-1 = none counted), prior_ssthresh (0 = none). */
  readonly undoMarker: number | null;
  readonly undoRetrans: number;
  readonly priorSsthresh: number;
  /** Linux tp->frto: F-RTO (RFC 5682) is running for the current Loss episode (frto.ts). */
  readonly frto: boolean;
  /** RFC 6675 §5 step (4.3): recovery began and the first unacknowledged segment waits for the next transmit (rfc6675.ts). */
  readonly fastRetransmitPending: boolean;
  /** Linux retrans_stamp as the undo logic reads it: when the first retransmission of this episode went out (tcp_packet_delayed); null = none. */
  readonly firstRetransAt: Micros | null;
  /**
   * The ACK just processed asks for no retransmission of marked segments (Linux tcp_fastretrans_alert
   * left rexmit at REXMIT_NONE/NEW: F-RTO step 2b sends new data instead, frto.ts; a partial ACK
   * filled by a delayed original while retransmissions are out, undo.ts). Read by output.ts.
   */
  readonly holdRetransmit: boolean;
  /** RACK (rack.ts; Linux tp->rack): send time and end of the most recently sent delivered record, that delivery's RTT, new deliveries since the last check, and the reordering timer (ICSK_TIME_REO_TIMEOUT). */
  readonly rackMstamp: Micros | null;
  readonly rackEndSeq: number;
  readonly rackRtt: Micros;
  readonly rackAdvanced: boolean;
  readonly rackReoAt: Micros | null;
}

/** One unsent chunk of the send queue (a Linux skb on the write queue). */
export interface SendChunk {
  readonly end: number;
  readonly psh: boolean;
}

/** A SACK block [left, right) as the receiver remembers it (Linux tcp_sack_block). */
export interface SackRange {
  readonly left: number;
  readonly right: number;
}

/** A block of out-of-order received sequence space [left, right); `fin` when the peer's FIN is at `right − 1`. */
export interface OooRange {
  readonly left: number;
  readonly right: number;
  readonly fin: boolean;
}

/**
 * A socket / TCB. Listeners, unconnected sockets, embryonic (SYN-RECEIVED) connections, orphans and
 * TIME-WAIT all use this one shape; fields that do not apply keep their initial values.
 */
export interface Conn {
  // ── identity ──────────────────────────────────────────────────────────────────────────────
  /** Stable per-endpoint id (never reused), used by `transition` outputs. */
  readonly id: number;
  /** The application's file descriptor, or null (embryonic, not yet accepted, orphaned after close()). */
  readonly fd: number | null;
  /** RFC 9293 §3.3.2 state. */
  readonly state: TcpStateName;
  /** For a passive open until accept(): the listener's conn id. */
  readonly parent: number | null;
  /** True for a connection created by connect() (RFC 9293: "active OPEN"). */
  readonly activeOpen: boolean;
  /** Local port (0 = not bound yet). */
  readonly localPort: number;
  /** Remote address and port (null / 0 until connected). */
  readonly remoteAddr: string | null;
  readonly remotePort: number;

  // ── listener (state LISTEN) ───────────────────────────────────────────────────────────────
  /** Effective backlog = min(listen() backlog, somaxconn) (LQ-1). */
  readonly backlog: number;
  /** Conn ids in SYN-RECEIVED that belong to this listener (the SYN queue). */
  readonly synQueue: readonly number[];
  /** Conn ids established and waiting for accept(), oldest first (the accept queue). */
  readonly acceptQueue: readonly number[];

  // ── socket options ────────────────────────────────────────────────────────────────────────
  readonly nodelay: boolean;
  readonly keepalive: boolean;
  /** SO_LINGER seconds, or −1 when off. 0 = abortive close (CT-9). */
  readonly linger: number;
  /** TCP_MAXSEG (0 = not set). */
  readonly userMss: number;
  /** sk_rcvbuf / sk_sndbuf in bytes as the kernel stores them (setsockopt value doubled). */
  readonly rcvBuf: number;
  readonly sndBuf: number;
  /** SOCK_RCVBUF_LOCK: SO_RCVBUF was set (clamps the window and the window scale). */
  readonly rcvBufLocked: boolean;

  // ── send sequence space (RFC 9293 §3.3.1) ─────────────────────────────────────────────────
  readonly iss: number;
  readonly sndUna: number;
  readonly sndNxt: number;
  /** Peer's window in bytes (field << sndWscale; never scaled on SYN segments). */
  readonly sndWnd: number;
  readonly sndWl1: number;
  readonly sndWl2: number;
  /** Largest window the peer ever offered (Linux max_window). */
  readonly sndMaxWnd: number;
  /** Sequence number just past the data the application wrote (Linux write_seq). */
  readonly writeSeq: number;
  /** Sequence number of our FIN once close()/shutdown(SHUT_WR) queued it (= writeSeq then), else null. */
  readonly finSeq: number | null;
  /** End of the last sub-MSS segment sent (Linux snd_sml, Nagle/Minshall). */
  readonly sndSml: number;
  /**
   * Unsent data as Linux keeps it (sk_write_queue skbs): chunk i covers [previous end or SND.NXT, end);
   * `psh` marks a chunk that ends a send() or was forced (DT-11). Built by send() up to the GSO size
   * goal; output.ts cuts each chunk into MSS segments.
   */
  readonly sendQueue: readonly SendChunk[];
  /** Linux pushed_seq: write_seq at the last PSH mark (forced push after half the max window). */
  readonly pushedSeq: number;
  /** Unacknowledged segments in sequence order (the retransmission queue). */
  readonly sent: readonly SentSegment[];

  // ── receive sequence space ───────────────────────────────────────────────────────────────
  readonly irs: number;
  readonly rcvNxt: number;
  /** Window last advertised, in bytes (Linux rcv_wnd); the right edge is rcvWup + rcvWnd. */
  readonly rcvWnd: number;
  /** rcvNxt when the window was last advertised (Linux rcv_wup). */
  readonly rcvWup: number;
  /** Linux rcv_ssthresh: the window grows toward the buffer through this bound. */
  readonly rcvSsthresh: number;
  /** Largest window we will ever offer (Linux window_clamp). */
  readonly windowClamp: number;
  /** In-order bytes received and not yet read by the application. */
  readonly readable: number;
  /**
   * Buffer memory charged for queued received data (Linux sk_rmem_alloc, skb truesize): in-order
   * queue and out-of-order queue. The window is computed from rcvBuf minus these.
   */
  readonly rcvTruesize: number;
  readonly oooTruesize: number;
  /** Free room behind the last in-order queued segment (Linux skb_tailroom), for receive coalescing. */
  readonly rcvTailroom: number;
  /** Share of buffer space offered as window, in 1/256 (Linux scaling_ratio; adapts to len/truesize). */
  readonly scalingRatio: number;
  /** Out-of-order ranges above rcvNxt, sorted by sequence, disjoint and not adjacent. */
  readonly ooo: readonly OooRange[];
  /** The peer's FIN was received in order (rcvNxt counts it). */
  readonly finReceived: boolean;
  /** A D-SACK block to report on the next ACK (RFC 2883), or null. */
  readonly dsack: { readonly left: number; readonly right: number } | null;
  /** Start of the most recently received out-of-order segment (its block goes first in SACK). */
  readonly lastOooSeq: number | null;
  /** SACK blocks as Linux remembers them (≤ 4, most recently changed first; sack.ts). */
  readonly selectiveAcks: readonly SackRange[];

  // ── negotiated options (HS-8, HS-9, HD-4) ────────────────────────────────────────────────
  /** Peer's MSS option, or 536 when absent (Linux mss_clamp, lowered by TCP_MAXSEG). */
  readonly peerMss: number;
  /** MSS we announced (MTU − 40, clamped by TCP_MAXSEG; Linux advmss). */
  readonly advMss: number;
  /** Send MSS without the half-window bound: min(peerMss, MTU − 40) − option overhead (Linux mss_cache). */
  readonly mssCache: number;
  /** Estimated peer segment size (Linux icsk_ack.rcv_mss), for delayed ACK and SWS decisions. */
  readonly rcvMss: number;
  readonly wscaleOk: boolean;
  /** Shift applied to the peer's window fields (0 without window scaling). */
  readonly sndWscale: number;
  /** Shift we apply to our window fields (announced in our SYN; 0 unless both offered). */
  readonly rcvWscale: number;
  readonly sackOk: boolean;
  readonly tsOk: boolean;
  /** RFC 7323 TS.Recent and when it was stored. */
  readonly tsRecent: number;
  readonly tsRecentAt: Micros;
  /** Per-connection offset added to the TSval clock (Linux tsoffset). */
  readonly tsOffset: number;
  /** Whether we offered / the peer offered each option on the SYN (kept for SYN-ACK retransmission). */
  readonly peerOffered: { readonly wscale: number | null; readonly sack: boolean; readonly ts: boolean };

  // ── ACK policy (DT-12, Linux icsk_ack) ──────────────────────────────────────────────────
  /** An ACK is owed (ICSK_ACK_SCHED). */
  readonly ackPending: boolean;
  /** The next ACK must go at once (ICSK_ACK_NOW). */
  readonly ackNow: boolean;
  /** Quick-ACK credits left (icsk_ack.quick). */
  readonly quickAcks: number;
  /** Delayed-ACK timeout estimate (icsk_ack.ato), 0 before the first data. */
  readonly ato: Micros;
  /** Interactive (pingpong) count: ≥ profile.pingpongThresh means pingpong mode. */
  readonly pingpong: number;
  /** When data was last received (icsk_ack.lrcvtime). */
  readonly lastRcvAt: Micros;
  /** A small PSH segment arrived (ICSK_ACK_PUSHED). */
  readonly ackPushed: boolean;
  /** Last time a dup ACK / challenge ACK went out (rate limit, Linux last_oow_ack_time), or null. */
  readonly lastOowAckAt: Micros | null;

  // ── timers: one deadline per kind, null when not armed ───────────────────────────────────
  /** SYN, SYN-ACK, data and FIN retransmission (one timer, as in Linux ICSK_TIME_RETRANS / reqsk timer). */
  readonly retransmitAt: Micros | null;
  readonly delayedAckAt: Micros | null;
  readonly timeWaitAt: Micros | null;
  /** Orphaned FIN-WAIT-2 timeout (CT-6). */
  readonly finWait2At: Micros | null;

  // ── retransmission state ────────────────────────────────────────────────────────────────
  /** Current RTO including backoff. */
  readonly rto: Micros;
  /** Smoothed RTT and variance; 0 = no sample yet. */
  readonly srtt: Micros;
  readonly rttvar: Micros;
  /** Smallest RTT sample seen (Linux tcp_min_rtt, without its window expiry), 0 = none. */
  readonly minRtt: Micros;
  /** Consecutive timeouts (icsk_retransmits; for a SYN-RECEIVED request: num_timeout). */
  readonly retransmits: number;
  /** When the first retransmission of the current episode's segment was originally sent (retrans_stamp), or null. */
  readonly retransStamp: Micros | null;
  /** SYN-ACK retransmissions done for a request (num_retrans, includes those triggered by duplicate SYNs). */
  readonly synRetransCount: number;
  /** When a request sent its first SYN-ACK (Linux snt_synack / snt_tsval_first), or null. */
  readonly synAckFirstAt: Micros | null;
  /** LQ-3: final ACK arrived while the accept queue was full (Linux req->acked). */
  readonly reqAcked: boolean;

  // ── congestion control seam (part 2 replaces the algorithm) ─────────────────────────────
  /** Congestion window in packets (Linux counts packets). */
  readonly cwnd: number;
  readonly ssthresh: number;
  /** Everything else of congestion control and loss recovery (part 2). */
  readonly cc: CcState;

  // ── application side ─────────────────────────────────────────────────────────────────────
  /** SEND_SHUTDOWN (shutdown(SHUT_WR) or close()). */
  readonly sndShutdown: boolean;
  /** RCV_SHUTDOWN (shutdown(SHUT_RD) or close()). */
  readonly rcvShutdown: boolean;
  /** Pending socket error (sk_err), returned once by the next call. */
  readonly error: Errno | null;
  /** The connection was torn down (reset, timeout): calls see EPIPE / 0. */
  readonly done: boolean;
  /** connect() was called on this socket and it reached ESTABLISHED at some point. */
  readonly everConnected: boolean;
  /** The socket layer's view (Linux sock->state), which decides connect()'s errors. */
  readonly sockState: 'unconnected' | 'connecting' | 'connected';

  // ── part 2 timers: RTT estimator, user timeout, persist, keepalive (DT-5, FC-4, KA-1…3) ──
  /** Linux mdev_us, mdev_max_us (µs, unscaled) and rtt_seq (tcp_input.c:tcp_rtt_estimator); unused by RFC 6298. */
  readonly mdev: Micros;
  readonly mdevMax: Micros;
  readonly rttSeq: number;
  /** TCP_USER_TIMEOUT in ms (0 = off): replaces tcp_retries2 / probe limits (KA-3). */
  readonly userTimeout: number;
  /** TCP_KEEPIDLE / TCP_KEEPINTVL in µs and TCP_KEEPCNT; 0 = the profile default (sysctl). */
  readonly keepIdle: Micros;
  readonly keepIntvl: Micros;
  readonly keepCnt: number;
  /** Keepalive timer (Linux sk_timer), null when not armed. */
  readonly keepaliveAt: Micros | null;
  /** Zero-window probe (persist) timer (Linux ICSK_TIME_PROBE0), null when not armed. */
  readonly persistAt: Micros | null;
  /** Unanswered window / keepalive probes (icsk_probes_out). */
  readonly probesOut: number;
  /** Probe backoff exponent (icsk_backoff while probing). */
  readonly probeBackoff: number;
  /** When the first unanswered window probe went out (icsk_probes_tstamp), or null. */
  readonly probesStamp: Micros | null;
  /** When an acceptable ACK last arrived (Linux rcv_tstamp). */
  readonly lastAckAt: Micros;
  /** Tail loss probe timer (Linux ICSK_TIME_LOSS_PROBE), null when not armed. */
  readonly tlpAt: Micros | null;
  /** SND.NXT when the outstanding loss probe went out (Linux tlp_high_seq), or null. */
  readonly tlpHighSeq: number | null;
  /** The outstanding loss probe was a retransmission (Linux tlp_retrans), not new data. */
  readonly tlpRetrans: boolean;
  /** Listener: when it last sent a cookie SYN-ACK (tcp_synq_overflow, LQ-4), or null. */
  readonly synqOverflowAt: Micros | null;
  /** Linux: this connection is now a timewait minisock answering with a frozen window (window.ts). */
  readonly minisock: boolean;
  /** SO_SNDBUF was set: the send buffer does not grow (Linux SOCK_SNDBUF_LOCK). */
  readonly sndBufLocked: boolean;
  /** A send() found the buffer full (Linux SOCK_NOSPACE): wake the writer when room returns. */
  readonly sndNoSpace: boolean;
}

/** One host. */
export interface Endpoint {
  readonly profile: Profile;
  /** This host's address. */
  readonly addr: string;
  /** Where connect() connects to (the scenario's remote address). */
  readonly peerAddr: string;
  readonly seed: number;
  /** Every socket and connection, in creation order. */
  readonly conns: readonly Conn[];
  readonly nextConnId: number;
  readonly nextEphemeralPort: number;
}

/** Writable view used inside `step` on fresh copies only. */
export type Mut<T> = { -readonly [K in keyof T]: T[K] };
export type MConn = Mut<Conn>;
