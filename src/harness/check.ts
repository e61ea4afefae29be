/**
 * Run one `HarnessCase` on a model and judge it: both endpoints are created from the case's
 * profile and seeds, wrapped with their injections (forge.ts), driven by the standard reactive app
 * (`autoApp`) over the case's faulty network (src/net/sim.ts), and every step the endpoints took
 * themselves is checked against the per-step invariants; then the whole run against the whole-run
 * invariants. FSM coverage (src/net/fsm.ts) is counted from the steps' `transition` outputs.
 *
 * The verdict names the first violation (which invariant, step, node, message). A model that
 * throws breaks its totality contract (api.ts) and is reported as invariant `MODEL-THROW`; a case
 * the model cannot even set up (unknown profile) is `HARNESS-SETUP`.
 */
import type { Output } from '../model/api.js';
import type { Endpoint } from '../model/types.js';
import type { PairModel } from '../net/pair.js';
import type { AppState } from '../net/app.js';
import { autoApp } from '../net/app.js';
import type { Driver, SimResult } from '../net/sim.js';
import type { SocketCall } from '../scenario/types.js';
import { runSim } from '../net/sim.js';
import { faultsSettledAt } from '../net/network.js';
import type { FsmCoverage } from '../net/fsm.js';
import { findEdge } from '../net/fsm.js';
import type { RunRecord, RunStep, StepContext, Violation } from '../invariants/types.js';
import type { RunIndex } from '../invariants/run-util.js';
import { buildIndex } from '../invariants/run-util.js';
import type { HarnessCase } from './case.js';
import type { Forging } from './forge.js';
import { forging, forgingDeadline, forgingNode } from './forge.js';
import type { InvariantSet } from './invariant-set.js';

export interface CaseVerdict {
  /** True when no invariant was violated. */
  readonly ok: boolean;
  /** The first violation, or null. */
  readonly violation: Violation | null;
  /** The first violation of each invariant ID, in order of occurrence (checking goes on after a violation). */
  readonly violations: readonly Violation[];
  /** Steps the simulator ran. */
  readonly steps: number;
  /** Invariant evaluations (per-step invariants × checked steps + whole-run invariants). */
  readonly checks: number;
  readonly coverage: FsmCoverage;
  readonly outcome: 'idle' | 'step-bound' | 'time-bound' | 'error';
  readonly endTime: number;
}

export interface CaseRun {
  readonly verdict: CaseVerdict;
  /** The simulator's record (absent when setup failed or the model threw). */
  readonly sim?: SimResult<Forging, AppState>;
}

/** The port the scenario's server binds (the default destination of forged segments). */
function listenPort(c: HarnessCase): number {
  for (const x of c.pair.calls) if (x.call.op === 'bind') return x.call.port;
  for (const x of c.pair.calls) if (x.call.op === 'connect') return x.call.port;
  return 80;
}

class CoverageCounter {
  counts: Record<string, number> = {};
  unlisted: Record<string, number> = {};
  add(outputs: readonly Output[]): void {
    for (const o of outputs) {
      if (o.kind !== 'transition') continue;
      const e = findEdge(o.from, o.to, o.cause, false);
      if (e !== null) this.counts[e.id] = (this.counts[e.id] ?? 0) + 1;
      else {
        const k = `${o.from}>${o.to}:${o.cause}`;
        this.unlisted[k] = (this.unlisted[k] ?? 0) + 1;
      }
    }
  }
  value(): FsmCoverage {
    return { counts: this.counts, unlisted: this.unlisted };
  }
}

function setupFailure(message: string): CaseRun {
  return {
    verdict: {
      ok: false,
      violation: { id: 'HARNESS-SETUP', message },
      violations: [{ id: 'HARNESS-SETUP', message }],
      steps: 0,
      checks: 0,
      coverage: { counts: {}, unlisted: {} },
      outcome: 'error',
      endTime: 0,
    },
  };
}

