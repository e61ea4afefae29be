/**
 * Totality and determinism of the model with its timers firing (model part 2): endpoints in every
 * RFC 9293 state, under `linux`, `rfc9293`, `classic` and `linux` with SYN cookies always on, take runs that
 * interleave hostile segments and socket calls with jumps to the endpoint's own deadline — so the
 * retransmission timer backs off to its give-up (DT-5, CT-5), persist probes (FC-4), keepalive
 * (KA-1, KA-2), delayed ACKs, TLP, FIN-WAIT-2 and TIME-WAIT timeouts and SYN-ACK retries (LQ-7)
 * all run, long after the hostile input stopped. Checked at every step:
 * - `step` never throws and every output and endpoint is well formed (as model-totality);
 * - a timer input at the deadline consumes it: the next deadline is null or strictly later, so a
 *   driver that jumps from deadline to deadline always makes progress;
 * - same endpoint, same inputs, same times → deeply equal outputs and endpoints, with the inputs
 *   deep-frozen (so no step writes into its argument).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Input, Output } from '../src/model/api.js';
import type { Endpoint } from '../src/model/types.js';
import { step } from '../src/model/step.js';
import { classic, linux, rfc9293 } from '../src/model/profiles.js';
import { everyState, type StateFixture } from '../test/model/states.js';
import { HOST } from '../test/model/helpers.js';
import { ACK } from '../src/wire/types.js';
import { SEED, callDesc, checkEndpoint, checkOutput, must, segDesc, toInput } from './_model-kit.js';
import type { Act as KitAct } from './_model-kit.js';

/**
 * Besides the hostile kit: jump to the deadline, and three benign moves that start long timers — the
 * peer acknowledges everything but closes its window (persist), the application sends, and it
 * switches keepalive on.
 */
type Act = KitAct | { kind: 'deadline' } | { kind: 'ackZeroWindow' } | { kind: 'send'; n: number } | { kind: 'keepalive' };

const act: fc.Arbitrary<Act> = fc.oneof(
  { weight: 40, arbitrary: segDesc.map((d) => ({ kind: 'seg' as const, d })) },
  { weight: 10, arbitrary: callDesc.map((d) => ({ kind: 'call' as const, d })) },
  { weight: 4, arbitrary: fc.constant({ kind: 'ackZeroWindow' as const }) },
  { weight: 5, arbitrary: fc.integer({ min: 1, max: 40_000 }).map((n) => ({ kind: 'send' as const, n })) },
  { weight: 2, arbitrary: fc.constant({ kind: 'keepalive' as const }) },
  { weight: 35, arbitrary: fc.constant({ kind: 'deadline' as const }) },
  { weight: 5, arbitrary: fc.record({ dt: fc.integer({ min: 0, max: 10_000_000 }), fire: fc.boolean() }).map((t) => ({ kind: 'time' as const, ...t })) },
);

function deepFreeze<T>(x: T): T {
  if (x !== null && typeof x === 'object' && !Object.isFrozen(x)) {
    Object.freeze(x);
    for (const v of Object.values(x as object)) deepFreeze(v);
  }
  return x;
}

interface RunResult {
  readonly log: string[];
  readonly final: Endpoint;
  readonly timersFired: number;
}

