/**
 * Regenerates docs/behaviour-tests.md from the test names: `npx tsx test/model/gen-behaviour-table.ts`.
 * behaviour-table.test.ts checks the result stays in sync.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PART1_IDS, TEST_FILES_ROOT, modelTestFiles, namesId, testNames } from './behaviour-ids.js';

const names: [string, string][] = [];
for (const f of modelTestFiles()) for (const n of testNames(f)) names.push([f, n]);
const lines = [
  '# Behaviour IDs → model tests',
  '',
  'Which test covers each behaviour ID of `behaviours.md` in the model, part 1 scope: HS-1…HS-13, LQ-1…LQ-3,',
  'LQ-5, LQ-6, DT-1…DT-4, DT-9…DT-13, FC-1…FC-3, FC-5…FC-8, CT-1…CT-4, CT-6…CT-11, RS-1…RS-4, HD-1…HD-4.',
  '`test/model/behaviour-table.test.ts` keeps this table honest: it fails when an ID listed here has no test',
  'whose name contains it, when a test named here does not exist, and when an in-scope ID is missing.',
  'Regenerate with `npx tsx test/model/gen-behaviour-table.ts`.',
  '',
  'Part 2 timers add DT-5, CC-4 (timeout side), CT-5, KA-1…KA-3 and FC-4 (test/model/timers.test.ts).',
  'Part 2 loss recovery adds CC-1…CC-3, CC-5, CC-6 and DT-6…DT-8 (test/model/congestion.test.ts, recovery.test.ts, sack.test.ts).',
  'LQ-7 and CT-12 appear where tests touch them.',
  '',
  '| ID | test file | test name |',
  '| --- | --- | --- |',
];
const extra = ['LQ-7', 'CT-12', 'KA-2', 'FC-4', 'DT-5', 'CC-4', 'CT-5', 'KA-1', 'KA-3', 'CC-1', 'CC-2', 'CC-3', 'CC-5', 'CC-6', 'DT-6', 'DT-7', 'DT-8'];
for (const id of [...PART1_IDS, ...extra]) {
  const hits = names.filter(([, n]) => namesId(n, id));
  if (hits.length === 0) lines.push(`| ${id} | — | — |`);
  for (const [f, n] of hits) lines.push(`| ${id} | \`${f}\` | ${n.replace(/\|/g, '\\|')} |`);
}
writeFileSync(join(TEST_FILES_ROOT, 'docs', 'behaviour-tests.md'), lines.join('\n') + '\n');
