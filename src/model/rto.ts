/**
 * Retransmission timeout estimation (DT-5).
 *
 * Two estimators, chosen by `profile.rttEstimator`:
 * - 'linux' — tcp_input.c:tcp_rtt_estimator and tcp_set_rto in Linux's own integer arithmetic: the
 *   smoothed RTT kept ×8, the mean deviation (mdev) kept ×4, and `rttvar` following the largest mdev
 *   seen in each round trip (mdev_max, reset to rto_min every RTT, rtt_seq marks the round), decaying
 *   by a quarter of the excess per RTT. RTO = srtt + rttvar in whole jiffies (usecs_to_jiffies),
 *   bounded by RTO max; rttvar ≥ rto_min gives the 200 ms floor. First sample m: srtt = m,
 *   rttvar = max(2m, rto_min), so a 500 ms handshake RTT gives RTO 1.5 s.
 * - 'rfc6298' — RFC 6298 §2.2/§2.3 with the profile's α, β, K and clock granularity G, floored at
 *   RTO min (§2.4) and capped at RTO max (§2.5).
 *
 * Samples (RFC 6298 §3 Karn, RFC 7323 §4 RTTM; tcp_input.c:tcp_clean_rtx_queue, tcp_ack_update_rtt):
 * an ACK gives a sample from the oldest newly acknowledged segment only when none of the acknowledged
 * segments was retransmitted; otherwise, with timestamps, from the echoed TSval (ms ticks, at least
 * one tick). A valid sample recomputes the RTO (which ends any backoff); without one the backed-off
 * RTO stays (Karn). The handshake without a sample falls back to 3 s (RFC 6298 §5.7,
 * tcp_metrics.c:tcp_init_metrics).
 *
 * The give-up budget is Linux's tcp_timer.c:tcp_model_timeout.
 */
import type { Micros } from './api.js';
import type { Segment } from '../wire/types.js';
import { seqGt } from '../wire/seq.js';
import type { MConn } from './types.js';
import type { Profile } from './profile-type.js';
import { roundTimer } from './ctx.js';
import { tsTicks } from './tsclock.js';

const INT_MAX = 0x7fffffff;

/** Feed one RTT measurement `m` (µs) into the estimator and set the (un-backed-off) RTO. */
export function rttSample(c: MConn, p: Profile, m: Micros): void {
  m = Math.max(1, Math.floor(m));
  if (c.minRtt === 0 || m < c.minRtt) c.minRtt = m;
  if (p.rttEstimator === 'linux') linuxEstimator(c, p, m);
  else rfc6298Estimator(c, p, m);
  c.rto = baseRto(c, p);
}

/** tcp_rtt_estimator, integer arithmetic as in the kernel (srtt_us ×8, mdev_us ×4). */
function linuxEstimator(c: MConn, p: Profile, mrtt: number): void {
  let m = mrtt;
  let srtt8 = Math.round(c.srtt * 8);
  if (srtt8 !== 0) {
    m -= Math.floor(srtt8 / 8); // error
    srtt8 += m; // srtt = 7/8 srtt + 1/8 m
    if (m < 0) {
      m = -m;
      m -= Math.floor(c.mdev / 4);
      // A falling RTT moves mdev with the finer gain 1/32 (Eifel-like).
      if (m > 0) m = Math.floor(m / 8);
    } else {
      m -= Math.floor(c.mdev / 4);
    }
    c.mdev += m; // mdev = 3/4 mdev + 1/4 |err|
    if (c.mdev > c.mdevMax) {
      c.mdevMax = c.mdev;
      if (c.mdevMax > c.rttvar) c.rttvar = c.mdevMax;
    }
    // Once per round trip: let rttvar decay toward this round's largest mdev.
    if (seqGt(c.sndUna, c.rttSeq)) {
      if (c.mdevMax < c.rttvar) c.rttvar -= Math.floor((c.rttvar - c.mdevMax) / 4);
      c.rttSeq = c.sndNxt;
      c.mdevMax = p.rtoMin;
    }
  } else {
    srtt8 = m * 8;
    c.mdev = m * 2; // RTO = 3·RTT at first
    c.rttvar = Math.max(c.mdev, p.rtoMin);
    c.mdevMax = c.rttvar;
    c.rttSeq = c.sndNxt;
  }
  c.srtt = Math.max(1, srtt8) / 8;
}

