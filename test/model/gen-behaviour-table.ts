/**
 * Regenerates docs/behaviour-tests.md from the test names: `npx tsx test/model/gen-behaviour-table.ts`.
 * behaviour-table.test.ts checks the result stays in sync.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_IDS, TEST_FILES_ROOT, modelTestFiles, namesId, testNames } from './behaviour-ids.js';

const names: [string, string][] = [];
for (const f of modelTestFiles()) for (const n of testNames(f)) names.push([f, n]);
const lines = [
  '# Behaviour IDs → model tests',
  '',
  'Which test covers each of the 70 behaviour IDs of `behaviours.md` in the model (parts 1 and 2).',
  '`test/model/behaviour-table.test.ts` keeps this table honest: it fails when an ID listed here has no test',
  'whose name contains it, when a test named here does not exist, and when a behaviour ID is missing.',
  'Regenerate with `npx tsx test/model/gen-behaviour-table.ts`.',
  '',
  '| ID | test file | test name |',
  '| --- | --- | --- |',
];
for (const id of ALL_IDS) {
  const hits = names.filter(([, n]) => namesId(n, id));
  if (hits.length === 0) lines.push(`| ${id} | — | — |`);
  for (const [f, n] of hits) lines.push(`| ${id} | \`${f}\` | ${n.replace(/\|/g, '\\|')} |`);
}
writeFileSync(join(TEST_FILES_ROOT, 'docs', 'behaviour-tests.md'), lines.join('\n') + '\n');
