/**
 * The `model` stack: runs a scenario on the pure model under a profile, in virtual time, and
 * returns a trace in script space — the same shape the Linux recorder produces, so the oracle can
 * diff them field by field.
 *
 * Time: before each step the model's timers fire at their own deadlines (never late, never early);
 * after the last step timers keep firing for `graceUs` (default 20 ms, as the recorder's drain).
 * State events are emitted per file descriptor whenever its state changed after an input, like the
 * recorder's TCP_INFO snapshots.
 */
import type { Scenario, Step } from '../scenario/types.js';
import type { Trace, TraceEvent, TcpStateName } from '../trace/types.js';
import { TRACE_FORMAT } from '../trace/types.js';
import type { Input, Output, Micros } from '../model/api.js';
import type { Endpoint } from '../model/types.js';
import type { Profile } from '../model/profile-type.js';
import { profiles } from '../model/profiles.js';
import { applySysctls } from '../model/sysctls.js';
import { createEndpoint, step } from '../model/index.js';
import { ScriptSpace } from '../scenario/space.js';
import type { RunOptions, Stack, StackInfo } from './types.js';

export const DEFAULT_GRACE_US = 20_000;

export interface ModelRunOptions extends RunOptions {
  /** Virtual time to keep running timers after the last step. */
  readonly graceUs?: number;
  /** Use this profile object instead of looking up `profile` by name (mutants, tests). */
  readonly profileObject?: Profile;
  /** Keep the model's trace notes and transitions in the trace (default true). */
  readonly notes?: boolean;
  /**
   * The host clock at scenario time 0 (µs), as a recorder stored it (`meta.clockOriginUs`): the
   * model's TS clock and syncookie counter then tick where the recorded kernel's did.
   */
  readonly clockOriginUs?: number;
}

export function toMicros(t: number): Micros {
  return Math.round(t * 1e6);
}

export function resolveProfile(name: string | undefined): Profile | string {
  const n = name ?? 'linux';
  const p = profiles[n];
  return p ?? `unknown profile "${n}" (known: ${Object.keys(profiles).join(', ')})`;
}

