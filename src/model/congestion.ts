/**
 * Congestion control (CC-1 initial window and flight bound, CC-2 slow start, CC-3 congestion
 * avoidance, CC-6 initial ssthresh): the congestion window, counted in packets for every
 * profile (Linux counts packets; for `rfc9293` one packet stands for one SMSS, so RFC 5681's byte
 * rules become whole-segment rules — see `rfc5681InitialWindow` and the per-ACK counting below).
 *
 * - Initial window at ESTABLISHED (RFC 5681 §3.1 eq. 1, RFC 6928; Linux tcp_init_transfer →
 *   tcp_init_cwnd = TCP_INIT_CWND 10, or 1 after more than one retransmitted SYN — handshake.ts).
 *   The ACK of our SYN never grows cwnd.
 * - Slow start while cwnd < ssthresh: Linux adds one packet per newly delivered packet up to
 *   ssthresh (tcp_cong.c:tcp_slow_start), RFC 5681 §3.1 adds min(N, SMSS) per ACK — one packet.
 * - Congestion avoidance: +1 packet per cwnd packets acknowledged (Linux snd_cwnd_cnt,
 *   tcp_cong.c:tcp_cong_avoid_ai) or per cwnd ACKs (RFC 5681 §3.1 eq. 3, SMSS·SMSS/cwnd per ACK).
 * - Linux grows only while cwnd-limited (tcp_is_cwnd_limited; state kept by tcp_cwnd_validate at the
 *   end of each transmit).
 * - Restart after idle (RFC 5681 §4.1; Linux tcp.c:tcp_skb_entail → tcp_slow_start_after_idle_check
 *   → tcp_output.c:tcp_cwnd_restart): nothing in flight and idle longer than the RTO.
 *
 * Loss recovery (fast retransmit, PRR, NewReno) lives in recovery.ts.
 */
import type { Micros } from './api.js';
import type { CcState, MConn } from './types.js';
import type { Profile } from './profile-type.js';
import { copyCcState, initialCcState } from './cc-state.js';
import { seqAdd, seqGe, seqGt } from '../wire/seq.js';

/** RFC 5681 §3.1 equation (1) in whole segments: min(4·SMSS, max(2·SMSS, 4380)) / SMSS. */
export function rfc5681InitialWindow(smss: number): number {
  const mss = Math.max(1, smss);
  return Math.max(1, Math.floor(Math.min(4 * mss, Math.max(2 * mss, 4380)) / mss));
}

/** The initial window in packets for this connection's MSS. */
export function initialWindow(c: MConn, p: Profile): number {
  switch (p.initialWindowRule) {
    case 'fixed':
      return p.initialCwnd;
    case 'rfc5681':
      return Math.min(p.initialCwnd, rfc5681InitialWindow(c.mssCache));
    default: {
      const never: never = p.initialWindowRule;
      return never;
    }
  }
}

/**
 * ESTABLISHED: cwnd = IW (1 after more than one retransmitted SYN, `synRetransmitted` > 1), ssthresh
 * initial, recovery state Open with the recovery point at SND.NXT (RFC 6582 §3.2 initialises
 * "recover" to the ISN; Linux high_seq).
 */
export function initCongestion(c: MConn, p: Profile, synRetransmitted: number): void {
  c.cwnd = synRetransmitted > 1 ? 1 : initialWindow(c, p);
  // CC-6: the seeds' classic TCP starts ssthresh at 65535 bytes, i.e. that many whole segments.
  c.ssthresh = p.initialSsthreshBytes === null ? p.initialSsthresh : Math.max(2, Math.floor(p.initialSsthreshBytes / Math.max(1, c.mssCache)));
  // RFC 6582 §3.2: "recover" starts at the ISN, so the first fast retransmit is allowed.
  c.cc = { ...initialCcState(c.sndUna), highSeq: seqAdd(c.sndUna, -1) };
}

/** Packets out (Linux packets_out): every record on the retransmission queue. */
export function packetsOut(c: MConn): number {
  return c.sent.length;
}

/**
 * Packets in flight (Linux tcp_packets_in_flight = packets_out − sacked_out − lost_out + retrans_out):
 * records not marked lost (a retransmitted lost record counts again), less the duplicate ACKs a
 * Linux sender counts as delivered (reno sacked_out; the model uses this count for SACK connections
 * too, see recovery.ts). RFC 5681 FlightSize with NewReno keeps dup ACKs in flight (they inflate cwnd
 * instead), so `dupAcks` is not subtracted.
 */
