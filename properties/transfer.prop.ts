/**
 * Property suite `transfer`: data both ways under drop, duplicate, reorder, corrupt, truncate and partition faults (DT-*).
 * The definition (generator, invariants, npm-test budget) is data in src/harness/suites.ts, shared
 * with `tcpfuzz run --suite transfer`; this file only runs it under vitest (see _suite.ts for the knobs).
 */
import { describe } from 'vitest';
import { suiteProperty } from './_suite.js';

describe('property suite: transfer', () => {
  suiteProperty('transfer');
});
