/**
 * The oracle itself: trace diff field by field, timing tolerance, known-difference excuses, and the
 * agreement summary. Each check is shown to fire on a deliberately altered trace.
 */
import { describe, expect, it } from 'vitest';
import { scenario, mss, sackOk, ts, nop, wscale, ok } from '../../src/scenario/builder.js';
import { runOnModel } from '../../src/stacks/model.js';
import { diffTraces, formatDifference } from '../../src/oracle/diff.js';
import { parseKnownDifferences } from '../../src/oracle/known.js';
import { agreement, agreementMarkdown } from '../../src/oracle/agreement.js';
import type { Trace, TraceEvent } from '../../src/trace/types.js';

const s = scenario('oracle fixture', { behaviours: ['HS-1', 'DT-9'] })
  .call({ op: 'socket', fd: 3 }, ok(3))
  .call({ op: 'bind', fd: 3, port: 8080 }, ok(0))
  .call({ op: 'listen', fd: 3, backlog: 1 }, ok(0))
  .at('+0.1')
  .inject('S', { seq: 0, win: 65535, opts: [mss(1460), sackOk(), ts(100, 0), nop(), wscale(7)] })
  .at('+0.01')
  .inject('.', { seq: 1, ack: 1, win: 502, opts: [nop(), nop(), ts(110, 0)] })
  .call({ op: 'accept', fd: 3 }, ok(4))
  .call({ op: 'send', fd: 4, bytes: 2000 })
  .build();

const base = runOnModel(s, { notes: false });

function alter(t: Trace, f: (e: TraceEvent, i: number) => TraceEvent | null): Trace {
  const events: TraceEvent[] = [];
  t.events.forEach((e, i) => {
    const r = f(e, i);
    if (r !== null) events.push(r);
  });
  return { ...t, events };
}

function nthOut(t: Trace, n: number): number {
  let k = -1;
  return t.events.findIndex((e) => e.type === 'out' && ++k === n);
}

