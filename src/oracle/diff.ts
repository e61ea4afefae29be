/**
 * The differential oracle: compare two traces of the same scenario (usually the model's, as the
 * expectation, and a real stack's) field by field, packetdrill style: every difference names the
 * scenario step, the field, and both values.
 *
 * Compared:
 * - segments the stack sent, pairwise in order: flags, seq, ack (when ACK is set), window field,
 *   urgent pointer, options in wire order (TS val within the timing tolerance, everything else
 *   exact), payload length, and send time within the tolerance (default packetdrill's 4 ms +
 *   12.5 % of the time since the step that caused it); a missing or extra segment is one
 *   difference;
 * - call results of every call step;
 * - per-fd state sequences (TCP_INFO on Linux cannot show TIME-WAIT: it reads CLOSED there, so
 *   TIME-WAIT compares equal to CLOSED);
 * - the ISN of a later incarnation on the same 4-tuple as a clock reading (alignIncarnationIsns).
 * Not compared: application events (poll edges on a real kernel, edge-per-arrival in the model) and
 * notes. Pure.
 */
import type { Scenario } from '../scenario/types.js';
import type { Trace, TraceEvent, TcpStateName } from '../trace/types.js';
import type { Segment, TcpOption } from '../wire/types.js';
import { ACK, RST, SYN } from '../wire/types.js';
import { formatFlags } from '../scenario/flags.js';
import { formatOption } from '../report/text.js';
import { profiles } from '../model/profiles.js';

export interface Tolerance {
  /** Absolute slack in microseconds. */
  readonly absUs: number;
  /** Relative slack: a fraction of the time since the step the segment follows. */
  readonly rel: number;
}

export const DEFAULT_TOLERANCE: Tolerance = { absUs: 4000, rel: 0.125 };

export type DiffKind = 'segment' | 'missing-segment' | 'extra-segment' | 'call' | 'state' | 'timing';

export interface Difference {
  readonly kind: DiffKind;
  /** Index of the scenario step the difference belongs to (the last step at or before it), or -1. */
  readonly step: number;
  /** Field path, e.g. "out[3].window", "out[1].options", "call(step 5).result", "state(fd 4)[2]". */
  readonly field: string;
  /** The expectation's value (the model's, in the oracle). */
  readonly expected: string;
  /** The other stack's value. */
  readonly actual: string;
}

export interface DiffOptions {
  readonly tolerance?: Tolerance;
  /** Compare send times (default true; recorded traces of real-time stacks have real times). */
  readonly timing?: boolean;
}

export type Out = Extract<TraceEvent, { type: 'out' }>;

export function stepTimes(s: Scenario): number[] {
  return s.steps.map((st) => Math.round(st.t * 1e6));
}

/**
 * Options equal in kind, order and value; TSvals may differ by `tsShift` ticks (how much later the
 * other stack carried out the step, as its clock ran on meanwhile) ± `tsSlack`.
 */
function optionsEqual(a: readonly TcpOption[], b: readonly TcpOption[], tsSlack: number, tsShift = 0): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.kind !== y.kind) return false;
    if (x.kind === 'ts' && y.kind === 'ts') {
      if (x.ecr !== y.ecr) return false;
      if (Math.abs(((y.val - x.val) | 0) - tsShift) > tsSlack) return false;
      continue;
    }
    if (formatOption(x) !== formatOption(y)) return false;
  }
  return true;
}

function allowed(tol: Tolerance, sinceStepUs: number): number {
  return tol.absUs + tol.rel * Math.max(0, sinceStepUs);
}

function diffSegment(i: number, step: number, e: Segment, a: Segment, tsSlack: number, tsShift: number, out: Difference[]): void {
  const f = (field: string, ev: string, av: string): void => {
    out.push({ kind: 'segment', step, field: `out[${i}].${field}`, expected: ev, actual: av });
  };
  if (e.flags !== a.flags) f('flags', formatFlags(e.flags), formatFlags(a.flags));
  if (e.seq !== a.seq) f('seq', String(e.seq), String(a.seq));
  if ((e.flags & ACK) !== 0 && (a.flags & ACK) !== 0 && e.ack !== a.ack) f('ack', String(e.ack), String(a.ack));
  if (e.window !== a.window) f('window', String(e.window), String(a.window));
  if (e.len !== a.len) f('len', String(e.len), String(a.len));
  if (e.urgent !== a.urgent) f('urgent', String(e.urgent), String(a.urgent));
  if (!optionsEqual(e.options, a.options, tsSlack, tsShift)) {
    f('options', `<${e.options.map(formatOption).join(',')}>`, `<${a.options.map(formatOption).join(',')}>`);
  }
}

function describe(o: Out): string {
  const s = o.seg;
  return `${formatFlags(s.flags)} ${s.seq}:${(s.seq + s.len) >>> 0}(${s.len})${(s.flags & ACK) !== 0 ? ` ack ${s.ack}` : ''} win ${s.window} at ${(o.t / 1e6).toFixed(6)}`;
}

