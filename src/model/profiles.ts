/**
 * Model profiles as plain data: `rfc9293` (the RFCs), `linux` (kernel 6.16–6.18, the recorded
 * 6.18.44, HZ=250) and `linux612` (6.12–6.15, derived from `linux` with the differences).
 * Every Linux value names its kernel source (net/ipv4/… or include/net/…); see
 * /work/shared/docs/linux-reference.md for the wire observations behind them.
 */
import type { Profile } from './profile-type.js';

export type { Profile };

const MS = 1000;
const S = 1_000_000;

/** Linux 6.16+ as recorded on 6.18.44 (CONFIG_HZ=250). */
export const linux: Profile = {
  name: 'linux',
  kernelRange: '6.16–6.18 (recorded 6.18.44, HZ=250)',
  timerGranularity: 4 * MS, // one jiffy at HZ=250
  tsHz: 1000, // tcp_clock_ms(): TSval in ms (include/net/tcp.h tcp_time_stamp_ts)
  clockOriginUs: 0,
  isnTickUs: 0.064, // net/core/secure_seq.c:seq_scale: ktime ns >> 6

  initialRto: 1 * S, // TCP_TIMEOUT_INIT, include/net/tcp.h
  fallbackRto: 3 * S, // TCP_TIMEOUT_FALLBACK, tcp_metrics.c:tcp_init_metrics
  rtoMin: 200 * MS, // TCP_RTO_MIN / tcp_rto_min_us
  rtoMax: 120 * S, // TCP_RTO_MAX / tcp_rto_max_ms
  synRetries: 6, // TCP_SYN_RETRIES, sysctl tcp_syn_retries
  synLinearTimeouts: 4, // sysctl tcp_syn_linear_timeouts, tcp_timer.c:tcp_retransmit_timer
  synAckRetries: 5, // TCP_SYNACK_RETRIES, inet_connection_sock.c:reqsk_timer_handler
  synSentBadAckRearm: 12 * MS, // TCP_TIMEOUT_MIN (2 jiffies), tcp_input.c:tcp_rcv_synsent_state_process; the timer wheel fires it 8–16 ms later (observed 12.7 and 15.2 ms on 6.18.44): the midpoint
  simultaneousOpenKeepsOwnOptions: true, // tcp_input.c:tcp_rcv_synsent_state_process (SYN branch), tcp_output.c:tcp_send_synack; hs-simultaneous-open-none
  retries2: 15, // TCP_RETR2, tcp_timer.c:tcp_write_timeout
  orphanRetries: 8, // tcp_timer.c:tcp_orphan_retries (sysctl 0 means 8)
  finTimeout: 60 * S, // TCP_FIN_TIMEOUT, tcp.h:tcp_fin_time
  timeWaitLen: 60 * S, // TCP_TIMEWAIT_LEN, include/net/tcp.h
  minisockWindow: true, // tcp_minisocks.c:tcp_time_wait (tw_rcv_wnd), tcp_ipv4.c:tcp_v4_timewait_ack
  rttEstimator: 'linux', // tcp_input.c:tcp_rtt_estimator, tcp_set_rto
  rttAlpha: 1 / 8, // srtt += err/8 (tcp_rtt_estimator)
  rttBeta: 1 / 4, // mdev += err/4 (tcp_rtt_estimator)
  rttK: 4,
  rttG: 4 * MS, // one jiffy
  rtoSsthresh: 'cwnd', // tcp_input.c:tcp_enter_loss → tcp_cong.c:tcp_reno_ssthresh
  retriesRtoBase: 200 * MS, // TCP_RTO_MIN, tcp_timer.c:retransmits_timed_out
  persistProbe: 'linux', // tcp_output.c:tcp_write_wakeup / tcp_xmit_probe_skb
  tlp: true, // sysctl tcp_early_retrans = 3, tcp_output.c:tcp_schedule_loss_probe
  keepaliveTime: 7200 * S, // TCP_KEEPALIVE_TIME, sysctl tcp_keepalive_time
  keepaliveIntvl: 75 * S, // TCP_KEEPALIVE_INTVL, sysctl tcp_keepalive_intvl
  keepaliveProbes: 9, // TCP_KEEPALIVE_PROBES, sysctl tcp_keepalive_probes

  mtu: 1500,
  offerSack: true, // sysctl tcp_sack
  dsack: true, // sysctl tcp_dsack (tcp_input.c:tcp_dsack_set)
  offerTimestamps: true, // sysctl tcp_timestamps
  offerWscale: true, // sysctl tcp_window_scaling
  defaultMss: 536, // TCP_MSS_DEFAULT, tcp_input.c:tcp_parse_options / RFC 9293 §3.7.1
  minSndMss: 48, // TCP_MIN_SND_MSS, tcp_output.c:__tcp_mtu_to_mss
  minUserMss: 88, // TCP_MIN_MSS, tcp.c:do_tcp_setsockopt TCP_MAXSEG
  pawsWindow: 1, // TCP_PAWS_WINDOW, tcp_input.c:tcp_paws_check

  rmem: [4096, 131072, 33554432], // sysctl tcp_rmem (6.16+: max 32 MiB)
  wmem: [4096, 16384, 4194304], // sysctl tcp_wmem
  rmemMax: 4194304, // net.core.rmem_max on the recorded host
  wmemMax: 4194304, // net.core.wmem_max
  minRcvBuf: 2304, // SOCK_MIN_RCVBUF = TCP_SKB_MIN_TRUESIZE, include/net/sock.h
  minSndBuf: 4608, // SOCK_MIN_SNDBUF = 2 * TCP_SKB_MIN_TRUESIZE
  rcvScalingRatio: 128, // TCP_DEFAULT_SCALING_RATIO (50 %), include/net/tcp.h (6.10+)
  // tun_alloc_skb → __alloc_skb: kmalloc(SKB_DATA_ALIGN(NET_SKB_PAD + len) + shinfo) rounded to
  // a size class, truesize = that + SKB_DATA_ALIGN(sizeof(struct sk_buff)). Calibrated on 6.18.44:
  // a 1448-byte segment costs 2304 (windows 63 → 66 → 69), two 500-byte ones 2560 (window 63784).
  rcvSkb: { headroom: 64, sharedInfo: 320, skbStruct: 256 },
  maxWscale: 14, // TCP_MAX_WSCALE
  pacingShift: 10, // sk_pacing_shift default (net/core/sock.c)
  tsoRttLog: 9, // sysctl tcp_tso_rtt_log
  minTsoSegs: 2, // sysctl tcp_min_tso_segs
  pacingSsRatio: 200, // sysctl tcp_pacing_ss_ratio (tcp_input.c:tcp_update_pacing_rate)
  pacingCaRatio: 120, // sysctl tcp_pacing_ca_ratio
  gsoMaxSize: 65536, // GSO_LEGACY_MAX_SIZE; software GSO is on for every device (tcp.c:tcp_xmit_size_goal)
  sendAccounting: 'linux-skb', // tcp.c:tcp_sendmsg_locked, sock.h:sk_stream_memory_free
  // Per-skb memory beyond the payload (the fclone skb head, kernel 6.18 x86-64): fitted to
  // recordings of send(10^6) into a fresh connection with peer windows of 8..30000 bytes (skbs of
  // 36..1460 bytes, 21..55 of them filling 46080): every one bounds it to 805..812.
  skbTruesize: 808,
  // tcp_output.c... tcp_input.c:tcp_sndbuf_expand: per_mss = roundup_pow_of_two(mss + MAX_TCP_HEADER
  // + shinfo) + sk_buff; recorded: MSS 536/1000/1460 → 46080 (2·10·2304), MSS 9000 → ~332800.
  sndbufExpand: { header: 576, skb: 256 },
  boundMssToHalfWindow: true, // tcp_output.c:tcp_bound_to_half_wnd

  somaxconn: 4096, // net.core.somaxconn
  queueFullTest: 'greater', // include/net/sock.h:sk_acceptq_is_full, inet_connection_sock.h:inet_csk_reqsk_queue_is_full
  abortOnOverflow: false, // sysctl tcp_abort_on_overflow
  syncookies: 'overflow', // sysctl tcp_syncookies=1 (tcp_input.c:tcp_conn_request, syncookies.c)
  syncookieMss: [536, 1300, 1440, 1460], // syncookies.c:msstab
  syncookiePeriodUs: 60_000_000, // include/net/tcp.h TCP_SYNCOOKIE_PERIOD (60 * HZ)
  syncookieMaxAge: 2, // include/net/tcp.h MAX_SYNCOOKIE_AGE
  syncookieValidUs: 120_000_000, // include/net/tcp.h TCP_SYNCOOKIE_VALID (tcp_synq_no_recent_overflow)
  maxSynBacklog: 2048, // sysctl tcp_max_syn_backlog (tcp_input.c:tcp_conn_request drops unproven SYNs in the last quarter)
  landSyn: 'process', // Linux has no explicit land check; the SYN-ACK to itself is answered by RST (LQ-6)
  synRcvdDupSyn: 'resend-synack', // tcp_minisocks.c:tcp_check_req (inet_rtx_syn_ack, rate limited)
  synRcvdNewSyn: 'reset', // tcp_minisocks.c:tcp_check_req → embryonic_reset
  synRcvdAckFirst: true, // tcp_minisocks.c:tcp_check_req checks ack_seq before the window
  synRcvdTsecrCheck: true, // tcp_minisocks.c:tcp_check_req tsecr_reject (between snt_tsval_first and _last); observed on 6.18.44

  acceptability: 'linux', // tcp_input.c:tcp_sequence
  dropEndBeyondWindowWhenQueued: true, // tcp_input.c:tcp_sequence (6.17+)
  trimToWindow: false, // tcp_input.c:tcp_data_queue keeps a segment that starts in the window
  ackAboveSndNxt: 'challenge-ack', // tcp_input.c:tcp_ack (late 6.18.y; observed on 6.18.44)
  windowUpdate: 'linux', // tcp_input.c:tcp_may_update_window
  scaleSynAckWindowInSynReceived: true, // tcp_input.c:tcp_rcv_state_process case TCP_SYN_RECV
  rstAcceptsSackEdge: true, // tcp_input.c:tcp_validate_incoming (max_sack)
  ackSeqWhenWindowShrank: 'window-end', // tcp_output.c:tcp_acceptable_seq (tcp_send_ack, tcp_send_active_reset)
  resetErrnoCloseWait: 'EPIPE', // tcp_input.c:tcp_reset
  resetErrnoSynReceived: 'ECONNRESET', // tcp_input.c:tcp_reset (default case: a full socket in TCP_SYN_RECV)
  rstOnDataAfterPeerFin: true, // tcp_input.c:tcp_fin (RCV_SHUTDOWN), tcp_rcv_state_process (TCPABORTONDATA)
  invalidRateLimit: 500 * MS, // sysctl tcp_invalid_ratelimit, tcp_input.c:__tcp_oow_rate_limited
  rfc1337: false, // sysctl tcp_rfc1337

  delAckMin: 40 * MS, // TCP_DELACK_MIN
  delAckMax: 196 * MS, // TCP_DELACK_MAX 200 ms, capped below rto_min by one jiffy (linux-reference §1)
  atoMin: 40 * MS, // TCP_ATO_MIN
  maxQuickAcks: 16, // TCP_MAX_QUICKACKS, tcp_input.c:tcp_incr_quickack
  pingpongThresh: 1, // sysctl tcp_pingpong_thresh
  oooMeasuresRcvMss: true, // tcp_input.c:tcp_data_queue_ofo calls tcp_measure_rcv_mss (6.17+) and tcp_grow_window with SACK
  ackOutOfOrderAtOnce: true, // tcp_input.c:__tcp_ack_snd_check (SACK compression is part 2)

  nagle: 'minshall', // tcp_output.c:tcp_nagle_check / tcp_minshall_check
  senderSws: 'linux', // tcp_output.c:tcp_snd_wnd_test
  forcedPush: true, // tcp.c:forced_push
  initialCwnd: 10, // TCP_INIT_CWND
  initialSsthresh: 0x7fffffff, // TCP_INFINITE_SSTHRESH
  initialWindowRule: 'fixed', // tcp_input.c:tcp_init_transfer → tcp_init_cwnd
  slowStartGrowth: 'per-packet', // tcp_cong.c:tcp_slow_start
  growOnlyWhenCwndLimited: true, // tcp_cong.c:tcp_reno_cong_avoid → tcp_is_cwnd_limited
  slowStartAfterIdle: true, // sysctl tcp_slow_start_after_idle, tcp_output.c:tcp_event_data_sent
  dupThresh: 3, // sysctl tcp_reordering (TCP_FASTRETRANS_THRESH)
  fastRecovery: 'prr', // tcp_input.c:tcp_fastretrans_alert, tcp_cwnd_reduction
  recoverySsthresh: 'cwnd', // tcp_cong.c:tcp_reno_ssthresh
  sackRecovery: true, // tcp_input.c:tcp_sacktag_write_queue + tcp_update_scoreboard (RACK off, tcp_recovery=0)

  ephemeralPortLow: 32768, // net.ipv4.ip_local_port_range
  ephemeralPortHigh: 60999,

  limitedTransmit: true, // no separate rule: tcp_packets_in_flight subtracts sacked_out (read only by fastRecovery 'newreno')
  undo: true, // tcp_input.c:tcp_try_undo_dsack, tcp_try_undo_recovery, tcp_try_undo_partial, tcp_try_undo_loss (undo.ts)
  frto: true, // sysctl tcp_frto = 2 (default), tcp_input.c:tcp_process_loss (frto.ts)
  initialSsthreshBytes: null, // TCP_INFINITE_SSTHRESH packets (initialSsthresh)
  rack: true, // tcp_recovery.c (sysctl tcp_recovery = 1; 6.18.44 keeps RACK on even with 0, see sysctls.ts)
};

