/**
 * The model stack adapter: scenarios in script space run on the model and come back as traces in
 * script space, with expectations checked by the oracle (HS-1, HS-13, HD-3, RS-1).
 */
import { describe, expect, it } from 'vitest';
import { scenario, mss, sackOk, ts, nop, wscale, ok, err } from '../../src/scenario/builder.js';
import { runOnModel } from '../../src/stacks/model.js';
import { parseScenario, serializeScenario } from '../../src/scenario/jsonl.js';
import { checkExpectations } from '../../src/oracle/expect.js';
import { diffTraces, formatDifference } from '../../src/oracle/diff.js';
import { ACK, RST, SYN } from '../../src/wire/types.js';

const passiveOpen = scenario('passive open on the model', { behaviours: ['HS-1', 'HS-13'] })
  .call({ op: 'socket', fd: 3 }, ok(3))
  .call({ op: 'bind', fd: 3, port: 8080 }, ok(0))
  .call({ op: 'listen', fd: 3, backlog: 1 }, ok(0))
  .at('+0.1')
  .inject('S', { seq: 0, win: 65535, opts: [mss(1460), sackOk(), ts(100, 0), nop(), wscale(7)] })
  .expect('S.', { seq: 0, ack: 1, win: 65160, opts: [mss(1460), sackOk(), ts(0, 100), nop(), wscale(10)] })
  .call({ op: 'accept', fd: 3 }, err('EAGAIN'))
  .at('+0.01')
  .inject('.', { seq: 1, ack: 1, win: 502, opts: [nop(), nop(), ts(110, 0)] })
  .call({ op: 'accept', fd: 3 }, ok(4))
  .build();

describe('model stack (script space)', () => {
  it('HS-1 HS-13: a passive open runs on the model and meets its packetdrill-style expectations', () => {
    const trace = runOnModel(passiveOpen);
    const diffs = checkExpectations(passiveOpen, trace);
    expect(diffs.map(formatDifference)).toEqual([]);
    const outs = trace.events.filter((e) => e.type === 'out');
    expect(outs).toHaveLength(1);
    const synAck = outs[0]!;
    if (synAck.type !== 'out') throw new Error('unreachable');
    // Script space: the SUT's ISN is 0 and the ack is relative to the peer's ISN.
    expect(synAck.seg.seq).toBe(0);
    expect(synAck.seg.ack).toBe(1);
    expect(synAck.seg.flags).toBe(SYN | ACK);
    expect(trace.header.isn?.['8080/40000']?.remote).toBe(0);
  });

  it('finds a wrong expectation and names the field and both values', () => {
    const wrong = scenario('wrong window', { behaviours: ['HS-1'] })
      .call({ op: 'socket', fd: 3 }, ok(3))
      .call({ op: 'bind', fd: 3, port: 8080 }, ok(0))
      .call({ op: 'listen', fd: 3, backlog: 1 }, ok(0))
      .inject('S', { seq: 0, win: 65535, opts: [mss(1460)] })
      .expect('S.', { seq: 0, ack: 1, win: 1000, opts: [mss(1460)] })
      .build();
    const diffs = checkExpectations(wrong, runOnModel(wrong));
    expect(diffs.map(formatDifference)).toEqual(['step 3: out[0].window: expected 1000, actual 64240']);
  });

  it('RS-1: a SYN to a closed port gets RST|ACK ack = seq+1 in script space', () => {
    const s = scenario('closed port', { behaviours: ['RS-1', 'HS-11'] })
      .inject('S', { seq: 0, win: 65535, opts: [mss(1460)], dstPort: 9 })
      .build();
    const trace = runOnModel(s);
    const outs = trace.events.flatMap((e) => (e.type === 'out' ? [e.seg] : []));
    expect(outs).toHaveLength(1);
    expect(outs[0]!.flags).toBe(RST | ACK);
    expect(outs[0]!.ack).toBe(1);
    expect(outs[0]!.window).toBe(0);
  });

  it('a peerIsn near the wrap still gives script-space numbers (DT-2)', () => {
    const s = scenario('wrap', { behaviours: ['DT-2'], peerIsn: 0xfffffff0 })
      .call({ op: 'socket', fd: 3 }, ok(3))
      .call({ op: 'bind', fd: 3, port: 8080 }, ok(0))
      .call({ op: 'listen', fd: 3, backlog: 1 }, ok(0))
      .inject('S', { seq: 0, win: 65535, opts: [mss(1460)] })
      .expect('S.', { seq: 0, ack: 1, win: 64240, opts: [mss(1460)] })
      .build();
    expect(checkExpectations(s, runOnModel(s)).map(formatDifference)).toEqual([]);
  });

  it('the oracle finds no difference between two model runs with different seeds (script space hides ISNs)', () => {
    const a = runOnModel(passiveOpen, { seed: 1 });
    const b = runOnModel(passiveOpen, { seed: 99 });
    expect(a.header.isn?.['8080/40000']?.local).not.toBe(b.header.isn?.['8080/40000']?.local);
    expect(diffTraces(a, b).map(formatDifference)).toEqual([]);
  });
});

