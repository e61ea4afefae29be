/**
 * The invariant catalogue's public surface: types, the catalogue and its entry points, building a
 * run record from a simulator result, and the liveness bound.
 */
export type { Invariant, NodeId, RunInvariant, RunOutcome, RunRecord, RunStep, StepContext, StepInvariant, Violation } from './types.js';
export { catalogue, checkRun, checkRunSteps, checkStep, invariantById, runInvariants, stepInvariants } from './catalogue.js';
export { runRecordFromSim } from './run-record.js';
export type { RunRecordInput } from './run-record.js';
export { livenessBound } from './liveness.js';
export { advertisedEdge } from './window.js';
