/**
 * Data-transfer family: the SUT as receiver (segment sizes around the MSS, out-of-order delivery
 * with and without SACK, duplicates and D-SACK, sequence numbers across 2^32, delayed ACKs and
 * quick ACKs) and as sender (write sizes around the MSS and the initial window, write boundaries,
 * Nagle and TCP_NODELAY, PSH, retransmission timeout with backoff, fast retransmit on three
 * duplicate ACKs with and without SACK). Behaviours DT-1…DT-3, DT-5…DT-13, HD-4
 * (RFC 9293 §3.10.7.4, RFC 6298, RFC 5681, RFC 2018, RFC 2883).
 */
import type { Scenario } from '../../../src/scenario/types.js';
import { mss, nop, sack, scenario, ts } from '../../../src/scenario/builder.js';
import type { ScenarioBuilder } from '../../../src/scenario/builder.js';
import type { OptSet } from './kit.js';
import { Peer, SUT_PORT, activeOpen, err, ok, passiveOpen } from './kit.js';

const SEG = 1000;

/** Send `bytes` and have the peer ACK everything in slow-start rounds 20 ms apart. */
export function sendAndAckAll(p: Peer, bytes: number, peerSeq = 1, gap = 0.02): void {
  p.call({ op: 'send', fd: p.fd, bytes });
  const mss = p.sutMss;
  let cwnd = 10;
  let acked = 0;
  while (acked < bytes) {
    const sent = Math.min(bytes, acked + Math.min(cwnd * mss, p.winBytes));
    p.at(`+${gap}`).ack(peerSeq, 1 + sent);
    cwnd += Math.ceil((sent - acked) / mss);
    acked = sent;
  }
}

function recvSizes(): Scenario[] {
  const out: Scenario[] = [];
  for (const set of ['all', 'none'] as const) {
    for (const len of [1, 100, 536, 1447, 1448, 1460]) {
      const p = new Peer(`dt-recv-3x${len}-${set}`, {
        behaviours: ['DT-1', 'DT-12', 'HS-8'],
        description: `Three in-order ${len}-byte segments (options "${set}"): the SUT ACKs cumulatively, at once while in quick-ACK mode, and delivers ${3 * len} bytes.`,
      }, { opts: set });
      passiveOpen(p);
      for (let i = 0; i < 3; i++) p.at('+0.001').data(1 + i * len, len, 1);
      p.call({ op: 'recv', fd: 4, bytes: 10000 }, ok(3 * len));
      out.push(p.wait('+0.3').build());
    }
  }
  return out;
}

/** Deliver segments of SEG bytes in the given order (indices), then read everything. */
function orderScenario(name: string, set: OptSet, order: readonly number[], count: number, extra: { behaviours: string[]; description: string; sysctls?: Record<string, number>; peerIsn?: number }): Scenario {
  const p = new Peer(name, {
    behaviours: extra.behaviours,
    description: extra.description,
    ...(extra.sysctls !== undefined ? { sysctls: extra.sysctls } : {}),
    ...(extra.peerIsn !== undefined ? { peerIsn: extra.peerIsn } : {}),
  }, { opts: set });
  passiveOpen(p);
  for (const i of order) p.at('+0.005').data(1 + i * SEG, SEG, 1);
  p.call({ op: 'recv', fd: 4, bytes: 100000 }, ok(count * SEG));
  return p.wait('+0.3').build();
}

function outOfOrder(): Scenario[] {
  const out: Scenario[] = [];
  const orders: readonly [string, number[], number][] = [
    ['bcda', [1, 2, 3, 0], 4],
    ['acbd', [0, 2, 1, 3], 4],
    ['dcba', [3, 2, 1, 0], 4],
    ['acdb', [0, 2, 3, 1], 4],
    ['ba', [1, 0], 2],
    ['ace-bd', [0, 2, 4, 1, 3], 5],
    ['aceg-fdb', [0, 2, 4, 6, 5, 3, 1], 7],
  ];
  for (const [label, order, count] of orders) {
    for (const set of ['all', 'nosack', 'nots'] as const) {
      out.push(orderScenario(`dt-ooo-${label}-${set}`, set, order, count, {
        behaviours: ['DT-3', 'DT-1', ...(set !== 'nosack' ? ['DT-7'] : [])],
        description: `Segments arrive in order ${label} (options "${set}"): out-of-order data is held${set !== 'nosack' ? ' and reported in SACK blocks, most recent first' : ''}, and delivered once, in order, when the gap fills.`,
      }));
    }
  }
  return out;
}

