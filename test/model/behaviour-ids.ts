/**
 * Shared by the behaviour-table check and its generator: the behaviour IDs the model must cover,
 * and the test names found in the model's test sources.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

function range(prefix: string, from: number, to: number): string[] {
  const out: string[] = [];
  for (let i = from; i <= to; i++) out.push(`${prefix}-${i}`);
  return out;
}

/**
 * Every behaviour ID of behaviours.md: the model covers all 70 (parts 1 and 2). The behaviour table
 * test also checks this list against ../shared/docs/behaviours.md when that file is present.
 */
export const ALL_IDS: readonly string[] = [
  ...range('HS', 1, 13),
  ...range('LQ', 1, 7),
  ...range('DT', 1, 13),
  ...range('FC', 1, 8),
  ...range('CT', 1, 12),
  ...range('RS', 1, 4),
  ...range('HD', 1, 4),
  ...range('CC', 1, 6),
  ...range('KA', 1, 3),
];

export const TEST_FILES_ROOT = join(import.meta.dirname, '..', '..');

/** Model test sources, relative to the repository root. */
export function modelTestFiles(): string[] {
  const dir = join(TEST_FILES_ROOT, 'test', 'model');
  const files = readdirSync(dir).filter((f) => f.endsWith('.test.ts')).sort().map((f) => `test/model/${f}`);
  files.push('properties/model-totality.prop.ts');
  return files;
}

/** Every `it('…')` name in a file. */
export function testNames(file: string): string[] {
  const src = readFileSync(join(TEST_FILES_ROOT, file), 'utf8');
  const names: string[] = [];
  const re = /\bit\(\s*'((?:[^'\\]|\\.)*)'/g;
  for (let m = re.exec(src); m !== null; m = re.exec(src)) names.push(m[1]!.replace(/\\'/g, "'"));
  return names;
}

/** True when `name` names behaviour `id` (HS-1 must not match HS-10). */
export function namesId(name: string, id: string): boolean {
  return new RegExp(`(?<![A-Z])${id}(?!\\d)`).test(name);
}
