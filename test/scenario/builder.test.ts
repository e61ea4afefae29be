/**
 * The scenario builder DSL: ports filled from bind/connect and the endpoint options, sequence
 * numbers kept in script space, relative and absolute times, option helpers, packetdrill ranges,
 * and validation through the schema on build().
 */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_EPHEMERAL_PORT,
  err,
  mss,
  nop,
  ok,
  parseRange,
  sack,
  sackOk,
  scenario,
  ts,
  wscale,
} from '../../src/scenario/builder.js';
import { ScenarioSchema } from '../../src/scenario/schema.js';
import { parseScenario, serializeScenario } from '../../src/scenario/jsonl.js';
import { ACK, PSH, SYN } from '../../src/wire/types.js';

function passiveOpen() {
  return scenario('passive open', { behaviours: ['HS-1', 'HS-13'], profile: 'linux' })
    .call({ op: 'socket', fd: 3 }, ok(3))
    .call({ op: 'bind', fd: 3, port: 8080 }, ok(0))
    .call({ op: 'listen', fd: 3, backlog: 1 }, ok(0))
    .at('+0')
    .inject('S', { seq: 0, win: 65535, opts: [mss(1460), sackOk(), ts(100, 0), nop(), wscale(7)] })
    .expect('S.', { seq: 0, ack: 1, win: 65160, opts: [mss(1460), sackOk(), ts(0, 100), nop(), wscale(7)] })
    .at('+0.1')
    .inject('.', { seq: 1, ack: 1, win: 257 })
    .call({ op: 'accept', fd: 3 }, ok(4))
    .at('+0.1')
    .at('+0.1')
    .inject('P.', '1:1001(1000)', { ack: 1, win: 257 })
    .wait('+1.5')
    .build();
}

