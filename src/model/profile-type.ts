/**
 * The shape of a model profile: every constant and behaviour switch where TCP stacks differ.
 * Values live in `profiles.ts` (rfc9293, linux, linux612) with their sources. The model never asks
 * which stack it is; it reads these fields.
 */
import type { Micros } from './api.js';

export interface Profile {
  readonly name: string;
  /** Kernel range the values were taken from (Linux profiles). */
  readonly kernelRange?: string;

  // ── clocks ─────────────────────────────────────────────────────────────────────────────────
  /** Timer granularity: computed timer durations are rounded up to a multiple of this (jiffies). */
  readonly timerGranularity: Micros;
  /** TSval clock rate in Hz. */
  readonly tsHz: number;
  /**
   * The host clock at scenario time 0, µs (Linux: CLOCK_MONOTONIC, which tcp_clock_ns reads). It
   * sets where TSval ticks and cookie time counters roll over; only its phase is visible on the wire
   * (syncookie timestamps round the clock down to 64 ticks). Recorders store it in the trace header
   * (`meta.clockOriginUs`) and the oracle replays the model with it; 0 otherwise.
   */
  readonly clockOriginUs: number;
  /** ISN clock tick in microseconds (HS-4): RFC 6528 4 µs, Linux 64 ns (secure_tcp_seq: ns >> 6). */
  readonly isnTickUs: number;

  // ── retransmission timers ──────────────────────────────────────────────────────────────────
  readonly initialRto: Micros;
  /** RTO after a handshake that gave no RTT sample (RFC 6298 §5.7). */
  readonly fallbackRto: Micros;
  readonly rtoMin: Micros;
  readonly rtoMax: Micros;
  readonly synRetries: number;
  /** SYN timeouts that do not back off (Linux tcp_syn_linear_timeouts; 0 = always exponential). */
  readonly synLinearTimeouts: number;
  readonly synAckRetries: number;
  /** SYN-SENT: after an unacceptable ACK, re-arm the SYN timer to this (Linux TCP_TIMEOUT_MIN), or null. */
  readonly synSentBadAckRearm: Micros | null;
  /**
   * Simultaneous open: the SYN-ACK carries our SYN's options and our window scale stays in force
   * even when the peer's SYN had no window scale option (Linux), or options follow negotiation.
   */
  readonly simultaneousOpenKeepsOwnOptions: boolean;
  /** Data retransmission give-up boundary (tcp_retries2) for the time-budget rule. */
  readonly retries2: number;
  /** Same for orphaned sockets (tcp_orphan_retries, 0 meaning 8). */
  readonly orphanRetries: number;
  readonly finTimeout: Micros;
  readonly timeWaitLen: Micros;
  /**
   * TIME-WAIT, and an orphan's FIN-WAIT-2 while tcp_fin_time ≤ TIME-WAIT length, answer with the
   * receive window frozen when they began (Linux timewait minisock tw_rcv_wnd; window.ts).
   */
  readonly minisockWindow: boolean;
  /**
   * RTT estimator (DT-5): 'linux' = tcp_input.c:tcp_rtt_estimator (mdev, per-RTT mdev_max, RTO =
   * srtt + rttvar in whole jiffies); 'rfc6298' = RFC 6298 §2 with rttAlpha, rttBeta, rttK and the
   * clock granularity rttG, RTO floored at rtoMin.
   */
  readonly rttEstimator: 'linux' | 'rfc6298';
  readonly rttAlpha: number;
  readonly rttBeta: number;
  readonly rttK: number;
  readonly rttG: Micros;
  /** CC-4: ssthresh after an RTO from cwnd (Linux reno tcp_reno_ssthresh) or FlightSize (RFC 5681 §3.1 eq. 4). */
  readonly rtoSsthresh: 'cwnd' | 'flight-size';
  /** Base of the retries2 / orphan time budget (Linux TCP_RTO_MIN, a constant, tcp_timer.c:retransmits_timed_out). */
  readonly retriesRtoBase: Micros;
  /** Zero-window probe (FC-4): Linux ACK with seq SND.UNA − 1 ('linux') or one byte of new data (RFC 9293 §3.8.6.1). */
  readonly persistProbe: 'linux' | 'one-byte';
  /** Tail loss probe (RFC 8985 §7; Linux tcp_early_retrans 3 or 4; SACK connections only). */
  readonly tlp: boolean;
  /** Keepalive defaults (KA-1): tcp_keepalive_time, tcp_keepalive_intvl, tcp_keepalive_probes. */
  readonly keepaliveTime: Micros;
  readonly keepaliveIntvl: Micros;
  readonly keepaliveProbes: number;

