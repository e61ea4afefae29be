/**
 * `runSuite`: run one property suite (suites.ts) on the model: fast-check draws cases in batches
 * (batch k uses seed `seed + k`, so any batch can be rerun alone), each case runs on the simulator
 * with every invariant checked (check.ts), and FSM coverage, invariant evaluations and steps are
 * summed. On a failure:
 *
 * 1. the failing case is written to `<regressions>/<name>.jsonl` at once, before any shrinking;
 * 2. fast-check shrinks it, keeping only candidates that break the same invariant;
 * 3. the minimizer (src/minimize/case.ts: ddmin over calls, forged segments and faults, then
 *    smaller numbers) reduces it further under the same condition;
 * 4. the file is replaced by the minimized case, and the result names the seed, the file and the
 *    command that replays it.
 *
 * By default the suite then stops (fast-check's way, and what `npm test` wants). With
 * `keepGoing` (campaigns: `tcpfuzz run`) it goes on until its runs or time are spent, and reports
 * each further failure whose invariant is new; cases failing an invariant already reported are
 * counted as repeats, not shrunk again. Runs stop early when `timeBudgetMs` is spent (checked
 * between batches).
 */
import fc from 'fast-check';
import type { Violation } from '../invariants/types.js';
import type { FsmCoverage } from '../net/fsm.js';
import { mergeCoverage, EMPTY_COVERAGE } from '../net/fsm.js';
import { minimizeCase } from '../minimize/case.js';
import { tcpModel } from '../net/model.js';
import { runCase } from './check.js';
import type { HarnessCase } from './case.js';
import { caseSize } from './case.js';
import type { InvariantSet } from './invariant-set.js';
import { catalogueInvariants, stepOnly } from './invariant-set.js';
import type { Mutant } from './mutants.js';
import { DEFAULT_REGRESSIONS_DIR, judge, pairDocument, regressionName, regressionPath, writePairDocument } from './regression.js';
import type { Suite } from './suites.js';

export interface RunSuiteOptions {
  readonly suite: Suite;
  readonly profile: string;
  readonly runs: number;
  readonly seed: number;
  /** Stop starting new batches after this long (ms). */
  readonly timeBudgetMs?: number;
  /** Run a planted bug instead of the model (mutants.ts). */
  readonly mutant?: Mutant;
  /** Where failures are written (default corpus/regressions); null: nowhere. */
  readonly regressionsDir?: string | null;
  /** Called after each case with (done, planned). */
  readonly onProgress?: (done: number, planned: number) => void;
  /** Called with phase messages ("writing …", "shrinking …"). */
  readonly onEvent?: (message: string) => void;
  /** Milliseconds clock (default performance.now). */
  readonly clock?: () => number;
  /** Cases per fast-check batch (default 50). */
  readonly batch?: number;
  /** Predicate calls the minimizer may make (default 1500). */
  readonly minimizeBudget?: number;
  /** Wall-clock limit for shrinking one failure, ms (default 15 000; a third for fast-check, the rest for the minimizer): the smallest failing case so far is kept. */
  readonly shrinkTimeMs?: number;
  /** Go on after a failure, reporting failures of other invariants (default false: stop at the first). */
  readonly keepGoing?: boolean;
}

export interface SuiteFailure {
  readonly invariant: string;
  readonly message: string;
  /** Seed of the fast-check batch that found it (rerun: --seed <seed> with the same suite). */
  readonly seed: number;
  readonly original: HarnessCase;
  readonly minimized: HarnessCase;
  /** Steps of the scenario (scripted calls + forged segments + fault rules and partitions). */
  readonly originalSize: number;
  readonly minimizedSize: number;
  /** The minimized case's violation (same invariant; message may differ in numbers). */
  readonly minimizedViolation: Violation;
  readonly file: string | null;
  readonly replayCommand: string | null;
  readonly shrinkMs: number;
  /** Cases run while shrinking (fast-check candidates and minimizer tests). */
  readonly shrinkTests: number;
}

export interface SuiteResult {
  readonly suite: string;
  readonly profile: string;
  readonly seed: number;
  /** Cases run (shrinking not counted). */
  readonly runs: number;
  /** Distinct failures (by invariant) found and shrunk. */
  readonly failures: number;
  /** Further cases that failed an invariant already reported. */
  readonly repeats: number;
  /** Invariant evaluations. */
  readonly checks: number;
  readonly steps: number;
  readonly coverage: FsmCoverage;
  readonly timeMs: number;
  /** The first failure, or null. */
  readonly failure: SuiteFailure | null;
  /** Every distinct failure, in the order found. */
  readonly all: readonly SuiteFailure[];
}

interface Found {
  readonly id: string;
  readonly file: string | null;
  readonly name: string;
  readonly original: HarnessCase;
  readonly message: string;
}

/** Most fast-check shrink candidates evaluated after a failure. */
const FC_SHRINK_LIMIT = 200;

export function suiteInvariants(s: Suite): InvariantSet {
  return s.runInvariants ? catalogueInvariants : stepOnly(catalogueInvariants);
}

