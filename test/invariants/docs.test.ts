/**
 * docs/invariants.md is generated from the catalogue (ID, title, RFC section, behaviours) and the
 * mutant table (which mutant each invariant is shown to catch, on which scenario). This test fails
 * when the file and the catalogue disagree; regenerate with
 *   UPDATE_INVARIANT_DOCS=1 npx vitest run test/invariants/docs.test.ts
 */
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { catalogue } from '../../src/invariants/catalogue.js';
import { MUTANTS } from './mutants.js';

const DOC = path.resolve(__dirname, '../../docs/invariants.md');
const BEHAVIOURS = '/work/shared/docs/behaviours.md';

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function renderInvariantDocs(): string {
  const lines: string[] = [
    '# Invariant catalogue',
    '',
    '<!-- Generated from src/invariants/catalogue.ts and test/invariants/mutants.ts by test/invariants/docs.test.ts. Do not edit by hand: run `UPDATE_INVARIANT_DOCS=1 npx vitest run test/invariants/docs.test.ts`. -->',
    '',
    'Every invariant runs either on each model step (`step`: it sees the endpoint before and after, the input and the outputs) or on a whole two-endpoint run (`run`: both endpoints\' steps, end states and when faults stopped). Each is shown to bite: the mutant named here (a deliberately broken model, `test/invariants/mutants.ts`) makes it report a violation on the scenario named, and the same scenario on the real model makes it report none (`test/invariants/mutants.test.ts`). Behaviour IDs refer to `behaviours.md`.',
    '',
    `${catalogue.length} invariants: ${catalogue.filter((i) => i.kind === 'step').length} per step, ${catalogue.filter((i) => i.kind === 'run').length} whole-run.`,
    '',
    '| ID | kind | invariant | source | behaviours | mutant it catches | scenario |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const inv of catalogue) {
    const m = MUTANTS.find((x) => x.id === inv.id);
    lines.push(`| ${inv.id} | ${inv.kind} | ${cell(inv.title)} | ${cell(inv.rfc)} | ${inv.behaviours.join(', ')} | ${m ? cell(m.name) : '**none**'} | ${m ? cell(m.scenario.name) : ''} |`);
  }
  lines.push('');
  return lines.join('\n');
}

describe('docs/invariants.md', () => {
  it('matches the catalogue and the mutant table', () => {
    const want = renderInvariantDocs();
    if (process.env['UPDATE_INVARIANT_DOCS'] === '1') fs.writeFileSync(DOC, want);
    const got = fs.existsSync(DOC) ? fs.readFileSync(DOC, 'utf8') : '';
    expect(got, 'docs/invariants.md is stale: run UPDATE_INVARIANT_DOCS=1 npx vitest run test/invariants/docs.test.ts').toBe(want);
  });

  it('every behaviour ID an invariant names exists in behaviours.md', () => {
    const text = fs.readFileSync(BEHAVIOURS, 'utf8');
    const known = new Set([...text.matchAll(/^- ([A-Z]{2}-\d+) /gm)].map((m) => m[1]));
    for (const inv of catalogue) for (const b of inv.behaviours) expect(known.has(b), `${inv.id} names unknown behaviour ${b}`).toBe(true);
  });

  it('IDs are unique and every invariant cites a source and at least one behaviour', () => {
    const ids = catalogue.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const inv of catalogue) {
      expect(inv.id).toMatch(/^(SEQ|WIN|FSM|REL|TMR|CC|OPT|HDR|RST|LIV|END)-\d+$/);
      expect(inv.rfc.length, inv.id).toBeGreaterThan(5);
      expect(inv.behaviours.length, inv.id).toBeGreaterThan(0);
    }
    expect(catalogue.length).toBeGreaterThanOrEqual(40);
  });
});
