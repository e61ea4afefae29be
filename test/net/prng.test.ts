/**
 * The harness PRNG is deterministic and roughly uniform; stream and hash forms agree with
 * themselves across calls (no hidden state).
 */
import { describe, expect, it } from 'vitest';
import { hash32, mix32, prngInt, prngNext, prngValue, unit } from '../../src/net/prng.js';

describe('prng', () => {
  it('hash32 is a pure function of its arguments and spreads neighbouring keys', () => {
    expect(hash32(1, 2, 3)).toBe(hash32(1, 2, 3));
    expect(hash32(1, 2, 3)).not.toBe(hash32(1, 2, 4));
    expect(hash32(1, 2, 3)).not.toBe(hash32(2, 1, 3));
    expect(mix32(0)).toBe(0);
    const vals = Array.from({ length: 1000 }, (_, i) => hash32(7, i, 0));
    expect(new Set(vals).size).toBe(1000);
    expect(vals.every((v) => Number.isInteger(v) && v >= 0 && v <= 0xffff_ffff)).toBe(true);
  });

  it('unit is uniform on [0, 1): 20 000 draws, every tenth-bucket within 10 % of its share', () => {
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 20_000; i++) {
      const u = unit(99, i, 5);
      expect(u >= 0 && u < 1).toBe(true);
      buckets[Math.floor(u * 10)]!++;
    }
    for (const b of buckets) expect(Math.abs(b - 2000)).toBeLessThan(200);
  });

  it('stream: same seed, same sequence; prngInt stays in range', () => {
    const run = (seed: number): number[] => {
      const out: number[] = [];
      let s = seed;
      for (let i = 0; i < 50; i++) {
        s = prngNext(s);
        out.push(prngValue(s));
      }
      return out;
    };
    expect(run(5)).toEqual(run(5));
    expect(run(5)).not.toEqual(run(6));
    let s = 1;
    for (let i = 0; i < 1000; i++) {
      s = prngNext(s);
      const n = prngInt(s, 7);
      expect(Number.isInteger(n) && n >= 0 && n < 7).toBe(true);
    }
  });
});
