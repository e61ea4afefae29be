/**
 * Model ↔ model over the simulated network (runPair + tcpModel): handshake, 100 kB transfer and
 * close over a clean network and under 10 % loss reach idle with every byte delivered in order
 * and end of file after the last byte, both connections finishing through the RFC 9293 close
 * sequence (CT-1, CT-2, CT-10, HS-1, DT-1, DT-5); runs are deterministic; FSM coverage sees only
 * table edges.
 */
import { describe, expect, it } from 'vitest';
import type { Output } from '../../src/model/api.js';
import type { Endpoint } from '../../src/model/index.js';
import type { FaultSchedule } from '../../src/net/faults.js';
import { cleanSchedule, randomSchedule } from '../../src/net/faults.js';
import { coverageSummary, coverOutputs, EMPTY_COVERAGE } from '../../src/net/fsm.js';
import { tcpModel } from '../../src/net/model.js';
import type { PairRunResult } from '../../src/net/pair.js';
import { runPair } from '../../src/net/pair.js';
import type { NodeId } from '../../src/net/network.js';
import type { PairScenario } from '../../src/net/types.js';
import { ACK, SYN } from '../../src/wire/types.js';
import { seqAdd, seqLe } from '../../src/wire/seq.js';

const HOUR = 3600 * 1_000_000;

function bulk(profile: string, bytes: number, faults: FaultSchedule): PairScenario {
  return {
    profile,
    seedA: 11,
    seedB: 22,
    addrA: '192.0.2.1',
    addrB: '192.0.2.2',
    calls: [
      { t: 0, node: 'b', call: { op: 'socket', fd: 3 } },
      { t: 0, node: 'b', call: { op: 'bind', fd: 3, port: 80 } },
      { t: 0, node: 'b', call: { op: 'listen', fd: 3, backlog: 8 } },
      { t: 0, node: 'a', call: { op: 'socket', fd: 3 } },
      { t: 0, node: 'a', call: { op: 'connect', fd: 3, port: 80 } },
      { t: 0, node: 'a', call: { op: 'send', fd: 3, bytes } },
      { t: 0, node: 'a', call: { op: 'close', fd: 3 } },
    ],
    app: { autoAccept: true, autoRecv: true, closeOnEof: true },
    faults,
    bounds: { maxSteps: 200_000, maxTime: HOUR },
  };
}

type Ok = Extract<PairRunResult<Endpoint>, { ok: true }>;

function run(p: PairScenario, recordStates = false): Ok {
  const r = runPair(p, tcpModel, { recordStates });
  if (!r.ok) throw new Error(r.error);
  return r;
}

/** States each connection of `node` went through, by conn id, from the transition outputs. */
function paths(r: Ok, node: NodeId): Map<number, string[]> {
  const m = new Map<number, string[]>();
  for (const st of r.record) {
    if (st.node !== node) continue;
    for (const o of st.outputs) {
      if (o.kind !== 'transition') continue;
      const l = m.get(o.conn) ?? [o.from];
      l.push(o.to);
      m.set(o.conn, l);
    }
  }
  return m;
}

/** Byte counts returned by recv on node b, in call order (0 = EOF). */
function recvResults(r: Ok): number[] {
  const out: number[] = [];
  for (const st of r.record)
    if (st.node === 'b')
      for (const o of st.outputs as Output[]) if (o.kind === 'result' && o.call.op === 'recv' && o.result.ok) out.push(o.result.value);
  return out;
}

