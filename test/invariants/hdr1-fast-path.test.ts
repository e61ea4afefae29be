/**
 * HDR-1's fast path (src/invariants/header.ts `surelyRoundTrips`) may skip the encode/decode round
 * trip only where that round trip is sure to pass: whenever it says "surely", the full check
 * (`roundTripProblem`) finds nothing. Checked on well-formed, near-valid and hostile segments with
 * hostile option lists, out-of-range fields, odd key orders and extra keys, and bad addresses.
 * Also: the fast path is actually taken for the segments a model sends (HD-1).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { roundTripProblem, surelyRoundTrips } from '../../src/invariants/header.js';
import { segmentArb } from '../../src/arbitraries/segment.js';
import { hostileOptionsArb, optionsArb } from '../../src/arbitraries/options.js';
import type { Segment, TcpOption } from '../../src/wire/types.js';

const addrArb = fc.constantFrom('192.0.2.1', '192.0.2.2', '2001:db8::1', '2001:db8::2', 'not-an-address', '300.1.1.1', '', '::');

/** Odd numbers for any numeric field: out of range, negative, fractional, NaN, strings. */
const oddNumber = fc.oneof(
  fc.integer({ min: -5, max: 70_000 }),
  fc.constantFrom(2 ** 32 - 1, 2 ** 32, -1, 0.5, Number.NaN, Infinity, -0, 65_535, 65_536, 255, 256),
  fc.constant('80' as unknown as number),
);

/** An option rebuilt with its keys reordered, an extra key, or a field made odd. */
function twist(o: TcpOption, how: number, v: number): TcpOption {
  const rec = { ...o } as Record<string, unknown>;
  switch (how % 4) {
    case 0:
      return o;
    case 1: {
      const entries = Object.entries(rec).reverse();
      return Object.fromEntries(entries) as unknown as TcpOption;
    }
    case 2:
      return { ...rec, extra: v } as unknown as TcpOption;
    default: {
      const k = Object.keys(rec).find((x) => x !== 'kind');
      if (k !== undefined) rec[k] = v;
      return rec as unknown as TcpOption;
    }
  }
}

const twistedOptions = fc
  .tuple(fc.oneof(optionsArb(), hostileOptionsArb()), fc.array(fc.tuple(fc.nat(3), oddNumber), { maxLength: 6 }))
  .map(([opts, tw]) => opts.map((o, i) => (tw[i] !== undefined ? twist(o, tw[i][0], tw[i][1]) : o)));

const segArb: fc.Arbitrary<Segment> = fc
  .tuple(
    fc.constantFrom('well-formed', 'near-valid', 'hostile' as const).chain((k) => segmentArb(k)),
    fc.option(twistedOptions),
    fc.array(fc.tuple(fc.constantFrom('srcPort', 'dstPort', 'seq', 'ack', 'flags', 'window', 'urgent', 'len'), oddNumber), { maxLength: 2 }),
  )
  .map(([s, opts, odd]) => {
    const r = { ...s, ...(opts !== null ? { options: opts } : {}) } as Record<string, unknown>;
    for (const [k, v] of odd) r[k] = v;
    return r as unknown as Segment;
  });

describe('HDR-1 fast path', () => {
  it('HD-1: "surely round trips" implies the full encode/decode check passes', () => {
    let fast = 0;
    fc.assert(
      fc.property(addrArb, addrArb, segArb, (src, dst, seg) => {
        if (!surelyRoundTrips(src, dst, seg)) return true;
        fast++;
        return roundTripProblem(src, dst, seg) === null;
      }),
      { numRuns: 20_000, seed: 42 },
    );
    expect(fast).toBeGreaterThan(500);
  });

  it('HD-1: is taken for ordinary model segments (SYN options, SACK, timestamps) and not for EOL, unknown or raw options', () => {
    const base: Segment = { srcPort: 80, dstPort: 40000, seq: 4_000_000_000, ack: 1, flags: 0x12, window: 65535, urgent: 0, len: 1448, options: [] };
    const syn: TcpOption[] = [{ kind: 'mss', mss: 1460 }, { kind: 'sackOk' }, { kind: 'ts', val: 1, ecr: 0 }, { kind: 'nop' }, { kind: 'wscale', shift: 7 }];
    const sack: TcpOption[] = [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'ts', val: 5, ecr: 6 }, { kind: 'nop' }, { kind: 'nop' }, { kind: 'sack', blocks: [{ left: 1, right: 2 }, { left: 3, right: 4 }, { left: 5, right: 6 }] }];
    expect(surelyRoundTrips('192.0.2.1', '192.0.2.2', { ...base, options: syn })).toBe(true);
    expect(surelyRoundTrips('2001:db8::1', '2001:db8::2', { ...base, options: sack })).toBe(true);
    expect(surelyRoundTrips('192.0.2.1', '2001:db8::2', base)).toBe(false);
    expect(roundTripProblem('192.0.2.1', '2001:db8::2', base)).toMatch(/does not encode/);
    for (const o of [{ kind: 'eol' }, { kind: 'unknown', code: 30, data: [1, 2] }, { kind: 'raw', data: [1] }] as TcpOption[]) {
      expect(surelyRoundTrips('192.0.2.1', '192.0.2.2', { ...base, options: [o] })).toBe(false);
    }
    expect(surelyRoundTrips('192.0.2.1', '192.0.2.2', { ...base, options: [{ ts: 1, kind: 'ts', ecr: 2 } as unknown as TcpOption] })).toBe(false);
    expect(roundTripProblem('192.0.2.1', '192.0.2.2', { ...base, options: [{ ts: 1, kind: 'ts', ecr: 2 } as unknown as TcpOption] })).not.toBeNull();
  });
});
