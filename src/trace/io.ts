/**
 * Scenario and trace files on disk: the one place in `src/scenario` + `src/trace` that does I/O.
 * Reading decodes `.gz` files (the recorded corpus is stored as `.jsonl.gz`), parses with the pure
 * JSONL reader and returns errors as values whose `message` is one line `path:line: problem` (or
 * `path: problem` when the file cannot be read at all). Writing is atomic: the data goes to
 * `path.tmp-<pid>-<n>` and is renamed over the target, so a reader sees the old file or the new
 * one, never half of either; on failure the temp file is removed and the old file is untouched.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import type { Scenario } from '../scenario/types.js';
import type { Trace } from './types.js';
import type { Document, ParseResult } from '../scenario/jsonl.js';
import { parseDocument, serializeScenario, serializeTrace } from '../scenario/jsonl.js';

export interface FileError {
  readonly path: string;
  /** 1-based line, or 0 when the problem is the file as a whole (cannot be read). */
  readonly line: number;
  /** The problem alone, without the location. */
  readonly problem: string;
  /** `path:line: problem` (or `path: problem`), ready to print. */
  readonly message: string;
}

export type FileResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: FileError };

export type WriteResult = { readonly ok: true } | { readonly ok: false; readonly error: { readonly path: string; readonly message: string } };

function fileError(p: string, line: number, problem: string): { ok: false; error: FileError } {
  return { ok: false, error: { path: p, line, problem, message: line > 0 ? `${p}:${line}: ${problem}` : `${p}: ${problem}` } };
}

function errText(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as NodeJS.ErrnoException).code;
    const first = e.message.split('\n')[0] ?? '';
    return code !== undefined && !first.includes(code) ? `${first} (${code})` : first;
  }
  return String(e);
}

/** The text of a file, gunzipped when the name ends in `.gz`. */
export function readText(p: string): FileResult<string> {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(p);
  } catch (e) {
    return fileError(p, 0, `cannot read: ${errText(e)}`);
  }
  if (p.endsWith('.gz')) {
    try {
      bytes = zlib.gunzipSync(bytes);
    } catch (e) {
      return fileError(p, 1, `not a valid gzip file: ${errText(e)}`);
    }
  }
  return { ok: true, value: bytes.toString('utf8') };
}

function located<T>(p: string, r: ParseResult<T>): FileResult<T> {
  return r.ok ? r : fileError(p, r.error.line, r.error.message);
}

/** Read a scenario, a trace or a pair case (the header line decides). */
export function readAnyFile(p: string): FileResult<Document> {
  const text = readText(p);
  if (!text.ok) return text;
  return located(p, parseDocument(text.value));
}

export function readScenarioFile(p: string): FileResult<Scenario> {
  const r = readAnyFile(p);
  if (!r.ok) return r;
  if (r.value.kind !== 'scenario') return fileError(p, 1, `expected a scenario, found a ${r.value.kind} header`);
  return { ok: true, value: r.value.scenario };
}

export function readTraceFile(p: string): FileResult<Trace> {
  const r = readAnyFile(p);
  if (!r.ok) return r;
  if (r.value.kind !== 'trace') return fileError(p, 1, `expected a trace, found a ${r.value.kind} header`);
  return { ok: true, value: r.value.trace };
}

/** File system operations `writeFileAtomic` uses; tests replace some to simulate failures. */
export interface AtomicFs {
  writeFileSync(p: string, data: Uint8Array | string, options: { flag: string }): void;
  renameSync(from: string, to: string): void;
  rmSync(p: string, options: { force: boolean }): void;
  mkdirSync(p: string, options: { recursive: boolean }): unknown;
}

let tempCounter = 0;

/**
 * Write `data` to `p` atomically: parent directories are created, the data goes to
 * `p.tmp-<pid>-<n>` and is renamed over `p`. On any failure the temp file is removed and `p` keeps
 * its old content.
 */
export function writeFileAtomic(p: string, data: Uint8Array | string, fsOps: Partial<AtomicFs> = {}): WriteResult {
  const ops: AtomicFs = { ...(fs as unknown as AtomicFs), ...fsOps };
  tempCounter++;
  const tmp = `${p}.tmp-${process.pid}-${tempCounter}`;
  // Whether a failure may have left our temp file behind (a write can fail half-way). An EEXIST
  // from the exclusive create means the name belongs to someone else: leave it alone.
  let tempMayExist = false;
  try {
    ops.mkdirSync(path.dirname(p), { recursive: true });
    tempMayExist = true;
    ops.writeFileSync(tmp, data, { flag: 'wx' });
    ops.renameSync(tmp, p);
    return { ok: true };
  } catch (e) {
    if (tempMayExist && (e as NodeJS.ErrnoException).code !== 'EEXIST') {
      try {
        ops.rmSync(tmp, { force: true });
      } catch {
        // Nothing more to do: report the original failure.
      }
    }
    return { ok: false, error: { path: p, message: `${p}: cannot write: ${errText(e)}` } };
  }
}

function encodeFor(p: string, text: string): Uint8Array {
  const bytes = Buffer.from(text, 'utf8');
  return p.endsWith('.gz') ? zlib.gzipSync(bytes, { level: 9 }) : bytes;
}

/** Write a scenario as JSONL (gzipped when the name ends in `.gz`), atomically. */
export function writeScenarioFile(p: string, s: Scenario): WriteResult {
  return writeFileAtomic(p, encodeFor(p, serializeScenario(s)));
}

/** Write a trace as JSONL (gzipped when the name ends in `.gz`), atomically. */
export function writeTraceFile(p: string, t: Trace): WriteResult {
  return writeFileAtomic(p, encodeFor(p, serializeTrace(t)));
}

export const DOCUMENT_EXTENSIONS = ['.jsonl', '.jsonl.gz'] as const;

/** Every `.jsonl` / `.jsonl.gz` file under `dir`, recursively, sorted by path (code-unit order). */
export function listDocumentFiles(dir: string): FileResult<string[]> {
  const out: string[] = [];
  const walk = (d: string): void => {
    const entries = fs.readdirSync(d, { withFileTypes: true });
    for (const e of entries) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile() && DOCUMENT_EXTENSIONS.some((ext) => e.name.endsWith(ext))) out.push(full);
    }
  };
  try {
    walk(dir);
  } catch (e) {
    return fileError(dir, 0, `cannot list: ${errText(e)}`);
  }
  out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { ok: true, value: out };
}

export interface DirectoryRead {
  /** Files that parsed, in path order. */
  readonly documents: readonly { readonly path: string; readonly document: Document }[];
  /** Files that did not, in path order. */
  readonly errors: readonly FileError[];
}

/** Read every scenario/trace file under `dir` (recursive, sorted); bad files are collected, not fatal. */
export function readDocumentDir(dir: string): FileResult<DirectoryRead> {
  const files = listDocumentFiles(dir);
  if (!files.ok) return files;
  const documents: { path: string; document: Document }[] = [];
  const errors: FileError[] = [];
  for (const f of files.value) {
    const r = readAnyFile(f);
    if (r.ok) documents.push({ path: f, document: r.value });
    else errors.push(r.error);
  }
  return { ok: true, value: { documents, errors } };
}