describe('diffTraces', () => {
  it('finds nothing between a trace and itself', () => {
    expect(diffTraces(base, base)).toEqual([]);
  });

  it('names the step, field and both values of a window difference', () => {
    const i = nthOut(base, 0);
    const other = alter(base, (e, j) => (j === i && e.type === 'out' ? { ...e, seg: { ...e.seg, window: 1234 } } : e));
    expect(diffTraces(base, other).map(formatDifference)).toEqual(['step 3: out[0].window: expected 65160, actual 1234']);
  });

  it('reports option order differences', () => {
    const i = nthOut(base, 0);
    const other = alter(base, (e, j) => (j === i && e.type === 'out' ? { ...e, seg: { ...e.seg, options: [...e.seg.options].reverse() } } : e));
    const d = diffTraces(base, other);
    expect(d).toHaveLength(1);
    expect(d[0]!.field).toBe('out[0].options');
  });

  it('reports a missing segment and an extra one', () => {
    const i = nthOut(base, 1);
    const fewer = alter(base, (_e, j) => (j === i ? null : _e));
    const outsBase = base.events.filter((e) => e.type === 'out').length;
    const dm = diffTraces(base, fewer);
    expect(dm.some((d) => d.kind === 'missing-segment' && d.field === `out[${outsBase - 1}]`)).toBe(true);
    const de = diffTraces(fewer, base);
    expect(de.some((d) => d.kind === 'extra-segment')).toBe(true);
  });

  it('accepts timing within 4 ms + 12.5 % and flags timing beyond it', () => {
    const i = nthOut(base, 0);
    const late = (us: number): Trace => alter(base, (e, j) => (j === i && e.type === 'out' ? { ...e, t: e.t + us } : e));
    expect(diffTraces(base, late(3_000))).toEqual([]);
    expect(diffTraces(base, late(5_000)).map((d) => d.kind)).toEqual(['timing']);
  });

  it('shifts TSvals by how late the other stack carried out the step (a late inject is not a TS difference)', () => {
    // The step of the final ACK (step 4) and everything after it happen 9 ms later, as when a
    // recorder injects late; the TS clock runs on, so every later TSval is 9 ticks higher.
    const from = base.events.findIndex((e) => e.type === 'in' && e.step === 4);
    const shifted = (tsToo: boolean): Trace =>
      alter(base, (e, j) => {
        if (j < from) return e;
        const t = { ...e, t: e.t + 9_000 };
        if (t.type !== 'out' || !tsToo) return t;
        return { ...t, seg: { ...t.seg, options: t.seg.options.map((o) => (o.kind === 'ts' ? { ...o, val: o.val + 9 } : o)) } };
      });
    expect(diffTraces(base, shifted(true))).toEqual([]);
    expect(diffTraces(base, shifted(false)).map((d) => d.field)).toContain('out[1].options');
    // TSvals are relative to the first TSval: when the step of the first TS-carrying segment (the
    // SYN, step 3) is already late, the same lateness later is no TS difference.
    const fromSyn = base.events.findIndex((e) => e.type === 'in' && e.step === 3);
    const allLate = alter(base, (e, j) => (j < fromSyn ? e : { ...e, t: e.t + 9_000 }));
    expect(diffTraces(base, allLate)).toEqual([]);
  });

  it('compares a reset with absolute sequence number 0 as 0, whatever each stack\'s ISN (RS-1, tcp_v4_send_reset)', () => {
    // The same RST|ACK answering a segment without ACK, seq 0 on the wire, in two traces whose SUT
    // ISNs differ: script space shows it as −ISN, which must not count as a difference.
    const withRst = (isn: number): Trace => {
      const key = Object.keys(base.header.isn ?? {})[0]!;
      const [sp, dp] = key.split('/').map(Number) as [number, number];
      const rst: TraceEvent = { type: 'out', t: 500_000, seg: { srcPort: sp, dstPort: dp, seq: (0 - isn) >>> 0, ack: 7, flags: 0x14, window: 0, urgent: 0, options: [], len: 0 } };
      return { ...base, header: { ...base.header, isn: { [key]: { ...base.header.isn![key]!, local: isn } } }, events: [...base.events, rst] };
    };
    expect(diffTraces(withRst(1000), withRst(123456789))).toEqual([]);
    const other = withRst(123456789);
    const moved = alter(other, (e) => (e.type === 'out' && (e.seg.flags & 0x04) !== 0 ? { ...e, seg: { ...e.seg, seq: 5 } } : e));
    expect(diffTraces(withRst(1000), moved).map((d) => d.field)).toContain(`out[${base.events.filter((e) => e.type === 'out').length}].seq`);
  });

  it('compares call results and state sequences (TIME-WAIT reads as CLOSED)', () => {
    const ci = base.events.findIndex((e) => e.type === 'call' && e.call.op === 'accept');
    const other = alter(base, (e, j) => (j === ci && e.type === 'call' ? { ...e, result: { ok: false, errno: 'EAGAIN' } } : e));
    expect(diffTraces(base, other).map(formatDifference)).toEqual(['step 5: call(step 5).result: expected = 4, actual -1 EAGAIN']);
    const st = (state: 'TIME-WAIT' | 'CLOSED'): Trace => ({ ...base, events: [...base.events, { type: 'state', t: 1, fd: 4, state }] });
    expect(diffTraces(st('TIME-WAIT'), st('CLOSED'))).toEqual([]);
  });
});

