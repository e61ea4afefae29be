/**
 * Deterministic initial sequence numbers and timestamp offsets from the endpoint's seed.
 *
 * Part 1 stand-in for RFC 6528 (HS-4): ISN = F(4-tuple, seed) + M, with M the 4 µs clock; F is a
 * keyed 32-bit mix (not cryptographic; part 2 replaces it). The per-connection TSval offset
 * (Linux secure_tcp_ts_off) uses the same mix with another key. No Math.random: same seed, same run.
 */
import type { Micros } from './api.js';

/** 32-bit finaliser (murmur3 fmix32). */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function mixString(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = fmix(h ^ s.charCodeAt(i)) + 0x9e3779b9;
  return h >>> 0;
}

/** Keyed hash of a 4-tuple. */
export function tupleHash(seed: number, key: number, localAddr: string, localPort: number, remoteAddr: string, remotePort: number): number {
  let h = fmix((seed ^ key) >>> 0);
  h = mixString(h, localAddr);
  h = mixString(h, remoteAddr);
  h = fmix(h ^ ((localPort << 16) | (remotePort & 0xffff)));
  return h >>> 0;
}

/** RFC 6528 §3 shape: F(tuple, secret) + (clock in 4 µs ticks), modulo 2^32. */
export function initialSeq(seed: number, now: Micros, localAddr: string, localPort: number, remoteAddr: string, remotePort: number): number {
  const f = tupleHash(seed, 0x15a1, localAddr, localPort, remoteAddr, remotePort);
  return (f + Math.floor(now / 4)) >>> 0;
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