function duplicates(): Scenario[] {
  const out: Scenario[] = [];
  const cases: readonly [string, number[], number][] = [
    ['aa', [0, 0], 1],
    ['aba', [0, 1, 0], 2],
    ['abb', [0, 1, 1], 2],
    ['cca-b', [2, 2, 0, 1], 3],
    ['abcb', [0, 1, 2, 1], 3],
  ];
  for (const [label, order, count] of cases) {
    for (const set of ['all', 'nosack'] as const) {
      out.push(orderScenario(`dt-dup-${label}-${set}`, set, order, count, {
        behaviours: ['DT-3', 'DT-13', ...(set === 'all' ? ['DT-8'] : [])],
        description: `Deliveries ${label} (options "${set}"): a duplicate is discarded and answered with an immediate ACK${set === 'all' ? ' carrying a D-SACK block' : ''}; data is delivered exactly once.`,
      }));
    }
  }
  out.push(orderScenario('dt-dup-aba-no-dsack', 'all', [0, 1, 0], 2, {
    behaviours: ['DT-3', 'DT-13'],
    description: 'With tcp_dsack=0 a duplicate segment is ACKed at once but without a D-SACK block.',
    sysctls: { tcp_dsack: 0 },
  }));
  {
    const p = new Peer('dt-dup-overlap', {
      behaviours: ['DT-3', 'DT-8'],
      description: 'A segment overlapping data already received (500 old bytes, 500 new) is trimmed: only the new bytes are delivered and the overlap is D-SACKed.',
    });
    passiveOpen(p);
    p.at('+0.005').data(1, 1000, 1);
    p.at('+0.005').data(501, 1000, 1);
    p.call({ op: 'recv', fd: 4, bytes: 10000 }, ok(1500));
    out.push(p.wait('+0.3').build());
  }
  {
    const p = new Peer('dt-dup-overlap-ooo', {
      behaviours: ['DT-3', 'DT-7', 'DT-8'],
      description: 'Two overlapping out-of-order segments are merged into one SACK block; the gap fill then delivers the whole range once.',
    });
    passiveOpen(p);
    p.at('+0.005').data(1001, 1000, 1);
    p.at('+0.005').data(1501, 1000, 1);
    p.at('+0.005').data(1, 1000, 1);
    p.call({ op: 'recv', fd: 4, bytes: 10000 }, ok(2500));
    out.push(p.wait('+0.3').build());
  }
  for (const set of ['all', 'nosack'] as const) {
    const p = new Peer(`dt-lost-ack-peer-retransmits-${set}`, {
      behaviours: ['DT-13', 'DT-1', ...(set === 'all' ? ['DT-8'] : [])],
      description: `The SUT's ACK is "lost": the peer retransmits the same segment 300 ms later and the SUT answers with an immediate duplicate ACK (options "${set}").`,
    }, { opts: set });
    passiveOpen(p);
    p.at('+0.005').data(1, 1000, 1);
    p.at('+0.3').data(1, 1000, 1);
    p.call({ op: 'recv', fd: 4, bytes: 10000 }, ok(1000));
    out.push(p.wait('+0.2').build());
  }
  return out;
}