  // ── options and MSS ────────────────────────────────────────────────────────────────────────
  readonly mtu: number;
  readonly offerSack: boolean;
  /** Report duplicate segments with a D-SACK block (RFC 2883; Linux sysctl tcp_dsack). */
  readonly dsack: boolean;
  readonly offerTimestamps: boolean;
  readonly offerWscale: boolean;
  /** Peer MSS assumed without an MSS option (RFC 9293 §3.7.1). */
  readonly defaultMss: number;
  /** Floor of the send MSS (Linux TCP_MIN_SND_MSS). */
  readonly minSndMss: number;
  /** Smallest TCP_MAXSEG accepted (Linux TCP_MIN_MSS). */
  readonly minUserMss: number;
  /** PAWS tolerance: reject when TS.Recent − TSval > this (RFC 7323 §5; Linux TCP_PAWS_WINDOW). */
  readonly pawsWindow: number;

  // ── buffers and windows ────────────────────────────────────────────────────────────────────
  /** tcp_rmem / tcp_wmem: min, default, max. */
  readonly rmem: readonly [number, number, number];
  readonly wmem: readonly [number, number, number];
  readonly rmemMax: number;
  readonly wmemMax: number;
  readonly minRcvBuf: number;
  readonly minSndBuf: number;
  /** Initial share of the buffer offered as window, in 1/256 (Linux scaling_ratio). */
  readonly rcvScalingRatio: number;
  /**
   * Buffer memory a received segment costs (skb truesize), which drives scaling_ratio and the window:
   * the head is allocated with `headroom + IP/TCP headers + payload + sharedInfo` rounded up to the
   * allocator's size class (power of two), plus `skbStruct`. 0 for `headroom` disables the model
   * (truesize = payload, ratio stays fixed).
   */
  readonly rcvSkb: { readonly headroom: number; readonly sharedInfo: number; readonly skbStruct: number };
  readonly maxWscale: number;
  /**
   * TSO autosizing (tcp_output.c:tcp_tso_autosize): at most (pacing rate >> pacingShift +
   * gsoMaxSize >> (min RTT µs >> tsoRttLog)) bytes, at least minTsoSegs segments, leave in one burst;
   * pacing rate = mss · cwnd / srtt × ratio % (ss below ssthresh/2, else ca).
   */
  readonly pacingShift: number;
  readonly tsoRttLog: number;
  readonly minTsoSegs: number;
  readonly pacingSsRatio: number;
  readonly pacingCaRatio: number;
  /** GSO: largest chunk send() builds (Linux sk_gso_max_size), 0 = one MSS per chunk. */
  readonly gsoMaxSize: number;
  /** How send() is charged against SO_SNDBUF: plain bytes, or Linux skbs with truesize (sendbuf.ts). */
  readonly sendAccounting: 'bytes' | 'linux-skb';
  /** Memory charged per queued skb beyond its payload (sk_wmem_queued; sendbuf.ts). */
  readonly skbTruesize: number;
  /**
   * tcp_sndbuf_expand at establishment: SO_SNDBUF (unless set by the application) grows to
   * 2 · max(IW, cwnd) · (roundup_pow_of_two(MSS + header) + skb); 0 = the buffer never grows.
   */
  readonly sndbufExpand: { readonly header: number; readonly skb: number } | null;
  /** Bound the send MSS to half the peer's largest window (Linux tcp_bound_to_half_wnd). */
  readonly boundMssToHalfWindow: boolean;

