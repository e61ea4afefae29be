/**
 * Differential check for harness speed work: runs every suite on fixed seeds through `runCase`
 * (the real model, the three CLI mutants and each of the 65 invariant mutants of
 * test/invariants/mutants.ts), plus every invariant mutant's own scenario (checkStep /
 * checkRunSteps / checkRun), and prints a SHA-256 per group over everything a verdict says (every
 * violation with its message, step, time, node and conn; steps; invariant evaluations; FSM coverage;
 * outcome; end time) and over the simulator's run record (time, node, input, outputs, network fates
 * and deadline of every step, and the app driver's final state). Two trees that print the same
 * hashes check the same things in the same places.
 *
 *   npx tsx bench/harness-diff.ts [cases-per-suite] [mutant-cases-per-suite] > out.txt
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { SUITES } from '../src/harness/suites.js';
import { runCase } from '../src/harness/check.js';
import { suiteInvariants } from '../src/harness/runner.js';
import { MUTANTS as CLI_MUTANTS } from '../src/harness/mutants.js';
import { tcpModel } from '../src/net/model.js';
import type { PairModel } from '../src/net/pair.js';
import type { Endpoint } from '../src/model/types.js';
import type { HarnessCase } from '../src/harness/case.js';
import { MUTANTS } from '../test/invariants/mutants.js';
import { realStep } from '../test/invariants/harness.js';

const n = Number(process.argv[2] ?? 200);
const nm = Number(process.argv[3] ?? 8);

function caseDigest(h: ReturnType<typeof createHash>, c: HarnessCase, model: PairModel<Endpoint>, suite: (typeof SUITES)[number], ids: Map<string, number>): void {
  const r = runCase(c, model, suiteInvariants(suite));
  const v = r.verdict;
  for (const x of v.violations) ids.set(x.id, (ids.get(x.id) ?? 0) + 1);
  h.update(JSON.stringify({ violations: v.violations, ok: v.ok, first: v.violation, steps: v.steps, checks: v.checks, coverage: v.coverage, outcome: v.outcome, endTime: v.endTime }));
  if (r.sim !== undefined) {
    for (const s of r.sim.record) h.update(JSON.stringify([s.time, s.node, s.input, s.outputs, s.fates, s.deadline, s.after?.injected ?? null]));
    h.update(JSON.stringify([r.sim.driverState, r.sim.outcome, r.sim.steps, r.sim.scriptLeft]));
  }
}

const total = createHash('sha256');
function group(name: string, run: (h: ReturnType<typeof createHash>, ids: Map<string, number>) => number): void {
  const h = createHash('sha256');
  const ids = new Map<string, number>();
  const t0 = performance.now();
  const cases = run(h, ids);
  const d = h.digest('hex');
  total.update(d);
  const idStr = [...ids].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([k, c]) => `${k}:${c}`).join(' ');
  console.log(`${name.padEnd(44)} ${String(cases).padStart(5)} cases ${d.slice(0, 16)}  ${idStr}`);
  console.error(`${name} ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

const samples = new Map<string, HarnessCase[]>();
for (const s of SUITES) {
  for (const profile of ['linux', 'rfc9293', 'classic']) samples.set(`${s.name}/${profile}`, fc.sample(s.arbitrary([profile]), { seed: 7, numRuns: n }));
}

for (const s of SUITES) {
  for (const profile of ['linux', 'rfc9293', 'classic']) {
    group(`model ${s.name}/${profile}`, (h, ids) => {
      const cs = samples.get(`${s.name}/${profile}`)!;
      for (const c of cs) caseDigest(h, c, tcpModel, s, ids);
      return cs.length;
    });
  }
}
for (const m of CLI_MUTANTS) {
  for (const s of SUITES) {
    group(`cli-mutant ${m.name} ${s.name}`, (h, ids) => {
      const cs = samples.get(`${s.name}/linux`)!.slice(0, Math.max(nm, 40));
      for (const c of cs) caseDigest(h, c, m.model, s, ids);
      return cs.length;
    });
  }
}
for (const m of MUTANTS) {
  const model: PairModel<Endpoint> = { node: { step: m.wrap(realStep) }, createEndpoint: tcpModel.createEndpoint };
  group(`inv-mutant ${m.id} (suites)`, (h, ids) => {
    let k = 0;
    for (const s of SUITES) {
      for (const profile of ['linux', 'rfc9293']) {
        const cs = samples.get(`${s.name}/${profile}`)!.slice(0, nm);
        for (const c of cs) caseDigest(h, c, model, s, ids);
        k += cs.length;
      }
    }
    return k;
  });
  group(`inv-mutant ${m.id} (own scenario)`, (h, ids) => {
    const r = m.scenario.run(m.wrap(realStep));
    for (const v of r.violations) ids.set(v.id, (ids.get(v.id) ?? 0) + 1);
    h.update(JSON.stringify(r.violations));
    const real = m.scenario.run(realStep);
    h.update(JSON.stringify(real.violations));
    return 1;
  });
}
console.log(`TOTAL ${total.digest('hex')}`);
