/**
 * Handshake family: passive and active opens under every option set, MSS and window-scale values,
 * SUT-side option sysctls, data on the third segment, lost SYN / SYN-ACK / third ACK with the
 * retransmission schedules (small retry counts so they finish within seconds), SYN-ACKs with a bad
 * acknowledgement (old duplicates), simultaneous open, refused connects and ISN selection.
 * Behaviours HS-1…HS-13, HD-1…HD-3 (RFC 9293 §3.5, RFC 7323, RFC 2018).
 */
import type { Scenario } from '../../../src/scenario/types.js';
import type { OptSet } from './kit.js';
import { OPT_SETS, Peer, activeOpen, err, ok, passiveOpen, listen } from './kit.js';

function passive(set: OptSet): Scenario {
  const p = new Peer(`hs-passive-open-${set}`, {
    behaviours: ['HS-1', 'HS-8', 'HS-9', 'HS-13', 'HD-1', 'HD-2', 'HD-3'],
    description: `A listener accepts a connection whose SYN offers option set "${set}", then data flows both ways.`,
  }, { opts: set });
  passiveOpen(p);
  p.at('+0.01').data(1, 100, 1);
  p.call({ op: 'recv', fd: 4, bytes: 1000 }, ok(100));
  p.call({ op: 'send', fd: 4, bytes: 3000 }, ok(3000));
  p.at('+0.01').ack(101, 3001);
  return p.wait('+0.3').build();
}

function active(set: OptSet): Scenario {
  const p = new Peer(`hs-active-open-${set}`, {
    behaviours: ['HS-1', 'HS-8', 'HS-9', 'HS-13', 'HD-1', 'HD-2', 'HD-3'],
    description: `connect() completes when the SYN-ACK (option set "${set}") arrives; the SUT's ACK and data follow.`,
  }, { opts: set });
  activeOpen(p);
  p.call({ op: 'send', fd: 3, bytes: 3000 }, ok(3000));
  p.at('+0.01').data(1, 100, 3001);
  p.call({ op: 'recv', fd: 3, bytes: 1000 }, ok(100));
  return p.wait('+0.3').build();
}

const SUT_OFF: readonly { key: string; label: string; peerSet: OptSet }[] = [
  { key: 'tcp_timestamps', label: 'no-ts', peerSet: 'nots' },
  { key: 'tcp_sack', label: 'no-sack', peerSet: 'nosack' },
  { key: 'tcp_window_scaling', label: 'no-wscale', peerSet: 'nows' },
];

function sutOff(): Scenario[] {
  const out: Scenario[] = [];
  for (const { key, label, peerSet } of SUT_OFF) {
    const pp = new Peer(`hs-passive-sut-${label}`, {
      behaviours: ['HS-1', 'HS-9', 'HD-3'],
      description: `With ${key}=0 on the SUT, a SYN offering every option gets a SYN-ACK without that option and it stays off.`,
      sysctls: { [key]: 0 },
    }, { opts: 'all' });
    passiveOpen(pp);
    pp.call({ op: 'send', fd: 4, bytes: 2000 }, ok(2000));
    pp.at('+0.01').ack(1, 2001);
    out.push(pp.wait('+0.2').build());

    const pa = new Peer(`hs-active-sut-${label}`, {
      behaviours: ['HS-1', 'HS-9', 'HD-3'],
      description: `With ${key}=0 the SUT's SYN leaves that option out; the peer answers without it.`,
      sysctls: { [key]: 0 },
    }, { opts: peerSet });
    activeOpen(pa);
    pa.call({ op: 'send', fd: 3, bytes: 2000 }, ok(2000));
    pa.at('+0.01').ack(1, 2001);
    out.push(pa.wait('+0.2').build());

    // The peer's SYN-ACK carries the option anyway: it must not take effect (HS-9).
    const pu = new Peer(`hs-active-synack-unoffered-${label}`, {
      behaviours: ['HS-9', 'HD-3'],
      description: `With ${key}=0 the SUT ignores that option in a SYN-ACK even though the peer sends it.`,
      sysctls: { [key]: 0 },
    }, { opts: 'all' });
    activeOpen(pu);
    pu.call({ op: 'send', fd: 3, bytes: 2000 }, ok(2000));
    pu.at('+0.01').ack(1, 2001);
    out.push(pu.wait('+0.2').build());
  }
  return out;
}

