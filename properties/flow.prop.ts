/**
 * Property suite `flow`: flow control and zero windows: small buffers, a slow or stalled reader, persist probes (FC-*).
 * The definition (generator, invariants, npm-test budget) is data in src/harness/suites.ts, shared
 * with `tcpfuzz run --suite flow`; this file only runs it under vitest (see _suite.ts for the knobs).
 */
import { describe } from 'vitest';
import { suiteProperty } from './_suite.js';

describe('property suite: flow', () => {
  suiteProperty('flow');
});
