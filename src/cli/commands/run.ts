/**
 * `tcpfuzz run`: the fuzzing campaign users run (`npm run fuzz`). Runs the property suites
 * (src/harness/suites.ts) on the model — all of them by default, for a few minutes in total — then
 * the recorded Linux corpus agreement (as `tcpfuzz agree`) when `corpus/linux` has traces. Shows a
 * progress bar on stderr when it is a terminal (plain periodic lines otherwise), a summary table at
 * the end (runs, failures, invariants checked, FSM edges covered of total, time) or `--json`, and
 * writes `reports/fsm-coverage.json` with the untouched edges. Each failure is written to
 * `corpus/regressions/` before shrinking and printed with its seed, file and replay command.
 * Exit 0 when everything passed, 1 when something failed, 2 on bad usage.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from '../command.js';
import type { CliIo } from '../io.js';
import { EXIT_FAILURE, EXIT_OK, ioOrDefault, parseCommandArgs, usageError } from '../command.js';
import { SUITES, findSuite } from '../../harness/suites.js';
import type { Suite } from '../../harness/suites.js';
import { findMutant, MUTANTS } from '../../harness/mutants.js';
import type { Mutant } from '../../harness/mutants.js';
import type { SuiteResult } from '../../harness/runner.js';
import { runSuite } from '../../harness/runner.js';
import { failureLines } from '../../harness/failure-text.js';
import { DEFAULT_REGRESSIONS_DIR } from '../../harness/regression.js';
import { coverageReport, type CoverageReport } from '../../harness/coverage-report.js';
import { mergeCoverage, EMPTY_COVERAGE } from '../../net/fsm.js';
import { profiles } from '../../model/index.js';
import { writeFileAtomic } from '../../trace/io.js';
import { RecordedStack, DEFAULT_CORPUS_DIR } from '../../stacks/recorded.js';
import { runAgainstLinux } from './run-linux.js';
import { parseKnownDifferences } from '../../oracle/known.js';
import { agreement } from '../../oracle/agreement.js';
import { modelTraceFor } from '../../oracle/replay-model.js';
import { formatDifference } from '../../oracle/diff.js';

const usage = `usage: tcpfuzz run [--suite S] [--profile P] [--runs N] [--seed N] [--time 10m] [--stack model|linux] [--json]
  Run the property suites on the model (default: all suites, profile linux, 3 minutes in total)
  and the recorded Linux corpus agreement; print a summary; exit 1 when something failed.
  --suite S         one suite: ${SUITES.map((s) => s.name).join(', ')}
  --profile P       model profile: ${Object.keys(profiles).join(', ')} (default linux)
  --runs N          cases per suite (default: as many as the time allows)
  --seed N          first fast-check seed (default: from the clock, printed)
  --time T          total time budget: 90s, 10m, 1h (default 3m; with --runs: no limit)
  --stack S         model (default): the suites; linux: generated scripts on the live kernel
                    (root, TUN) diffed against the model, differing traces to reports/linux-diffs/
  --regressions D   where failures are written (default ${DEFAULT_REGRESSIONS_DIR})
  --no-corpus       skip the recorded-corpus agreement
  --json            machine-readable result on stdout`;

/** "90s", "10m", "1h", "500ms", or plain seconds → milliseconds; null when malformed. */
export function parseDuration(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (m === null) return null;
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  const f = unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000;
  return n * f;
}

interface CorpusLine {
  readonly traces: number;
  readonly identical: number;
  readonly known: number;
  readonly differs: number;
  readonly stale: number;
  readonly firstDiffs: readonly string[];
  readonly error: string | null;
}

