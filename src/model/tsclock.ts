/**
 * The host's timestamp clock (RFC 7323 §5.4; Linux tcp_clock_ms): ticks of `profile.tsHz` counted
 * from the host clock, which reads `profile.clockOriginUs` at scenario time 0. Every TSval the model
 * sends, and every RTT it derives from an echoed TSval, reads this one clock.
 */
import type { Micros } from './api.js';
import type { Profile } from './profile-type.js';

/** The clock in whole TS ticks at scenario time `now` (not yet offset per connection). */
export function tsTicks(p: Profile, now: Micros): number {
  return Math.floor(((now + p.clockOriginUs) * p.tsHz) / 1_000_000) >>> 0;
}