/** Drive one fixture through `acts`, then keep firing deadlines (at most `drain` more) so timers finish. */
function run(f: StateFixture, acts: readonly Act[], drain: number, frozen: boolean): RunResult {
  let ep = f.ep;
  let now = f.now;
  let deadline: number | null = null;
  let timersFired = 0;
  const log: string[] = [];
  const go = (input: Input): void => {
    if (frozen) deepFreeze(input);
    const r = step(ep, input, now);
    let results = 0;
    for (const o of r.outputs) {
      checkOutput(o, ep, input);
      if (o.kind === 'result') results++;
    }
    must(results === (input.kind === 'call' ? 1 : 0), 'exactly one result per call');
    must(r.deadline === null || Number.isFinite(r.deadline), 'deadline');
    if (input.kind === 'timer' && deadline !== null && now >= deadline) {
      must(r.deadline === null || r.deadline > now, `timer at its deadline ${now} left a deadline ${r.deadline} not in the future`);
    }
    log.push(`${now} ${JSON.stringify(input)} → ${r.outputs.map((o: Output) => JSON.stringify(o)).join(' ')} | ${r.deadline}`);
    ep = frozen ? deepFreeze(r.endpoint) : r.endpoint;
    deadline = r.deadline;
    checkEndpoint(ep);
  };
  const fire = (): boolean => {
    if (deadline === null) return false;
    now = Math.max(now, deadline);
    timersFired++;
    go({ kind: 'timer' });
    return true;
  };
  for (const a of acts) {
    if (a.kind === 'deadline') {
      fire();
      continue;
    }
    if (a.kind === 'ackZeroWindow') {
      const c = ep.conns.find((x) => x.localPort === f.hostPort && x.remotePort === f.peerPort && x.state !== 'CLOSED');
      if (c !== undefined) {
        go({ kind: 'segment', src: f.peer, dst: HOST, seg: { srcPort: f.peerPort, dstPort: f.hostPort, seq: c.rcvNxt, ack: c.sndNxt, flags: ACK, window: 0, urgent: 0, options: [], len: 0 } });
      }
      continue;
    }
    if (a.kind === 'send') {
      go({ kind: 'call', call: { op: 'send', fd: f.fd, bytes: a.n } });
      continue;
    }
    if (a.kind === 'keepalive') {
      go({ kind: 'call', call: { op: 'setsockopt', fd: f.fd, opt: 'SO_KEEPALIVE', value: 1 } });
      continue;
    }
    if (a.kind === 'time') now += a.dt;
    const input = toInput(ep, f, a);
    if (input !== null) go(input);
  }
  for (let i = 0; i < drain && fire(); i++);
  return { log, final: ep, timersFired };
}

const RUNS = 500;

describe('model totality and determinism with timers firing', () => {
  // The same states under a profile that answers every SYN with a cookie (the states themselves are
  // built under `linux`: a cookie listener has no SYN-RECEIVED request to build from).
  const cookies = { ...linux, syncookies: 'always' as const };
  const withCookies = everyState(linux).map((f) => ({ ...f, ep: { ...f.ep, profile: cookies } }));
  // `classic` runs on the rfc9293-built states (its IW of 1 keeps the FIN-WAIT fixtures' FIN unsent).
  const asClassic = everyState(rfc9293).map((f) => ({ ...f, ep: { ...f.ep, profile: classic } }));
  const fixtures = [...everyState(linux), ...everyState(rfc9293), ...withCookies, ...asClassic];
  for (const f of fixtures) deepFreeze(f.ep);

  it('never throws, stays well formed, consumes every deadline it fires, and reruns identically on frozen inputs (DT-5, FC-4, KA-1, LQ-7)', () => {
    let timers = 0;
    let drained = 0;
    const rules = new Map<string, number>();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: fixtures.length - 1 }), fc.array(act, { minLength: 20, maxLength: 60 }), (fi, acts) => {
        const f = fixtures[fi]!;
        const a = run(f, acts, 400, true);
        const b = run(f, acts, 400, false);
        expect(b.log).toEqual(a.log);
        expect(b.final).toEqual(a.final);
        timers += a.timersFired;
        for (const l of a.log) if (l.includes('"kind":"timer"')) for (const m of l.matchAll(/"rule":"([^"]+)"/g)) rules.set(m[1]!, (rules.get(m[1]!) ?? 0) + 1);
        if (a.log.length > 0 && a.log[a.log.length - 1]!.endsWith('| null')) drained++;
      }),
      { numRuns: RUNS, seed: SEED },
    );
    // The runs really exercise the timers: every timer kind fired, on both profiles' rules, and every
    // run ended with nothing armed within 400 firings (no timer re-arms itself forever).
    expect(timers).toBeGreaterThan(2000);
    expect(drained).toBe(RUNS);
    const fired = [...rules.keys()];
    for (const rule of ['DT-5/rto', 'DT-5/tlp', 'CT-5/give-up', 'FC-4/probe', 'FC-4/probe-one-byte', 'KA-1/probe', 'KA-1/give-up', 'HS-5/syn-retransmit', 'HS-5/give-up', 'HS-7/synack-retransmit', 'HS-7/synack-give-up', 'CT-6/fin-wait-2-timeout']) {
      expect(fired, `no timer step noted ${rule}`).toContain(rule);
    }
  });
});
