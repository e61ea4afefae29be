/**
 * Keepalive and dead-peer family: SO_KEEPALIVE with TCP_KEEPIDLE/INTVL/CNT of 1 s (probes
 * unanswered → RST and ETIMEDOUT; answered → the connection lives; answered with RST by a rebooted
 * peer; idle timer restarted by traffic), a half-open connection discovered when data is answered
 * with RST, and retransmissions giving up after tcp_retries2 or TCP_USER_TIMEOUT.
 * Behaviours KA-1…KA-3 (RFC 1122 §4.2.3.6, §4.2.3.5; kernel tcp_timer.c:tcp_keepalive_timer,
 * tcp_write_timeout).
 */
import type { Scenario } from '../../../src/scenario/types.js';
import type { SockOptName } from '../../../src/scenario/types.js';
import { Peer, ok, passiveOpen } from './kit.js';

function keepaliveOpts(idle: number, intvl: number, cnt: number): readonly (readonly [SockOptName, number])[] {
  return [
    ['SO_KEEPALIVE', 1],
    ['TCP_KEEPIDLE', idle],
    ['TCP_KEEPINTVL', intvl],
    ['TCP_KEEPCNT', cnt],
  ];
}

/** Set keepalive on the accepted socket (fd 4). */
function setKeepalive(p: Peer, idle: number, intvl: number, cnt: number): void {
  for (const [opt, value] of keepaliveOpts(idle, intvl, cnt)) p.call({ op: 'setsockopt', fd: 4, opt, value }, ok(0));
}

function unanswered(): Scenario[] {
  const out: Scenario[] = [];
  for (const set of ['all', 'none'] as const) {
    for (const cnt of [1, 2, 3]) {
      if (set === 'none' && cnt !== 2) continue;
      const p = new Peer(`ka-unanswered-cnt${cnt}-${set}`, {
        behaviours: ['KA-1'],
        description: `Keepalive idle 1 s, interval 1 s, count ${cnt} (options "${set}"), the peer never answers: probes with seq = SND.NXT−1, then RST and ETIMEDOUT.`,
      }, { opts: set });
      passiveOpen(p);
      setKeepalive(p, 1, 1, cnt);
      p.wait(cnt + 1.5);
      p.call({ op: 'recv', fd: 4, bytes: 100 }, undefined, 'ETIMEDOUT');
      out.push(p.build());
    }
  }
  {
    const p = new Peer('ka-unanswered-after-data', {
      behaviours: ['KA-1'],
      description: 'Keepalive after some data was exchanged: the probe carries seq = SND.NXT−1 of the data sent and ack = RCV.NXT.',
    });
    passiveOpen(p);
    setKeepalive(p, 1, 1, 2);
    p.at('+0.01').data(1, 100, 1);
    p.call({ op: 'recv', fd: 4, bytes: 1000 }, ok(100));
    p.call({ op: 'send', fd: 4, bytes: 200 }, ok(200));
    p.at('+0.02').ack(101, 201);
    p.wait(3.8);
    p.call({ op: 'recv', fd: 4, bytes: 100 });
    out.push(p.build());
  }
  return out;
}

function answered(): Scenario[] {
  const out: Scenario[] = [];
  for (const set of ['all', 'none'] as const) {
    const p = new Peer(`ka-answered-${set}`, {
      behaviours: ['KA-1'],
      description: `Every keepalive probe is answered with an ACK (options "${set}"): each answer restarts the idle timer and the connection survives.`,
    }, { opts: set });
    passiveOpen(p);
    setKeepalive(p, 1, 1, 2);
    for (const t of [1.1, 2.2, 3.3]) p.at(t).ack(1, 1);
    p.at(4).call({ op: 'send', fd: 4, bytes: 10 }, ok(10));
    p.at('+0.02').ack(1, 11);
    out.push(p.wait('+0.1').build());
  }
  {
    const p = new Peer('ka-peer-rebooted-rst', {
      behaviours: ['KA-1', 'RS-3'],
      description: 'A rebooted peer answers the keepalive probe with RST (seq = the probe\'s ack): the connection dies with ECONNRESET.',
    });
    passiveOpen(p);
    setKeepalive(p, 1, 1, 3);
    p.at(1.1).inject('R', 1, 0, { rawOpts: [] });
    p.at(1.2).call({ op: 'recv', fd: 4, bytes: 100 });
    out.push(p.wait('+0.1').build());
  }
  {
    const p = new Peer('ka-traffic-restarts-idle', {
      behaviours: ['KA-1'],
      description: 'Data at 0.8 s restarts the 1 s idle timer: the first probe goes about 1 s after it, not at 1 s.',
    });
    passiveOpen(p);
    setKeepalive(p, 1, 1, 3);
    p.at(0.8).data(1, 10, 1);
    p.call({ op: 'recv', fd: 4, bytes: 100 }, ok(10));
    p.at(1.9).ack(11, 1);
    out.push(p.wait(2.3).build());
  }
  {
    const p = new Peer('ka-listener-inherits', {
      behaviours: ['KA-1', 'LQ-1'],
      description: 'SO_KEEPALIVE and the keepalive times set on the listener are inherited by the accepted socket.',
    });
    passiveOpen(p, { sockopts: keepaliveOpts(1, 1, 1) });
    p.wait(2.5);
    p.call({ op: 'recv', fd: 4, bytes: 100 });
    out.push(p.build());
  }
  return out;
}