function runCorpus(dir: string): CorpusLine | null {
  if (!fs.existsSync(dir)) return null;
  const stack = new RecordedStack(dir);
  const problems = stack.load();
  const traces = stack.traces();
  if (problems.length === 0 && traces.length === 0) return null;
  if (problems.length > 0) return { traces: traces.length, identical: 0, known: 0, differs: 0, stale: 0, firstDiffs: [], error: problems[0]! };
  const knownPath = `${dir}/known-differences`;
  const known = parseKnownDifferences(fs.existsSync(knownPath) ? fs.readFileSync(knownPath, 'utf8') : '');
  if (!known.ok) return { traces: traces.length, identical: 0, known: 0, differs: 0, stale: 0, firstDiffs: [], error: `${knownPath}:${known.line}: ${known.message}` };
  const s = agreement(traces, known.entries, (t) => modelTraceFor(t));
  const firstDiffs = s.scenarios
    .filter((x) => x.verdict === 'differs')
    .slice(0, 5)
    .map((x) => `${x.name}: ${x.error ?? (x.unexplained[0] !== undefined ? formatDifference(x.unexplained[0]) : '')}`);
  return { traces: traces.length, identical: s.identical, known: s.known, differs: s.differs, stale: s.unusedKnown.length, firstDiffs, error: null };
}

function fmtCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(0)}k`;
  return String(n);
}

function fmtTime(ms: number): string {
  return ms >= 60_000 ? `${Math.floor(ms / 60_000)}m${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')}s` : `${(ms / 1000).toFixed(1)}s`;
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd()).join('\n');
}

/** Progress output: a redrawn bar on a terminal, a line every 10 s otherwise. */
function progress(io: CliIo, tty: boolean, clock: () => number): { update(label: string, done: number, planned: number, frac: number): void; done(): void } {
  let last = -Infinity;
  let drawn = false;
  return {
    update(label, done, planned, frac) {
      const now = clock();
      if (tty) {
        if (now - last < 100) return;
        last = now;
        const width = 30;
        const f = Math.max(0, Math.min(1, frac));
        const bar = '#'.repeat(Math.round(f * width)).padEnd(width, '.');
        io.err(`\r[${bar}] ${label} ${done}${Number.isFinite(planned) ? `/${planned}` : ''} runs`.padEnd(70));
        drawn = true;
      } else if (now - last >= 10_000) {
        last = now;
        io.err(`tcpfuzz run: ${label}: ${done} runs\n`);
      }
    },
    done() {
      if (tty && drawn) io.err(`\r${' '.repeat(70)}\r`);
      drawn = false;
      last = tty ? -Infinity : last;
    },
  };
}

export interface RunCommandDeps {
  readonly clock?: () => number;
  readonly tty?: boolean;
  readonly coveragePath?: string;
}

