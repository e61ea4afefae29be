/**
 * Part 2 timers with exact numbers: the retransmission timer and RTT estimators (DT-5), what a
 * timeout does to cwnd/ssthresh (CC-4), the give-up budgets (CT-5, KA-3: tcp_retries2, orphan
 * retries, TCP_USER_TIMEOUT), the persist timer (FC-4) and keepalive (KA-1, KA-2).
 * Fixture: a passive open whose handshake RTT is chosen (the third ACK arrives `rtt` after the
 * SYN-ACK), so the first RTO is known: linux RTO = m + max(2m, 200 ms).
 */
import { describe, expect, it } from 'vitest';
import { ACK, PSH, RST, SYN } from '../../src/wire/types.js';
import { seqAdd } from '../../src/wire/seq.js';
import { linux, rfc9293 } from '../../src/model/profiles.js';
import type { Profile } from '../../src/model/profile-type.js';
import { applySysctls } from '../../src/model/sysctls.js';
import type { MConn } from '../../src/model/types.js';
import { cloneConn } from '../../src/model/conn.js';
import { rttSample, modelTimeout } from '../../src/model/rto.js';
import type { Segment } from '../../src/wire/types.js';
import { Host, MS, PEER_ISN, S, lastTsVal, listening, peerSynOptions, seg, synSent, toActive, tsOpt } from './helpers.js';

const P1 = PEER_ISN + 1;
/** Linux with the tail loss probe off (tcp_early_retrans 0): the bare RTO schedule. */
const LNT = applySysctls(linux, { 'net.ipv4.tcp_early_retrans': 0 }).profile;

/** ESTABLISHED passive connection (fd 4) whose handshake RTT is `rtt` µs. */
function est(profile: Profile = linux, rtt = 100 * MS, ts = false): { h: Host; iss: number; fd: number; A: (n: number) => number } {
  const h = listening(profile);
  const opts = ts ? peerSynOptions() : [{ kind: 'mss' as const, mss: 1460 }, { kind: 'sackOk' as const }, { kind: 'nop' as const }, { kind: 'wscale' as const, shift: 7 }];
  h.inject(seg({ flags: SYN, seq: PEER_ISN, window: 64240, options: opts }));
  const sa = h.expectSeg({ flags: SYN | ACK });
  h.now += rtt;
  h.inject(seg({ flags: ACK, seq: P1, ack: seqAdd(sa.seq, 1), window: 502, options: ts ? tsOpt(5001, lastTsVal(sa)) : [] }));
  const fd = h.ok({ op: 'accept', fd: 3 });
  return { h, iss: sa.seq, fd, A: (n: number) => seqAdd(sa.seq, 1 + n) };
}

/** Fire timers until `until` (absolute µs), recording [time, segment] of everything sent. */
function runUntil(h: Host, until: number): Array<[number, Segment]> {
  const out: Array<[number, Segment]> = [];
  for (const s of h.takeSegs()) out.push([h.now, s]);
  while (h.deadline !== null && h.deadline <= until) {
    h.fireNext();
    for (const s of h.takeSegs()) out.push([h.now, s]);
  }
  return out;
}

const round = (t: number) => Math.round(t / MS) / 1000; // µs → s with ms precision

function copy(h: Host, fd: number): MConn {
  return cloneConn(h.conn(fd));
}

