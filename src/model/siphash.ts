/**
 * SipHash-2-4 (Aumasson & Bernstein, "SipHash: a fast short-input PRF", 2012): the keyed
 * pseudo-random function behind ISN generation (HS-4). RFC 6528 §3 asks for a PRF of the 4-tuple
 * and a secret; Linux uses SipHash for the same job (net/core/secure_seq.c:secure_tcp_seq).
 * Written from the algorithm's description with BigInt 64-bit lanes: it runs once per connection.
 * Pure: no clock, no randomness.
 */

const MASK = (1n << 64n) - 1n;

function rotl(x: bigint, b: bigint): bigint {
  return ((x << b) | (x >> (64n - b))) & MASK;
}

/** SipHash-2-4 of `msg` under the 128-bit key (k0, k1), as an unsigned 64-bit BigInt. */
export function siphash24(k0: bigint, k1: bigint, msg: readonly number[]): bigint {
  let v0 = 0x736f6d6570736575n ^ k0;
  let v1 = 0x646f72616e646f6dn ^ k1;
  let v2 = 0x6c7967656e657261n ^ k0;
  let v3 = 0x7465646279746573n ^ k1;
  const round = (): void => {
    v0 = (v0 + v1) & MASK;
    v1 = rotl(v1, 13n) ^ v0;
    v0 = rotl(v0, 32n);
    v2 = (v2 + v3) & MASK;
    v3 = rotl(v3, 16n) ^ v2;
    v0 = (v0 + v3) & MASK;
    v3 = rotl(v3, 21n) ^ v0;
    v2 = (v2 + v1) & MASK;
    v1 = rotl(v1, 17n) ^ v2;
    v2 = rotl(v2, 32n);
  };
  const n = msg.length;
  const full = n - (n % 8);
  const word = (i: number, len: number): bigint => {
    let m = 0n;
    for (let j = len - 1; j >= 0; j--) m = (m << 8n) | BigInt((msg[i + j] ?? 0) & 0xff);
    return m;
  };
  for (let i = 0; i < full; i += 8) {
    const m = word(i, 8);
    v3 ^= m;
    round();
    round();
    v0 ^= m;
  }
  const last = (BigInt(n & 0xff) << 56n) | word(full, n - full);
  v3 ^= last;
  round();
  round();
  v0 ^= last;
  v2 ^= 0xffn;
  round();
  round();
  round();
  round();
  return (v0 ^ v1 ^ v2 ^ v3) & MASK;
}

// Scratch state of siphash24Lo32: v0..v3 as (high, low) 32-bit halves in a typed array. Module-level
// `let`s holding values ≥ 2^31 were boxed as heap numbers on every store (~1 µs per hash); typed-array
// slots are not. Synchronous use only, so sharing one scratch is safe.
const V = new Uint32Array(8); // v0h v0l v1h v1l v2h v2l v3h v3l

