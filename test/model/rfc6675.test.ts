/**
 * SACK-based loss recovery per RFC 6675 and limited transmit per RFC 3042 on the `rfc9293` profile
 * (DT-6, DT-7, DT-8, CC-5), with exact numbers. Fixture: "ESTABLISHED with SACK" (passive, fd 4,
 * MSS 1460, no timestamps, wscale 7) or without SACK, a large send buffer. IW is 3 segments
 * (RFC 5681 §3.1 with MSS 1460); two cumulative ACKs grow cwnd to 5 and leave segments 2..6
 * outstanding (segment n = bytes at(n)..at(n + 1)); the peer then reports losses.
 */
import { describe, expect, it } from 'vitest';
import { ACK, SYN } from '../../src/wire/types.js';
import type { TcpOption } from '../../src/wire/types.js';
import { seqAdd, seqDist } from '../../src/wire/seq.js';
import { rfc9293 } from '../../src/model/profiles.js';
import type { Profile } from '../../src/model/profile-type.js';
import { pipe } from '../../src/model/rfc6675.js';
import { Host, PEER_ISN, establishedPassive, seg, synReceived } from './helpers.js';

const P1 = PEER_ISN + 1;
const MSS = 1460;
const at = (n: number): number => 1 + n * MSS;

function estSack(profile: Profile = rfc9293) {
  const r = establishedPassive(profile, false);
  r.h.ok({ op: 'setsockopt', fd: r.fd, opt: 'SO_SNDBUF', value: 2_000_000 });
  expect(r.h.conn(r.fd).sackOk).toBe(true);
  return r;
}

function estNoSack(profile: Profile = rfc9293) {
  const { h, iss } = synReceived(profile, [{ kind: 'mss', mss: MSS }, { kind: 'nop' }, { kind: 'wscale', shift: 7 }]);
  h.inject(seg({ flags: ACK, seq: P1, ack: seqAdd(iss, 1), window: 502 }));
  const fd = h.ok({ op: 'accept', fd: 3 });
  expect(h.conn(fd).sackOk).toBe(false);
  h.ok({ op: 'setsockopt', fd, opt: 'SO_SNDBUF', value: 2_000_000 });
  return { h, iss, fd };
}

/** The peer's ACK with SACK blocks given as [first segment, end segment) pairs. */
function sackAck(h: Host, iss: number, ackSeg: number, blocks: [number, number][] = []): void {
  const options: TcpOption[] = blocks.length === 0 ? [] : [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'sack', blocks: blocks.map(([l, r]) => ({ left: seqAdd(iss, at(l)), right: seqAdd(iss, at(r)) })) }];
  h.inject(seg({ flags: ACK, seq: P1, ack: seqAdd(iss, at(ackSeg)), window: 502, options }));
}

/** Segments sent since the last call, as segment numbers. */
function sent(h: Host, iss: number): number[] {
  return h.takeSegs().filter((s) => (s.flags & SYN) === 0 && s.len > 0).map((s) => (seqDist(iss, s.seq) - 1) / MSS);
}

/** Send `total` segments; ACK segments 0 and 1 so that cwnd is 5 with segments 2..6 outstanding. */
function fiveOut(h: Host, iss: number, fd: number, total: number): void {
  h.ok({ op: 'send', fd, bytes: total * MSS });
  expect(sent(h, iss)).toEqual([0, 1, 2]); // IW 3 (RFC 5681 §3.1, MSS 1460)
  sackAck(h, iss, 1);
  sackAck(h, iss, 2);
  expect(sent(h, iss)).toEqual([3, 4, 5, 6]);
  expect(h.conn(fd).cwnd).toBe(5);
}