/** Linux 6.12–6.15: smaller tcp_rmem max (6 MiB → window scale 7), no 6.17 end-of-segment rule, no challenge ACK for ACK > SND.NXT. */
export const linux612: Profile = {
  ...linux,
  name: 'linux612',
  kernelRange: '6.12–6.15',
  rmem: [4096, 131072, 6291456], // tcp_rmem max 6 MiB before 6.16 → wscale 7
  dropEndBeyondWindowWhenQueued: false, // added in 6.17
  ackAboveSndNxt: 'drop', // tcp_input.c:tcp_ack returned TCP_ACK_UNSENT_DATA silently
  oooMeasuresRcvMss: false, // tcp_data_queue_ofo measured nothing before 6.17
};

/** The RFCs: RFC 9293, RFC 1122, RFC 6298, RFC 7323, RFC 5961. */
export const rfc9293: Profile = {
  name: 'rfc9293',
  timerGranularity: 1, // no tick
  tsHz: 1000, // RFC 7323 §5.4: 1 ms to 1 s per tick
  clockOriginUs: 0,
  isnTickUs: 4, // RFC 6528 §3: M ticks every 4 µs

  initialRto: 1 * S, // RFC 6298 §2.1
  fallbackRto: 3 * S, // RFC 6298 §5.7
  rtoMin: 1 * S, // RFC 6298 §2.4
  rtoMax: 60 * S, // RFC 6298 §2.5 (at least 60 s)
  synRetries: 6,
  synLinearTimeouts: 0, // RFC 6298 §5.5: back off on every timeout
  synAckRetries: 5,
  synSentBadAckRearm: null,
  simultaneousOpenKeepsOwnOptions: false, // RFC 7323 §2.2: scaling only when both SYNs carry the option
  retries2: 15,
  orphanRetries: 8,
  finTimeout: 60 * S,
  timeWaitLen: 240 * S, // RFC 9293 §3.4.2: 2 × MSL, MSL = 2 min
  minisockWindow: false, // RFC 9293 §3.8.6.2.2: every ACK offers the current window
  rttEstimator: 'rfc6298', // RFC 6298 §2
  rttAlpha: 1 / 8, // RFC 6298 §2.3
  rttBeta: 1 / 4, // RFC 6298 §2.3
  rttK: 4, // RFC 6298 §2.2
  rttG: 1000, // clock granularity G (1 ms)
  rtoSsthresh: 'flight-size', // RFC 5681 §3.1 equation (4)
  retriesRtoBase: 1 * S, // the RTO minimum (RFC 6298 §2.4) as the budget base
  persistProbe: 'one-byte', // RFC 9293 §3.8.6.1
  tlp: false, // RFC 8985 is not part of RFC 9293
  keepaliveTime: 7200 * S, // RFC 1122 §4.2.3.6: no less than two hours
  keepaliveIntvl: 75 * S,
  keepaliveProbes: 9,

  mtu: 1500,
  offerSack: true, // RFC 2018
  dsack: true, // RFC 2883
  offerTimestamps: true, // RFC 7323
  offerWscale: true, // RFC 7323
  defaultMss: 536, // RFC 9293 §3.7.1
  minSndMss: 48,
  minUserMss: 88,
  pawsWindow: 0, // RFC 7323 §5.3: TSval < TS.Recent

  rmem: [4096, 131072, 33554432],
  wmem: [4096, 16384, 4194304],
  rmemMax: 4194304,
  wmemMax: 4194304,
  minRcvBuf: 2304,
  minSndBuf: 4608,
  rcvScalingRatio: 128,
  rcvSkb: { headroom: 64, sharedInfo: 320, skbStruct: 256 },
  maxWscale: 14, // RFC 7323 §2.3
  pacingShift: 10,
  tsoRttLog: 9,
  minTsoSegs: 2,
  pacingSsRatio: 200,
  pacingCaRatio: 120,
  gsoMaxSize: 0, // one segment per chunk
  sendAccounting: 'bytes', // RFC 9293 §3.9.1: how much a SEND takes is the implementation's choice
  skbTruesize: 0,
  sndbufExpand: null, // RFC 9293: the buffer is what the application set
  boundMssToHalfWindow: false,

  somaxconn: 4096,
  queueFullTest: 'greaterOrEqual',
  abortOnOverflow: false,
  syncookies: 'off', // RFC 4987 §3.6 describes cookies; RFC 9293 does not require them
  syncookieMss: [536, 1300, 1440, 1460],
  syncookiePeriodUs: 60_000_000,
  syncookieMaxAge: 2,
  syncookieValidUs: 120_000_000,
  maxSynBacklog: 0, // RFC 9293 has no such rule
  landSyn: 'drop',
  synRcvdDupSyn: 'ack', // RFC 9293 §3.10.7.4: unacceptable segment → ACK
  synRcvdNewSyn: 'challenge-ack', // RFC 5961 §4.2
  synRcvdAckFirst: false,
  synRcvdTsecrCheck: false, // RFC 7323 has no such check

  acceptability: 'rfc9293', // RFC 9293 §3.10.7.4 table
  dropEndBeyondWindowWhenQueued: false,
  trimToWindow: true,
  ackAboveSndNxt: 'ack', // RFC 9293 §3.10.7.4
  windowUpdate: 'rfc9293',
  scaleSynAckWindowInSynReceived: false, // RFC 7323 §2.2: a SYN's window is never scaled
  rstAcceptsSackEdge: false, // RFC 5961 §3.2: exactly RCV.NXT
  ackSeqWhenWindowShrank: 'snd-nxt', // RFC 9293 §3.10.7.4: <SEQ=SND.NXT>
  resetErrnoCloseWait: 'ECONNRESET',
  resetErrnoSynReceived: 'ECONNREFUSED', // RFC 9293 §3.10.7.4 (second, SYN-RECEIVED from an active OPEN)
  rstOnDataAfterPeerFin: false, // RFC 9293 §3.10.7.4 seventh: CLOSE-WAIT, CLOSING, LAST-ACK ignore the text
  invalidRateLimit: 0,
  rfc1337: true, // RFC 1337

  delAckMin: 40 * MS,
  delAckMax: 200 * MS, // RFC 1122 §4.2.3.2: < 0.5 s
  atoMin: 200 * MS,
  maxQuickAcks: 0, // RFC 1122: ACK at least every second full segment
  oooMeasuresRcvMss: false,
  pingpongThresh: 1,
  ackOutOfOrderAtOnce: true, // RFC 5681 §4.2

  nagle: 'rfc896', // RFC 1122 §4.2.3.4
  senderSws: 'rfc1122',
  forcedPush: false,
  initialCwnd: 4, // RFC 5681 §3.1: the IW formula never exceeds 4 segments
  initialSsthresh: 0x7fffffff, // RFC 5681 §3.1: arbitrarily high
  initialWindowRule: 'rfc5681', // RFC 5681 §3.1 equation (1)
  slowStartGrowth: 'per-ack', // RFC 5681 §3.1: cwnd += min(N, SMSS) per ACK
  growOnlyWhenCwndLimited: false, // RFC 5681 has no such rule
  slowStartAfterIdle: true, // RFC 5681 §4.1
  dupThresh: 3, // RFC 5681 §3.2
  fastRecovery: 'newreno', // RFC 5681 §3.2 + RFC 6582
  recoverySsthresh: 'flight', // RFC 5681 §3.2 equation (4)
  sackRecovery: true, // RFC 6675 conservative SACK-based loss recovery when SACK is negotiated (rfc6675.ts); RFC 6582 NewReno without SACK

  ephemeralPortLow: 49152, // RFC 6335 dynamic range
  ephemeralPortHigh: 65535,

  limitedTransmit: true, // RFC 3042; RFC 6675 §5 step (c)
  undo: false, // not part of RFC 5681 / RFC 6675
  frto: false, // RFC 5682 is Experimental
  initialSsthreshBytes: null, // RFC 5681 §3.1: arbitrarily high (initialSsthresh)
  rack: false, // RFC 8985 is not part of RFC 9293 (and applies only to fastRecovery 'prr' here)
};

