/**
 * ESTABLISHED: data transfer, acknowledgement and flow control (DT-*, FC-*). Fixture:
 * "ESTABLISHED = handshake done" (passive, fd 4, no timestamps, peer wscale 7, our wscale 10).
 */
import { describe, expect, it } from 'vitest';
import { ACK, FIN, PSH, SYN } from '../../src/wire/types.js';
import type { Segment } from '../../src/wire/types.js';
import { seqAdd, seqDist, seqLe } from '../../src/wire/seq.js';
import { linux, rfc9293 } from '../../src/model/profiles.js';
import type { Conn } from '../../src/model/types.js';
import {
  Host, MS, PEER_ISN, Pair, S, establishedPassive, listening, seg,
} from './helpers.js';

const P1 = PEER_ISN + 1;

function est(profile = linux) {
  const r = establishedPassive(profile, false);
  const una = () => r.h.conn(r.fd).sndNxt;
  return { ...r, una, peerAck: (ack: number, window = 502) => r.h.inject(seg({ flags: ACK, seq: seqAdd(P1, 0), ack, window })) };
}

describe('ESTABLISHED: sending', () => {
  it('DT-9 write boundaries are not kept: 100 + 600 + 600 with MSS 960 → 100, 960 at once, 240 after the ACK', () => {
    const h = listening();
    h.inject(seg({ flags: SYN, options: [{ kind: 'mss', mss: 960 }] }));
    const sa = h.expectSeg({ flags: SYN | ACK });
    h.inject(seg({ flags: ACK, seq: P1, ack: seqAdd(sa.seq, 1), window: 65535 }));
    const fd = h.ok({ op: 'accept', fd: 3 });
    h.ok({ op: 'send', fd, bytes: 100 });
    h.expectSeg({ len: 100 });
    h.ok({ op: 'send', fd, bytes: 600 });
    h.expectNoSeg(); // DT-10: Nagle holds the small tail while a small segment is unacknowledged
    h.ok({ op: 'send', fd, bytes: 600 });
    expect(h.takeSegs().map((s) => s.len)).toEqual([960]); // a full segment goes at once
    h.inject(seg({ flags: ACK, seq: P1, ack: seqAdd(sa.seq, 101), window: 65535 }));
    expect(h.takeSegs().map((s) => s.len)).toEqual([240]);
  });

  it('DT-10 Nagle (Minshall): full segments go at once, the sub-MSS tail waits for the ACK of the small segment', () => {
    const { h, fd, iss } = est();
    h.ok({ op: 'send', fd, bytes: 1460 * 2 + 10 });
    expect(h.takeSegs().map((s) => s.len)).toEqual([1460, 1460, 10]);
    h.ok({ op: 'send', fd, bytes: 10 });
    h.expectNoSeg();
    h.inject(seg({ flags: ACK, seq: P1, ack: seqAdd(iss, 1 + 2930), window: 502 }));
    h.expectSeg({ len: 10, seq: seqAdd(iss, 1 + 2930) });
  });

  it('DT-10 TCP_NODELAY sends small segments at once, and setting it pushes what waits', () => {
    const { h, fd } = est();
    h.ok({ op: 'send', fd, bytes: 10 });
    h.ok({ op: 'send', fd, bytes: 10 });
    expect(h.takeSegs().map((s) => s.len)).toEqual([10]);
    h.ok({ op: 'setsockopt', fd, opt: 'TCP_NODELAY', value: 1 });
    h.expectSeg({ len: 10 });
    h.ok({ op: 'send', fd, bytes: 10 });
    h.expectSeg({ len: 10 });
  });

  it('DT-10 rfc9293 profile: classic Nagle holds any small segment while data is unacknowledged', () => {
    const { h, fd } = est(rfc9293);
    h.ok({ op: 'send', fd, bytes: 1460 });
    h.expectSeg({ len: 1460 });
    h.ok({ op: 'send', fd, bytes: 10 });
    h.expectNoSeg();
  });

  it('DT-11 PSH is set on the segment that ends a send(), not on the others', () => {
    const { h, fd } = est();
    h.ok({ op: 'send', fd, bytes: 3000 });
    const s = h.takeSegs();
    expect(s.map((x) => [x.len, (x.flags & PSH) !== 0])).toEqual([[1460, false], [1460, false], [80, true]]);
    for (const x of s) expect(x.flags & ACK).toBe(ACK);
  });

  it('FC-1 FC-6 nothing beyond SND.UNA + SND.WND; the window-limited tail goes when nothing small is in flight (tcp_mss_split_point)', () => {
    const { h, fd, iss } = est();
    // Linux accepts a smaller window only from a segment with a newer SEQ (tcp_may_update_window).
    h.inject(seg({ flags: ACK, seq: P1, ack: seqAdd(iss, 1), len: 1, window: 502 }));
    h.inject(seg({ flags: ACK, seq: P1 + 1, ack: seqAdd(iss, 1), window: 30 })); // 3840 bytes
    h.takeSegs();
    h.ok({ op: 'send', fd, bytes: 5000 });
    const s = h.takeSegs();
    expect(s.map((x) => x.len)).toEqual([1460, 1460, 920]);
    const c = h.conn(fd);
    expect(seqLe(c.sndNxt, seqAdd(c.sndUna, c.sndWnd))).toBe(true);
    // The 920-byte segment is small and unacknowledged: the 1160-byte tail waits (Minshall).
    h.inject(seg({ flags: ACK, seq: P1 + 1, ack: seqAdd(iss, 1 + 2920), window: 30 }));
    h.expectNoSeg();
    h.inject(seg({ flags: ACK, seq: P1 + 1, ack: seqAdd(iss, 1 + 3840), window: 30 }));
    expect(h.takeSegs().map((x) => x.len)).toEqual([1160]);
  });

  it('FC-6 a segment goes only if its first MSS fits the window (tcp_snd_wnd_test)', () => {
    const { h, fd, iss } = est();
    h.inject(seg({ flags: ACK, seq: P1, ack: seqAdd(iss, 1), len: 1, window: 502 }));
    h.inject(seg({ flags: ACK, seq: P1 + 1, ack: seqAdd(iss, 1), window: 8 })); // 1024 bytes < MSS
    h.takeSegs();
    h.ok({ op: 'send', fd, bytes: 5000 });
    h.expectNoSeg();
  });

  it('DT-11 a send() larger than half the cwnd goes out in bursts, each ending with PSH (GSO bursts)', () => {
    const { h, fd } = est();
    h.ok({ op: 'send', fd, bytes: 10 * 1460 });
    const s = h.takeSegs();
    expect(s.map((x) => (x.flags & PSH) !== 0)).toEqual([false, false, false, false, true, false, false, false, false, true]);
  });

  it('FC-4 a closed window with nothing in flight arms the persist timer (details: timers.test.ts)', () => {
    const { h, fd, iss } = est();
    h.inject(seg({ flags: ACK, seq: P1, ack: seqAdd(iss, 1), window: 0 }));
    h.ok({ op: 'send', fd, bytes: 100 });
    h.expectNoSeg();
    expect(h.notes('FC-4/persist-armed').length).toBe(1);
    expect(h.conn(fd).persistAt).not.toBeNull();
  });

  it('DT-1 cumulative ACK: one ACK for the last byte acknowledges every segment; a lost ACK is covered', () => {
    const { h, fd, iss } = est();
    h.ok({ op: 'send', fd, bytes: 4000 });
    expect(h.takeSegs().length).toBe(3);
    h.inject(seg({ flags: ACK, seq: P1, ack: seqAdd(iss, 4001), window: 502 }));
    const c = h.conn(fd);
    expect(c.sndUna).toBe(seqAdd(iss, 4001));
    expect(c.sent).toEqual([]);
    expect(c.retransmitAt).toBeNull();
  });

  it('DT-5 (basic) RTO retransmits from SND.UNA with backoff; a late ACK stops it', () => {
    const { h, fd, iss } = est();
    h.ok({ op: 'send', fd, bytes: 1000 });
    h.expectSeg({ len: 1000 });
    h.wait(1 * S);
    h.expectSeg({ len: 1000, seq: seqAdd(iss, 1) });
    h.wait(2 * S);
    h.expectSeg({ len: 1000, seq: seqAdd(iss, 1) });
    h.inject(seg({ flags: ACK, seq: P1, ack: seqAdd(iss, 1001), window: 502 }));
    expect(h.conn(fd).retransmitAt).toBeNull();
  });

  it('DT-5 an RTO retransmission collapses a small segment and the FIN after it into one segment (tcp_retrans_try_collapse)', () => {
    // tcp_early_retrans = 0 as in the recordings: no tail loss probe before the RTO.
    const { h, fd, iss } = est({ ...linux, tlp: false });
    h.ok({ op: 'send', fd, bytes: 1 });
    h.expectSeg({ len: 1, flags: ACK | PSH });
    h.ok({ op: 'shutdown', fd, how: 'SHUT_WR' });
    h.expectSeg({ len: 0, flags: ACK | FIN, seq: seqAdd(iss, 2) });
    h.wait(1 * S);
    h.expectSeg({ len: 1, flags: ACK | PSH | FIN, seq: seqAdd(iss, 1) });
    expect(h.conn(fd).sent.length).toBe(1);
  });

  it('DT-5 FC-1 an RTO retransmission is cut to the peer window; the front part goes without PSH (tcp_fragment)', () => {
    const { h, fd, iss } = est({ ...linux, tlp: false });
    h.ok({ op: 'send', fd, bytes: 500 });
    h.expectSeg({ len: 500, flags: ACK | PSH });
    // The peer shrinks its window to 100 bytes (a newer SEQ lets Linux accept it).
    h.inject(seg({ flags: ACK, seq: P1, ack: seqAdd(iss, 1), len: 1, window: 502 }));
    h.inject(seg({ flags: ACK, seq: P1 + 1, ack: seqAdd(iss, 1), window: 1 })); // 128 bytes with wscale 7
    h.takeSegs();
    h.wait(3 * S);
    const r = h.takeSegs()[0]!;
    expect(r.seq).toBe(seqAdd(iss, 1));
    expect(r.len).toBe(128);
    expect(r.flags & PSH).toBe(0);
  });

  it('DT-1 an ACK above SND.NXT gets a challenge ACK on linux (6.18.y) and is dropped on linux612', async () => {
    const { h, iss } = est();
    h.inject(seg({ flags: ACK, seq: P1, ack: seqAdd(iss, 5000), window: 502 }));
    h.expectSeg({ flags: ACK, ack: P1 });
    const { linux612 } = await import('../../src/model/profiles.js');
    const b = establishedPassive(linux612, false);
    b.h.inject(seg({ flags: ACK, seq: P1, ack: seqAdd(b.iss, 5000), window: 502 }));
    b.h.expectNoSeg();
  });
});

