/**
 * The two-endpoint simulator: endpoints 'a' and 'b' (any endpoint type with a pure `step`, see
 * `Node`), a network (network.ts), a script of application calls, and a virtual clock that jumps to
 * the next event. Pure from the outside: `runSim` returns a run record and never mutates its inputs.
 *
 * Loop: the next event is the earliest of (calls an app driver issued at the current time, the next
 * scripted call, the next arrival, A's deadline, B's deadline); at equal times in that order, A
 * before B. The clock jumps there, the input goes to the endpoint, output segments enter the network
 * routed by destination address, and the driver sees the outputs and may issue more calls at the
 * same instant (app logic reacting to `readable`, `accept-ready` …). The run ends when both sides
 * are idle (no deadline, nothing in flight, no script left, no pending call) or a step or time bound
 * is hit; which of these happened is part of the result.
 *
 * The shape follows quinn-proto's `Pair` test simulator (drive until idle, with a bounded variant).
 */
import type { Input, Output, StepResult } from '../model/api.js';
import type { Micros, SocketCall } from '../scenario/types.js';
import type { Fate, FaultSchedule } from './faults.js';
import type { Network, NodeId } from './network.js';
import { createNetwork, deliverNext, nextDeliveryTime, sendDetailed } from './network.js';

/** Anything the simulator can drive: a pure step function over endpoint states of type E. */
export interface Node<E> {
  step(e: E, input: Input, now: Micros): StepResult<E>;
}

export interface SimSide<E> {
  readonly addr: string;
  readonly endpoint: E;
  readonly node: Node<E>;
  /** The endpoint's deadline before the first step (default null). */
  readonly deadline?: Micros | null;
}

/** An application call made by `node` at time `t` (µs). */
export interface ScriptedCall {
  readonly t: Micros;
  readonly node: NodeId;
  readonly call: SocketCall;
}

/** What a driver returns: its new state and calls to make now, in order. */
export interface DriverStep<S> {
  readonly state: S;
  readonly calls: readonly SocketCall[];
}

/**
 * App logic between the script and the endpoints. `onScripted` decides what to do with a scripted
 * call that is due (pass it through, or hold it back); `onStep` sees every step's outputs and may
 * react. Both are pure.
 */
export interface Driver<S> {
  readonly init: S;
  onScripted(state: S, node: NodeId, call: SocketCall, now: Micros): DriverStep<S>;
  onStep(state: S, node: NodeId, input: Input, outputs: readonly Output[], now: Micros): DriverStep<S>;
}

/** The driver that passes scripted calls straight through and never reacts. */
export const passThroughDriver: Driver<null> = {
  init: null,
  onScripted: (_s, _n, call) => ({ state: null, calls: [call] }),
  onStep: () => ({ state: null, calls: [] }),
};

export interface SimBounds {
  /** Stop after this many steps (default 100 000). */
  readonly maxSteps?: number;
  /** Do not process events later than this time, µs (default 24 h of virtual time). */
  readonly maxTime?: Micros;
}

export interface SimConfig<E, S> {
  readonly a: SimSide<E>;
  readonly b: SimSide<E>;
  readonly script: readonly ScriptedCall[];
  readonly faults: FaultSchedule;
  readonly driver?: Driver<S>;
  readonly bounds?: SimBounds;
  /** Keep each step's endpoint before/after in the record (default false). */
  readonly recordStates?: boolean;
  /** Virtual time at the start, µs (default 0). */
  readonly startTime?: Micros;
}

/** One step of the run: the endpoint `node` got `input` at `time` and produced `outputs`. */
export interface SimStep<E> {
  readonly time: Micros;
  readonly node: NodeId;
  readonly input: Input;
  readonly outputs: readonly Output[];
  /** For each segment output, in order: what the network did with it (null: unroutable). */
  readonly fates: readonly (Fate | null)[];
  /** The deadline the step returned (timer invariants check that no timer slips). */
  readonly deadline: Micros | null;
  readonly before?: E;
  readonly after?: E;
}

export type SimOutcome = 'idle' | 'step-bound' | 'time-bound';

export interface SimResult<E, S> {
  readonly outcome: SimOutcome;
  readonly steps: number;
  /** Time of the last processed event (the start time when nothing happened). */
  readonly endTime: Micros;
  readonly record: readonly SimStep<E>[];
  readonly a: { readonly endpoint: E; readonly deadline: Micros | null };
  readonly b: { readonly endpoint: E; readonly deadline: Micros | null };
  readonly net: Network;
  readonly driverState: S;
  /** Scripted calls never reached (bound hit first). */
  readonly scriptLeft: number;
}

export const DEFAULT_MAX_STEPS = 100_000;
export const DEFAULT_MAX_TIME: Micros = 24 * 3600 * 1_000_000;

/** The fates of a step that sent no segment (shared: records are read-only). */
const NO_FATES: readonly (Fate | null)[] = Object.freeze([]);

