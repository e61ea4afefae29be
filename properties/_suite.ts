/**
 * The shared body of the `properties/<suite>.prop.ts` wrappers: run one suite definition
 * (src/harness/suites.ts) through `runSuite` — the same code `tcpfuzz run` uses — for each
 * profile, with a fixed seed and the suite's npm-test budget. Environment knobs:
 *   TCPFUZZ_RUNS=N          runs per suite and profile (default: the suite's defaultRuns)
 *   TCPFUZZ_SEED=N          first fast-check seed (default 20261123)
 *   TCPFUZZ_PROFILES=a,b    profiles (default linux,rfc9293)
 *   TCPFUZZ_REGRESSIONS=D   where failures are written (default reports/regressions, git-ignored;
 *                           `tcpfuzz run` writes to corpus/regressions)
 * A failure message carries the invariant, the seed, the minimized case and the replay command.
 */
import { expect, it } from 'vitest';
import { findSuite } from '../src/harness/suites.js';
import { runSuite } from '../src/harness/runner.js';
import { failureLines } from '../src/harness/failure-text.js';
import { formatPairDocument } from '../src/harness/ladder.js';
import { pairDocument } from '../src/harness/regression.js';

export function suiteProperty(name: string, only?: { readonly profiles: readonly string[]; readonly runs: number }): void {
  const suite = findSuite(name);
  if (suite === undefined) throw new Error(`no suite "${name}"`);
  const env = process.env;
  const runs = env['TCPFUZZ_RUNS'] !== undefined ? Number(env['TCPFUZZ_RUNS']) : (only?.runs ?? suite.defaultRuns);
  const seed = env['TCPFUZZ_SEED'] !== undefined ? Number(env['TCPFUZZ_SEED']) : 20261123;
  const profiles = only?.profiles ?? (env['TCPFUZZ_PROFILES'] ?? 'linux,rfc9293').split(',').filter((p) => p !== '');
  const dir = env['TCPFUZZ_REGRESSIONS'] ?? 'reports/regressions';
  for (const profile of profiles) {
    it(`${suite.name} on ${profile}, ${runs} runs: ${suite.title} (${suite.behaviours.join(', ')})`, () => {
      const r = runSuite({ suite, profile, runs, seed, regressionsDir: dir });
      if (r.failure !== null) {
        const doc = pairDocument('minimized', r.failure.minimized, { suite: suite.name });
        throw new Error([...failureLines(r), '  minimized case:', ...formatPairDocument(doc).map((l) => `    ${l}`)].join('\n'));
      }
      expect(r.runs).toBe(runs);
      expect(r.checks).toBeGreaterThan(0);
    });
  }
}