describe('DT-5 retransmission timer: estimators', () => {
  it('DT-5 linux: the first data RTO after a 500 ms handshake RTT is 1.5 s (srtt 500 ms, rttvar max(2m, 200 ms))', () => {
    const { h, syn, port } = synSent();
    h.now = 500 * MS;
    h.inject(toActive(port, { flags: SYN | ACK, seq: PEER_ISN, ack: seqAdd(syn.seq, 1), options: [{ kind: 'mss', mss: 1460 }] }));
    h.takeSegs();
    const c = h.conn(3);
    expect([c.srtt, c.rttvar, c.mdev, c.rto]).toEqual([500 * MS, 1000 * MS, 1000 * MS, 1500 * MS]);
    h.ok({ op: 'send', fd: 3, bytes: 100 });
    const sent = runUntil(h, 2100 * MS);
    expect(sent.map(([t, s]) => [round(t), s.len])).toEqual([
      [0.5, 100],
      [2.0, 100],
    ]);
  });

  it('DT-5 linux estimator arithmetic: srtt×8, mdev×4, Eifel gain on a falling RTT, rttvar tracks the per-RTT mdev max and decays', () => {
    const { h, fd } = est(linux, 100 * MS);
    const c = copy(h, fd);
    // After the 100 ms handshake sample: srtt 100 ms, mdev 200 ms, rttvar = mdev_max = 200 ms, RTO 300 ms.
    expect([c.srtt, c.mdev, c.rttvar, c.mdevMax, c.rto]).toEqual([100_000, 200_000, 200_000, 200_000, 300_000]);
    const nextRound = () => {
      c.sndNxt = seqAdd(c.sndNxt, 1000);
      c.sndUna = c.sndNxt; // SND.UNA passes rtt_seq: a new round trip
    };
    nextRound();
    rttSample(c, linux, 500_000); // err +400 ms: srtt 100 + 400/8 = 150 ms, mdev 200 + 400 − 200/4 = 550 ms
    expect([c.srtt, c.mdev, c.rttvar, c.mdevMax]).toEqual([150_000, 550_000, 550_000, 200_000]);
    expect(c.rto).toBe(700_000); // 150 + 550 ms = 175 jiffies
    nextRound();
    rttSample(c, linux, 150_000); // err 0: mdev loses a quarter; rttvar decays by (550 − 412.5)/4
    expect([c.srtt, c.mdev]).toEqual([150_000, 412_500]);
    expect(c.rttvar).toBe(550_000 - Math.floor((550_000 - 412_500) / 4));
    expect(c.rto).toBe(Math.ceil((150_000 + c.rttvar) / 4000) * 4000);
    // A falling RTT changes mdev with gain 1/32: err −140 ms → (140 − 103.125 ms)/8 added.
    rttSample(c, linux, 10_000);
    expect(c.srtt).toBe(132_500);
    expect(c.mdev).toBe(412_500 + Math.floor((140_000 - Math.floor(412_500 / 4)) / 8));
  });

  it('DT-5 rfc9293: RFC 6298 §2 estimator (α 1/8, β 1/4, K 4, G) with the 1 s floor', () => {
    const { h, fd } = est(rfc9293, 100 * MS);
    const c = copy(h, fd);
    expect([c.srtt, c.rttvar, c.rto]).toEqual([100_000, 50_000, 1 * S]); // 100 + 4·50 ms < 1 s
    rttSample(c, rfc9293, 2 * S);
    expect(c.rttvar).toBe(0.75 * 50_000 + 0.25 * 1_900_000);
    expect(c.srtt).toBe(0.875 * 100_000 + 0.125 * 2_000_000);
    expect(c.rto).toBe(337_500 + 4 * 512_500);
  });

  it('DT-5 CC-4 repeated timeouts: RTO doubles to the 120 s cap; cwnd 1, ssthresh max(cwnd/2, 2) on the first timeout only; all outstanding marked lost', () => {
    const { h, fd } = est(LNT, 100 * MS);
    h.ok({ op: 'send', fd, bytes: 10 * 1448 });
    expect(h.takeSegs().length).toBe(10);
    expect(h.conn(fd).cwnd).toBe(10);
    const t0 = h.now;
    h.fireNext();
    const c1 = h.conn(fd);
    expect(h.now - t0).toBe(300 * MS);
    expect([c1.cwnd, c1.ssthresh]).toEqual([1, 5]);
    expect(c1.sent.filter((s) => s.lost).length).toBe(9); // the head went again, the rest wait
    const heads = h.takeSegs();
    expect(heads.map((s) => s.seq)).toEqual([seqAdd(h.conn(fd).iss, 1)]);
    const gaps: number[] = [];
    let last = h.now;
    for (let i = 0; i < 11; i++) {
      h.fireNext();
      gaps.push((h.now - last) / MS);
      last = h.now;
      expect(h.conn(fd).ssthresh).toBe(5);
      expect(h.conn(fd).cwnd).toBe(1);
    }
    expect(gaps).toEqual([600, 1200, 2400, 4800, 9600, 19200, 38400, 76800, 120000, 120000, 120000]);
  });

  it('DT-5 CC-4 rfc9293: ssthresh = max(FlightSize/2, 2) after an RTO, cwnd 1 MSS', () => {
    const { h, fd } = est(rfc9293, 100 * MS);
    h.ok({ op: 'send', fd, bytes: 3 * 1460 });
    expect(h.takeSegs().length).toBe(3); // IW 3 (RFC 5681 §3.1 with SMSS 1460)
    h.fireNext();
    expect([h.conn(fd).cwnd, h.conn(fd).ssthresh]).toEqual([1, 2]); // FlightSize 3 → max(1, 2)
  });

  it("DT-5 Karn: an ACK covering a retransmitted segment gives no sample and the backed-off RTO stays; a valid sample resets it", () => {
    const { h, fd, A } = est(LNT, 100 * MS);
    h.ok({ op: 'send', fd, bytes: 1000 });
    h.takeSegs();
    h.fireNext(); // RTO 300 → 600 ms
    h.takeSegs();
    const srtt = h.conn(fd).srtt;
    h.now += 50 * MS;
    h.inject(seg({ flags: ACK, seq: P1, ack: A(1000), window: 502 }));
    expect(h.conn(fd).srtt).toBe(srtt);
    expect(h.conn(fd).rto).toBe(600 * MS);
    h.ok({ op: 'send', fd, bytes: 1000 });
    h.takeSegs();
    expect(h.conn(fd).retransmitAt! - h.now).toBe(600 * MS);
    h.now += 100 * MS;
    h.inject(seg({ flags: ACK, seq: P1, ack: A(2000), window: 502 })); // fresh segment: sample 100 ms
    expect(h.conn(fd).rto).toBe(300 * MS);
  });

  it('DT-5 HD-4 Karn with timestamps: the TS echo of the retransmission gives the sample (tcp_rtt_tsopt_us)', () => {
    const { h, fd, A } = est(linux, 100 * MS, true);
    h.ok({ op: 'send', fd, bytes: 1000 });
    h.takeSegs();
    h.fireNext();
    const rtx = h.takeSegs()[0]!;
    const before = h.conn(fd).srtt;
    h.now += 20 * MS;
    h.inject(seg({ flags: ACK, seq: P1, ack: A(1000), window: 502, options: tsOpt(6000, lastTsVal(rtx)) }));
    const c = h.conn(fd);
    // 20 ms sample: srtt 100 → 90 ms; RTO back to srtt + rttvar (no backoff).
    expect(c.srtt).toBe(before + (20_000 - before) / 8);
    expect(c.rto).toBe(Math.ceil((Math.floor(c.srtt) + c.rttvar) / 4000) * 4000);
  });

  it('DT-5 HS-5 a retransmitted SYN without timestamps gives no sample: RTO 3 s; with timestamps the SYN-ACK echo times it', () => {
    const a = synSent();
    a.h.wait(1 * S);
    a.h.takeSegs();
    a.h.now += 50 * MS;
    a.h.inject(toActive(a.port, { flags: SYN | ACK, seq: PEER_ISN, ack: seqAdd(a.syn.seq, 1), options: [{ kind: 'mss', mss: 1460 }] }));
    expect([a.h.conn(3).srtt, a.h.conn(3).rto]).toEqual([0, 3 * S]);
    const b = synSent();
    b.h.wait(1 * S);
    const rsyn = b.h.takeSegs()[0]!;
    b.h.now += 50 * MS;
    b.h.inject(toActive(b.port, { flags: SYN | ACK, seq: PEER_ISN, ack: seqAdd(b.syn.seq, 1), options: [{ kind: 'mss', mss: 1460 }, { kind: 'ts', val: 1, ecr: lastTsVal(rsyn) }] }));
    expect(b.h.conn(3).srtt).toBe(50 * MS);
    expect(b.h.conn(3).rto).toBe(252 * MS); // 50 + max(100, 200) ms = 62.5 jiffies → 63
  });
});