interface SideState<E> {
  endpoint: E;
  deadline: Micros | null;
}

/** Sort a script by time; calls at equal times keep their order. */
export function sortScript(script: readonly ScriptedCall[]): ScriptedCall[] {
  return script
    .map((c, i) => ({ c, i }))
    .sort((x, y) => x.c.t - y.c.t || x.i - y.i)
    .map((x) => x.c);
}

/** Run two endpoints against each other until idle or a bound. */
export function runSim<E, S = null>(cfg: SimConfig<E, S>): SimResult<E, S> {
  const driver = (cfg.driver ?? passThroughDriver) as unknown as Driver<S>;
  const maxSteps = cfg.bounds?.maxSteps ?? DEFAULT_MAX_STEPS;
  const maxTime = cfg.bounds?.maxTime ?? DEFAULT_MAX_TIME;
  const recordStates = cfg.recordStates === true;
  const script = sortScript(cfg.script);
  const sides: Record<NodeId, SideState<E>> = {
    a: { endpoint: cfg.a.endpoint, deadline: cfg.a.deadline ?? null },
    b: { endpoint: cfg.b.endpoint, deadline: cfg.b.deadline ?? null },
  };
  const nodes: Record<NodeId, Node<E>> = { a: cfg.a.node, b: cfg.b.node };
  let net = createNetwork(cfg.a.addr, cfg.b.addr, cfg.faults);
  let driverState = driver.init;
  const pending: { node: NodeId; call: SocketCall }[] = [];
  let pendingHead = 0;
  let scriptIdx = 0;
  let now: Micros = cfg.startTime ?? 0;
  let steps = 0;
  const record: SimStep<E>[] = [];
  let outcome: SimOutcome = 'idle';

  const queue = (node: NodeId, calls: readonly SocketCall[]): void => {
    for (const call of calls) pending.push({ node, call });
  };

  const doStep = (node: NodeId, input: Input): void => {
    const side = sides[node];
    const before = side.endpoint;
    const res = nodes[node].step(before, input, now);
    side.endpoint = res.endpoint;
    side.deadline = res.deadline;
    let fates: (Fate | null)[] | null = null;
    const outs = res.outputs;
    for (let k = 0; k < outs.length; k++) {
      const o = outs[k]!;
      if (o.kind !== 'segment') continue;
      const sent = sendDetailed(net, node, o, now);
      net = sent.net;
      (fates ??= []).push(sent.fate);
    }
    steps++;
    record.push(
      recordStates
        ? { time: now, node, input, outputs: res.outputs, fates: fates ?? NO_FATES, deadline: res.deadline, before, after: res.endpoint }
        : { time: now, node, input, outputs: res.outputs, fates: fates ?? NO_FATES, deadline: res.deadline },
    );
    const d = driver.onStep(driverState, node, input, res.outputs, now);
    driverState = d.state;
    queue(node, d.calls);
  };

  for (;;) {
    // Calls an app issued at the current instant go first.
    if (pendingHead < pending.length) {
      if (steps >= maxSteps) {
        outcome = 'step-bound';
        break;
      }
      const p = pending[pendingHead++]!;
      doStep(p.node, { kind: 'call', call: p.call });
      continue;
    }
    const sc = script[scriptIdx];
    const tScript = sc === undefined ? Infinity : sc.t;
    const tNet = nextDeliveryTime(net) ?? Infinity;
    const tA = sides.a.deadline ?? Infinity;
    const tB = sides.b.deadline ?? Infinity;
    const tNext = Math.min(tScript, tNet, tA, tB);
    if (tNext === Infinity) {
      outcome = 'idle';
      break;
    }
    // The clock never runs backwards: a deadline in the past fires now.
    const t = Math.max(now, tNext);
    if (t > maxTime) {
      outcome = 'time-bound';
      break;
    }
    if (steps >= maxSteps) {
      outcome = 'step-bound';
      break;
    }
    now = t;
    if (tScript === tNext && sc !== undefined) {
      scriptIdx++;
      const d = driver.onScripted(driverState, sc.node, sc.call, now);
      driverState = d.state;
      queue(sc.node, d.calls);
      continue;
    }
    if (tNet === tNext) {
      const got = deliverNext(net);
      if (got !== null) {
        net = got.net;
        const it = got.item;
        const input: Input = it.checksumOk
          ? { kind: 'segment', src: it.src, dst: it.dst, seg: it.seg }
          : { kind: 'segment', src: it.src, dst: it.dst, seg: it.seg, checksumOk: false };
        doStep(it.to, input);
        continue;
      }
    }
    doStep(tA === tNext ? 'a' : 'b', { kind: 'timer' });
  }

  return {
    outcome,
    steps,
    endTime: now,
    record,
    a: { endpoint: sides.a.endpoint, deadline: sides.a.deadline },
    b: { endpoint: sides.b.endpoint, deadline: sides.b.deadline },
    net,
    driverState,
    scriptLeft: script.length - scriptIdx,
  };
}
