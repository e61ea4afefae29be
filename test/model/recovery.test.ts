/**
 * Fast retransmit and fast recovery (DT-6, CC-5) with exact numbers. Fixture: "ESTABLISHED without
 * SACK" (passive, fd 4, peer MSS 1460, no SACK, no timestamps, wscale 7), a send buffer large
 * enough that only cwnd limits the sender; the scripted peer sends cumulative and duplicate ACKs.
 * Linux numbers follow the recorded cases corpus/linux/hand/dt-fast-retransmit-middle-nosack and
 * cc-newreno-partial-ack (same segment pattern, MSS 1448 there).
 */
import { describe, expect, it } from 'vitest';
import { ACK, SYN } from '../../src/wire/types.js';
import { seqAdd, seqDist } from '../../src/wire/seq.js';
import { linux, rfc9293 } from '../../src/model/profiles.js';
import type { Profile } from '../../src/model/profile-type.js';
import { Host, PEER_ISN, seg, synReceived } from './helpers.js';

const P1 = PEER_ISN + 1;
const MSS = 1460;

function estNoSack(profile: Profile = linux): { h: Host; iss: number; fd: number } {
  const { h, iss } = synReceived(profile, [{ kind: 'mss', mss: MSS }, { kind: 'nop' }, { kind: 'wscale', shift: 7 }]);
  h.inject(seg({ flags: ACK, seq: P1, ack: seqAdd(iss, 1), window: 5000 }));
  const fd = h.ok({ op: 'accept', fd: 3 });
  expect(h.conn(fd).sackOk).toBe(false);
  h.ok({ op: 'setsockopt', fd, opt: 'SO_SNDBUF', value: 2_000_000 });
  return { h, iss, fd };
}

/** The peer's ACK for relative sequence `rel` (same window every time, so repeats are duplicates). */
function ack(h: Host, iss: number, rel: number): void {
  h.inject(seg({ flags: ACK, seq: P1, ack: seqAdd(iss, rel), window: 5000 }));
}

const at = (n: number): number => 1 + n * MSS;

function sent(h: Host, iss: number): string[] {
  return h.takeSegs().filter((s) => (s.flags & SYN) === 0 && s.len > 0).map((s) => `${seqDist(iss, s.seq)}:${s.len}`);
}

describe('DT-6 fast retransmit, linux (reno without SACK, PRR)', () => {
  it('DT-6 CC-5 two duplicate ACKs do not retransmit; the third retransmits the head: ssthresh = cwnd/2 = 7, PRR cwnd 3', () => {
    const { h, iss, fd } = estNoSack();
    h.ok({ op: 'send', fd, bytes: 10 * MSS });
    expect(sent(h, iss).length).toBe(10);
    ack(h, iss, at(4)); // slow start: cwnd 10 + 4
    expect(h.conn(fd).cwnd).toBe(14);
    ack(h, iss, at(4));
    ack(h, iss, at(4));
    expect(sent(h, iss)).toEqual([]);
    expect(h.conn(fd).cc.caState).toBe('disorder');
    ack(h, iss, at(4));
    expect(sent(h, iss)).toEqual([`${at(4)}:${MSS}`]);
    const c = h.conn(fd);
    expect(c.ssthresh).toBe(7);
    // PRR (RFC 6937, tcp_cwnd_reduction): in flight = 6 out − 3 dup ACKs − 1 lost = 2 ≤ ssthresh,
    // sndcnt = min(7 − 2, max(prr_delivered 1 − prr_out 0, 1)) = 1 → cwnd = 2 + 1.
    expect(c.cwnd).toBe(3);
    expect(c.cc.caState).toBe('recovery');
    expect(c.cc.highSeq).toBe(seqAdd(iss, at(10)));
    // A fourth duplicate ACK sends nothing more (nothing new queued, the hole already resent).
    ack(h, iss, at(4));
    expect(sent(h, iss)).toEqual([]);
  });

  it('DT-6 CC-5 a partial ACK retransmits the next hole; an ACK exactly at the recovery point keeps reno in Recovery; an ACK above it ends Recovery with cwnd = ssthresh', () => {
    const { h, iss, fd } = estNoSack();
    h.ok({ op: 'send', fd, bytes: 10 * MSS });
    sent(h, iss);
    ack(h, iss, at(1));
    expect(h.conn(fd).cwnd).toBe(11);
    for (let i = 0; i < 3; i++) ack(h, iss, at(1));
    expect(sent(h, iss)).toEqual([`${at(1)}:${MSS}`]);
    expect(h.conn(fd).ssthresh).toBe(5);
    // in flight = 9 − 3 − 1 = 5 = ssthresh: sndcnt 0, forced to 1 for the retransmission → cwnd 6.
    expect(h.conn(fd).cwnd).toBe(6);
    for (let i = 0; i < 3; i++) ack(h, iss, at(1));
    expect(sent(h, iss)).toEqual([]);
    ack(h, iss, at(4)); // partial ACK (recovery point is 10 segments)
    expect(sent(h, iss)).toEqual([`${at(4)}:${MSS}`]);
    expect(h.conn(fd).cc.caState).toBe('recovery');
    ack(h, iss, at(10)); // everything, but not above high_seq
    expect(h.conn(fd).cc.caState).toBe('recovery');
    h.ok({ op: 'send', fd, bytes: 2 * MSS });
    expect(sent(h, iss)).toEqual([`${at(10)}:${MSS}`, `${at(11)}:${MSS}`]);
    ack(h, iss, at(12));
    const c = h.conn(fd);
    expect(c.cc.caState).toBe('open');
    expect(c.cwnd).toBe(5);
    expect(c.ssthresh).toBe(5);
  });

  it('DT-6 a duplicate ACK that updates the window is not a duplicate (Linux FLAG_WIN_UPDATE)', () => {
    const { h, iss, fd } = estNoSack();
    h.ok({ op: 'send', fd, bytes: 10 * MSS });
    sent(h, iss);
    ack(h, iss, at(1));
    for (let w = 5001; w <= 5003; w++) h.inject(seg({ flags: ACK, seq: P1, ack: seqAdd(iss, at(1)), window: w }));
    expect(sent(h, iss).filter((s) => s.startsWith(`${at(1)}:`))).toEqual([]);
    expect(h.conn(fd).cc.caState).toBe('open');
  });

  it('DT-6 sysctl tcp_reordering=5 needs five duplicate ACKs', () => {
    const { h, iss, fd } = estNoSack({ ...linux, dupThresh: 5 });
    h.ok({ op: 'send', fd, bytes: 10 * MSS });
    sent(h, iss);
    ack(h, iss, at(1));
    for (let i = 0; i < 4; i++) ack(h, iss, at(1));
    expect(sent(h, iss).filter((s) => s.startsWith(`${at(1)}:`))).toEqual([]);
    ack(h, iss, at(1));
    expect(sent(h, iss)).toContain(`${at(1)}:${MSS}`);
  });
});