describe('CT-5 KA-3 give-up budgets', () => {
  it('CT-5 tcp_retries2 = 15: retransmissions stop 924.6 s after the first one; silent (no RST), ETIMEDOUT', () => {
    expect(modelTimeout(15, 200 * MS, 120 * S)).toBe(924_600 * MS);
    const { h, fd } = est(LNT, 100 * MS);
    h.ok({ op: 'send', fd, bytes: 1000 });
    const sent = runUntil(h, 2000 * S);
    const times = sent.map(([t]) => round(t));
    // First transmission at 0.1 s; retransmissions from 0.4 s; the budget ends at 0.4 + 924.6 = 925 s,
    // so the timer at 0.4 + 0.3·(2^10 − 1) s … + 120 s steps that reaches it closes the connection.
    expect(times).toEqual([0.1, 0.4, 1.0, 2.2, 4.6, 9.4, 19.0, 38.2, 76.6, 153.4, 273.4, 393.4, 513.4, 633.4, 753.4, 873.4]);
    expect(h.conn(fd).state).toBe('CLOSED');
    expect(round(h.now)).toBe(993.4);
    expect(sent.every(([, s]) => (s.flags & RST) === 0)).toBe(true);
    expect(h.events('error')).toEqual([{ kind: 'event', fd, event: 'error', errno: 'ETIMEDOUT' }]);
    expect(h.call({ op: 'recv', fd, bytes: 10 })).toEqual({ ok: false, errno: 'ETIMEDOUT' });
  });

  it('CT-5 tcp_retries2 = 3 by sysctl: budget (2^4 − 1) × 200 ms = 3 s from the first retransmission', () => {
    const p = applySysctls(linux, { 'net.ipv4.tcp_retries2': 3, 'net.ipv4.tcp_early_retrans': 0 }).profile;
    expect(modelTimeout(3, 200 * MS, 120 * S)).toBe(3 * S);
    const { h, fd } = est(p, 100 * MS);
    h.ok({ op: 'send', fd, bytes: 1000 });
    const sent = runUntil(h, 100 * S);
    expect(sent.map(([t]) => round(t))).toEqual([0.1, 0.4, 1.0, 2.2]); // 2.2 − 0.4 < 3 s
    expect(round(h.now)).toBe(4.6); // 4.6 − 0.4 ≥ 3 s: give up
    expect(h.conn(fd).state).toBe('CLOSED');
  });

  it('CT-5 an orphan (closed with data outstanding) uses tcp_orphan_retries: (2^9 − 1) × 200 ms = 102.2 s, silently', () => {
    const { h, fd } = est(LNT, 100 * MS);
    h.ok({ op: 'send', fd, bytes: 1000 });
    h.ok({ op: 'close', fd });
    const sent = runUntil(h, 1000 * S);
    const last = sent[sent.length - 1]!;
    expect(round(last[0])).toBe(76.6);
    expect(round(h.now)).toBe(153.4); // 153.4 − 0.4 ≥ 102.2 s
    expect(sent.every(([, s]) => (s.flags & RST) === 0)).toBe(true);
    expect(h.ep.conns.some((c) => c.state !== 'LISTEN' && c.state !== 'CLOSED')).toBe(false);
  });

  it('KA-3 TCP_USER_TIMEOUT 500 ms replaces the budget and shortens the last timer to end on time', () => {
    const { h, fd } = est(LNT, 100 * MS);
    expect(h.call({ op: 'setsockopt', fd, opt: 'TCP_USER_TIMEOUT', value: 500 })).toEqual({ ok: true, value: 0 });
    h.ok({ op: 'send', fd, bytes: 1000 });
    const sent = runUntil(h, 100 * S);
    expect(sent.map(([t]) => round(t))).toEqual([0.1, 0.4]);
    expect(round(h.now)).toBe(0.9); // 0.4 + min(600 ms RTO, 500 ms left)
    expect(h.events('error')).toEqual([{ kind: 'event', fd, event: 'error', errno: 'ETIMEDOUT' }]);
    expect(h.call({ op: 'setsockopt', fd, opt: 'TCP_USER_TIMEOUT', value: -1 })).toEqual({ ok: false, errno: 'EINVAL' });
  });
});

