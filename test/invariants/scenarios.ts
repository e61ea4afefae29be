/**
 * Small deterministic scenarios for the invariant mutant suite. Each takes a step function (the
 * real model or a mutant) and returns every violation the catalogue reported. Scripted scenarios
 * drive one endpoint with a packetdrill-style peer; pair scenarios run two endpoints over the
 * simulated network with the standard reactive app (accept, read, close on end of file).
 */
import type { Profile } from '../../src/model/profile-type.js';
import type { Conn } from '../../src/model/types.js';
import type { TcpOption } from '../../src/wire/types.js';
import { ACK, FIN, RST, SYN } from '../../src/wire/types.js';
import { seqAdd } from '../../src/wire/seq.js';
import type { FaultSchedule } from '../../src/net/faults.js';
import { advertisedEdge } from '../../src/invariants/window.js';
import type { PairResult, Result, StepFn } from './harness.js';
import { B, clientServer, linux, runPairWith, Scripted, seg } from './harness.js';

export const linuxNoTs: Profile = { ...linux, name: 'linux-no-ts', offerTimestamps: false };

export interface Scenario {
  readonly name: string;
  readonly run: (s: StepFn) => Result;
}

const PEER_ISN = 1_000_000;
const MSS_ONLY: readonly TcpOption[] = [{ kind: 'mss', mss: 1460 }];

export interface Established {
  readonly h: Scripted;
  /** The model's ISS. */
  readonly iss: number;
  /** The peer's next sequence number (= the model's RCV.NXT). */
  readonly rcv: number;
  conn(): Conn | null;
}

/** A listener on port 80 accepts a connection from a scripted peer; the accepted fd is 4. */
export function established(s: StepFn, o: { profile?: Profile; synOptions?: readonly TcpOption[]; window?: number } = {}): Established {
  const h = new Scripted(s, o.profile ?? linux);
  h.call({ op: 'socket', fd: 3 });
  h.call({ op: 'bind', fd: 3, port: 80 });
  h.call({ op: 'listen', fd: 3, backlog: 8 });
  const window = o.window ?? 65535;
  h.inject(seg({ seq: PEER_ISN, flags: SYN, window, options: o.synOptions ?? MSS_ONLY }), 1000);
  const synAck = h.sent.find((x) => (x.flags & (SYN | ACK)) === (SYN | ACK));
  const iss = synAck?.seq ?? 0;
  h.inject(seg({ seq: PEER_ISN + 1, ack: seqAdd(iss, 1), flags: ACK, window }), 2000);
  h.call({ op: 'accept', fd: 3 });
  return {
    h,
    iss,
    rcv: PEER_ISN + 1,
    conn: () => h.ep.conns.find((c) => c.fd === 4) ?? null,
  };
}

const scripted = (name: string, f: (s: StepFn) => Scripted): Scenario => ({ name, run: (s) => f(s).result() });
const pair = (name: string, f: (s: StepFn) => PairResult): Scenario => ({ name, run: f });

const send = (fd: number, bytes: number) => ({ op: 'send' as const, fd, bytes });
const close = (fd: number) => ({ op: 'close' as const, fd });

// ── pair scenarios ───────────────────────────────────────────────────────────────────────────────

/** HS-1, DT-9, CT-1: a connects, sends 30 kB and closes; b reads and closes on EOF. */
export const transfer = pair('30 kB transfer and close', (s) => runPairWith(s, { calls: clientServer([send(3, 30_000), close(3)]) }));

/** A bigger transfer that is congestion-window limited (CC-1). */
export const bigTransfer = pair('100 kB transfer', (s) => runPairWith(s, { calls: clientServer([send(3, 100_000), close(3)]) }));

/** 5 kB and close: the FIN rides on the last data segment (CT-3, CT-10). */
export const smallTransfer = pair('5 kB transfer and close', (s) => runPairWith(s, { calls: clientServer([send(3, 5000), close(3)]) }));

function partition(from: number, to: number): FaultSchedule {
  return { latency: { ab: 1000, ba: 1000 }, rules: [], partitions: [{ from, to }] };
}