export function makeRunCommand(deps: RunCommandDeps = {}): Command {
  return {
    name: 'run',
    summary: 'run the property suites on the model (and the recorded Linux corpus); summary, exit 1 on failure',
    usage,
    run(argv: string[], ioArg?: CliIo): Promise<number> {
      const io = ioOrDefault(ioArg);
      const args = parseCommandArgs({
        args: argv,
        allowPositionals: false,
        options: {
          suite: { type: 'string' },
          profile: { type: 'string' },
          runs: { type: 'string' },
          seed: { type: 'string' },
          time: { type: 'string' },
          stack: { type: 'string' },
          regressions: { type: 'string' },
          'no-corpus': { type: 'boolean' },
          json: { type: 'boolean' },
          mutant: { type: 'string' },
        },
      });
      if (!args.ok) return Promise.resolve(usageError(io, `run: ${args.message}`, usage));
      const v = args.value.values;
      const clock = deps.clock ?? (() => performance.now());
      let suites: readonly Suite[] = SUITES;
      if (v.suite !== undefined) {
        const s = findSuite(v.suite);
        if (s === undefined) return Promise.resolve(usageError(io, `run: unknown suite "${v.suite}" (${SUITES.map((x) => x.name).join(', ')})`, usage));
        suites = [s];
      }
      const profile = v.profile ?? 'linux';
      if (profiles[profile] === undefined) return Promise.resolve(usageError(io, `run: unknown profile "${profile}" (${Object.keys(profiles).join(', ')})`, usage));
      const stack = v.stack ?? 'model';
      if (stack !== 'model' && stack !== 'linux') return Promise.resolve(usageError(io, `run: unknown stack "${stack}" (model, linux)`, usage));
      const runs = v.runs === undefined ? Infinity : Number(v.runs);
      if (v.runs !== undefined && (!Number.isSafeInteger(runs) || runs < 1)) return Promise.resolve(usageError(io, `run: --runs must be a positive integer, got "${v.runs}"`, usage));
      const seed = v.seed === undefined ? Math.floor(Date.now() % 1_000_000_000) : Number(v.seed);
      if (!Number.isSafeInteger(seed) || seed < 0) return Promise.resolve(usageError(io, `run: --seed must be a non-negative integer, got "${v.seed}"`, usage));
      let budgetMs: number | null = v.runs === undefined ? 180_000 : null;
      if (v.time !== undefined) {
        budgetMs = parseDuration(v.time);
        if (budgetMs === null || budgetMs <= 0) return Promise.resolve(usageError(io, `run: --time must look like 90s, 10m or 1h, got "${v.time}"`, usage));
      }
      if (stack === 'linux') {
        return runAgainstLinux(io, {
          runs: Number.isFinite(runs) ? runs : 200,
          seed,
          outDir: path.join('reports', 'linux-diffs'),
          knownPath: path.join(DEFAULT_CORPUS_DIR, 'known-differences'),
          json: v.json === true,
        });
      }
      let mutant: Mutant | undefined;
      if (v.mutant !== undefined) {
        mutant = findMutant(v.mutant);
        if (mutant === undefined) return Promise.resolve(usageError(io, `run: unknown mutant "${v.mutant}" (${MUTANTS.map((m) => m.name).join(', ')})`, usage));
      }
      const regressions = v.regressions ?? DEFAULT_REGRESSIONS_DIR;
      const json = v.json === true;
      const tty = deps.tty ?? false;
      const bar = progress(io, tty && !json, clock);

      const t0 = clock();
      if (!json) io.out(`tcpfuzz run: ${suites.length} suite(s) on ${stack} (profile ${profile}${mutant !== undefined ? `, mutant ${mutant.name}: ${mutant.title}` : ''}), seed ${seed}${budgetMs !== null ? `, ${fmtTime(budgetMs)} budget` : ''}\n`);
      const results: SuiteResult[] = [];
      for (let i = 0; i < suites.length; i++) {
        const s = suites[i]!;
        // An equal share of what is left of the budget.
        const left = budgetMs === null ? undefined : Math.max(0, budgetMs - (clock() - t0)) / (suites.length - i);
        const started = clock();
        const r = runSuite({
          suite: s,
          profile,
          runs,
          seed: seed + i * 1_000_003,
          ...(left !== undefined ? { timeBudgetMs: left } : {}),
          ...(mutant !== undefined ? { mutant } : {}),
          regressionsDir: regressions,
          // A campaign goes on after a failure (new invariants only); with --mutant, the planted bug is the point.
          keepGoing: mutant === undefined,
          clock,
          onProgress: (done, planned) => bar.update(s.name, done, planned, left !== undefined ? (clock() - started) / left : done / planned),
          onEvent: (m) => {
            bar.done();
            if (!json) io.err(`tcpfuzz run: ${s.name}: ${m}\n`);
          },
        });
        bar.done();
        results.push(r);
      }
      const corpus = v['no-corpus'] === true || mutant !== undefined ? null : runCorpus(DEFAULT_CORPUS_DIR);
      const coverage = results.reduce((acc, r) => mergeCoverage(acc, r.coverage), EMPTY_COVERAGE);
      const report: CoverageReport = coverageReport(coverage, { suites: results.map((r) => r.suite), profile, seed, runs: results.reduce((a, r) => a + r.runs, 0) });
      const covPath = deps.coveragePath ?? 'reports/fsm-coverage.json';
      const w = writeFileAtomic(covPath, `${JSON.stringify(report, null, 2)}\n`);
      if (!w.ok) io.err(`${w.error.message}\n`);
      const totalMs = clock() - t0;
      const failures = results.reduce((a, r) => a + r.failures, 0) + (corpus !== null && (corpus.differs > 0 || corpus.stale > 0 || corpus.error !== null) ? 1 : 0);

      if (json) {
        io.out(
          `${JSON.stringify({
            seed,
            profile,
            stack,
            ...(mutant !== undefined ? { mutant: mutant.name } : {}),
            suites: results.map((r) => ({
              suite: r.suite,
              seed: r.seed,
              runs: r.runs,
              failures: r.failures,
              repeats: r.repeats,
              invariantsChecked: r.checks,
              steps: r.steps,
              fsmEdges: coverageReport(r.coverage, {}).covered,
              timeMs: Math.round(r.timeMs),
              failure: r.all.map((f) => ({
                invariant: f.invariant,
                message: f.message,
                seed: f.seed,
                originalSteps: f.originalSize,
                minimizedSteps: f.minimizedSize,
                file: f.file,
                replay: f.replayCommand,
                shrinkMs: Math.round(f.shrinkMs),
              }))[0] ?? null,
              failuresFound: r.all.map((f) => ({ invariant: f.invariant, file: f.file, replay: f.replayCommand, minimizedSteps: f.minimizedSize })),
            })),
            corpus,
            fsm: { covered: report.covered, total: report.total, figure5: report.figure5, untouched: report.untouched.map((e) => e.id), report: covPath },
            failures,
            timeMs: Math.round(totalMs),
          })}\n`,
        );
        return Promise.resolve(failures > 0 ? EXIT_FAILURE : EXIT_OK);
      }

      for (const r of results) for (const f of r.all) io.out(`\n${failureLines({ ...r, all: [f] }, mutant?.name).join('\n')}\n`);
      const rows: string[][] = [['suite', 'runs', 'failures', 'invariants checked', 'steps', 'FSM edges', 'time']];
      for (const r of results) {
        const c = coverageReport(r.coverage, {});
        const ids = r.all.map((f) => f.invariant).join(',');
        rows.push([r.suite, String(r.runs), `${r.failures}${ids !== '' ? ` (${ids})` : ''}`, fmtCount(r.checks), fmtCount(r.steps), `${c.covered}/${c.total}`, fmtTime(r.timeMs)]);
      }
      rows.push([
        'total',
        String(results.reduce((a, r) => a + r.runs, 0)),
        String(results.reduce((a, r) => a + r.failures, 0)),
        fmtCount(results.reduce((a, r) => a + r.checks, 0)),
        fmtCount(results.reduce((a, r) => a + r.steps, 0)),
        `${report.covered}/${report.total}`,
        fmtTime(totalMs),
      ]);
      io.out(`\n${table(rows)}\n`);
      io.out(`FSM coverage: ${report.covered}/${report.total} edges (RFC 9293 Figure 5: ${report.figure5.covered}/${report.figure5.total}); untouched edges in ${covPath}\n`);
      if (corpus === null) io.out(`recorded Linux corpus: ${v['no-corpus'] === true || mutant !== undefined ? 'skipped' : `no traces in ${DEFAULT_CORPUS_DIR}`}\n`);
      else if (corpus.error !== null) io.out(`recorded Linux corpus: FAIL ${corpus.error}\n`);
      else {
        io.out(`recorded Linux corpus: ${corpus.identical}/${corpus.traces} identical, ${corpus.known} known differences, ${corpus.differs} differ${corpus.stale > 0 ? `, ${corpus.stale} stale known entries` : ''}\n`);
        for (const d of corpus.firstDiffs) io.out(`  DIFF ${d}\n`);
      }
      io.out(failures > 0 ? `${failures} failure(s)\n` : 'all passed\n');
      return Promise.resolve(failures > 0 ? EXIT_FAILURE : EXIT_OK);
    },
  };
}

export const runCommand: Command = makeRunCommand({ tty: process.stderr.isTTY === true });
