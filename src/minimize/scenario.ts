/**
 * Minimize a single-stack scenario (src/scenario/types.ts) against any stack while it keeps
 * failing the same way: the same first oracle difference — its kind and its field with list
 * positions removed ("out[3].window" → "out[].window"), since dropping steps renumbers segments.
 * The failure is judged against the scenario's own expectations (`expect` steps and expected call
 * results, src/oracle/expect.ts). ddmin (ddmin.ts) drops steps; the predicate is asynchronous, so
 * slow or real-time stacks work too.
 */
import type { Scenario, Step } from '../scenario/types.js';
import type { Stack } from '../stacks/types.js';
import type { Difference } from '../oracle/diff.js';
import { checkExpectations, hasExpectations } from '../oracle/expect.js';
import { ddmin } from './ddmin.js';

/** What counts as "the same failure". */
export function failureKey(d: Difference): string {
  return `${d.kind}:${d.field.replace(/\[\d+\]/g, '[]').replace(/\(step \d+\)/g, '(step)')}`;
}

export async function firstDifference(stack: Stack, s: Scenario, opts: { profile?: string; seed?: number }): Promise<Difference | null> {
  let trace;
  try {
    trace = await stack.run(s, opts);
  } catch {
    return null;
  }
  const diffs = checkExpectations(s, trace, { timing: stack.info.time === 'real' });
  return diffs[0] ?? null;
}

export type MinimizeScenarioResult =
  | { readonly ok: true; readonly scenario: Scenario; readonly key: string; readonly difference: Difference; readonly tests: number; readonly complete: boolean }
  | { readonly ok: false; readonly error: string };

export async function minimizeScenario(stack: Stack, s: Scenario, opts: { profile?: string; seed?: number; maxTests?: number } = {}): Promise<MinimizeScenarioResult> {
  if (!hasExpectations(s)) return { ok: false, error: 'the scenario has no expectations (expect steps or expected call results): nothing defines its failure' };
  const runOpts = { ...(opts.profile !== undefined ? { profile: opts.profile } : {}), ...(opts.seed !== undefined ? { seed: opts.seed } : {}) };
  const first = await firstDifference(stack, s, runOpts);
  if (first === null) return { ok: false, error: `the scenario passes on ${stack.info.name}: nothing to minimize` };
  const key = failureKey(first);
  const withSteps = (steps: readonly Step[]): Scenario => ({ header: s.header, steps: [...steps] });
  const r = await ddmin(
    s.steps,
    async (steps) => {
      if (!steps.some((x) => x.kind === 'expect' || (x.kind === 'call' && x.expect !== undefined))) return false;
      const d = await firstDifference(stack, withSteps(steps), runOpts);
      return d !== null && failureKey(d) === key;
    },
    opts.maxTests !== undefined ? { maxTests: opts.maxTests } : {},
  );
  const out = withSteps(r.items);
  const d = (await firstDifference(stack, out, runOpts)) ?? first;
  return { ok: true, scenario: out, key, difference: d, tests: r.tests, complete: r.complete };
}