describe('ESTABLISHED: receiving', () => {
  it('DT-12 quick ACKs at the start (22 segments as on 6.18.44, re-armed while the window grows), then an ACK every second full segment', () => {
    const { h, fd } = est();
    let seq = P1;
    const acked: number[] = [];
    for (let i = 0; i < 40; i++) {
      h.inject(seg({ flags: ACK, seq, ack: seqAdd(h.conn(fd).iss, 1), len: 1460, window: 502 }));
      seq = seqAdd(seq, 1460);
      h.ok({ op: 'recv', fd, bytes: 100000 });
      if (h.takeSegs().length > 0) acked.push(i);
    }
    expect(acked.slice(0, 22)).toEqual([...Array(22).keys()]);
    const later = acked.slice(22);
    expect(later.length).toBe(9);
    for (let k = 1; k < later.length; k++) expect(later[k]! - later[k - 1]!).toBe(2);
    // One more segment: no immediate ACK, a delayed one within the delayed-ACK bound.
    h.inject(seg({ flags: ACK, seq, ack: seqAdd(h.conn(fd).iss, 1), len: 1460, window: 502 }));
    seq = seqAdd(seq, 1460);
    h.expectNoSeg();
    h.wait(200 * MS);
    h.expectSeg({ flags: ACK, ack: seq });
  });

  it('FC-3 FC-7 the window grows past 64 KiB as rcv_ssthresh follows the buffer (scaling ratio len/truesize)', () => {
    const { h, fd } = est();
    let seq = P1;
    const wins: number[] = [];
    for (let i = 0; i < 8; i++) {
      h.inject(seg({ flags: ACK, seq, ack: seqAdd(h.conn(fd).iss, 1), len: 1460, window: 502 }));
      seq = seqAdd(seq, 1460);
      h.ok({ op: 'recv', fd, bytes: 100000 });
      for (const s of h.takeSegs()) wins.push(s.window);
    }
    expect(wins.slice(0, 6)).toEqual([66, 69, 72, 75, 77, 80]);
    expect(h.conn(fd).scalingRatio).toBe(162);
  });

  it('DT-12 the delayed ACK fires 40 ms after a lone segment (quick ACKs used up)', () => {
    const { h, fd, iss } = est();
    const c0 = h.conn(fd);
    // Use up quick-ACK credits with interactive traffic (pingpong).
    h.ok({ op: 'send', fd, bytes: 10 });
    h.takeSegs();
    h.inject(seg({ flags: ACK | PSH, seq: P1, ack: seqAdd(iss, 11), len: 10, window: 502 }));
    h.takeSegs();
    h.ok({ op: 'send', fd, bytes: 10 }); // a reply within ATO: pingpong
    h.takeSegs();
    expect(h.conn(fd).pingpong).toBeGreaterThan(0);
    h.inject(seg({ flags: ACK | PSH, seq: P1 + 10, ack: seqAdd(iss, 21), len: 10, window: 502 }));
    h.expectNoSeg();
    const before = h.now;
    h.fireNext();
    expect(h.now - before).toBe(40 * MS);
    h.expectSeg({ flags: ACK, ack: P1 + 20 });
    expect(c0.state).toBe('ESTABLISHED');
  });

  it('DT-3 out-of-order data is held, ACKed at once with SACK, and delivered in order once the gap fills', () => {
    const { h, fd, iss } = est();
    const ack = seqAdd(iss, 1);
    h.inject(seg({ flags: ACK, seq: P1 + 1000, ack, len: 500 }));
    const d = h.expectSeg({ flags: ACK, ack: P1 });
    expect(d.options.find((o) => o.kind === 'sack')).toEqual({ kind: 'sack', blocks: [{ left: P1 + 1000, right: P1 + 1500 }] });
    expect(h.conn(fd).readable).toBe(0);
    h.inject(seg({ flags: ACK, seq: P1, ack, len: 1000 }));
    h.expectSeg({ flags: ACK, ack: P1 + 1500 });
    expect(h.conn(fd).readable).toBe(1500);
    expect(h.ok({ op: 'recv', fd, bytes: 5000 })).toBe(1500);
  });

  it('DT-3 DT-13 a duplicate segment is discarded and answered at once with a duplicate ACK (D-SACK)', () => {
    const { h, fd, iss } = est();
    const ack = seqAdd(iss, 1);
    h.inject(seg({ flags: ACK, seq: P1, ack, len: 100 }));
    h.takeSegs();
    h.inject(seg({ flags: ACK, seq: P1, ack, len: 100 }));
    const d = h.expectSeg({ flags: ACK, ack: P1 + 100 });
    expect(d.options.find((o) => o.kind === 'sack')).toEqual({ kind: 'sack', blocks: [{ left: P1, right: P1 + 100 }] });
    expect(h.conn(fd).readable).toBe(100);
  });

  it('DT-4 a segment with a bad checksum is dropped silently', () => {
    const { h, fd, iss } = est();
    h.inject(seg({ flags: ACK, seq: P1, ack: seqAdd(iss, 1), len: 100 }), { checksumOk: false });
    h.expectNoSeg();
    expect(h.conn(fd).readable).toBe(0);
    expect(h.notes('DT-4').length).toBe(1);
  });

  it('FC-2 data beyond RCV.NXT + RCV.WND is dropped and answered with an ACK', () => {
    const { h, fd, iss } = est();
    const c = h.conn(fd);
    const far = seqAdd(P1, c.rcvWnd + 5000);
    h.inject(seg({ flags: ACK, seq: far, ack: seqAdd(iss, 1), len: 100 }));
    h.expectSeg({ flags: ACK, ack: P1 });
    expect(h.conn(fd).ooo).toEqual([]);
  });

  it('FC-3 FC-7 the right edge never moves left while the buffer fills; window field = bytes >> 10', () => {
    const { h, fd, iss } = est();
    let seq = P1;
    let lastEdge = 0;
    for (let i = 0; i < 60; i++) {
      h.inject(seg({ flags: ACK, seq, ack: seqAdd(iss, 1), len: 1460 }));
      const c = h.conn(fd);
      if (c.rcvNxt !== seqAdd(seq, 1460)) break;
      seq = seqAdd(seq, 1460);
      for (const s of h.takeSegs()) {
        const edge = seqDist(P1, s.ack) + s.window * 1024;
        expect(edge).toBeGreaterThanOrEqual(lastEdge);
        lastEdge = edge;
      }
    }
    const c: Conn = h.conn(fd);
    expect(c.rcvWscale).toBe(10);
    expect(c.readable).toBeGreaterThan(0);
  });

  it('FC-5 receiver SWS avoidance: a full small buffer reopens only by at least one MSS, with a window update', () => {
    const h = listening();
    h.ok({ op: 'setsockopt', fd: 3, opt: 'SO_RCVBUF', value: 4096 }); // rcvBuf 8192, window space 4096
    h.inject(seg({ flags: SYN, options: [{ kind: 'mss', mss: 1460 }] }));
    const sa = h.expectSeg({ flags: SYN | ACK });
    expect(sa.window).toBe(2920);
    h.inject(seg({ flags: ACK, seq: P1, ack: seqAdd(sa.seq, 1), window: 65535 }));
    const fd = h.ok({ op: 'accept', fd: 3 });
    const filled = fillUntilZeroWindow(h, sa.seq);
    expect(filled.window).toBe(0);
    h.ok({ op: 'recv', fd, bytes: 100 });
    h.expectNoSeg(); // less than one MSS of space: the window stays shut
    h.ok({ op: 'recv', fd, bytes: 100000 });
    const upd = h.expectSeg({ flags: ACK, ack: filled.ack });
    expect(upd.window).toBeGreaterThanOrEqual(1460);
  });

  it('FC-8 DT-2 RFC 793 variables keep their meaning across a wrap of the sequence space', () => {
    const h = listening();
    const isn = 0xffff_fc00;
    h.inject(seg({ flags: SYN, seq: isn, options: [{ kind: 'mss', mss: 1460 }] }));
    const sa = h.expectSeg({ flags: SYN | ACK, ack: isn + 1 });
    h.inject(seg({ flags: ACK, seq: isn + 1, ack: seqAdd(sa.seq, 1), window: 65535 }));
    const fd = h.ok({ op: 'accept', fd: 3 });
    let seq = isn + 1;
    // out of order across zero, then the gap
    h.inject(seg({ flags: ACK, seq: seqAdd(seq, 1000), ack: seqAdd(sa.seq, 1), len: 1000 }));
    h.inject(seg({ flags: ACK, seq, ack: seqAdd(sa.seq, 1), len: 1000 }));
    seq = seqAdd(seq, 2000);
    const c = h.conn(fd);
    expect(c.rcvNxt).toBe(seq);
    expect(c.rcvNxt).toBeLessThan(isn);
    expect(c.readable).toBe(2000);
    expect(h.ok({ op: 'recv', fd, bytes: 5000 })).toBe(2000);
  });
});

