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
  /** Data retransmission give-up boundary (tcp_retries2) for the time-budget rule. */
  readonly retries2: number;
  /** Same for orphaned sockets (tcp_orphan_retries, 0 meaning 8). */
  readonly orphanRetries: number;
  readonly finTimeout: Micros;
  readonly timeWaitLen: Micros;

  // ── options and MSS ────────────────────────────────────────────────────────────────────────
  readonly mtu: number;
  readonly offerSack: boolean;
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
  /** Share of the buffer offered as window, in 1/256 (Linux scaling_ratio). */
  readonly rcvScalingRatio: number;
  readonly maxWscale: number;
  /** Bound the send MSS to half the peer's largest window (Linux tcp_bound_to_half_wnd). */
  readonly boundMssToHalfWindow: boolean;

  // ── listener ───────────────────────────────────────────────────────────────────────────────
  readonly somaxconn: number;
  /** A queue is full when its length is 'greater' than the backlog (Linux) or 'greaterOrEqual'. */
  readonly queueFullTest: 'greater' | 'greaterOrEqual';
  readonly abortOnOverflow: boolean;
  /** tcp_syncookies (LQ-4 is part 2: the model drops on SYN-queue overflow and says so in a note). */
  readonly syncookies: boolean;
  /** LQ-6: 'drop' SYNs whose source equals their destination, or 'process' them like any SYN. */
  readonly landSyn: 'drop' | 'process';
  /** SYN-RECEIVED request: a retransmitted SYN gets the SYN-ACK again ('resend-synack') or a bare ACK. */
  readonly synRcvdDupSyn: 'resend-synack' | 'ack';
  /** SYN-RECEIVED request: a new in-window SYN resets the request ('reset') or gets a challenge ACK. */
  readonly synRcvdNewSyn: 'reset' | 'challenge-ack';
  /** SYN-RECEIVED request: check the ACK number before the sequence number (Linux tcp_check_req). */
  readonly synRcvdAckFirst: boolean;

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
  /** An RST whose seq equals the right edge of the highest SACK block also resets (Linux tcp_validate_incoming). */
  readonly rstAcceptsSackEdge: boolean;
  /** Errno reported when an RST arrives in CLOSE-WAIT. */
  readonly resetErrnoCloseWait: 'EPIPE' | 'ECONNRESET';
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

  // ── host ───────────────────────────────────────────────────────────────────────────────────
  readonly ephemeralPortLow: number;
  readonly ephemeralPortHigh: number;
}