function mssVariants(): Scenario[] {
  const out: Scenario[] = [];
  for (const m of [88, 536, 1000, 1200, 1448, 1460, 8960, null] as const) {
    const label = m === null ? 'absent' : String(m);
    for (const set of ['all', 'none'] as const) {
      const p = new Peer(`hs-mss-passive-${label}-${set}`, {
        behaviours: ['HS-8', 'HD-3', 'DT-9'],
        description: `The peer's SYN announces MSS ${label} (options "${set}"); the SUT's data segments never exceed min(peer MSS, MTU−40) less option space.`,
      }, { opts: set, mss: m });
      passiveOpen(p);
      p.call({ op: 'send', fd: 4, bytes: 4000 }, ok(4000));
      p.at('+0.02').ack(1, 4001);
      out.push(p.wait('+0.2').build());
    }
  }
  for (const m of [536, 1000, 8960, null] as const) {
    const label = m === null ? 'absent' : String(m);
    const p = new Peer(`hs-mss-active-${label}`, {
      behaviours: ['HS-8', 'HD-3', 'DT-9'],
      description: `The SYN-ACK announces MSS ${label}; the SUT segments its data to fit.`,
    }, { opts: 'all', mss: m });
    activeOpen(p);
    p.call({ op: 'send', fd: 3, bytes: 4000 }, ok(4000));
    p.at('+0.02').ack(1, 4001);
    out.push(p.wait('+0.2').build());
  }
  for (const clamp of [500, 1000]) {
    const p = new Peer(`hs-maxseg-active-${clamp}`, {
      behaviours: ['HS-8', 'HD-3'],
      description: `TCP_MAXSEG ${clamp} before connect: the SYN announces it and the SUT's segments respect it.`,
    }, { opts: 'all', mss: 1460 });
    activeOpen(p, { sockopts: [['TCP_MAXSEG', clamp]] });
    p.call({ op: 'send', fd: 3, bytes: 3000 }, ok(3000));
    p.at('+0.02').ack(1, 3001);
    out.push(p.wait('+0.2').build());
  }
  {
    const p = new Peer('hs-maxseg-listener-700', {
      behaviours: ['HS-8', 'HD-3'],
      description: 'TCP_MAXSEG 700 on the listener: the SYN-ACK announces 700 and the child segments by 700.',
    }, { opts: 'all', mss: 1460 });
    passiveOpen(p, { sockopts: [['TCP_MAXSEG', 700]] });
    p.call({ op: 'send', fd: 4, bytes: 3000 }, ok(3000));
    p.at('+0.02').ack(1, 3001);
    out.push(p.wait('+0.2').build());
  }
  return out;
}

function wscaleVariants(): Scenario[] {
  const out: Scenario[] = [];
  for (const shift of [0, 1, 4, 7, 14, 15]) {
    const p = new Peer(`hs-wscale-peer-${shift}`, {
      behaviours: ['HS-9', 'FC-7', 'FC-1'],
      description: `The peer announces window scale ${shift} and a 6000-byte window; the SUT scales the field by ${Math.min(shift, 14)} and sends no more than the window.`,
    }, { opts: 'all', ws: shift, win: 6000 });
    passiveOpen(p);
    p.call({ op: 'send', fd: 4, bytes: 12000 }, ok(12000));
    p.at('+0.02').ack(1, 6001);
    p.at('+0.02').ack(1, 12001);
    out.push(p.wait('+0.2').build());
  }
  return out;
}

