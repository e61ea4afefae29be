/**
 * Property suite `hostile`: resets and hostile input: forged RST/SYN/FIN/ACK/data at exact, in-window and far offsets in every state (RS-*, RFC 5961).
 * The definition (generator, invariants, npm-test budget) is data in src/harness/suites.ts, shared
 * with `tcpfuzz run --suite hostile`; this file only runs it under vitest (see _suite.ts for the knobs).
 */
import { describe } from 'vitest';
import { suiteProperty } from './_suite.js';

describe('property suite: hostile', () => {
  suiteProperty('hostile');
});