/** Run a scenario on the model. Synchronous: the model is pure and instant. */
export function runOnModel(scenario: Scenario, options: ModelRunOptions = {}): Trace {
  const resolved = options.profileObject ?? resolveProfile(options.profile ?? scenario.header.profile);
  if (typeof resolved === 'string') throw new Error(resolved);
  const h = scenario.header;
  // The scenario's sysctls change the profile exactly as they change the recorded kernel.
  const applied = applySysctls(resolved, h.sysctls);
  if (applied.errors.length > 0) throw new Error(`scenario sysctls: ${applied.errors.join('; ')}`);
  const profile = options.clockOriginUs === undefined ? applied.profile : { ...applied.profile, clockOriginUs: options.clockOriginUs };
  const keepNotes = options.notes ?? true;
  const space = new ScriptSpace(h.peerIsn);
  const events: TraceEvent[] = [];
  let ep: Endpoint = createEndpoint({ profile, addr: h.local.addr, peerAddr: h.remote.addr, seed: options.seed ?? 1 });
  let deadline: Micros | null = null;
  const lastState = new Map<number, TcpStateName>();

  const record = (now: Micros, outputs: readonly Output[], stepIndex: number, input: Input): void => {
    // A call's event goes first, as on a real stack, where the call happens before what it sends.
    if (input.kind === 'call') {
      for (const o of outputs) if (o.kind === 'result') events.push({ type: 'call', t: now, step: stepIndex, call: o.call, result: o.result });
    }
    for (const o of outputs) {
      switch (o.kind) {
        case 'segment':
          events.push({ type: 'out', t: now, seg: space.outbound(o.seg) });
          break;
        case 'result':
          break;
        case 'event':
          events.push(o.errno === undefined ? { type: 'event', t: now, fd: o.fd, event: o.event } : { type: 'event', t: now, fd: o.fd, event: o.event, errno: o.errno });
          break;
        case 'note':
          if (keepNotes) events.push(o.fd === undefined ? { type: 'note', t: now, rule: o.rule, text: o.text } : { type: 'note', t: now, rule: o.rule, text: o.text, fd: o.fd });
          break;
        case 'transition':
          if (keepNotes) {
            const text = `conn ${o.conn}: ${o.from} -> ${o.to} (${o.cause})`;
            events.push(o.fd === undefined ? { type: 'note', t: now, rule: 'FSM', text } : { type: 'note', t: now, rule: 'FSM', text, fd: o.fd });
          }
          break;
        default: {
          const never: never = o;
          throw new Error(`unknown output ${JSON.stringify(never)}`);
        }
      }
    }
    // Per-fd state snapshots, as the recorder's TCP_INFO after each step.
    const seen = new Set<number>();
    for (const c of ep.conns) {
      if (c.fd === null) continue;
      seen.add(c.fd);
      if (lastState.get(c.fd) !== c.state) {
        lastState.set(c.fd, c.state);
        events.push({ type: 'state', t: now, fd: c.fd, state: c.state });
      }
    }
    for (const fd of [...lastState.keys()]) if (!seen.has(fd)) lastState.delete(fd);
  };

  const feed = (input: Input, now: Micros, stepIndex: number): void => {
    const r = step(ep, input, now);
    ep = r.endpoint;
    deadline = r.deadline;
    record(now, r.outputs, stepIndex, input);
  };

  const runTimersUntil = (t: Micros): void => {
    // A guard against a model that re-arms a timer at the same instant forever.
    let guard = 0;
    while (deadline !== null && deadline <= t && guard++ < 1_000_000) {
      const now: Micros = deadline;
      feed({ kind: 'timer' }, now, -1);
      if (deadline !== null && deadline <= now) deadline = now + 1;
    }
  };

  // As the Linux recorder does (src/stacks/linux/runner.ts, connect): a socket that connects
  // without an explicit bind is first bound, silently, to the local port the scenario's injects
  // from that remote port address, so the scenario knows its port.
  const bound = new Set<number>();
  const inferLocalPort = (remotePort: number): number | null => {
    for (const st of scenario.steps) if (st.kind === 'inject' && st.seg.srcPort === remotePort) return st.seg.dstPort;
    return null;
  };
  const implicitBind = (call: Extract<Step, { kind: 'call' }>['call'], now: Micros): void => {
    if (call.op === 'socket') bound.delete(call.fd);
    if (call.op === 'connect' && !bound.has(call.fd)) {
      const port = inferLocalPort(call.port);
      if (port !== null) {
        const r = step(ep, { kind: 'call', call: { op: 'bind', fd: call.fd, port } }, now);
        ep = r.endpoint;
        deadline = r.deadline;
      }
    }
    if (call.op === 'bind' || call.op === 'listen' || call.op === 'connect') bound.add(call.fd);
  };

  scenario.steps.forEach((s: Step, i: number) => {
    const t = toMicros(s.t);
    runTimersUntil(t);
    switch (s.kind) {
      case 'inject': {
        const seg = space.inbound(s.seg);
        events.push({ type: 'in', t, step: i, seg: s.seg });
        feed(s.corrupt === 'tcp-checksum' ? { kind: 'segment', src: h.remote.addr, dst: h.local.addr, seg, checksumOk: false } : { kind: 'segment', src: h.remote.addr, dst: h.local.addr, seg }, t, i);
        break;
      }
      case 'call':
        implicitBind(s.call, t);
        feed({ kind: 'call', call: s.call }, t, i);
        break;
      case 'expect':
      case 'wait':
        break;
      default: {
        const never: never = s;
        throw new Error(`unknown step ${JSON.stringify(never)}`);
      }
    }
  });
  const last = scenario.steps.length > 0 ? toMicros(scenario.steps[scenario.steps.length - 1]!.t) : 0;
  runTimersUntil(last + (options.graceUs ?? DEFAULT_GRACE_US));

  return {
    header: {
      type: 'trace',
      format: TRACE_FORMAT,
      stack: 'model',
      profile: profile.name,
      isn: space.known(),
      scenario,
      meta: {
        seed: options.seed ?? 1,
        graceUs: options.graceUs ?? DEFAULT_GRACE_US,
        ...(applied.ignored.length > 0 ? { unmodelledSysctls: applied.ignored.join(',') } : {}),
      },
    },
    events,
  };
}

export class ModelStack implements Stack {
  readonly info: StackInfo = {
    name: 'model',
    version: '1',
    time: 'virtual',
    supports: ['ipv4', 'ipv6', 'state', 'notes'],
  };

  constructor(private readonly defaults: ModelRunOptions = {}) {}

  run(scenario: Scenario, options?: RunOptions): Promise<Trace> {
    try {
      return Promise.resolve(runOnModel(scenario, { ...this.defaults, ...options }));
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
  }
}
