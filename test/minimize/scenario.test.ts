/**
 * Single-stack scenario minimization (src/minimize/scenario.ts) and `tcpfuzz minimize`: a scenario
 * whose expectation fails keeps failing the same way (same difference kind and field) after ddmin
 * drops every step it does not need; a passing scenario or one without expectations is refused.
 * Pair cases minimize on the simulator with the same invariant.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseScenario, serializeScenario } from '../../src/scenario/jsonl.js';
import { minimizeScenario, failureKey } from '../../src/minimize/scenario.js';
import { ModelStack } from '../../src/stacks/model.js';
import { main } from '../../src/cli/cli.js';
import { memoryIo } from '../../src/cli/io.js';
import { readAnyFile } from '../../src/trace/io.js';
import { pairDocument, writePairDocument } from '../../src/harness/regression.js';
import type { HarnessCase } from '../../src/harness/case.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpfuzz-min-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const HEADER = '{"type":"scenario","format":1,"name":"min","behaviours":[],"profile":"linux","ipVersion":4,"local":{"addr":"192.0.2.1"},"remote":{"addr":"192.0.2.2"},"peerIsn":0}';
const text = [
  HEADER,
  '{"kind":"call","t":0,"call":{"op":"socket","fd":3}}',
  '{"kind":"call","t":0,"call":{"op":"setsockopt","fd":3,"opt":"TCP_NODELAY","value":1}}',
  '{"kind":"call","t":0,"call":{"op":"socket","fd":4}}',
  '{"kind":"wait","t":0.1}',
  '{"kind":"call","t":0.1,"call":{"op":"recv","fd":9,"bytes":10},"expect":{"ok":true,"value":5}}',
  '{"kind":"wait","t":0.2}',
  '',
].join('\n');

describe('minimize a scenario against a stack', () => {
  it('keeps only the step whose expectation fails, with the same failure key', async () => {
    const s = parseScenario(text);
    if (!s.ok) throw new Error(s.error.message);
    const r = await minimizeScenario(new ModelStack(), s.value);
    if (!r.ok) throw new Error(r.error);
    expect(r.scenario.steps).toHaveLength(1);
    expect(r.scenario.steps[0]).toMatchObject({ kind: 'call', call: { op: 'recv', fd: 9 } });
    expect(r.key).toBe(failureKey(r.difference));
    expect(r.key).toBe('call:call(step).result');
  });

  it('refuses a scenario without expectations', async () => {
    const s = parseScenario([HEADER, '{"kind":"call","t":0,"call":{"op":"socket","fd":3}}', ''].join('\n'));
    if (!s.ok) throw new Error(s.error.message);
    const r = await minimizeScenario(new ModelStack(), s.value);
    expect(r.ok).toBe(false);
  });

  it('`tcpfuzz minimize` writes <name>.min.jsonl and prints the replay command', async () => {
    const file = path.join(dir, 'fails.jsonl');
    fs.writeFileSync(file, text);
    const io = memoryIo();
    expect(await main(['minimize', file], io)).toBe(0);
    const out = path.join(dir, 'fails.min.jsonl');
    expect(io.stdout()).toContain(`replay: tcpfuzz replay ${out}`);
    expect(io.stdout()).toMatch(/6 steps → 1 steps/);
    const back = readAnyFile(out);
    expect(back.ok && back.value.kind === 'scenario' && serializeScenario(back.value.scenario).split('\n').length).toBe(3);
  });

  it('`tcpfuzz minimize` on a pair case keeps its invariant (planted window-left bug, WIN-3)', async () => {
    const calls: HarnessCase['pair']['calls'] = [
      { t: 0, node: 'b', call: { op: 'socket', fd: 3 } },
      { t: 0, node: 'b', call: { op: 'bind', fd: 3, port: 80 } },
      { t: 0, node: 'b', call: { op: 'listen', fd: 3, backlog: 4 } },
      { t: 0, node: 'a', call: { op: 'socket', fd: 3 } },
      { t: 0, node: 'b', call: { op: 'setsockopt', fd: 3, opt: 'TCP_NODELAY', value: 1 } },
      { t: 2000, node: 'a', call: { op: 'connect', fd: 3, port: 80 } },
      { t: 30_000, node: 'a', call: { op: 'send', fd: 3, bytes: 7000 } },
      { t: 60_000, node: 'b', call: { op: 'send', fd: 4, bytes: 3000 } },
      { t: 90_000, node: 'a', call: { op: 'close', fd: 3 } },
    ];
    const c: HarnessCase = {
      pair: { profile: 'linux', seedA: 5, seedB: 6, addrA: '192.0.2.1', addrB: '192.0.2.2', calls, app: { autoAccept: true, autoRecv: true, closeOnEof: true }, faults: { latency: { ab: 7000, ba: 3000 }, rules: [{ dir: 'ab', match: { kind: 'nth', n: 9 }, action: { kind: 'duplicate', extraDelay: 1000 } }], partitions: [] }, bounds: { maxSteps: 20_000, maxTime: 3_600_000_000 } },
      injections: [],
    };
    const file = path.join(dir, 'mutant.jsonl');
    expect(writePairDocument(file, pairDocument('mutant', c, { mutant: 'window-left', suite: 'transfer' }))).toEqual({ ok: true });
    const io = memoryIo();
    expect(await main(['minimize', file, '--out', path.join(dir, 'mutant-min.jsonl')], io)).toBe(0);
    expect(io.stdout()).toMatch(/^WIN-3: 10 steps → [1-6] steps/);
    const io2 = memoryIo();
    expect(await main(['replay', path.join(dir, 'mutant-min.jsonl'), '--quiet'], io2)).toBe(1);
    expect(io2.stdout()).toMatch(/FAIL: WIN-3/);
  });
});
