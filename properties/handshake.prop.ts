/**
 * Property suite `handshake`: handshakes: normal, simultaneous open (HS-10), refused (HS-11), SYN/SYN-ACK give-up (HS-5, HS-6), closes and aborts mid-handshake.
 * The definition (generator, invariants, npm-test budget) is data in src/harness/suites.ts, shared
 * with `tcpfuzz run --suite handshake`; this file only runs it under vitest (see _suite.ts for the knobs).
 */
import { describe } from 'vitest';
import { suiteProperty } from './_suite.js';

describe('property suite: handshake', () => {
  suiteProperty('handshake');
});