/** ESTABLISHED with the peer's window closed after 1000 bytes, 3000 more bytes queued. */
function zeroWindow(profile: Profile = linux) {
  const e = est(profile, 100 * MS);
  e.h.ok({ op: 'send', fd: e.fd, bytes: 1000 });
  e.h.takeSegs();
  e.h.now += 100 * MS;
  e.h.inject(seg({ flags: ACK, seq: P1, ack: e.A(1000), window: 0 }));
  e.h.ok({ op: 'send', fd: e.fd, bytes: 3000 });
  e.h.expectNoSeg();
  return e;
}

describe('FC-4 persist timer', () => {
  it('FC-4 linux: zero-length ACK probes with seq SND.UNA − 1 at max(RTO, 200 ms) doubling to 120 s; abort after 15 unanswered', () => {
    const { h, fd, A } = zeroWindow();
    const c = h.conn(fd);
    expect(c.persistAt! - h.now).toBe(300 * MS);
    const t0 = h.now;
    const sent = runUntil(h, t0 + 5000 * S);
    expect(sent.every(([, s]) => s.flags === ACK && s.len === 0 && s.seq === seqAdd(A(1000), -1) && s.ack === P1)).toBe(true);
    const rel = sent.map(([t]) => round(t - t0));
    expect(rel).toEqual([0.3, 0.9, 2.1, 4.5, 9.3, 18.9, 38.1, 76.5, 153.3, 273.3, 393.3, 513.3, 633.3, 753.3, 873.3]);
    expect(round(h.now - t0)).toBe(993.3); // the 16th expiry finds 15 unanswered probes
    expect(h.conn(fd).state).toBe('CLOSED');
    expect(h.events('error')[0]).toMatchObject({ errno: 'ETIMEDOUT' });
  });

  it('FC-4 an answer that keeps the window closed resets the unanswered count and re-arms with the current backoff; an opening window resumes sending', () => {
    const { h, fd, A } = zeroWindow();
    const t0 = h.now;
    runUntil(h, t0 + 1 * S); // probes at +0.3, +0.9 (backoff 2)
    expect(h.conn(fd).probesOut).toBe(2);
    h.now = t0 + 1 * S;
    h.inject(seg({ flags: ACK, seq: P1, ack: A(1000), window: 0 }));
    expect(h.conn(fd).probesOut).toBe(0);
    expect(h.conn(fd).persistAt! - h.now).toBe(1200 * MS); // 300 ms << 2
    h.now += 100 * MS;
    h.inject(seg({ flags: ACK, seq: P1, ack: A(1000), window: 502 }));
    const s = h.takeSegs();
    expect(s.map((x) => x.len)).toEqual([1460, 1460, 80]);
    expect(h.conn(fd).persistAt).toBeNull();
  });

  it('FC-4 linux: a window open but too small for the sender (SWS) is probed with min(window, MSS) bytes of new data and PSH', () => {
    const e = est(linux, 100 * MS);
    e.h.inject(seg({ flags: ACK, seq: P1, ack: e.A(0), window: 502, len: 1 }));
    e.h.inject(seg({ flags: ACK, seq: P1 + 1, ack: e.A(0), window: 1 })); // now 128 bytes (1 << 7) of a 64 KB max
    e.h.takeSegs();
    e.h.ok({ op: 'send', fd: e.fd, bytes: 1000 });
    e.h.expectNoSeg();
    e.h.fireNext();
    e.h.expectSeg({ flags: ACK | PSH, seq: e.A(0), len: 128 });
    expect(e.h.conn(e.fd).retransmitAt).not.toBeNull();
    expect(e.h.conn(e.fd).persistAt).toBeNull();
  });

  it('FC-4 rfc9293: the probe is one byte of new data beyond the window (RFC 9293 §3.8.6.1), retransmitted without giving up while answered', () => {
    const { h, fd, A } = zeroWindow(rfc9293);
    expect(h.conn(fd).persistAt! - h.now).toBe(1 * S);
    h.fireNext();
    h.expectSeg({ seq: A(1000), len: 1 });
    const t = h.now;
    h.fireNext();
    h.expectSeg({ seq: A(1000), len: 1 });
    expect(h.now - t).toBe(1 * S);
    for (let i = 0; i < 30; i++) {
      h.fireNext();
      h.takeSegs();
      h.inject(seg({ flags: ACK, seq: P1, ack: A(1000), window: 0 }));
    }
    expect(h.conn(fd).state).toBe('ESTABLISHED');
  });
});

