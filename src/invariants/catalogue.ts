/**
 * The invariant catalogue: every per-step and whole-run invariant, by family, and the two entry
 * points that run them. `checkStep` runs per-step invariants on one model step; `checkRun` runs
 * whole-run invariants on a two-endpoint run record, and `checkRunSteps` runs the per-step ones over
 * every step of a run that kept its states. Neither throws: an invariant that throws (a malformed
 * model state it did not expect) is reported as a violation of that invariant.
 */
import type { Invariant, RunInvariant, RunRecord, StepContext, StepInvariant, Violation } from './types.js';
import { seqInvariants } from './seq.js';
import { windowInvariants } from './window.js';
import { fsmInvariants } from './fsm.js';
import { reliabilityStepInvariants } from './reliability.js';
import { reliabilityRunInvariants } from './reliability-run.js';
import { timerInvariants } from './timers.js';
import { congestionInvariants } from './congestion.js';
import { optionInvariants } from './options.js';
import { headerInvariants } from './header.js';
import { resetInvariants } from './reset.js';
import { livenessInvariants } from './liveness.js';

export const stepInvariants: readonly StepInvariant[] = [
  ...seqInvariants,
  ...windowInvariants,
  ...fsmInvariants,
  ...reliabilityStepInvariants,
  ...timerInvariants,
  ...congestionInvariants,
  ...optionInvariants,
  ...headerInvariants,
  ...resetInvariants,
];

export const runInvariants: readonly RunInvariant[] = [...reliabilityRunInvariants, ...livenessInvariants];

export const catalogue: readonly Invariant[] = [...stepInvariants, ...runInvariants];

/** The invariant with this ID, or undefined. */
export function invariantById(id: string): Invariant | undefined {
  return catalogue.find((i) => i.id === id);
}

function thrown(id: string, e: unknown): string {
  return `${id} threw on this input (malformed state?): ${e instanceof Error ? e.message : String(e)}`.slice(0, 300);
}

/** Run per-step invariants on one step; violations in catalogue order. */
export function checkStep(ctx: StepContext, list: readonly StepInvariant[] = stepInvariants): Violation[] {
  let out: Violation[] | null = null;
  for (const inv of list) {
    let v: Violation | null;
    try {
      v = inv.check(ctx);
    } catch (e) {
      v = { id: inv.id, message: thrown(inv.id, e), time: ctx.now };
    }
    if (v !== null) (out ??= []).push(v);
  }
  return out ?? [];
}

/** Run whole-run invariants on a run record. */
export function checkRun(run: RunRecord, list: readonly RunInvariant[] = runInvariants): Violation[] {
  const out: Violation[] = [];
  for (const inv of list) {
    try {
      out.push(...inv.check(run));
    } catch (e) {
      out.push({ id: inv.id, message: thrown(inv.id, e) });
    }
  }
  return out;
}

/**
 * Run per-step invariants over every step of a run that kept `before`/`after`; a run recorded
 * without states yields one violation per invariant list saying so, rather than silently passing.
 */
export function checkRunSteps(run: RunRecord, list: readonly StepInvariant[] = stepInvariants, deadlines?: readonly (number | null)[]): Violation[] {
  const out: Violation[] = [];
  for (let i = 0; i < run.steps.length; i++) {
    const st = run.steps[i]!;
    if (st.before === undefined || st.after === undefined) {
      out.push({ id: 'RUN-STATES', step: i, node: st.node, message: 'run recorded without endpoint states; per-step invariants cannot run (use recordStates)' });
      return out;
    }
    const d = deadlines?.[i];
    const ctx: StepContext = d === undefined
      ? { before: st.before, input: st.input, now: st.time, after: st.after, outputs: st.outputs, node: st.node, step: i }
      : { before: st.before, input: st.input, now: st.time, after: st.after, outputs: st.outputs, node: st.node, step: i, deadline: d };
    for (const v of checkStep(ctx, list)) out.push(v);
  }
  return out;
}
