/**
 * Reset family: RSTs at every position (exactly RCV.NXT, inside the window, RCV.NXT−1, beyond the
 * window, far below) in each synchronized state, with and without ACK; RSTs in SYN-RECEIVED and
 * SYN-SENT; SYNs in synchronized states (challenge ACKs and their rate limit, the RFC 5961 §3
 * recovery); segments to ports or 4-tuples with no connection. After each RST the application's
 * next call and a probe from the peer show whether the connection survived.
 * Behaviours RS-1…RS-4 (RFC 9293 §3.10.7, RFC 5961; kernel tcp_input.c:tcp_validate_incoming,
 * tcp_ipv4.c:tcp_v4_send_reset).
 */
import type { Scenario } from '../../../src/scenario/types.js';
import { Peer, activeOpen, listen, ok, passiveOpen } from './kit.js';

type SyncState = 'established' | 'fin-wait-1' | 'fin-wait-2' | 'close-wait' | 'last-ack' | 'closing' | 'time-wait';
const SYNC_STATES: readonly SyncState[] = ['established', 'fin-wait-1', 'fin-wait-2', 'close-wait', 'last-ack', 'closing', 'time-wait'];

interface StateInfo {
  /** The SUT's RCV.NXT in the peer's space. */
  readonly rcvNxt: number;
  /** The SUT's SND.NXT in its own space. */
  readonly sndNxt: number;
  /** Whether the peer has sent its FIN (so a liveness probe must be a pure ACK). */
  readonly peerFin: boolean;
}

/** Drive a fresh passive connection into `state`; the SUT keeps fd 4 open (shutdown, not close). */
function enter(p: Peer, state: SyncState): StateInfo {
  passiveOpen(p);
  p.at('+0.01');
  switch (state) {
    case 'established':
      return { rcvNxt: 1, sndNxt: 1, peerFin: false };
    case 'fin-wait-1':
      p.call({ op: 'shutdown', fd: 4, how: 'SHUT_WR' }, ok(0));
      return { rcvNxt: 1, sndNxt: 2, peerFin: false };
    case 'fin-wait-2':
      p.call({ op: 'shutdown', fd: 4, how: 'SHUT_WR' }, ok(0));
      p.at('+0.01').ack(1, 2);
      return { rcvNxt: 1, sndNxt: 2, peerFin: false };
    case 'close-wait':
      p.fin(1, 1);
      return { rcvNxt: 2, sndNxt: 1, peerFin: true };
    case 'last-ack':
      p.fin(1, 1);
      p.at('+0.01').call({ op: 'shutdown', fd: 4, how: 'SHUT_WR' }, ok(0));
      return { rcvNxt: 2, sndNxt: 2, peerFin: true };
    case 'closing':
      p.call({ op: 'shutdown', fd: 4, how: 'SHUT_WR' }, ok(0));
      p.at('+0.001').fin(1, 1);
      return { rcvNxt: 2, sndNxt: 2, peerFin: true };
    case 'time-wait':
      p.call({ op: 'shutdown', fd: 4, how: 'SHUT_WR' }, ok(0));
      p.at('+0.01').ack(1, 2);
      p.at('+0.01').fin(1, 2);
      return { rcvNxt: 2, sndNxt: 2, peerFin: true };
    default: {
      const never: never = state;
      return never;
    }
  }
}

/** After the event under test: the application's view, then a probe from the peer. */
function probe(p: Peer, s: StateInfo): void {
  p.at('+0.05').call({ op: 'recv', fd: 4, bytes: 100 });
  p.at('+0.05');
  if (s.peerFin) p.ack(s.rcvNxt, s.sndNxt, { note: 'liveness probe' });
  else p.data(s.rcvNxt, 10, s.sndNxt, { note: 'liveness probe' });
}

