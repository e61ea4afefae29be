/**
 * The `pair` document kind of the JSONL format (src/scenario/pair-schema.ts, jsonl.ts): a harness
 * case round-trips byte for byte, readAnyFile and serializeDocument handle it next to scenarios and
 * traces, a bad field is one line naming the field, nothing may follow the header, and
 * `tcpfuzz show` prints it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseDocument, serializeDocument, serializePair, parseScenario } from '../../src/scenario/jsonl.js';
import { readAnyFile } from '../../src/trace/io.js';
import { pairDocument, writePairDocument, caseOf } from '../../src/harness/regression.js';
import { SUITES } from '../../src/harness/suites.js';
import { main } from '../../src/cli/cli.js';
import { memoryIo } from '../../src/cli/io.js';
import { RST, ACK } from '../../src/wire/types.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpfuzz-pair-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('pair documents', () => {
  it('every suite generator gives cases that round-trip through the pair format', () => {
    for (const s of SUITES) {
      for (const c of fc.sample(s.arbitrary(['linux', 'rfc9293']), { seed: 3, numRuns: 30 })) {
        const d = pairDocument(`rt-${s.name}`, c, { suite: s.name, seed: 3, invariant: 'SEQ-1', message: 'm', minimized: false });
        const text = serializePair(d);
        const back = parseDocument(text);
        if (!back.ok) throw new Error(`${s.name}: ${back.error.message}`);
        expect(back.value.kind).toBe('pair');
        if (back.value.kind !== 'pair') return;
        expect(caseOf(back.value.pair)).toEqual(c);
        expect(serializeDocument(back.value)).toBe(text);
      }
    }
  });

  it('a bad field is one line naming it; nothing may follow the header; other readers say what they found', () => {
    // One fixed, seeded case as a fixture (not a property run): the test checks the file format on it.
    const c = fc.sample(SUITES[0]!.arbitrary(['linux']), { seed: 1, numRuns: 1 })[0]!;
    const good = JSON.parse(serializePair(pairDocument('x', c, {}))) as Record<string, unknown>;
    const bad = { ...good, injections: [{ t: 0, to: 'c', flags: RST | ACK, seqOff: 0, ackOff: 0, len: 0, window: 0 }] };
    const r = parseDocument(`${JSON.stringify(bad)}\n`);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toEqual({ line: 1, message: expect.stringMatching(/^header: injections\[0\]\.to: /) as unknown as string });
    const extra = parseDocument(`${JSON.stringify(good)}\n{"kind":"wait","t":0}\n`);
    expect(extra.ok).toBe(false);
    if (!extra.ok) expect(extra.error.line).toBe(2);
    const asScenario = parseScenario(`${JSON.stringify(good)}\n`);
    expect(asScenario).toEqual({ ok: false, error: { line: 1, message: 'expected a scenario, found a pair header' } });
  });

  it('is written atomically, read back by readAnyFile, and shown by `tcpfuzz show`', async () => {
    // One fixed, seeded case as a fixture (not a property run): the test checks the file format on it.
    const c = fc.sample(SUITES.find((s) => s.name === 'hostile')!.arbitrary(['linux']), { seed: 5, numRuns: 1 })[0]!;
    const file = path.join(dir, 'case.jsonl');
    expect(writePairDocument(file, pairDocument('case', c, { suite: 'hostile', invariant: 'RS-2' }))).toEqual({ ok: true });
    const r = readAnyFile(file);
    expect(r.ok && r.value.kind).toBe('pair');
    expect(fs.readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    const io = memoryIo();
    expect(await main(['show', file], io)).toBe(0);
    expect(io.stdout()).toMatch(/^pair case "case" profile linux suite hostile/);
    expect(io.stdout()).toContain('FORGED');
  });
});
