/**
 * SACK and D-SACK (DT-7, DT-8): the sender's scoreboard and loss recovery from SACK (linux profile,
 * RACK and TLP off (profile rack and tlp false)), and the receiver's blocks (D-SACK
 * first, most recent first, at most 4 or 3 with timestamps). Fixture: "ESTABLISHED with SACK"
 * (passive, fd 4, MSS 1460, no timestamps unless said), a large send buffer.
 * The sender numbers follow corpus/linux/hand/dt-fast-retransmit-burst-nots (one hole per ACK).
 */
import { describe, expect, it } from 'vitest';
import { ACK } from '../../src/wire/types.js';
import type { Segment, TcpOption } from '../../src/wire/types.js';
import { seqAdd, seqDist } from '../../src/wire/seq.js';
import { linux } from '../../src/model/profiles.js';
import { isDsack } from '../../src/model/sack-scoreboard.js';
import { Host, PEER_ISN, establishedPassive, seg, tsOpt } from './helpers.js';

const P1 = PEER_ISN + 1;
const MSS = 1460;
const at = (n: number): number => 1 + n * MSS;
const noTlp = { ...linux, tlp: false, rack: false }; // dupThresh loss marking (RACK is rack.test.ts)

function est(ts = false) {
  const r = establishedPassive(noTlp, ts);
  r.h.ok({ op: 'setsockopt', fd: r.fd, opt: 'SO_SNDBUF', value: 2_000_000 });
  expect(r.h.conn(r.fd).sackOk).toBe(true);
  return r;
}

function sackAck(h: Host, iss: number, ack: number, blocks: [number, number][]): void {
  const options: TcpOption[] = blocks.length === 0 ? [] : [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'sack', blocks: blocks.map(([l, r]) => ({ left: seqAdd(iss, l), right: seqAdd(iss, r) })) }];
  h.inject(seg({ flags: ACK, seq: P1, ack: seqAdd(iss, ack), window: 5000, options }));
}

function sent(h: Host, iss: number): string[] {
  return h.takeSegs().filter((s) => s.len > 0).map((s) => `${seqDist(iss, s.seq)}:${s.len}`);
}

function sackOf(s: Segment, base: number): [number, number][] {
  for (const o of s.options) if (o.kind === 'sack') return o.blocks.map((b) => [seqDist(base, b.left), seqDist(base, b.right)]);
  return [];
}

