/**
 * Listener family: SYN queue and accept queue limits (backlog, somaxconn, tcp_max_syn_backlog),
 * accept-queue overflow with tcp_abort_on_overflow 0/1, SYN cookies (tcp_syncookies 1/2) with
 * each option set and MSS, data queued before accept(), and half-open entries
 * that expire after the SYN-ACK retries. Behaviours LQ-1…LQ-5, LQ-7 (LQ-6, the land attack, cannot be
 * injected through the TUN recorder: it refuses equal addresses, and the kernel drops a packet with
 * its own source address arriving on a non-loopback device as martian) (kernel: tcp_input.c:
 * tcp_conn_request, syncookies.c, inet_connection_sock.c:reqsk_timer_handler).
 */
import type { Scenario } from '../../../src/scenario/types.js';
import { PEER_PORT, Peer, err, listen, ok, passiveOpen } from './kit.js';

/** A SYN from peer port `port` (each port is its own flow in script space). */
function synFrom(p: Peer, port: number): void {
  p.inject('S', 0, 0, { rawOpts: p.synOpts(), srcPort: port });
}

/** The third ACK from `port`, echoing the SYN-ACK's TSval exactly. */
function ackFrom(p: Peer, port: number, data = 0): void {
  if (data > 0) p.data(1, data, 1, { srcPort: port, ecr: 0 });
  else p.ack(1, 1, { srcPort: port, ecr: 0 });
}

function acceptOverflow(): Scenario[] {
  const out: Scenario[] = [];
  for (const backlog of [1, 2, 4]) {
    for (const abort of [0, 1]) {
      const p = new Peer(`lq-accept-queue-overflow-backlog${backlog}-abort${abort}`, {
        behaviours: ['LQ-1', 'LQ-3'],
        description: `With backlog ${backlog} the accept queue holds ${backlog + 1}; one more third ACK is ${abort === 0 ? 'ignored and the SYN-ACK retransmitted, and the re-sent ACK accepted after accept() frees room' : 'answered with RST (tcp_abort_on_overflow=1)'}.`,
        sysctls: { tcp_abort_on_overflow: abort, tcp_syncookies: 0 },
      });
      listen(p, { backlog });
      let t = 0.01;
      for (let i = 0; i < backlog; i++) {
        p.at(t);
        synFrom(p, PEER_PORT + i);
        p.at(t + 0.002);
        ackFrom(p, PEER_PORT + i);
        t += 0.005;
      }
      p.at(t);
      synFrom(p, PEER_PORT + backlog);
      synFrom(p, PEER_PORT + backlog + 1);
      p.at(t + 0.005);
      ackFrom(p, PEER_PORT + backlog);
      ackFrom(p, PEER_PORT + backlog + 1);
      p.at(0.5);
      for (let i = 0; i <= backlog; i++) p.call({ op: 'accept', fd: 3 }, ok(4 + i));
      p.call({ op: 'accept', fd: 3 }, err('EAGAIN'));
      if (abort === 0) {
        p.at(1.2);
        p.ack(1, 1, { srcPort: PEER_PORT + backlog + 1, ecr: 0 });
        p.call({ op: 'accept', fd: 3 });
      }
      out.push(p.wait('+0.1').build());
    }
  }
  for (const backlog of [0, 1]) {
    const p = new Peer(`lq-accept-queue-full-drops-syn-backlog${backlog}`, {
      behaviours: ['LQ-1', 'LQ-2'],
      description: `With backlog ${backlog} and ${backlog + 1} connections waiting for accept(), a new SYN is dropped silently; its retransmission after accept() is answered.`,
      sysctls: { tcp_syncookies: 0 },
    });
    listen(p, { backlog });
    for (let i = 0; i <= backlog; i++) {
      p.at(0.01 + i * 0.01);
      synFrom(p, PEER_PORT + i);
      p.at(0.015 + i * 0.01);
      ackFrom(p, PEER_PORT + i);
    }
    p.at(0.1);
    synFrom(p, 41000);
    p.at(0.5).call({ op: 'accept', fd: 3 }, ok(4));
    p.at(1.1);
    synFrom(p, 41000);
    p.at(1.12).ack(1, 1, { srcPort: 41000, ecr: 0 });
    out.push(p.wait('+0.1').build());
  }
  {
    const p = new Peer('lq-somaxconn-caps-backlog', {
      behaviours: ['LQ-1'],
      description: 'somaxconn=1 caps listen(fd, 16): the accept queue holds 2 connections and a third SYN is dropped.',
      sysctls: { somaxconn: 1, tcp_syncookies: 0 },
    });
    listen(p, { backlog: 16 });
    for (let i = 0; i < 3; i++) {
      p.at(0.01 + i * 0.01);
      synFrom(p, PEER_PORT + i);
      p.at(0.015 + i * 0.01);
      ackFrom(p, PEER_PORT + i);
    }
    p.at(0.2);
    for (let i = 0; i < 3; i++) p.call({ op: 'accept', fd: 3 });
    out.push(p.wait('+0.1').build());
  }
  return out;
}