describe('DT-6 fast retransmit, rfc9293 (RFC 5681 §3.2 + RFC 6582 NewReno)', () => {
  it('DT-6 CC-5 third dup ACK: ssthresh = max(FlightSize/2, 2), cwnd = ssthresh + 3, head resent; inflation, partial ACK, full ACK (limited transmit off)', () => {
    const { h, iss, fd } = estNoSack({ ...rfc9293, limitedTransmit: false });
    h.ok({ op: 'send', fd, bytes: 20 * MSS });
    expect(sent(h, iss).length).toBe(3); // IW 3 (RFC 5681 §3.1, MSS 1460)
    ack(h, iss, at(1)); // cwnd 4: two new segments
    ack(h, iss, at(2)); // cwnd 5: two new segments
    expect(sent(h, iss).length).toBe(4);
    expect(h.conn(fd).cwnd).toBe(5);
    expect(h.conn(fd).sent.length).toBe(5); // segments 2..6 outstanding; segment 2 is lost
    ack(h, iss, at(2));
    ack(h, iss, at(2));
    expect(sent(h, iss)).toEqual([]);
    ack(h, iss, at(2));
    expect(sent(h, iss)).toEqual([`${at(2)}:${MSS}`]);
    expect(h.conn(fd).ssthresh).toBe(2); // max(5 / 2, 2)
    expect(h.conn(fd).cwnd).toBe(5); // ssthresh + 3
    expect(h.conn(fd).cc.highSeq).toBe(seqAdd(iss, at(7)));
    ack(h, iss, at(2)); // inflate: cwnd 6 > 5 outstanding → one new segment
    expect(h.conn(fd).cwnd).toBe(6);
    expect(sent(h, iss)).toEqual([`${at(7)}:${MSS}`]);
    ack(h, iss, at(4)); // partial ACK of two segments: resend segment 4, cwnd 6 − 2 + 1 = 5
    expect(h.conn(fd).cwnd).toBe(5);
    expect(sent(h, iss)).toEqual([`${at(4)}:${MSS}`, `${at(8)}:${MSS}`]);
    expect(h.conn(fd).cc.caState).toBe('recovery');
    ack(h, iss, at(7)); // full ACK: cwnd = min(ssthresh, FlightSize + 1) = min(2, 2 + 1)
    expect(h.conn(fd).cc.caState).toBe('open');
    expect(h.conn(fd).cwnd).toBe(2);
  });

  it('DT-6 RFC 6582 §3.2 step 2: after a timeout, dup ACKs that do not cover `recover` do not start a fast retransmit', () => {
    const { h, iss, fd } = estNoSack(rfc9293);
    h.ok({ op: 'send', fd, bytes: 3 * MSS });
    sent(h, iss);
    h.fireNext(); // RTO: recover = SND.NXT
    expect(h.conn(fd).cc.caState).toBe('loss');
    h.takeSegs();
    for (let i = 0; i < 3; i++) ack(h, iss, 1);
    expect(h.conn(fd).cc.caState).toBe('loss');
    expect(sent(h, iss)).toEqual([]);
  });
});
