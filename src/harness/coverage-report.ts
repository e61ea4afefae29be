/**
 * The FSM coverage report (`reports/fsm-coverage.json`): covered/total over the edge table of
 * src/net/fsm.ts (and over RFC 9293 Figure 5 alone), every untouched edge with its source, any
 * transition the table does not list, and the per-edge counts.
 */
import type { FsmCoverage } from '../net/fsm.js';
import { coverageSummary } from '../net/fsm.js';

export interface CoverageReport {
  readonly covered: number;
  readonly total: number;
  readonly figure5: { readonly covered: number; readonly total: number };
  readonly untouched: readonly { readonly id: string; readonly figure5: boolean; readonly source: string }[];
  readonly unlisted: readonly { readonly transition: string; readonly count: number }[];
  readonly counts: Readonly<Record<string, number>>;
  readonly meta: Readonly<Record<string, unknown>>;
}

export function coverageReport(cov: FsmCoverage, meta: Readonly<Record<string, unknown>>): CoverageReport {
  const s = coverageSummary(cov);
  const counts: Record<string, number> = {};
  for (const k of Object.keys(cov.counts).sort()) counts[k] = cov.counts[k]!;
  return {
    covered: s.seen,
    total: s.total,
    figure5: { covered: s.figure5Seen, total: s.figure5Total },
    untouched: s.untouched.map((e) => ({ id: e.id, figure5: e.figure5, source: e.source })),
    unlisted: s.unlisted,
    counts,
    meta,
  };
}
