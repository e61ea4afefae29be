/**
 * Whole-object schemas (used by the builder and by code that gets scenarios or traces as values):
 * strictness, ranges at the uint32 edges, time order over the steps array, trace step references.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ScenarioSchema, SegmentSchema, TcpOptionSchema } from '../../src/scenario/schema.js';
import { TraceSchema } from '../../src/trace/schema.js';
import { firstIssue } from '../../src/scenario/schema-kit.js';
import { parseTrace } from '../../src/scenario/jsonl.js';

const seg = { srcPort: 1, dstPort: 2, seq: 0, ack: 0, flags: 'S.', window: 0 };

function problem(schema: { safeParse(v: unknown): { success: boolean; error?: unknown } }, v: unknown): string | null {
  const r = schema.safeParse(v) as { success: true } | { success: false; error: Parameters<typeof firstIssue>[0] };
  return r.success ? null : firstIssue(r.error);
}

describe('segment schema (DT-2: sequence numbers are uint32)', () => {
  it('accepts the uint32 edges and rejects one past them', () => {
    expect(problem(SegmentSchema, { ...seg, seq: 0, ack: 4294967295 })).toBeNull();
    expect(problem(SegmentSchema, { ...seg, ack: 4294967296 })).toBe('ack: expected integer 0..4294967295, got 4294967296');
    expect(problem(SegmentSchema, { ...seg, window: 65536 })).toBe('window: expected integer 0..65535, got 65536');
    expect(problem(SegmentSchema, { ...seg, len: -1 })).toBe('len: expected integer 0..65535, got -1');
    expect(problem(SegmentSchema, { ...seg, flags: 1.5 })).toBe('flags: expected integer 0..255 or a flags string like "S.", got 1.5');
  });

  it('normalises flags strings to the number and fills defaults', () => {
    expect(SegmentSchema.parse(seg)).toEqual({ srcPort: 1, dstPort: 2, seq: 0, ack: 0, flags: 0x12, window: 0, urgent: 0, options: [], len: 0 });
  });

  it('checks options per kind', () => {
    expect(problem(TcpOptionSchema, { kind: 'ts', val: 1 })).toBe('ecr: missing field');
    expect(problem(TcpOptionSchema, { kind: 'nop', x: 1 })).toBe('unknown field "x"');
    expect(problem(TcpOptionSchema, { kind: 'unknown', code: 30, data: [1, 256] })).toBe('data[1]: expected integer 0..255, got 256');
    expect(problem(TcpOptionSchema, { kind: 'raw', data: [0, 1] })).toBeNull();
    expect(problem(TcpOptionSchema, { kind: 'wscale', shift: 14 })).toBeNull();
  });
});

describe('scenario and trace schemas', () => {
  const header = { type: 'scenario', format: 1, name: 'x' };
  it('rejects steps whose times go backwards, at the offending step', () => {
    const steps = [
      { kind: 'wait', t: 1 },
      { kind: 'wait', t: 0.5 },
    ];
    expect(problem(ScenarioSchema, { header, steps })).toBe("steps[1].t: t 0.5 is before the previous step's t 1");
    expect(problem(ScenarioSchema, { header, steps: [{ kind: 'wait', t: 1 }, { kind: 'wait', t: 1 }] })).toBeNull();
  });

  it('rejects unknown top-level keys', () => {
    expect(problem(ScenarioSchema, { header, steps: [], extra: 1 })).toBe('unknown field "extra"');
  });

  it('the good trace fixture validates as a whole, and a dangling step reference does not', () => {
    const r = parseTrace(readFileSync('test/fixtures/good/passive-open.trace.jsonl', 'utf8'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(problem(TraceSchema, r.value)).toBeNull();
    const events = [...r.value.events, { type: 'call', t: 2_000_000, step: 99, call: { op: 'close', fd: 4 }, result: { ok: true, value: 0 } }];
    expect(problem(TraceSchema, { ...r.value, events })).toBe(`events[${events.length - 1}].step: step 99 is not in the scenario (it has 12 steps)`);
    expect(problem(TraceSchema, { ...r.value, events: [{ type: 'state', t: 0.5, fd: 3, state: 'LISTEN' }] })).toBe(
      'events[0].t: expected integer 0..9007199254740991, got 0.5',
    );
    expect(problem(TraceSchema, { ...r.value, events: [{ type: 'state', t: 0, fd: 3, state: 'SYN_SENT' }] })).toContain(
      'events[0].state: expected a TCP state name',
    );
  });
});
