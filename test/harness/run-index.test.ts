/**
 * `runCase` builds the per-connection run index once (RunRecord.index, src/invariants/run-util.ts)
 * for all whole-run invariants. That must not change any verdict: on suite cases run by the real
 * model and by the invariant mutants that the index-reading invariants catch (REL-7, REL-8, END-1,
 * END-2; DT-1, CT-10, CT-1, RS-2), the whole-run violations `runCase` reports equal `checkRun` on
 * the same record without an index, where each invariant builds its own.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runCase } from '../../src/harness/check.js';
import { findSuite } from '../../src/harness/suites.js';
import { catalogueInvariants } from '../../src/harness/invariant-set.js';
import { checkRun, runInvariants } from '../../src/invariants/catalogue.js';
import { buildIndex, indexRun } from '../../src/invariants/run-util.js';
import type { RunRecord, RunStep } from '../../src/invariants/types.js';
import { faultsSettledAt } from '../../src/net/network.js';
import { tcpModel } from '../../src/net/model.js';
import type { PairModel } from '../../src/net/pair.js';
import type { Endpoint } from '../../src/model/types.js';
import type { HarnessCase } from '../../src/harness/case.js';
import { MUTANTS } from '../invariants/mutants.js';
import { realStep } from '../invariants/harness.js';

/** The record judge() builds, without the index. */
function plainRecord(c: HarnessCase, model: PairModel<Endpoint>): RunRecord | null {
  const r = runCase(c, model, { step: [], run: [] });
  const sim = r.sim;
  if (sim === undefined) return null;
  const steps: RunStep[] = sim.record.map((s) => ({ time: s.time, node: s.node, input: s.after!.injected ?? s.input, outputs: s.outputs, before: s.before!.inner, after: s.after!.inner }));
  let settled = faultsSettledAt(sim.net);
  for (const x of c.injections) if (x.t > settled) settled = x.t;
  const a0 = sim.record.find((s) => s.node === 'a')?.before?.inner ?? sim.a.endpoint.inner;
  const b0 = sim.record.find((s) => s.node === 'b')?.before?.inner ?? sim.b.endpoint.inner;
  return {
    steps,
    a: { addr: c.pair.addrA, initial: a0, final: sim.a.endpoint.inner, deadline: sim.a.endpoint.innerDeadline },
    b: { addr: c.pair.addrB, initial: b0, final: sim.b.endpoint.inner, deadline: sim.b.endpoint.innerDeadline },
    outcome: sim.outcome,
    endTime: sim.endTime,
    maxTime: c.pair.bounds.maxTime,
    faultsSettledAt: settled,
  };
}

const RUN_IDS = new Set(runInvariants.map((i) => i.id));

describe('the run index built once per case (RunRecord.index)', () => {
  const models: [string, PairModel<Endpoint>][] = [['real model', tcpModel]];
  for (const m of MUTANTS) {
    if (['REL-7', 'REL-8', 'END-1', 'END-2'].includes(m.id)) models.push([`${m.id} mutant`, { node: { step: m.wrap(realStep) }, createEndpoint: tcpModel.createEndpoint }]);
  }
  for (const [name, model] of models) {
    it(`DT-1, CT-10, CT-1, RS-2: same whole-run violations as without it (${name})`, () => {
      let fired = 0;
      for (const suite of ['transfer', 'close']) {
        const s = findSuite(suite)!;
        for (const c of fc.sample(s.arbitrary(['linux']), { seed: 3, numRuns: 12 })) {
          const rec = plainRecord(c, model);
          if (rec === null) continue;
          expect(indexRun(rec)).toEqual(buildIndex(rec));
          const expected = new Map<string, unknown>();
          for (const v of checkRun(rec)) if (!expected.has(v.id)) expected.set(v.id, v);
          const got = runCase(c, model, catalogueInvariants).verdict.violations.filter((v) => RUN_IDS.has(v.id));
          expect(got).toEqual([...expected.values()]);
          fired += got.length;
        }
      }
      // These two mutants break their invariant on these cases, so the comparison covers violations too.
      if (name === 'REL-7 mutant' || name === 'END-1 mutant') expect(fired).toBeGreaterThan(0);
    });
  }
});