describe('scenario sysctls change the model profile like the kernel', () => {
  it('HS-9: tcp_timestamps=0 and tcp_sack=0 remove those options from the SYN-ACK; window becomes 64240', () => {
    const s = scenario('no ts no sack', { behaviours: ['HS-9'], sysctls: { tcp_timestamps: 0, tcp_sack: 0 } })
      .call({ op: 'socket', fd: 3 }, ok(3))
      .call({ op: 'bind', fd: 3, port: 8080 }, ok(0))
      .call({ op: 'listen', fd: 3, backlog: 1 }, ok(0))
      .inject('S', { seq: 0, win: 65535, opts: [mss(1460), sackOk(), ts(100, 0), nop(), wscale(7)] })
      .expect('S.', { seq: 0, ack: 1, win: 64240, opts: [mss(1460), nop(), wscale(10)] })
      .build();
    expect(checkExpectations(s, runOnModel(s)).map(formatDifference)).toEqual([]);
  });

  it('a malformed sysctl value is an error naming it; an unmodelled one is recorded in the trace', () => {
    const bad = scenario('bad sysctl', { sysctls: { tcp_rmem: '1 2' } }).wait('+0.1').build();
    expect(() => runOnModel(bad)).toThrow(/tcp_rmem: expected "min default max", got "1 2"/);
    const unmod = scenario('unmodelled', { sysctls: { tcp_ecn: 1, tcp_no_metrics_save: 1 } }).wait('+0.1').build();
    expect(runOnModel(unmod).header.meta?.['unmodelledSysctls']).toBe('tcp_ecn');
  });

  it('DT-4 an inject step marked with a bad TCP checksum survives the file format and reaches the model as a corrupted segment', () => {
    const s = scenario('bad checksum', { behaviours: ['DT-4'] })
      .call({ op: 'socket', fd: 3 }, ok(3))
      .call({ op: 'bind', fd: 3, port: 8080 }, ok(0))
      .call({ op: 'listen', fd: 3, backlog: 8 }, ok(0))
      .at('+0.01')
      .inject('S', { seq: 0, win: 65535, opts: [mss(1460)], badChecksum: true })
      .at('+0.01')
      .inject('S', { seq: 0, win: 65535, opts: [mss(1460)] })
      .build();
    const text = serializeScenario(s);
    expect(text).toContain('"corrupt":"tcp-checksum"');
    const back = parseScenario(text);
    expect(back.ok).toBe(true);
    if (!back.ok) return;
    expect(back.value).toEqual(s);
    const outs = runOnModel(back.value).events.filter((e) => e.type === 'out');
    expect(outs.map((e) => (e.type === 'out' ? [e.t, e.seg.flags] : null))).toEqual([[20_000, SYN | ACK]]);
  });
});