function thirdData(): Scenario[] {
  const out: Scenario[] = [];
  for (const set of ['all', 'nots', 'none'] as const) {
    const p = new Peer(`hs-third-ack-with-data-${set}`, {
      behaviours: ['HS-2', 'HS-1', 'LQ-5'],
      description: `The third segment of the handshake carries 500 bytes (options "${set}"); they are ACKed and readable after accept().`,
    }, { opts: set });
    passiveOpen(p, { thirdData: 500 });
    p.call({ op: 'recv', fd: 4, bytes: 1000 }, ok(500));
    out.push(p.wait('+0.3').build());
  }
  {
    const p = new Peer('hs-syn-with-data', {
      behaviours: ['HS-2'],
      description: 'A SYN carrying 100 bytes (no Fast Open): the SUT answers a plain SYN-ACK acking only the SYN; the data must be sent again.',
    });
    listen(p);
    p.at(0.01);
    p.t0Us = p.tUs;
    p.inject('S', 0, 0, { rawOpts: p.synOpts(), len: 100 });
    p.at(0.02);
    p.echoFirst = true;
    p.data(1, 100, 1);
    p.call({ op: 'accept', fd: 3 }, ok(4));
    p.call({ op: 'recv', fd: 4, bytes: 1000 });
    out.push(p.wait('+0.2').build());
  }
  {
    const p = new Peer('hs-synack-with-data', {
      behaviours: ['HS-2', 'HS-1'],
      description: 'A SYN-ACK carrying 100 bytes: the SUT establishes and acknowledges the data with its third segment.',
    });
    activeOpen(p, { noSynAck: true });
    p.at('+0.01').inject('S.', 0, 1, { rawOpts: p.synOpts(0), len: 100 });
    p.call({ op: 'recv', fd: 3, bytes: 1000 });
    out.push(p.wait('+0.2').build());
  }
  return out;
}

function lostThirdAck(): Scenario[] {
  const out: Scenario[] = [];
  {
    const p = new Peer('hs-lost-third-ack-synack-retries', {
      behaviours: ['HS-7', 'HS-6', 'LQ-7'],
      description: 'The third ACK never arrives: with tcp_synack_retries=2 the SYN-ACK is sent again at 1 s and 3 s, then the request is dropped silently; a late ACK gets an RST.',
      sysctls: { tcp_synack_retries: 2 },
    });
    passiveOpen(p, { noThird: true });
    p.wait(7.5);
    p.ack(1, 1, { ecr: 0 });
    p.call({ op: 'accept', fd: 3 }, err('EAGAIN'));
    out.push(p.wait('+0.1').build());
  }
  for (const set of ['all', 'none'] as const) {
    const p = new Peer(`hs-lost-third-ack-data-completes-${set}`, {
      behaviours: ['HS-7', 'HS-2'],
      description: `The third ACK is lost; the peer's first data segment at 0.5 s (options "${set}") completes the handshake.`,
    }, { opts: set });
    passiveOpen(p, { noThird: true });
    // TSecr must echo a SYN-ACK TSval (6.18 rejects others in tcp_check_req): 0 is the first.
    p.at(0.5).data(1, 200, 1, { ecr: 0 });
    p.call({ op: 'accept', fd: 3 }, ok(4));
    p.call({ op: 'recv', fd: 4, bytes: 1000 }, ok(200));
    out.push(p.wait('+0.3').build());
  }
  {
    const p = new Peer('hs-lost-third-ack-after-synack-retx', {
      behaviours: ['HS-7', 'HS-1'],
      description: 'The third ACK is lost; the SYN-ACK retransmitted at 1 s is answered and the connection is established.',
    });
    passiveOpen(p, { noThird: true });
    p.at(1.05).ack(1, 1, { ecr: 0 });
    p.call({ op: 'accept', fd: 3 }, ok(4));
    out.push(p.wait('+0.3').build());
  }
  {
    const p = new Peer('hs-peer-retransmits-syn', {
      behaviours: ['HS-6'],
      description: 'The peer retransmits its SYN (its SYN-ACK was lost); the listener answers at once with the same SYN-ACK.',
    });
    passiveOpen(p, { noThird: true });
    p.at(0.5).inject('S', 0, 0, { rawOpts: p.synOpts() });
    p.at(0.52);
    p.echoFirst = true;
    p.ack(1, 1);
    p.call({ op: 'accept', fd: 3 }, ok(4));
    out.push(p.wait('+0.3').build());
  }
  return out;
}