describe('two endpoints back to back', () => {
  function transfer(total: number, drop: (i: number, s: Segment) => boolean) {
    const pair = new Pair(linux, 5 * MS);
    pair.drop = (s, _from, i) => drop(i, s);
    pair.call(1, { op: 'socket', fd: 3 });
    pair.call(1, { op: 'bind', fd: 3, port: 80 });
    pair.call(1, { op: 'listen', fd: 3, backlog: 10 });
    pair.call(0, { op: 'socket', fd: 3 });
    pair.call(0, { op: 'connect', fd: 3, port: 80 });
    pair.drive(pair.now + 10 * S);
    const sfd = pair.call(1, { op: 'accept', fd: 3 });
    expect(sfd).toEqual({ ok: true, value: 4 });
    let sent = 0;
    let read = 0;
    let guard = 0;
    while ((sent < total || read < total) && guard++ < 100000) {
      if (sent < total) {
        const r = pair.call(0, { op: 'send', fd: 3, bytes: Math.min(8000, total - sent) });
        if (r.ok) sent += r.value;
      }
      pair.drive(pair.now + 50 * MS);
      const r = pair.call(1, { op: 'recv', fd: 4, bytes: 100000 });
      if (r.ok) read += r.value;
      // FC-8 at every round
      for (const h of pair.hosts) {
        for (const c of h.ep.conns) {
          if (c.state === 'LISTEN' || c.state === 'CLOSED') continue;
          expect(seqLe(c.sndUna, c.sndNxt)).toBe(true);
          expect(c.readable).toBeGreaterThanOrEqual(0);
        }
      }
    }
    return { pair, sent, read };
  }

  it('DT-1 DT-9 bulk transfer of 300 kB arrives exactly once, in order', () => {
    const { sent, read } = transfer(300_000, () => false);
    expect(sent).toBe(300_000);
    expect(read).toBe(300_000);
  });

  it('DT-3 DT-5 DT-13 bulk transfer over a lossy network (every 7th segment lost) completes', () => {
    // Only data segments are lost: a lost window update needs the persist timer (FC-4, part 2).
    const { sent, read } = transfer(100_000, (i, s) => s.len > 0 && i % 7 === 3);
    expect(sent).toBe(100_000);
    expect(read).toBe(100_000);
  });
});

