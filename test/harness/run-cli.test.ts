/**
 * `tcpfuzz run` (src/cli/commands/run.ts): bad usage is one line and exit 2; `--json` gives the
 * machine-readable result whose exit code matches its failure count; `reports/fsm-coverage.json`
 * (here a temp path) lists exactly the untouched edges; progress goes to stderr as periodic lines
 * without a terminal and as a redrawn bar with one; durations parse.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeRunCommand, parseDuration } from '../../src/cli/commands/run.js';
import { main } from '../../src/cli/cli.js';
import { memoryIo } from '../../src/cli/io.js';
import { FSM_EDGES } from '../../src/net/fsm.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpfuzz-run-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A clock that advances `step` ms per reading. */
function fakeClock(step: number): () => number {
  let t = 0;
  return () => (t += step);
}

describe('tcpfuzz run', () => {
  it('bad usage: one line plus usage, exit 2', async () => {
    for (const args of [['--suite', 'nope'], ['--time', '10x'], ['--stack', 'bsd'], ['--runs', '0'], ['--profile', 'bsd'], ['--mutant', 'nope'], ['extra']]) {
      const io = memoryIo();
      expect(await main(['run', ...args], io)).toBe(2);
      expect(io.stderr()).toMatch(/^tcpfuzz: (run: |unknown|Unexpected)/);
      expect(io.stderr()).toContain('usage: tcpfuzz run');
    }
  });

  it('--json: per-suite counts, FSM coverage and a coverage report file; exit 1 exactly when something failed', async () => {
    const cov = path.join(dir, 'fsm.json');
    const cmd = makeRunCommand({ coveragePath: cov, tty: false });
    const io = memoryIo();
    const code = await cmd.run(['--suite', 'handshake', '--runs', '40', '--seed', '7', '--json', '--no-corpus', '--regressions', path.join(dir, 'reg')], io);
    const j = JSON.parse(io.stdout()) as {
      seed: number;
      suites: { suite: string; runs: number; failures: number; invariantsChecked: number; failure: null | { invariant: string; file: string; replay: string } }[];
      fsm: { covered: number; total: number; untouched: string[] };
      failures: number;
    };
    expect(j.seed).toBe(7);
    expect(j.suites).toHaveLength(1);
    const s = j.suites[0]!;
    expect(s.suite).toBe('handshake');
    expect(s.invariantsChecked).toBeGreaterThan(0);
    expect(code).toBe(j.failures > 0 ? 1 : 0);
    if (s.failure === null) expect(s.runs).toBe(40);
    else {
      expect(fs.existsSync(s.failure.file)).toBe(true);
      expect(s.failure.replay).toBe(`tcpfuzz replay ${s.failure.file}`);
    }
    expect(j.fsm.total).toBe(FSM_EDGES.length);
    const report = JSON.parse(fs.readFileSync(cov, 'utf8')) as { covered: number; total: number; untouched: { id: string }[] };
    expect(report.covered).toBe(j.fsm.covered);
    expect(report.untouched.map((e) => e.id)).toEqual(j.fsm.untouched);
    expect(report.untouched).toHaveLength(report.total - report.covered);
  });

  it('progress: periodic lines without a terminal, a redrawn bar on one', async () => {
    const plain = memoryIo();
    await makeRunCommand({ coveragePath: path.join(dir, 'a.json'), tty: false, clock: fakeClock(4000) }).run(['--suite', 'listener', '--runs', '10', '--seed', '3', '--no-corpus', '--regressions', path.join(dir, 'reg')], plain);
    expect(plain.stderr()).toMatch(/tcpfuzz run: listener: \d+ runs\n/);
    expect(plain.stderr()).not.toContain('\r');
    expect(plain.stdout()).toMatch(/listener\s+\d+\s+[01]\s/);
    const tty = memoryIo();
    await makeRunCommand({ coveragePath: path.join(dir, 'b.json'), tty: true, clock: fakeClock(200) }).run(['--suite', 'listener', '--runs', '10', '--seed', '3', '--no-corpus', '--regressions', path.join(dir, 'reg')], tty);
    expect(tty.stderr()).toMatch(/\r\[[#.]{30}\] listener \d+\/10 runs/);
  });

  it('parses durations', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('10m')).toBe(600_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('5')).toBe(5000);
    expect(parseDuration('5x')).toBeNull();
  });
});
