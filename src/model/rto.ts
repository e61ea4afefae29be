/**
 * Basic retransmission timeout (DT-5, RFC 6298), part 1 stand-in: the first sample gives
 * RTO = m + max(2m, RTO min) like Linux (tcp_input.c:tcp_rtt_estimator first sample), later samples
 * follow RFC 6298 §2.3 with K·RTTVAR floored at RTO min (Linux's rttvar ≥ rto_min). Karn's rule is
 * applied by the caller (no sample from a retransmitted segment). Part 2 replaces this module with
 * the exact Linux estimator (mdev_max, per-RTT decay).
 *
 * The give-up budget is Linux's tcp_timer.c:tcp_model_timeout.
 */
import type { Micros } from './api.js';
import type { MConn } from './types.js';
import type { Profile } from './profile-type.js';
import { roundTimer } from './ctx.js';

export function rttSample(c: MConn, p: Profile, m: Micros): void {
  if (m < 1) m = 1;
  if (c.srtt === 0) {
    c.srtt = m;
    c.rttvar = m / 2;
  } else {
    const err = Math.abs(c.srtt - m);
    c.rttvar = (3 * c.rttvar + err) / 4;
    c.srtt = (7 * c.srtt + m) / 8;
  }
  c.rto = baseRto(c, p);
}

/** RTO without backoff from the current estimate (initial RTO without a sample). */
export function baseRto(c: MConn, p: Profile): Micros {
  if (c.srtt === 0) return c.rto;
  const r = c.srtt + Math.max(4 * c.rttvar, p.rtoMin);
  return roundTimer(p, Math.min(Math.max(r, p.rtoMin), p.rtoMax));
}

/**
 * tcp_model_timeout: how long `boundary` exponential retransmissions starting at `rtoBase` take,
 * with each RTO capped at rtoMax.
 */
export function modelTimeout(boundary: number, rtoBase: Micros, rtoMax: Micros): Micros {
  const thresh = Math.floor(Math.log2(Math.max(1, rtoMax / rtoBase)));
  if (boundary <= thresh) return (2 ** (boundary + 1) - 1) * rtoBase;
  return (2 ** (thresh + 1) - 1) * rtoBase + (boundary - thresh) * rtoMax;
}