  // ── listener ───────────────────────────────────────────────────────────────────────────────
  readonly somaxconn: number;
  /** A queue is full when its length is 'greater' than the backlog (Linux) or 'greaterOrEqual'. */
  readonly queueFullTest: 'greater' | 'greaterOrEqual';
  readonly abortOnOverflow: boolean;
  /**
   * tcp_syncookies (LQ-4): 'off' (0: a SYN that finds the SYN queue full is dropped), 'overflow'
   * (1: it is answered with a cookie SYN-ACK), 'always' (2: every SYN is).
   */
  readonly syncookies: 'off' | 'overflow' | 'always';
  /** Cookie MSS table; the cookie carries the index of the largest entry ≤ the peer's MSS (syncookies.c:msstab). */
  readonly syncookieMss: readonly number[];
  /** Cookie time counter period (TCP_SYNCOOKIE_PERIOD, 60 s) and accepted age in periods (MAX_SYNCOOKIE_AGE). */
  readonly syncookiePeriodUs: number;
  readonly syncookieMaxAge: number;
  /** How long after the last cookie sent a listener still checks ACKs for cookies (TCP_SYNCOOKIE_VALID). */
  readonly syncookieValidUs: number;
  /**
   * tcp_max_syn_backlog: without syncookies, a SYN from an unproven peer is dropped once fewer than
   * a quarter of these request slots are left (tcp_input.c:tcp_conn_request); 0 = no such rule.
   */
  readonly maxSynBacklog: number;
  /** LQ-6: 'drop' SYNs whose source equals their destination, or 'process' them like any SYN. */
  readonly landSyn: 'drop' | 'process';
  /** SYN-RECEIVED request: a retransmitted SYN gets the SYN-ACK again ('resend-synack') or a bare ACK. */
  readonly synRcvdDupSyn: 'resend-synack' | 'ack';
  /** SYN-RECEIVED request: a new in-window SYN resets the request ('reset') or gets a challenge ACK. */
  readonly synRcvdNewSyn: 'reset' | 'challenge-ack';
  /** SYN-RECEIVED request: check the ACK number before the sequence number (Linux tcp_check_req). */
  readonly synRcvdAckFirst: boolean;
  /**
   * SYN-RECEIVED request: a segment whose TSecr is not one of the SYN-ACK TSvals sent is treated as
   * out of window (answered with an ACK, an RST dropped) (Linux tcp_check_req, TSECRREJECTED).
   */
  readonly synRcvdTsecrCheck: boolean;

