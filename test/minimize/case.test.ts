/**
 * The harness-case minimizer (src/minimize/case.ts) on synthetic failure predicates: it keeps only
 * the parts the failure needs (calls, direct calls, forged segments, fault rules, partitions, the
 * random block) and shrinks byte counts, times and latencies to the smallest failing values.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { minimizeCase } from '../../src/minimize/case.js';
import type { HarnessCase } from '../../src/harness/case.js';
import { caseSize } from '../../src/harness/case.js';
import { transferArb, hostileArb } from '../../src/harness/arbs.js';

describe('minimizeCase', () => {
  it('keeps exactly the send ≥ 1000 bytes and the drop rule a synthetic failure needs, at the smallest values', () => {
    const cases = fc.sample(transferArb(['linux']), { seed: 9, numRuns: 200 }).filter((c) => c.pair.calls.some((x) => x.call.op === 'send' && x.call.bytes >= 1000) && c.pair.faults.rules.some((r) => r.action.kind === 'drop'));
    expect(cases.length).toBeGreaterThan(0);
    for (const c of cases.slice(0, 10)) {
      const fails = (x: HarnessCase): boolean => x.pair.calls.some((p) => p.call.op === 'send' && p.call.bytes >= 1000) && x.pair.faults.rules.some((r) => r.action.kind === 'drop');
      const m = minimizeCase(c, fails);
      expect(fails(m.case)).toBe(true);
      expect(m.complete).toBe(true);
      expect(caseSize(m.case)).toBe(2);
      const send = m.case.pair.calls[0]!;
      expect(send.call.op === 'send' && send.call.bytes).toBe(1000);
      expect(send.t).toBe(0);
      expect(m.case.pair.faults.latency).toEqual({ ab: 0, ba: 0 });
      expect(m.case.pair.faults.random).toBeUndefined();
    }
  });

  it('forged segments: keeps the one RST that matters, payload shrunk to 0', () => {
    const c = fc.sample(hostileArb(['linux']), { seed: 2, numRuns: 50 }).find((x) => x.injections.some((i) => i.flags & 0x04) && x.injections.length >= 2)!;
    expect(c).toBeDefined();
    const fails = (x: HarnessCase): boolean => x.injections.some((i) => (i.flags & 0x04) !== 0);
    const m = minimizeCase(c, fails);
    expect(m.case.injections).toHaveLength(1);
    expect(m.case.pair.calls).toHaveLength(0);
    expect(m.case.injections[0]!.len).toBe(0);
  });

  it('respects its budget', () => {
    // One fixed, seeded case as a fixture (not a property run): the test checks the step budget on it.
    const c = fc.sample(transferArb(['linux']), { seed: 4, numRuns: 1 })[0]!;
    const m = minimizeCase(c, () => true, 5);
    expect(m.tests).toBe(5);
    expect(m.complete).toBe(false);
  });
});
