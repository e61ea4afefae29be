/**
 * The shapes of the invariant catalogue: per-step invariants see one model step (the endpoint
 * before, the input, the endpoint after, the outputs), whole-run invariants see a two-endpoint run
 * (both endpoints' steps with their states, end states, when faults stopped). A check returns
 * violations; it never throws and never mutates what it is given (src/invariants is a pure folder).
 *
 * Every invariant names its RFC section (or kernel source for a profile rule) and the behaviour
 * IDs of /work/shared/docs/behaviours.md it guards, so reports can say which behaviour broke.
 */
import type { Input, Micros, Output } from '../model/api.js';
import type { Endpoint } from '../model/types.js';
import type { RunIndex } from './run-util.js';

export type NodeId = 'a' | 'b';

/** What a per-step invariant sees. */
export interface StepContext {
  readonly before: Endpoint;
  readonly input: Input;
  readonly now: Micros;
  readonly after: Endpoint;
  readonly outputs: readonly Output[];
  /** The deadline `step` returned, when the caller kept it (undefined: unknown, not checked). */
  readonly deadline?: Micros | null;
  /** Which endpoint of a two-endpoint run stepped. */
  readonly node?: NodeId;
  /** Index of the step in its run, when known. */
  readonly step?: number;
}

/** One broken rule: the invariant's ID and a one-line message naming the fields and both values. */
export interface Violation {
  readonly id: string;
  readonly message: string;
  readonly step?: number;
  readonly time?: Micros;
  readonly conn?: number;
  readonly node?: NodeId;
}

interface InvariantInfo {
  /** Stable ID, e.g. "SEQ-1". */
  readonly id: string;
  readonly title: string;
  /** The rule's source, e.g. "RFC 9293 §3.10.7.4" or "RFC 7323 §2.4; tcp_output.c:tcp_select_window". */
  readonly rfc: string;
  /** Behaviour IDs (HS-1, DT-9 …) this invariant guards. */
  readonly behaviours: readonly string[];
}

export interface StepInvariant extends InvariantInfo {
  readonly kind: 'step';
  check(ctx: StepContext): Violation | null;
}

/** One step of a two-endpoint run; `before`/`after` are present when the run recorded states. */
export interface RunStep {
  readonly time: Micros;
  readonly node: NodeId;
  readonly input: Input;
  readonly outputs: readonly Output[];
  readonly before?: Endpoint;
  readonly after?: Endpoint;
}

export type RunOutcome = 'idle' | 'step-bound' | 'time-bound';

/** A whole two-endpoint run as whole-run invariants see it (built from the simulator's result). */
export interface RunRecord {
  readonly steps: readonly RunStep[];
  readonly a: { readonly addr: string; readonly initial: Endpoint; readonly final: Endpoint; readonly deadline: Micros | null };
  readonly b: { readonly addr: string; readonly initial: Endpoint; readonly final: Endpoint; readonly deadline: Micros | null };
  readonly outcome: RunOutcome;
  /** Time of the last processed event. */
  readonly endTime: Micros;
  /** The run's time bound (the simulator stops before events later than this). */
  readonly maxTime: Micros;
  /** From this time on the network is fault-free (no loss, duplication, delay, corruption). */
  readonly faultsSettledAt: Micros;
  /**
   * Optional: the run's per-connection index, exactly `buildIndex(this)` of run-util.ts, when the
   * producer keeps one for all whole-run invariants (built once instead of once per invariant).
   */
  readonly index?: RunIndex;
}

export interface RunInvariant extends InvariantInfo {
  readonly kind: 'run';
  check(run: RunRecord): Violation[];
}

export type Invariant = StepInvariant | RunInvariant;
