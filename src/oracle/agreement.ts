/**
 * Model ↔ kernel agreement over a corpus of recorded traces: each trace's scenario is replayed on
 * the model under the profile its header names, diffed field by field, and classified as
 * identical, differing only in reviewed ways (known differences), or differing. The markdown
 * summary (`reports/linux-agreement.md`) gives the counts per behaviour family and the first
 * difference of every differing scenario. Pure (the caller reads files and writes the report).
 */
import type { Trace } from '../trace/types.js';
import type { Difference, DiffOptions } from './diff.js';
import { diffTraces, formatDifference } from './diff.js';
import type { KnownDifference } from './known.js';
import { findKnown } from './known.js';

export type Verdict = 'identical' | 'known' | 'differs';

export interface ScenarioAgreement {
  readonly name: string;
  readonly behaviours: readonly string[];
  readonly verdict: Verdict;
  /** Differences no known entry covers. */
  readonly unexplained: readonly Difference[];
  /** Differences covered by a known entry, with the entry. */
  readonly explained: readonly { readonly diff: Difference; readonly entry: KnownDifference }[];
  /** When the model could not run the scenario at all. */
  readonly error?: string;
}

export interface AgreementSummary {
  readonly scenarios: readonly ScenarioAgreement[];
  readonly identical: number;
  readonly known: number;
  readonly differs: number;
  /** Known entries that matched no difference (stale). */
  readonly unusedKnown: readonly KnownDifference[];
}

export function family(id: string): string {
  return id.split('-')[0] ?? id;
}

/**
 * Compare every recorded trace with a fresh model run (`runModel` is `runOnModel` with the right
 * options; injected to keep this module free of the model import cycle and testable).
 */
export function agreement(
  traces: readonly Trace[],
  known: readonly KnownDifference[],
  runModel: (t: Trace) => Trace,
  diffOptions: DiffOptions = {},
): AgreementSummary {
  const used = new Set<KnownDifference>();
  const scenarios: ScenarioAgreement[] = [];
  for (const recorded of traces) {
    const sh = recorded.header.scenario.header;
    let diffs: Difference[];
    try {
      diffs = diffTraces(runModel(recorded), recorded, diffOptions);
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      scenarios.push({ name: sh.name, behaviours: sh.behaviours, verdict: 'differs', unexplained: [], explained: [], error });
      continue;
    }
    const unexplained: Difference[] = [];
    const explained: { diff: Difference; entry: KnownDifference }[] = [];
    for (const d of diffs) {
      const k = findKnown(known, sh.name, d);
      if (k === null) unexplained.push(d);
      else {
        used.add(k);
        explained.push({ diff: d, entry: k });
      }
    }
    const verdict: Verdict = diffs.length === 0 ? 'identical' : unexplained.length === 0 ? 'known' : 'differs';
    scenarios.push({ name: sh.name, behaviours: sh.behaviours, verdict, unexplained, explained });
  }
  const count = (v: Verdict): number => scenarios.filter((s) => s.verdict === v).length;
  return {
    scenarios,
    identical: count('identical'),
    known: count('known'),
    differs: count('differs'),
    unusedKnown: known.filter((k) => !used.has(k)),
  };
}

function pct(n: number, d: number): string {
  return d === 0 ? '–' : `${((100 * n) / d).toFixed(1)} %`;
}

/** The markdown report. `header` lines (kernel, corpus path, command) go first. */
export function agreementMarkdown(s: AgreementSummary, header: readonly string[]): string {
  const total = s.scenarios.length;
  const lines: string[] = ['# Model ↔ Linux agreement', '', ...header, ''];
  lines.push(
    `**${s.identical} of ${total} recorded scenarios identical (${pct(s.identical, total)})**; ` +
      `${s.known} differ only in reviewed ways (corpus/linux/known-differences); ${s.differs} differ.`,
    '',
  );
  const fams = new Map<string, { identical: number; known: number; differs: number }>();
  for (const sc of s.scenarios) {
    for (const f of new Set(sc.behaviours.map(family))) {
      const e = fams.get(f) ?? { identical: 0, known: 0, differs: 0 };
      e[sc.verdict === 'identical' ? 'identical' : sc.verdict === 'known' ? 'known' : 'differs']++;
      fams.set(f, e);
    }
  }
  lines.push('| family | scenarios | identical | known differences | differ |', '|---|---|---|---|---|');
  for (const [f, e] of [...fams].sort(([a], [b]) => a.localeCompare(b))) {
    const n = e.identical + e.known + e.differs;
    lines.push(`| ${f} | ${n} | ${e.identical} (${pct(e.identical, n)}) | ${e.known} | ${e.differs} |`);
  }
  const differing = s.scenarios.filter((x) => x.verdict !== 'identical');
  if (differing.length > 0) {
    lines.push('', '## First difference of each differing scenario', '');
    for (const sc of differing) {
      const first = sc.error !== undefined ? `model failed: ${sc.error}` : sc.unexplained[0] !== undefined ? formatDifference(sc.unexplained[0]) : `${formatDifference(sc.explained[0]!.diff)} (known: ${sc.explained[0]!.entry.reason})`;
      lines.push(`- \`${sc.name}\` [${sc.behaviours.join(', ')}] ${sc.verdict === 'known' ? '(known) ' : ''}— ${first}`);
    }
  }
  if (s.unusedKnown.length > 0) {
    lines.push('', '## Known-difference entries that matched nothing (stale)', '');
    for (const k of s.unusedKnown) lines.push(`- line ${k.line}: \`${k.scenario} ${k.field}\` — ${k.reason}`);
  }
  return `${lines.join('\n')}\n`;
}
