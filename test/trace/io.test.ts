/**
 * File I/O: reading .jsonl and .jsonl.gz, the `path:line: message` form, atomic writes (old or
 * new content, never a temp file left behind), and reading a corpus directory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  listDocumentFiles,
  readAnyFile,
  readDocumentDir,
  readScenarioFile,
  readTraceFile,
  writeFileAtomic,
  writeScenarioFile,
  writeTraceFile,
} from '../../src/trace/io.js';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpfuzz-io-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const leftovers = (d: string): string[] => fs.readdirSync(d).filter((n) => n.includes('.tmp-'));

describe('reading', () => {
  it('reads the gzipped trace fixture the same as the plain one', () => {
    const a = readTraceFile('test/fixtures/good/passive-open.trace.jsonl');
    const b = readTraceFile('test/fixtures/good/passive-open.trace.jsonl.gz');
    expect(a.ok).toBe(true);
    expect(b).toEqual(a);
  });

  it('names the file when the kind is wrong or the file is missing', () => {
    expect(readScenarioFile('test/fixtures/good/passive-open.trace.jsonl')).toMatchObject({
      ok: false,
      error: { message: 'test/fixtures/good/passive-open.trace.jsonl:1: expected a scenario, found a trace header' },
    });
    expect(readTraceFile('test/fixtures/good/passive-open.jsonl')).toMatchObject({
      ok: false,
      error: { message: 'test/fixtures/good/passive-open.jsonl:1: expected a trace, found a scenario header' },
    });
    const missing = path.join(dir, 'nope.jsonl');
    const r = readAnyFile(missing);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.line).toBe(0);
      expect(r.error.message).toMatch(new RegExp(`^${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cannot read: ENOENT: no such file or directory`));
    }
  });
});

describe('atomic writes', () => {
  it('creates parent directories and writes', () => {
    const p = path.join(dir, 'a', 'b', 'c.txt');
    expect(writeFileAtomic(p, 'hello')).toEqual({ ok: true });
    expect(fs.readFileSync(p, 'utf8')).toBe('hello');
    expect(leftovers(path.dirname(p))).toEqual([]);
  });

  it('replaces old content with new content', () => {
    const p = path.join(dir, 'replace.txt');
    fs.writeFileSync(p, 'old');
    expect(writeFileAtomic(p, 'new')).toEqual({ ok: true });
    expect(fs.readFileSync(p, 'utf8')).toBe('new');
    expect(leftovers(dir)).toEqual([]);
  });

  it('a failing rename leaves the old file and no temp file', () => {
    const p = path.join(dir, 'keep.txt');
    fs.writeFileSync(p, 'old');
    let tempSeen = '';
    const r = writeFileAtomic(p, 'new', {
      renameSync: (from: string) => {
        tempSeen = from;
        expect(fs.readFileSync(from, 'utf8')).toBe('new');
        throw Object.assign(new Error('EXDEV: simulated rename failure'), { code: 'EXDEV' });
      },
    });
    expect(r).toEqual({ ok: false, error: { path: p, message: `${p}: cannot write: EXDEV: simulated rename failure` } });
    expect(tempSeen).toMatch(new RegExp(`keep\\.txt\\.tmp-${process.pid}-\\d+$`));
    expect(fs.existsSync(tempSeen)).toBe(false);
    expect(fs.readFileSync(p, 'utf8')).toBe('old');
    expect(leftovers(dir)).toEqual([]);
  });

  it('a failing temp write (partial data, then an error) leaves the old file and no temp file', () => {
    const p = path.join(dir, 'keep2.txt');
    fs.writeFileSync(p, 'old');
    const r = writeFileAtomic(p, 'new', {
      writeFileSync: (tmp: string) => {
        fs.writeFileSync(tmp, 'ne');
        throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      },
    });
    expect(r).toEqual({ ok: false, error: { path: p, message: `${p}: cannot write: ENOSPC: no space left on device` } });
    expect(fs.readFileSync(p, 'utf8')).toBe('old');
    expect(leftovers(dir)).toEqual([]);
  });

  it('never removes a temp-named file it did not create (EEXIST on the exclusive create)', () => {
    const p = path.join(dir, 'keep3.txt');
    fs.writeFileSync(p, 'old');
    let foreign = '';
    const r = writeFileAtomic(p, 'new', {
      writeFileSync: (tmp: string) => {
        foreign = tmp;
        fs.writeFileSync(tmp, 'someone else');
        throw Object.assign(new Error('EEXIST: file already exists'), { code: 'EEXIST' });
      },
    });
    expect(r.ok).toBe(false);
    expect(fs.readFileSync(foreign, 'utf8')).toBe('someone else');
    expect(fs.readFileSync(p, 'utf8')).toBe('old');
    fs.rmSync(foreign);
  });

  it('a path whose directory is a file fails cleanly', () => {
    const blocker = path.join(dir, 'blocker');
    fs.writeFileSync(blocker, 'x');
    const r = writeFileAtomic(path.join(blocker, 'f.txt'), 'data');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/cannot write: .*(ENOTDIR|EEXIST)/);
    expect(fs.readFileSync(blocker, 'utf8')).toBe('x');
    expect(leftovers(dir)).toEqual([]);
  });

  it('writeScenarioFile / writeTraceFile round-trip, gzipped by extension', () => {
    const s = readScenarioFile('test/fixtures/good/passive-open.jsonl');
    const t = readTraceFile('test/fixtures/good/passive-open.trace.jsonl');
    if (!s.ok || !t.ok) throw new Error('fixtures must parse');
    const sp = path.join(dir, 'rt', 's.jsonl');
    const tp = path.join(dir, 'rt', 'deep', 't.jsonl.gz');
    expect(writeScenarioFile(sp, s.value)).toEqual({ ok: true });
    expect(writeTraceFile(tp, t.value)).toEqual({ ok: true });
    expect(fs.readFileSync(sp, 'utf8')).toBe(fs.readFileSync('test/fixtures/good/passive-open.jsonl', 'utf8'));
    expect(fs.readFileSync(tp).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(readTraceFile(tp)).toEqual(t);
  });
});

describe('corpus directories', () => {
  it('lists .jsonl and .jsonl.gz files recursively, sorted, and collects bad files as errors', () => {
    const root = path.join(dir, 'corpus');
    fs.mkdirSync(path.join(root, 'b', 'deeper'), { recursive: true });
    fs.mkdirSync(path.join(root, 'a'), { recursive: true });
    fs.copyFileSync('test/fixtures/good/passive-open.jsonl', path.join(root, 'b', 'deeper', 'z.jsonl'));
    fs.copyFileSync('test/fixtures/good/passive-open.trace.jsonl.gz', path.join(root, 'a', 'y.jsonl.gz'));
    fs.copyFileSync('test/fixtures/bad/seq-negative.jsonl', path.join(root, 'b', 'bad.jsonl'));
    fs.writeFileSync(path.join(root, 'README.md'), 'not a document');
    const files = listDocumentFiles(root);
    expect(files).toEqual({
      ok: true,
      value: [path.join(root, 'a', 'y.jsonl.gz'), path.join(root, 'b', 'bad.jsonl'), path.join(root, 'b', 'deeper', 'z.jsonl')],
    });
    const r = readDocumentDir(root);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.documents.map((d) => [path.basename(d.path), d.document.kind])).toEqual([
      ['y.jsonl.gz', 'trace'],
      ['z.jsonl', 'scenario'],
    ]);
    expect(r.value.errors.map((e) => e.message)).toEqual([
      `${path.join(root, 'b', 'bad.jsonl')}:5: step 3: seg.seq: expected integer 0..4294967295, got -1`,
    ]);
    expect(listDocumentFiles(path.join(root, 'missing')).ok).toBe(false);
  });
});
