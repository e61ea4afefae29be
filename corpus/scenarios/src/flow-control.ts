/**
 * Flow-control family: the peer's window limiting the SUT (small, tiny, zero, shrinking, reopened),
 * the persist timer and zero-window probes (with the window update lost, answered at zero, or a
 * window of zero from the SYN), and the SUT's own receive window with a small SO_RCVBUF: filling
 * it, data beyond the right edge, the window never shrinking, receiver silly-window avoidance and
 * the window update after a read. Behaviours FC-1…FC-8 (RFC 9293 §3.8.6, RFC 1122 §4.2.3.3–4,
 * RFC 7323 §2; kernel tcp_output.c:tcp_select_window, tcp_send_probe0).
 */
import type { Scenario } from '../../../src/scenario/types.js';
import type { OptSet } from './kit.js';
import { Peer, ok, passiveOpen } from './kit.js';

function peerWindow(): Scenario[] {
  const out: Scenario[] = [];
  for (const set of ['all', 'none'] as const) {
    for (const win of [1000, 2896, 3000, 5000, 10000]) {
      const p = new Peer(`fc-peer-window-${win}-${set}`, {
        behaviours: ['FC-1', 'FC-6', 'FC-8'],
        description: `The peer advertises ${win} bytes (options "${set}") and the SUT has 12000 to send: never more than the usable window in flight; each ACK slides it.`,
      }, { opts: set, win });
      passiveOpen(p);
      p.call({ op: 'send', fd: 4, bytes: 12000 }, ok(12000));
      // Each round ACK the full segments that surely fit: the send MSS is bounded to half the
      // peer's largest window (tcp_output.c:tcp_bound_to_half_wnd).
      const eff = Math.min(p.sutMss, win > 536 ? Math.floor(win / 2) : win);
      const perRound = Math.floor(win / eff) * eff;
      let acked = 0;
      for (let r = 0; r < 30 && acked < 12000; r++) {
        acked = Math.min(12000, acked + perRound);
        p.at('+0.03').ack(1, 1 + acked);
      }
      out.push(p.wait('+0.3').build());
    }
  }
  return out;
}

function zeroWindow(): Scenario[] {
  const out: Scenario[] = [];
  for (const set of ['all', 'none'] as const) {
    {
      const p = new Peer(`fc-zero-window-probes-${set}`, {
        behaviours: ['FC-4', 'FC-1'],
        description: `The peer ACKs the first 1000 bytes with window 0 (options "${set}"): the SUT sends zero-window probes with backoff until a window update at 1.5 s lets the rest go.`,
      }, { opts: set });
      passiveOpen(p);
      p.call({ op: 'send', fd: 4, bytes: 1000 }, ok(1000));
      p.at('+0.02').ack(1, 1001, { win: 0 });
      p.call({ op: 'send', fd: 4, bytes: 3000 }, ok(3000));
      p.at(1.5).ack(1, 1001, { win: 65535 });
      p.at('+0.03').ack(1, 4001);
      out.push(p.wait('+0.3').build());
    }
    {
      const p = new Peer(`fc-zero-window-update-lost-${set}`, {
        behaviours: ['FC-4'],
        description: `The window opens but the update is never sent; the peer answers the next zero-window probe with an ACK carrying the open window, and the data flows (options "${set}").`,
      }, { opts: set });
      passiveOpen(p);
      p.call({ op: 'send', fd: 4, bytes: 1000 }, ok(1000));
      p.at('+0.02').ack(1, 1001, { win: 0 });
      p.call({ op: 'send', fd: 4, bytes: 3000 }, ok(3000));
      // The first probe goes after about one RTO (≥ 200 ms); answer it with an open window.
      p.at(0.45).ack(1, 1001, { win: 65535 });
      p.at('+0.03').ack(1, 4001);
      out.push(p.wait('+0.5').build());
    }
    {
      const p = new Peer(`fc-zero-window-probes-answered-zero-${set}`, {
        behaviours: ['FC-4'],
        description: `Every zero-window probe is answered with window 0 (options "${set}"): the probe interval backs off and the connection stays up.`,
      }, { opts: set });
      passiveOpen(p);
      p.call({ op: 'send', fd: 4, bytes: 1000 }, ok(1000));
      p.at('+0.02').ack(1, 1001, { win: 0 });
      p.call({ op: 'send', fd: 4, bytes: 3000 }, ok(3000));
      for (const t of [0.3, 0.8, 1.7, 3.3]) p.at(t).ack(1, 1001, { win: 0 });
      out.push(p.wait(4).build());
    }
  }
  {
    const p = new Peer('fc-zero-window-from-syn', {
      behaviours: ['FC-4', 'FC-1', 'HS-9'],
      description: 'The peer\'s SYN advertises window 0: after the handshake the SUT may send nothing but probes until the window opens.',
    }, { win: 0 });
    passiveOpen(p);
    p.call({ op: 'send', fd: 4, bytes: 2000 }, ok(2000));
    p.at(1).ack(1, 1, { win: 65535 });
    p.at('+0.03').ack(1, 2001, { win: 65535 });
    out.push(p.wait('+0.3').build());
  }
  for (const set of ['all', 'none'] as const) {
    const p = new Peer(`fc-tiny-window-${set}`, {
      behaviours: ['FC-4', 'FC-6', 'FC-1'],
      description: `The peer opens only 100 bytes at a time (options "${set}"): the SUT sends small segments that fit, or waits, rather than overrunning the window.`,
    }, { opts: set, win: 100 });
    passiveOpen(p);
    p.call({ op: 'send', fd: 4, bytes: 1000 }, ok(1000));
    for (let i = 1; i <= 4; i++) p.at('+0.3').ack(1, 1 + 100 * i);
    out.push(p.wait('+0.5').build());
  }
  {
    const p = new Peer('fc-peer-shrinks-window', {
      behaviours: ['FC-1', 'FC-3', 'FC-8'],
      description: 'The peer moves its right edge left (ACK advances 1000 bytes, window drops from 64 KiB to 1000): the SUT does not send beyond the new edge.',
    });
    passiveOpen(p);
    p.call({ op: 'send', fd: 4, bytes: 10000 }, ok(10000));
    p.at('+0.02').ack(1, 1001, { win: 1000 });
    p.at('+0.05').ack(1, 10001, { win: 65535 });
    out.push(p.wait('+0.3').build());
  }
  return out;
}