/**
 * The seeds' textbook TCP (behaviours.md CC-1, CC-3…CC-6, DT-5, DT-12; /work/shared/seeds): the RFCs
 * of `rfc9293` with a one-segment initial window, ssthresh starting at 65535 bytes, halving cwnd
 * into ssthresh on a timeout and on three duplicate ACKs (then cwnd = ssthresh + 3, +1 per further
 * duplicate, back to ssthresh on new data: fast recovery as RFC 5681/6582), ACKs delayed 200 ms,
 * and the 16-bit window of the original header: no SACK, timestamps or window scaling, no limited
 * transmit. RTO: RFC 6298 (1 s initial and minimum, doubling).
 */
export const classic: Profile = {
  ...rfc9293,
  name: 'classic',
  kernelRange: 'textbook TCP (seeds)',
  initialCwnd: 1, // seeds: cwnd starts at one MSS once the connection is established
  initialWindowRule: 'fixed',
  initialSsthreshBytes: 65535, // seeds: ssthresh is usually 65535 bytes
  recoverySsthresh: 'cwnd', // seeds: on fast retransmit cwnd is halved and ssthresh set to it
  rtoSsthresh: 'cwnd', // seeds: on a timeout ssthresh = cwnd/2 and cwnd = 1
  limitedTransmit: false, // RFC 3042 is not part of the textbook algorithm
  offerSack: false, // the seeds' loss recovery is duplicate-ACK based
  offerTimestamps: false,
  offerWscale: false, // seeds: the 16-bit window field, at most 65535 bytes
  delAckMin: 200 * MS, // seeds: the ACK goes 200 ms after the data
  delAckMax: 200 * MS,
  atoMin: 200 * MS,
};

export const profiles: Readonly<Record<string, Profile>> = { linux, linux612, rfc9293, classic };