function expectCompleteTransfer(r: Ok, bytes: number): void {
  expect(r.outcome).toBe('idle');
  expect(r.driverState.a.sent).toBe(bytes);
  expect(r.driverState.b.received).toBe(bytes);
  expect(r.driverState.b.eofs).toBe(1);
  expect(r.driverState.a.errors).toEqual([]);
  expect(r.driverState.b.errors).toEqual([]);
  // CT-10: EOF (a read of 0) only after the last byte, and exactly once.
  const reads = recvResults(r);
  expect(reads.at(-1)).toBe(0);
  expect(reads.slice(0, -1).every((n) => n > 0)).toBe(true);
  // DT-1: b's cumulative ACKs never go back, and the last one covers SYN + every byte + FIN.
  const segsOf = (node: NodeId) => r.record.filter((st) => st.node === node).flatMap((st) => st.outputs.filter((o) => o.kind === 'segment'));
  const isn = segsOf('a').find((o) => o.kind === 'segment' && (o.seg.flags & SYN) !== 0);
  const acks = segsOf('b').flatMap((o) => (o.kind === 'segment' && (o.seg.flags & ACK) !== 0 ? [o.seg.ack] : []));
  expect(isn).toBeDefined();
  if (isn?.kind === 'segment') expect(acks.at(-1)).toBe(seqAdd(isn.seg.seq, bytes + 2));
  acks.forEach((a, i) => i === 0 || expect(seqLe(acks[i - 1]!, a)).toBe(true));
  const client = paths(r, 'a');
  const server = paths(r, 'b');
  // Active closer: CT-1, CT-2 (TIME-WAIT then CLOSED after 2MSL).
  expect([...client.values()]).toEqual([['CLOSED', 'SYN-SENT', 'ESTABLISHED', 'FIN-WAIT-1', 'FIN-WAIT-2', 'TIME-WAIT', 'CLOSED']]);
  // Passive side: the listener and the accepted connection (LAST-ACK → CLOSED).
  const serverPaths = [...server.values()].map((p) => p.join(' > '));
  expect(serverPaths).toContain('CLOSED > LISTEN');
  expect(serverPaths).toContain('LISTEN > SYN-RECEIVED > ESTABLISHED > CLOSE-WAIT > LAST-ACK > CLOSED');
  // Nothing left but the listener.
  expect(r.a.endpoint.conns.filter((c) => c.state !== 'CLOSED')).toEqual([]);
  expect(r.b.endpoint.conns.filter((c) => c.state !== 'CLOSED').map((c) => c.state)).toEqual(['LISTEN']);
  expect(r.a.deadline).toBeNull();
  expect(r.b.deadline).toBeNull();
  // FSM: every transition is a table edge.
  let cov = EMPTY_COVERAGE;
  for (const st of r.record) cov = coverOutputs(cov, st.outputs);
  expect(coverageSummary(cov).unlisted).toEqual([]);
}

describe('model ↔ model over the simulated network', () => {
  for (const profile of ['linux', 'rfc9293']) {
    it(`${profile}: HS-1 handshake, 100 kB transfer, CT-1 close over a clean network`, () => {
      const r = run(bulk(profile, 100_000, cleanSchedule(1000)));
      expectCompleteTransfer(r, 100_000);
      expect(r.net.stats.lost).toBe(0);
    });

    it(`${profile}: DT-5 the same under 10 % random loss (5 seeds)`, () => {
      for (const seed of [1, 2, 3, 4, 5]) {
        const r = run(bulk(profile, 100_000, randomSchedule(seed, { drop: 0.1 }, HOUR, 1000)));
        expectCompleteTransfer(r, 100_000);
        expect(r.net.stats.lost).toBeGreaterThan(0);
      }
    });
  }

  it('deterministic: the same scenario gives a deep-equal run, before/after states included', () => {
    const p = bulk('linux', 30_000, randomSchedule(9, { drop: 0.05, duplicate: 0.05, reorder: 0.05, maxDelay: 20_000 }, HOUR, 2000));
    const r1 = run(p, true);
    const r2 = run(p, true);
    expect(r2).toEqual(r1);
    expect(r1.record[0]!.before).toBeDefined();
    // before/after chain: each step starts from the node's previous after-state.
    const last: Partial<Record<NodeId, Endpoint>> = {};
    for (const st of r1.record) {
      const prev = last[st.node];
      if (prev !== undefined) expect(st.before).toBe(prev);
      last[st.node] = st.after!;
    }
  });

  it('bad input is a typed error, not an exception', () => {
    const r = runPair({ ...bulk('linux', 1, cleanSchedule()), profile: 'no-such-profile' }, tcpModel);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/unknown profile "no-such-profile"/);
    const same = runPair({ ...bulk('linux', 1, cleanSchedule()), addrB: '192.0.2.1' }, tcpModel);
    expect(same.ok).toBe(false);
  });
});
