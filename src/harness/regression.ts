/**
 * Regression files: a failing harness case as a `pair` document (src/scenario/pair-schema.ts) in
 * `corpus/regressions/<name>.jsonl`, written atomically (src/trace/io.ts) — once before shrinking
 * starts, so a crash or a kill during minimization still leaves the failure on disk, and again
 * with the minimized case. `replayPair` runs a stored case on the model (or on the mutant it was
 * found with) and judges it the way the runner did.
 */
import type { Endpoint } from '../model/types.js';
import type { PairModel } from '../net/pair.js';
import { tcpModel } from '../net/model.js';
import type { Violation } from '../invariants/types.js';
import type { PairDocument } from '../scenario/pair-schema.js';
import { PAIR_DOCUMENT_FORMAT } from '../scenario/pair-schema.js';
import { serializePair } from '../scenario/jsonl.js';
import type { WriteResult } from '../trace/io.js';
import { writeFileAtomic } from '../trace/io.js';
import type { HarnessCase } from './case.js';
import type { CaseRun } from './check.js';
import { runCase } from './check.js';
import type { InvariantSet } from './invariant-set.js';
import { catalogueInvariants, stepOnly } from './invariant-set.js';
import type { Mutant } from './mutants.js';
import { findMutant } from './mutants.js';
import { findSuite } from './suites.js';

export const DEFAULT_REGRESSIONS_DIR = 'corpus/regressions';

/** A file-name-safe name: letters, digits, `-`, `_`, `.`. */
export function regressionName(parts: readonly (string | number)[]): string {
  return parts
    .map((p) => String(p))
    .join('-')
    .replace(/[^A-Za-z0-9_.-]+/g, '_');
}

export function regressionPath(dir: string, name: string): string {
  return `${dir.replace(/\/+$/, '')}/${name}.jsonl`;
}

export function pairDocument(name: string, c: HarnessCase, meta: Omit<PairDocument, 'format' | 'name' | 'profile' | 'scenario' | 'injections' | 'direct'>): PairDocument {
  const d: PairDocument = { format: PAIR_DOCUMENT_FORMAT, name, profile: c.pair.profile, ...meta, scenario: c.pair, injections: c.injections };
  return c.direct !== undefined && c.direct.length > 0 ? { ...d, direct: c.direct } : d;
}

export function writePairDocument(path: string, d: PairDocument): WriteResult {
  return writeFileAtomic(path, serializePair(d));
}

export function caseOf(d: PairDocument): HarnessCase {
  return d.direct !== undefined ? { pair: d.scenario, injections: d.injections, direct: d.direct } : { pair: d.scenario, injections: d.injections };
}

/** The invariants a stored case is judged by: its suite's choice (whole-run or not), default all. */
export function invariantsFor(d: PairDocument): InvariantSet {
  const s = d.suite !== undefined ? findSuite(d.suite) : undefined;
  return s !== undefined && !s.runInvariants ? stepOnly(catalogueInvariants) : catalogueInvariants;
}

/**
 * Judge a case on a model: the first violation, or — for a mutant — the first violation the
 * unmutated model does not also show on this case (so the planted bug is what is reported).
 */
export function judge(c: HarnessCase, inv: InvariantSet, mutant: Mutant | undefined): { run: CaseRun; violation: Violation | null } {
  const model: PairModel<Endpoint> = mutant?.model ?? tcpModel;
  const run = runCase(c, model, inv);
  if (mutant === undefined || run.verdict.ok) return { run, violation: run.verdict.violation };
  const base = runCase(c, tcpModel, inv).verdict;
  const seen = new Set(base.violations.map((v) => v.id));
  return { run, violation: run.verdict.violations.find((v) => !seen.has(v.id)) ?? null };
}

export type ReplayPairResult =
  | { readonly ok: true; readonly run: CaseRun; readonly violation: Violation | null; readonly mutant: Mutant | undefined }
  | { readonly ok: false; readonly error: string };

/** Replay a stored pair case (on its mutant when it names one). */
export function replayPair(d: PairDocument): ReplayPairResult {
  let mutant: Mutant | undefined;
  if (d.mutant !== undefined) {
    mutant = findMutant(d.mutant);
    if (mutant === undefined) return { ok: false, error: `unknown mutant "${d.mutant}"` };
  }
  const r = judge(caseOf(d), invariantsFor(d), mutant);
  return { ok: true, run: r.run, violation: r.violation, mutant };
}
