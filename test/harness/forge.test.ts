/**
 * The harness checker (src/harness/check.ts) and forged segments (forge.ts): a forged segment is
 * built from the victim's connection at arrival time (RCV.NXT + seqOff, SND.NXT + ackOff, its
 * ports), it is a real model step that invariants check, a forged RST exactly at RCV.NXT resets the
 * connection (RS-2, RFC 9293 §3.10.7.4 second check), and `direct` calls bypass the app's ordering
 * (close() in SYN-SENT). A model that throws is reported as MODEL-THROW, an unknown profile as
 * HARNESS-SETUP.
 */
import { describe, expect, it } from 'vitest';
import type { Endpoint } from '../../src/model/types.js';
import type { PairCall, PairScenario } from '../../src/net/types.js';
import type { PairModel } from '../../src/net/pair.js';
import { tcpModel } from '../../src/net/model.js';
import { runCase } from '../../src/harness/check.js';
import type { HarnessCase } from '../../src/harness/case.js';
import { catalogueInvariants } from '../../src/harness/invariant-set.js';
import { RST } from '../../src/wire/types.js';

const MS = 1000;
const base = (calls: PairCall[], extra: Partial<PairScenario> = {}): PairScenario => ({
  profile: 'linux',
  seedA: 1,
  seedB: 2,
  addrA: '192.0.2.1',
  addrB: '192.0.2.2',
  calls,
  app: { autoAccept: true, autoRecv: true, closeOnEof: false },
  faults: { latency: { ab: MS, ba: MS }, rules: [], partitions: [] },
  bounds: { maxSteps: 5000, maxTime: 600_000_000 },
  ...extra,
});
const connect: PairCall[] = [
  { t: 0, node: 'b', call: { op: 'socket', fd: 3 } },
  { t: 0, node: 'b', call: { op: 'bind', fd: 3, port: 80 } },
  { t: 0, node: 'b', call: { op: 'listen', fd: 3, backlog: 4 } },
  { t: 0, node: 'a', call: { op: 'socket', fd: 3 } },
  { t: 0, node: 'a', call: { op: 'connect', fd: 3, port: 80 } },
];
const none = { step: [], run: [] };

describe('forged segments and the checker', () => {
  it('RS-2: a forged RST at exactly RCV.NXT, built from the victim’s state, resets the ESTABLISHED connection', () => {
    const c: HarnessCase = { pair: base(connect), injections: [{ t: 50 * MS, to: 'a', flags: RST, seqOff: 0, ackOff: 0, len: 0, window: 0 }] };
    const r = runCase(c, tcpModel, catalogueInvariants);
    const rec = r.sim!.record;
    const inj = rec.find((s) => s.after?.injected != null)!;
    expect(inj.node).toBe('a');
    expect(inj.time).toBe(50 * MS);
    const before = inj.before!.inner.conns.find((x) => x.state === 'ESTABLISHED')!;
    const input = inj.after!.injected!;
    if (input.kind !== 'segment') throw new Error('not a segment');
    expect(input.seg.seq).toBe(before.rcvNxt);
    expect(input.seg.srcPort).toBe(before.remotePort);
    expect(input.seg.dstPort).toBe(before.localPort);
    expect(input.src).toBe('192.0.2.2');
    expect(inj.outputs.some((o) => o.kind === 'transition' && o.from === 'ESTABLISHED' && o.to === 'CLOSED')).toBe(true);
    expect(r.verdict.coverage.counts['ESTABLISHED>CLOSED:rcv-rst']).toBe(1);
  });

  it('direct calls are not held back by the app: close() in SYN-SENT takes SYN-SENT → CLOSED', () => {
    const calls = connect.slice(3);
    const c: HarnessCase = { pair: base(calls), injections: [], direct: [{ t: 0, node: 'a', call: { op: 'close', fd: 3 } }] };
    const r = runCase(c, tcpModel, none);
    expect(r.verdict.coverage.counts['SYN-SENT>CLOSED:close']).toBe(1);
    const held = runCase({ pair: base([...calls, { t: 0, node: 'a', call: { op: 'close', fd: 3 } }]), injections: [] }, tcpModel, none);
    expect(held.verdict.coverage.counts['SYN-SENT>CLOSED:close']).toBeUndefined();
  });

  it('a step that throws is MODEL-THROW; an unknown profile is HARNESS-SETUP; checks are counted', () => {
    const throwing: PairModel<Endpoint> = {
      createEndpoint: tcpModel.createEndpoint,
      node: {
        step: (e, i, now) => {
          if (i.kind === 'call' && i.call.op === 'connect') throw new Error('boom');
          return tcpModel.node.step(e, i, now);
        },
      },
    };
    expect(runCase({ pair: base(connect), injections: [] }, throwing, none).verdict.violation?.id).toBe('MODEL-THROW');
    expect(runCase({ pair: base(connect, { profile: 'nope' }), injections: [] }, tcpModel, none).verdict.violation?.id).toBe('HARNESS-SETUP');
    const ok = runCase({ pair: base(connect), injections: [] }, tcpModel, catalogueInvariants).verdict;
    expect(ok.checks).toBe(ok.steps * catalogueInvariants.step.length + catalogueInvariants.run.length);
  });
});