function wrap(): Scenario[] {
  const out: Scenario[] = [];
  const isn = 4294967000;
  for (const set of ['all', 'none'] as const) {
    const p = new Peer(`dt-wrap-inorder-${set}`, {
      behaviours: ['DT-2', 'DT-1'],
      description: `The peer's ISN is 2^32−296: its data crosses the 2^32 wrap in order (options "${set}") and is ACKed and delivered normally.`,
      peerIsn: isn,
    }, { opts: set });
    passiveOpen(p);
    for (let i = 0; i < 4; i++) p.at('+0.002').data(1 + i * 200, 200, 1);
    p.call({ op: 'recv', fd: 4, bytes: 10000 }, ok(800));
    out.push(p.wait('+0.3').build());
  }
  out.push(orderScenario('dt-wrap-ooo-sack', 'all', [2, 1, 0], 3, {
    behaviours: ['DT-2', 'DT-3', 'DT-7'],
    description: 'Out-of-order segments straddling the 2^32 wrap: SACK blocks whose edges wrap, then in-order delivery.',
    peerIsn: 4294966500,
  }));
  out.push(orderScenario('dt-wrap-dup-dsack', 'all', [0, 1, 0], 2, {
    behaviours: ['DT-2', 'DT-8'],
    description: 'A duplicate below the cumulative ACK across the 2^32 wrap is D-SACKed with wrapped edges.',
    peerIsn: 4294966800,
  }));
  {
    const p = new Peer('dt-wrap-fin', {
      behaviours: ['DT-2', 'CT-10'],
      description: 'The peer\'s FIN sits exactly on 2^32 (sequence 0): it is ACKed and read as end of file.',
      peerIsn: 4294966295,
    });
    passiveOpen(p);
    p.at('+0.005').data(1, 1000, 1);
    p.at('+0.005').fin(1001, 1);
    p.call({ op: 'recv', fd: 4, bytes: 10000 }, ok(1000));
    p.call({ op: 'recv', fd: 4, bytes: 10000 }, ok(0));
    out.push(p.wait('+0.3').build());
  }
  {
    const p = new Peer('dt-wrap-sut-sends', {
      behaviours: ['DT-2', 'DT-1'],
      description: 'With the peer\'s ISN at 2^32−1 the SUT\'s ACK numbers wrap on the first data byte while it also sends data.',
      peerIsn: 4294967295,
    });
    passiveOpen(p);
    p.at('+0.005').data(1, 500, 1);
    sendAndAckAll(p, 3000, 501);
    p.call({ op: 'recv', fd: 4, bytes: 10000 }, ok(500));
    out.push(p.wait('+0.2').build());
  }
  return out;
}

function delayedAck(): Scenario[] {
  const out: Scenario[] = [];
  for (const set of ['all', 'none'] as const) {
    const p = new Peer(`dt-delack-pingpong-${set}`, {
      behaviours: ['DT-12'],
      description: `Request/response rounds put the SUT in interactive (pingpong) mode; a later lone 100-byte segment is ACKed after the delayed-ACK timer (options "${set}").`,
    }, { opts: set });
    passiveOpen(p);
    let seq = 1;
    let sutSeq = 1;
    for (let r = 0; r < 3; r++) {
      p.at('+0.05').data(seq, 100, sutSeq);
      seq += 100;
      p.call({ op: 'recv', fd: 4, bytes: 1000 }, ok(100));
      p.at('+0.005').call({ op: 'send', fd: 4, bytes: 100 }, ok(100));
      sutSeq += 100;
    }
    p.at('+0.1').data(seq, 100, sutSeq);
    p.call({ op: 'recv', fd: 4, bytes: 1000 }, ok(100));
    out.push(p.wait('+0.5').build());
  }
  {
    const p = new Peer('dt-delack-every-second-segment', {
      behaviours: ['DT-12', 'DT-1'],
      description: 'Thirty full-sized segments back to back: quick ACKs for the first ones, then an ACK for at least every second full segment.',
    });
    passiveOpen(p);
    for (let i = 0; i < 30; i++) p.at('+0.001').data(1 + i * 1448, 1448, 1);
    p.call({ op: 'recv', fd: 4, bytes: 100000 }, ok(30 * 1448));
    out.push(p.wait('+0.3').build());
  }
  {
    const p = new Peer('dt-delack-no-read', {
      behaviours: ['DT-12', 'FC-2'],
      description: 'Twenty full segments that the application never reads: the ACK pattern when the receive queue grows without reads.',
    });
    passiveOpen(p);
    for (let i = 0; i < 20; i++) p.at('+0.001').data(1 + i * 1448, 1448, 1);
    out.push(p.wait('+0.3').build());
  }
  for (const q of [0, 1]) {
    const p = new Peer(`dt-delack-quickack-${q}`, {
      behaviours: ['DT-12'],
      description: `TCP_QUICKACK=${q} after pingpong rounds: how the next lone segment is ACKed.`,
    });
    passiveOpen(p);
    let seq = 1;
    let sutSeq = 1;
    for (let r = 0; r < 3; r++) {
      p.at('+0.05').data(seq, 100, sutSeq);
      seq += 100;
      p.call({ op: 'recv', fd: 4, bytes: 1000 }, ok(100));
      p.at('+0.005').call({ op: 'send', fd: 4, bytes: 100 }, ok(100));
      sutSeq += 100;
    }
    p.call({ op: 'setsockopt', fd: 4, opt: 'TCP_QUICKACK', value: q }, ok(0));
    p.at('+0.1').data(seq, 100, sutSeq);
    out.push(p.wait('+0.4').build());
  }
  {
    const p = new Peer('dt-delack-small-segments', {
      behaviours: ['DT-12', 'DT-1'],
      description: 'Ten 10-byte segments 50 ms apart: the SUT\'s ACK timing for small segments once the quick-ACK budget is spent.',
    });
    passiveOpen(p);
    for (let i = 0; i < 10; i++) p.at('+0.05').data(1 + i * 10, 10, 1);
    out.push(p.wait('+0.3').build());
  }
  return out;
}

