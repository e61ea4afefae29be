/**
 * The simulator with a toy endpoint (test/net/toy.ts): runs to idle, reports step and time bounds,
 * is deterministic (same seed → deep-equal run), records before/after on request, and routes
 * faults through the network; plus `autoApp`'s blocking-send behaviour.
 */
import { describe, expect, it } from 'vitest';
import type { FaultSchedule } from '../../src/net/faults.js';
import { cleanSchedule, randomSchedule } from '../../src/net/faults.js';
import type { Node, ScriptedCall, SimConfig } from '../../src/net/sim.js';
import { runSim } from '../../src/net/sim.js';
import { autoApp } from '../../src/net/app.js';
import type { Toy } from './toy.js';
import { toy, toyNode, TOY_MAX_RETRIES, TOY_RTO } from './toy.js';

const A = '192.0.2.1';
const B = '192.0.2.2';

function cfg(script: ScriptedCall[], faults: FaultSchedule, extra: Partial<SimConfig<Toy, null>> = {}): SimConfig<Toy, null> {
  return {
    a: { addr: A, endpoint: toy(A, B), node: toyNode },
    b: { addr: B, endpoint: toy(B, A), node: toyNode },
    script,
    faults,
    ...extra,
  };
}

const send = (t: number, node: 'a' | 'b', bytes: number): ScriptedCall => ({ t, node, call: { op: 'send', fd: 3, bytes } });

describe('runSim with a toy endpoint', () => {
  it('nothing to do: idle at once', () => {
    const r = runSim(cfg([], cleanSchedule()));
    expect(r).toMatchObject({ outcome: 'idle', steps: 0, endTime: 0 });
  });

  it('clean network: transfer completes, run ends idle with every byte delivered', () => {
    const r = runSim(cfg([send(0, 'a', 5500), send(100, 'b', 2000)], cleanSchedule(1000)));
    expect(r.outcome).toBe('idle');
    expect(r.b.endpoint.rcvNxt).toBe(5500);
    expect(r.a.endpoint.rcvNxt).toBe(2000);
    expect(r.a.endpoint.sndUna).toBe(5500);
    expect(r.a.deadline).toBeNull();
    // 6 data segments a→b, each ACKed: a stop-and-wait round trip is 2 ms.
    const segsAB = r.record.filter((st) => st.node === 'a').flatMap((st) => st.outputs.filter((o) => o.kind === 'segment' && o.seg.len > 0));
    expect(segsAB).toHaveLength(6);
    expect(r.endTime).toBe(6 * 2000);
    expect(r.record.every((st, i) => i === 0 || st.time >= r.record[i - 1]!.time)).toBe(true);
    expect(r.record[0]!.before).toBeUndefined();
  });

  it('lossy network (15% drop, dups, reordering, corruption): still idle, all bytes, deterministic', () => {
    const faults = randomSchedule(99, { drop: 0.15, duplicate: 0.05, reorder: 0.1, corrupt: 0.05, truncate: 0.02, maxDelay: 5000 }, 10_000_000);
    const c = cfg([send(0, 'a', 30_000), send(0, 'b', 10_000)], faults, { recordStates: true });
    const r1 = runSim(c);
    const r2 = runSim(c);
    expect(r1.outcome).toBe('idle');
    expect(r1.b.endpoint.rcvNxt).toBe(30_000);
    expect(r1.a.endpoint.rcvNxt).toBe(10_000);
    expect(r1.net.stats.lost).toBeGreaterThan(0);
    expect(r1.a.endpoint.badChecksums + r1.b.endpoint.badChecksums).toBeGreaterThan(0);
    expect(r2).toEqual(r1);
    // Before/after are the endpoint states around each step, chained.
    for (let i = 0; i < r1.record.length; i++) {
      const st = r1.record[i]!;
      expect(st.before).toBeDefined();
      expect(toyNode.step(st.before!, st.input, st.time).endpoint).toEqual(st.after);
    }
    const r3 = runSim({ ...c, faults: { ...faults, random: { ...faults.random!, seed: 100 } } });
    expect(r3.record.length === r1.record.length && JSON.stringify(r3.record) === JSON.stringify(r1.record)).toBe(false);
  });

  it('step bound is reported', () => {
    const r = runSim(cfg([send(0, 'a', 50_000)], cleanSchedule(), { bounds: { maxSteps: 7 } }));
    expect(r).toMatchObject({ outcome: 'step-bound', steps: 7 });
  });

  it('time bound is reported; the clock does not pass it', () => {
    // A partition longer than the toy's retry budget: the sender keeps retransmitting.
    const faults: FaultSchedule = { ...cleanSchedule(), partitions: [{ from: 0, to: 1e12 }] };
    const r = runSim(cfg([send(0, 'a', 1000)], faults, { bounds: { maxTime: 1_000_000 } }));
    expect(r.outcome).toBe('time-bound');
    expect(r.endTime).toBeLessThanOrEqual(1_000_000);
    expect(r.endTime).toBe(5 * TOY_RTO);
    const r2 = runSim(cfg([send(0, 'a', 1000)], faults));
    expect(r2.outcome).toBe('idle');
    expect(r2.a.endpoint.retries).toBe(TOY_MAX_RETRIES);
  });

  it('a deadline in the past fires now; the clock never runs backwards', () => {
    const stuck: Node<number> = { step: (n, _i, now) => ({ endpoint: n + 1, outputs: [], deadline: now - 5 }) };
    const r = runSim<number>({
      a: { addr: A, endpoint: 0, node: stuck, deadline: 100 },
      b: { addr: B, endpoint: 0, node: stuck },
      script: [],
      faults: cleanSchedule(),
      bounds: { maxSteps: 50 },
    });
    expect(r.outcome).toBe('step-bound');
    expect(r.endTime).toBe(100);
    expect(r.record.every((st) => st.time === 100 && st.node === 'a')).toBe(true);
  });

  it('scripted calls at equal times run in script order; script left is reported', () => {
    const r = runSim(
      cfg(
        [
          { t: 5, node: 'b', call: { op: 'recv', fd: 3, bytes: 1 } },
          { t: 5, node: 'a', call: { op: 'recv', fd: 3, bytes: 2 } },
          { t: 1, node: 'a', call: { op: 'recv', fd: 3, bytes: 3 } },
          { t: 9e9, node: 'a', call: { op: 'recv', fd: 3, bytes: 4 } },
        ],
        cleanSchedule(),
        { bounds: { maxTime: 1e9 } },
      ),
    );
    expect(r.record.map((st) => [st.time, st.node, st.input.kind === 'call' && st.input.call.op === 'recv' ? st.input.call.bytes : -1])).toEqual([
      [1, 'a', 3],
      [5, 'b', 1],
      [5, 'a', 2],
    ]);
    expect(r.outcome).toBe('time-bound');
    expect(r.scriptLeft).toBe(1);
  });
});