const POSITIONS: readonly { label: string; off: number; what: string }[] = [
  { label: 'exact', off: 0, what: 'exactly RCV.NXT (accepted: the connection is reset)' },
  { label: 'in-window', off: 1000, what: 'RCV.NXT+1000, inside the window (challenge ACK, connection kept)' },
  { label: 'rcvnxt-minus-1', off: -1, what: 'RCV.NXT−1, just left of the window' },
  { label: 'beyond-window', off: 1000000, what: 'far beyond the right edge (dropped silently)' },
  { label: 'old', off: -100000, what: 'far below RCV.NXT (dropped silently)' },
];

function rstPositions(): Scenario[] {
  const out: Scenario[] = [];
  for (const state of SYNC_STATES) {
    for (const pos of POSITIONS) {
      const p = new Peer(`rs-rst-${state}-${pos.label}`, {
        behaviours: ['RS-2', 'RS-3', ...(state === 'time-wait' ? ['CT-2'] : [])],
        description: `In ${state.toUpperCase()} an RST (no ACK) with seq ${pos.what}.`,
      });
      const s = enter(p, state);
      p.at('+0.05').inject('R', s.rcvNxt + pos.off, 0);
      probe(p, s);
      out.push(p.wait('+0.1').build());
    }
    const p = new Peer(`rs-rst-ack-${state}-exact`, {
      behaviours: ['RS-2', 'RS-3'],
      description: `In ${state.toUpperCase()} an RST|ACK with seq = RCV.NXT and an acceptable ACK resets the connection.`,
    });
    const s = enter(p, state);
    p.at('+0.05').inject('R.', s.rcvNxt, s.sndNxt);
    probe(p, s);
    out.push(p.wait('+0.1').build());
  }
  for (const set of ['none', 'nots'] as const) {
    for (const pos of POSITIONS.slice(0, 2)) {
      const p = new Peer(`rs-rst-established-${pos.label}-${set}`, {
        behaviours: ['RS-2', 'RS-3'],
        description: `In ESTABLISHED without timestamps (options "${set}") an RST with seq ${pos.what}.`,
      }, { opts: set });
      const s = enter(p, 'established');
      p.at('+0.05').inject('R', s.rcvNxt + pos.off, 0);
      probe(p, s);
      out.push(p.wait('+0.1').build());
    }
  }
  return out;
}

