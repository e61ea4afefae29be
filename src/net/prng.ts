/**
 * A small pure pseudo-random number generator for deterministic fault injection and anything else
 * in the harness that needs "random" choices reproducible from a seed: no global random source, no clock.
 *
 * Two forms:
 * - `hash32(a, b, c)`: a stateless mix of up to three 32-bit integers (the splitmix32/murmur3
 *   finaliser applied in turn). Fault decisions use it keyed by (seed, direction, segment index, salt),
 *   so a decision for one segment never depends on how many other decisions were drawn before it;
 *   that keeps random-fault runs stable when a shrinker removes unrelated events.
 * - `prngNext(state)`: a mulberry32-style stream: the state advances by a Weyl constant and the
 *   output is the mixed state. Pure: returns the new state; read the value with `prngValue`.
 */

/** Final avalanche mix of a 32-bit integer (splitmix32 / murmur3 fmix32 constants). */
export function mix32(x: number): number {
  let z = x | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85eb_ca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2_ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Stateless hash of up to three integers to a uniform uint32. */
export function hash32(a: number, b = 0, c = 0): number {
  let h = mix32((a | 0) ^ 0x9e37_79b9);
  h = mix32((h + Math.imul(b | 0, 0x85eb_ca6b)) | 0);
  h = mix32((h + Math.imul(c | 0, 0xc2b2_ae35)) | 0);
  return h;
}

/** A uniform number in [0, 1) derived from `hash32(a, b, c)`. */
export function unit(a: number, b = 0, c = 0): number {
  return hash32(a, b, c) / 0x1_0000_0000;
}

/** Advance a stream state (any int32). */
export function prngNext(state: number): number {
  return (state + 0x6d2b_79f5) | 0;
}

/** The uint32 value a stream state stands for. */
export function prngValue(state: number): number {
  let t = state | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}

/** An integer in [0, n) from a stream state (n ≥ 1, n ≤ 2^32). */
export function prngInt(state: number, n: number): number {
  return Math.floor((prngValue(state) / 0x1_0000_0000) * n);
}