/** Run a case and check it. Never throws. */
export function runCase(c: HarnessCase, model: PairModel<Endpoint>, inv: InvariantSet): CaseRun {
  const p = c.pair;
  if (p.addrA === p.addrB) return setupFailure(`addrA and addrB are both ${p.addrA}`);
  const a = model.createEndpoint({ profile: p.profile, addr: p.addrA, peer: p.addrB, seed: p.seedA });
  if (!a.ok) return setupFailure(`endpoint a: ${a.error}`);
  const b = model.createEndpoint({ profile: p.profile, addr: p.addrB, peer: p.addrA, seed: p.seedB });
  if (!b.ok) return setupFailure(`endpoint b: ${b.error}`);
  const port = listenPort(c);
  const fa = forging(a.endpoint, c.injections.filter((x) => x.to === 'a'), port);
  const fb = forging(b.endpoint, c.injections.filter((x) => x.to === 'b'), port);
  const node = forgingNode((e, input, now) => model.node.step(e, input, now));
  const app = autoApp(p.app);
  const direct = c.direct ?? [];
  const directCalls = new Set<SocketCall>(direct.map((x) => x.call));
  // Direct calls bypass the app's per-fd ordering (identity of the call object marks them).
  const driver: Driver<AppState> =
    directCalls.size === 0
      ? app
      : { init: app.init, onScripted: (s, n, call, now) => (directCalls.has(call) ? { state: s, calls: [call] } : app.onScripted(s, n, call, now)), onStep: app.onStep };
  let sim: SimResult<Forging, AppState>;
  try {
    sim = runSim<Forging, AppState>({
      a: { addr: p.addrA, endpoint: fa, node, deadline: forgingDeadline(fa) },
      b: { addr: p.addrB, endpoint: fb, node, deadline: forgingDeadline(fb) },
      script: direct.length === 0 ? p.calls : [...p.calls, ...direct],
      faults: p.faults,
      driver,
      bounds: p.bounds,
      recordStates: true,
    });
  } catch (e) {
    const v: Violation = { id: 'MODEL-THROW', message: `the model threw (api.ts: step is total): ${e instanceof Error ? e.message : String(e)}` };
    return {
      verdict: {
        ok: false,
        violation: v,
        violations: [v],
        steps: 0,
        checks: 0,
        coverage: { counts: {}, unlisted: {} },
        outcome: 'error',
        endTime: 0,
      },
    };
  }
  return { verdict: judge(sim, a.endpoint, b.endpoint, inv, c), sim };
}

function judge(sim: SimResult<Forging, AppState>, initA: Endpoint, initB: Endpoint, inv: InvariantSet, c: HarnessCase): CaseVerdict {
  const cov = new CoverageCounter();
  // The whole-run view of the steps is only built when whole-run invariants will read it.
  const runSteps: RunStep[] | null = inv.run.length > 0 ? [] : null;
  const stepInv = inv.step;
  const nStep = stepInv.length;
  let checks = 0;
  const found = new Map<string, Violation>();
  const rec = sim.record;
  for (let i = 0; i < rec.length; i++) {
    const s = rec[i]!;
    cov.add(s.outputs);
    const before = s.before!.inner;
    const after = s.after!.inner;
    const input = s.after!.injected ?? s.input;
    if (runSteps !== null) runSteps.push({ time: s.time, node: s.node, input, outputs: s.outputs, before, after });
    const ctx: StepContext = { before, input, now: s.time, after, outputs: s.outputs, deadline: s.after!.innerDeadline, node: s.node, step: i };
    checks += nStep;
    for (let k = 0; k < nStep; k++) {
      const x = stepInv[k]!;
      let v: Violation | null;
      try {
        v = x.check(ctx);
      } catch (e) {
        v = { id: x.id, message: `invariant threw: ${e instanceof Error ? e.message : String(e)}`, step: i, time: s.time, node: s.node };
      }
      if (v !== null && !found.has(v.id)) found.set(v.id, { ...v, step: v.step ?? i, time: v.time ?? s.time, node: v.node ?? s.node });
    }
  }
  if (runSteps !== null) {
    let settled = faultsSettledAt(sim.net);
    for (const x of c.injections) if (x.t > settled) settled = x.t;
    const plain: RunRecord = {
      steps: runSteps,
      a: { addr: c.pair.addrA, initial: initA, final: sim.a.endpoint.inner, deadline: sim.a.endpoint.innerDeadline },
      b: { addr: c.pair.addrB, initial: initB, final: sim.b.endpoint.inner, deadline: sim.b.endpoint.innerDeadline },
      outcome: sim.outcome,
      endTime: sim.endTime,
      maxTime: c.pair.bounds.maxTime,
      faultsSettledAt: settled,
    };
    // The per-connection index several whole-run invariants read (run-util.ts:indexRun), built
    // once here instead of once per invariant. Should building it throw, the record goes without
    // and each invariant builds it and fails on its own, as before.
    let index: RunIndex | undefined;
    try {
      index = buildIndex(plain);
    } catch {
      index = undefined;
    }
    const run: RunRecord = index === undefined ? plain : { ...plain, index };
    for (const x of inv.run) {
      checks++;
      let vs: Violation[];
      try {
        vs = x.check(run);
      } catch (e) {
        vs = [{ id: x.id, message: `invariant threw: ${e instanceof Error ? e.message : String(e)}` }];
      }
      for (const v of vs) if (!found.has(v.id)) found.set(v.id, v);
    }
  }
  const violations = [...found.values()];
  return { ok: violations.length === 0, violation: violations[0] ?? null, violations, steps: sim.steps, checks, coverage: cov.value(), outcome: sim.outcome, endTime: sim.endTime };
}
