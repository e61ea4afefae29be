/**
 * Generated two-endpoint scenarios (pairScenarioArb) run on the model over the faulty network:
 * every run is a typed result (never an exception), ends idle within its bounds, never reads more
 * bytes than the peer's send() accepted (DT-3: nothing invented or duplicated at the app), and
 * replays deep-equal from the same scenario (style.md §12).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pairScenarioArb } from '../../src/arbitraries/index.js';
import { tcpModel } from '../../src/net/model.js';
import { runPair } from '../../src/net/pair.js';

const SEED = Number(process.env['FC_SEED'] ?? 424242);

describe('pairScenarioArb × model', () => {
  it('runs end idle, app never reads more than the peer sent, replay is deep-equal', () => {
    fc.assert(
      fc.property(pairScenarioArb({ profiles: ['linux', 'rfc9293'], maxBytes: 8000 }), (p) => {
        const r = runPair(p, tcpModel);
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        expect(r.outcome).toBe('idle');
        expect(r.driverState.b.received).toBeLessThanOrEqual(r.driverState.a.sent);
        expect(r.driverState.a.received).toBeLessThanOrEqual(r.driverState.b.sent);
        expect(runPair(p, tcpModel)).toEqual(r);
      }),
      { seed: SEED, numRuns: 60 },
    );
  });
});