function sendSizes(): Scenario[] {
  const out: Scenario[] = [];
  for (const set of ['all', 'none'] as const) {
    const mss = set === 'all' ? 1448 : 1460;
    for (const [label, bytes] of [
      ['1', 1],
      ['mss-1', mss - 1],
      ['mss', mss],
      ['mss+1', mss + 1],
      ['2mss', 2 * mss],
      ['2mss+1', 2 * mss + 1],
      ['iw', 10 * mss],
      ['iw+1', 10 * mss + 1],
      ['30k', 30000],
    ] as const) {
      const p = new Peer(`dt-send-${label}-${set}`, {
        behaviours: ['DT-9', 'DT-11', 'CC-1', 'HS-8'],
        description: `send(${bytes}) with options "${set}": MSS-sized segments, PSH on the last of the write, at most the initial window before the first ACK.`,
      }, { opts: set });
      passiveOpen(p);
      sendAndAckAll(p, bytes);
      out.push(p.wait('+0.2').build());
    }
  }
  return out;
}

/** A builder for a scenario whose SUT listens on SUT_PORT (socket, bind, listen with backlog 8). */
function listeningScenario(name: string, behaviours: string[], description: string): ScenarioBuilder {
  return scenario(name, { behaviours, description })
    .call({ op: 'socket', fd: 3 }, ok(3))
    .call({ op: 'bind', fd: 3, port: SUT_PORT }, ok(0))
    .call({ op: 'listen', fd: 3, backlog: 8 }, ok(0));
}

/**
 * How much of a large send() the socket takes (tcp_sendmsg_locked, sk_stream_memory_free,
 * tcp_sndbuf_expand): send(10^6) twice right after accept(), for peer MSS 536..9000 and a peer
 * window of 8 bytes (one tiny skb per MSS of 36/48 bytes) or 64 KB (GSO skbs), with and without
 * timestamps; and for peer windows of 100..30000 bytes, which set the skb size through the
 * half-window MSS bound. The accepted counts pin down the send buffer after establishment and the
 * memory each skb is charged.
 */
function sendBuffer(): Scenario[] {
  const out: Scenario[] = [];
  const accepted = (name: string, synWin: number, ackWin: number, peerMss: number, withTs: boolean, sends: number): Scenario => {
    let b = listeningScenario(name, ['DT-9', 'DT-11', 'FC-6'], `send(1000000) ×${sends} after accept(): peer MSS ${peerMss}, window ${ackWin}${withTs ? ', timestamps' : ''} — the send buffer decides how much is taken.`)
      .at(0.01)
      .inject('S', { seq: 0, win: synWin, opts: withTs ? [mss(peerMss), nop(), nop(), ts(1000, 0)] : [mss(peerMss)] })
      .at(0.02)
      .inject('.', { seq: 1, ack: 1, win: ackWin, opts: withTs ? [nop(), nop(), ts(1001, 0)] : [] })
      .call({ op: 'accept', fd: 3 }, ok(4));
    for (let i = 0; i < sends; i++) b = b.call({ op: 'send', fd: 4, bytes: 1_000_000 });
    return b.at(0.03).call({ op: 'close', fd: 4 }, ok(0)).build();
  };
  for (const m of [536, 1000, 1460, 9000]) {
    for (const win of [8, 65535]) {
      for (const withTs of [false, true]) out.push(accepted(`dt-sndbuf-mss${m}-win${win}-${withTs ? 'ts' : 'nots'}`, 65535, win, m, withTs, 2));
    }
  }
  for (const win of [100, 200, 400, 700, 1000, 1500, 2000, 2920, 4000, 8000, 16000, 30000]) out.push(accepted(`dt-sndbuf-peer-window-${win}`, win, win, 1460, false, 1));
  return out;
}

/**
 * DT-4: a segment with a wrong TCP checksum is dropped without any answer — a SYN to a listener, data
 * and a FIN on an established connection, an RST that would otherwise reset it — and the same
 * segment with a good checksum afterwards is taken normally.
 */