function halfOpen(): Scenario[] {
  const out: Scenario[] = [];
  for (const set of ['all', 'none'] as const) {
    const p = new Peer(`ka-half-open-data-gets-rst-${set}`, {
      behaviours: ['KA-2', 'RS-3'],
      description: `The peer forgot the connection: the SUT's data is answered with RST at its ACK number (options "${set}"), and the SUT reports ECONNRESET.`,
    }, { opts: set });
    passiveOpen(p);
    p.at('+0.05').call({ op: 'send', fd: 4, bytes: 500 }, ok(500));
    p.at('+0.01').inject('R', 1, 0, { rawOpts: [] });
    p.at('+0.05').call({ op: 'send', fd: 4, bytes: 10 });
    p.call({ op: 'recv', fd: 4, bytes: 100 });
    out.push(p.wait('+0.3').build());
  }
  return out;
}

function giveUp(): Scenario[] {
  const out: Scenario[] = [];
  for (const [retries, end] of [
    [1, 2.5],
    [2, 4],
    [3, 4.5],
  ] as const) {
    const p = new Peer(`ka-retries2-${retries}`, {
      behaviours: ['KA-3', 'DT-5'],
      description: `Unreachable peer with data outstanding: with tcp_retries2=${retries} the retransmissions stop after the time budget and the connection fails silently with ETIMEDOUT.`,
      sysctls: { tcp_retries2: retries },
    });
    passiveOpen(p);
    p.at(0.05).call({ op: 'send', fd: 4, bytes: 1000 }, ok(1000));
    p.wait(end);
    p.call({ op: 'recv', fd: 4, bytes: 100 }, undefined, 'ETIMEDOUT');
    p.at('+0.05').data(1, 10, 1);
    out.push(p.wait('+0.1').build());
  }
  for (const timeout of [500, 1500]) {
    const p = new Peer(`ka-user-timeout-${timeout}ms`, {
      behaviours: ['KA-3', 'DT-5'],
      description: `TCP_USER_TIMEOUT ${timeout} ms: unacknowledged data makes the connection fail with ETIMEDOUT after that time instead of tcp_retries2.`,
    });
    passiveOpen(p);
    p.call({ op: 'setsockopt', fd: 4, opt: 'TCP_USER_TIMEOUT', value: timeout }, ok(0));
    p.at(0.05).call({ op: 'send', fd: 4, bytes: 1000 }, ok(1000));
    p.wait(0.05 + timeout / 1000 + 0.8);
    p.call({ op: 'recv', fd: 4, bytes: 100 }, undefined, 'ETIMEDOUT');
    out.push(p.build());
  }
  {
    const p = new Peer('ka-retries2-zero-window-probes', {
      behaviours: ['KA-3', 'FC-4'],
      description: 'Zero-window probes that are never answered count against tcp_retries2=2: the connection is aborted.',
      sysctls: { tcp_retries2: 2 },
    });
    passiveOpen(p);
    p.call({ op: 'send', fd: 4, bytes: 1000 }, ok(1000));
    p.at('+0.02').ack(1, 1001, { win: 0 });
    p.call({ op: 'send', fd: 4, bytes: 1000 }, ok(1000));
    p.wait(4);
    p.call({ op: 'recv', fd: 4, bytes: 100 });
    out.push(p.build());
  }
  return out;
}

export function keepaliveScenarios(): Scenario[] {
  return [...unanswered(), ...answered(), ...halfOpen(), ...giveUp()];
}
