/**
 * FSM coverage of the default suites at their npm-test budget: every edge of the RFC 9293 table
 * (src/net/fsm.ts) is exercised by some suite on the linux profile, except the edges listed below,
 * each with the reason the model (or every shipped profile) cannot take it. If the model learns
 * one of them, the test fails until the edge leaves this list.
 */
import { describe, expect, it } from 'vitest';
import { SUITES } from '../../src/harness/suites.js';
import { suiteCoverage } from '../../src/harness/runner.js';
import { coverageSummary, EMPTY_COVERAGE, FSM_EDGES, mergeCoverage } from '../../src/net/fsm.js';
import type { FsmCoverage } from '../../src/net/fsm.js';

const SEED = 20261123;
/** The default profile of `tcpfuzz run` (rfc9293 adds no edge: it ignores RST in TIME-WAIT, RFC 1337). */
const PROFILES = ['linux'];

/** Edges no shipped profile of the model takes, and why. */
const UNREACHABLE: Readonly<Record<string, string>> = {
  'LISTEN>SYN-SENT:send':
    'RFC 9293 lets SEND turn a listener active; the sockets API does not (send() on a listening socket fails, Linux tcp_sendmsg), and the model follows the API',
  'FIN-WAIT-1>TIME-WAIT:rcv-fin':
    'a FIN that also acknowledges our FIN is processed ACK first (RFC 9293 §3.10.7.4 fifth check, then the eighth; Linux tcp_rcv_state_process then tcp_fin): FIN-WAIT-1 → FIN-WAIT-2 → TIME-WAIT, two edges in one step',
  'SYN-RECEIVED>CLOSE-WAIT:rcv-fin':
    'the ACK of the segment is processed first (fifth check), so SYN-RECEIVED → ESTABLISHED → CLOSE-WAIT; a FIN without an acceptable ACK is dropped or reset before the FIN check',
  'TIME-WAIT>SYN-RECEIVED:rcv-syn':
    'the model reopens a TIME-WAIT 4-tuple as Linux does (tcp_timewait_state_process → TCP_TW_SYN): the TIME-WAIT connection ends (TIME-WAIT>CLOSED:rcv-syn) and the listener spawns a new SYN-RECEIVED child',
  'ESTABLISHED>CLOSED:rcv-syn': 'both shipped profiles answer an in-window SYN in a synchronized state with a challenge ACK (RFC 5961 §4.2); no profile resets',
  'FIN-WAIT-1>CLOSED:rcv-syn': 'challenge ACK (RFC 5961 §4.2) in every shipped profile',
  'FIN-WAIT-2>CLOSED:rcv-syn': 'challenge ACK (RFC 5961 §4.2) in every shipped profile',
  'CLOSE-WAIT>CLOSED:rcv-syn': 'challenge ACK (RFC 5961 §4.2) in every shipped profile',
  'CLOSING>CLOSED:rcv-syn': 'challenge ACK (RFC 5961 §4.2) in every shipped profile',
  'LAST-ACK>CLOSED:rcv-syn': 'challenge ACK (RFC 5961 §4.2) in every shipped profile',
  'SYN-RECEIVED>CLOSED:rcv-ack':
    'needs tcp_abort_on_overflow=1 (LQ-3); every shipped profile has abortOnOverflow false and a pair case selects a profile by name only',
};

describe('FSM coverage of the default suites (RFC 9293 §3.3.2 Figure 5 + §3.10 extras)', () => {
  it('every edge is covered at the npm-test budget, except the listed unreachable ones', () => {
    let cov: FsmCoverage = EMPTY_COVERAGE;
    for (const s of SUITES) for (const p of PROFILES) cov = mergeCoverage(cov, suiteCoverage(s, p, s.defaultRuns, SEED));
    const sum = coverageSummary(cov);
    const untouched = sum.untouched.map((e) => e.id).sort();
    expect(untouched).toEqual(Object.keys(UNREACHABLE).sort());
    expect(sum.seen).toBe(FSM_EDGES.length - Object.keys(UNREACHABLE).length);
    // Every Figure 5 edge but the RFC-only SEND-in-LISTEN is taken.
    expect(sum.figure5Seen).toBe(sum.figure5Total - 1);
  });

  it('the unreachable list names real table edges', () => {
    const ids = new Set(FSM_EDGES.map((e) => e.id));
    for (const id of Object.keys(UNREACHABLE)) expect(ids.has(id)).toBe(true);
  });
});