function badChecksum(): Scenario[] {
  const base = (name: string, description: string): ScenarioBuilder => listeningScenario(name, ['DT-4'], description);
  const established = (name: string, description: string): ScenarioBuilder =>
    base(name, description)
      .at(0.01)
      .inject('S', { seq: 0, win: 65535, opts: [mss(1460)] })
      .at(0.02)
      .inject('.', { seq: 1, ack: 1, win: 65535 })
      .call({ op: 'accept', fd: 3 }, ok(4));
  return [
    base('dt-bad-checksum-syn', 'A SYN with a bad checksum gets no SYN-ACK; the retransmitted good SYN does.')
      .at(0.01)
      .inject('S', { seq: 0, win: 65535, opts: [mss(1460)], badChecksum: true })
      .at(0.03)
      .inject('S', { seq: 0, win: 65535, opts: [mss(1460)] })
      .wait(0.1)
      .build(),
    established('dt-bad-checksum-data', 'Data with a bad checksum is neither ACKed nor readable; its good retransmission is.')
      .at(0.03)
      .inject('P.', { seq: 1, ack: 1, win: 65535, len: 500, badChecksum: true })
      .call({ op: 'recv', fd: 4, bytes: 1000 }, err('EAGAIN'))
      .at(0.05)
      .inject('P.', { seq: 1, ack: 1, win: 65535, len: 500 })
      .call({ op: 'recv', fd: 4, bytes: 1000 }, ok(500))
      .wait(0.3)
      .build(),
    established('dt-bad-checksum-rst', 'An in-window RST with a bad checksum does not reset the connection; data still flows.')
      .at(0.03)
      .inject('R', { seq: 1, win: 0, badChecksum: true })
      .at(0.04)
      .call({ op: 'send', fd: 4, bytes: 100 }, ok(100))
      .at(0.06)
      .inject('.', { seq: 1, ack: 101, win: 65535 })
      .wait(0.1)
      .build(),
    established('dt-bad-checksum-fin', 'A FIN with a bad checksum is ignored (no ACK, no end of file); the good one closes the read side.')
      .at(0.03)
      .inject('F.', { seq: 1, ack: 1, win: 65535, badChecksum: true })
      .call({ op: 'recv', fd: 4, bytes: 100 }, err('EAGAIN'))
      .at(0.05)
      .inject('F.', { seq: 1, ack: 1, win: 65535 })
      .call({ op: 'recv', fd: 4, bytes: 100 }, ok(0))
      .wait(0.3)
      .build(),
  ];
}

function writeBoundaries(): Scenario[] {
  const out: Scenario[] = [];
  for (const nodelay of [0, 1]) {
    const p = new Peer(`dt-two-writes-600-mss960-zero-window-nodelay${nodelay}`, {
      behaviours: ['DT-9', 'FC-4', ...(nodelay === 1 ? ['DT-10'] : [])],
      description: `Two 600-byte writes queued behind a zero window (MSS 960, no options${nodelay === 1 ? ', TCP_NODELAY' : ''}); when the window opens they leave as 960 + 240: write boundaries are not kept.`,
    }, { opts: 'none', mss: 960, win: 0 });
    passiveOpen(p, nodelay === 1 ? { sockopts: [['TCP_NODELAY', 1]] } : {});
    p.call({ op: 'send', fd: 4, bytes: 600 }, ok(600));
    p.call({ op: 'send', fd: 4, bytes: 600 }, ok(600));
    p.at('+0.1').ack(1, 1, { win: 65535 });
    p.at('+0.02').ack(1, 1201, { win: 65535 });
    out.push(p.wait('+0.2').build());
  }
  {
    const p = new Peer('dt-two-writes-600-mss960-nagle', {
      behaviours: ['DT-9', 'DT-10'],
      description: 'Two 600-byte writes with MSS 960 and an open window: the first goes at once, Nagle holds the second until the first is ACKed.',
    }, { opts: 'none', mss: 960 });
    passiveOpen(p);
    p.call({ op: 'send', fd: 4, bytes: 600 }, ok(600));
    p.call({ op: 'send', fd: 4, bytes: 600 }, ok(600));
    p.at('+0.05').ack(1, 601);
    p.at('+0.05').ack(1, 1201);
    out.push(p.wait('+0.2').build());
  }
  return out;
}