  // ── arrival rules ──────────────────────────────────────────────────────────────────────────
  /** Acceptability test: RFC 9293 §3.10.7.4 table, or Linux tcp_sequence (rcv_wup based). */
  readonly acceptability: 'rfc9293' | 'linux';
  /** Linux 6.17+: drop data ending past the right edge when the receive queue is not empty. */
  readonly dropEndBeyondWindowWhenQueued: boolean;
  /** Trim in-order data to the window (RFC) or keep a segment that starts inside it (Linux). */
  readonly trimToWindow: boolean;
  /** SEG.ACK > SND.NXT in a synchronized state. */
  readonly ackAboveSndNxt: 'ack' | 'drop' | 'challenge-ack';
  /** SND.WND update rule: RFC 9293 §3.10.7.4 (WL1/WL2) or Linux tcp_may_update_window. */
  readonly windowUpdate: 'rfc9293' | 'linux';
  /**
   * The SYN-ACK that completes a simultaneous open sets SND.WND scaled (Linux: the SYN_RECV step of
   * tcp_rcv_state_process shifts every window) instead of unscaled as RFC 7323 §2.2 says for SYNs.
   */
  readonly scaleSynAckWindowInSynReceived: boolean;
  /** An RST whose seq equals the right edge of the highest SACK block also resets (Linux tcp_validate_incoming). */
  readonly rstAcceptsSackEdge: boolean;
  /**
   * Sequence number of a bare ACK or active RST when the peer's window shrank below SND.NXT:
   * 'snd-nxt' (RFC 9293) or 'window-end' = SND.UNA + SND.WND unless within one unit of our window
   * scale (Linux tcp_output.c:tcp_acceptable_seq).
   */
  readonly ackSeqWhenWindowShrank: 'snd-nxt' | 'window-end';
  /** Errno reported when an RST arrives in CLOSE-WAIT. */
  readonly resetErrnoCloseWait: 'EPIPE' | 'ECONNRESET';
  /**
   * Errno reported when an RST resets an active open in SYN-RECEIVED (simultaneous open, HS-10):
   * 'ECONNREFUSED' (RFC 9293 §3.10.7.4 second check: "connection refused") or 'ECONNRESET' (Linux
   * tcp_input.c:tcp_reset, whose switch names only SYN-SENT and CLOSE-WAIT).
   */
  readonly resetErrnoSynReceived: 'ECONNREFUSED' | 'ECONNRESET';
  /**
   * New data beyond the peer's FIN (CLOSE-WAIT, CLOSING, LAST-ACK) resets the connection, the
   * peer's FIN having shut our receive side (Linux tcp_input.c:tcp_fin sets RCV_SHUTDOWN, then
   * tcp_rcv_state_process answers such data with tcp_reset), or its text is ignored (RFC 9293
   * §3.10.7.4 seventh: "This should not occur ... Ignore the segment text").
   */
  readonly rstOnDataAfterPeerFin: boolean;
  /** Minimum interval between dup ACKs / challenge ACKs per socket (RFC 5961 §7), 0 = unlimited. */
  readonly invalidRateLimit: Micros;
  /** RFC 1337 TIME-WAIT assassination protection (ignore RST in TIME-WAIT). */
  readonly rfc1337: boolean;

  // ── ACK policy ─────────────────────────────────────────────────────────────────────────────
  readonly delAckMin: Micros;
  readonly delAckMax: Micros;
  /** Initial / minimum ATO. */
  readonly atoMin: Micros;
  /** Quick-ACK credits at most (Linux TCP_MAX_QUICKACKS); 0 disables quick-ACK mode. */
  readonly maxQuickAcks: number;
  /** Pingpong count that means interactive mode. */
  readonly pingpongThresh: number;
  /** Out-of-order data also updates rcv_mss / scaling ratio and grows the window with SACK (6.17+). */
  readonly oooMeasuresRcvMss: boolean;
  /** Immediate ACK for every out-of-order segment (no SACK compression in part 1). */
  readonly ackOutOfOrderAtOnce: boolean;

  // ── sender ─────────────────────────────────────────────────────────────────────────────────
  readonly nagle: 'minshall' | 'rfc896';
  /** Sender SWS avoidance: Linux (a segment goes only if min(MSS, queued) fits) or RFC 1122 §4.2.3.4. */
  readonly senderSws: 'linux' | 'rfc1122';
  /** Set PSH when more than half the peer's largest window was queued since the last PSH (Linux forced_push). */
  readonly forcedPush: boolean;
  /** Initial congestion window in packets and ssthresh. */
  readonly initialCwnd: number;
  readonly initialSsthresh: number;

