/**
 * Check a trace against the expectations written in its scenario, packetdrill style: the scenario's
 * `expect` steps, when it has any, are all the segments the stack must send, in order, at about
 * their times; `call` steps
 * with an `expect` result must return exactly that. Hand-written corpus scenarios carry such
 * expectations (taken from the kernel), so they check the model and any other stack directly.
 * Pure.
 */
import type { Scenario } from '../scenario/types.js';
import type { Trace } from '../trace/types.js';
import type { Difference, Out, SentAfter, Tolerance } from './diff.js';
import { DEFAULT_TOLERANCE, diffSegmentLists, sentAfterSteps } from './diff.js';

export interface ExpectOptions {
  readonly tolerance?: Tolerance;
  /** Compare send times (default true). */
  readonly timing?: boolean;
}

/** Whether the scenario states any expectation at all. */
export function hasExpectations(s: Scenario): boolean {
  return s.steps.some((st) => st.kind === 'expect' || (st.kind === 'call' && st.expect !== undefined));
}

export function checkExpectations(scenario: Scenario, actual: Trace, options: ExpectOptions = {}): Difference[] {
  const tol = options.tolerance ?? scenario.header.tolerance ?? DEFAULT_TOLERANCE;
  const diffs: Difference[] = [];
  // An expected segment follows the last inject/call step written before it.
  const expected: SentAfter[] = [];
  let step = -1;
  let stepT = 0;
  scenario.steps.forEach((st, i) => {
    const t = Math.round(st.t * 1e6);
    if (st.kind === 'inject' || st.kind === 'call') {
      step = i;
      stepT = t;
    } else if (st.kind === 'expect') {
      const out: Out = { type: 'out', t, seg: st.seg };
      expected.push({ out, step, stepT });
    }
  });
  // Like packetdrill, a script that expects segments expects exactly those; a script that only
  // checks call results says nothing about segments.
  if (expected.length > 0) diffSegmentLists(expected, sentAfterSteps(actual), tol, options.timing ?? true, diffs);

  const results = new Map<number, string>();
  for (const e of actual.events) {
    if (e.type === 'call') results.set(e.step, e.result.ok ? `= ${e.result.value}` : `-1 ${e.result.errno}`);
  }
  scenario.steps.forEach((st, i) => {
    if (st.kind !== 'call' || st.expect === undefined) return;
    const want = st.expect.ok ? `= ${st.expect.value}` : `-1 ${st.expect.errno}`;
    const got = results.get(i) ?? 'no call';
    if (want !== got) diffs.push({ kind: 'call', step: i, field: `call(step ${i}).result`, expected: want, actual: got });
  });
  return diffs;
}