function sipRound(): void {
  let v0h = V[0]!, v0l = V[1]!, v1h = V[2]!, v1l = V[3]!, v2h = V[4]!, v2l = V[5]!, v3h = V[6]!, v3l = V[7]!;
  let th: number;
  let tl: number;
  // v0 += v1; v1 = rotl(v1, 13) ^ v0; v0 = rotl(v0, 32)
  tl = (v0l + v1l) >>> 0;
  v0h = (v0h + v1h + (tl < v0l ? 1 : 0)) >>> 0;
  v0l = tl;
  th = ((v1h << 13) | (v1l >>> 19)) >>> 0;
  tl = ((v1l << 13) | (v1h >>> 19)) >>> 0;
  v1h = (th ^ v0h) >>> 0;
  v1l = (tl ^ v0l) >>> 0;
  th = v0h;
  v0h = v0l;
  v0l = th;
  // v2 += v3; v3 = rotl(v3, 16) ^ v2
  tl = (v2l + v3l) >>> 0;
  v2h = (v2h + v3h + (tl < v2l ? 1 : 0)) >>> 0;
  v2l = tl;
  th = ((v3h << 16) | (v3l >>> 16)) >>> 0;
  tl = ((v3l << 16) | (v3h >>> 16)) >>> 0;
  v3h = (th ^ v2h) >>> 0;
  v3l = (tl ^ v2l) >>> 0;
  // v0 += v3; v3 = rotl(v3, 21) ^ v0
  tl = (v0l + v3l) >>> 0;
  v0h = (v0h + v3h + (tl < v0l ? 1 : 0)) >>> 0;
  v0l = tl;
  th = ((v3h << 21) | (v3l >>> 11)) >>> 0;
  tl = ((v3l << 21) | (v3h >>> 11)) >>> 0;
  v3h = (th ^ v0h) >>> 0;
  v3l = (tl ^ v0l) >>> 0;
  // v2 += v1; v1 = rotl(v1, 17) ^ v2; v2 = rotl(v2, 32)
  tl = (v2l + v1l) >>> 0;
  v2h = (v2h + v1h + (tl < v2l ? 1 : 0)) >>> 0;
  v2l = tl;
  th = ((v1h << 17) | (v1l >>> 15)) >>> 0;
  tl = ((v1l << 17) | (v1h >>> 15)) >>> 0;
  v1h = (th ^ v2h) >>> 0;
  v1l = (tl ^ v2l) >>> 0;
  th = v2h;
  v2h = v2l;
  v2l = th;
  V[0] = v0h; V[1] = v0l; V[2] = v1h; V[3] = v1l; V[4] = v2h; V[5] = v2l; V[6] = v3h; V[7] = v3l;
}

function compress(mh: number, ml: number): void {
  V[6] = V[6]! ^ mh;
  V[7] = V[7]! ^ ml;
  sipRound();
  sipRound();
  V[0] = V[0]! ^ mh;
  V[1] = V[1]! ^ ml;
}

/**
 * The same function on 32-bit halves (no BigInt; much faster), returning the low 32 bits of the
 * 64-bit result — what the ISN needs. `key` is four 32-bit words: k0 low, k0 high, k1 low, k1 high.
 * Agrees with `siphash24` (the tests check both against the published vectors).
 */
export function siphash24Lo32(key: readonly [number, number, number, number], msg: readonly number[]): number {
  V[0] = 0x736f6d65 ^ key[1];
  V[1] = 0x70736575 ^ key[0];
  V[2] = 0x646f7261 ^ key[3];
  V[3] = 0x6e646f6d ^ key[2];
  V[4] = 0x6c796765 ^ key[1];
  V[5] = 0x6e657261 ^ key[0];
  V[6] = 0x74656462 ^ key[3];
  V[7] = 0x79746573 ^ key[2];
  const n = msg.length;
  const full = n - (n % 8);
  for (let i = 0; i < full; i += 8) {
    const ml = ((msg[i]! & 0xff) | ((msg[i + 1]! & 0xff) << 8) | ((msg[i + 2]! & 0xff) << 16) | ((msg[i + 3]! & 0xff) << 24)) >>> 0;
    const mh = ((msg[i + 4]! & 0xff) | ((msg[i + 5]! & 0xff) << 8) | ((msg[i + 6]! & 0xff) << 16) | ((msg[i + 7]! & 0xff) << 24)) >>> 0;
    compress(mh, ml);
  }
  let ml = 0;
  let mh = 0;
  for (let j = 0; j < n - full; j++) {
    const b = msg[full + j]! & 0xff;
    if (j < 4) ml |= b << (8 * j);
    else mh |= b << (8 * (j - 4));
  }
  compress((mh | ((n & 0xff) << 24)) >>> 0, ml >>> 0);
  V[5] = V[5]! ^ 0xff;
  sipRound();
  sipRound();
  sipRound();
  sipRound();
  return (V[1]! ^ V[3]! ^ V[5]! ^ V[7]!) >>> 0;
}