function synRetransmission(): Scenario[] {
  const out: Scenario[] = [];
  for (const [retries, linear, end] of [
    [1, 4, 3.5],
    [2, 4, 7.5],
    [2, 0, 7.5],
    [3, 0, 15.5],
  ] as const) {
    const p = new Peer(`hs-syn-timeout-retries${retries}-linear${linear}`, {
      behaviours: ['HS-5', 'HS-12', 'DT-5'],
      description: `Nobody answers the SYN: with tcp_syn_retries=${retries}, tcp_syn_linear_timeouts=${linear} the SYN is retransmitted with backoff and connect() fails with ETIMEDOUT.`,
      sysctls: { tcp_syn_retries: retries, tcp_syn_linear_timeouts: linear },
    });
    activeOpen(p, { noSynAck: true });
    p.wait(end);
    p.call({ op: 'recv', fd: 3, bytes: 100 }, undefined, 'the pending error: ETIMEDOUT');
    out.push(p.build());
  }
  for (const [label, at] of [
    ['after-first-retx', 1.05],
    ['after-second-retx', 2.05],
  ] as const) {
    const p = new Peer(`hs-lost-synack-${label}`, {
      behaviours: ['HS-5', 'HS-6', 'HS-1', 'CC-1'],
      description: `The peer's first answer is lost: the SUT retransmits its SYN and the SYN-ACK sent at ${at} s completes the open (initial window afterwards).`,
      sysctls: { tcp_syn_linear_timeouts: 4 },
    });
    activeOpen(p, { noSynAck: true });
    p.at(at).inject('S.', 0, 1, { rawOpts: p.synOpts(0) });
    p.call({ op: 'send', fd: 3, bytes: 20000 }, ok(20000));
    p.at('+0.05').ack(1, 1 + 10 * p.sutMss);
    out.push(p.wait('+0.3').build());
  }
  {
    const p = new Peer('hs-synack-retransmitted-by-peer', {
      behaviours: ['HS-6', 'DT-13'],
      description: 'The peer sends its SYN-ACK twice (its retransmission); the established SUT answers the duplicate with an ACK.',
    });
    activeOpen(p);
    p.at('+0.2').inject('S.', 0, 1, { rawOpts: p.synOpts(0) });
    out.push(p.wait('+0.3').build());
  }
  return out;
}

function badSynAck(): Scenario[] {
  const out: Scenario[] = [];
  for (const [label, ack] of [
    ['ack-iss', 0],
    ['ack-iss-plus-2', 2],
    ['ack-far', 100000],
    ['ack-below', 4294967000],
  ] as const) {
    const p = new Peer(`hs-old-duplicate-synack-${label}`, {
      behaviours: ['HS-3', 'RS-1'],
      description: `A SYN-ACK acknowledging ${ack} (not ISS+1) gets an RST with seq = SEG.ACK; the SUT stays in SYN-SENT and a correct SYN-ACK then completes the open.`,
    });
    activeOpen(p, { noSynAck: true });
    p.at('+0.01').inject('S.', 500000, ack, { rawOpts: p.synOpts(0) });
    p.at('+0.1').inject('S.', 0, 1, { rawOpts: p.synOpts(0) });
    p.call({ op: 'send', fd: 3, bytes: 100 }, ok(100));
    p.at('+0.01').ack(1, 101);
    out.push(p.wait('+0.2').build());
  }
  return out;
}

function simultaneous(): Scenario[] {
  const out: Scenario[] = [];
  for (const set of ['all', 'none', 'nots'] as const) {
    const p = new Peer(`hs-simultaneous-open-${set}`, {
      behaviours: ['HS-10', 'HS-1'],
      description: `Simultaneous open (options "${set}"): the SUT in SYN-SENT receives a SYN, answers SYN-ACK, and the peer's SYN-ACK establishes it.`,
    }, { opts: set });
    activeOpen(p, { noSynAck: true });
    p.at('+0.01').inject('S', 0, 0, { rawOpts: p.synOpts(0) });
    p.at('+0.01').inject('S.', 0, 1, { rawOpts: p.synOpts(0) });
    p.call({ op: 'send', fd: 3, bytes: 500 }, ok(500));
    p.at('+0.01').ack(1, 501);
    out.push(p.wait('+0.2').build());
  }
  {
    const p = new Peer('hs-simultaneous-open-ack-only', {
      behaviours: ['HS-10'],
      description: 'Simultaneous open where the peer answers the SUT\'s SYN-ACK with a bare ACK: SYN-RECEIVED → ESTABLISHED.',
    });
    activeOpen(p, { noSynAck: true });
    p.at('+0.01').inject('S', 0, 0, { rawOpts: p.synOpts(0) });
    p.at('+0.01').ack(1, 1);
    p.call({ op: 'send', fd: 3, bytes: 500 }, ok(500));
    p.at('+0.01').ack(1, 501);
    out.push(p.wait('+0.2').build());
  }
  {
    const p = new Peer('hs-simultaneous-open-data', {
      behaviours: ['HS-10', 'HS-2'],
      description: 'Simultaneous open where the peer\'s ACK carries data: the data is delivered once the SUT is established.',
    });
    activeOpen(p, { noSynAck: true });
    p.at('+0.01').inject('S', 0, 0, { rawOpts: p.synOpts(0) });
    p.at('+0.01').data(1, 300, 1);
    p.call({ op: 'recv', fd: 3, bytes: 1000 }, ok(300));
    out.push(p.wait('+0.2').build());
  }
  return out;
}

