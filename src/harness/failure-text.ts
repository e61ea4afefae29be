/**
 * How a suite failure is told to a person (CLI output and vitest failure messages alike): the
 * invariant and its message, the seed with the command that reruns the batch, how far it shrank,
 * where the regression file is and the exact command that replays it (style.md rule 12).
 */
import type { SuiteFailure, SuiteResult } from './runner.js';

function secs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function failureLines(r: SuiteResult, mutant?: string): string[] {
  return r.all.flatMap((f) => oneFailure(r, f, mutant));
}

function oneFailure(r: SuiteResult, f: SuiteFailure, mutant: string | undefined): string[] {
  const lines = [
    `FAIL ${r.suite} (${r.profile}): ${f.invariant} ${f.message}`,
    `  seed ${f.seed} (rerun: tcpfuzz run --suite ${r.suite} --profile ${r.profile} --seed ${f.seed} --runs 50${mutant !== undefined ? ` --mutant ${mutant}` : ''})`,
    `  found with ${f.originalSize} steps; shrunk to ${f.minimizedSize} steps in ${secs(f.shrinkMs)} (${f.shrinkTests} runs): ${f.minimizedViolation.id} ${f.minimizedViolation.message}`,
  ];
  if (f.file !== null) lines.push(`  written to ${f.file}`, `  replay: ${f.replayCommand ?? ''}`);
  return lines;
}
