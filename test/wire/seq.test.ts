/**
 * Sequence arithmetic modulo 2^32 (RFC 1982, RFC 9293 §3.4): examples across the wrap and
 * fast-check laws (antisymmetry, transitivity within 2^31, add/distance round trips). DT-2.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  seqAdd,
  seqDiff,
  seqDist,
  seqGe,
  seqGt,
  seqInRange,
  seqInWindow,
  seqLe,
  seqLt,
  seqMax,
  seqMin,
  u32,
} from '../../src/wire/index.js';
import { arbU32 } from './arb.js';

const TWO31 = 0x8000_0000;

describe('DT-2 sequence arithmetic across the wrap', () => {
  it('orders numbers across 2^32', () => {
    expect(seqLt(0xfffffff0, 0x10)).toBe(true);
    expect(seqGt(0x10, 0xfffffff0)).toBe(true);
    expect(seqLe(0xffffffff, 0)).toBe(true);
    expect(seqGe(0, 0xffffffff)).toBe(true);
    expect(seqLt(0x10, 0xfffffff0)).toBe(false);
    expect(seqLt(5, 5)).toBe(false);
    expect(seqLe(5, 5)).toBe(true);
    expect(seqMax(0xfffffff0, 0x10)).toBe(0x10);
    expect(seqMin(0xfffffff0, 0x10)).toBe(0xfffffff0);
  });

  it('adds and measures distances modulo 2^32', () => {
    expect(seqAdd(0xffffffff, 1)).toBe(0);
    expect(seqAdd(0, -1)).toBe(0xffffffff);
    expect(seqAdd(5, 0x1_0000_0003)).toBe(8);
    expect(seqDiff(0xfffffff0, 0x10)).toBe(0x20);
    expect(seqDiff(0x10, 0xfffffff0)).toBe(-0x20);
    expect(seqDist(0x10, 0xfffffff0)).toBe(0xffffffe0);
    expect(seqDist(0xfffffff0, 0x10)).toBe(0x20);
    expect(u32(-1)).toBe(0xffffffff);
    expect(u32(0x1_0000_0001)).toBe(1);
  });

  it('treats a pair exactly 2^31 apart as unordered (RFC 1982 §3.2) with seqDiff = +2^31', () => {
    expect(seqLt(0, TWO31)).toBe(false);
    expect(seqLt(TWO31, 0)).toBe(false);
    expect(seqGt(0, TWO31)).toBe(false);
    expect(seqDiff(0, TWO31)).toBe(TWO31);
    expect(seqDiff(TWO31, 0)).toBe(TWO31);
    expect(seqDiff(0, TWO31 - 1)).toBe(TWO31 - 1);
    expect(seqDiff(0, TWO31 + 1)).toBe(-(TWO31 - 1));
  });

  it('ranges and windows wrap; size 0 holds nothing', () => {
    expect(seqInRange(0xfffffffe, 0xfffffff0, 0x10)).toBe(true);
    expect(seqInRange(0x5, 0xfffffff0, 0x10)).toBe(true);
    expect(seqInRange(0x10, 0xfffffff0, 0x10)).toBe(false);
    expect(seqInRange(0xffffffef, 0xfffffff0, 0x10)).toBe(false);
    expect(seqInRange(7, 7, 7)).toBe(false);
    expect(seqInWindow(0x3, 0xfffffffe, 5)).toBe(false);
    expect(seqInWindow(0x2, 0xfffffffe, 5)).toBe(true);
    expect(seqInWindow(0xfffffffe, 0xfffffffe, 5)).toBe(true);
    expect(seqInWindow(0xfffffffe, 0xfffffffe, 0)).toBe(false);
    expect(seqInWindow(0xfffffffd, 0xfffffffe, 0xffffffff)).toBe(false);
    expect(seqInWindow(0xfffffffc, 0xfffffffe, 0xffffffff)).toBe(true);
  });
});

describe('DT-2 sequence arithmetic laws (fast-check)', () => {
  const near = fc.tuple(arbU32, fc.integer({ min: -(TWO31 - 1), max: TWO31 - 1 }));

  it('seqAdd then seqDiff/seqDist gives back the offset', () => {
    fc.assert(
      fc.property(near, ([a, n]) => {
        const b = seqAdd(a, n);
        expect(b).toBeGreaterThanOrEqual(0);
        expect(b).toBeLessThan(2 ** 32);
        expect(seqDiff(a, b)).toBe(n);
        expect(seqDist(a, b)).toBe(((n % 2 ** 32) + 2 ** 32) % 2 ** 32);
        expect(seqAdd(b, -n)).toBe(a);
        expect(seqAdd(a, seqDist(a, b))).toBe(b);
      }),
      { numRuns: 2000 },
    );
  });

  it('antisymmetry and trichotomy: exactly one of a<b, a=b, a>b unless 2^31 apart', () => {
    fc.assert(
      fc.property(arbU32, arbU32, (a, b) => {
        expect(seqLt(a, b) && seqLt(b, a)).toBe(false);
        expect(seqLt(a, b)).toBe(seqGt(b, a));
        expect(seqLe(a, b)).toBe(seqGe(b, a));
        expect(seqLe(a, b) && seqLe(b, a)).toBe(a === b);
        const count = Number(seqLt(a, b)) + Number(a === b) + Number(seqGt(a, b));
        expect(count).toBe(seqDist(a, b) === TWO31 ? 0 : 1);
        expect(seqLt(a, b)).toBe(seqDiff(a, b) > 0 && seqDist(a, b) !== TWO31);
        expect(seqDiff(a, b)).toBeGreaterThan(-TWO31);
        expect(seqDiff(a, b)).toBeLessThanOrEqual(TWO31);
      }),
      { numRuns: 5000 },
    );
  });

  it('transitivity within a span below 2^31', () => {
    const span = fc.tuple(arbU32, fc.nat({ max: TWO31 - 1 }), fc.nat({ max: TWO31 - 1 }));
    fc.assert(
      fc.property(span, ([a, x, y]) => {
        const lo = Math.min(x, y);
        const hi = Math.max(x, y);
        const b = seqAdd(a, lo);
        const c = seqAdd(a, hi);
        if (lo > 0) expect(seqLt(a, b)).toBe(true);
        if (hi > lo) expect(seqLt(b, c)).toBe(true);
        if (hi > 0) expect(seqLt(a, c)).toBe(true);
        expect(seqLe(a, b) && seqLe(b, c) && seqLe(a, c)).toBe(true);
        expect(seqMax(a, c)).toBe(c);
        expect(seqMin(a, c)).toBe(a);
      }),
      { numRuns: 3000 },
    );
  });

  it('seqInWindow(x, left, size) ⇔ seqDist(left, x) < size, and seqInRange agrees', () => {
    fc.assert(
      fc.property(arbU32, arbU32, arbU32, (x, left, size) => {
        expect(seqInWindow(x, left, size)).toBe(seqDist(left, x) < size);
        expect(seqInRange(x, left, seqAdd(left, size))).toBe(seqDist(left, x) < size);
        expect(seqInWindow(left, left, size)).toBe(size > 0);
      }),
      { numRuns: 3000 },
    );
  });
});
