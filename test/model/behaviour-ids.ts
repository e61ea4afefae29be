/**
 * Shared by the behaviour-table check and its generator: the part 1 behaviour IDs the model must
 * cover, and the test names found in the model's test sources.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

function range(prefix: string, from: number, to: number): string[] {
  const out: string[] = [];
  for (let i = from; i <= to; i++) out.push(`${prefix}-${i}`);
  return out;
}

/** In-scope IDs of the model, part 1. */
export const PART1_IDS: readonly string[] = [
  ...range('HS', 1, 13),
  'LQ-1', 'LQ-2', 'LQ-3', 'LQ-5', 'LQ-6',
  ...range('DT', 1, 4), ...range('DT', 9, 13),
  'FC-1', 'FC-2', 'FC-3', 'FC-5', 'FC-6', 'FC-7', 'FC-8',
  ...range('CT', 1, 4), ...range('CT', 6, 11),
  ...range('RS', 1, 4),
  ...range('HD', 1, 4),
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
