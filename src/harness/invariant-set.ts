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
 * The invariants the suites check today: the SEQ, WIN, FSM, REL (per step), TMR and CC families.
 * Not yet wired in: OPT, HDR, RST (per step) and the whole-run REL-7/8, LIV and END families of
 * src/invariants/catalogue.ts. Switching to the full catalogue (tried 2026-11-23) makes the suites
 * report OPT-2 (SACK-permitted on a SYN-ACK whose SYN did not offer it, in simultaneous open),
 * RST-3 (a forged in-window RST closing in ESTABLISHED), and END-2 (one side reset, the other still
 * synchronized at idle when the RST was lost or sent into a partition): each needs triage (model
 * bug or invariant too strict for forged/lossy runs) before it can gate `npm test`.
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