function refused(): Scenario[] {
  const out: Scenario[] = [];
  for (const set of ['all', 'none'] as const) {
    const p = new Peer(`hs-connect-refused-${set}`, {
      behaviours: ['HS-11', 'RS-3', 'RS-4'],
      description: `The peer answers the SYN (options "${set}") with RST|ACK ack=ISS+1: connect() fails with ECONNREFUSED and nothing more is sent.`,
    }, { opts: set });
    activeOpen(p, { noSynAck: true });
    p.at('+0.01').inject('R.', 0, 1, { rawOpts: [] });
    p.call({ op: 'recv', fd: 3, bytes: 100 }, undefined, 'ECONNREFUSED');
    out.push(p.wait('+1.2').build());
  }
  for (const [label, flags] of [
    ['syn', 'S'],
    ['syn-none', 'S'],
  ] as const) {
    const p = new Peer(`hs-syn-to-closed-port-${label}`, {
      behaviours: ['HS-11', 'RS-1'],
      description: 'A SYN to a port where nothing listens gets RST|ACK with seq 0 and ack = SEG.SEQ+1.',
      local: { port: 8080 },
    }, { opts: label === 'syn' ? 'all' : 'none' });
    p.call({ op: 'socket', fd: 3 }, ok(3));
    p.at(0.01).inject(flags, 0, 0, { rawOpts: p.synOpts() });
    out.push(p.wait('+0.1').build());
  }
  return out;
}

function isn(): Scenario[] {
  const p = new Peer('hs-isn-two-peers', {
    behaviours: ['HS-4', 'LQ-1'],
    description: 'Two peers (ports 40000 and 40001) connect to one listener; each child gets its own ISN, visible in the trace header.',
  });
  passiveOpen(p);
  p.at(0.05).inject('S', 0, 0, { rawOpts: p.synOpts(), srcPort: 40001 });
  p.at(0.06);
  p.echoFirst = true;
  p.ack(1, 1, { srcPort: 40001 });
  p.call({ op: 'accept', fd: 3 }, ok(5));
  return [p.wait('+0.1').build()];
}

function connectedCalls(): Scenario[] {
  const p = new Peer('hs-connect-completes-on-synack', {
    behaviours: ['HS-13'],
    description: 'Before the SYN-ACK, send and recv on the connecting socket would block (EAGAIN); after it, send succeeds at once.',
  });
  activeOpen(p, { noSynAck: true });
  p.call({ op: 'recv', fd: 3, bytes: 10 });
  p.call({ op: 'send', fd: 3, bytes: 10 });
  p.at('+0.01').inject('S.', 0, 1, { rawOpts: p.synOpts(0) });
  p.call({ op: 'send', fd: 3, bytes: 10 }, ok(10));
  p.call({ op: 'recv', fd: 3, bytes: 10 }, err('EAGAIN'));
  p.at('+0.01').ack(1, 11);
  const p2 = new Peer('hs-accept-waits-for-third-ack', {
    behaviours: ['HS-13', 'LQ-1'],
    description: 'accept() returns EAGAIN after the SYN (connection still in the SYN queue) and a socket only after the third ACK.',
  });
  passiveOpen(p2, { noThird: true });
  p2.call({ op: 'accept', fd: 3 }, err('EAGAIN'));
  p2.at(0.02);
  p2.echoFirst = true;
  p2.ack(1, 1);
  p2.call({ op: 'accept', fd: 3 }, ok(4));
  return [p.wait('+0.1').build(), p2.wait('+0.1').build()];
}

export function handshakeScenarios(): Scenario[] {
  return [
    ...OPT_SETS.map(passive),
    ...OPT_SETS.map(active),
    ...sutOff(),
    ...mssVariants(),
    ...wscaleVariants(),
    ...thirdData(),
    ...lostThirdAck(),
    ...synRetransmission(),
    ...badSynAck(),
    ...simultaneous(),
    ...refused(),
    ...isn(),
    ...connectedCalls(),
  ];
}
