/**
 * Test harness for the invariant catalogue: run the model (or a mutant of it) on small
 * deterministic scenarios and collect every violation the catalogue reports.
 *
 * - `Scripted`: one model endpoint driven by a scripted peer, packetdrill style: inject segments,
 *   make calls, let time pass (timers fire at their deadlines). Every step is checked with the
 *   per-step invariants, including the deadline check.
 * - `runPairWith`: two endpoints over the simulated network (src/net/sim.ts) with the standard
 *   reactive app; every step is checked, then the whole-run invariants.
 */
import type { Input, Micros, Output, StepResult } from '../../src/model/api.js';
import type { Endpoint } from '../../src/model/types.js';
import type { Profile } from '../../src/model/profile-type.js';
import { createEndpoint, step, profiles } from '../../src/model/index.js';
import type { Segment } from '../../src/wire/types.js';
import type { SocketCall } from '../../src/scenario/types.js';
import type { FaultSchedule } from '../../src/net/faults.js';
import { cleanSchedule } from '../../src/net/faults.js';
import type { ScriptedCall } from '../../src/net/sim.js';
import { runSim } from '../../src/net/sim.js';
import type { AppOptions } from '../../src/net/app.js';
import { autoApp } from '../../src/net/app.js';
import type { RunRecord, Violation } from '../../src/invariants/types.js';
import { checkRun, checkRunSteps, checkStep } from '../../src/invariants/catalogue.js';
import { runRecordFromSim } from '../../src/invariants/run-record.js';

export type StepFn = (ep: Endpoint, input: Input, now: Micros) => StepResult<Endpoint>;
export const realStep: StepFn = step;

export const A = '192.0.2.1';
export const B = '192.0.2.2';
export const linux = profiles['linux']!;
export const rfc = profiles['rfc9293']!;

export interface Result {
  readonly violations: readonly Violation[];
  /** Distinct invariant IDs that fired. */
  readonly ids: ReadonlySet<string>;
}

function result(vs: readonly Violation[]): Result {
  return { violations: vs, ids: new Set(vs.map((v) => v.id)) };
}

/** A peer segment with defaults (ports 40000 → 80, ACK flag off, window 65535, no options). */
export function seg(s: Partial<Segment>): Segment {
  return { srcPort: 40000, dstPort: 80, seq: 0, ack: 0, flags: 0, window: 65535, urgent: 0, options: [], len: 0, ...s };
}

/** One endpoint under a scripted peer; every step is checked with the per-step invariants. */
export class Scripted {
  ep: Endpoint;
  now: Micros = 0;
  deadline: Micros | null = null;
  readonly violations: Violation[] = [];
  /** Segments the endpoint sent, in order. */
  readonly sent: Segment[] = [];
  readonly outputs: Output[] = [];
  private readonly stepFn: StepFn;

  constructor(stepFn: StepFn, profile: Profile = linux, seed = 7) {
    this.stepFn = stepFn;
    this.ep = createEndpoint({ profile, addr: A, peerAddr: B, seed });
  }

  private run(input: Input): Output[] {
    const before = this.ep;
    const r = this.stepFn(before, input, this.now);
    this.ep = r.endpoint;
    this.deadline = r.deadline;
    for (const v of checkStep({ before, input, now: this.now, after: r.endpoint, outputs: r.outputs, deadline: r.deadline })) this.violations.push(v);
    for (const o of r.outputs) {
      this.outputs.push(o);
      if (o.kind === 'segment') this.sent.push(o.seg);
    }
    return [...r.outputs];
  }

  /** Let time pass to `t`, firing every timer due on the way. */
  advance(t: Micros): Output[] {
    const out: Output[] = [];
    while (this.deadline !== null && this.deadline <= t) {
      this.now = Math.max(this.now, this.deadline);
      out.push(...this.run({ kind: 'timer' }));
    }
    this.now = Math.max(this.now, t);
    return out;
  }

  call(call: SocketCall, at: Micros = this.now): Output[] {
    const out = this.advance(at);
    return [...out, ...this.run({ kind: 'call', call })];
  }

  inject(s: Segment, at: Micros = this.now, checksumOk = true): Output[] {
    const out = this.advance(at);
    const input: Input = checksumOk ? { kind: 'segment', src: B, dst: A, seg: s } : { kind: 'segment', src: B, dst: A, seg: s, checksumOk: false };
    return [...out, ...this.run(input)];
  }

  lastSent(): Segment {
    const s = this.sent[this.sent.length - 1];
    if (s === undefined) throw new Error('nothing sent yet');
    return s;
  }

  result(): Result {
    return result(this.violations);
  }
}

export interface PairOptions {
  readonly profile?: Profile;
  readonly calls: readonly ScriptedCall[];
  readonly faults?: FaultSchedule;
  readonly app?: Partial<AppOptions>;
  readonly maxTime?: Micros;
  readonly maxSteps?: number;
}

export interface PairResult extends Result {
  readonly run: RunRecord;
}

/** Run two endpoints (both with `stepFn`) over the simulated network; check every step and the run. */
export function runPairWith(stepFn: StepFn, o: PairOptions): PairResult {
  const profile = o.profile ?? linux;
  const a0 = createEndpoint({ profile, addr: A, peerAddr: B, seed: 11 });
  const b0 = createEndpoint({ profile, addr: B, peerAddr: A, seed: 22 });
  const deadlines: (Micros | null)[] = [];
  const node = {
    step: (e: Endpoint, input: Input, now: Micros): StepResult<Endpoint> => {
      const r = stepFn(e, input, now);
      deadlines.push(r.deadline);
      return r;
    },
  };
  const maxTime = o.maxTime ?? 1_800_000_000;
  const sim = runSim({
    a: { addr: A, endpoint: a0, node },
    b: { addr: B, endpoint: b0, node },
    script: o.calls,
    faults: o.faults ?? cleanSchedule(1000),
    driver: autoApp({ autoAccept: true, autoRecv: true, closeOnEof: true, ...o.app }),
    bounds: { maxTime, maxSteps: o.maxSteps ?? 20_000 },
    recordStates: true,
  });
  const run = runRecordFromSim({ sim, initialA: a0, initialB: b0, maxTime });
  const vs = [...checkRunSteps(run, undefined, deadlines), ...checkRun(run)];
  return { ...result(vs), run };
}

/** Client a connects to listener b on port 80 at t=0 and runs `then` calls on fd 3 of a. */
export function clientServer(aCalls: readonly SocketCall[], extra: readonly ScriptedCall[] = [], t0: Micros = 1000): ScriptedCall[] {
  return [
    { t: 0, node: 'b', call: { op: 'socket', fd: 3 } },
    { t: 0, node: 'b', call: { op: 'bind', fd: 3, port: 80 } },
    { t: 0, node: 'b', call: { op: 'listen', fd: 3, backlog: 16 } },
    { t: t0, node: 'a', call: { op: 'socket', fd: 3 } },
    { t: t0, node: 'a', call: { op: 'connect', fd: 3, port: 80 } },
    ...aCalls.map((call) => ({ t: t0, node: 'a' as const, call })),
    ...extra,
  ];
}

/** Human summary of violations for assertion messages. */
export function summary(vs: readonly Violation[], max = 8): string {
  return vs
    .slice(0, max)
    .map((v) => `${v.id}${v.node ? `@${v.node}` : ''}${v.step !== undefined ? `#${v.step}` : ''} t=${v.time ?? '?'}: ${v.message}`)
    .join('\n');
}
