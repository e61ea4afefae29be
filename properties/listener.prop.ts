/**
 * Property suite `listener`: listener and SYN floods: backlogs, several clients, lazy accept, forged SYNs, the listener closing (LQ-*).
 * The definition (generator, invariants, npm-test budget) is data in src/harness/suites.ts, shared
 * with `tcpfuzz run --suite listener`; this file only runs it under vitest (see _suite.ts for the knobs).
 */
import { describe } from 'vitest';
import { suiteProperty } from './_suite.js';

describe('property suite: listener', () => {
  suiteProperty('listener');
});
