/**
 * Throughput of the full harness: two-endpoint cases with faults, run on the simulator with every
 * per-step invariant checked (src/harness/check.ts), per suite — cases per second and the time the
 * suite's npm-test budget takes on one core. Then the time to find and shrink each planted bug
 * (src/harness/mutants.ts) through the runner.
 *
 *   npx tsx bench/harness.bench.ts [cases-per-suite] [--cases-only]
 *
 * `--cases-only` skips the planted-bug part (for repeated before/after timing).
 *
 * Target: 5 000 scenarios/s through the full harness.
 */
import fc from 'fast-check';
import { SUITES, findSuite } from '../src/harness/suites.js';
import { runCase } from '../src/harness/check.js';
import { suiteInvariants, runSuite } from '../src/harness/runner.js';
import { MUTANTS } from '../src/harness/mutants.js';
import { tcpModel } from '../src/net/model.js';

const n = Number(process.argv[2] ?? 1000);
const pad = (s: string, w: number): string => s.padEnd(w);

console.log(`full harness (sim + ${suiteInvariants(SUITES[0]!).step.length} per-step invariants), ${n} cases per suite, profile linux`);
let allCases = 0;
let allMs = 0;
for (const s of SUITES) {
  const cases = fc.sample(s.arbitrary(['linux']), { seed: 1, numRuns: n });
  const inv = suiteInvariants(s);
  for (const c of cases.slice(0, Math.min(100, n))) runCase(c, tcpModel, inv); // warm up
  let steps = 0;
  let failing = 0;
  const t0 = performance.now();
  for (const c of cases) {
    const v = runCase(c, tcpModel, inv).verdict;
    steps += v.steps;
    if (!v.ok) failing++;
  }
  const ms = performance.now() - t0;
  allCases += n;
  allMs += ms;
  const perSec = n / (ms / 1000);
  const budgetS = (2 * s.defaultRuns) / perSec; // npm test: defaultRuns on each of 2 profiles
  console.log(
    `${pad(s.name, 10)} ${perSec.toFixed(0).padStart(6)} cases/s  ${(steps / n).toFixed(1).padStart(6)} steps/case  ${((steps / ms) * 1000).toFixed(0).padStart(7)} steps/s  npm-test budget ${2 * s.defaultRuns} runs ≈ ${budgetS.toFixed(1)} s  (failing: ${failing})`,
  );
}
console.log(`${pad('all', 10)} ${(allCases / (allMs / 1000)).toFixed(0).padStart(6)} cases/s`);

if (process.argv.includes('--cases-only')) process.exit(0);
console.log('\nplanted bugs: found and shrunk by `tcpfuzz run --mutant NAME` (seed 1, up to 2000 runs)');
for (const m of MUTANTS) {
  const t0 = performance.now();
  const r = runSuite({ suite: findSuite(m.suite)!, profile: 'linux', runs: 2000, seed: 1, mutant: m, regressionsDir: null });
  const ms = performance.now() - t0;
  const f = r.failure;
  console.log(
    f === null
      ? `${pad(m.name, 20)} not found in ${r.runs} runs of ${m.suite} (${(ms / 1000).toFixed(1)} s) — no invariant catches it yet (expected ${m.caughtBy})`
      : `${pad(m.name, 20)} ${f.invariant} found after ${r.runs} runs; shrunk ${f.originalSize} → ${f.minimizedSize} steps in ${(f.shrinkMs / 1000).toFixed(2)} s (${f.shrinkTests} runs); total ${(ms / 1000).toFixed(2)} s`,
  );
}
