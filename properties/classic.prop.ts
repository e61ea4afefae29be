/**
 * The `classic` profile (the seed articles' textbook TCP: IW 1, no SACK/timestamps/window scaling,
 * 200 ms delayed ACK) through the suites where it differs most from `rfc9293` — transfer under
 * faults, congestion and recovery, close paths — with the full invariant catalogue, at a smaller
 * budget than the two main profiles (see _suite.ts for the knobs).
 */
import { describe } from 'vitest';
import { suiteProperty } from './_suite.js';

describe('property suites on the classic profile', () => {
  suiteProperty('transfer', { profiles: ['classic'], runs: 1500 });
  suiteProperty('congestion', { profiles: ['classic'], runs: 300 });
  suiteProperty('close', { profiles: ['classic'], runs: 2000 });
});
