/**
 * RACK loss detection on the linux profile (DT-7, DT-6, CC-5; RFC 8985, Linux tcp_recovery.c), with
 * the numbers of the recording x-frto-info (6.18.44, SACK, TCP_INFO read 6 ms after the undo:
 * ca_state Recovery, ssthresh 6, cwnd 8, lost 6, retrans 1). Fixture: passive open with a 10 ms
 * handshake RTT, peer MSS 1460 and SACK, no timestamps, a large send buffer, no tail loss probe.
 */
import { describe, expect, it } from 'vitest';
import { ACK, SYN } from '../../src/wire/types.js';
import { seqAdd, seqDist } from '../../src/wire/seq.js';
import { linux } from '../../src/model/profiles.js';
import { applySysctls } from '../../src/model/sysctls.js';
import { Host, PEER_ISN, seg, synReceived } from './helpers.js';

const P1 = PEER_ISN + 1;
const MSS = 1460;
const at = (n: number): number => 1 + n * MSS;
const profile = { ...linux, tlp: false };

function est(): { h: Host; iss: number; fd: number } {
  const { h, iss } = synReceived(profile, [{ kind: 'mss', mss: MSS }, { kind: 'sackOk' }, { kind: 'nop' }, { kind: 'wscale', shift: 7 }]);
  h.wait(10_000);
  h.inject(seg({ flags: ACK, seq: P1, ack: seqAdd(iss, 1), window: 502 }));
  const fd = h.ok({ op: 'accept', fd: 3 });
  h.ok({ op: 'setsockopt', fd, opt: 'SO_SNDBUF', value: 2_000_000 });
  return { h, iss, fd };
}

function ack(h: Host, iss: number, n: number, blocks: [number, number][] = []): void {
  const options = blocks.length === 0 ? [] : [{ kind: 'nop' as const }, { kind: 'nop' as const }, { kind: 'sack' as const, blocks: blocks.map(([l, r]) => ({ left: seqAdd(iss, at(l)), right: seqAdd(iss, at(r)) })) }];
  h.inject(seg({ flags: ACK, seq: P1, ack: seqAdd(iss, at(n)), window: 502, options }));
}

function sent(h: Host, iss: number): number[] {
  return h.takeSegs().filter((s) => (s.flags & SYN) === 0 && s.len > 0).map((s) => (seqDist(iss, s.seq) - 1) / MSS);
}

describe('DT-7 RACK loss detection (linux)', () => {
  it('DT-7 CC-5 after an F-RTO undo, RACK finds the originals sent before the acknowledged retransmission lost once reo_wnd passes: Recovery, ssthresh 6, cwnd 8, one retransmission (x-frto-info)', () => {
    const { h, iss, fd } = est();
    expect(h.conn(fd).minRtt).toBe(10_000);
    h.ok({ op: 'send', fd, bytes: 30 * MSS });
    expect(sent(h, iss)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    h.fireNext(); // RTO
    expect(sent(h, iss)).toEqual([0]);
    h.wait(310_000 - h.now); // the retransmission is acknowledged at t = 310 ms
    ack(h, iss, 1);
    expect(sent(h, iss)).toEqual([10, 11]); // F-RTO new data
    h.wait(10_000);
    ack(h, iss, 4); // never-retransmitted data: undo
    let c = h.conn(fd);
    expect(c.cc.caState).toBe('open');
    expect(c.cwnd).toBe(13);
    expect(sent(h, iss)).toEqual([12, 13, 14, 15, 16]);
    // rack.rtt = 300 ms (the originals' delivery), rack.mstamp = the retransmission's send time:
    // segments 4..9 become lost min_rtt/4 = 2.5 ms later; the timer: 2.5 + 2 ms (TCP_TIMEOUT_MIN_US)
    // in jiffies = 8 ms, + half a jiffy of timer-wheel slack = 10 ms.
    expect(c.cc.rackReoAt).toBe(h.now + 10_000);
    h.fireNext();
    c = h.conn(fd);
    expect(c.cc.caState).toBe('recovery');
    expect(c.ssthresh).toBe(6);
    expect(c.cwnd).toBe(8);
    expect(sent(h, iss)).toEqual([4]);
    expect(c.sent.filter((r) => r.lost).length).toBe(5); // 5..9 still to go (Linux lost_out 6 counts 4 too)
  });

  it('DT-7 one SACK below the reordering degree: the hole is lost after rack.rtt + min_rtt/4 (the reordering timer), not after three SACKs', () => {
    const { h, iss, fd } = est();
    h.ok({ op: 'send', fd, bytes: 10 * MSS });
    sent(h, iss);
    h.wait(20_000);
    ack(h, iss, 0, [[1, 2]]);
    const c = h.conn(fd);
    expect(c.cc.caState).toBe('disorder');
    expect(sent(h, iss)).toEqual([]);
    expect(c.cc.rackReoAt).toBe(h.now + 10_000); // min_rtt/4 = 2.5 ms + 2 ms → 2 jiffies + half a jiffy
    h.fireNext();
    expect(h.conn(fd).cc.caState).toBe('recovery');
    expect(sent(h, iss)).toEqual([0]);
  });

  it('DT-7 the sysctl tcp_recovery=0 is accepted but leaves RACK on (6.18.44 kept it, observed)', () => {
    expect(applySysctls(linux, { tcp_recovery: 0 }).profile.rack).toBe(true);
    expect(applySysctls(linux, { tcp_recovery: 0 }).ignored).toEqual([]);
  });
});
