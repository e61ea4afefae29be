/**
 * Writes the hand-written scenario corpus: every family of `src/families.ts` into
 * `corpus/scenarios/<family>/<name>.jsonl` (atomic writes), and deletes `.jsonl` files in those
 * folders that the current generators no longer produce. Run with
 * `npx tsx corpus/scenarios/generate.ts`; prints one line per family and the total.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeScenarioFile } from '../../src/trace/io.js';
import { FAMILIES } from './src/families.js';

const root = path.dirname(fileURLToPath(import.meta.url));

function main(): number {
  const seen = new Map<string, string>();
  let total = 0;
  let failed = false;
  for (const fam of FAMILIES) {
    const dir = path.join(root, fam.folder);
    fs.mkdirSync(dir, { recursive: true });
    const scenarios = fam.build();
    const wanted = new Set<string>();
    for (const s of scenarios) {
      const name = s.header.name;
      const other = seen.get(name);
      if (other !== undefined) {
        process.stderr.write(`duplicate scenario name "${name}" (${other} and ${fam.folder})\n`);
        failed = true;
        continue;
      }
      seen.set(name, fam.folder);
      const file = `${name}.jsonl`;
      wanted.add(file);
      const w = writeScenarioFile(path.join(dir, file), s);
      if (!w.ok) {
        process.stderr.write(`${w.error.message}\n`);
        failed = true;
      }
    }
    for (const f of fs.readdirSync(dir)) {
      if (f.endsWith('.jsonl') && !wanted.has(f)) fs.rmSync(path.join(dir, f));
    }
    total += scenarios.length;
    process.stdout.write(`${fam.folder.padEnd(14)} ${scenarios.length}\n`);
  }
  process.stdout.write(`total          ${total}\n`);
  return failed ? 1 : 0;
}

process.exitCode = main();
