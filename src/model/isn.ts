/**
 * Deterministic initial sequence numbers and timestamp offsets from the endpoint's seed (HS-4).
 *
 * RFC 6528 §3: ISN = M + F(localip, localport, remoteip, remoteport, secretkey), with M a clock
 * (profile isnTickUs: 4 µs per RFC 6528, 64 ns on Linux, net/core/secure_seq.c:seq_scale) and F a
 * keyed pseudo-random function. F here is SipHash-2-4 (siphash.ts), as in Linux
 * (secure_seq.c:secure_tcp_seq), keyed with a 128-bit secret derived from the endpoint's seed. A new
 * incarnation of the same 4-tuple later gets a larger ISN by the elapsed clock ticks. The per-connection TSval offset (Linux secure_tcp_ts_off)
 * uses the same PRF with another key. No Math.random: same seed, same run.
 */
import type { Micros } from './api.js';
import { siphash24Lo32 } from './siphash.js';

/** 32-bit finaliser (murmur3 fmix32). */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The 4-tuple as bytes: dotted IPv4 addresses as 4 bytes each (other strings as char codes), ports big-endian. */
function tupleBytes(localAddr: string, localPort: number, remoteAddr: string, remotePort: number): number[] {
  const out: number[] = [];
  addrBytes(out, localAddr);
  addrBytes(out, remoteAddr);
  out.push((localPort >>> 8) & 0xff, localPort & 0xff, (remotePort >>> 8) & 0xff, remotePort & 0xff);
  return out;
}

/**
 * Append one address: four parts of 1–3 decimal digits separated by dots → their values & 0xff;
 * anything else → each UTF-16 code unit as two bytes, low first. Scanned by hand (no split/RegExp:
 * this runs for every connection and SYN cookie).
 */
function addrBytes(out: number[], a: string): void {
  const start = out.length;
  let parts = 0;
  let digits = 0;
  let value = 0;
  let dotted = true;
  for (let i = 0; i <= a.length && dotted; i++) {
    const ch = i < a.length ? a.charCodeAt(i) : 0x2e; // a final virtual '.' closes the last part
    if (ch >= 0x30 && ch <= 0x39) {
      value = value * 10 + (ch - 0x30);
      dotted = ++digits <= 3;
    } else if (ch === 0x2e && digits > 0 && parts < 4) {
      out.push(value & 0xff);
      parts++;
      digits = 0;
      value = 0;
    } else {
      dotted = false;
    }
  }
  if (dotted && parts === 4) return;
  out.length = start;
  for (let i = 0; i < a.length; i++) out.push(a.charCodeAt(i) & 0xff, (a.charCodeAt(i) >>> 8) & 0xff);
}

/** The 128-bit secret for one use (`key` separates ISN and TS offset), derived from the seed. */
function secret(seed: number, key: number): [number, number, number, number] {
  const a = fmix((seed ^ key) >>> 0);
  return [a, fmix(a ^ 0x9e3779b9), fmix(a ^ 0x7f4a7c15), fmix(a ^ 0xf39cc060)];
}

/** Keyed PRF of a 4-tuple (RFC 6528 F): the low 32 bits of SipHash-2-4. */
export function tupleHash(seed: number, key: number, localAddr: string, localPort: number, remoteAddr: string, remotePort: number): number {
  return siphash24Lo32(secret(seed, key), tupleBytes(localAddr, localPort, remoteAddr, remotePort));
}

/** The same PRF over the 4-tuple followed by a 32-bit word (big-endian), e.g. a time counter. */
export function tupleHashWith(seed: number, key: number, localAddr: string, localPort: number, remoteAddr: string, remotePort: number, word: number): number {
  const msg = tupleBytes(localAddr, localPort, remoteAddr, remotePort);
  msg.push((word >>> 24) & 0xff, (word >>> 16) & 0xff, (word >>> 8) & 0xff, word & 0xff);
  return siphash24Lo32(secret(seed, key), msg);
}

/**
 * RFC 6528 §3 shape: F(tuple, secret) + M, modulo 2^32, with M a clock ticking every `tickUs`
 * microseconds (RFC 6528: 4 µs; Linux secure_tcp_seq: ns >> 6, a 64 ns tick).
 */
export function initialSeq(seed: number, now: Micros, localAddr: string, localPort: number, remoteAddr: string, remotePort: number, tickUs = 4): number {
  const f = tupleHash(seed, 0x15a1, localAddr, localPort, remoteAddr, remotePort);
  return (f + Math.floor(now / tickUs)) >>> 0;
}

/** Per-connection TSval offset (HD-4; Linux tcp_v4_init_ts_off). */
export function tsOffset(seed: number, localAddr: string, localPort: number, remoteAddr: string, remotePort: number): number {
  return tupleHash(seed, 0x7501, localAddr, localPort, remoteAddr, remotePort);
}

/** A deterministic first ephemeral port for a seed, within [low, high]. */
export function firstEphemeralPort(seed: number, low: number, high: number): number {
  const span = Math.max(1, high - low + 1);
  return low + (fmix(seed ^ 0xe9) % span);
}
