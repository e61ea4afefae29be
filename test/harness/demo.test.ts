/**
 * The planted-bug demonstration: the `window-left` mutant (src/harness/mutants.ts: the advertised
 * right edge moves left while data is unread, FC-3, RFC 9293 §3.8.6.2.2) is found by the transfer
 * suite through the runner API, the failing case is written before shrinking, minimized to at most
 * 6 steps, written to a temporary regressions directory, and replaying that file (API and
 * `tcpfuzz replay`) fails with the same invariant, WIN-3. Also the TIME-WAIT mutant (TMR-5, CT-2).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runSuite } from '../../src/harness/runner.js';
import { findSuite } from '../../src/harness/suites.js';
import { findMutant } from '../../src/harness/mutants.js';
import { replayPair } from '../../src/harness/regression.js';
import { readAnyFile } from '../../src/trace/io.js';
import { main } from '../../src/cli/cli.js';
import { memoryIo } from '../../src/cli/io.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpfuzz-demo-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('planted bug: found, shrunk, written, replayed', () => {
  it('window-left (FC-3): WIN-3 found, written before shrinking, minimized to ≤ 6 steps, replay fails with WIN-3', async () => {
    const suite = findSuite('transfer')!;
    const mutant = findMutant('window-left')!;
    const events: string[] = [];
    let fileAtFound: string | null = null;
    const r = runSuite({
      suite,
      profile: 'linux',
      runs: 200,
      seed: 1,
      mutant,
      regressionsDir: dir,
      onEvent: (m) => {
        events.push(m);
        const f = /wrote (\S+) \(before shrinking\)/.exec(m);
        if (f !== null) fileAtFound = fs.readFileSync(f[1]!, 'utf8');
      },
    });
    expect(r.failure).not.toBeNull();
    const f = r.failure!;
    expect(f.invariant).toBe('WIN-3');
    expect(f.minimizedViolation.id).toBe('WIN-3');
    expect(f.minimizedSize).toBeLessThanOrEqual(6);
    expect(f.minimizedSize).toBeLessThanOrEqual(f.originalSize);
    // The unshrunk case was on disk before shrinking started.
    expect(fileAtFound).not.toBeNull();
    expect(JSON.parse(fileAtFound!)).toMatchObject({ type: 'pair', invariant: 'WIN-3', minimized: false, mutant: 'window-left' });
    // Then replaced by the minimized case.
    expect(f.file).not.toBeNull();
    const doc = readAnyFile(f.file!);
    expect(doc.ok).toBe(true);
    if (!doc.ok || doc.value.kind !== 'pair') throw new Error('not a pair document');
    expect(doc.value.pair.minimized).toBe(true);
    expect(doc.value.pair.scenario.calls.length + doc.value.pair.injections.length).toBeLessThanOrEqual(6);
    const replay = replayPair(doc.value.pair);
    expect(replay.ok && replay.violation?.id).toBe('WIN-3');
    expect(f.replayCommand).toBe(`tcpfuzz replay ${f.file}`);
    // The CLI replay prints the ladder and the violation, exit 1.
    const io = memoryIo();
    const code = await main(['replay', f.file!], io);
    expect(code).toBe(1);
    expect(io.stdout()).toMatch(/FAIL: WIN-3 at step \d+/);
    expect(io.stdout()).toContain('!! WIN-3');
    expect(events[0]).toMatch(/^found WIN-3; wrote /);
  });

  it('the same mutant through `tcpfuzz run --mutant`: FAIL line, seed, replay command, summary table, exit 1', async () => {
    const io = memoryIo();
    const code = await main(['run', '--suite', 'transfer', '--mutant', 'window-left', '--seed', '1', '--runs', '200', '--regressions', dir, '--no-corpus'], io);
    expect(code).toBe(1);
    const out = io.stdout();
    expect(out).toMatch(/FAIL transfer \(linux\): WIN-3 /);
    expect(out).toMatch(/seed 1 \(rerun: tcpfuzz run --suite transfer --profile linux --seed 1 --runs 50 --mutant window-left\)/);
    expect(out).toMatch(/shrunk to [1-6] steps/);
    expect(out).toContain(`replay: tcpfuzz replay ${dir}/mutant-window-left-transfer-linux-WIN-3-seed1.jsonl`);
    expect(out).toMatch(/suite\s+runs\s+failures\s+invariants checked\s+steps\s+FSM edges\s+time/);
  });

  it('shrinking stops at its time limit and keeps a case that still fails the same way', () => {
    let t = 0;
    const r = runSuite({ suite: findSuite('transfer')!, profile: 'linux', runs: 200, seed: 1, mutant: findMutant('window-left')!, regressionsDir: null, shrinkTimeMs: 0, clock: () => (t += 1) });
    expect(r.failure?.invariant).toBe('WIN-3');
    expect(r.failure!.minimizedViolation.id).toBe('WIN-3');
    // No time to shrink: no candidate was run; the fast-check counterexample is kept as it is.
    expect(r.failure!.shrinkTests).toBe(0);
    expect(r.failure!.minimizedSize).toBe(r.failure!.originalSize);
  });

  it('timewait-no-restart (CT-2): TMR-5 found by the close suite and shrunk', () => {
    const r = runSuite({ suite: findSuite('close')!, profile: 'linux', runs: 600, seed: 4, mutant: findMutant('timewait-no-restart')!, regressionsDir: null });
    expect(r.failure?.invariant).toBe('TMR-5');
    expect(r.failure!.minimizedSize).toBeLessThanOrEqual(r.failure!.originalSize);
  });
});
