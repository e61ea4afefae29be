/**
 * Congestion control (CC-1, CC-2, CC-3, CC-6): initial window, slow start, congestion avoidance,
 * growth only when cwnd-limited, restart after idle. Fixture: "ESTABLISHED = handshake done"
 * (passive, fd 4, MSS 1460, no timestamps, peer window 502 << 7); the scripted peer ACKs by hand.
 * Unit tests of congestion.ts's growth rule use a bare connection record.
 */
import { describe, expect, it } from 'vitest';
import { ACK } from '../../src/wire/types.js';
import { seqAdd, seqDist } from '../../src/wire/seq.js';
import { linux, rfc9293 } from '../../src/model/profiles.js';
import type { Profile } from '../../src/model/profile-type.js';
import type { MConn } from '../../src/model/types.js';
import { growCwnd, rfc5681InitialWindow } from '../../src/model/congestion.js';
import { initialCcState } from '../../src/model/cc-state.js';
import { applySysctls } from '../../src/model/sysctls.js';
import { Host, PEER_ISN, S, establishedPassive, seg, synReceived } from './helpers.js';

const P1 = PEER_ISN + 1;
const MSS = 1460;

/** ESTABLISHED with a send buffer large enough that cwnd, not the buffer, limits the sender. */
function est(profile: Profile = linux) {
  const r = establishedPassive(profile, false);
  r.h.ok({ op: 'setsockopt', fd: r.fd, opt: 'SO_SNDBUF', value: 2_000_000 });
  return r;
}

/** The peer acknowledges up to `ack` (relative to our ISS). */
function peerAck(h: Host, iss: number, rel: number): void {
  h.inject(seg({ flags: ACK, seq: P1, ack: seqAdd(iss, rel), window: 5000 }));
}

/** Keep the send buffer full (send() takes what fits). */
function fill(h: Host, fd: number): void {
  h.call({ op: 'send', fd, bytes: 1_000_000 });
}

function sentRel(h: Host, iss: number): number[] {
  return h.takeSegs().filter((s) => s.len > 0).map((s) => seqDist(iss, s.seq));
}

/** A bare connection for unit tests of the growth rule. */
function bare(cwnd: number, ssthresh: number, maxPacketsOut = 100): MConn {
  const { h, fd } = est();
  const c = { ...h.conn(fd) } as MConn;
  c.cwnd = cwnd;
  c.ssthresh = ssthresh;
  c.cc = { ...initialCcState(0), isCwndLimited: true, maxPacketsOut };
  return c;
}

describe('CC-1 CC-6 initial window and ssthresh', () => {
  it('CC-1 CC-6 linux: IW 10 segments at ESTABLISHED, ssthresh unlimited; the ACK of our SYN-ACK does not grow cwnd', () => {
    const { h, fd, iss } = est();
    expect(h.conn(fd).cwnd).toBe(10);
    expect(h.conn(fd).ssthresh).toBe(0x7fffffff);
    fill(h, fd);
    expect(sentRel(h, iss)).toEqual([1, 1461, 2921, 4381, 5841, 7301, 8761, 10221, 11681, 13141]);
  });

  it('CC-1 rfc9293: IW = min(4·SMSS, max(2·SMSS, 4380 bytes)) in whole segments (RFC 5681 §3.1)', () => {
    expect(rfc5681InitialWindow(1460)).toBe(3);
    expect(rfc5681InitialWindow(536)).toBe(4);
    expect(rfc5681InitialWindow(1095)).toBe(4);
    expect(rfc5681InitialWindow(2190)).toBe(2);
    expect(rfc5681InitialWindow(9000)).toBe(2);
    const { h, fd, iss } = est(rfc9293);
    expect(h.conn(fd).cwnd).toBe(3);
    fill(h, fd);
    expect(sentRel(h, iss)).toEqual([1, 1461, 2921]);
  });
});

describe('CC-1 flight bound', () => {
  it('CC-1 what may be in flight is min(cwnd, rwnd): a 35 << 7 = 4480-byte peer window lets 3 of cwnd 10 go', () => {
    const { h, iss } = synReceived(linux, [{ kind: 'mss', mss: MSS }, { kind: 'sackOk' }, { kind: 'nop' }, { kind: 'wscale', shift: 7 }]);
    h.inject(seg({ flags: ACK, seq: P1, ack: seqAdd(iss, 1), window: 35 }));
    const fd = h.ok({ op: 'accept', fd: 3 });
    fill(h, fd);
    expect(sentRel(h, iss)).toEqual([1, 1461, 2921]);
    expect(h.conn(fd).cwnd).toBe(10);
  });
});