/** SUT with a small receive buffer (SO_RCVBUF on the listener, inherited by the child). */
function smallRcvbuf(name: string, set: OptSet, description: string, behaviours: string[], body: (p: Peer) => void): Scenario {
  const p = new Peer(name, { behaviours, description }, { opts: set });
  passiveOpen(p, { sockopts: [['SO_RCVBUF', 4096]] });
  body(p);
  return p.wait('+0.3').build();
}

function receiveWindow(): Scenario[] {
  const out: Scenario[] = [];
  for (const set of ['all', 'none', 'nows'] as const) {
    out.push(smallRcvbuf(`fc-rcvbuf-fill-then-read-${set}`, set,
      `SO_RCVBUF 4096 and the application does not read: the advertised window falls to 0 without its right edge moving left; data beyond it is dropped and ACKed; a full read sends a window update (options "${set}").`,
      ['FC-2', 'FC-3', 'FC-5', 'FC-8'],
      (p) => {
        let seq = 1;
        for (let i = 0; i < 12; i++) {
          p.at('+0.005').data(seq, 500, 1);
          seq += 500;
        }
        p.at('+0.05').call({ op: 'recv', fd: 4, bytes: 100000 });
      }));
    out.push(smallRcvbuf(`fc-rcvbuf-small-read-no-update-${set}`, set,
      `With the receive window closed, reading 100 bytes does not open it by enough for an update (receiver SWS avoidance); reading the rest does (options "${set}").`,
      ['FC-5', 'FC-3'],
      (p) => {
        let seq = 1;
        for (let i = 0; i < 12; i++) {
          p.at('+0.005').data(seq, 500, 1);
          seq += 500;
        }
        p.at('+0.05').call({ op: 'recv', fd: 4, bytes: 100 });
        p.at('+0.05').call({ op: 'recv', fd: 4, bytes: 100000 });
      }));
    out.push(smallRcvbuf(`fc-peer-probes-sut-zero-window-${set}`, set,
      `The SUT's window is 0; the peer's one-byte probe is not accepted and is answered with an ACK carrying window 0 (options "${set}").`,
      ['FC-2', 'FC-4'],
      (p) => {
        let seq = 1;
        for (let i = 0; i < 12; i++) {
          p.at('+0.005').data(seq, 500, 1);
          seq += 500;
        }
        p.at('+0.2').data(seq, 1, 1, { note: 'probe at the right edge' });
        p.at('+0.2').data(seq, 1, 1);
      }));
  }
  for (const set of ['all', 'none'] as const) {
    const p = new Peer(`fc-data-beyond-window-${set}`, {
      behaviours: ['FC-2', 'RS-1'],
      description: `A segment that starts beyond RCV.NXT + RCV.WND is dropped and answered with an ACK (options "${set}").`,
    }, { opts: set });
    passiveOpen(p);
    p.at('+0.005').data(300001, 1000, 1);
    p.at('+0.6').data(1, 1000, 1);
    p.call({ op: 'recv', fd: 4, bytes: 10000 }, ok(1000));
    out.push(p.wait('+0.2').build());
  }
  {
    const p = new Peer('fc-data-straddles-right-edge', {
      behaviours: ['FC-2', 'FC-3'],
      description: 'With unread data queued and a small buffer, a segment that starts inside the window but ends past its right edge is dropped whole and ACKed (6.17+).',
    });
    passiveOpen(p, { sockopts: [['SO_RCVBUF', 4096]] });
    p.at('+0.005').data(1, 1000, 1);
    p.at('+0.005').data(1001, 6000, 1);
    out.push(p.wait('+0.3').build());
  }
  {
    const p = new Peer('fc-sut-window-scaled-large-rcvbuf', {
      behaviours: ['FC-7', 'HS-9'],
      description: 'SO_RCVBUF 1 MiB on the listener: the SYN-ACK window field is unscaled, later window fields are the free space shifted by the SUT\'s scale.',
    });
    passiveOpen(p, { sockopts: [['SO_RCVBUF', 1048576]] });
    for (let i = 0; i < 5; i++) p.at('+0.002').data(1 + i * 1448, 1448, 1);
    p.call({ op: 'recv', fd: 4, bytes: 100000 }, ok(5 * 1448));
    out.push(p.wait('+0.3').build());
  }
  {
    const p = new Peer('fc-rcvbuf-nows-mss-rounding', {
      behaviours: ['FC-5', 'FC-8'],
      description: 'Without window scaling and with SO_RCVBUF 8192, the advertised window is kept in MSS multiples as data arrives and is read in small pieces.',
    }, { opts: 'nows' });
    passiveOpen(p, { sockopts: [['SO_RCVBUF', 8192]] });
    let seq = 1;
    for (let i = 0; i < 6; i++) {
      p.at('+0.01').data(seq, 700, 1);
      seq += 700;
      p.call({ op: 'recv', fd: 4, bytes: 300 });
    }
    out.push(p.wait('+0.3').build());
  }
  return out;
}

export function flowControlScenarios(): Scenario[] {
  return [...peerWindow(), ...zeroWindow(), ...receiveWindow()];
}