function nagle(): Scenario[] {
  const out: Scenario[] = [];
  for (const set of ['all', 'none'] as const) {
    for (const nodelay of [0, 1]) {
      const p = new Peer(`dt-nagle-small-writes-${set}-nodelay${nodelay}`, {
        behaviours: ['DT-10', 'DT-11'],
        description: `Three 100-byte writes without an ACK in between (options "${set}", TCP_NODELAY=${nodelay}): ${nodelay === 1 ? 'each goes at once' : 'only the first goes; the rest wait for its ACK and leave together'}.`,
      }, { opts: set });
      passiveOpen(p, nodelay === 1 ? { sockopts: [['TCP_NODELAY', 1]] } : {});
      p.call({ op: 'send', fd: 4, bytes: 100 }, ok(100));
      p.at('+0.005').call({ op: 'send', fd: 4, bytes: 100 }, ok(100));
      p.at('+0.005').call({ op: 'send', fd: 4, bytes: 100 }, ok(100));
      p.at('+0.05').ack(1, 101);
      p.at('+0.05').ack(1, 301);
      out.push(p.wait('+0.2').build());
    }
  }
  {
    const p = new Peer('dt-nagle-full-then-small', {
      behaviours: ['DT-10', 'DT-9'],
      description: 'A 2000-byte write goes as one full segment and a 552-byte tail; a further 100-byte write waits for the tail\'s ACK (Minshall).',
    });
    passiveOpen(p);
    p.call({ op: 'send', fd: 4, bytes: 2000 }, ok(2000));
    p.at('+0.005').call({ op: 'send', fd: 4, bytes: 100 }, ok(100));
    p.at('+0.05').ack(1, 1449);
    p.at('+0.05').ack(1, 2001);
    p.at('+0.05').ack(1, 2101);
    out.push(p.wait('+0.2').build());
  }
  {
    const p = new Peer('dt-nagle-off-then-on', {
      behaviours: ['DT-10'],
      description: 'Setting TCP_NODELAY while small data is held by Nagle pushes it out at once.',
    });
    passiveOpen(p);
    p.call({ op: 'send', fd: 4, bytes: 100 }, ok(100));
    p.at('+0.005').call({ op: 'send', fd: 4, bytes: 100 }, ok(100));
    p.at('+0.01').call({ op: 'setsockopt', fd: 4, opt: 'TCP_NODELAY', value: 1 }, ok(0));
    p.at('+0.05').ack(1, 201);
    out.push(p.wait('+0.2').build());
  }
  return out;
}

function rto(): Scenario[] {
  const out: Scenario[] = [];
  for (const set of ['all', 'none'] as const) {
    for (const [label, ackAt] of [
      ['never', null],
      ['after-1', 0.35],
      ['after-3', 1.8],
    ] as const) {
      const p = new Peer(`dt-rto-${label}-${set}`, {
        behaviours: ['DT-5', 'CC-4'],
        description: `1000 bytes are never ACKed${ackAt === null ? '' : ` until ${ackAt} s`} (options "${set}"): retransmitted at the RTO (≥ 200 ms), the RTO doubling each time${ackAt === null ? '' : '; the late ACK stops the timer and new data flows'}.`,
      }, { opts: set });
      passiveOpen(p);
      p.at(0.05).call({ op: 'send', fd: 4, bytes: 1000 }, ok(1000));
      if (ackAt === null) {
        out.push(p.wait(2.5).build());
        continue;
      }
      p.at(ackAt).ack(1, 1001);
      p.call({ op: 'send', fd: 4, bytes: 1000 }, ok(1000));
      out.push(p.wait('+1').build());
    }
  }
  {
    const p = new Peer('dt-rto-srtt-100ms', {
      behaviours: ['DT-5'],
      description: 'Five round trips with a 100 ms RTT set SRTT/RTTVAR; a lost segment is then retransmitted after an RTO derived from them.',
    });
    passiveOpen(p);
    let sent = 0;
    for (let i = 0; i < 5; i++) {
      p.at(`+0.01`).call({ op: 'send', fd: 4, bytes: 1000 }, ok(1000));
      sent += 1000;
      p.at('+0.1').ack(1, 1 + sent);
    }
    p.at('+0.01').call({ op: 'send', fd: 4, bytes: 1000 }, ok(1000));
    out.push(p.wait('+2').build());
  }
  {
    const p = new Peer('dt-rto-karn-timestamps', {
      behaviours: ['DT-5', 'HD-4'],
      description: 'A segment is ACKed only after its retransmission; with timestamps the echo still gives an RTT sample, and the next loss uses the new RTO.',
    });
    passiveOpen(p);
    p.at(0.05).call({ op: 'send', fd: 4, bytes: 1000 }, ok(1000));
    p.at(0.5).ack(1, 1001);
    p.at(0.55).call({ op: 'send', fd: 4, bytes: 1000 }, ok(1000));
    out.push(p.wait(2.5).build());
  }
  {
    const p = new Peer('dt-rto-active-open', {
      behaviours: ['DT-5'],
      description: 'On an actively opened connection a lost data segment is retransmitted by the RTO with backoff.',
    });
    activeOpen(p);
    p.at(0.05).call({ op: 'send', fd: 3, bytes: 500 }, ok(500));
    out.push(p.wait(2).build());
  }
  return out;
}

