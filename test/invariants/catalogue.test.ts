/**
 * The catalogue's entry points on their own: they never throw (a malformed model state is a
 * violation, not an exception), a run recorded without states is reported instead of silently
 * passing, and a few invariants checked on hand-built states (FC-3, RS-2, DT-4) where the numbers
 * are easy to read.
 */
import { describe, expect, it } from 'vitest';
import type { Conn, Endpoint } from '../../src/model/types.js';
import type { Input } from '../../src/model/api.js';
import { ACK, RST, SYN } from '../../src/wire/types.js';
import { createEndpoint, step } from '../../src/model/step.js';
import { checkRun, checkRunSteps, checkStep, invariantById, stepInvariants } from '../../src/invariants/catalogue.js';
import type { RunRecord, StepContext } from '../../src/invariants/types.js';
import { A, B, established, linux, realStep, seg } from './scenarios-kit.js';

function ctxOf(before: Endpoint, input: Input, after: Endpoint, outputs: StepContext['outputs'] = []): StepContext {
  return { before, input, now: 5000, after, outputs };
}

describe('checkStep / checkRun never throw', () => {
  it('malformed connections give violations, not exceptions', () => {
    const e = established(realStep);
    const c = e.conn()!;
    const broken = { ...c, sent: null, ooo: undefined, options: 7 } as unknown as Conn;
    const ep: Endpoint = { ...e.h.ep, conns: [broken] };
    const out = { kind: 'segment' as const, src: A, dst: B, seg: { ...seg({}), srcPort: 80, dstPort: 40000, options: null as never } };
    let vs: ReturnType<typeof checkStep> = [];
    expect(() => {
      vs = checkStep(ctxOf(ep, { kind: 'timer' }, ep, [out]));
    }).not.toThrow();
    expect(vs.length).toBeGreaterThan(0);
    expect(vs.every((v) => typeof v.id === 'string' && typeof v.message === 'string')).toBe(true);
  });

  it('a run recorded without states is reported (RUN-STATES)', () => {
    const e = established(realStep);
    const run: RunRecord = {
      steps: [{ time: 0, node: 'a', input: { kind: 'timer' }, outputs: [] }],
      a: { addr: A, initial: e.h.ep, final: e.h.ep, deadline: null },
      b: { addr: B, initial: e.h.ep, final: e.h.ep, deadline: null },
      outcome: 'idle',
      endTime: 0,
      maxTime: 1,
      faultsSettledAt: 0,
    };
    expect(checkRunSteps(run).map((v) => v.id)).toEqual(['RUN-STATES']);
    expect(() => checkRun(run)).not.toThrow();
    expect(() => checkRun({ ...run, steps: [{ ...run.steps[0]!, before: { conns: null } as never, after: { conns: null } as never }] })).not.toThrow();
  });

  it('the catalogue has ≥ 40 invariants and every step invariant is reachable by ID', () => {
    expect(stepInvariants.length).toBeGreaterThanOrEqual(40);
    for (const i of stepInvariants) expect(invariantById(i.id)).toBe(i);
  });
});

describe('hand-built states', () => {
  it('WIN-3 (FC-3): a right edge one scale unit left of the last advertisement is reported with both edges', () => {
    const e = established(realStep);
    const c = e.conn()!;
    const ep = e.h.ep;
    const edge = (c.rcvWup + c.rcvWnd) >>> 0;
    const out = { kind: 'segment' as const, src: A, dst: B, seg: { ...seg({}), srcPort: 80, dstPort: 40000, seq: c.sndNxt, ack: c.rcvNxt, flags: ACK, window: ((edge - c.rcvNxt) >>> 0) - 1 } };
    const v = invariantById('WIN-3')!;
    expect(v.kind).toBe('step');
    if (v.kind !== 'step') return;
    const got = v.check(ctxOf(ep, { kind: 'timer' }, ep, [out]));
    expect(got?.message).toMatch(/left of the previous edge/);
  });

  it('RST-3 (RS-2): an RST one byte above RCV.NXT that closed the connection is reported', () => {
    const e = established(realStep);
    const c = e.conn()!;
    const before = e.h.ep;
    const after: Endpoint = { ...before, conns: before.conns.map((x) => (x.id === c.id ? { ...x, state: 'CLOSED' } : x)) };
    const input: Input = { kind: 'segment', src: B, dst: A, seg: seg({ seq: (c.rcvNxt + 1) >>> 0, flags: RST }) };
    const vs = checkStep(ctxOf(before, input, after));
    expect(vs.map((v) => v.id)).toContain('RST-3');
  });

  it('REL-6 (DT-4): a corrupted segment that changed a connection is reported', () => {
    const e = established(realStep);
    const before = e.h.ep;
    const after: Endpoint = { ...before, conns: before.conns.map((x) => ({ ...x })) };
    const input: Input = { kind: 'segment', src: B, dst: A, seg: seg({ flags: ACK }), checksumOk: false };
    expect(checkStep(ctxOf(before, input, after)).map((v) => v.id)).toContain('REL-6');
    expect(checkStep(ctxOf(before, input, before)).map((v) => v.id)).not.toContain('REL-6');
  });

  it('the linux profile is the default of the scripted harness', () => {
    expect(established(realStep).h.ep.profile).toBe(linux);
  });
});

describe('HDR-2 and stateless SYN cookie SYN-ACKs (LQ-4)', () => {
  const synFor = (profile: typeof linux): { before: Endpoint; input: Input; after: Endpoint; outputs: StepContext['outputs'] } => {
    let ep = createEndpoint({ profile, addr: A, peerAddr: B, seed: 1 });
    for (const call of [{ op: 'socket', fd: 3 }, { op: 'bind', fd: 3, port: 80 }, { op: 'listen', fd: 3, backlog: 8 }] as const) ep = step(ep, { kind: 'call', call }, 0).endpoint;
    const input: Input = { kind: 'segment', src: B, dst: A, seg: { ...seg({}), srcPort: 40000, dstPort: 80, flags: SYN, seq: 1000, ack: 0, options: [{ kind: 'mss', mss: 1460 }] } };
    const r = step(ep, input, 1000);
    return { before: ep, input, after: r.endpoint, outputs: r.outputs };
  };
  const hdr2 = invariantById('HDR-2')!;

  it('LQ-4 HDR-2 accepts the cookie SYN-ACK that answers this step\'s SYN, though no connection holds it', () => {
    const s = synFor({ ...linux, syncookies: 'always' });
    expect(s.outputs.filter((o) => o.kind === 'segment').length).toBe(1);
    expect(s.after.conns.length).toBe(1); // only the listener: no state kept
    expect(hdr2.kind === 'step' ? hdr2.check({ ...s, now: 1000 }) : 'not a step invariant').toBeNull();
  });

  it('LQ-4 HDR-2 still fires on a stateless SYN-ACK that acknowledges something else or comes from a profile without cookies', () => {
    const s = synFor({ ...linux, syncookies: 'always' });
    const bent = s.outputs.map((o) => (o.kind === 'segment' ? { ...o, seg: { ...o.seg, ack: (o.seg.ack + 1) >>> 0 } } : o));
    expect(hdr2.kind === 'step' ? hdr2.check({ ...s, outputs: bent, now: 1000 })?.id : 'x').toBe('HDR-2');
    const off = { ...s, before: { ...s.before, profile: { ...s.before.profile, syncookies: 'off' as const } } };
    expect(hdr2.kind === 'step' ? hdr2.check({ ...off, now: 1000 })?.id : 'x').toBe('HDR-2');
  });
});