export function runSuite(o: RunSuiteOptions): SuiteResult {
  const clock = o.clock ?? (() => performance.now());
  const t0 = clock();
  const inv = suiteInvariants(o.suite);
  const arb = o.suite.arbitrary([o.profile]);
  const batch = Math.max(1, o.batch ?? 50);
  const dir = o.regressionsDir === undefined ? DEFAULT_REGRESSIONS_DIR : o.regressionsDir;
  let runs = 0;
  let checks = 0;
  let steps = 0;
  let coverage: FsmCoverage = EMPTY_COVERAGE;
  const foundFailures: SuiteFailure[] = [];
  const knownIds = new Set<string>();
  let repeats = 0;

  for (let k = 0; runs < o.runs && (o.keepGoing === true || foundFailures.length === 0); k++) {
    if (o.timeBudgetMs !== undefined && clock() - t0 >= o.timeBudgetMs) break;
    const seed = (o.seed + k) >>> 0;
    const numRuns = Math.min(batch, o.runs - runs);
    // State of this batch: the first failure (its invariant and file), then shrink calls.
    let found: Found | null = null;
    let shrinkCalls = 0;
    let shrinkRuns = 0;
    let shrinkStart = 0;
    const shrinkLimit = o.shrinkTimeMs ?? 15_000;
    const body = (c: HarnessCase): boolean => {
      if (found !== null) {
        // Shrinking: a candidate counts as failing only with the same invariant.
        if (++shrinkCalls > FC_SHRINK_LIMIT || clock() - shrinkStart > shrinkLimit / 3) return true;
        shrinkRuns++;
        return judge(c, inv, o.mutant).violation?.id !== found.id;
      }
      const j = judge(c, inv, o.mutant);
      runs++;
      checks += j.run.verdict.checks;
      steps += j.run.verdict.steps;
      coverage = mergeCoverage(coverage, j.run.verdict.coverage);
      o.onProgress?.(runs, o.runs);
      if (j.violation === null) return true;
      if (knownIds.has(j.violation.id)) {
        repeats++;
        return true;
      }
      const name = regressionName([...(o.mutant !== undefined ? ['mutant', o.mutant.name] : []), o.suite.name, o.profile, j.violation.id, `seed${seed}`]);
      let file: string | null = null;
      if (dir !== null) {
        file = regressionPath(dir, name);
        const w = writePairDocument(
          file,
          pairDocument(name, c, {
            suite: o.suite.name,
            seed,
            invariant: j.violation.id,
            message: j.violation.message,
            ...(o.mutant !== undefined ? { mutant: o.mutant.name } : {}),
            minimized: false,
          }),
        );
        o.onEvent?.(w.ok ? `found ${j.violation.id}; wrote ${file} (before shrinking)` : `found ${j.violation.id}; ${w.error.message}`);
        if (!w.ok) file = null;
      } else o.onEvent?.(`found ${j.violation.id}`);
      found = { id: j.violation.id, file, name, original: c, message: j.violation.message };
      shrinkStart = clock();
      return false;
    };
    const details = fc.check(fc.property(arb, body), { seed, numRuns, endOnFailure: false });
    const f = found as Found | null;
    if (!details.failed || f === null || details.counterexample === null) continue;
    const ts = clock();
    const fcShrunk = details.counterexample[0];
    o.onEvent?.(`shrinking ${f.id}: fast-check gave ${caseSize(fcShrunk)} steps; delta debugging …`);
    const id = f.id;
    // What is left of the shrink time goes to the minimizer; past it, candidates count as passing.
    const m = minimizeCase(
      fcShrunk,
      (c) => {
        if (clock() - shrinkStart > shrinkLimit) return false;
        shrinkRuns++;
        return judge(c, inv, o.mutant).violation?.id === id;
      },
      o.minimizeBudget ?? 1500,
    );
    const final = judge(m.case, inv, o.mutant).violation;
    const original = f.original;
    if (f.file !== null && final !== null) {
      const w = writePairDocument(
        f.file,
        pairDocument(f.name, m.case, {
          suite: o.suite.name,
          seed,
          invariant: id,
          message: final.message,
          ...(o.mutant !== undefined ? { mutant: o.mutant.name } : {}),
          minimized: true,
        }),
      );
      if (!w.ok) o.onEvent?.(w.error.message);
    }
    knownIds.add(id);
    foundFailures.push({
      invariant: id,
      message: f.message,
      seed,
      original,
      minimized: m.case,
      originalSize: caseSize(original),
      minimizedSize: caseSize(m.case),
      minimizedViolation: final ?? { id, message: '(the minimized case no longer fails: minimizer bug)' },
      file: f.file,
      replayCommand: f.file !== null ? `tcpfuzz replay ${f.file}` : null,
      shrinkMs: clock() - ts,
      shrinkTests: shrinkRuns,
    });
  }
  return { suite: o.suite.name, profile: o.profile, seed: o.seed, runs, failures: foundFailures.length, repeats, checks, steps, coverage, timeMs: clock() - t0, failure: foundFailures[0] ?? null, all: foundFailures };
}


/**
 * FSM coverage of a suite's first `runs` cases (batches and seeds as `runSuite` draws them), without
 * stopping at failures and without invariant checks: what the suite exercises, for the coverage
 * report and the "default suites cover every edge" test.
 */
export function suiteCoverage(suite: Suite, profile: string, runs: number, seed: number, batch = 50): FsmCoverage {
  const arb = suite.arbitrary([profile]);
  const none: InvariantSet = { step: [], run: [] };
  let cov: FsmCoverage = EMPTY_COVERAGE;
  for (let k = 0, done = 0; done < runs; k++) {
    const n = Math.min(batch, runs - done);
    for (const c of fc.sample(arb, { seed: (seed + k) >>> 0, numRuns: n })) cov = mergeCoverage(cov, runCase(c, tcpModel, none).verdict.coverage);
    done += n;
  }
  return cov;
}
