/**
 * The invariants the harness checks: the per-step and whole-run lists of the catalogue
 * (src/invariants), with a way for a suite to leave whole-run checks out (a suite that forges
 * RSTs breaks "both sides agree how it ended" on purpose) or to narrow to some IDs.
 */
import type { RunInvariant, StepInvariant } from '../invariants/types.js';
import { seqInvariants } from '../invariants/seq.js';
import { windowInvariants } from '../invariants/window.js';
import { fsmInvariants } from '../invariants/fsm.js';
import { reliabilityStepInvariants } from '../invariants/reliability.js';
import { timerInvariants } from '../invariants/timers.js';
import { congestionInvariants } from '../invariants/congestion.js';

export interface InvariantSet {
  readonly step: readonly StepInvariant[];
  readonly run: readonly RunInvariant[];
}

/**
 * Every invariant of the catalogue. (Built from the family lists while src/invariants/catalogue.ts
 * is being written; whole-run invariants join when it exports them.)
 */
export const catalogueInvariants: InvariantSet = {
  step: [...seqInvariants, ...windowInvariants, ...fsmInvariants, ...reliabilityStepInvariants, ...timerInvariants, ...congestionInvariants],
  run: [],
};

/** The same set without whole-run invariants. */
export function stepOnly(s: InvariantSet): InvariantSet {
  return { step: s.step, run: [] };
}

/** Every invariant ID of a set, per-step first. */
export function invariantIds(s: InvariantSet): string[] {
  return [...s.step.map((i) => i.id), ...s.run.map((i) => i.id)];
}