/** RFC 6298 §2.2 (first measurement) and §2.3 (later ones). */
function rfc6298Estimator(c: MConn, p: Profile, r: number): void {
  if (c.srtt === 0) {
    c.srtt = r;
    c.rttvar = r / 2;
  } else {
    c.rttvar = (1 - p.rttBeta) * c.rttvar + p.rttBeta * Math.abs(c.srtt - r);
    c.srtt = (1 - p.rttAlpha) * c.srtt + p.rttAlpha * r;
  }
}

/** RTO without backoff from the current estimate (the current RTO when there is no sample yet). */
export function baseRto(c: MConn, p: Profile): Micros {
  if (c.srtt === 0) return c.rto;
  if (p.rttEstimator === 'linux') {
    // __tcp_set_rto: usecs_to_jiffies(srtt + rttvar); tcp_bound_rto: at most RTO max.
    const r = Math.floor(c.srtt) + c.rttvar;
    return Math.min(roundTimer(p, r), p.rtoMax);
  }
  const r = c.srtt + Math.max(p.rttG, p.rttK * c.rttvar);
  return Math.min(Math.max(Math.ceil(r), p.rtoMin), p.rtoMax);
}

/** The TS echo of a segment, or null (no timestamp option, or ecr 0). */
export function tsEcr(seg: Segment): number | null {
  for (const o of seg.options) if (o.kind === 'ts') return o.ecr === 0 ? null : o.ecr;
  return null;
}

/**
 * tcp_rtt_tsopt_us: RTT from the echoed TSval, in whole ticks (at least one), or null when the echo
 * is not from a plausible recent TSval of ours.
 */
export function tsRttSample(c: MConn, p: Profile, now: Micros, ecr: number): Micros | null {
  const tsNow = (tsTicks(p, now) + c.tsOffset) >>> 0;
  let delta = (tsNow - ecr) >>> 0;
  const tickUs = 1_000_000 / p.tsHz;
  if (delta >= INT_MAX / tickUs) return null;
  if (delta === 0) delta = 1;
  return delta * tickUs;
}

/**
 * tcp_ack_update_rtt: take the sample an ACK offers. `seqSample` is the time since the oldest newly
 * acknowledged segment was sent, or null when a retransmitted segment was among those acknowledged
 * (Karn); then a timestamp echo may give the sample instead. Returns true when a sample was taken
 * (the RTO was recomputed and the backoff ended).
 */
export function ackRttSample(c: MConn, p: Profile, now: Micros, seqSample: Micros | null, seg: Segment): boolean {
  let m = seqSample;
  if (m === null && c.tsOk) {
    const ecr = tsEcr(seg);
    if (ecr !== null) m = tsRttSample(c, p, now, ecr);
  }
  if (m === null) return false;
  rttSample(c, p, m);
  return true;
}

/** RFC 6298 §5.7 / tcp_init_metrics: the handshake gave no RTT sample → RTO 3 s. */
export function handshakeFallback(c: MConn, p: Profile): void {
  if (c.srtt !== 0) return;
  c.rto = p.fallbackRto;
  if (p.rttEstimator === 'linux') {
    c.rttvar = p.fallbackRto;
    c.mdev = p.fallbackRto;
    c.mdevMax = p.fallbackRto;
  }
}

/**
 * tcp_model_timeout: how long `boundary` exponential retransmissions starting at `rtoBase` take,
 * with each RTO capped at rtoMax: (2^(n+1) − 1)·base up to the cap, then rtoMax per retry.
 */
export function modelTimeout(boundary: number, rtoBase: Micros, rtoMax: Micros): Micros {
  const thresh = Math.floor(Math.log2(Math.max(1, rtoMax / rtoBase)));
  if (boundary <= thresh) return (2 ** (boundary + 1) - 1) * rtoBase;
  return (2 ** (thresh + 1) - 1) * rtoBase + (boundary - thresh) * rtoMax;
}
