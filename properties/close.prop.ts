/**
 * Property suite `close`: close paths: simultaneous and half close, unread data, SO_LINGER 0, FIN-WAIT-2 and give-up timeouts (CT-*).
 * The definition (generator, invariants, npm-test budget) is data in src/harness/suites.ts, shared
 * with `tcpfuzz run --suite close`; this file only runs it under vitest (see _suite.ts for the knobs).
 */
import { describe } from 'vitest';
import { suiteProperty } from './_suite.js';

describe('property suite: close', () => {
  suiteProperty('close');
});