describe('DT-7 sender scoreboard (linux, RACK off)', () => {
  it('DT-7 a lost middle segment: SACKs above it mark it lost at the third, only the hole is retransmitted; PRR cwnd', () => {
    const { h, iss, fd } = est();
    h.ok({ op: 'send', fd, bytes: 10 * MSS });
    expect(sent(h, iss).length).toBe(10);
    sackAck(h, iss, at(1), []); // cwnd 11
    sackAck(h, iss, at(1), [[at(2), at(3)]]);
    sackAck(h, iss, at(1), [[at(2), at(4)]]);
    expect(sent(h, iss)).toEqual([]);
    expect(h.conn(fd).sent.filter((r) => r.sacked === true).length).toBe(2);
    sackAck(h, iss, at(1), [[at(2), at(5)]]);
    expect(sent(h, iss)).toEqual([`${at(1)}:${MSS}`]);
    const c = h.conn(fd);
    expect(c.ssthresh).toBe(5); // max(11 / 2, 2)
    // in flight = 9 out − 3 SACKed − 1 lost = 5 = ssthresh → sndcnt 0, forced to 1 → cwnd 6
    expect(c.cwnd).toBe(6);
    expect(c.cc.caState).toBe('recovery');
    sackAck(h, iss, at(1), [[at(2), at(6)]]);
    sackAck(h, iss, at(1), [[at(2), at(10)]]);
    expect(sent(h, iss)).toEqual([]); // SACKed segments are never resent
    sackAck(h, iss, at(10), []);
    expect(h.conn(fd).cc.caState).toBe('open'); // with SACK no reno hold at the recovery point
    expect(h.conn(fd).cwnd).toBe(5);
  });

  it('DT-7 three holes below three SACKed segments are all marked lost; PRR sends one hole per ACK (recorded dt-fast-retransmit-burst)', () => {
    const { h, iss, fd } = est();
    h.ok({ op: 'send', fd, bytes: 10 * MSS });
    sent(h, iss);
    sackAck(h, iss, at(2), []); // cwnd 12
    sackAck(h, iss, at(2), [[at(5), at(6)]]);
    sackAck(h, iss, at(2), [[at(5), at(7)]]);
    expect(sent(h, iss)).toEqual([]);
    sackAck(h, iss, at(2), [[at(5), at(8)]]);
    expect(h.conn(fd).sent.filter((r) => r.lost).length).toBe(2); // the third went out again
    expect(sent(h, iss)).toEqual([`${at(2)}:${MSS}`]);
    expect(h.conn(fd).ssthresh).toBe(6);
    sackAck(h, iss, at(2), [[at(5), at(9)]]);
    expect(sent(h, iss)).toEqual([`${at(3)}:${MSS}`]);
    sackAck(h, iss, at(2), [[at(5), at(10)]]);
    expect(sent(h, iss)).toEqual([`${at(4)}:${MSS}`]);
    sackAck(h, iss, at(10), []);
    expect(h.conn(fd).sent).toEqual([]);
    expect(h.conn(fd).cc.caState).toBe('open');
  });

  it('DT-8 a D-SACK block (below the cumulative ACK) marks nothing and is no duplicate ACK', () => {
    expect(isDsack([{ left: 100, right: 200 }], 300)).toBe(true);
    expect(isDsack([{ left: 400, right: 500 }, { left: 300, right: 600 }], 300)).toBe(true);
    expect(isDsack([{ left: 400, right: 500 }, { left: 700, right: 800 }], 300)).toBe(false);
    const { h, iss, fd } = est();
    h.ok({ op: 'send', fd, bytes: 10 * MSS });
    sent(h, iss);
    sackAck(h, iss, at(1), []);
    for (let i = 0; i < 3; i++) sackAck(h, iss, at(1), [[1, at(1)]]);
    expect(sent(h, iss)).toEqual([]);
    expect(h.conn(fd).cc.caState).toBe('open');
    expect(h.conn(fd).sent.some((r) => r.sacked === true)).toBe(false);
  });
});

describe('DT-7 DT-8 receiver blocks', () => {
  it('DT-8 a duplicate segment is answered at once with a D-SACK block for it (RFC 2883)', () => {
    const { h, iss } = est();
    h.inject(seg({ flags: ACK, seq: P1, ack: seqAdd(iss, 1), len: 1000, window: 5000 }));
    h.inject(seg({ flags: ACK, seq: P1, ack: seqAdd(iss, 1), len: 1000, window: 5000 }));
    const acks = h.takeSegs();
    const last = acks[acks.length - 1]!;
    expect(last.ack).toBe(P1 + 1000);
    expect(sackOf(last, P1)).toEqual([[0, 1000]]);
  });

  it('DT-7 out-of-order blocks: the most recent first, at most 4 without timestamps', () => {
    const { h, iss } = est();
    for (const k of [1, 3, 5, 7, 9]) h.inject(seg({ flags: ACK, seq: P1 + k * 100, ack: seqAdd(iss, 1), len: 100, window: 5000 }));
    const acks = h.takeSegs();
    const last = acks[acks.length - 1]!;
    expect(last.ack).toBe(P1);
    expect(sackOf(last, P1)).toEqual([[900, 1000], [700, 800], [500, 600], [300, 400]]);
  });

  it('DT-7 with timestamps at most 3 blocks; a D-SACK goes first', () => {
    const { h, iss } = establishedPassive(noTlp, true);
    let ts = 6000;
    const send = (off: number, len: number) => h.inject(seg({ flags: ACK, seq: P1 + off, ack: seqAdd(iss, 1), len, window: 5000, options: tsOpt(ts++, 0) }));
    for (const k of [1, 3, 5, 7]) send(k * 100, 100);
    let acks = h.takeSegs();
    expect(sackOf(acks[acks.length - 1]!, P1)).toEqual([[700, 800], [500, 600], [300, 400]]);
    send(500, 100); // a duplicate of a held block
    acks = h.takeSegs();
    const blocks = sackOf(acks[acks.length - 1]!, P1);
    expect(blocks[0]).toEqual([500, 600]);
    expect(blocks.length).toBe(3);
  });
});