describe('ESTABLISHED: zero window', () => {
  it('FC-2 at a zero window in-order data is dropped and ACKed, but a bare FIN is accepted', () => {
    const h = listening();
    h.ok({ op: 'setsockopt', fd: 3, opt: 'SO_RCVBUF', value: 4096 });
    h.inject(seg({ flags: SYN, options: [{ kind: 'mss', mss: 1460 }] }));
    const sa = h.expectSeg({ flags: SYN | ACK });
    h.inject(seg({ flags: ACK, seq: P1, ack: seqAdd(sa.seq, 1), window: 65535 }));
    const fd = h.ok({ op: 'accept', fd: 3 });
    const filled = fillUntilZeroWindow(h, sa.seq);
    const readable = h.conn(fd).readable;
    h.inject(seg({ flags: ACK, seq: filled.ack, ack: seqAdd(sa.seq, 1), len: 100 }));
    h.expectSeg({ flags: ACK, ack: filled.ack, window: 0 });
    expect(h.conn(fd).readable).toBe(readable);
    h.inject(seg({ flags: ACK | FIN, seq: filled.ack, ack: seqAdd(sa.seq, 1) }));
    expect(h.conn(fd).state).toBe('CLOSE-WAIT');
    expect(h.conn(fd).finReceived).toBe(true);
  });
});

/** Send in-order 1460-byte segments (never read) until the host advertises a zero window. */
function fillUntilZeroWindow(h: Host, iss: number): Segment {
  let seq = P1;
  for (let i = 0; i < 20; i++) {
    h.inject(seg({ flags: ACK, seq, ack: seqAdd(iss, 1), len: 1460 }));
    h.wait(300 * MS);
    const acks = h.takeSegs();
    const last = acks[acks.length - 1];
    if (last !== undefined) seq = last.ack;
    if (last !== undefined && last.window === 0) return last;
  }
  throw new Error('window never closed');
}
