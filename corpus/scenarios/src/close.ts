/**
 * Connection-termination family: active and passive four-way close under each option set, FIN
 * riding on data and on the ACK, simultaneous close (CLOSING), TIME-WAIT answering a retransmitted
 * FIN, a lost FIN retransmitted and an orphan giving up, FIN-WAIT-2 timeout after close() but not
 * after shutdown(SHUT_WR), half-close, close() with unread data and SO_LINGER {1,0} (RST instead of
 * FIN), end of file after the data, an out-of-order FIN, a process exiting, a FIN in SYN-RECEIVED,
 * and a new SYN on a TIME-WAIT 4-tuple. Behaviours CT-1…CT-12 (RFC 9293 §3.6, §3.10.7.4; kernel
 * tcp.c:__tcp_close, tcp_minisocks.c:tcp_timewait_state_process).
 */
import type { Scenario } from '../../../src/scenario/types.js';
import { OPT_SETS, Peer, err, ok, passiveOpen, activeOpen } from './kit.js';

function activeClose(): Scenario[] {
  return OPT_SETS.map((set) => {
    const p = new Peer(`ct-active-close-${set}`, {
      behaviours: ['CT-1', 'CT-2'],
      description: `The SUT closes first (options "${set}"): FIN → FIN-WAIT-1, its ACK → FIN-WAIT-2, the peer's FIN → TIME-WAIT with an immediate ACK.`,
    }, { opts: set });
    passiveOpen(p);
    p.at('+0.01').call({ op: 'close', fd: 4 }, ok(0));
    p.at('+0.01').ack(1, 2);
    p.at('+0.01').fin(1, 2);
    return p.wait('+0.2').build();
  });
}

function passiveClose(): Scenario[] {
  return OPT_SETS.map((set) => {
    const p = new Peer(`ct-passive-close-${set}`, {
      behaviours: ['CT-1', 'CT-10'],
      description: `The peer closes first (options "${set}"): CLOSE-WAIT, recv returns 0, the SUT's close sends FIN (LAST-ACK) and the peer's ACK ends the connection without TIME-WAIT.`,
    }, { opts: set });
    passiveOpen(p);
    p.at('+0.01').fin(1, 1);
    p.call({ op: 'recv', fd: 4, bytes: 100 }, ok(0));
    p.at('+0.1').call({ op: 'close', fd: 4 }, ok(0));
    p.at('+0.01').ack(2, 2);
    return p.wait('+0.2').build();
  });
}

function combined(): Scenario[] {
  const out: Scenario[] = [];
  for (const set of ['all', 'none'] as const) {
    {
      const p = new Peer(`ct-three-segment-close-passive-${set}`, {
        behaviours: ['CT-3', 'CT-1'],
        description: `The application closes right after the peer's FIN arrives (options "${set}"): the SUT's FIN carries the ACK of the peer's FIN.`,
      }, { opts: set });
      passiveOpen(p);
      p.at('+0.01').fin(1, 1);
      p.call({ op: 'close', fd: 4 }, ok(0));
      p.at('+0.01').ack(2, 2);
      out.push(p.wait('+0.2').build());
    }
    {
      const p = new Peer(`ct-three-segment-close-active-${set}`, {
        behaviours: ['CT-3', 'CT-1', 'CT-2'],
        description: `The peer answers the SUT's FIN with FIN|ACK in one segment (options "${set}"): FIN-WAIT-1 → TIME-WAIT directly.`,
      }, { opts: set });
      passiveOpen(p);
      p.at('+0.01').call({ op: 'close', fd: 4 }, ok(0));
      p.at('+0.01').fin(1, 2);
      out.push(p.wait('+0.2').build());
    }
    {
      const p = new Peer(`ct-fin-on-data-${set}`, {
        behaviours: ['CT-3', 'DT-11'],
        description: `send(500) then close() (options "${set}"): the FIN rides on the data segment.`,
      }, { opts: set });
      passiveOpen(p);
      p.call({ op: 'send', fd: 4, bytes: 500 }, ok(500));
      p.call({ op: 'close', fd: 4 }, ok(0));
      p.at('+0.02').ack(1, 502);
      p.at('+0.01').fin(1, 502);
      out.push(p.wait('+0.2').build());
    }
    {
      const p = new Peer(`ct-fin-after-nagle-held-data-${set}`, {
        behaviours: ['CT-3', 'DT-10'],
        description: `A small write held by Nagle and then close(): the held data and FIN leave together without waiting for the outstanding ACK (options "${set}").`,
      }, { opts: set });
      passiveOpen(p);
      p.call({ op: 'send', fd: 4, bytes: 100 }, ok(100));
      p.at('+0.005').call({ op: 'send', fd: 4, bytes: 100 }, ok(100));
      p.call({ op: 'close', fd: 4 }, ok(0));
      p.at('+0.05').ack(1, 202);
      p.at('+0.01').fin(1, 202);
      out.push(p.wait('+0.2').build());
    }
  }
  {
    const p = new Peer('ct-peer-fin-on-data', {
      behaviours: ['CT-3', 'CT-10'],
      description: 'The peer\'s last data segment carries its FIN: the data is read, then end of file.',
    });
    passiveOpen(p);
    p.at('+0.01').inject('FP.', 1, 1, { len: 300 });
    p.call({ op: 'recv', fd: 4, bytes: 1000 }, ok(300));
    p.call({ op: 'recv', fd: 4, bytes: 1000 }, ok(0));
    out.push(p.wait('+0.3').build());
  }
  return out;
}