describe('CC-2 slow start', () => {
  it('CC-2 linux: +1 per newly acknowledged packet — cwnd doubles per RTT (10 → 20 → 40), two segments per ACK', () => {
    const { h, fd, iss } = est();
    fill(h, fd);
    expect(sentRel(h, iss).length).toBe(10);
    for (let i = 1; i <= 10; i++) {
      peerAck(h, iss, 1 + i * MSS);
      fill(h, fd);
      expect(h.conn(fd).cwnd).toBe(10 + i);
      expect(sentRel(h, iss).length).toBe(2);
    }
    expect(h.conn(fd).cwnd).toBe(20);
    // Second round trip: one ACK for all 20 → cwnd 40.
    peerAck(h, iss, 1 + 30 * MSS);
    expect(h.conn(fd).cwnd).toBe(40);
    expect(h.conn(fd).ssthresh).toBe(0x7fffffff);
  });

  it('CC-2 linux: a stretch ACK of 4 packets adds 4 (tcp_slow_start counts packets, not ACKs)', () => {
    const { h, fd, iss } = est();
    fill(h, fd);
    h.takeSegs();
    peerAck(h, iss, 1 + 4 * MSS);
    expect(h.conn(fd).cwnd).toBe(14);
  });

  it('CC-2 rfc9293: +1 SMSS per ACK however much it acknowledges (RFC 5681 §3.1 min(N, SMSS))', () => {
    const { h, fd, iss } = est(rfc9293);
    fill(h, fd);
    h.takeSegs();
    peerAck(h, iss, 1 + 3 * MSS); // all three IW segments in one ACK
    expect(h.conn(fd).cwnd).toBe(4);
  });

  it('CC-2 linux: no growth while application-limited (tcp_is_cwnd_limited: cwnd 10 ≥ 2 × 2 packets out)', () => {
    const { h, fd, iss } = est();
    h.ok({ op: 'send', fd, bytes: 2 * MSS });
    expect(sentRel(h, iss).length).toBe(2);
    peerAck(h, iss, 1 + 2 * MSS);
    expect(h.conn(fd).cwnd).toBe(10);
    // Six packets out: 10 < 12, so slow start may still grow.
    h.ok({ op: 'send', fd, bytes: 6 * MSS });
    expect(sentRel(h, iss).length).toBe(6);
    peerAck(h, iss, 1 + 8 * MSS);
    expect(h.conn(fd).cwnd).toBe(16);
  });

  it('CC-2 rfc9293 grows without the cwnd-limited test (RFC 5681 has none)', () => {
    const { h, fd, iss } = est(rfc9293);
    h.ok({ op: 'send', fd, bytes: 1 * MSS });
    expect(sentRel(h, iss).length).toBe(1);
    peerAck(h, iss, 1 + MSS);
    expect(h.conn(fd).cwnd).toBe(4);
  });
});

describe('CC-3 congestion avoidance (unit, tcp_cong_avoid_ai)', () => {
  it('CC-2 CC-3 slow start stops at ssthresh; the rest of the credit goes to congestion avoidance', () => {
    const c = bare(8, 10);
    growCwnd(c, linux, 5);
    expect(c.cwnd).toBe(10);
    expect(c.cc.cwndCnt).toBe(3);
  });

  it('CC-3 linux: +1 per cwnd packets acknowledged (cwnd 10: ten single-packet ACKs → 11)', () => {
    const c = bare(10, 10);
    for (let i = 0; i < 9; i++) growCwnd(c, linux, 1);
    expect(c.cwnd).toBe(10);
    expect(c.cc.cwndCnt).toBe(9);
    growCwnd(c, linux, 1);
    expect(c.cwnd).toBe(11);
    expect(c.cc.cwndCnt).toBe(0);
    growCwnd(c, linux, 23); // 23 packets at w = 11: +2, 1 left over
    expect(c.cwnd).toBe(13);
    expect(c.cc.cwndCnt).toBe(1);
  });

  it('CC-3 rfc9293: +1 per cwnd ACKs (SMSS·SMSS/cwnd per ACK), whatever each ACK covers', () => {
    const c = bare(4, 4);
    for (let i = 0; i < 3; i++) growCwnd(c, rfc9293, 2);
    expect(c.cwnd).toBe(4);
    growCwnd(c, rfc9293, 2);
    expect(c.cwnd).toBe(5);
  });

  it('CC-3 linux: no congestion-avoidance credit when not cwnd-limited', () => {
    const c = bare(10, 10);
    c.cc = { ...c.cc, isCwndLimited: false, maxPacketsOut: 3 };
    growCwnd(c, linux, 50);
    expect(c.cwnd).toBe(10);
    expect(c.cc.cwndCnt).toBe(0);
  });
});

describe('CC-1 CC-2 restart after idle (RFC 5681 §4.1)', () => {
  function grown(profile: Profile) {
    const { h, fd, iss } = est(profile);
    h.ok({ op: 'send', fd, bytes: 30 * MSS });
    h.takeSegs();
    peerAck(h, iss, 1 + 10 * MSS); // slow start: cwnd 20, the other 20 segments go
    peerAck(h, iss, 1 + 30 * MSS); // everything acknowledged, nothing in flight
    h.takeSegs();
    expect(h.conn(fd).sent).toEqual([]);
    return { h, fd, iss };
  }

  it('CC-1 CC-2 linux: after an idle period longer than the RTO, cwnd restarts at min(IW, cwnd) (tcp_cwnd_restart)', () => {
    const { h, fd, iss } = grown(linux);
    expect(h.conn(fd).cwnd).toBe(40);
    h.wait(3 * S);
    h.call({ op: 'send', fd, bytes: 40 * MSS });
    expect(h.conn(fd).cwnd).toBe(10);
    expect(h.conn(fd).ssthresh).toBe(0x7fffffff); // max(ssthresh, ¾ cwnd)
    expect(sentRel(h, iss).length).toBe(10);
  });

  it('CC-1 linux: an idle period shorter than the RTO keeps cwnd', () => {
    const { h, fd } = grown(linux);
    const before = h.conn(fd).cwnd;
    h.wait(100_000);
    h.call({ op: 'send', fd, bytes: 40 * MSS });
    expect(h.conn(fd).cwnd).toBe(before);
  });

  it('CC-1 sysctl tcp_slow_start_after_idle=0 keeps cwnd after idle', () => {
    const r = applySysctls(linux, { 'net.ipv4.tcp_slow_start_after_idle': '0' });
    expect(r.errors).toEqual([]);
    expect(r.profile.slowStartAfterIdle).toBe(false);
    const { h, fd } = grown(r.profile);
    const before = h.conn(fd).cwnd;
    h.wait(3 * S);
    h.call({ op: 'send', fd, bytes: 40 * MSS });
    expect(h.conn(fd).cwnd).toBe(before);
  });
});
