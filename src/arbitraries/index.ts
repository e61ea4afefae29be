/**
 * Public fast-check arbitraries for tcpfuzz: segments (well-formed, near-valid, hostile, relative
 * to a receiver context), option lists, socket-call sequences that respect API preconditions, fault
 * schedules, and whole two-endpoint scenarios. All are built from records, small arrays, integer
 * ranges and `constantFrom`, so they shrink to small, readable counterexamples. Users combine them
 * with a stack and invariants in their own properties.
 */
export type { OptionsArbConstraints } from './options.js';
export { hostileOptionArb, hostileOptionsArb, optionsArb } from './options.js';
export type { SegContext, SegmentKind } from './segment.js';
export { DEFAULT_SEG_CONTEXT, handshakeSegmentArb, hostileSegmentArb, nearValidSegmentArb, segmentArb, SYNCHRONIZED_FLAGS, wellFormedSegmentArb } from './segment.js';
export type { CallIntent, CallIntentOp, CallsArbConstraints } from './calls.js';
export { callIntentArb, interpretIntents, socketCallsArb, timedSocketCallsArb } from './calls.js';
export type { FaultScheduleConstraints } from './faults.js';
export { faultActionArb, faultMatchArb, faultRuleArb, faultScheduleArb, partitionArb, randomFaultsArb } from './faults.js';
export type { EndMode, PairScenarioConstraints } from './pair.js';
export { pairScenarioArb } from './pair.js';
export { u32Arb } from './_internals/u32.js';
export type { BodyAction, PeerOptionSet, ScriptPlan } from './script.js';
export { generateScripts, planToScenario, scriptPlanArb, scriptScenarioArb } from './script.js';
