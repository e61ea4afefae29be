/**
 * `faultScheduleArb`: fault schedules for the simulated network (src/net/faults.ts): latencies,
 * a few index or time-window rules of every kind, partitions, and an optional seeded random block.
 * Probabilities are drawn as whole percentages and times as whole milliseconds, so shrinking lands
 * on round, readable values; empty rule lists and no random block are the shrink targets.
 */
import fc from 'fast-check';
import type { Micros } from '../scenario/types.js';
import type { FaultAction, FaultMatch, FaultRule, FaultSchedule, Partition, RandomFaults } from '../net/faults.js';

export interface FaultScheduleConstraints {
  /** Time window the faults fall in, µs (default 10 s). */
  readonly horizon?: Micros;
  /** Largest one-way latency, µs (default 50 ms). */
  readonly maxLatency?: Micros;
  /** Most rules (default 4) and partitions (default 1). */
  readonly maxRules?: number;
  readonly maxPartitions?: number;
  /** Highest random-fault probability in percent (default 20). */
  readonly maxPercent?: number;
  /** Allow a random block (default true). */
  readonly random?: boolean;
}

const MS = 1000;

export function faultActionArb(maxDelay: Micros = 500 * MS): fc.Arbitrary<FaultAction> {
  return fc.oneof(
    fc.constant<FaultAction>({ kind: 'drop' }),
    fc.record({ kind: fc.constant('duplicate' as const), extraDelay: fc.nat({ max: maxDelay / MS }).map((x) => x * MS) }),
    fc.record({ kind: fc.constant('delay' as const), extra: fc.integer({ min: 1, max: maxDelay / MS }).map((x) => x * MS) }),
    fc.record({ kind: fc.constant('corrupt' as const), bit: fc.nat({ max: 159 }) }),
    fc.record({ kind: fc.constant('truncate' as const), keep: fc.nat({ max: 1460 }) }),
  );
}

export function faultMatchArb(horizon: Micros): fc.Arbitrary<FaultMatch> {
  const hMs = Math.max(1, Math.floor(horizon / MS));
  return fc.oneof(
    fc.record({ kind: fc.constant('nth' as const), n: fc.nat({ max: 30 }) }),
    fc.record({ from: fc.nat({ max: hMs }), len: fc.integer({ min: 1, max: Math.max(1, Math.floor(hMs / 4)) }) }).map(
      (w): FaultMatch => ({ kind: 'window', from: w.from * MS, to: (w.from + w.len) * MS }),
    ),
  );
}

export function faultRuleArb(horizon: Micros): fc.Arbitrary<FaultRule> {
  return fc.record({ dir: fc.constantFrom('ab' as const, 'ba' as const, 'both' as const), match: faultMatchArb(horizon), action: faultActionArb() });
}

export function partitionArb(horizon: Micros): fc.Arbitrary<Partition> {
  const hMs = Math.max(1, Math.floor(horizon / MS));
  return fc
    .record({ from: fc.nat({ max: hMs }), len: fc.integer({ min: 1, max: Math.max(1, Math.floor(hMs / 4)) }) })
    .map((p) => ({ from: p.from * MS, to: (p.from + p.len) * MS }));
}

export function randomFaultsArb(horizon: Micros, maxPercent = 20): fc.Arbitrary<RandomFaults> {
  const pct = fc.nat({ max: maxPercent }).map((p) => p / 100);
  const hMs = Math.max(1, Math.floor(horizon / MS));
  return fc.record({
    seed: fc.nat(),
    dir: fc.constantFrom('both' as const, 'ab' as const, 'ba' as const),
    from: fc.constant(0),
    until: fc.integer({ min: 1, max: hMs }).map((x) => x * MS),
    drop: pct,
    duplicate: pct,
    reorder: pct,
    corrupt: pct,
    truncate: pct,
    maxDelay: fc.integer({ min: 1, max: 200 }).map((x) => x * MS),
  });
}

export function faultScheduleArb(c: FaultScheduleConstraints = {}): fc.Arbitrary<FaultSchedule> {
  const horizon = c.horizon ?? 10_000 * MS;
  const maxLatMs = Math.max(0, Math.floor((c.maxLatency ?? 50 * MS) / MS));
  return fc
    .record({
      ab: fc.nat({ max: maxLatMs }),
      ba: fc.nat({ max: maxLatMs }),
      rules: fc.array(faultRuleArb(horizon), { maxLength: c.maxRules ?? 4 }),
      partitions: fc.array(partitionArb(horizon), { maxLength: c.maxPartitions ?? 1 }),
      random: c.random === false ? fc.constant(null) : fc.option(randomFaultsArb(horizon, c.maxPercent ?? 20), { nil: null }),
    })
    .map((r): FaultSchedule => {
      const base = { latency: { ab: r.ab * MS, ba: r.ba * MS }, rules: r.rules, partitions: r.partitions };
      return r.random === null ? base : { ...base, random: r.random };
    });
}