function simultaneous(): Scenario[] {
  const out: Scenario[] = [];
  for (const set of ['all', 'none', 'nots'] as const) {
    const p = new Peer(`ct-simultaneous-close-${set}`, {
      behaviours: ['CT-4', 'CT-1'],
      description: `Both sides close at once (options "${set}"): the peer's FIN, not acknowledging the SUT's, moves FIN-WAIT-1 → CLOSING; the ACK of the SUT's FIN → TIME-WAIT.`,
    }, { opts: set });
    passiveOpen(p);
    p.at('+0.01').call({ op: 'close', fd: 4 }, ok(0));
    p.at('+0.001').fin(1, 1);
    p.at('+0.01').ack(2, 2);
    out.push(p.wait('+0.2').build());
  }
  return out;
}

function timeWait(): Scenario[] {
  const out: Scenario[] = [];
  for (const set of ['all', 'none'] as const) {
    const p = new Peer(`ct-time-wait-retransmitted-fin-${set}`, {
      behaviours: ['CT-2'],
      description: `In TIME-WAIT a retransmitted FIN (options "${set}") is ACKed again (and restarts the TIME-WAIT timer).`,
    }, { opts: set });
    passiveOpen(p);
    p.at('+0.01').call({ op: 'close', fd: 4 }, ok(0));
    p.at('+0.01').ack(1, 2);
    p.at('+0.01').fin(1, 2);
    p.at('+0.3').fin(1, 2);
    p.at('+0.5').fin(1, 2);
    out.push(p.wait('+0.2').build());
  }
  {
    const p = new Peer('ct-time-wait-data', {
      behaviours: ['CT-2', 'RS-1'],
      description: 'A data segment arriving in TIME-WAIT (old sequence numbers) is answered with an ACK, not accepted.',
    });
    passiveOpen(p);
    p.at('+0.01').call({ op: 'close', fd: 4 }, ok(0));
    p.at('+0.01').ack(1, 2);
    p.at('+0.01').fin(1, 2);
    p.at('+0.1').data(1, 100, 2);
    out.push(p.wait('+0.2').build());
  }
  return out;
}

function lostFin(): Scenario[] {
  const out: Scenario[] = [];
  for (const set of ['all', 'none'] as const) {
    const p = new Peer(`ct-lost-fin-retransmitted-${set}`, {
      behaviours: ['CT-5', 'DT-5'],
      description: `The SUT's FIN is not ACKed (options "${set}"): it is retransmitted by the RTO with backoff; an ACK at 1 s ends the retransmissions.`,
    }, { opts: set });
    passiveOpen(p);
    p.at('+0.01').call({ op: 'shutdown', fd: 4, how: 'SHUT_WR' }, ok(0));
    p.at(1).ack(1, 2);
    out.push(p.wait('+0.5').build());
  }
  for (const retries of [1, 2]) {
    const p = new Peer(`ct-orphan-gives-up-retries${retries}`, {
      behaviours: ['CT-5'],
      description: `After close() the FIN is never ACKed; with tcp_orphan_retries=${retries} the orphan stops retransmitting and disappears silently; a later segment gets an RST.`,
      sysctls: { tcp_orphan_retries: retries },
    });
    passiveOpen(p);
    p.at('+0.01').call({ op: 'close', fd: 4 }, ok(0));
    const end = retries === 1 ? 1.5 : 3;
    p.at(end).ack(1, 2);
    out.push(p.wait('+0.2').build());
  }
  return out;
}

