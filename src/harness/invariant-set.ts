/**
 * The invariants the harness checks: the per-step and whole-run lists of the catalogue
 * (src/invariants), with a way for a suite to leave whole-run checks out (a suite that forges
 * RSTs breaks "both sides agree how it ended" on purpose) or to narrow to some IDs.
 */
import type { RunInvariant, StepInvariant } from '../invariants/types.js';
import { runInvariants, stepInvariants } from '../invariants/catalogue.js';

export interface InvariantSet {
  readonly step: readonly StepInvariant[];
  readonly run: readonly RunInvariant[];
}

/** The full catalogue of src/invariants/catalogue.ts: every per-step and whole-run invariant. */
export const catalogueInvariants: InvariantSet = {
  step: stepInvariants,
  run: runInvariants,
};

/** The same set without whole-run invariants. */
export function stepOnly(s: InvariantSet): InvariantSet {
  return { step: s.step, run: [] };
}

/** Every invariant ID of a set, per-step first. */
export function invariantIds(s: InvariantSet): string[] {
  return [...s.step.map((i) => i.id), ...s.run.map((i) => i.id)];
}