describe('known differences and agreement', () => {
  it('parses entries and rejects an entry without a reason, naming the line', () => {
    const ok1 = parseKnownDifferences('# comment\n\nhs-* out[*].window   window rounding differs\n');
    expect(ok1.ok && ok1.entries.length).toBe(1);
    const bad = parseKnownDifferences('x y\n');
    expect(bad).toEqual({ ok: false, line: 1, message: 'expected "<scenario-glob> <field-glob> <reason>"' });
  });

  it('classifies identical, known and differing scenarios and lists stale entries', () => {
    const i = nthOut(base, 0);
    const recordedDiffering = alter(base, (e, j) => (j === i && e.type === 'out' ? { ...e, seg: { ...e.seg, window: 1 } } : e));
    const known = parseKnownDifferences('oracle* out[0].window test excuse\nnothing-* out[9] stale entry\n');
    if (!known.ok) throw new Error('parse');
    const run = (): Trace => base;
    const sum = agreement([base, recordedDiffering], known.entries, run);
    expect([sum.identical, sum.known, sum.differs]).toEqual([1, 1, 0]);
    expect(sum.unusedKnown.map((k) => k.line)).toEqual([2]);
    const none = agreement([recordedDiffering], [], run);
    expect(none.differs).toBe(1);
    const md = agreementMarkdown(none, ['header line']);
    expect(md).toContain('**0 of 1 recorded scenarios identical (0.0 %)**');
    expect(md).toContain('| HS | 1 | 0 (0.0 %) | 0 | 1 |');
    expect(md).toContain('out[0].window: expected 65160, actual 1');
  });
});

describe('a later incarnation\'s ISN is a clock reading (alignIncarnationIsns)', () => {
  // SYN → SYN-ACK, the peer resets the request, then a new SYN on the same ports 20 ms after the
  // first: the new SYN-ACK's script-space seq is the ISN clock's advance, 20 ms / 64 ns = 312500.
  const twice = scenario('incarnations', { behaviours: ['HS-4'] })
    .call({ op: 'socket', fd: 3 }, ok(3))
    .call({ op: 'bind', fd: 3, port: 8080 }, ok(0))
    .call({ op: 'listen', fd: 3, backlog: 8 }, ok(0))
    .at('+0.01')
    .inject('S', { seq: 0, win: 65535, opts: [mss(1460)] })
    .at('+0.01')
    .inject('R', { seq: 1, win: 0 })
    .at('+0.01')
    .inject('S', { seq: 5000, win: 65535, opts: [mss(1460)] })
    .build();
  const model = runOnModel(twice, { notes: false });
  const synAck2 = nthOut(model, 1);
  const inStep = (t: Trace, step: number): number => t.events.findIndex((e) => e.type === 'in' && e.step === step);
  /** The kernel carried out the second SYN `lateUs` earlier than nominal and chose `seq` for it. */
  const kernel = (earlierUs: number, seq: number): Trace => {
    const k = inStep(model, 5);
    return alter(model, (e, j) => {
      if (j === k && e.type === 'in') return { ...e, t: e.t - earlierUs };
      if (j === synAck2 && e.type === 'out') return { ...e, t: e.t - earlierUs, seg: { ...e.seg, seq } };
      return e;
    });
  };

  it('HS-4 the model counts the nominal 20 ms between the SYNs', () => {
    expect(model.events[synAck2]!.type === 'out' && model.events[synAck2]!.seg.seq).toBe(312500);
  });

  it('HS-4 a kernel that handled the second SYN 400 µs early has an ISN 6250 ticks lower: no difference within 250 µs', () => {
    expect(diffTraces(model, kernel(400, 306250 + 100)).map(formatDifference)).toEqual([]);
    expect(diffTraces(model, kernel(400, 306250 - 3000)).map(formatDifference)).toEqual([]);
  });

  it('HS-4 an ISN that the clock does not explain is still a difference', () => {
    expect(diffTraces(model, kernel(400, 306250 + 10000)).map(formatDifference)).toEqual(['step 5: out[1].seq: expected 312500, actual 316250']);
    expect(diffTraces(model, kernel(0, 306250)).map(formatDifference)).toEqual(['step 5: out[1].seq: expected 312500, actual 306250']);
  });
});
