/**
 * Totality of the model (h11's law for TCP): endpoints in every RFC 9293 state, under both the
 * `linux` and `rfc9293` profiles, take long runs of hostile inputs — any flags, sequence and ack
 * numbers anywhere including right at the window edges, odd option lists, zero and huge windows,
 * bad checksums, wrong ports and addresses, interleaved socket calls and timers — and `step` never
 * throws and only ever produces well-formed outputs. At least 100,000 segments are injected.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { step } from '../src/model/step.js';
import { linux, rfc9293 } from '../src/model/profiles.js';
import { everyState } from '../test/model/states.js';
import { SEED, act, checkEndpoint, checkOutput, must, toInput } from './_model-kit.js';

describe('model totality', () => {
  it('never throws and outputs only well-formed data for ≥ 100,000 hostile segments in every state (linux and rfc9293)', () => {
    const fixtures = [...everyState(linux), ...everyState(rfc9293)];
    let segments = 0;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: fixtures.length - 1 }), fc.array(act, { minLength: 45, maxLength: 60 }), (fi, acts) => {
        const f = fixtures[fi]!;
        let ep = f.ep;
        let now = f.now;
        for (const a of acts) {
          if (a.kind === 'time') now += a.dt;
          const input = toInput(ep, f, a);
          if (input === null) continue;
          if (input.kind === 'segment') segments++;
          const r = step(ep, input, now);
          let results = 0;
          for (const o of r.outputs) {
            checkOutput(o, ep, input);
            if (o.kind === 'result') results++;
          }
          must(results === (input.kind === 'call' ? 1 : 0), 'exactly one result per call');
          must(r.deadline === null || Number.isFinite(r.deadline), 'deadline');
          ep = r.endpoint;
          checkEndpoint(ep);
        }
      }),
      { numRuns: 2400, seed: SEED },
    );
    expect(segments).toBeGreaterThanOrEqual(100_000);
  });
});