function finWait2(): Scenario[] {
  const out: Scenario[] = [];
  {
    const p = new Peer('ct-fin-wait-2-timeout-after-close', {
      behaviours: ['CT-6', 'RS-1'],
      description: 'After close() and the ACK of its FIN, the peer never sends FIN: with tcp_fin_timeout=2 the orphan leaves FIN-WAIT-2 silently, and the peer\'s late FIN gets an RST.',
      sysctls: { tcp_fin_timeout: 2 },
    });
    passiveOpen(p);
    p.at('+0.01').call({ op: 'close', fd: 4 }, ok(0));
    p.at('+0.01').ack(1, 2);
    p.at(3).fin(1, 2);
    out.push(p.wait('+0.2').build());
  }
  {
    const p = new Peer('ct-fin-wait-2-after-shutdown-waits', {
      behaviours: ['CT-6', 'CT-7'],
      description: 'After shutdown(SHUT_WR) FIN-WAIT-2 has no timeout even with tcp_fin_timeout=2: the peer\'s data and FIN at 3 s are still accepted.',
      sysctls: { tcp_fin_timeout: 2 },
    });
    passiveOpen(p);
    p.at('+0.01').call({ op: 'shutdown', fd: 4, how: 'SHUT_WR' }, ok(0));
    p.at('+0.01').ack(1, 2);
    p.at(3).data(1, 200, 2);
    p.at('+0.01').fin(201, 2);
    p.call({ op: 'recv', fd: 4, bytes: 1000 }, ok(200));
    p.call({ op: 'recv', fd: 4, bytes: 1000 }, ok(0));
    out.push(p.wait('+0.2').build());
  }
  return out;
}

function halfClose(): Scenario[] {
  const out: Scenario[] = [];
  for (const set of ['all', 'none'] as const) {
    {
      const p = new Peer(`ct-half-close-receives-${set}`, {
        behaviours: ['CT-7', 'CT-1'],
        description: `After shutdown(SHUT_WR) the SUT still receives and ACKs the peer's data, then its FIN (options "${set}").`,
      }, { opts: set });
      passiveOpen(p);
      p.at('+0.01').call({ op: 'shutdown', fd: 4, how: 'SHUT_WR' }, ok(0));
      p.at('+0.01').ack(1, 2);
      for (let i = 0; i < 3; i++) p.at('+0.01').data(1 + i * 1000, 1000, 2);
      p.call({ op: 'recv', fd: 4, bytes: 10000 }, ok(3000));
      p.at('+0.01').fin(3001, 2);
      p.call({ op: 'recv', fd: 4, bytes: 10000 }, ok(0));
      p.call({ op: 'send', fd: 4, bytes: 10 }, err('EPIPE'));
      out.push(p.wait('+0.2').build());
    }
    {
      const p = new Peer(`ct-data-after-close-rst-${set}`, {
        behaviours: ['CT-7', 'RS-1'],
        description: `After close() (not shutdown) data from the peer is answered with RST (options "${set}").`,
      }, { opts: set });
      passiveOpen(p);
      p.at('+0.01').call({ op: 'close', fd: 4 }, ok(0));
      p.at('+0.01').ack(1, 2);
      p.at('+0.01').data(1, 100, 2);
      out.push(p.wait('+0.2').build());
    }
    {
      const p = new Peer(`ct-peer-half-close-sut-sends-${set}`, {
        behaviours: ['CT-7', 'CT-10'],
        description: `The peer half-closes; in CLOSE-WAIT the SUT keeps sending data, which the peer ACKs, then closes (options "${set}").`,
      }, { opts: set });
      passiveOpen(p);
      p.at('+0.01').fin(1, 1);
      p.call({ op: 'recv', fd: 4, bytes: 100 }, ok(0));
      p.call({ op: 'send', fd: 4, bytes: 3000 }, ok(3000));
      p.at('+0.02').ack(2, 3001);
      p.call({ op: 'close', fd: 4 }, ok(0));
      p.at('+0.02').ack(2, 3002);
      out.push(p.wait('+0.2').build());
    }
  }
  {
    const p = new Peer('ct-shutdown-rd', {
      behaviours: ['CT-7'],
      description: 'shutdown(SHUT_RD) sends nothing; later peer data is still ACKed by the kernel.',
    });
    passiveOpen(p);
    p.at('+0.01').call({ op: 'shutdown', fd: 4, how: 'SHUT_RD' }, ok(0));
    p.at('+0.01').data(1, 100, 1);
    p.call({ op: 'recv', fd: 4, bytes: 1000 });
    out.push(p.wait('+0.3').build());
  }
  {
    const p = new Peer('ct-shutdown-rdwr', {
      behaviours: ['CT-7', 'CT-1'],
      description: 'shutdown(SHUT_RDWR) sends a FIN like SHUT_WR.',
    });
    passiveOpen(p);
    p.at('+0.01').call({ op: 'shutdown', fd: 4, how: 'SHUT_RDWR' }, ok(0));
    p.at('+0.01').ack(1, 2);
    p.at('+0.01').fin(1, 2);
    out.push(p.wait('+0.2').build());
  }
  return out;
}