function synQueue(): Scenario[] {
  const out: Scenario[] = [];
  for (const backlog of [1, 2, 3]) {
    const p = new Peer(`lq-syn-queue-full-no-cookies-backlog${backlog}`, {
      behaviours: ['LQ-1', 'LQ-2'],
      description: `tcp_syncookies=0, backlog ${backlog}: SYNs beyond the SYN-queue limit are dropped silently; a dropped client's SYN retransmission gets in once the queue drains.`,
      sysctls: { tcp_syncookies: 0 },
    });
    listen(p, { backlog });
    const n = backlog + 2;
    for (let i = 0; i < n; i++) {
      p.at(0.01 + i * 0.002);
      synFrom(p, PEER_PORT + i);
    }
    p.at(0.1);
    for (let i = 0; i < n - 1; i++) ackFrom(p, PEER_PORT + i);
    for (let i = 0; i < n - 1; i++) p.call({ op: 'accept', fd: 3 });
    p.at(1.05);
    synFrom(p, PEER_PORT + n - 1);
    p.at(1.07);
    ackFrom(p, PEER_PORT + n - 1);
    p.call({ op: 'accept', fd: 3 });
    out.push(p.wait('+0.1').build());
  }
  {
    const p = new Peer('lq-max-syn-backlog-small', {
      behaviours: ['LQ-2'],
      description: 'tcp_max_syn_backlog=4 without syncookies and a large backlog: once the SYN queue is three-quarters full, unproven SYNs are dropped.',
      sysctls: { tcp_syncookies: 0, tcp_max_syn_backlog: 4 },
    });
    listen(p, { backlog: 64 });
    for (let i = 0; i < 6; i++) {
      p.at(0.01 + i * 0.002);
      synFrom(p, PEER_PORT + i);
    }
    out.push(p.wait(0.3).build());
  }
  return out;
}

function cookies(): Scenario[] {
  const out: Scenario[] = [];
  for (const set of ['all', 'nots', 'nosack', 'none'] as const) {
    const p = new Peer(`lq-syncookie-always-${set}`, {
      behaviours: ['LQ-4', 'HS-1'],
      description: `tcp_syncookies=2: the SYN (options "${set}") is answered with a cookie SYN-ACK; the third ACK recreates the connection, which then carries data.`,
      sysctls: { tcp_syncookies: 2 },
    }, { opts: set });
    passiveOpen(p, { cookie: true });
    p.at('+0.01').data(1, 300, 1);
    p.call({ op: 'recv', fd: 4, bytes: 1000 }, ok(300));
    p.call({ op: 'send', fd: 4, bytes: 3000 }, ok(3000));
    p.at('+0.01').ack(301, 3001);
    out.push(p.wait('+0.2').build());
  }
  for (const m of [536, 1000, 1300, 1440, 1460]) {
    const p = new Peer(`lq-syncookie-mss-${m}`, {
      behaviours: ['LQ-4', 'HS-8'],
      description: `A cookie encodes the MSS as an index into 536/1300/1440/1460: a SYN announcing ${m} gets a child that segments by the table value at or below it.`,
      sysctls: { tcp_syncookies: 2 },
    }, { opts: 'nots', mss: m, win: 65535 });
    passiveOpen(p, { cookie: true });
    p.call({ op: 'send', fd: 4, bytes: 4000 }, ok(4000));
    p.at('+0.02').ack(1, 4001);
    out.push(p.wait('+0.2').build());
  }
  for (const [label, ack] of [
    ['ack-plus-one', 2],
    ['ack-far', 123456],
  ] as const) {
    const p = new Peer(`lq-syncookie-bad-ack-${label}`, {
      behaviours: ['LQ-4', 'RS-1'],
      description: `A third ACK whose ack−1 is not a valid cookie (ack ${ack}) creates nothing and is answered with RST seq = SEG.ACK.`,
      sysctls: { tcp_syncookies: 2 },
    }, { opts: 'nots' });
    passiveOpen(p, { noThird: true });
    p.at(0.02).ack(1, ack);
    p.call({ op: 'accept', fd: 3 }, err('EAGAIN'));
    out.push(p.wait('+0.1').build());
  }
  {
    const p = new Peer('lq-syncookie-stray-ack', {
      behaviours: ['LQ-4', 'RS-1'],
      description: 'With tcp_syncookies=2, an ACK with no SYN before it does not validate and gets an RST.',
      sysctls: { tcp_syncookies: 2 },
    }, { opts: 'nots' });
    listen(p);
    p.at(0.02).ack(1, 77777);
    out.push(p.wait('+0.1').build());
  }
  for (const backlog of [0, 1]) {
    const p = new Peer(`lq-syncookie-on-overflow-backlog${backlog}`, {
      behaviours: ['LQ-4', 'LQ-2', 'LQ-1'],
      description: `tcp_syncookies=1, backlog ${backlog}: SYNs beyond the SYN-queue limit get cookie SYN-ACKs instead of being dropped, and their ACKs complete.`,
      sysctls: { tcp_syncookies: 1 },
    });
    listen(p, { backlog });
    const n = backlog + 3;
    for (let i = 0; i < n; i++) {
      p.at(0.01 + i * 0.002);
      synFrom(p, PEER_PORT + i);
    }
    p.at(0.05);
    for (let i = 0; i < n; i++) ackFrom(p, PEER_PORT + i);
    p.at(0.1);
    for (let i = 0; i < n; i++) p.call({ op: 'accept', fd: 3 });
    out.push(p.wait('+0.1').build());
  }
  return out;
}