describe('autoApp', () => {
  it('blocking send: EAGAIN/partial sends are retried on writable, close waits behind them', () => {
    const r = runSim({
      a: { addr: A, endpoint: toy(A, B, 3000), node: toyNode },
      b: { addr: B, endpoint: toy(B, A), node: toyNode },
      script: [
        { t: 0, node: 'a', call: { op: 'socket', fd: 3 } },
        { t: 0, node: 'b', call: { op: 'socket', fd: 3 } },
        { t: 10, node: 'a', call: { op: 'send', fd: 3, bytes: 10_000 } },
        { t: 10, node: 'a', call: { op: 'send', fd: 3, bytes: 500 } },
        { t: 10, node: 'a', call: { op: 'close', fd: 3 } },
      ],
      faults: cleanSchedule(100),
      driver: autoApp({ autoAccept: true, autoRecv: true, closeOnEof: false, retryOnSegment: false }),
    });
    expect(r.outcome).toBe('idle');
    expect(r.b.endpoint.rcvNxt).toBe(10_500);
    expect(r.driverState.a.sent).toBe(10_500);
    expect(r.driverState.b.received).toBe(10_500);
    const aCalls = r.record.filter((st) => st.node === 'a' && st.input.kind === 'call').map((st) => (st.input.kind === 'call' ? st.input.call : null));
    const closeIdx = aCalls.findIndex((c) => c?.op === 'close');
    const lastSend = aCalls.map((c) => c?.op).lastIndexOf('send');
    expect(closeIdx).toBeGreaterThan(lastSend);
    expect(r.driverState.a.fds[3]).toMatchObject({ closed: true, pendingSend: 0, queue: [] });
  });

  it('accept on accept-ready until EAGAIN, recv after accept (LQ-5), calls on the future fd wait for it', () => {
    const app = autoApp({ autoAccept: true, autoRecv: true, closeOnEof: true, recvChunk: 100 });
    let st = app.init;
    const step = (calls: readonly unknown[]): unknown[] => [...calls];
    // b: a listener on fd 3; a scripted send on fd 4 before fd 4 exists waits.
    let d = app.onScripted(st, 'b', { op: 'socket', fd: 3 }, 0);
    expect(d.calls).toEqual([{ op: 'socket', fd: 3 }]);
    st = d.state;
    d = app.onStep(st, 'b', { kind: 'call', call: { op: 'socket', fd: 3 } }, [{ kind: 'result', call: { op: 'socket', fd: 3 }, result: { ok: true, value: 3 } }], 0);
    st = d.state;
    d = app.onScripted(st, 'b', { op: 'send', fd: 4, bytes: 10 }, 1);
    expect(d.calls).toEqual([]);
    st = d.state;
    d = app.onStep(st, 'b', { kind: 'timer' }, [{ kind: 'event', fd: 3, event: 'accept-ready' }], 2);
    expect(step(d.calls)).toEqual([{ op: 'accept', fd: 3 }]);
    st = d.state;
    d = app.onStep(st, 'b', { kind: 'call', call: { op: 'accept', fd: 3 } }, [{ kind: 'result', call: { op: 'accept', fd: 3 }, result: { ok: true, value: 4 } }], 2);
    expect(d.calls).toEqual([
      { op: 'accept', fd: 3 },
      { op: 'recv', fd: 4, bytes: 100 },
      { op: 'send', fd: 4, bytes: 10 },
    ]);
    st = d.state;
    // recv returns a full chunk → read again; 0 → EOF → close (closeOnEof, CT-10).
    d = app.onStep(st, 'b', { kind: 'call', call: { op: 'recv', fd: 4, bytes: 100 } }, [{ kind: 'result', call: { op: 'recv', fd: 4, bytes: 100 }, result: { ok: true, value: 100 } }], 3);
    expect(d.calls).toEqual([{ op: 'recv', fd: 4, bytes: 100 }]);
    st = d.state;
    d = app.onStep(st, 'b', { kind: 'call', call: { op: 'send', fd: 4, bytes: 10 } }, [{ kind: 'result', call: { op: 'send', fd: 4, bytes: 10 }, result: { ok: true, value: 10 } }], 3);
    st = d.state;
    d = app.onStep(st, 'b', { kind: 'call', call: { op: 'recv', fd: 4, bytes: 100 } }, [{ kind: 'result', call: { op: 'recv', fd: 4, bytes: 100 }, result: { ok: true, value: 0 } }], 4);
    expect(d.calls).toEqual([{ op: 'close', fd: 4 }]);
    expect(d.state.b).toMatchObject({ received: 100, sent: 10, eofs: 1 });
    // The other node's state is untouched.
    expect(d.state.a).toBe(app.init.a);
  });

  it('connect in progress blocks later sends until connected', () => {
    const app = autoApp({ autoAccept: false, autoRecv: false, closeOnEof: false });
    let st = app.onStep(app.init, 'a', { kind: 'timer' }, [{ kind: 'result', call: { op: 'socket', fd: 3 }, result: { ok: true, value: 3 } }], 0).state;
    let d = app.onScripted(st, 'a', { op: 'connect', fd: 3, port: 80 }, 0);
    expect(d.calls).toEqual([{ op: 'connect', fd: 3, port: 80 }]);
    st = app.onStep(d.state, 'a', { kind: 'timer' }, [{ kind: 'result', call: { op: 'connect', fd: 3, port: 80 }, result: { ok: false, errno: 'EINPROGRESS' } }], 0).state;
    d = app.onScripted(st, 'a', { op: 'send', fd: 3, bytes: 5 }, 1);
    expect(d.calls).toEqual([]);
    d = app.onStep(d.state, 'a', { kind: 'timer' }, [{ kind: 'event', fd: 3, event: 'connected' }], 2);
    expect(d.calls).toEqual([{ op: 'send', fd: 3, bytes: 5 }]);
    expect(d.state.a.errors).toEqual([]);
  });
});