function rstOnClose(): Scenario[] {
  const out: Scenario[] = [];
  for (const set of ['all', 'none'] as const) {
    {
      const p = new Peer(`ct-close-unread-data-${set}`, {
        behaviours: ['CT-8', 'RS-3'],
        description: `close() with 500 unread bytes (options "${set}") sends RST|ACK instead of FIN.`,
      }, { opts: set });
      passiveOpen(p);
      p.at('+0.01').data(1, 500, 1);
      p.at('+0.05').call({ op: 'close', fd: 4 }, ok(0));
      p.at('+0.05').data(501, 100, 1);
      out.push(p.wait('+0.2').build());
    }
    {
      const p = new Peer(`ct-linger-zero-${set}`, {
        behaviours: ['CT-9', 'RS-3'],
        description: `SO_LINGER {1, 0} and close() (options "${set}"): an RST|ACK, no FIN, no TIME-WAIT.`,
      }, { opts: set });
      passiveOpen(p);
      p.call({ op: 'setsockopt', fd: 4, opt: 'SO_LINGER', value: 0 }, ok(0));
      p.at('+0.01').call({ op: 'close', fd: 4 }, ok(0));
      p.at('+0.05').ack(1, 1);
      out.push(p.wait('+0.2').build());
    }
  }
  {
    const p = new Peer('ct-close-partially-read', {
      behaviours: ['CT-8'],
      description: 'close() after reading only part of the received data still sends RST.',
    });
    passiveOpen(p);
    p.at('+0.01').data(1, 1000, 1);
    p.call({ op: 'recv', fd: 4, bytes: 400 }, ok(400));
    p.at('+0.05').call({ op: 'close', fd: 4 }, ok(0));
    out.push(p.wait('+0.2').build());
  }
  {
    const p = new Peer('ct-close-all-read-then-fin', {
      behaviours: ['CT-8', 'CT-1'],
      description: 'close() after reading everything sends an ordinary FIN.',
    });
    passiveOpen(p);
    p.at('+0.01').data(1, 1000, 1);
    p.call({ op: 'recv', fd: 4, bytes: 4000 }, ok(1000));
    p.at('+0.05').call({ op: 'close', fd: 4 }, ok(0));
    p.at('+0.01').ack(1001, 2);
    p.at('+0.01').fin(1001, 2);
    out.push(p.wait('+0.2').build());
  }
  {
    const p = new Peer('ct-close-unread-fin-only', {
      behaviours: ['CT-8', 'CT-1'],
      description: 'The peer\'s FIN is the only unread thing: close() sends FIN (LAST-ACK), not RST.',
    });
    passiveOpen(p);
    p.at('+0.01').fin(1, 1);
    p.at('+0.05').call({ op: 'close', fd: 4 }, ok(0));
    p.at('+0.01').ack(2, 2);
    out.push(p.wait('+0.2').build());
  }
  {
    const p = new Peer('ct-linger-zero-unsent-data', {
      behaviours: ['CT-9'],
      description: 'SO_LINGER {1, 0} with data still unsent behind a zero window: close() discards it and sends RST.',
    }, { win: 0 });
    passiveOpen(p);
    p.call({ op: 'send', fd: 4, bytes: 5000 }, ok(5000));
    p.call({ op: 'setsockopt', fd: 4, opt: 'SO_LINGER', value: 0 }, ok(0));
    p.at('+0.05').call({ op: 'close', fd: 4 }, ok(0));
    out.push(p.wait('+0.2').build());
  }
  {
    const p = new Peer('ct-abort-call', {
      behaviours: ['CT-9', 'RS-3'],
      description: 'The abort call (SO_LINGER {1,0} + close on Linux) in ESTABLISHED sends RST and forgets the connection; the peer\'s next segment gets an RST.',
    });
    passiveOpen(p);
    p.at('+0.01').call({ op: 'abort', fd: 4 });
    p.at('+0.05').data(1, 100, 1);
    out.push(p.wait('+0.2').build());
  }
  {
    const p = new Peer('ct-linger-zero-active-open-syn-sent', {
      behaviours: ['CT-9', 'RS-3'],
      description: 'SO_LINGER {1,0} and close() in SYN-SENT: nothing is sent; the late SYN-ACK is answered with RST.',
    });
    activeOpen(p, { noSynAck: true, sockopts: [['SO_LINGER', 0]] });
    p.at('+0.01').call({ op: 'close', fd: 3 }, ok(0));
    p.at('+0.02').inject('S.', 0, 1, { rawOpts: p.synOpts(0) });
    out.push(p.wait('+0.2').build());
  }
  return out;
}