describe('DT-6 DT-7 CC-5 RFC 6675 SACK-based loss recovery (rfc9293)', () => {
  it('DT-6 DT-7 CC-5 one hole: limited transmit by pipe on DupAcks 1–2, recovery on the 3rd: ssthresh = cwnd = 2, only the hole resent; NextSeg rule 2 sends new data once pipe < cwnd', () => {
    const { h, iss, fd } = estSack();
    fiveOut(h, iss, fd, 20);
    // DupAck 1 (segment 3 SACKed): pipe = 4 (2, 4, 5, 6) < cwnd 5 → one new segment (RFC 6675 §5 (c)).
    sackAck(h, iss, 2, [[3, 4]]);
    expect(sent(h, iss)).toEqual([7]);
    expect(h.conn(fd).cc.caState).toBe('disorder');
    sackAck(h, iss, 2, [[3, 5]]);
    expect(sent(h, iss)).toEqual([8]);
    expect(h.conn(fd).cwnd).toBe(5); // limited transmit never changes cwnd
    // DupAck 3: recovery. FlightSize without the two limited-transmit segments = 5 → ssthresh = cwnd = 2.
    sackAck(h, iss, 2, [[3, 6]]);
    expect(sent(h, iss)).toEqual([2]);
    let c = h.conn(fd);
    expect(c.cc.caState).toBe('recovery');
    expect(c.ssthresh).toBe(2);
    expect(c.cwnd).toBe(2);
    expect(c.cc.highSeq).toBe(seqAdd(iss, at(9))); // RecoveryPoint = HighData
    expect(c.cc.highRxt).toBe(seqAdd(iss, at(3)));
    // pipe = segment 2 (lost, retransmitted: 0 + 1) + 6 + 7 + 8 = 4.
    expect(pipe(c, 3)).toBe(4);
    sackAck(h, iss, 2, [[3, 7]]);
    sackAck(h, iss, 2, [[3, 8]]);
    expect(sent(h, iss)).toEqual([]);
    expect(pipe(h.conn(fd), 3)).toBe(2);
    // pipe 1 < cwnd 2: NextSeg rule 1 finds no lost segment above HighRxt, rule 2 sends new data.
    sackAck(h, iss, 2, [[3, 9]]);
    expect(sent(h, iss)).toEqual([9]);
    // The ACK of the recovery point ends recovery; cwnd stays at ssthresh 2.
    sackAck(h, iss, 9);
    c = h.conn(fd);
    expect(c.cc.caState).toBe('open');
    expect(c.cwnd).toBe(2);
    expect(sent(h, iss)).toEqual([10]);
  });

  it('DT-7 two holes: the second becomes IsLost only with 3 SACKed segments above it and goes by NextSeg rule 1 when pipe allows', () => {
    const { h, iss, fd } = estSack();
    fiveOut(h, iss, fd, 20);
    sackAck(h, iss, 2, [[3, 4]]);
    sackAck(h, iss, 2, [[5, 6], [3, 4]]);
    expect(sent(h, iss)).toEqual([7, 8]);
    sackAck(h, iss, 2, [[5, 7], [3, 4]]);
    expect(sent(h, iss)).toEqual([2]);
    // Segment 4 has 2 SACKed segments (2920 bytes, not > 2·SMSS) above: not lost yet.
    expect(h.conn(fd).sent.find((r) => r.seq === seqAdd(iss, at(4)))!.lost).toBe(false);
    sackAck(h, iss, 2, [[5, 8], [3, 4]]);
    expect(h.conn(fd).sent.find((r) => r.seq === seqAdd(iss, at(4)))!.lost).toBe(true);
    expect(pipe(h.conn(fd), 3)).toBe(2); // 2 (retransmitted) + 8
    expect(sent(h, iss)).toEqual([]);
    sackAck(h, iss, 2, [[5, 9], [3, 4]]);
    expect(sent(h, iss)).toEqual([4]); // rule 1
    expect(h.conn(fd).cc.highRxt).toBe(seqAdd(iss, at(5)));
    // The retransmission of 2 arrives: a partial ACK; pipe = 1 (segment 4) → rule 2: new data.
    sackAck(h, iss, 4, [[5, 9]]);
    expect(sent(h, iss)).toEqual([9]);
    expect(h.conn(fd).cc.caState).toBe('recovery');
  });

  it('DT-7 NextSeg rule 3 retransmits an unSACKed segment below the highest SACK that is not yet lost; rule 4 rescues the tail once', () => {
    // Seven segments in all: no new data after segment 6.
    const { h, iss, fd } = estSack();
    fiveOut(h, iss, fd, 7);
    sackAck(h, iss, 2, [[3, 4]]);
    sackAck(h, iss, 2, [[3, 5]]);
    expect(sent(h, iss)).toEqual([]);
    sackAck(h, iss, 2, [[6, 7], [3, 5]]);
    expect(sent(h, iss)).toEqual([2]);
    // Segment 5 has one SACKed segment above: not lost, counted in pipe. pipe = 1 + 1 = 2 = cwnd.
    sackAck(h, iss, 5, [[6, 7]]);
    expect(sent(h, iss)).toEqual([5]); // rule 3: pipe 1, no lost segment, no new data
    expect(pipe(h.conn(fd), 3)).toBe(2); // retransmitted before it was lost: counted twice
    expect(h.conn(fd).cc.pipeExtra).toBe(1);

    const t = estSack();
    fiveOut(t.h, t.iss, t.fd, 7);
    sackAck(t.h, t.iss, 2, [[3, 4]]);
    sackAck(t.h, t.iss, 2, [[3, 5]]);
    sackAck(t.h, t.iss, 2, [[3, 6]]);
    expect(sent(t.h, t.iss)).toEqual([2]);
    // Segment 6 (the tail) is lost too; nothing is SACKed above it. The hole is filled: pipe 1.
    sackAck(t.h, t.iss, 6);
    expect(sent(t.h, t.iss)).toEqual([6]); // rule 4: rescue retransmission, RescueRxt = RecoveryPoint
    expect(t.h.conn(t.fd).cc.rescueRxt).toBe(seqAdd(t.iss, at(7)));
    sackAck(t.h, t.iss, 6);
    expect(sent(t.h, t.iss)).toEqual([]); // once per recovery
  });

  it('DT-6 DT-7 RFC 6675 §5.1: an RTO ends recovery, SACKed segments are not resent, and no new recovery starts before the new recovery point', () => {
    const { h, iss, fd } = estSack();
    fiveOut(h, iss, fd, 7);
    sackAck(h, iss, 2, [[3, 4]]);
    sackAck(h, iss, 2, [[3, 5]]);
    sackAck(h, iss, 2, [[3, 6]]);
    expect(sent(h, iss)).toEqual([2]);
    h.fireNext(); // RTO
    const c = h.conn(fd);
    expect(c.cc.caState).toBe('loss');
    expect(c.cc.highSeq).toBe(seqAdd(iss, at(7)));
    expect(c.cwnd).toBe(1);
    expect(sent(h, iss)).toEqual([2]);
    sackAck(h, iss, 3, [[4, 6]]); // the retransmission arrived; slow start: cwnd 2
    expect(h.conn(fd).cwnd).toBe(2);
    expect(sent(h, iss)).toEqual([6]); // 3..5 were SACKed: only 6 is left
    expect(h.conn(fd).cc.caState).toBe('loss');
  });

  it('DT-8 a D-SACK is no DupAck: it SACKs nothing new and starts no recovery', () => {
    const { h, iss, fd } = estSack();
    fiveOut(h, iss, fd, 20);
    for (let i = 0; i < 3; i++) sackAck(h, iss, 2, [[1, 2]]);
    expect(h.conn(fd).cc.dupAcks).toBe(0);
    expect(h.conn(fd).cc.caState).toBe('open');
    expect(sent(h, iss)).toEqual([]);
  });
});