function challengeAck(): Scenario[] {
  const out: Scenario[] = [];
  {
    const p = new Peer('rs-challenge-ack-rate-limit', {
      behaviours: ['RS-2'],
      description: 'Three in-window RSTs 100 ms apart: only one challenge ACK per 500 ms is sent.',
    });
    const s = enter(p, 'established');
    for (let i = 0; i < 3; i++) p.at('+0.1').inject('R', s.rcvNxt + 500 + i, 0);
    p.at('+0.6').inject('R', s.rcvNxt + 900, 0);
    probe(p, s);
    out.push(p.wait('+0.1').build());
  }
  {
    const p = new Peer('rs-challenge-ack-then-exact-rst', {
      behaviours: ['RS-2', 'RS-3'],
      description: 'RFC 5961 recovery: an in-window RST draws a challenge ACK; the peer\'s RST at the acknowledged sequence then resets the connection.',
    });
    const s = enter(p, 'established');
    p.at('+0.05').inject('R', s.rcvNxt + 2000, 0);
    p.at('+0.01').inject('R', s.rcvNxt, 0);
    probe(p, s);
    out.push(p.wait('+0.1').build());
  }
  {
    const p = new Peer('rs-rst-with-data-in-flight', {
      behaviours: ['RS-2', 'RS-3'],
      description: 'The SUT has unacknowledged data when an exact RST arrives: the data is dropped, retransmissions stop and send fails.',
    });
    const s = enter(p, 'established');
    p.call({ op: 'send', fd: 4, bytes: 3000 }, ok(3000));
    p.at('+0.01').inject('R', s.rcvNxt, 0);
    p.at('+0.05').call({ op: 'send', fd: 4, bytes: 10 });
    out.push(p.wait('+0.5').build());
  }
  for (const state of ['established', 'fin-wait-2', 'close-wait', 'time-wait'] as const) {
    for (const [label, seq] of [
      ['in-window', 5000],
      ['old-isn', 0],
    ] as const) {
      const p = new Peer(`rs-syn-in-${state}-${label}`, {
        behaviours: ['RS-2', ...(state === 'time-wait' ? ['CT-12'] : [])],
        description: `A SYN in ${state.toUpperCase()} with seq ${label === 'old-isn' ? '0 (the old ISN, as from a rebooted peer)' : 'inside the window'}: a challenge ACK (or, in TIME-WAIT, the TIME-WAIT rules), never a reset of the connection.`,
      });
      const s = enter(p, state);
      p.at('+0.05').inject('S', seq, 0, { rawOpts: p.synOpts() });
      probe(p, s);
      out.push(p.wait('+0.1').build());
    }
  }
  {
    const p = new Peer('rs-synack-in-established', {
      behaviours: ['RS-2', 'RS-1'],
      description: 'A SYN|ACK in ESTABLISHED is not acceptable: the SUT answers with an ACK, the connection stays.',
    });
    const s = enter(p, 'established');
    p.at('+0.05').inject('S.', 0, 1, { rawOpts: p.synOpts() });
    probe(p, s);
    out.push(p.wait('+0.1').build());
  }
  {
    const p = new Peer('rs-peer-rebooted-syn-recovery', {
      behaviours: ['RS-2', 'RS-3', 'KA-2'],
      description: 'A rebooted peer sends a fresh SYN on the old 4-tuple: the SUT\'s challenge ACK is answered with RST at its ack number, which clears the old connection, and the retried SYN opens a new one.',
    });
    const s = enter(p, 'established');
    p.at('+0.05').inject('S', 7000000, 0, { rawOpts: p.synOpts() });
    p.at('+0.01').inject('R', s.rcvNxt, 0, { note: 'RST with seq = the challenge ACK\'s ack' });
    p.at('+0.01').call({ op: 'recv', fd: 4, bytes: 100 });
    p.at('+0.5').inject('S', 7000000, 0, { rawOpts: p.synOpts() });
    out.push(p.wait('+0.2').build());
  }
  {
    const p = new Peer('rs-unacceptable-data-gets-ack', {
      behaviours: ['RS-1', 'FC-2'],
      description: 'An unacceptable data segment (entirely old) in ESTABLISHED gets an empty ACK, not an RST.',
    });
    const s = enter(p, 'established');
    p.at('+0.01').data(1, 1000, 1);
    p.at('+0.05').data(1, 500, 1);
    p.call({ op: 'recv', fd: 4, bytes: 10000 }, ok(1000));
    probe(p, { ...s, rcvNxt: 1001 });
    out.push(p.wait('+0.1').build());
  }
  return out;
}

function synReceived(): Scenario[] {
  const out: Scenario[] = [];
  for (const [label, seq] of [
    ['exact', 1],
    ['in-window', 1000],
    ['beyond-window', 1000000],
  ] as const) {
    const p = new Peer(`rs-rst-syn-received-${label}`, {
      behaviours: ['RS-2', 'RS-3', 'LQ-1'],
      description: `An RST with seq ${label} for a connection in SYN-RECEIVED (SYN-ACK sent, no third ACK): removes the request only when acceptable; a later ACK shows whether it survived.`,
    });
    passiveOpen(p, { noThird: true });
    p.at(0.03).inject('R', seq, 0);
    p.at(0.1).ack(1, 1, { ecr: 0 });
    p.call({ op: 'accept', fd: 3 });
    out.push(p.wait('+0.1').build());
  }
  return out;
}

function synSent(): Scenario[] {
  const out: Scenario[] = [];
  for (const [label, flags, ack] of [
    ['no-ack', 'R', 0],
    ['ack-iss', 'R.', 0],
    ['ack-plus-2', 'R.', 2],
    ['ack-good', 'R.', 1],
  ] as const) {
    const p = new Peer(`rs-rst-syn-sent-${label}`, {
      behaviours: ['RS-4', 'RS-3', ...(label === 'ack-good' ? ['HS-11'] : [])],
      description: `In SYN-SENT an RST ${flags === 'R' ? 'without ACK' : `acknowledging ${ack}`} ${label === 'ack-good' ? 'acknowledges the SYN: connect() fails with ECONNREFUSED' : 'does not acknowledge the SYN and is ignored; the SYN-ACK that follows completes the open'}.`,
    });
    activeOpen(p, { noSynAck: true });
    p.at('+0.01').inject(flags, 0, ack, { rawOpts: [] });
    p.at('+0.05');
    if (label !== 'ack-good') p.inject('S.', 0, 1, { rawOpts: p.synOpts(0) });
    p.call({ op: 'recv', fd: 3, bytes: 100 });
    out.push(p.wait('+0.1').build());
  }
  return out;
}