/** Linux's TCP_INFO cannot report TIME-WAIT (the fd's socket reads CLOSE). */
function comparableState(s: TcpStateName): TcpStateName {
  return s === 'TIME-WAIT' ? 'CLOSED' : s;
}

/** A sent segment with the step it follows: the step whose input came last before it. */
export interface SentAfter {
  readonly out: Out;
  /** Scenario step index, −1 before any step. */
  readonly step: number;
  /** When that step was carried out (µs). */
  readonly stepT: number;
}

/**
 * The trace's sent segments, each attributed to the step whose `in` or `call` event precedes it in
 * event order (a real-time stack may carry a step out late; its answer is judged by the delay
 * since the step as it actually happened, as packetdrill does).
 */
export function sentAfterSteps(t: Trace): SentAfter[] {
  const out: SentAfter[] = [];
  let step = -1;
  let stepT = 0;
  for (const e of t.events) {
    if (e.type === 'in' || e.type === 'call') {
      if (e.step >= step) {
        step = e.step;
        stepT = e.t;
      }
    } else if (e.type === 'out') {
      out.push({ out: e, step, stepT });
    }
  }
  return out;
}

/**
 * Compare two in-order lists of sent segments pairwise; a missing or extra segment is one
 * difference each. Fields are compared exactly (TSval within the timing slack); with `timing`,
 * each segment's delay since the step it follows must agree within the tolerance, and both must
 * follow the same step.
 */
export function diffSegmentLists(eo: readonly SentAfter[], ao: readonly SentAfter[], tol: Tolerance, timing: boolean, diffs: Difference[]): void {
  const n = Math.min(eo.length, ao.length);
  const firstTs = (l: readonly SentAfter[]): SentAfter | undefined => l.find((x) => x.out.seg.options.some((o) => o.kind === 'ts'));
  const ef = firstTs(eo);
  const af = firstTs(ao);
  const tsBaseLag = ef !== undefined && af !== undefined && ef.step === af.step ? af.stepT - ef.stepT : 0;
  for (let i = 0; i < n; i++) {
    const e = eo[i]!;
    const a = ao[i]!;
    const since = e.out.t - e.stepT;
    const slackUs = allowed(tol, since);
    // TSval ticks at 1 kHz on Linux: allow the timing slack in ms, plus one tick, after shifting by
    // how late the other stack carried out the step (a recorder may inject a step milliseconds
    // late; the kernel's TS clock runs on meanwhile, as its send times do).
    // TSvals are relative to each stack's first TSval, so only lateness gained since the step of
    // that first TS-carrying segment counts.
    const tsShift = e.step === a.step ? Math.round((a.stepT - e.stepT - tsBaseLag) / 1000) : 0;
    diffSegment(i, e.step, e.out.seg, a.out.seg, Math.ceil(slackUs / 1000) + 1, tsShift, diffs);
    const aSince = a.out.t - a.stepT;
    if (timing && (a.step !== e.step || Math.abs(since - aSince) > slackUs)) {
      const show = (x: SentAfter): string => `${(x.out.t / 1e6).toFixed(6)} (step ${x.step} +${((x.out.t - x.stepT) / 1e3).toFixed(3)} ms)`;
      diffs.push({ kind: 'timing', step: e.step, field: `out[${i}].time`, expected: show(e), actual: show(a) });
    }
  }
  for (let i = n; i < eo.length; i++) {
    const e = eo[i]!;
    diffs.push({ kind: 'missing-segment', step: e.step, field: `out[${i}]`, expected: describe(e.out), actual: 'nothing' });
  }
  for (let i = n; i < ao.length; i++) {
    const a = ao[i]!;
    diffs.push({ kind: 'extra-segment', step: a.step, field: `out[${i}]`, expected: 'nothing', actual: describe(a.out) });
  }
}

/**
 * A reset answering a segment without ACK carries sequence number 0 in absolute terms (Linux
 * tcp_v4_send_reset, RFC 9293 §3.10.7.1), which is not relative to any ISN; script space shows it
 * as −ISN of the connection it belongs to, which differs between stacks. Show it as 0 in both.
 */
function absoluteZeroRsts(t: Trace, list: SentAfter[]): SentAfter[] {
  const isn = t.header.isn;
  if (isn === undefined) return list;
  return list.map((x) => {
    const s = x.out.seg;
    if ((s.flags & RST) === 0 || s.seq === 0) return x;
    const f = isn[`${s.srcPort}/${s.dstPort}`];
    if (f === undefined || ((s.seq + f.local) >>> 0) !== 0) return x;
    return { ...x, out: { ...x.out, seg: { ...s, seq: 0 } } };
  });
}

/**
 * A later incarnation of a connection on the same 4-tuple gets an ISN from a clock (RFC 6528 §3;
 * Linux secure_tcp_seq: hash + ns >> 6), so its script-space ISN (relative to the flow's first ISN)
 * is the real time between the two SYNs in clock ticks. The model counts the nominal time between
 * the steps that caused them; the kernel the time they were really carried out. This predicts the
 * other stack's new ISN from the model's by that difference (each trace's own step times), and
 * accepts it within ISN_SLACK_US (recorded kernels: 0.6–29 µs between the step's recorded time and
 * the clock read); the incarnation's later segments then
 * compare either in script space or relative to the new ISN (one offset for the whole incarnation).
 * Returns the actual list with those sequence numbers rewritten to the expected ones.
 */