function eof(): Scenario[] {
  const out: Scenario[] = [];
  for (const set of ['all', 'none'] as const) {
    const p = new Peer(`ct-eof-after-data-${set}`, {
      behaviours: ['CT-10'],
      description: `Data then FIN from the peer (options "${set}"): recv returns all the data, then 0.`,
    }, { opts: set });
    passiveOpen(p);
    p.at('+0.01').data(1, 2000, 1);
    p.at('+0.01').fin(2001, 1);
    p.call({ op: 'recv', fd: 4, bytes: 1500 }, ok(1500));
    p.call({ op: 'recv', fd: 4, bytes: 1500 }, ok(500));
    p.call({ op: 'recv', fd: 4, bytes: 1500 }, ok(0));
    out.push(p.wait('+0.3').build());
  }
  for (const set of ['all', 'nosack'] as const) {
    const p = new Peer(`ct-out-of-order-fin-${set}`, {
      behaviours: ['CT-10', 'DT-3'],
      description: `The FIN arrives before the data in front of it (options "${set}"): it waits in the out-of-order queue; when the gap fills, data then EOF.`,
    }, { opts: set });
    passiveOpen(p);
    p.at('+0.01').fin(1001, 1);
    p.call({ op: 'recv', fd: 4, bytes: 100 }, err('EAGAIN'));
    p.at('+0.05').data(1, 1000, 1);
    p.call({ op: 'recv', fd: 4, bytes: 4000 }, ok(1000));
    p.call({ op: 'recv', fd: 4, bytes: 4000 }, ok(0));
    out.push(p.wait('+0.3').build());
  }
  return out;
}

function processExit(): Scenario[] {
  const out: Scenario[] = [];
  for (const unread of [false, true]) {
    const p = new Peer(`ct-process-exit${unread ? '-unread' : ''}`, {
      behaviours: ['CT-11', unread ? 'CT-8' : 'CT-1'],
      description: `The process exits: the kernel closes the listener and the connection${unread ? ' with unread data, so the connection sends RST' : ', which sends an ordinary FIN'}.`,
    });
    passiveOpen(p);
    if (unread) p.at('+0.01').data(1, 300, 1);
    p.at('+0.05').call({ op: 'close', fd: 4 }, ok(0));
    p.call({ op: 'close', fd: 3 }, ok(0));
    if (!unread) {
      p.at('+0.01').ack(1, 2);
      p.at('+0.01').fin(1, 2);
    }
    out.push(p.wait('+0.2').build());
  }
  {
    const p = new Peer('ct-listener-closed-with-pending', {
      behaviours: ['CT-11', 'LQ-1'],
      description: 'Closing a listener with an unaccepted connection in its accept queue resets that connection.',
    });
    passiveOpen(p, { accept: false });
    p.at('+0.05').call({ op: 'close', fd: 3 }, ok(0));
    p.at('+0.05').data(1, 100, 1);
    out.push(p.wait('+0.2').build());
  }
  return out;
}

