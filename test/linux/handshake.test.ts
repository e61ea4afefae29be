/**
 * The live kernel over TUN: handshakes and a first data segment, recorded in a private namespace
 * and checked field by field (script space: sequence numbers relative to each side's ISN).
 * Expected values are this machine's kernel (6.18, tcp_rmem[2] 32 MiB → wscale 10); see
 * docs/linux-reference.md §2.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { LinuxStack } from '../../src/stacks/linux/index.js';
import type { Trace } from '../../src/trace/types.js';
import { ACK, PSH, RST, SYN } from '../../src/wire/types.js';
import { kinds, linuxTestsEnabled, outs, scenario, seg, SYN_OPTIONS, traceProblem, tsOpts } from './helpers.js';

const enabled = linuxTestsEnabled();

describe.skipIf(!enabled)('linux stack over TUN: handshakes', () => {
  const stack = new LinuxStack({ workers: 1 });
  afterAll(() => stack.close());

  const passive = scenario('passive-open', [
    { kind: 'call', t: 0, call: { op: 'socket', fd: 3 } },
    { kind: 'call', t: 0, call: { op: 'bind', fd: 3, port: 8080 } },
    { kind: 'call', t: 0, call: { op: 'listen', fd: 3, backlog: 10 } },
    { kind: 'inject', t: 0, seg: seg({ srcPort: 40000, dstPort: 8080, flags: SYN, options: SYN_OPTIONS }) },
    { kind: 'inject', t: 0.01, seg: seg({ srcPort: 40000, dstPort: 8080, seq: 1, ack: 1, flags: ACK, window: 502, options: tsOpts(110, 0) }) },
    { kind: 'call', t: 0.01, call: { op: 'accept', fd: 3 } },
    { kind: 'inject', t: 0.02, seg: seg({ srcPort: 40000, dstPort: 8080, seq: 1, ack: 1, flags: ACK | PSH, window: 502, len: 1000, options: tsOpts(120, 0) }) },
    { kind: 'call', t: 0.03, call: { op: 'recv', fd: 4, bytes: 2000 } },
  ]);

  let passiveTrace: Trace;

  it('HS-1 HS-9 passive open: SYN-ACK S. ack 1 win 65160 <mss 1460,sackOK,TS,nop,wscale 10>', async () => {
    passiveTrace = await stack.run(passive);
    expect(traceProblem(passiveTrace)).toBe('');
    const out = outs(passiveTrace.events);
    const synAck = out[0]!;
    expect(synAck.flags).toBe(SYN | ACK);
    expect(synAck.seq).toBe(0);
    expect(synAck.ack).toBe(1);
    expect(synAck.srcPort).toBe(8080);
    expect(synAck.dstPort).toBe(40000);
    expect(synAck.window).toBe(65160);
    expect(kinds(synAck)).toEqual(['mss', 'sackOk', 'ts', 'nop', 'wscale']);
    expect(synAck.options[0]).toEqual({ kind: 'mss', mss: 1460 });
    expect(synAck.options[2]).toEqual({ kind: 'ts', val: 0, ecr: 100 });
    expect(synAck.options[4]).toEqual({ kind: 'wscale', shift: 10 });
    // The header keeps the absolute ISNs and the context of the recording.
    const isn = passiveTrace.header.isn?.['8080/40000'];
    expect(isn?.remote).toBe(1_000_000);
    expect(typeof isn?.local).toBe('number');
    expect(passiveTrace.header.stack).toBe('linux');
    expect(passiveTrace.header.kernel).toMatch(/^\d+\.\d+/);
    expect(passiveTrace.header.sysctls?.['net.ipv4.tcp_no_metrics_save']).toBe('1');
    expect(passiveTrace.header.sysctls?.['net.ipv4.tcp_autocorking']).toBe('0');
    expect(passiveTrace.header.sysctls?.['net.core.somaxconn']).toMatch(/^\d+$/);
  });

  it('HS-13 LQ-5 passive open: accept returns fd 4 after the third ACK; 1000 bytes are ACKed at once and read', () => {
    const calls = passiveTrace.events.flatMap((e) => (e.type === 'call' ? [e] : []));
    expect(calls.map((c) => c.result)).toEqual([
      { ok: true, value: 3 },
      { ok: true, value: 0 },
      { ok: true, value: 0 },
      { ok: true, value: 4 },
      { ok: true, value: 1000 },
    ]);
    const out = outs(passiveTrace.events);
    // Nothing answers the third ACK; the data segment is ACKed immediately: a new connection is in
    // quick-ACK mode (tcp_input.c:tcp_incr_quickack via tcp_init_transfer), so no 40 ms delay.
    expect(out).toHaveLength(2);
    const dataAck = out[1]!;
    expect(dataAck.flags).toBe(ACK);
    expect(dataAck.seq).toBe(1);
    expect(dataAck.ack).toBe(1001);
    expect(dataAck.len).toBe(0);
    // 64 << 10 would exceed the free space left by 1000 queued bytes, so the window reads 63.
    expect(dataAck.window).toBe(63);
    expect(dataAck.options).toEqual(tsOptsRel(dataAck, 120));
    const inData = passiveTrace.events.find((e) => e.type === 'in' && e.seg.len === 1000)!;
    const ackEv = passiveTrace.events.find((e) => e.type === 'out' && e.seg.ack === 1001)!;
    expect(ackEv.t - inData.t).toBeLessThan(2000);
    const events = passiveTrace.events.flatMap((e) => (e.type === 'event' ? [[e.fd, e.event]] : []));
    expect(events).toEqual([
      [3, 'accept-ready'],
      [4, 'readable'],
    ]);
  });

  it('FSM TCP_INFO reads LISTEN on the listener and ESTABLISHED after the handshake', () => {
    const states = passiveTrace.events.flatMap((e) => (e.type === 'state' ? [[e.fd, e.state]] : []));
    expect(states).toEqual([
      [3, 'CLOSED'],
      [3, 'LISTEN'],
      [4, 'ESTABLISHED'],
    ]);
    const est = passiveTrace.events.find((e) => e.type === 'state' && e.state === 'ESTABLISHED');
    expect(est?.type === 'state' ? est.info?.['snd_wscale'] : undefined).toBe(7);
    expect(est?.type === 'state' ? est.info?.['rcv_wscale'] : undefined).toBe(10);
  });

  it('HS-1 HS-13 active open: SYN win 64240 <mss,sackOK,TS,nop,wscale 10>; the ACK of the SYN-ACK has window 63', async () => {
    const trace = await stack.run(
      scenario('active-open', [
        { kind: 'call', t: 0, call: { op: 'socket', fd: 3 } },
        { kind: 'call', t: 0, call: { op: 'connect', fd: 3, port: 9000 }, expect: { ok: false, errno: 'EINPROGRESS' } },
        {
          kind: 'inject',
          t: 0.005,
          seg: seg({ srcPort: 9000, dstPort: 50000, ack: 1, flags: SYN | ACK, window: 65160, options: [...SYN_OPTIONS.slice(0, 2), { kind: 'ts', val: 500, ecr: 0 }, { kind: 'nop' }, { kind: 'wscale', shift: 7 }] }),
        },
      ]),
    );
    expect(traceProblem(trace)).toBe('');
    const out = outs(trace.events);
    expect(out).toHaveLength(2);
    const syn = out[0]!;
    expect(syn.flags).toBe(SYN);
    expect(syn.seq).toBe(0);
    expect(syn.srcPort).toBe(50000);
    expect(syn.dstPort).toBe(9000);
    expect(syn.window).toBe(64240);
    expect(kinds(syn)).toEqual(['mss', 'sackOk', 'ts', 'nop', 'wscale']);
    expect(syn.options[4]).toEqual({ kind: 'wscale', shift: 10 });
    const ack = out[1]!;
    expect(ack.flags).toBe(ACK);
    expect(ack.seq).toBe(1);
    expect(ack.ack).toBe(1);
    expect(ack.window).toBe(63);
    expect(ack.options[2]).toMatchObject({ kind: 'ts', ecr: 500 });
    const call = trace.events.find((e) => e.type === 'call' && e.call.op === 'connect');
    expect(call?.type === 'call' ? call.result : undefined).toEqual({ ok: false, errno: 'EINPROGRESS' });
    const ev = trace.events.flatMap((e) => (e.type === 'event' ? [e.event] : []));
    expect(ev).toEqual(['connected']);
    const states = trace.events.flatMap((e) => (e.type === 'state' ? [e.state] : []));
    expect(states).toEqual(['CLOSED', 'SYN-SENT', 'ESTABLISHED']);
  });

  it('HS-11 SYN to a closed port: RST|ACK seq 0 ack 1 window 0, no options', async () => {
    const trace = await stack.run(
      scenario('closed-port', [{ kind: 'inject', t: 0, seg: seg({ srcPort: 40001, dstPort: 8081, flags: SYN, options: SYN_OPTIONS }) }]),
      { profile: 'rfc9293' },
    );
    expect(trace.header.profile).toBe('rfc9293');
    expect(trace.header.isn).toEqual({});
    const out = outs(trace.events);
    expect(out).toEqual([{ srcPort: 8081, dstPort: 40001, seq: 0, ack: 1, flags: RST | ACK, window: 0, urgent: 0, options: [], len: 0 }]);
  });
});

/** The TS option the kernel puts on a pure ACK: nop, nop, TS with ecr = the peer's last TSval. */
function tsOptsRel(s: { options: readonly unknown[] }, ecr: number): unknown[] {
  const ts = s.options[2] as { kind: string; val: number };
  return [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'ts', val: ts.val, ecr }];
}
