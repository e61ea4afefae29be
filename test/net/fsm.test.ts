/**
 * The FSM edge table holds every RFC 9293 Figure 5 edge, ids are unique, the cause classifier maps
 * the model's cause strings, and the coverage counter counts, merges and lists untouched edges.
 */
import { describe, expect, it } from 'vitest';
import {
  classifyCause,
  coverageSummary,
  coverOutputs,
  EMPTY_COVERAGE,
  FIGURE5_EDGES,
  findEdge,
  FSM_EDGES,
  isAllowed,
  mergeCoverage,
  recordTransition,
} from '../../src/net/fsm.js';

describe('FSM table (RFC 9293 §3.3.2)', () => {
  it('contains every Figure 5 edge', () => {
    const fig5: [string, string][] = [
      ['CLOSED', 'LISTEN'],
      ['CLOSED', 'SYN-SENT'],
      ['LISTEN', 'CLOSED'],
      ['LISTEN', 'SYN-RECEIVED'],
      ['LISTEN', 'SYN-SENT'],
      ['SYN-SENT', 'CLOSED'],
      ['SYN-SENT', 'SYN-RECEIVED'],
      ['SYN-SENT', 'ESTABLISHED'],
      ['SYN-RECEIVED', 'ESTABLISHED'],
      ['SYN-RECEIVED', 'FIN-WAIT-1'],
      ['SYN-RECEIVED', 'LISTEN'],
      ['ESTABLISHED', 'FIN-WAIT-1'],
      ['ESTABLISHED', 'CLOSE-WAIT'],
      ['FIN-WAIT-1', 'FIN-WAIT-2'],
      ['FIN-WAIT-1', 'CLOSING'],
      ['FIN-WAIT-2', 'TIME-WAIT'],
      ['CLOSING', 'TIME-WAIT'],
      ['CLOSE-WAIT', 'LAST-ACK'],
      ['LAST-ACK', 'CLOSED'],
      ['TIME-WAIT', 'CLOSED'],
    ];
    expect(FIGURE5_EDGES.map((e) => [e.from, e.to]).sort()).toEqual([...fig5].sort());
    for (const [f, t] of fig5) expect(isAllowed(f as never, t as never)).toBe(true);
    expect(FIGURE5_EDGES.every((e) => e.source.startsWith('RFC 9293 §3.3.2 Figure 5'))).toBe(true);
  });

  it('has the documented extras and cites a source for each edge; ids are unique', () => {
    const ids = new Set(FSM_EDGES.map((e) => e.id));
    expect(ids.size).toBe(FSM_EDGES.length);
    for (const id of ['FIN-WAIT-1>TIME-WAIT:rcv-fin', 'SYN-RECEIVED>CLOSED:rcv-rst', 'ESTABLISHED>CLOSED:rcv-rst', 'LAST-ACK>CLOSED:timeout', 'SYN-SENT>CLOSED:timeout', 'ESTABLISHED>CLOSED:abort'])
      expect(ids.has(id)).toBe(true);
    expect(FSM_EDGES.every((e) => /RFC \d+ §|\.c:/.test(e.source))).toBe(true);
    expect(isAllowed('CLOSED', 'ESTABLISHED')).toBe(false);
    expect(isAllowed('TIME-WAIT', 'ESTABLISHED')).toBe(false);
  });

  it('classifies the model cause strings', () => {
    expect(classifyCause('call listen')).toBe('open-passive');
    expect(classifyCause('call connect')).toBe('open-active');
    expect(classifyCause('rcv SYN')).toBe('rcv-syn');
    expect(classifyCause('rcv SYN (simultaneous open)')).toBe('rcv-syn');
    expect(classifyCause('rcv SYN,ACK')).toBe('rcv-syn-ack');
    expect(classifyCause('rcv ACK of SYN')).toBe('rcv-ack');
    expect(classifyCause('rcv ACK of FIN')).toBe('rcv-ack');
    expect(classifyCause('rcv FIN')).toBe('rcv-fin');
    expect(classifyCause('rcv RST')).toBe('rcv-rst');
    expect(classifyCause('call close')).toBe('close');
    expect(classifyCause('call shutdown')).toBe('close');
    expect(classifyCause('listener closed')).toBe('close');
    expect(classifyCause('call abort')).toBe('abort');
    expect(classifyCause('rcv data after close')).toBe('abort');
    expect(classifyCause('timer TIME-WAIT')).toBe('timeout');
    expect(classifyCause('timer SYN give-up')).toBe('timeout');
    expect(classifyCause('accept queue overflow')).toBe('rcv-ack');
    expect(classifyCause('something else')).toBeNull();
    expect(findEdge('SYN-SENT', 'ESTABLISHED', 'rcv SYN,ACK')?.figure5).toBe(true);
    expect(findEdge('SYN-SENT', 'ESTABLISHED', 'call close')).toBeNull();
  });

  it('coverage counter: counts, unlisted transitions, untouched edges, merge', () => {
    let cov = recordTransition(EMPTY_COVERAGE, 'CLOSED', 'SYN-SENT', 'call connect');
    cov = coverOutputs(cov, [
      { kind: 'transition', conn: 1, from: 'SYN-SENT', to: 'ESTABLISHED', cause: 'rcv SYN,ACK' },
      { kind: 'note', rule: 'x', text: 'y' },
      { kind: 'transition', conn: 1, from: 'SYN-SENT', to: 'ESTABLISHED', cause: 'rcv SYN,ACK' },
      { kind: 'transition', conn: 1, from: 'ESTABLISHED', to: 'LISTEN', cause: 'weird' },
    ]);
    expect(cov.counts).toEqual({ 'CLOSED>SYN-SENT:open-active': 1, 'SYN-SENT>ESTABLISHED:rcv-syn-ack': 2 });
    const sum = coverageSummary(cov);
    expect(sum.seen).toBe(2);
    expect(sum.total).toBe(FSM_EDGES.length);
    expect(sum.figure5Seen).toBe(2);
    expect(sum.untouched).toHaveLength(FSM_EDGES.length - 2);
    expect(sum.unlisted).toEqual([{ transition: 'ESTABLISHED>LISTEN:weird', count: 1 }]);
    const merged = mergeCoverage(cov, cov);
    expect(merged.counts['SYN-SENT>ESTABLISHED:rcv-syn-ack']).toBe(4);
    expect(merged.unlisted['ESTABLISHED>LISTEN:weird']).toBe(2);
    // A pair with a single edge absorbs an unrecognised cause (lenient classification).
    expect(recordTransition(EMPTY_COVERAGE, 'CLOSE-WAIT', 'LAST-ACK', 'app done').counts).toEqual({ 'CLOSE-WAIT>LAST-ACK:close': 1 });
  });
});