describe('DT-6 CC-5 RFC 3042 limited transmit without SACK (rfc9293, NewReno)', () => {
  it('DT-6 CC-5 dup ACKs 1 and 2 each send one new segment beyond cwnd 5; the 3rd: ssthresh = max(5/2, 2) = 2 without them, cwnd = 2 + 3 = 5', () => {
    const { h, iss, fd } = estNoSack();
    fiveOut(h, iss, fd, 20);
    sackAck(h, iss, 2);
    expect(sent(h, iss)).toEqual([7]);
    sackAck(h, iss, 2);
    expect(sent(h, iss)).toEqual([8]);
    expect(h.conn(fd).cwnd).toBe(5);
    sackAck(h, iss, 2);
    expect(sent(h, iss)).toEqual([2]);
    expect(h.conn(fd).ssthresh).toBe(2);
    expect(h.conn(fd).cwnd).toBe(5);
    expect(h.conn(fd).cc.highSeq).toBe(seqAdd(iss, at(9)));
    // 7 segments outstanding: inflation to 6 and 7 sends nothing, to 8 one new segment.
    sackAck(h, iss, 2);
    sackAck(h, iss, 2);
    expect(sent(h, iss)).toEqual([]);
    sackAck(h, iss, 2);
    expect(h.conn(fd).cwnd).toBe(8);
    expect(sent(h, iss)).toEqual([9]);
  });

  it('DT-6 with limitedTransmit off, dup ACKs below the threshold send nothing', () => {
    const { h, iss, fd } = estNoSack({ ...rfc9293, limitedTransmit: false });
    fiveOut(h, iss, fd, 20);
    sackAck(h, iss, 2);
    sackAck(h, iss, 2);
    expect(sent(h, iss)).toEqual([]);
  });

  it('DT-7 with SACK and limitedTransmit off, SACKed segments stay in FlightSize until recovery', () => {
    const { h, iss, fd } = estSack({ ...rfc9293, limitedTransmit: false });
    fiveOut(h, iss, fd, 20);
    sackAck(h, iss, 2, [[3, 4]]);
    sackAck(h, iss, 2, [[3, 5]]);
    expect(sent(h, iss)).toEqual([]);
    expect(h.conn(fd).cc.pipeExtra).toBe(2);
    sackAck(h, iss, 2, [[3, 6]]);
    expect(sent(h, iss)).toEqual([2]);
    expect(h.conn(fd).ssthresh).toBe(2);
  });
});
