/**
 * Property suite `congestion`: congestion control and loss recovery on bulk transfers over lossy,
 * reordering, duplicating paths with a real round-trip time (CC-*, DT-6 … DT-9).
 * The definition (generator, invariants, npm-test budget) is data in src/harness/suites.ts, shared
 * with `tcpfuzz run --suite congestion`; this file only runs it under vitest (see _suite.ts for the knobs).
 */
import { describe } from 'vitest';
import { suiteProperty } from './_suite.js';

describe('property suite: congestion', () => {
  suiteProperty('congestion');
});
