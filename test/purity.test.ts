/**
 * Pure folders stay pure: no Node builtin imports (with or without `node:`), no clock, no
 * randomness, no timers, no `process`. Comments are ignored (a file may say "never calls
 * Date.now"); code and strings are checked. The checker is tested on small bad samples first so
 * it is shown to bite.
 */
import { describe, expect, it } from 'vitest';
import { builtinModules } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';

const PURE_DIRS = ['src/wire', 'src/model', 'src/scenario', 'src/trace', 'src/net', 'src/invariants', 'src/arbitraries'];
const EXEMPT = new Set(['src/trace/io.ts']);

const BUILTINS = new Set(builtinModules.filter((m) => !m.startsWith('_')).map((m) => m.replace(/^node:/, '').split('/')[0]!));

const FORBIDDEN: readonly [RegExp, string][] = [
  [/\bDate\.now\b/, 'Date.now'],
  [/\bperformance\.now\b/, 'performance.now'],
  [/\bMath\.random\b/, 'Math.random'],
  [/\bnew\s+Date\s*\(/, 'new Date('],
  [/(?<![\w$.])process\s*\./, 'process.'],
  [/\bsetTimeout\b/, 'setTimeout'],
  [/\bsetInterval\b/, 'setInterval'],
  [/\bsetImmediate\b/, 'setImmediate'],
];

/** Blank out comments (keeping newlines, so line numbers stay right); strings and code are kept. */
export function stripComments(src: string): string {
  let out = '';
  let i = 0;
  let quote: string | null = null;
  while (i < src.length) {
    const c = src[i]!;
    const next = src[i + 1];
    if (quote !== null) {
      out += c;
      if (c === '\\') {
        out += next ?? '';
        i += 2;
        continue;
      }
      if (c === quote) quote = null;
      i++;
    } else if (c === '"' || c === "'" || c === '`') {
      quote = c;
      out += c;
      i++;
    } else if (c === '/' && next === '/') {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      i += 2;
      while (i < src.length && !(src[i] === '*' && src[i + 1] === '/')) {
        if (src[i] === '\n') out += '\n';
        i++;
      }
      i += 2;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

const IMPORT_RE = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)(['"])([^'"]+)\1/g;

/** Every purity violation in `src` as `file:line: what`. */
export function purityViolations(file: string, src: string): string[] {
  const out: string[] = [];
  const lines = stripComments(src).split('\n');
  lines.forEach((line, i) => {
    for (const m of line.matchAll(IMPORT_RE)) {
      const spec = m[2]!;
      if (spec.startsWith('node:')) out.push(`${file}:${i + 1}: imports the Node module "${spec}"`);
      else if (BUILTINS.has(spec.split('/')[0]!)) out.push(`${file}:${i + 1}: imports the Node builtin "${spec}"`);
    }
    for (const [re, name] of FORBIDDEN) if (re.test(line)) out.push(`${file}:${i + 1}: uses ${name}`);
  });
  return out;
}

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : /\.(ts|mts|js|mjs)$/.test(e.name) ? [path.join(dir, e.name)] : []))
    .sort();
}

describe('the purity checker bites', () => {
  const bad: [string, string][] = [
    ['import fs from "node:fs";', 'imports the Node module "node:fs"'],
    ["import { readFileSync } from 'fs';", 'imports the Node builtin "fs"'],
    ["import * as p from 'path'", 'imports the Node builtin "path"'],
    ["const cp = await import('child_process');", 'imports the Node builtin "child_process"'],
    ["import { promises } from 'fs/promises';", 'imports the Node builtin "fs/promises"'],
    ["import 'node:worker_threads';", 'imports the Node module "node:worker_threads"'],
    ["export { x } from 'os';", 'imports the Node builtin "os"'],
    ['const r = Math.random();', 'uses Math.random'],
    ['const t = Date.now();', 'uses Date.now'],
    ['const t = performance.now();', 'uses performance.now'],
    ['const d = new Date(0);', 'uses new Date('],
    ['if (process.env.X) {}', 'uses process.'],
    ['setTimeout(() => {}, 1);', 'uses setTimeout'],
  ];
  for (const [code, what] of bad) {
    it(`flags ${code}`, () => {
      expect(purityViolations('sample.ts', `// header\n${code}\n`)).toEqual([`sample.ts:2: ${what}`]);
    });
  }

  it('ignores comments and lookalikes, keeps line numbers', () => {
    const ok = [
      '/** Never calls Date.now or Math.random; no process.env. */',
      "import { z } from 'zod';",
      "import type { Segment } from '../wire/types.js';",
      'const preprocess = 1; // process.exit()',
      'const s = "a /* not a comment */ b";',
      'const x = obj.process.y;',
    ].join('\n');
    expect(purityViolations('ok.ts', ok)).toEqual([]);
    expect(purityViolations('late.ts', '/*\n\n*/\nconst a = 1;\nMath.random();')).toEqual(['late.ts:5: uses Math.random']);
  });
});

describe('pure folders', () => {
  const files = PURE_DIRS.flatMap(walk).filter((f) => !EXEMPT.has(f.split(path.sep).join('/')));
  it('have files to check', () => {
    expect(files.length).toBeGreaterThan(0);
  });
  it('import no Node modules and read no clock, randomness, timers or process', () => {
    const violations = files.flatMap((f) => purityViolations(f, fs.readFileSync(f, 'utf8')));
    expect(violations).toEqual([]);
  });
});