describe('KA-1 KA-2 keepalive', () => {
  it('KA-1 probes at 7200 s then every 75 s (ACK, seq SND.UNA − 1, no data); after the 9th unanswered, RST|ACK seq SND.NXT and ETIMEDOUT', () => {
    const { h, fd, A } = est(linux, 100 * MS);
    expect(h.call({ op: 'setsockopt', fd, opt: 'SO_KEEPALIVE', value: 1 })).toEqual({ ok: true, value: 0 });
    const t0 = h.now;
    const sent = runUntil(h, t0 + 10_000 * S);
    const probes = sent.filter(([, s]) => (s.flags & RST) === 0);
    expect(probes.map(([t]) => round(t - t0))).toEqual([7200, 7275, 7350, 7425, 7500, 7575, 7650, 7725, 7800]);
    expect(probes.every(([, s]) => s.flags === ACK && s.len === 0 && s.seq === seqAdd(A(0), -1) && s.ack === P1)).toBe(true);
    const rst = sent.filter(([, s]) => (s.flags & RST) !== 0);
    expect(rst.length).toBe(1);
    expect(round(rst[0]![0] - t0)).toBe(7875);
    expect(rst[0]![1]).toMatchObject({ flags: RST | ACK, seq: A(0), ack: P1 });
    expect(h.events('error')).toEqual([{ kind: 'event', fd, event: 'error', errno: 'ETIMEDOUT' }]);
  });

  it('KA-1 TCP_KEEPIDLE/INTVL/CNT override the defaults; an answered probe resets the count and the idle clock', () => {
    const { h, fd, A } = est(linux, 100 * MS);
    h.ok({ op: 'setsockopt', fd, opt: 'SO_KEEPALIVE', value: 1 });
    h.ok({ op: 'setsockopt', fd, opt: 'TCP_KEEPIDLE', value: 1 });
    h.ok({ op: 'setsockopt', fd, opt: 'TCP_KEEPINTVL', value: 2 });
    h.ok({ op: 'setsockopt', fd, opt: 'TCP_KEEPCNT', value: 2 });
    expect(h.call({ op: 'setsockopt', fd, opt: 'TCP_KEEPCNT', value: 128 })).toEqual({ ok: false, errno: 'EINVAL' });
    const t0 = h.now;
    let sent = runUntil(h, t0 + 3.5 * S);
    expect(sent.map(([t]) => round(t - t0))).toEqual([1, 3]);
    h.now = t0 + 3.5 * S;
    h.inject(seg({ flags: ACK, seq: P1, ack: A(0), window: 502 })); // the answer
    expect(h.conn(fd).probesOut).toBe(0);
    sent = runUntil(h, t0 + 20 * S);
    // The timer due at 5 s finds 1.5 s of idle time (≥ 1 s) and a fresh count: two more probes.
    expect(sent.map(([t, s]) => [round(t - t0), s.flags])).toEqual([
      [5, ACK],
      [7, ACK],
      [9, RST | ACK],
    ]);
  });

  it('KA-1 data in flight postpones keepalive; SO_KEEPALIVE 0 stops it; a listener passes it to its children', () => {
    const l = listening();
    l.ok({ op: 'setsockopt', fd: 3, opt: 'SO_KEEPALIVE', value: 1 });
    l.ok({ op: 'setsockopt', fd: 3, opt: 'TCP_KEEPIDLE', value: 10 });
    l.inject(seg({ flags: SYN, seq: PEER_ISN, window: 64240, options: [{ kind: 'mss', mss: 1460 }] }));
    const sa = l.expectSeg({ flags: SYN | ACK });
    l.inject(seg({ flags: ACK, seq: P1, ack: seqAdd(sa.seq, 1), window: 502 }));
    const fd = l.ok({ op: 'accept', fd: 3 });
    const t0 = l.now;
    expect(l.conn(fd).keepaliveAt).toBe(t0 + 10 * S);
    // Data outstanding (the peer is silent): at 10 s the keepalive timer only re-arms a full idle period.
    l.ok({ op: 'send', fd, bytes: 100 });
    l.wait(10 * S);
    expect(l.notes('KA-1/probe').length).toBe(0);
    expect(l.conn(fd).keepaliveAt).toBe(t0 + 20 * S);
    l.ok({ op: 'setsockopt', fd, opt: 'SO_KEEPALIVE', value: 0 });
    expect(l.conn(fd).keepaliveAt).toBeNull();
  });

  it('KA-2 a peer that rebooted answers the probe with RST: ECONNRESET', () => {
    const { h, fd, A } = est(linux, 100 * MS);
    h.ok({ op: 'setsockopt', fd, opt: 'SO_KEEPALIVE', value: 1 });
    h.ok({ op: 'setsockopt', fd, opt: 'TCP_KEEPIDLE', value: 1 });
    h.fireNext();
    const probe = h.expectSeg({ flags: ACK, seq: seqAdd(A(0), -1), len: 0 });
    // The rebooted peer has no connection: <SEQ=SEG.ACK><CTL=RST>.
    h.inject(seg({ flags: RST, seq: probe.ack, ack: 0, window: 0 }));
    expect(h.conn(fd).state).toBe('CLOSED');
    expect(h.events('error')).toEqual([{ kind: 'event', fd, event: 'error', errno: 'ECONNRESET' }]);
  });
});