/** Ten segments in flight; the peer reports `lost` (0-based segment indices) missing. */
function fastRetransmit(name: string, set: OptSet, lost: readonly number[], description: string, behaviours: string[]): Scenario {
  const p = new Peer(name, { behaviours, description }, { opts: set });
  passiveOpen(p);
  const mss = p.sutMss;
  const n = 10;
  p.call({ op: 'send', fd: 4, bytes: n * mss }, ok(n * mss));
  const first = Math.min(...lost);
  const ackNo = 1 + first * mss;
  // Cumulative ACK up to the first hole, then one duplicate per segment received above it.
  const got: number[] = [];
  if (first > 0) p.at('+0.02').ack(1, ackNo);
  else p.at('+0.02');
  for (let i = first + 1; i < n; i++) {
    if (lost.includes(i)) continue;
    got.push(i);
    const blocks: [number, number][] = [];
    // Merge received indices above the hole into ranges, most recent first.
    const ranges: [number, number][] = [];
    for (const g of got) {
      const last = ranges[ranges.length - 1];
      if (last !== undefined && last[1] === g) last[1] = g + 1;
      else ranges.push([g, g + 1]);
    }
    const recent = ranges.findIndex(([a, b]) => i >= a && i < b);
    const ordered = [ranges[recent]!, ...ranges.filter((_, k) => k !== recent)].slice(0, 3);
    for (const [a, b] of ordered) blocks.push([1 + a * mss, 1 + b * mss]);
    p.at('+0.001').ack(1, ackNo, p.sack ? { opts: [nop(), nop(), sack(...blocks)] } : {});
  }
  // The retransmissions fill the holes: ACK everything.
  p.at('+0.05').ack(1, 1 + n * mss);
  return p.wait('+0.5').build();
}

function fastRetx(): Scenario[] {
  const out: Scenario[] = [];
  const cases: readonly [string, number[]][] = [
    ['first', [0]],
    ['middle', [4]],
    ['two-holes', [1, 5]],
    ['burst', [2, 3, 4]],
    ['seventh', [6]],
  ];
  for (const [label, lost] of cases) {
    for (const set of ['all', 'nosack', 'nots'] as const) {
      out.push(fastRetransmit(`dt-fast-retransmit-${label}-${set}`, set, lost,
        `Ten segments in flight, segment(s) ${lost.map((x) => x + 1).join(',')} lost; the peer's duplicate ACKs${set === 'nosack' ? '' : ' with SACK blocks'} trigger a retransmission before the RTO (options "${set}").`,
        ['DT-6', 'CC-5', ...(set !== 'nosack' ? ['DT-7'] : [])]));
    }
  }
  {
    const p = new Peer('dt-tail-loss-probe', {
      behaviours: ['DT-5', 'DT-7'],
      description: 'The last of three segments is lost and nothing follows: the tail loss probe re-sends it before the RTO would.',
    });
    passiveOpen(p);
    const mss = p.sutMss;
    p.call({ op: 'send', fd: 4, bytes: 3 * mss }, ok(3 * mss));
    p.at('+0.02').ack(1, 1 + 2 * mss);
    out.push(p.wait('+1').build());
  }
  {
    const p = new Peer('dt-two-dupacks-no-retransmit', {
      behaviours: ['DT-6'],
      description: 'Only two duplicate ACKs (without SACK): below the threshold, no fast retransmit; the later cumulative ACK covers everything.',
    }, { opts: 'nosack' });
    passiveOpen(p);
    const mss = p.sutMss;
    p.call({ op: 'send', fd: 4, bytes: 4 * mss }, ok(4 * mss));
    p.at('+0.02').ack(1, 1 + mss);
    p.at('+0.001').ack(1, 1 + mss);
    p.at('+0.001').ack(1, 1 + mss);
    p.at('+0.03').ack(1, 1 + 4 * mss);
    out.push(p.wait('+0.5').build());
  }
  {
    const p = new Peer('dt-peer-dsack-undo', {
      behaviours: ['DT-8', 'CC-5'],
      description: 'After a fast retransmission the peer reports the retransmitted segment as a D-SACK (the original was only delayed); the SUT may undo its window reduction.',
    });
    passiveOpen(p);
    const mss = p.sutMss;
    p.call({ op: 'send', fd: 4, bytes: 6 * mss }, ok(6 * mss));
    p.at('+0.02');
    for (let i = 1; i <= 4; i++) p.at('+0.001').ack(1, 1, { opts: [nop(), nop(), sack([1 + mss, 1 + (i + 1) * mss])] });
    p.at('+0.01').ack(1, 1 + 6 * mss);
    p.at('+0.01').ack(1, 1 + 6 * mss, { opts: [nop(), nop(), sack([1, 1 + mss])] });
    p.call({ op: 'send', fd: 4, bytes: 2 * mss }, ok(2 * mss));
    p.at('+0.02').ack(1, 1 + 8 * mss);
    out.push(p.wait('+0.3').build());
  }
  return out;
}

