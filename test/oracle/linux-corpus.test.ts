/**
 * The model against the recorded Linux corpus (issue: reference Linux over TUN). Every trace in
 * corpus/linux/ is replayed on the model under its header's profile and sysctls and diffed field by
 * field; any difference not listed, with a reason, in corpus/linux/known-differences fails the
 * suite, and so does a listed entry that no longer matches anything. No root needed.
 */
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import { RecordedStack } from '../../src/stacks/recorded.js';
import { parseKnownDifferences } from '../../src/oracle/known.js';
import { agreement } from '../../src/oracle/agreement.js';
import { modelTraceFor } from '../../src/oracle/replay-model.js';
import { formatDifference } from '../../src/oracle/diff.js';

const KNOWN = 'corpus/linux/known-differences';

describe('model vs recorded Linux corpus', () => {
  const stack = new RecordedStack('corpus/linux');
  const problems = stack.load();
  const traces = stack.traces();
  const known = parseKnownDifferences(fs.existsSync(KNOWN) ? fs.readFileSync(KNOWN, 'utf8') : '');

  it('the corpus reads cleanly and is the size the issue asks for (≥ 300 hand-written + ≥ 1000 generated)', () => {
    expect(problems).toEqual([]);
    const generated = traces.filter((t) => t.header.scenario.header.name.startsWith('gen-')).length;
    expect(generated).toBeGreaterThanOrEqual(1000);
    expect(traces.length - generated).toBeGreaterThanOrEqual(300);
    for (const t of traces) expect(t.header.stack).toBe('linux');
  });

  it('the known-differences file parses', () => {
    expect(known.ok ? 'ok' : `${KNOWN}:${known.line}: ${known.message}`).toBe('ok');
  });

  it('every recorded trace agrees with the model, except reviewed known differences', () => {
    if (!known.ok) throw new Error('known-differences does not parse');
    const summary = agreement(traces, known.entries, (t) => modelTraceFor(t));
    const unexplained = summary.scenarios
      .filter((s) => s.verdict === 'differs')
      .map((s) => `${s.name}: ${s.error ?? formatDifference(s.unexplained[0]!)}`);
    expect(unexplained).toEqual([]);
    expect(summary.unusedKnown.map((k) => `${KNOWN}:${k.line}: ${k.scenario} ${k.field} matches nothing`)).toEqual([]);
  });
});
