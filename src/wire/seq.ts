/**
 * Sequence-number arithmetic modulo 2^32 (RFC 1982 serial number arithmetic, as RFC 9293 §3.4
 * requires for TCP sequence space). Sequence numbers are plain numbers in [0, 2^32). Every
 * comparison of sequence numbers in tcpfuzz goes through these helpers; raw `<` on sequence
 * numbers is a bug (DT-2).
 *
 * These sit on the model's hot path: plain integer arithmetic, no allocation. The trick used
 * throughout is `(x | 0)` / `(x >>> 0)`: subtracting two u32 values and truncating to int32 gives
 * the signed serial distance, truncating to uint32 gives the unsigned one.
 */

/** Normalise any integer-valued number to [0, 2^32). */
export function u32(n: number): number {
  return n >>> 0;
}

/**
 * `a + n` modulo 2^32. `n` is an integer and may be negative or exceed 2^32 (any |n| < 2^52 is
 * exact: ToUint32 reduces any finite integer modulo 2^32).
 */
export function seqAdd(a: number, n: number): number {
  return (a + n) >>> 0;
}

/**
 * Signed distance from `a` to `b` (b − a) in (−2^31, 2^31]. The half-way point, exactly 2^31
 * apart, is undefined under RFC 1982; we resolve it as +2^31 so the result is always defined.
 */
export function seqDiff(a: number, b: number): number {
  const d = (b - a) | 0;
  return d === -0x8000_0000 ? 0x8000_0000 : d;
}

/** Unsigned distance (b − a) mod 2^32: how far forward `b` lies from `a`. */
export function seqDist(a: number, b: number): number {
  return (b - a) >>> 0;
}

/**
 * a < b in serial order. Exactly 2^31 apart counts as neither less nor greater (RFC 1982 §3.2
 * leaves it undefined); note Linux's `before()`/`after()` (include/net/tcp.h) call such a pair
 * both before and after each other. Everywhere else the two agree.
 */
export function seqLt(a: number, b: number): boolean {
  const d = (b - a) | 0;
  return d > 0;
}

/** a ≤ b in serial order. */
export function seqLe(a: number, b: number): boolean {
  const d = (b - a) | 0;
  return d >= 0;
}

/** a > b in serial order. */
export function seqGt(a: number, b: number): boolean {
  const d = (a - b) | 0;
  return d > 0;
}

/** a ≥ b in serial order. */
export function seqGe(a: number, b: number): boolean {
  const d = (a - b) | 0;
  return d >= 0;
}

/** The later of two sequence numbers (serial order). */
export function seqMax(a: number, b: number): number {
  return seqLt(a, b) ? b : a;
}

/** The earlier of two sequence numbers (serial order). */
export function seqMin(a: number, b: number): number {
  return seqLt(a, b) ? a : b;
}

/**
 * left ≤ x < right, modulo 2^32: x lies in the half-open arc from `left` forward to `right`.
 * An empty arc (left == right) contains nothing.
 */
export function seqInRange(x: number, left: number, right: number): boolean {
  return ((x - left) >>> 0) < ((right - left) >>> 0);
}

/**
 * left ≤ x < left + size, modulo 2^32 (RFC 9293 §3.10.7.4 acceptability tests). `size` is a byte
 * count in [0, 2^32); size 0 means the window holds nothing.
 */
export function seqInWindow(x: number, left: number, size: number): boolean {
  return ((x - left) >>> 0) < size;
}
