/**
 * Small building blocks shared by the arbitraries: uint32 values biased toward the edges of
 * sequence space (0, 2^31 − 1, 2^31, 2^32 − 1, ± a little), and a helper turning a base plus a small
 * signed offset into a wrapped sequence number. Offsets are integers near 0 so shrinking moves
 * values toward the base.
 */
import fc from 'fast-check';
import { seqAdd } from '../../wire/seq.js';

export const U32_MAX = 0xffff_ffff;

/** Any uint32, with the interesting edges of modulo-2^32 space given extra weight. */
export function u32Arb(): fc.Arbitrary<number> {
  return fc.oneof(
    { arbitrary: fc.integer({ min: 0, max: U32_MAX }), weight: 3 },
    { arbitrary: fc.constantFrom(0, 1, 0x7fff_ffff, 0x8000_0000, 0x8000_0001, U32_MAX - 1, U32_MAX), weight: 1 },
  );
}

/** `base + d` modulo 2^32 for a small signed offset d in [-r, r]. */
export function nearArb(base: number, r: number): fc.Arbitrary<number> {
  return fc.integer({ min: -r, max: r }).map((d) => seqAdd(base, d));
}

export const u16Arb: fc.Arbitrary<number> = fc.integer({ min: 0, max: 0xffff });
export const byteArb: fc.Arbitrary<number> = fc.integer({ min: 0, max: 0xff });