function cumulative(): Scenario[] {
  const out: Scenario[] = [];
  for (const set of ['all', 'none'] as const) {
    const p = new Peer(`dt-cumulative-ack-skips-${set}`, {
      behaviours: ['DT-1'],
      description: `The peer ACKs only every third segment of a 6-segment burst (options "${set}"): one cumulative ACK covers the segments whose ACKs were never sent; nothing is retransmitted.`,
    }, { opts: set });
    passiveOpen(p);
    const mss = p.sutMss;
    p.call({ op: 'send', fd: 4, bytes: 6 * mss }, ok(6 * mss));
    p.at('+0.02').ack(1, 1 + 3 * mss);
    p.at('+0.001').ack(1, 1 + 6 * mss);
    out.push(p.wait('+0.5').build());
  }
  {
    const p = new Peer('dt-old-ack-ignored', {
      behaviours: ['DT-1', 'FC-8'],
      description: 'An old ACK (below SND.UNA) arriving after a newer one changes nothing.',
    });
    passiveOpen(p);
    const mss = p.sutMss;
    p.call({ op: 'send', fd: 4, bytes: 4 * mss }, ok(4 * mss));
    p.at('+0.02').ack(1, 1 + 4 * mss);
    p.at('+0.001').ack(1, 1 + 2 * mss);
    p.call({ op: 'send', fd: 4, bytes: 100 }, ok(100));
    p.at('+0.02').ack(1, 101 + 4 * mss);
    out.push(p.wait('+0.3').build());
  }
  {
    const p = new Peer('dt-ack-beyond-snd-nxt', {
      behaviours: ['DT-1', 'RS-1', 'FC-8'],
      description: 'An ACK for data never sent (beyond SND.NXT) is not accepted: dropped or answered with a challenge ACK; SND.UNA does not move.',
    });
    passiveOpen(p);
    p.call({ op: 'send', fd: 4, bytes: 1000 }, ok(1000));
    p.at('+0.02').ack(1, 5001);
    p.at('+0.02').ack(1, 1001);
    out.push(p.wait('+0.3').build());
  }
  {
    const p = new Peer('dt-bidirectional', {
      behaviours: ['DT-1', 'DT-9', 'DT-12'],
      description: 'Both sides send 5000 bytes at the same time; data segments piggy-back the ACKs of the other direction.',
    });
    passiveOpen(p);
    p.call({ op: 'send', fd: 4, bytes: 5000 }, ok(5000));
    let seq = 1;
    for (let i = 0; i < 5; i++) {
      p.at('+0.002').data(seq, 1000, 1 + Math.min(5000, (i + 1) * 1448));
      seq += 1000;
    }
    p.call({ op: 'recv', fd: 4, bytes: 10000 }, ok(5000));
    p.at('+0.02').ack(seq, 5001);
    out.push(p.wait('+0.3').build());
  }
  return out;
}

export function dataScenarios(): Scenario[] {
  return [
    ...recvSizes(),
    ...outOfOrder(),
    ...duplicates(),
    ...wrap(),
    ...delayedAck(),
    ...sendSizes(),
    ...sendBuffer(),
    ...badChecksum(),
    ...writeBoundaries(),
    ...nagle(),
    ...rto(),
    ...fastRetx(),
    ...cumulative(),
  ];
}