function finInStates(): Scenario[] {
  const out: Scenario[] = [];
  {
    const p = new Peer('ct-fin-in-syn-received', {
      behaviours: ['CT-1', 'HS-1'],
      description: 'The peer\'s FIN|ACK arrives in place of the third ACK: it completes the handshake and is queued as end of file.',
    });
    passiveOpen(p, { noThird: true });
    p.at(0.02);
    p.echoFirst = true;
    p.fin(1, 1);
    p.call({ op: 'accept', fd: 3 }, ok(4));
    p.call({ op: 'recv', fd: 4, bytes: 100 }, ok(0));
    out.push(p.wait('+0.3').build());
  }
  {
    const p = new Peer('ct-duplicate-fin-close-wait', {
      behaviours: ['CT-1', 'DT-13'],
      description: 'In CLOSE-WAIT a retransmitted FIN is answered with a duplicate ACK.',
    });
    passiveOpen(p);
    p.at('+0.01').fin(1, 1);
    p.at('+0.3').fin(1, 1);
    out.push(p.wait('+0.2').build());
  }
  {
    const p = new Peer('ct-duplicate-fin-last-ack', {
      behaviours: ['CT-1'],
      description: 'In LAST-ACK the peer retransmits its FIN (its ACK of ours is still to come): the SUT ACKs it; then the ACK ends LAST-ACK.',
    });
    passiveOpen(p);
    p.at('+0.01').fin(1, 1);
    p.at('+0.05').call({ op: 'close', fd: 4 }, ok(0));
    p.at('+0.01').fin(1, 1);
    p.at('+0.05').ack(2, 2);
    out.push(p.wait('+0.2').build());
  }
  {
    const p = new Peer('ct-fin-in-fin-wait-2', {
      behaviours: ['CT-1', 'CT-2'],
      description: 'FIN with data in FIN-WAIT-2 after shutdown(SHUT_WR): the data is delivered and the FIN moves the SUT to TIME-WAIT.',
    });
    passiveOpen(p);
    p.at('+0.01').call({ op: 'shutdown', fd: 4, how: 'SHUT_WR' }, ok(0));
    p.at('+0.01').ack(1, 2);
    p.at('+0.01').inject('FP.', 1, 2, { len: 100 });
    p.call({ op: 'recv', fd: 4, bytes: 1000 }, ok(100));
    out.push(p.wait('+0.2').build());
  }
  {
    const p = new Peer('ct-active-close-active-open', {
      behaviours: ['CT-1', 'CT-2'],
      description: 'Active close on an actively opened connection: FIN, ACK, peer FIN, final ACK into TIME-WAIT.',
    });
    activeOpen(p);
    p.at('+0.01').call({ op: 'close', fd: 3 }, ok(0));
    p.at('+0.01').ack(1, 2);
    p.at('+0.01').fin(1, 2);
    out.push(p.wait('+0.2').build());
  }
  return out;
}

function timeWaitReuse(): Scenario[] {
  const out: Scenario[] = [];
  // The SUT (listener child) closes first and sits in TIME-WAIT; its SND.NXT is 2 (FIN), the
  // peer's RCV.NXT 2. A new SYN on the same 4-tuple is accepted with ISN = old SND.NXT + 65537.
  // The peer's timestamp clock has advanced, so its new TSval is above the one TIME-WAIT holds.
  for (const [label, synSeq, useTs] of [
    ['higher-seq-ts', 100000, true],
    ['higher-seq-no-ts', 100000, false],
    ['lower-seq-higher-ts', 0, true],
    ['lower-seq-no-ts', 0, false],
  ] as const) {
    const p = new Peer(`ct-time-wait-new-syn-${label}`, {
      behaviours: ['CT-12', 'CT-2', 'HS-4'],
      description: `A new SYN on a 4-tuple in TIME-WAIT with ${synSeq > 2 ? 'a higher' : 'a lower'} sequence number${useTs ? ' and a higher timestamp' : ', no timestamps'}: accepted as a new incarnation only if it cannot be an old duplicate; otherwise the old connection's ACK.`,
    }, { opts: useTs ? 'all' : 'nots' });
    passiveOpen(p);
    p.at('+0.01').call({ op: 'close', fd: 4 }, ok(0));
    p.at('+0.01').ack(1, 2);
    p.at('+0.01').fin(1, 2);
    p.at('+0.1');
    p.inject('S', synSeq, 0, { rawOpts: p.synOpts() });
    if (synSeq > 2 || useTs) {
      // The new SYN-ACK's TSval is not known exactly and 6.18 rejects a third ACK whose TSecr is
      // not one of the SYN-ACK TSvals, so this ACK carries no timestamp.
      p.at('+0.01').ack(synSeq + 1, 2 + 65537 + 1, { noTs: true });
      p.call({ op: 'accept', fd: 3 });
    }
    out.push(p.wait('+0.2').build());
  }
  return out;
}

export function closeScenarios(): Scenario[] {
  return [
    ...activeClose(),
    ...passiveClose(),
    ...combined(),
    ...simultaneous(),
    ...timeWait(),
    ...lostFin(),
    ...finWait2(),
    ...halfClose(),
    ...rstOnClose(),
    ...eof(),
    ...processExit(),
    ...finInStates(),
    ...timeWaitReuse(),
  ];
}
