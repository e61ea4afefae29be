/**
 * Every invariant bites: for each invariant ID, its mutant (a deliberately broken model, see
 * mutants.ts) run on a small deterministic scenario makes exactly that invariant report a
 * violation, and the same scenario on the real model makes it report none. A third group checks
 * that every scenario runs clean on the real model under the whole catalogue.
 */
import { describe, expect, it } from 'vitest';
import { catalogue } from '../../src/invariants/catalogue.js';
import { randomSchedule } from '../../src/net/faults.js';
import { clientServer, linux, realStep, rfc, runPairWith, summary } from './harness.js';
import { MUTANTS } from './mutants.js';
import type { Scenario } from './scenarios.js';

describe('each invariant catches its mutant', () => {
  for (const m of MUTANTS) {
    it(`${m.id} catches ${m.name}`, () => {
      const r = m.scenario.run(m.wrap(realStep));
      expect(r.ids.has(m.id), `${m.id} did not fire on "${m.scenario.name}"; fired: ${[...r.ids].join(', ') || 'nothing'}`).toBe(true);
    });
    it(`${m.id} holds on the real model (${m.scenario.name})`, () => {
      const r = m.scenario.run(realStep);
      const mine = r.violations.filter((v) => v.id === m.id);
      expect(mine, summary(mine)).toEqual([]);
    });
  }
});

describe('the mutant table', () => {
  it('has exactly one mutant per catalogue invariant', () => {
    const ids = MUTANTS.map((m) => m.id).sort();
    expect(ids).toEqual(catalogue.map((i) => i.id).sort());
  });
});

describe('the real model holds the whole catalogue', () => {
  it('no violation of any invariant on any mutant scenario', () => {
    const seen = new Set<Scenario>();
    const bad: string[] = [];
    for (const m of MUTANTS) {
      if (seen.has(m.scenario)) continue;
      seen.add(m.scenario);
      const r = m.scenario.run(realStep);
      if (r.violations.length > 0) bad.push(`"${m.scenario.name}":\n${summary(r.violations, 3)}`);
    }
    expect(bad, bad.join('\n')).toEqual([]);
  });

  it('no violation under 12 seeded random fault schedules, both profiles, data both ways (DT-3, DT-4, DT-5)', () => {
    const bad: string[] = [];
    for (const profile of [linux, rfc]) {
      for (let seed = 1; seed <= 6; seed++) {
        const faults = randomSchedule(seed, { drop: 0.1, duplicate: 0.05, reorder: 0.1, corrupt: 0.03, truncate: 0.02, maxDelay: 20_000 }, 5_000_000);
        const calls = clientServer([{ op: 'send', fd: 3, bytes: 40_000 }, { op: 'close', fd: 3 }], [{ t: 2000, node: 'b', call: { op: 'send', fd: 4, bytes: 20_000 } }]);
        const r = runPairWith(realStep, { profile, faults, calls, maxSteps: 50_000 });
        if (r.violations.length > 0) bad.push(`${profile.name} seed ${seed}:\n${summary(r.violations, 3)}`);
      }
    }
    expect(bad, bad.join('\n')).toEqual([]);
  });
});
