/**
 * Minimize a failing two-endpoint harness case (src/harness/case.ts) while it keeps failing the
 * same way (the caller's predicate: "same invariant ID"). Reductions, repeated to a fixpoint:
 *
 * 1. ddmin (ddmin.ts) over the case's parts: each scripted or direct call, each forged segment, each fault
 *    rule, each partition, the random-fault block — drop everything not needed;
 * 2. shrink numbers: send/recv byte counts and forged payload lengths toward 1 (then 0 for
 *    payloads), latencies toward 0, call times toward 0 (earlier is simpler), random-fault
 *    probabilities toward 0.
 */
import type { FaultRule, FaultSchedule, Partition, RandomFaults } from '../net/faults.js';
import type { PairCall } from '../net/types.js';
import type { HarnessCase, Injection } from '../harness/case.js';
import { ddminSync } from './ddmin.js';

type Part =
  | { readonly k: 'call'; readonly v: PairCall }
  | { readonly k: 'direct'; readonly v: PairCall }
  | { readonly k: 'inj'; readonly v: Injection }
  | { readonly k: 'rule'; readonly v: FaultRule }
  | { readonly k: 'part'; readonly v: Partition }
  | { readonly k: 'random'; readonly v: RandomFaults };

function parts(c: HarnessCase): Part[] {
  const f = c.pair.faults;
  const out: Part[] = [
    ...c.pair.calls.map((v): Part => ({ k: 'call', v })),
    ...(c.direct ?? []).map((v): Part => ({ k: 'direct', v })),
    ...c.injections.map((v): Part => ({ k: 'inj', v })),
    ...f.rules.map((v): Part => ({ k: 'rule', v })),
    ...f.partitions.map((v): Part => ({ k: 'part', v })),
  ];
  if (f.random !== undefined) out.push({ k: 'random', v: f.random });
  return out;
}

function rebuild(base: HarnessCase, ps: readonly Part[]): HarnessCase {
  const calls: PairCall[] = [];
  const direct: PairCall[] = [];
  const injections: Injection[] = [];
  const rules: FaultRule[] = [];
  const partitions: Partition[] = [];
  let random: RandomFaults | undefined;
  for (const p of ps) {
    switch (p.k) {
      case 'call':
        calls.push(p.v);
        break;
      case 'direct':
        direct.push(p.v);
        break;
      case 'inj':
        injections.push(p.v);
        break;
      case 'rule':
        rules.push(p.v);
        break;
      case 'part':
        partitions.push(p.v);
        break;
      case 'random':
        random = p.v;
        break;
      default: {
        const never: never = p;
        return never;
      }
    }
  }
  const faults: FaultSchedule = { latency: base.pair.faults.latency, rules, partitions };
  const pair = { ...base.pair, calls, faults: random === undefined ? faults : { ...faults, random } };
  return direct.length > 0 ? { pair, injections, direct } : { pair, injections };
}

/**
 * The smallest value in [floor, x] for which `with(value)` still fails, by trying `floor` and then
 * bisecting (exact when failing is monotone in the value, a failing value in any case). Returns
 * the case for that value, or null when only `x` itself fails.
 */
function shrinkNumber(x: number, floor: number, withValue: (v: number) => HarnessCase, fails: (c: HarnessCase) => boolean, budget: { n: number }): HarnessCase | null {
  if (x <= floor) return null;
  const test = (v: number): HarnessCase | null => {
    if (budget.n <= 0) return null;
    budget.n--;
    const c = withValue(v);
    return fails(c) ? c : null;
  };
  const atFloor = test(floor);
  if (atFloor !== null) return atFloor;
  let lo = floor; // does not fail
  let hi = x; // fails
  let best: HarnessCase | null = null;
  while (hi - lo > 1 && budget.n > 0) {
    const mid = lo + Math.floor((hi - lo) / 2);
    const c = test(mid);
    if (c !== null) {
      hi = mid;
      best = c;
    } else lo = mid;
  }
  return best;
}

function numericPass(start: HarnessCase, fails: (c: HarnessCase) => boolean, budget: { n: number }): HarnessCase {
  let cur = start;
  const keep = (c: HarnessCase | null): void => {
    if (c !== null) cur = c;
  };
  // Byte counts of send/recv calls toward 1.
  for (let i = 0; i < cur.pair.calls.length; i++) {
    const call = cur.pair.calls[i]!.call;
    if (call.op !== 'send' && call.op !== 'recv') continue;
    const base = cur;
    keep(shrinkNumber(call.bytes, 1, (b) => ({ ...base, pair: { ...base.pair, calls: base.pair.calls.map((x, j) => (j === i ? { ...x, call: { ...call, bytes: b } } : x)) } }), fails, budget));
  }
  // Call times toward 0 (the simulator orders the script by time).
  for (let i = 0; i < cur.pair.calls.length; i++) {
    const base = cur;
    keep(shrinkNumber(base.pair.calls[i]!.t, 0, (t) => ({ ...base, pair: { ...base.pair, calls: base.pair.calls.map((x, j) => (j === i ? { ...x, t } : x)) } }), fails, budget));
  }
  for (let i = 0; i < (cur.direct ?? []).length; i++) {
    const base = cur;
    const direct = base.direct ?? [];
    keep(shrinkNumber(direct[i]!.t, 0, (t) => ({ ...base, direct: direct.map((x, j) => (j === i ? { ...x, t } : x)) }), fails, budget));
  }
  // Forged payload lengths toward 0.
  for (let i = 0; i < cur.injections.length; i++) {
    const base = cur;
    keep(shrinkNumber(base.injections[i]!.len, 0, (len) => ({ ...base, injections: base.injections.map((x, j) => (j === i ? { ...x, len } : x)) }), fails, budget));
  }
  // Latencies toward 0.
  for (const d of ['ab', 'ba'] as const) {
    const base = cur;
    const lat = base.pair.faults.latency;
    keep(shrinkNumber(lat[d], 0, (v) => ({ ...base, pair: { ...base.pair, faults: { ...base.pair.faults, latency: { ...lat, [d]: v } } } }), fails, budget));
  }
  // Random-fault probabilities to 0, one at a time.
  for (const k of ['drop', 'duplicate', 'reorder', 'corrupt', 'truncate'] as const) {
    const r = cur.pair.faults.random;
    if (r === undefined || r[k] === 0 || budget.n <= 0) continue;
    budget.n--;
    const c: HarnessCase = { ...cur, pair: { ...cur.pair, faults: { ...cur.pair.faults, random: { ...r, [k]: 0 } } } };
    if (fails(c)) cur = c;
  }
  return cur;
}

export interface MinimizeCaseResult {
  readonly case: HarnessCase;
  /** Predicate calls. */
  readonly tests: number;
  /** False when the budget ran out first. */
  readonly complete: boolean;
}

/** Minimize `c` (which must fail) under `fails`; at most `maxTests` predicate calls (default 2000). */
export function minimizeCase(c: HarnessCase, fails: (c: HarnessCase) => boolean, maxTests = 2000): MinimizeCaseResult {
  const budget = { n: maxTests };
  let cur = c;
  for (let round = 0; round < 4 && budget.n > 0; round++) {
    const before = JSON.stringify(cur);
    const ps = parts(cur);
    const r = ddminSync(ps, (sub) => fails(rebuild(cur, sub)), { maxTests: budget.n });
    budget.n -= r.tests;
    cur = rebuild(cur, r.items);
    cur = numericPass(cur, fails, budget);
    if (JSON.stringify(cur) === before) break;
  }
  return { case: cur, tests: maxTests - budget.n, complete: budget.n > 0 };
}
