/**
 * Keeps docs/behaviour-tests.md in sync with the model tests: every row's test exists and names its
 * ID, and every behaviour ID of behaviours.md has at least one row.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_IDS, TEST_FILES_ROOT, namesId, testNames } from './behaviour-ids.js';

interface Row {
  id: string;
  file: string;
  name: string;
}

function rows(): Row[] {
  const md = readFileSync(join(TEST_FILES_ROOT, 'docs', 'behaviour-tests.md'), 'utf8');
  const out: Row[] = [];
  for (const line of md.split('\n')) {
    const m = /^\| ([A-Z]{2}-\d+) \| `([^`]+)` \| (.*) \|$/.exec(line);
    if (m !== null) out.push({ id: m[1]!, file: m[2]!, name: m[3]!.replace(/\\\|/g, '|') });
  }
  return out;
}

describe('behaviour table', () => {
  it('every row names an existing test whose name contains the ID', () => {
    const cache = new Map<string, string[]>();
    const table = rows();
    expect(table.length).toBeGreaterThan(ALL_IDS.length);
    for (const r of table) {
      if (!cache.has(r.file)) cache.set(r.file, testNames(r.file));
      const names = cache.get(r.file)!;
      expect(names, `${r.id}: no test "${r.name}" in ${r.file}`).toContain(r.name);
      expect(namesId(r.name, r.id), `test "${r.name}" does not name ${r.id}`).toBe(true);
    }
  });

  it('every behaviour ID is in the table with at least one test', () => {
    const ids = new Set(rows().map((r) => r.id));
    const missing = ALL_IDS.filter((id) => !ids.has(id));
    expect(missing).toEqual([]);
  });

  it('the ID list is exactly the IDs behaviours.md defines', () => {
    const doc = join(TEST_FILES_ROOT, '..', 'shared', 'docs', 'behaviours.md');
    if (!existsSync(doc)) {
      // CI and the dev machines have ../shared beside the checkout; a bare clone cannot check this.
      expect(ALL_IDS.length).toBe(70);
      return;
    }
    const found = new Set<string>();
    for (const m of readFileSync(doc, 'utf8').matchAll(/^- ([A-Z]{2}-\d+) /gm)) found.add(m[1]!);
    expect([...found].sort()).toEqual([...ALL_IDS].sort());
  });
});
