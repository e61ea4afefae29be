/**
 * The property suites, as data: a name, what area and behaviour IDs it covers, the generator
 * (arbs.ts), which invariants apply, and how many runs `npm test` gives it. The vitest wrappers in
 * `properties/<name>.prop.ts` and `tcpfuzz run` both run these same definitions through
 * `runSuite` (runner.ts); the property body is always "run the case on the simulator and check
 * every invariant" (check.ts).
 *
 * `defaultRuns` is the npm-test budget per profile (the vitest wrappers run linux and rfc9293): at
 * the throughput `npx tsx bench/harness.bench.ts` measures (about 60–2 500 cases/s by suite and
 * machine load), each suite file takes about 5–30 s on one core, so the whole test run stays well
 * under 10 minutes.
 */
import type fc from 'fast-check';
import type { HarnessCase } from './case.js';
import { closeArb, congestionArb, flowArb, handshakeArb, hostileArb, listenerArb, transferArb } from './arbs.js';

export interface Suite {
  readonly name: string;
  readonly title: string;
  readonly behaviours: readonly string[];
  arbitrary(profiles: readonly string[]): fc.Arbitrary<HarnessCase>;
  /** Whole-run invariants apply (false where forged segments break end-to-end promises on purpose). */
  readonly runInvariants: boolean;
  /** Runs in `npm test` (per profile). */
  readonly defaultRuns: number;
}

export const SUITES: readonly Suite[] = [
  {
    name: 'handshake',
    title: 'handshakes: normal, simultaneous open, refused, give-ups, closes and aborts mid-handshake',
    behaviours: ['HS-1', 'HS-5', 'HS-6', 'HS-10', 'HS-11', 'HS-12'],
    arbitrary: handshakeArb,
    runInvariants: true,
    defaultRuns: 3000,
  },
  {
    name: 'transfer',
    title: 'data both ways under drop, duplicate, reorder, corrupt, truncate and partition faults',
    behaviours: ['DT-1', 'DT-3', 'DT-4', 'DT-5', 'DT-9'],
    arbitrary: transferArb,
    runInvariants: true,
    defaultRuns: 2500,
  },
  {
    name: 'flow',
    title: 'flow control: small buffers, a slow or stalled reader, zero windows and probes',
    behaviours: ['FC-1', 'FC-2', 'FC-3', 'FC-4'],
    arbitrary: flowArb,
    runInvariants: true,
    defaultRuns: 2500,
  },
  {
    name: 'close',
    title: 'close paths: simultaneous close, half close, unread data, linger 0, FIN-WAIT-2 and give-up timeouts',
    behaviours: ['CT-1', 'CT-2', 'CT-3', 'CT-4', 'CT-5', 'CT-6', 'CT-8', 'CT-9'],
    arbitrary: closeArb,
    runInvariants: true,
    defaultRuns: 5000,
  },
  {
    name: 'hostile',
    title: 'resets and hostile input: forged RST/SYN/FIN/ACK/data at exact, in-window and far offsets in every state',
    behaviours: ['RS-1', 'RS-2', 'RS-3', 'RS-4', 'CT-12'],
    arbitrary: hostileArb,
    runInvariants: false,
    defaultRuns: 5000,
  },
  {
    name: 'listener',
    title: 'listener and SYN floods: backlogs, several clients, lazy accept, forged SYNs, listener closed',
    behaviours: ['LQ-1', 'LQ-2', 'LQ-3', 'LQ-5', 'LQ-7'],
    arbitrary: listenerArb,
    runInvariants: false,
    defaultRuns: 5000,
  },
  {
    name: 'congestion',
    title: 'congestion and recovery: bulk transfers over lossy, reordering, duplicating paths with a real RTT',
    behaviours: ['CC-1', 'CC-2', 'CC-3', 'DT-6', 'DT-7', 'DT-8', 'DT-9'],
    arbitrary: congestionArb,
    runInvariants: true,
    defaultRuns: 200,
  },
];

export function findSuite(name: string): Suite | undefined {
  return SUITES.find((s) => s.name === name);
}
