/**
 * The reviewed list of accepted differences between the model and recorded Linux traces
 * (`corpus/linux/known-differences`). Every entry has a reason; the corpus test fails on any
 * difference no entry covers, and also on entries that no longer match anything (stale excuses
 * hide regressions).
 *
 * Format, one entry per line (`#` starts a comment line; blank lines ignored):
 *
 *     <scenario-name-glob>  <field-glob>  <reason, free text, required>
 *
 * Globs use `*` (any run of characters) and `?` (one character). The field is the difference's
 * field path as the oracle prints it (`out[2].window`, `call(step 5).result`, `state(fd 4)`,
 * `out[7]` for a missing/extra segment). Pure.
 */
import type { Difference } from './diff.js';

export interface KnownDifference {
  readonly line: number;
  readonly scenario: string;
  readonly field: string;
  readonly reason: string;
  readonly scenarioRe: RegExp;
  readonly fieldRe: RegExp;
}

export type KnownParse = { readonly ok: true; readonly entries: readonly KnownDifference[] } | { readonly ok: false; readonly line: number; readonly message: string };

function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

export function parseKnownDifferences(text: string): KnownParse {
  const entries: KnownDifference[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === '' || raw.startsWith('#')) continue;
    const m = /^(\S+)\s+(\S+)\s+(.*\S)\s*$/.exec(raw);
    if (m === null) return { ok: false, line: i + 1, message: 'expected "<scenario-glob> <field-glob> <reason>"' };
    const [, scenario, field, reason] = m as unknown as [string, string, string, string];
    entries.push({ line: i + 1, scenario, field, reason, scenarioRe: globToRegExp(scenario), fieldRe: globToRegExp(field) });
  }
  return { ok: true, entries };
}

/** The entry that excuses this difference, or null. */
export function findKnown(entries: readonly KnownDifference[], scenario: string, d: Difference): KnownDifference | null {
  for (const e of entries) if (e.scenarioRe.test(scenario) && e.fieldRe.test(d.field)) return e;
  return null;
}