describe('FC-4 two endpoints', () => {
  it('FC-4 a lost window update does not deadlock: the persist probe fetches the reopened window', async () => {
    const { Pair } = await import('./helpers.js');
    const pair = new Pair(linux, 5 * MS);
    let dropUpdates = false;
    let dropped = 0;
    // Host 1 receives; while `dropUpdates` is set, its pure ACKs announcing an open window are lost.
    pair.drop = (s, from) => {
      if (dropUpdates && from === 1 && s.len === 0 && s.window > 0) {
        dropped++;
        return true;
      }
      return false;
    };
    pair.call(1, { op: 'socket', fd: 3 });
    pair.call(1, { op: 'setsockopt', fd: 3, opt: 'SO_RCVBUF', value: 4096 });
    pair.call(1, { op: 'bind', fd: 3, port: 80 });
    pair.call(1, { op: 'listen', fd: 3, backlog: 10 });
    pair.call(0, { op: 'socket', fd: 3 });
    pair.call(0, { op: 'connect', fd: 3, port: 80 });
    pair.drive(pair.now + 1 * S);
    expect(pair.call(1, { op: 'accept', fd: 3 })).toEqual({ ok: true, value: 4 });
    const total = 40_000;
    let sent = 0;
    while (sent < total) {
      const r = pair.call(0, { op: 'send', fd: 3, bytes: total - sent });
      if (!r.ok) break;
      sent += r.value;
    }
    pair.drive(pair.now + 1 * S);
    const sender = () => pair.hosts[0].conn(3);
    expect(sender().sndWnd).toBe(0); // the receiver's buffer is full
    expect(sender().persistAt).not.toBeNull();
    dropUpdates = true;
    let read = 0;
    const r1 = pair.call(1, { op: 'recv', fd: 4, bytes: 100_000 });
    if (r1.ok) read += r1.value;
    pair.drive(pair.now + 100 * MS);
    expect(dropped).toBeGreaterThan(0); // the window update was lost
    dropUpdates = false;
    for (let i = 0; i < 200 && read < total; i++) {
      if (sent < total) {
        const r = pair.call(0, { op: 'send', fd: 3, bytes: total - sent });
        if (r.ok) sent += r.value;
      }
      pair.drive(pair.now + 2 * S);
      const r = pair.call(1, { op: 'recv', fd: 4, bytes: 100_000 });
      if (r.ok) read += r.value;
    }
    expect(read).toBe(total);
    expect(pair.hosts[0].notes('FC-4/probe').length).toBeGreaterThan(0);
  });
});

