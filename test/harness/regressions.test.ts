/**
 * Every file in corpus/regressions/ is a failure we keep: it is replayed here and must now PASS.
 * A pair case (`{"type": "pair"}`) runs on the model simulator with every invariant re-checked (on
 * its mutant if it names one — such files belong in a temporary directory, not in the corpus); a
 * scenario runs on the model and must meet its own expectations. A regression that still fails
 * fails the test suite until the model is fixed: that is the point.
 */
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readDocumentDir } from '../../src/trace/io.js';
import { replayPair } from '../../src/harness/regression.js';
import { runOnModel } from '../../src/stacks/model.js';
import { checkExpectations, hasExpectations } from '../../src/oracle/expect.js';
import { formatDifference } from '../../src/oracle/diff.js';

const DIR = 'corpus/regressions';
const read = fs.existsSync(DIR) ? readDocumentDir(DIR) : null;
const docs = read !== null && read.ok ? read.value.documents : [];

describe('corpus/regressions: every kept failure now passes', () => {
  it('the directory exists and every file in it parses', () => {
    expect(read).not.toBeNull();
    expect(read!.ok).toBe(true);
    if (read!.ok) expect(read!.value.errors.map((e) => e.message)).toEqual([]);
  });

  for (const { path, document } of docs) {
    it(`${path} passes`, () => {
      switch (document.kind) {
        case 'pair': {
          expect(document.pair.mutant, 'a mutant regression does not belong in the corpus').toBeUndefined();
          const r = replayPair(document.pair);
          if (!r.ok) throw new Error(`${path}: ${r.error}`);
          const v = r.violation;
          expect(v === null ? null : `${v.id} at step ${v.step ?? '?'}: ${v.message} (replay: tcpfuzz replay ${path})`).toBeNull();
          return;
        }
        case 'scenario': {
          expect(hasExpectations(document.scenario)).toBe(true);
          const diffs = checkExpectations(document.scenario, runOnModel(document.scenario));
          expect(diffs.map(formatDifference)).toEqual([]);
          return;
        }
        case 'trace':
          throw new Error(`${path}: a trace does not belong in corpus/regressions (store its scenario or a pair case)`);
        default: {
          const never: never = document;
          return never;
        }
      }
    });
  }
});