/** DT-5, CC-4: a 3 s partition during a transfer forces repeated retransmission timeouts. */
export const partitioned = pair('transfer across a 3 s partition', (s) =>
  runPairWith(s, { calls: clientServer([], [{ t: 10_000, node: 'a', call: send(3, 30_000) }, { t: 10_000, node: 'a', call: close(3) }]), faults: partition(10_000, 3_000_000) }),
);

/** DT-5 (Karn) without timestamps: the retransmitted segment's ACK must give no RTT sample. */
export const partitionedNoTs = pair('transfer across a 3 s partition, no timestamps', (s) =>
  runPairWith(s, { profile: linuxNoTs, calls: clientServer([], [{ t: 10_000, node: 'a', call: send(3, 30_000) }, { t: 10_000, node: 'a', call: close(3) }]), faults: partition(10_000, 3_000_000) }),
);

/** DT-7: one data segment lost in the middle of a flight; the receiver reports SACK blocks. */
export const dropOne = pair('transfer with the fifth a→b segment lost', (s) =>
  runPairWith(s, { calls: clientServer([send(3, 30_000), close(3)]), faults: { latency: { ab: 1000, ba: 1000 }, rules: [{ dir: 'ab', match: { kind: 'nth', n: 4 }, action: { kind: 'drop' } }], partitions: [] } }),
);

/** DT-4: one a→b segment arrives with a flipped sequence bit and a bad checksum. */
export const corrupted = pair('transfer with a corrupted segment', (s) =>
  runPairWith(s, { calls: clientServer([send(3, 30_000), close(3)]), faults: { latency: { ab: 1000, ba: 1000 }, rules: [{ dir: 'ab', match: { kind: 'nth', n: 3 }, action: { kind: 'corrupt', bit: 40 } }], partitions: [] } }),
);

/** CT-6: a closes, b never closes: a's orphaned FIN-WAIT-2 must time out. */
export const finWait2 = pair('active close, peer never closes', (s) => runPairWith(s, { calls: clientServer([send(3, 5000), close(3)]), app: { closeOnEof: false } }));

/** CT-1: both close; b closes by script after reading. */
export const bothClose = pair('both sides close', (s) =>
  runPairWith(s, { calls: clientServer([send(3, 5000), close(3)], [{ t: 50_000, node: 'b', call: close(4) }]), app: { closeOnEof: false } }),
);

/** CT-9, RS-3: a aborts mid-connection; b must be reset. */
export const abortMid = pair('a aborts after sending', (s) => runPairWith(s, { calls: clientServer([send(3, 5000)], [{ t: 100_000, node: 'a', call: { op: 'abort', fd: 3 } }]) }));

/** DT-1: a sends 5 kB and keeps the connection open. */
export const sendOnly = pair('5 kB sent, connection left open', (s) => runPairWith(s, { calls: clientServer([send(3, 5000)]) }));

// ── scripted scenarios ───────────────────────────────────────────────────────────────────────────

/** HS-5: connect to a peer that never answers; SYN retransmissions until ETIMEDOUT. */
export const silentPeer = scripted('connect to a silent peer', (s) => {
  const h = new Scripted(s, linux);
  h.call({ op: 'socket', fd: 3 });
  h.call({ op: 'connect', fd: 3, port: 80 });
  h.advance(400_000_000);
  return h;
});

/** HS-11, RS-4: connect answered by RST|ACK: ECONNREFUSED. */
export const refused = scripted('connect refused by RST', (s) => {
  const h = new Scripted(s, linux);
  h.call({ op: 'socket', fd: 3 });
  h.call({ op: 'connect', fd: 3, port: 80 });
  const syn = h.sent[0];
  if (syn !== undefined) h.inject(seg({ srcPort: 80, dstPort: syn.srcPort, seq: 0, ack: seqAdd(syn.seq, 1), flags: RST | ACK, window: 0 }), 1000);
  return h;
});

/** HS-9: a SYN without window scale, SACK-permitted or timestamps. */
export const plainSyn = scripted('SYN without options', (s) => established(s).h);

/** HS-2: the listener answers a SYN. */
export const passiveOpen = plainSyn;

/** RS-1: an ACK for no connection gets <SEQ=SEG.ACK><CTL=RST>. */
export const noListener = scripted('ACK to a closed port', (s) => {
  const h = new Scripted(s, linux);
  h.inject(seg({ seq: 5, ack: 77, flags: ACK }), 1000);
  return h;
});