/** How far the clock read behind a new ISN may lie from the recorded time of the step that caused it. */
export const ISN_SLACK_US = 250;

export function alignIncarnationIsns(eo: readonly SentAfter[], ao: readonly SentAfter[], tickUs: number, tol: Tolerance): SentAfter[] {
  const first = new Map<string, { eT: number; aT: number }>();
  const offset = new Map<string, number>();
  const out = ao.slice();
  const n = Math.min(eo.length, ao.length);
  for (let i = 0; i < n; i++) {
    const e = eo[i]!;
    const a = ao[i]!;
    const es = e.out.seg;
    const as = a.out.seg;
    const key = `${es.srcPort}/${es.dstPort}`;
    if (key !== `${as.srcPort}/${as.dstPort}`) continue;
    const isSyn = (es.flags & SYN) !== 0 && (as.flags & SYN) !== 0;
    const f = first.get(key);
    if (isSyn && f === undefined) {
      first.set(key, { eT: e.stepT, aT: a.stepT });
      continue;
    }
    if (isSyn && f !== undefined && es.seq !== as.seq) {
      const drift = (a.stepT - f.aT) - (e.stepT - f.eT);
      const predicted = (es.seq + Math.round(drift / tickUs)) >>> 0;
      const err = ((as.seq - predicted) | 0) * tickUs;
      if (Math.abs(err) <= Math.min(tol.absUs, ISN_SLACK_US)) offset.set(key, (as.seq - es.seq) >>> 0);
      else offset.delete(key);
    }
    const off = offset.get(key);
    if (off !== undefined && ((as.seq - es.seq) >>> 0) === off) out[i] = { ...a, out: { ...a.out, seg: { ...as, seq: es.seq } } };
  }
  return out;
}

/** The ISN clock tick (µs) of the expected trace's profile, when it names a known one. */
function isnTick(t: Trace): number | null {
  const p = profiles[t.header.profile ?? 'linux'];
  return p === undefined ? null : p.isnTickUs;
}

/**
 * Diff `actual` against `expected`. Both must be traces of the same scenario; the expected trace's
 * scenario gives the step times.
 */
export function diffTraces(expected: Trace, actual: Trace, options: DiffOptions = {}): Difference[] {
  const tol = options.tolerance ?? expected.header.scenario.header.tolerance ?? DEFAULT_TOLERANCE;
  const timing = options.timing ?? true;
  const diffs: Difference[] = [];

  // Segments, in order.
  const eo = absoluteZeroRsts(expected, sentAfterSteps(expected));
  let ao = absoluteZeroRsts(actual, sentAfterSteps(actual));
  const tick = isnTick(expected);
  if (tick !== null) ao = alignIncarnationIsns(eo, ao, tick, tol);
  diffSegmentLists(eo, ao, tol, timing, diffs);

  // Call results by step.
  const calls = (t: Trace): Map<number, Extract<TraceEvent, { type: 'call' }>> => {
    const m = new Map<number, Extract<TraceEvent, { type: 'call' }>>();
    for (const e of t.events) if (e.type === 'call') m.set(e.step, e);
    return m;
  };
  const ec = calls(expected);
  const ac = calls(actual);
  const steps = [...new Set([...ec.keys(), ...ac.keys()])].sort((x, y) => x - y);
  for (const s of steps) {
    const e = ec.get(s);
    const a = ac.get(s);
    const show = (c: typeof e): string => (c === undefined ? 'no call' : c.result.ok ? `= ${c.result.value}` : `-1 ${c.result.errno}`);
    if (show(e) !== show(a)) diffs.push({ kind: 'call', step: s, field: `call(step ${s}).result`, expected: show(e), actual: show(a) });
  }

  // State sequences per fd.
  const states = (t: Trace): Map<number, TcpStateName[]> => {
    const m = new Map<number, TcpStateName[]>();
    for (const e of t.events) {
      if (e.type !== 'state') continue;
      const list = m.get(e.fd) ?? [];
      const s = comparableState(e.state);
      if (list[list.length - 1] !== s) list.push(s);
      m.set(e.fd, list);
    }
    return m;
  };
  const es = states(expected);
  const as = states(actual);
  if (as.size > 0) {
    for (const fd of [...new Set([...es.keys(), ...as.keys()])].sort((x, y) => x - y)) {
      const e = es.get(fd) ?? [];
      const a = as.get(fd) ?? [];
      if (e.join(' ') !== a.join(' ')) {
        diffs.push({ kind: 'state', step: -1, field: `state(fd ${fd})`, expected: e.join(' → ') || 'none', actual: a.join(' → ') || 'none' });
      }
    }
  }
  return diffs;
}

/** One line per difference: `step 3: out[2].window: expected 63, actual 64`. */
export function formatDifference(d: Difference): string {
  return `step ${d.step}: ${d.field}: expected ${d.expected}, actual ${d.actual}`;
}