describe('scenario builder (HS-1, HS-13 passive open)', () => {
  it('fills ports: inject remote → local, expect local → remote', () => {
    const s = passiveOpen();
    const segs = s.steps.flatMap((st) => (st.kind === 'inject' || st.kind === 'expect' ? [[st.kind, st.seg] as const] : []));
    for (const [kind, seg] of segs) {
      if (kind === 'inject') expect([seg.srcPort, seg.dstPort]).toEqual([40000, 8080]);
      else expect([seg.srcPort, seg.dstPort]).toEqual([8080, 40000]);
    }
    expect(segs).toHaveLength(4);
  });

  it('keeps sequence numbers relative (script space) and parses flags and ranges', () => {
    const s = passiveOpen();
    const [syn, synAck, ack, data] = s.steps.filter((st) => st.kind === 'inject' || st.kind === 'expect');
    expect(syn).toMatchObject({ kind: 'inject', seg: { seq: 0, ack: 0, flags: SYN, window: 65535 } });
    expect(synAck).toMatchObject({ kind: 'expect', seg: { seq: 0, ack: 1, flags: SYN | ACK, window: 65160 } });
    expect(ack).toMatchObject({ kind: 'inject', seg: { seq: 1, ack: 1, flags: ACK, len: 0 } });
    expect(data).toMatchObject({ kind: 'inject', seg: { seq: 1, ack: 1, flags: PSH | ACK, len: 1000 } });
    expect(synAck?.kind === 'expect' && synAck.seg.options).toEqual([
      { kind: 'mss', mss: 1460 },
      { kind: 'sackOk' },
      { kind: 'ts', val: 0, ecr: 100 },
      { kind: 'nop' },
      { kind: 'wscale', shift: 7 },
    ]);
  });

  it('turns relative steps into absolute times without float drift', () => {
    const s = passiveOpen();
    expect(s.steps.map((st) => st.t)).toEqual([0, 0, 0, 0, 0, 0.1, 0.1, 0.3, 1.8]);
    expect(s.steps[s.steps.length - 1]).toEqual({ kind: 'wait', t: 1.8 });
  });

  it('produces a header with defaults and validates with the schema', () => {
    const s = passiveOpen();
    expect(s.header).toEqual({
      type: 'scenario',
      format: 1,
      name: 'passive open',
      behaviours: ['HS-1', 'HS-13'],
      profile: 'linux',
      ipVersion: 4,
      local: { addr: '192.0.2.1' },
      remote: { addr: '192.0.2.2' },
      peerIsn: 0,
    });
    expect(ScenarioSchema.safeParse(s).success).toBe(true);
    expect(parseScenario(serializeScenario(s))).toEqual({ ok: true, value: s });
  });

  it('active open (HS-11): remote port from connect, local ephemeral default; absolute at()', () => {
    const s = scenario('refused', { behaviours: ['HS-11'] })
      .call({ op: 'socket', fd: 3 }, ok(3))
      .call({ op: 'connect', fd: 3, port: 8080 }, err('EINPROGRESS'))
      .expect('S', { seq: 0, win: 64240, opts: [mss(1460)] })
      .at('0.25')
      .inject('R.', { seq: 0, ack: 1, win: 0 })
      .at(1)
      .call({ op: 'close', fd: 3 }, ok(0))
      .build();
    expect(s.steps[2]).toMatchObject({ t: 0, seg: { srcPort: DEFAULT_EPHEMERAL_PORT, dstPort: 8080 } });
    expect(s.steps[3]).toMatchObject({ t: 0.25, seg: { srcPort: 8080, dstPort: DEFAULT_EPHEMERAL_PORT } });
    expect(s.steps[4]).toMatchObject({ t: 1 });
  });

  it('endpoint options, per-segment port overrides, IPv6, notes and sack()', () => {
    const s = scenario('v6', { ipVersion: 6, local: { port: 80 }, remote: { addr: '2001:db8::77', port: 1234 }, peerIsn: 5 })
      .inject('S', { seq: 0 })
      .inject('S', { seq: 0, srcPort: 1235 })
      .note('second client')
      .expect('.', { seq: 1, ack: 1, win: 100, opts: [sack([1, 2], [3, 4])] })
      .build();
    expect(s.header.local).toEqual({ addr: '2001:db8::1' });
    expect(s.header.remote).toEqual({ addr: '2001:db8::77' });
    expect(s.header.peerIsn).toBe(5);
    expect(s.steps[0]).toMatchObject({ seg: { srcPort: 1234, dstPort: 80 } });
    expect(s.steps[1]).toMatchObject({ seg: { srcPort: 1235, dstPort: 80 }, note: 'second client' });
    expect(s.steps[2]).toMatchObject({ seg: { options: [{ kind: 'sack', blocks: [{ left: 1, right: 2 }, { left: 3, right: 4 }] }] } });
  });

  it('throws on misuse, naming the problem', () => {
    expect(() => scenario('x').inject('S', { seq: 0 })).toThrow('the local port is unknown');
    expect(() => scenario('x', { local: { port: 1 } }).inject('S', {})).toThrow('seq is required');
    expect(() => scenario('x', { local: { port: 1 } }).inject('S.', { seq: 0 })).toThrow('ack is required');
    expect(() => scenario('x', { local: { port: 1 } }).expect('S', { seq: 0 })).toThrow('win is required');
    expect(() => scenario('x').at(2).at(1)).toThrow('before the current');
    expect(() => scenario('x').inject('SX', { seq: 0 })).toThrow('unknown letter "X"');
    expect(() => scenario('x', { behaviours: ['hs1'] }).build()).toThrow('scenario "x": header.behaviours[0]: expected a behaviour ID like "HS-1", got "hs1"');
    expect(() => scenario('x', { local: { port: 1 } }).inject('S', { seq: 2 ** 32 }).build()).toThrow(
      'steps[0].seg.seq: expected integer 0..4294967295, got 4294967296',
    );
    expect(() => parseRange('1:1000(1000)')).toThrow('1 + 1000 is not 1000');
    expect(() => parseRange('1-1001')).toThrow('bad segment range');
  });
});