function beforeAccept(): Scenario[] {
  const out: Scenario[] = [];
  for (const set of ['all', 'none'] as const) {
    const p = new Peer(`lq-data-before-accept-${set}`, {
      behaviours: ['LQ-5', 'DT-1'],
      description: `Two data segments arrive before accept() (options "${set}"); they are ACKed by the kernel and read in order after accept().`,
    }, { opts: set });
    passiveOpen(p, { accept: false });
    p.at(0.03).data(1, 1000, 1);
    p.at(0.04).data(1001, 500, 1);
    p.at(0.2).call({ op: 'accept', fd: 3 }, ok(4));
    p.call({ op: 'recv', fd: 4, bytes: 4000 }, ok(1500));
    out.push(p.wait('+0.1').build());
  }
  {
    const p = new Peer('lq-data-and-fin-before-accept', {
      behaviours: ['LQ-5', 'CT-10'],
      description: 'Data and FIN arrive before accept(); after accept() the data is read, then end of file.',
    });
    passiveOpen(p, { accept: false });
    p.at(0.03).data(1, 700, 1);
    p.at(0.04).fin(701, 1);
    p.at(0.2).call({ op: 'accept', fd: 3 }, ok(4));
    p.call({ op: 'recv', fd: 4, bytes: 4000 }, ok(700));
    p.call({ op: 'recv', fd: 4, bytes: 4000 }, ok(0));
    out.push(p.wait('+0.1').build());
  }
  {
    const p = new Peer('lq-rst-before-accept', {
      behaviours: ['LQ-5', 'RS-3'],
      description: 'The peer resets a connection still in the accept queue; accept() then returns the dead socket or skips it.',
    });
    passiveOpen(p, { accept: false });
    p.at(0.03).inject('R', 1, 0);
    p.at(0.1).call({ op: 'accept', fd: 3 });
    p.call({ op: 'recv', fd: 4, bytes: 100 });
    out.push(p.wait('+0.1').build());
  }
  return out;
}

function halfOpenExpiry(): Scenario[] {
  const out: Scenario[] = [];
  for (const retries of [1, 2]) {
    const end = 2 ** (retries + 1) - 1 + 0.5;
    const p = new Peer(`lq-half-open-expire-synack-retries${retries}`, {
      behaviours: ['LQ-7', 'HS-7', 'LQ-2'],
      description: `Four SYNs that are never completed fill the SYN queue; with tcp_synack_retries=${retries} their SYN-ACKs are retransmitted and the entries expire, after which a new SYN is answered.`,
      sysctls: { tcp_synack_retries: retries, tcp_syncookies: 0 },
    });
    listen(p, { backlog: 3 });
    for (let i = 0; i < 4; i++) {
      p.at(0.01 + i * 0.002);
      synFrom(p, PEER_PORT + i);
    }
    p.at(0.05);
    synFrom(p, 41000);
    p.at(end);
    synFrom(p, 41001);
    p.at(end + 0.02);
    ackFrom(p, 41001);
    p.call({ op: 'accept', fd: 3 }, ok(4));
    p.ack(1, 1, { srcPort: PEER_PORT, ecr: 0 });
    out.push(p.wait('+0.1').build());
  }
  return out;
}

export function listenerScenarios(): Scenario[] {
  return [...acceptOverflow(), ...synQueue(), ...cookies(), ...beforeAccept(), ...halfOpenExpiry()];
}
