/**
 * JSONL reading and writing: good files round-trip (parse → serialize → parse gives the same
 * value, and canonical files are byte-identical after a round trip); defaults, comments and flag
 * strings; in-memory error cases.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseDocument, parseScenario, parseTrace, serializeScenario, serializeTrace, serializeDocument } from '../../src/scenario/jsonl.js';
import { ACK, PSH, RST, SYN } from '../../src/wire/types.js';

const good = (name: string): string => readFileSync(`test/fixtures/good/${name}`, 'utf8');

describe('good fixtures round-trip', () => {
  it('passive-open.jsonl (HS-1, HS-13): parse → serialize is byte-identical, → parse is equal', () => {
    const text = good('passive-open.jsonl');
    const a = parseScenario(text);
    expect(a.ok).toBe(true);
    if (!a.ok) return;
    const out = serializeScenario(a.value);
    expect(out).toBe(text);
    const b = parseScenario(out);
    expect(b).toEqual(a);
    expect(a.value.steps).toHaveLength(12);
    const syn = a.value.steps[3];
    expect(syn?.kind === 'inject' && syn.seg.flags).toBe(SYN);
    const synAck = a.value.steps[4];
    expect(synAck?.kind === 'expect' && synAck.seg.flags).toBe(SYN | ACK);
  });

  it('passive-open.trace.jsonl round-trips byte-identically', () => {
    const text = good('passive-open.trace.jsonl');
    const a = parseTrace(text);
    expect(a.ok).toBe(true);
    if (!a.ok) return;
    expect(serializeTrace(a.value)).toBe(text);
    expect(parseTrace(serializeTrace(a.value))).toEqual(a);
    expect(a.value.header.isn?.['8080/40000']).toEqual({ local: 3000000000, remote: 4294967000, tsBase: 12345 });
    expect(a.value.events.filter((e) => e.type === 'out')).toHaveLength(2);
  });

  it('handwritten.jsonl: comments, blank lines, defaults and numeric flags (HS-11)', () => {
    const a = parseScenario(good('handwritten.jsonl'));
    expect(a.ok).toBe(true);
    if (!a.ok) return;
    const h = a.value.header;
    expect(h.ipVersion).toBe(4);
    expect(h.local).toEqual({ addr: '192.0.2.1' });
    expect(h.remote).toEqual({ addr: '192.0.2.2' });
    expect(h.peerIsn).toBe(0);
    expect(a.value.steps[2]).toEqual({
      kind: 'expect',
      t: 0,
      seg: { srcPort: 50000, dstPort: 8080, seq: 0, ack: 0, flags: SYN, window: 64240, urgent: 0, options: [{ kind: 'mss', mss: 1460 }], len: 0 },
    });
    const rst = a.value.steps[3];
    expect(rst?.kind === 'inject' && rst.seg.flags).toBe(RST | ACK);
    const text = serializeScenario(a.value);
    expect(text).toContain('"flags":"S"');
    expect(text).toContain('"flags":"R."');
    expect(parseScenario(text)).toEqual(a);
  });

  it('parseDocument decides by the header; the wrong reader says so', () => {
    const s = parseDocument(good('passive-open.jsonl'));
    const t = parseDocument(good('passive-open.trace.jsonl'));
    expect(s.ok && s.value.kind).toBe('scenario');
    expect(t.ok && t.value.kind).toBe('trace');
    if (s.ok) expect(serializeDocument(s.value)).toBe(good('passive-open.jsonl'));
    expect(parseScenario(good('passive-open.trace.jsonl'))).toEqual({ ok: false, error: { line: 1, message: 'expected a scenario, found a trace header' } });
    expect(parseTrace(good('passive-open.jsonl'))).toEqual({ ok: false, error: { line: 1, message: 'expected a trace, found a scenario header' } });
  });
});

describe('in-memory error cases', () => {
  const H = '{"type":"scenario","format":1,"name":"x"}';
  const seg = '"srcPort":1,"dstPort":2,"seq":0,"ack":0,"window":0';
  const cases: [string, string, number, string][] = [
    ['non-integer seq', `${H}\n{"kind":"inject","t":0,"seg":{${seg.replace('"seq":0', '"seq":1.5')},"flags":"S"}}`, 2, 'step 0: seg.seq: expected integer 0..4294967295, got 1.5'],
    ['missing seg field', `${H}\n{"kind":"inject","t":0,"seg":{"srcPort":1,"dstPort":2,"seq":0,"window":0,"flags":"S"}}`, 2, 'step 0: seg.ack: missing field'],
    ['repeated flag letter', `${H}\n{"kind":"inject","t":0,"seg":{${seg},"flags":"SS"}}`, 2, 'step 0: seg.flags: flags "SS": letter "S" repeated'],
    ['empty flags string', `${H}\n{"kind":"inject","t":0,"seg":{${seg},"flags":""}}`, 2, 'step 0: seg.flags: flags string is empty (write "none" for no flags)'],
    ['step without kind', `${H}\n{"t":0}`, 2, 'step 0: missing field "kind"'],
    ['header without name', '{"type":"scenario","format":1}', 1, 'header: name: missing field'],
    ['unknown header field', '{"type":"scenario","format":1,"name":"x","nmae":"y"}', 1, 'header: unknown field "nmae"'],
    ['sack block out of range', `${H}\n{"kind":"inject","t":0,"seg":{${seg},"flags":".","options":[{"kind":"sack","blocks":[{"left":0,"right":4294967296}]}]}}`, 2, 'step 0: seg.options[0].blocks[0].right: expected integer 0..4294967295, got 4294967296'],
    ['infinite-ish time', `${H}\n{"kind":"wait","t":1e400}`, 2, 'step 0: t: expected a finite number ≥ 0 (seconds), got Infinity'],
    ['CRLF line endings are fine until a bad line', `${H}\r\n{"kind":"wait","t":0}\r\n{"kind":"wait"}\r\n`, 3, 'step 1: t: missing field'],
  ];
  for (const [name, text, line, message] of cases) {
    it(name, () => {
      expect(parseScenario(text)).toEqual({ ok: false, error: { line, message } });
    });
  }

  it('accepts "none" flags and writes 0 back as "none"', () => {
    const r = parseScenario(`${H}\n{"kind":"inject","t":0,"seg":{${seg},"flags":"none"}}`);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const step = r.value.steps[0];
    expect(step?.kind === 'inject' && step.seg.flags).toBe(0);
    expect(serializeScenario(r.value)).toContain('"flags":"none"');
  });

  it('accepts flag letters in any order (".P" = PSH|ACK) and writes tcpdump order', () => {
    const r = parseScenario(`${H}\n{"kind":"inject","t":0,"seg":{${seg},"flags":".P"}}`);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const step = r.value.steps[0];
    expect(step?.kind === 'inject' && step.seg.flags).toBe(PSH | ACK);
    expect(serializeScenario(r.value)).toContain('"flags":"P."');
  });
});