export function packetsInFlight(c: MConn): number {
  let n = 0;
  for (const s of c.sent) if (!s.lost && s.sacked !== true) n++;
  // With SACK the SACKed records carry their mark; without it sackedOut counts dup ACKs. RFC 6675
  // pipe may count more than the records show (rfc6675.ts pipeExtra; 0 for Linux).
  return Math.max(0, n - (c.sackOk ? 0 : c.cc.sackedOut)) + c.cc.pipeExtra;
}

/** RFC 5681 FlightSize in segments: everything sent and not cumulatively acknowledged (SACKed too), not yet marked lost. */
function flightSize(c: MConn): number {
  let n = 0;
  for (const s of c.sent) if (!s.lost) n++;
  return n;
}

/** Linux tcp_in_slow_start. */
export function inSlowStart(c: MConn): boolean {
  return c.cwnd < c.ssthresh;
}

/** Linux tcp_is_cwnd_limited: the last window was cwnd-limited, or in slow start cwnd < 2 × max packets out. */
export function isCwndLimited(c: MConn): boolean {
  if (c.cc.isCwndLimited) return true;
  if (inSlowStart(c)) return c.cwnd < 2 * c.cc.maxPacketsOut;
  return false;
}

/**
 * Growth on an ACK that acknowledged new data (tcp_input.c:tcp_cong_control → tcp_cong_avoid →
 * tcp_reno_cong_avoid). `delivered` = packets newly delivered (Linux acked_sacked).
 */
export function growCwnd(c: MConn, p: Profile, delivered: number): void {
  if (delivered <= 0) return;
  if (p.growOnlyWhenCwndLimited && !isCwndLimited(c)) return;
  // RFC 5681 §3.1 counts ACKs, not bytes: one ACK adds at most one SMSS in slow start and one ACK's
  // credit in congestion avoidance.
  let acked = p.slowStartGrowth === 'per-ack' ? 1 : delivered;
  let cnt = c.cc.cwndCnt;
  if (inSlowStart(c)) {
    // tcp_slow_start: up to ssthresh; the rest of the credit goes to congestion avoidance.
    const next = Math.min(c.cwnd + acked, c.ssthresh);
    acked -= next - c.cwnd;
    c.cwnd = next;
    if (acked <= 0) return;
  }
  // tcp_cong_avoid_ai(w = cwnd): +1 per w packets (or ACKs) acknowledged.
  const w = c.cwnd;
  if (cnt >= w) {
    cnt = 0;
    c.cwnd += 1;
  }
  cnt += acked;
  if (cnt >= w) {
    const delta = Math.floor(cnt / w);
    cnt -= delta * w;
    c.cwnd += delta;
  }
  setCc(c, { cwndCnt: cnt });
}

/** Copy-on-write update of the CC state. */
export function setCc(c: MConn, patch: Partial<CcState>): void {
  c.cc = Object.assign(copyCcState(c.cc), patch);
}

/** Linux tcp_current_ssthresh: in CWR/Recovery the ssthresh, else max(ssthresh, ¾ cwnd). */
export function currentSsthresh(c: MConn): number {
  if (c.cc.caState === 'recovery') return c.ssthresh;
  return Math.max(c.ssthresh, (c.cwnd >> 1) + (c.cwnd >> 2));
}

/**
 * CC-3 / RFC 5681 §4.1: before new data is queued (tcp_skb_entail), a sender that has nothing out
 * and has been idle longer than the RTO restarts (tcp_cwnd_restart): ssthresh keeps ¾ of cwnd, cwnd
 * is halved once per RTO of idle time down to min(IW, cwnd).
 */
export function restartAfterIdle(c: MConn, p: Profile, now: Micros): void {
  if (!p.slowStartAfterIdle || c.sent.length > 0 || c.cc.lastDataSentAt === null) return;
  let delta = now - c.cc.lastDataSentAt;
  if (!(delta > c.rto)) return;
  const restart = Math.min(initialWindow(c, p), c.cwnd);
  c.ssthresh = currentSsthresh(c);
  let cwnd = c.cwnd;
  while ((delta -= c.rto) > 0 && cwnd > restart) cwnd >>= 1;
  c.cwnd = Math.max(cwnd, restart);
  // tcp_cwnd_restart also resets snd_cwnd_stamp; lsndtime is left alone, so a second skb of the
  // same send() repeats the (idempotent) restart.
}