function noConnection(): Scenario[] {
  const out: Scenario[] = [];
  const cases: readonly [string, string, number, number, number, string][] = [
    ['ack', '.', 100, 5000, 0, 'a bare ACK → RST with seq = SEG.ACK'],
    ['data', 'P.', 100, 5000, 300, 'data with ACK → RST with seq = SEG.ACK'],
    ['data-no-ack', 'P', 100, 0, 300, 'data without ACK → RST|ACK with ack = SEG.SEQ + len'],
    ['fin', 'F.', 100, 5000, 0, 'FIN|ACK → RST with seq = SEG.ACK'],
    ['fin-no-ack', 'F', 100, 0, 0, 'a bare FIN → RST|ACK acknowledging it'],
    ['rst', 'R', 100, 0, 0, 'an RST → nothing (nobody answers an RST)'],
    ['rst-ack', 'R.', 100, 5000, 0, 'an RST|ACK → nothing'],
    ['synack', 'S.', 100, 5000, 0, 'a SYN|ACK → RST with seq = SEG.ACK'],
  ];
  for (const [label, flags, seq, ack, len, what] of cases) {
    const p = new Peer(`rs-closed-port-${label}`, {
      behaviours: ['RS-1', 'RS-3'],
      description: `To a port with no socket: ${what}.`,
      local: { port: 8080 },
    }, { opts: 'none' });
    p.call({ op: 'socket', fd: 3 }, ok(3));
    p.at(0.01).inject(flags, seq, ack, { len, rawOpts: flags.includes('S') ? p.synOpts() : [] });
    out.push(p.wait('+0.1').build());
  }
  for (const [label, flags, len] of [
    ['ack', '.', 0],
    ['data', 'P.', 100],
    ['fin', 'F.', 0],
    ['rst', 'R', 0],
  ] as const) {
    const p = new Peer(`rs-listener-stray-${label}`, {
      behaviours: ['RS-1', ...(label === 'rst' ? ['RS-3'] : [])],
      description: `A stray ${label} segment (no SYN before it) to a listening port: ${label === 'rst' ? 'dropped silently' : 'answered with RST seq = SEG.ACK'}; the listener is unaffected.`,
    }, { opts: 'none' });
    listen(p);
    p.at(0.01).inject(flags, 100, 5000, { len });
    p.call({ op: 'accept', fd: 3 });
    out.push(p.wait('+0.1').build());
  }
  {
    const p = new Peer('rs-listener-syn-fin', {
      behaviours: ['RS-1', 'LQ-1'],
      description: 'A SYN|FIN to a listener is dropped (no SYN-ACK, no RST).',
    }, { opts: 'none' });
    listen(p);
    p.at(0.01).inject('FS', 0, 0, { rawOpts: p.synOpts() });
    out.push(p.wait('+0.1').build());
  }
  {
    const p = new Peer('rs-after-reset-connection-gone', {
      behaviours: ['RS-3', 'RS-1', 'KA-2'],
      description: 'After the SUT aborts a connection, the peer\'s next data is answered with RST: the SUT has forgotten it (half-open from the peer\'s side).',
    });
    const s = enter(p, 'established');
    p.call({ op: 'abort', fd: 4 });
    p.at('+0.05').data(s.rcvNxt, 100, s.sndNxt);
    out.push(p.wait('+0.1').build());
  }
  return out;
}

export function resetScenarios(): Scenario[] {
  return [...rstPositions(), ...challengeAck(), ...synReceived(), ...synSent(), ...noConnection()];
}