/** RS-3: an RST to a closed port is not answered. */
export const rstToClosedPort = scripted('RST to a closed port', (s) => {
  const h = new Scripted(s, linux);
  h.inject(seg({ seq: 5, ack: 77, flags: RST | ACK }), 1000);
  return h;
});

/** FC-1: the peer offers a 4000-byte window (no scaling) and the app writes 20 kB. */
export const smallPeerWindow = scripted('peer window 4000, 20 kB written', (s) => {
  const e = established(s, { window: 4000 });
  e.h.call(send(4, 20_000), 3000);
  return e.h;
});

/** HS-8: the peer announces MSS 536 and the app writes 5000 bytes. */
export const smallPeerMss = scripted('peer MSS 536, 5000 bytes written', (s) => {
  const e = established(s, { synOptions: [{ kind: 'mss', mss: 536 }] });
  e.h.call(send(4, 5000), 3000);
  return e.h;
});

/** FC-2: data starting at the advertised right edge is not accepted. */
export const beyondWindow = scripted('data at the right edge of the window', (s) => {
  const e = established(s);
  const c = e.conn();
  const edge = c === null ? seqAdd(e.rcv, 65535) : advertisedEdge(c);
  e.h.inject(seg({ seq: edge, ack: seqAdd(e.iss, 1), flags: ACK, len: 100 }), 3000);
  return e.h;
});

/** DT-3: out-of-order data, then the segment that fills the hole. */
export const outOfOrder = scripted('out-of-order data, then the hole filled', (s) => {
  const e = established(s);
  const ack = seqAdd(e.iss, 1);
  e.h.inject(seg({ seq: seqAdd(e.rcv, 1000), ack, flags: ACK, len: 500 }), 3000);
  e.h.inject(seg({ seq: e.rcv, ack, flags: ACK, len: 1000 }), 4000);
  return e.h;
});

/** RS-1: data far outside the window in ESTABLISHED gets an ACK. */
export const outOfWindow = scripted('out-of-window data in ESTABLISHED', (s) => {
  const e = established(s);
  e.h.inject(seg({ seq: seqAdd(e.rcv, 1_000_000), ack: seqAdd(e.iss, 1), flags: ACK, len: 100 }), 3000);
  return e.h;
});

/** RS-2: an in-window RST with SEG.SEQ ≠ RCV.NXT draws a challenge ACK. */
export const inWindowRst = scripted('in-window RST, not at RCV.NXT', (s) => {
  const e = established(s);
  e.h.inject(seg({ seq: seqAdd(e.rcv, 100), flags: RST }), 3000);
  return e.h;
});

/** RS-2: a SYN in ESTABLISHED draws a challenge ACK. */
export const synInEstablished = scripted('SYN in ESTABLISHED', (s) => {
  const e = established(s);
  e.h.inject(seg({ seq: seqAdd(e.rcv, 5000), flags: SYN, options: MSS_ONLY }), 3000);
  return e.h;
});

/** CT-1, CT-2: active close, FIN+ACK from the peer, a retransmitted FIN in TIME-WAIT, expiry. */
export const timeWait = scripted('active close through TIME-WAIT with a retransmitted FIN', (s) => {
  const e = established(s);
  e.h.call(close(4), 3000);
  const fin = { seq: e.rcv, ack: seqAdd(e.iss, 2), flags: FIN | ACK };
  e.h.inject(seg(fin), 4000);
  e.h.inject(seg(fin), 10_000_000);
  e.h.advance(200_000_000);
  return e.h;
});

/** CT-4: simultaneous close: our FIN is not acknowledged by the peer's FIN → CLOSING. */
export const simultaneousClose = scripted('simultaneous close', (s) => {
  const e = established(s);
  e.h.call(close(4), 3000);
  e.h.inject(seg({ seq: e.rcv, ack: seqAdd(e.iss, 1), flags: FIN | ACK }), 3500);
  e.h.inject(seg({ seq: seqAdd(e.rcv, 1), ack: seqAdd(e.iss, 2), flags: ACK }), 4000);
  e.h.advance(200_000_000);
  return e.h;
});

export { B };
