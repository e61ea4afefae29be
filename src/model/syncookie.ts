/**
 * SYN cookies (LQ-4; Linux net/ipv4/syncookies.c, RFC 4987 §3.6): when the SYN queue is full (or
 * always, tcp_syncookies=2) a listener answers a SYN without keeping any state. Everything it needs
 * to rebuild the connection later travels in the SYN-ACK's ISN and, with timestamps, in the low
 * bits of its TSval; the third ACK returns both (ack − 1 = the cookie, TSecr = the TSval).
 *
 * Cookie layout (32 bits, all sums mod 2^32):
 *   H0(4-tuple) + peer ISN + (count << 24) + ((H1(4-tuple, count) + MSS index) mod 2^24)
 * where count is a minute counter (jiffies / TCP_SYNCOOKIE_PERIOD), H0/H1 are two keyed hashes
 * (SipHash here as in Linux, keys derived from the endpoint's seed), and the MSS index points into
 * the profile's table (536/1300/1440/1460). A cookie validates while count has advanced by less than
 * MAX_SYNCOOKIE_AGE and the index is in range.
 *
 * Timestamp encoding (cookie_init_timestamp / cookie_timestamp_decode): the SYN-ACK's TSval is the
 * TS clock rounded down to a multiple of 64 ticks, with the low 6 bits carrying the peer's window
 * scale (0xF = none) in bits 0–3 and SACK-permitted in bit 4 (bit 5, ECN, is not modelled); if that
 * lies ahead of the clock it is moved back by 64. Without timestamps the cookie cannot carry
 * options, so the SYN-ACK offers none but the MSS. Pure.
 */
import type { Micros } from './api.js';
import type { Profile } from './profile-type.js';
import { tupleHashWith } from './isn.js';
import { tsTicks } from './tsclock.js';

/** The 4-tuple as the SYN carried it: source = the peer, destination = us. */
export interface CookieTuple {
  readonly peerAddr: string;
  readonly peerPort: number;
  readonly localAddr: string;
  readonly localPort: number;
}

const COOKIE_BITS = 24;
const COOKIE_MASK = (1 << COOKIE_BITS) - 1;
const TS_BITS = 6;
const TS_MASK = (1 << TS_BITS) - 1;
const TS_WSCALE_MASK = 0x0f;
const TS_SACK = 0x10;
const MAX_WSCALE = 14; // RFC 7323 §2.3

const H0_KEY = 0xc00c0;
const H1_KEY = 0xc00c1;

/** The minute counter (tcp_cookie_time: host clock / TCP_SYNCOOKIE_PERIOD), 8 bits used. */
export function cookieCount(p: Profile, now: Micros): number {
  return Math.floor((now + p.clockOriginUs) / p.syncookiePeriodUs) >>> 0;
}

function h(seed: number, key: number, t: CookieTuple, count: number): number {
  return tupleHashWith(seed, key, t.peerAddr, t.peerPort, t.localAddr, t.localPort, count);
}

/** syncookies.c:cookie_v4_init_sequence: the largest table entry not above the peer's MSS (index 0 if none). */
export function cookieMssIndex(p: Profile, peerMss: number): number {
  const table = p.syncookieMss;
  for (let i = table.length - 1; i > 0; i--) if (peerMss >= table[i]!) return i;
  return 0;
}

/** secure_tcp_syn_cookie: the ISN of a cookie SYN-ACK. */
export function makeCookie(seed: number, p: Profile, now: Micros, t: CookieTuple, peerIsn: number, mssIndex: number): number {
  const count = cookieCount(p, now);
  const low = (h(seed, H1_KEY, t, count) + mssIndex) & COOKIE_MASK;
  return (h(seed, H0_KEY, t, 0) + peerIsn + ((count << COOKIE_BITS) >>> 0) + low) >>> 0;
}

/**
 * check_tcp_syn_cookie: the MSS index a returning cookie carries, or null when it does not validate
 * (wrong hash, older than MAX_SYNCOOKIE_AGE counter steps, index out of the table). `peerIsn` is
 * the ACK's seq − 1, `cookie` its ack − 1.
 */
export function checkCookie(seed: number, p: Profile, now: Micros, t: CookieTuple, peerIsn: number, cookie: number): number | null {
  const count = cookieCount(p, now);
  const rest = (cookie - h(seed, H0_KEY, t, 0) - peerIsn) >>> 0;
  const age = (count - (rest >>> COOKIE_BITS)) & (0xffffffff >>> COOKIE_BITS);
  if (age >= p.syncookieMaxAge) return null;
  const index = (rest - h(seed, H1_KEY, t, (count - age) >>> 0)) & COOKIE_MASK;
  return index < p.syncookieMss.length ? index : null;
}

/** The option bits a cookie TSval carries. */
export function cookieTsOptions(peerWscale: number | null, sackOk: boolean): number {
  return (peerWscale === null ? TS_WSCALE_MASK : peerWscale & TS_WSCALE_MASK) | (sackOk ? TS_SACK : 0);
}

/** cookie_init_timestamp: the clock rounded down to 64 ticks with the options in the low bits (before the per-flow offset). */
export function cookieTsVal(p: Profile, now: Micros, options: number): number {
  const ticks = tsTicks(p, now);
  let ts = ticks - (ticks & TS_MASK) + (options & TS_MASK);
  if (ts > ticks) ts -= 1 << TS_BITS;
  return ts >>> 0;
}

/** What a cookie's timestamp said about the peer's SYN options, or null when it cannot be used. */
export interface CookieOptions {
  readonly wscale: number | null;
  readonly sackOk: boolean;
}

/**
 * cookie_timestamp_decode: the options from an echoed cookie TSval (`tsecr` minus our per-flow
 * offset). Null when the echo claims an option this host has switched off since.
 */
export function decodeCookieTs(p: Profile, tsecr: number): CookieOptions | null {
  const bits = tsecr & TS_MASK;
  const sackOk = (bits & TS_SACK) !== 0;
  if (sackOk && !p.offerSack) return null;
  const ws = bits & TS_WSCALE_MASK;
  if (ws === TS_WSCALE_MASK) return { wscale: null, sackOk };
  if (!p.offerWscale) return null;
  return { wscale: Math.min(ws, MAX_WSCALE), sackOk };
}