  // ── congestion control and loss recovery (CC-1…CC-6, DT-6…DT-8) ─────────────────────────────
  /**
   * Initial window: 'fixed' = initialCwnd packets (RFC 6928, Linux TCP_INIT_CWND), 'rfc5681' =
   * min(4·SMSS, max(2·SMSS, 4380 bytes)) in whole segments, at most initialCwnd (RFC 5681 §3.1).
   */
  readonly initialWindowRule: 'fixed' | 'rfc5681';
  /** Slow start adds one packet per newly acknowledged packet (Linux tcp_slow_start, RFC 3465 without L) or one per ACK (RFC 5681 §3.1: min(N, SMSS)). */
  readonly slowStartGrowth: 'per-packet' | 'per-ack';
  /** cwnd grows only while the sender is cwnd-limited (Linux tcp_is_cwnd_limited; RFC 7661 §4.3 spirit). */
  readonly growOnlyWhenCwndLimited: boolean;
  /** After an idle period longer than the RTO, restart from the initial window (RFC 5681 §4.1; sysctl tcp_slow_start_after_idle, tcp_output.c:tcp_cwnd_restart). */
  readonly slowStartAfterIdle: boolean;
  /** Duplicate ACKs (or SACKed segments above a hole) that mean loss (RFC 5681 DupThresh; sysctl tcp_reordering). */
  readonly dupThresh: number;
  /**
   * Fast recovery: 'newreno' = RFC 5681 §3.2 with RFC 6582 partial ACKs (cwnd = ssthresh + 3, inflated per dup ACK,
   * deflated to ssthresh on a full ACK); 'prr' = Linux reno with Proportional Rate Reduction (RFC 6937,
   * tcp_input.c:tcp_cwnd_reduction), ssthresh = max(cwnd/2, 2), Recovery held until an ACK above the recovery point.
   */
  readonly fastRecovery: 'newreno' | 'prr';
  /** ssthresh on entering fast recovery: max(FlightSize/2, 2) (RFC 5681 §3.2 eq. 4) or max(cwnd/2, 2) (tcp_cong.c:tcp_reno_ssthresh). */
  readonly recoverySsthresh: 'flight' | 'cwnd';
  /**
   * Use the peer's SACK blocks for loss recovery when SACK was negotiated (sack-scoreboard.ts: SACKed
   * records leave the flight; a record with ≥ dupThresh SACKed records above it is lost; only holes
   * are retransmitted; with fastRecovery 'newreno' the whole of RFC 6675, rfc6675.ts). False: SACK
   * blocks are ignored by the sender and dup ACKs drive recovery.
   */
  readonly sackRecovery: boolean;

  // ── host ───────────────────────────────────────────────────────────────────────────────────
  readonly ephemeralPortLow: number;
  readonly ephemeralPortHigh: number;

  // ── loss recovery, part 2 (recovery helper) ─────────────────────────────────────────────────
  /**
   * RFC 3042 limited transmit, read by fastRecovery 'newreno': the first DupThresh − 1 duplicate
   * ACKs each let one new segment go beyond cwnd (without SACK), or new data go as far as the RFC
   * 6675 pipe allows (with SACK, RFC 6675 §5 step (c)). Linux has no separate rule: its in-flight
   * count subtracts the dup ACKs / SACKed packets (tcp_packets_in_flight), which has the same effect.
   */
  readonly limitedTransmit: boolean;
  /**
   * Linux undo of a cwnd reduction found spurious (undo.ts): D-SACKs for every retransmission
   * (tcp_try_undo_dsack), or a timestamp echo older than the first retransmission
   * (tcp_packet_delayed → tcp_try_undo_recovery / _partial / _loss) restore cwnd and ssthresh.
   * Not in the RFCs the `rfc9293` profile follows (RFC 3522 Eifel / RFC 4015 are separate).
   */
  readonly undo: boolean;
  /** F-RTO (RFC 5682, SACK-enhanced as Linux tcp_process_loss; sysctl tcp_frto): after an RTO, new data instead of more retransmissions, and undo when never-retransmitted data is acknowledged (frto.ts). */
  readonly frto: boolean;
  /** Initial ssthresh given in bytes (the seeds' classic 65535), turned into whole segments of the connection's MSS at ESTABLISHED; null: initialSsthresh packets. */
  readonly initialSsthreshBytes: number | null;
  /** RACK loss detection (RFC 8985; Linux tcp_recovery bit 0, rack.ts) for SACK connections of the Linux algorithm. */
  readonly rack: boolean;
}