/** A data segment (new or retransmitted) went out (Linux tcp_event_data_sent: lsndtime). */
export function dataSegmentSent(c: MConn, now: Micros): void {
  if (c.cc.lastDataSentAt !== now) setCc(c, { lastDataSentAt: now });
}

/**
 * End of a transmit attempt with queued data (tcp_output.c:tcp_write_xmit → tcp_cwnd_validate):
 * remember whether this window was cwnd-limited and the most packets out in it.
 */
export function cwndValidate(c: MConn, sentAny: boolean): void {
  const limited = packetsInFlight(c) >= c.cwnd;
  if (!sentAny && !limited) return;
  const s = c.cc;
  const out = packetsOut(c);
  if (seqGe(c.sndUna, s.cwndUsageSeq) || limited || (!s.isCwndLimited && out > s.maxPacketsOut)) {
    setCc(c, { isCwndLimited: limited, maxPacketsOut: out, cwndUsageSeq: c.sndNxt });
  }
}

/** PRR bookkeeping (RFC 6937 prr_out): packets sent while in fast recovery. */
export function countRecoverySent(c: MConn, packets: number): void {
  if (packets > 0 && c.cc.caState === 'recovery') setCc(c, { prrOut: c.cc.prrOut + packets });
}

/**
 * One retransmission went out (tcp_retransmit_skb): PRR prr_out, and for undo (undo.ts) one more in
 * undo_retrans and the time of the episode's first retransmission (retrans_stamp).
 */
export function countRetransmission(c: MConn, now: Micros): void {
  countRecoverySent(c, 1);
  const s = c.cc;
  const undoRetrans = Math.max(s.undoRetrans, 0) + 1;
  setCc(c, s.firstRetransAt === null ? { undoRetrans, firstRetransAt: now } : { undoRetrans });
}

/**
 * CC-4: the retransmission timer fired (before the outstanding segments are marked lost; timers.ts).
 * ssthresh = max(FlightSize/2, 2) (rtoSsthresh 'flight-size', RFC 5681 §3.1 eq. (4)) or
 * max(cwnd/2, 2) ('cwnd': Linux tcp_reno_ssthresh, the seeds' textbook rule); cwnd = 1.
 *
 * - RFC profiles: the ssthresh is set on the first timeout of the episode.
 * - Linux (fastRecovery 'prr'; tcp_input.c:tcp_enter_loss): only when the reduction
 *   was not already made in this window — from Open/Disorder, when SND.UNA has reached the
 *   recovery point, or in Loss before any retransmission counted — so an RTO during fast
 *   recovery keeps the recovery's ssthresh. With the reduction go prior_ssthresh
 *   (tcp_current_ssthresh), prior_cwnd and the undo marker (tcp_init_undo; undo.ts). cwnd =
 *   in flight + 1 = 1, as everything not SACKed is then marked lost. F-RTO (frto.ts) runs when the
 *   timeout starts an episode or repeats one (icsk_retransmits > 0).
 *
 * Both: state Loss with the recovery point at SND.NXT (high_seq; RFC 6582 §3.2 step 4, RFC 6675 §5.1).
 */
export function onRto(c: MConn, firstTimeout: boolean, p?: Profile): void {
  const s = c.cc;
  const linux = p?.fastRecovery === 'prr';
  const newEpisode = s.caState === 'open' || s.caState === 'disorder';
  const reduce = linux ? newEpisode || !seqGt(s.highSeq, c.sndUna) || (s.caState === 'loss' && c.retransmits === 0) : firstTimeout;
  if (reduce) {
    if (linux) setCc(c, { priorSsthresh: currentSsthresh(c), priorCwnd: c.cwnd, undoMarker: c.sndUna, undoRetrans: -1 });
    c.ssthresh = Math.max((p?.rtoSsthresh === 'flight-size' ? flightSize(c) : c.cwnd) >> 1, 2);
  }
  c.cwnd = 1;
  const frto = p !== undefined && p.frto && (newEpisode || c.retransmits > 0);
  setCc(c, { caState: 'loss', highSeq: c.sndNxt, sackedOut: 0, dupAcks: 0, cwndCnt: 0, prrDelivered: 0, prrOut: 0, pipeExtra: 0, highRxt: c.sndUna, rescueRxt: null, fastRetransmitPending: false, frto, holdRetransmit: false });
}
