/**
 * `step` is pure and deterministic: a deep-frozen endpoint survives any run of inputs untouched, and
 * the same inputs from the same endpoint give deeply equal results twice.
 */
import { describe, expect, it } from 'vitest';
import type { Input } from '../../src/model/api.js';
import type { Endpoint } from '../../src/model/types.js';
import { step } from '../../src/model/step.js';
import { linux, rfc9293 } from '../../src/model/profiles.js';
import { ACK, FIN, PSH, RST, SYN } from '../../src/wire/types.js';
import { seqAdd } from '../../src/wire/seq.js';
import { HOST } from './helpers.js';
import { everyState } from './states.js';

function deepFreeze<T>(o: T): T {
  if (o !== null && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o as Record<string, unknown>)) deepFreeze(v);
  }
  return o;
}

function script(ep: Endpoint, peer: string, peerPort: number, hostPort: number, fd: number): Input[] {
  const c = ep.conns.find((x) => x.localPort === hostPort && x.remotePort === peerPort) ?? ep.conns[0]!;
  const s = (flags: number, seq: number, ack: number, len = 0): Input => ({
    kind: 'segment', src: peer, dst: HOST,
    seg: { srcPort: peerPort, dstPort: hostPort, seq, ack, flags, window: 300, urgent: 0, options: [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'ts', val: 9000, ecr: 1 }], len },
  });
  return [
    s(ACK | PSH, c.rcvNxt, c.sndNxt, 500),
    s(ACK, seqAdd(c.rcvNxt, 2000), c.sndNxt, 100),
    { kind: 'call', call: { op: 'send', fd, bytes: 5000 } },
    { kind: 'call', call: { op: 'recv', fd, bytes: 100 } },
    s(SYN, 5, 0),
    s(RST, seqAdd(c.rcvNxt, 3), 0),
    s(FIN | ACK, seqAdd(c.rcvNxt, 500), c.sndNxt),
    { kind: 'timer' },
    { kind: 'call', call: { op: 'close', fd } },
    s(ACK, c.rcvNxt, seqAdd(c.sndNxt, 100000)),
    { kind: 'timer' },
  ];
}

function run(ep: Endpoint, now: number, inputs: Input[]) {
  const results = [];
  let cur = ep;
  let t = now;
  for (const i of inputs) {
    t += 30_000;
    const r = step(cur, i, t);
    results.push({ outputs: r.outputs, deadline: r.deadline });
    cur = r.endpoint;
    if (r.deadline !== null && i.kind === 'timer') t = Math.max(t, r.deadline);
  }
  return { results, final: cur };
}

describe('purity and determinism', () => {
  for (const profile of [linux, rfc9293]) {
    for (const f of everyState(profile)) {
      it(`a deep-frozen ${f.state} endpoint is never mutated and the same inputs give the same results (${profile.name})`, () => {
        const frozen = deepFreeze(structuredClone(f.ep));
        const before = JSON.stringify(frozen);
        const inputs = deepFreeze(script(frozen, f.peer, f.peerPort, f.hostPort, f.fd));
        const a = run(frozen, f.now, inputs);
        const b = run(frozen, f.now, inputs);
        expect(JSON.stringify(frozen)).toBe(before);
        expect(a).toEqual(b);
      });
    }
  }
});
