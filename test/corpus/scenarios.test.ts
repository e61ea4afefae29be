/**
 * The hand-written scenario corpus (`corpus/scenarios/`): every file parses as a scenario, names a
 * behaviour ID and has a description; names are unique; there are at least 300; together they
 * cover every behaviour ID of docs/behaviours.md except the few the live kernel cannot show through
 * a TUN peer (listed below with the reason); and the files on disk are exactly what the generators
 * in `corpus/scenarios/src/` produce (`npx tsx corpus/scenarios/generate.ts` regenerates them).
 */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDocumentDir } from '../../src/trace/io.js';
import { serializeScenario } from '../../src/scenario/jsonl.js';
import type { Scenario } from '../../src/scenario/types.js';
import { FAMILIES } from '../../corpus/scenarios/src/families.js';

const ROOT = path.join(import.meta.dirname, '..', '..', 'corpus', 'scenarios');

/** Every behaviour ID of docs/behaviours.md (prefix and count per group). */
const GROUPS: readonly (readonly [string, number])[] = [
  ['HS', 13],
  ['LQ', 7],
  ['DT', 13],
  ['FC', 8],
  ['CC', 6],
  ['CT', 12],
  ['RS', 4],
  ['KA', 3],
  ['HD', 4],
];
const ALL_IDS: readonly string[] = GROUPS.flatMap(([g, n]) => Array.from({ length: n }, (_, i) => `${g}-${i + 1}`));

/** IDs the live kernel cannot show through a TUN peer, with the reason. */
const NOT_SHOWABLE: Readonly<Record<string, string>> = {
  'LQ-6':
    'a land-attack SYN needs source = destination address; the TUN recorder refuses equal addresses and the kernel drops a packet with its own source address arriving on a non-loopback device (martian source) before TCP',
};

function loadCorpus(): { path: string; scenario: Scenario }[] {
  const r = readDocumentDir(ROOT);
  if (!r.ok) throw new Error(r.error.message);
  expect(r.value.errors.map((e) => e.message)).toEqual([]);
  return r.value.documents.map((d) => {
    if (d.document.kind !== 'scenario') throw new Error(`${d.path}: a trace in the scenario corpus`);
    return { path: d.path, scenario: d.document.scenario };
  });
}

describe('hand-written scenario corpus', () => {
  const corpus = loadCorpus();

  it('has at least 300 scenarios, each with behaviour IDs and a description', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(300);
    for (const { path: p, scenario } of corpus) {
      expect(scenario.header.behaviours.length, p).toBeGreaterThan(0);
      for (const id of scenario.header.behaviours) expect(ALL_IDS, `${p}: ${id}`).toContain(id);
      expect((scenario.header.description ?? '').trim().length, p).toBeGreaterThan(10);
    }
  });

  it('has unique scenario names, each file named after its scenario', () => {
    const names = corpus.map((c) => c.scenario.header.name);
    expect(new Set(names).size).toBe(names.length);
    for (const { path: p, scenario } of corpus) expect(path.basename(p)).toBe(`${scenario.header.name}.jsonl`);
  });

  it('covers every behaviour ID (HS, LQ, DT, FC, CC, CT, RS, KA, HD) except the ones a TUN peer cannot show', () => {
    const covered = new Set(corpus.flatMap((c) => c.scenario.header.behaviours));
    const missing = ALL_IDS.filter((id) => !covered.has(id) && !(id in NOT_SHOWABLE));
    expect(missing).toEqual([]);
    // An excluded ID must really be absent: if a scenario covers it, drop it from the list.
    for (const id of Object.keys(NOT_SHOWABLE)) expect(covered.has(id), id).toBe(false);
    expect(ALL_IDS.length).toBe(70);
  });

  it('matches what the generators produce (regenerate with npx tsx corpus/scenarios/generate.ts)', () => {
    const onDisk = new Map(corpus.map((c) => [path.relative(ROOT, c.path), serializeScenario(c.scenario)]));
    const generated = new Map<string, string>();
    for (const fam of FAMILIES) {
      for (const s of fam.build()) generated.set(path.join(fam.folder, `${s.header.name}.jsonl`), serializeScenario(s));
    }
    expect([...onDisk.keys()].sort()).toEqual([...generated.keys()].sort());
    for (const [k, v] of generated) expect(onDisk.get(k), k).toBe(v);
  });

  it('keeps every scenario short in real time (≤ 20 s)', () => {
    for (const { path: p, scenario } of corpus) {
      const last = scenario.steps[scenario.steps.length - 1];
      expect(last?.t ?? 0, p).toBeLessThanOrEqual(20);
    }
  });
});