describe('DT-5 tail loss probe (linux, SACK connections)', () => {
  it('DT-5 TLP: the probe takes the RTO slot (PTO 2·SRTT + rto_min > RTO), retransmits the last segment, and does not start the retries2 budget', () => {
    const p = applySysctls(linux, { 'net.ipv4.tcp_retries2': 3 }).profile;
    const { h, fd } = est(p, 100 * MS);
    h.ok({ op: 'send', fd, bytes: 1000 });
    const sent = runUntil(h, 100 * S);
    // 0.1 send; 0.4 probe; RTOs at 0.7 (budget starts), 1.3, 2.5; 4.9 − 0.7 ≥ 3 s: give up.
    expect(sent.map(([t, s]) => [round(t), s.len])).toEqual([
      [0.1, 1000],
      [0.4, 1000],
      [0.7, 1000],
      [1.3, 1000],
      [2.5, 1000],
    ]);
    expect(h.notes('DT-5/tlp').length).toBe(1);
    expect(round(h.now)).toBe(4.9);
    expect(h.conn(fd).state).toBe('CLOSED');
  });

  it('DT-5 TLP: with several packets out the PTO is 2·SRTT + 2 ms (in jiffies, fired one tick late); an ACK covering the probe ends the episode', () => {
    const { h, fd, A } = est(linux, 10 * MS);
    h.ok({ op: 'send', fd, bytes: 3 * 1448 });
    const first = h.takeSegs();
    expect(first.length).toBe(3);
    const t0 = h.now;
    h.fireNext();
    // PTO = 20 + 2 ms → 6 jiffies (24 ms) + 1 tick = 28 ms, well before the RTO (212 ms).
    expect(h.now - t0).toBe(28 * MS);
    h.expectSeg({ seq: first[2]!.seq, len: first[2]!.len });
    expect(h.conn(fd).tlpHighSeq).toBe(A(3 * 1448));
    expect(h.conn(fd).retransmitAt! - h.now).toBe(h.conn(fd).rto);
    // An ACK exactly at the probe's SND.NXT may be the original's: the episode stays open
    // (tcp_process_tlp_ack), and the next tail gets no probe until an ACK passes it.
    h.inject(seg({ flags: ACK, seq: P1, ack: A(3 * 1448), window: 502 }));
    expect(h.conn(fd).tlpHighSeq).toBe(A(3 * 1448));
    expect(h.conn(fd).tlpAt).toBeNull();
    h.ok({ op: 'send', fd, bytes: 100 });
    h.takeSegs();
    h.fireNext();
    expect(h.notes('DT-5/tlp').length).toBe(1); // no second probe: the RTO fired
    expect(h.notes('DT-5/rto').length).toBe(1);
    expect(h.conn(fd).tlpHighSeq).toBeNull(); // the RTO ends the episode
  });

  it('DT-5 TLP needs SACK: without it the first retransmission is the RTO', () => {
    const h = listening(linux);
    h.inject(seg({ flags: SYN, seq: PEER_ISN, window: 64240, options: [{ kind: 'mss', mss: 1460 }] }));
    const sa = h.expectSeg({ flags: SYN | ACK });
    h.now += 100 * MS;
    h.inject(seg({ flags: ACK, seq: P1, ack: seqAdd(sa.seq, 1), window: 502 }));
    const fd = h.ok({ op: 'accept', fd: 3 });
    h.ok({ op: 'send', fd, bytes: 500 });
    h.takeSegs();
    h.fireNext();
    expect(h.notes('DT-5/rto').length).toBe(1);
    expect(h.notes('DT-5/tlp').length).toBe(0);
  });
});
