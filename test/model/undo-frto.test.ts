/**
 * Linux undo and F-RTO, and an RTO during fast recovery (CC-4, CC-5, DT-5, DT-6, DT-8), with the
 * exact numbers of the recordings made for them on 6.18.44 (corpus/scenarios/congestion:
 * cc-undo-dsack-*, cc-undo-timestamp, cc-undo-none, cc-rto-during-recovery-*, cc-frto-*).
 * Fixture: passive ESTABLISHED, peer MSS 1460 (no timestamps unless said, so segments are 1460
 * bytes), a large send buffer, no tail loss probe and no RACK unless said; segment n = bytes at(n)..at(n + 1).
 */
import { describe, expect, it } from 'vitest';
import { ACK, SYN } from '../../src/wire/types.js';
import type { TcpOption } from '../../src/wire/types.js';
import { seqAdd, seqDist } from '../../src/wire/seq.js';
import { linux, rfc9293 } from '../../src/model/profiles.js';
import type { Profile } from '../../src/model/profile-type.js';
import { applySysctls } from '../../src/model/sysctls.js';
import { Host, PEER_ISN, establishedPassive, lastTsVal, seg, synReceived, tsOpt } from './helpers.js';

const P1 = PEER_ISN + 1;
// The ACKs here arrive with no time between them; RACK (rack.test.ts) would judge the first SACK
// already decisive, where the recordings' 1 ms spacing let the third SACK come first.
const noTlp: Profile = { ...linux, tlp: false, rack: false };
const INFINITE = 0x7fffffff;

function est(opts: { sack: boolean; ts?: boolean; profile?: Profile }) {
  const profile = opts.profile ?? noTlp;
  let r: { h: Host; iss: number; fd: number };
  if (opts.sack) {
    r = establishedPassive(profile, opts.ts === true);
  } else {
    const { h, iss } = synReceived(profile, [{ kind: 'mss', mss: 1460 }, { kind: 'nop' }, { kind: 'wscale', shift: 7 }]);
    h.inject(seg({ flags: ACK, seq: P1, ack: seqAdd(iss, 1), window: 502 }));
    r = { h, iss, fd: h.ok({ op: 'accept', fd: 3 }) };
  }
  r.h.ok({ op: 'setsockopt', fd: r.fd, opt: 'SO_SNDBUF', value: 2_000_000 });
  expect(r.h.conn(r.fd).sackOk).toBe(opts.sack);
  const mss = opts.ts === true ? 1448 : 1460;
  return { ...r, mss, at: (n: number): number => 1 + n * mss };
}

type Fx = ReturnType<typeof est>;

/** The peer's ACK of segment `n` (bytes before at(n)), with SACK blocks [first, end) in segments, and a TS echo. */
function ack(f: Fx, n: number, blocks: [number, number][] = [], ecr?: number): void {
  const options: TcpOption[] = [];
  if (ecr !== undefined) options.push(...tsOpt(9000, ecr));
  if (blocks.length > 0) options.push({ kind: 'nop' }, { kind: 'nop' }, { kind: 'sack', blocks: blocks.map(([l, r]) => ({ left: seqAdd(f.iss, f.at(l)), right: seqAdd(f.iss, f.at(r)) })) });
  f.h.inject(seg({ flags: ACK, seq: P1, ack: seqAdd(f.iss, f.at(n)), window: 502, options }));
}

function sent(f: Fx): number[] {
  return f.h.takeSegs().filter((s) => (s.flags & SYN) === 0 && s.len > 0).map((s) => (seqDist(f.iss, s.seq) - 1) / f.mss);
}

/** Six segments out; SACKs for 1..3 make the third the fast retransmission of segment 0, then 1..4 SACKed. */
function fastRetransmitOfSix(f: Fx, ecr?: () => number): void {
  f.h.ok({ op: 'send', fd: f.fd, bytes: 6 * f.mss });
  expect(sent(f)).toEqual([0, 1, 2, 3, 4, 5]);
  ack(f, 0, [[1, 2]], ecr?.());
  ack(f, 0, [[1, 3]], ecr?.());
  ack(f, 0, [[1, 4]], ecr?.());
  expect(sent(f)).toEqual([0]);
  ack(f, 0, [[1, 5]], ecr?.());
  const c = f.h.conn(f.fd);
  expect(c.cc.caState).toBe('recovery');
  expect(c.ssthresh).toBe(5); // max(cwnd 10 / 2, 2)
  expect(c.cc.priorCwnd).toBe(10);
  expect(c.cc.priorSsthresh).toBe(INFINITE); // tcp_current_ssthresh in Open: max(ssthresh, ¾ cwnd)
  expect(c.cc.undoMarker).toBe(seqAdd(f.iss, 1));
  expect(c.cc.undoRetrans).toBe(1);
}

describe('CC-5 DT-8 Linux undo of a spurious fast retransmission', () => {
  it('CC-5 DT-8 a D-SACK for the only retransmission after recovery ended: cwnd 5 → 10, ssthresh 5 → unlimited; the next burst is 10 segments (cc-undo-dsack-nots)', () => {
    const f = est({ sack: true });
    fastRetransmitOfSix(f);
    ack(f, 6); // everything: recovery ends with cwnd = ssthresh
    let c = f.h.conn(f.fd);
    expect(c.cc.caState).toBe('open');
    expect(c.cwnd).toBe(5);
    ack(f, 6, [[0, 1]]); // D-SACK: segment 0 arrived twice
    c = f.h.conn(f.fd);
    expect(c.cc.undoRetrans).toBe(0);
    expect(c.cc.undoMarker).toBe(null);
    expect(c.cwnd).toBe(10);
    expect(c.ssthresh).toBe(INFINITE);
    f.h.ok({ op: 'send', fd: f.fd, bytes: 20 * f.mss });
    expect(sent(f)).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
  });

  it('CC-5 control: no evidence, no undo — the burst after recovery is ssthresh = 5 segments (cc-undo-none)', () => {
    const f = est({ sack: true });
    fastRetransmitOfSix(f);
    ack(f, 6);
    f.h.ok({ op: 'send', fd: f.fd, bytes: 20 * f.mss });
    expect(sent(f)).toEqual([6, 7, 8, 9, 10]);
    expect(f.h.conn(f.fd).cc.undoMarker).toBe(seqAdd(f.iss, 1));
  });

  it('CC-5 a full ACK echoing the original segment\'s timestamp (older than the retransmission) undoes at the end of recovery: cwnd max(PRR, 10) + 2 delivered = 12 (cc-undo-timestamp)', () => {
    const f = est({ sack: true, ts: true });
    f.h.ok({ op: 'send', fd: f.fd, bytes: 6 * f.mss });
    const firstTs = lastTsVal(f.h.pending[0]!);
    expect(sent(f)).toEqual([0, 1, 2, 3, 4, 5]);
    f.h.wait(20_000);
    for (let k = 2; k <= 4; k++) ack(f, 0, [[1, k]], firstTs);
    const retrans = f.h.takeSegs().filter((s) => s.len > 0);
    expect(retrans.map((s) => seqDist(f.iss, s.seq))).toEqual([f.at(0)]);
    expect(lastTsVal(retrans[0]!)).toBe(firstTs + 20); // retrans_stamp 20 ms after the original
    ack(f, 0, [[1, 5]], firstTs);
    ack(f, 6, [], firstTs); // the original arrived: its TSval is echoed
    const c = f.h.conn(f.fd);
    expect(c.cc.caState).toBe('open');
    expect(c.cwnd).toBe(12);
    expect(c.ssthresh).toBe(INFINITE);
    f.h.ok({ op: 'send', fd: f.fd, bytes: 20 * f.mss });
    expect(sent(f).length).toBe(12);
  });

  it('CC-5 the same ACK echoing the retransmission\'s timestamp does not undo: cwnd = ssthresh 5', () => {
    const f = est({ sack: true, ts: true });
    f.h.ok({ op: 'send', fd: f.fd, bytes: 6 * f.mss });
    const firstTs = lastTsVal(f.h.pending[0]!);
    sent(f);
    f.h.wait(20_000);
    for (let k = 2; k <= 5; k++) ack(f, 0, [[1, k]], firstTs);
    ack(f, 6, [], firstTs + 20);
    expect(f.h.conn(f.fd).cwnd).toBe(5);
    expect(f.h.conn(f.fd).ssthresh).toBe(5);
  });

  it('CC-5 partial undo: a partial ACK echoing the original\'s timestamp with no retransmission left out undoes (unmarks losses) and reopens: cwnd max(PRR, 10) + 1 = 11', () => {
    const f = est({ sack: true, ts: true });
    f.h.ok({ op: 'send', fd: f.fd, bytes: 10 * f.mss });
    const firstTs = lastTsVal(f.h.pending[0]!);
    expect(sent(f).length).toBe(10);
    f.h.wait(20_000);
    for (let k = 2; k <= 4; k++) ack(f, 0, [[1, k]], firstTs);
    expect(sent(f)).toEqual([0]);
    expect(f.h.conn(f.fd).cc.caState).toBe('recovery');
    ack(f, 4, [], firstTs); // the original of segment 0 arrived: partial ACK (recovery point 10)
    const c = f.h.conn(f.fd);
    expect(c.cc.caState).toBe('open');
    expect(c.cc.undoMarker).toBe(null);
    expect(c.ssthresh).toBe(INFINITE);
    expect(c.cwnd).toBe(11);
    expect(c.sent.some((r) => r.lost)).toBe(false);
  });

  it('CC-5 profile switches: linux undo and F-RTO on (sysctl tcp_frto 2 → on, 0 → off); rfc9293 neither', () => {
    expect([linux.undo, linux.frto]).toEqual([true, true]);
    expect([rfc9293.undo, rfc9293.frto]).toEqual([false, false]);
    expect(applySysctls(linux, { tcp_frto: 0 }).profile.frto).toBe(false);
    expect(applySysctls(rfc9293, { tcp_frto: 2 }).profile.frto).toBe(true);
  });
});

describe('CC-4 DT-5 an RTO during fast recovery (Linux tcp_enter_loss)', () => {
  it('CC-4 DT-6 ssthresh stays the recovery\'s 5 (not PRR cwnd / 2); slow start 1 → 2 → 4 → 5, then +1 per window (cc-rto-during-recovery-nosack)', () => {
    const f = est({ sack: false });
    f.h.ok({ op: 'send', fd: f.fd, bytes: 10 * f.mss });
    expect(sent(f).length).toBe(10);
    for (let i = 0; i < 4; i++) ack(f, 0);
    expect(sent(f)).toEqual([0]);
    expect(f.h.conn(f.fd).ssthresh).toBe(5);
    const prrCwnd = f.h.conn(f.fd).cwnd;
    expect(prrCwnd).toBeLessThan(10);
    f.h.fireNext(); // the fast retransmission is lost too: RTO
    let c = f.h.conn(f.fd);
    expect(c.cc.caState).toBe('loss');
    expect(c.ssthresh).toBe(5);
    expect(c.cwnd).toBe(1);
    expect(c.cc.frto).toBe(false); // not a new episode and no earlier timeout
    expect(sent(f)).toEqual([0]);
    f.h.ok({ op: 'send', fd: f.fd, bytes: 30 * f.mss });
    expect(sent(f)).toEqual([]);
    ack(f, 1);
    expect(sent(f)).toEqual([1, 2]);
    ack(f, 3);
    expect(sent(f)).toEqual([3, 4, 5, 6]);
    ack(f, 7);
    expect(sent(f)).toEqual([7, 8, 9, 10, 11]);
    c = f.h.conn(f.fd);
    expect(c.cwnd).toBe(5);
    ack(f, 12);
    expect(sent(f)).toEqual([12, 13, 14, 15, 16, 17]);
    expect(f.h.conn(f.fd).cwnd).toBe(6);
  });

  it('CC-4 an RTO from Open halves cwnd into ssthresh and remembers prior_cwnd / prior_ssthresh for undo', () => {
    const f = est({ sack: false });
    f.h.ok({ op: 'send', fd: f.fd, bytes: 10 * f.mss });
    sent(f);
    f.h.fireNext();
    const c = f.h.conn(f.fd);
    expect(c.ssthresh).toBe(5);
    expect(c.cc.priorCwnd).toBe(10);
    expect(c.cc.priorSsthresh).toBe(INFINITE);
    expect(c.cc.frto).toBe(true);
  });
});

describe('DT-5 CC-4 F-RTO (RFC 5682, Linux tcp_frto=2)', () => {
  function rtoOfTen(f: Fx): void {
    f.h.ok({ op: 'send', fd: f.fd, bytes: 30 * f.mss });
    expect(sent(f)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    f.h.fireNext();
    expect(sent(f)).toEqual([0]);
    expect(f.h.conn(f.fd).cc.frto).toBe(true);
  }

  it('DT-5 CC-4 spurious timeout: the ACK of the retransmission sends 2 new segments, not old ones; the ACK of never-retransmitted data undoes: cwnd 13, ssthresh unlimited (cc-frto-spurious-nosack)', () => {
    const f = est({ sack: false });
    rtoOfTen(f);
    ack(f, 1);
    expect(sent(f)).toEqual([10, 11]); // F-RTO step 2b
    let c = f.h.conn(f.fd);
    expect(c.cc.highSeq).toBe(seqAdd(f.iss, f.at(10)));
    expect(c.cwnd).toBe(2);
    ack(f, 4); // segments 1..3 were never retransmitted: step 3b
    c = f.h.conn(f.fd);
    expect(c.cc.caState).toBe('open');
    expect(c.cwnd).toBe(13); // max(2, prior 10) + 3 delivered in slow start
    expect(c.ssthresh).toBe(INFINITE);
    expect(c.sent.some((r) => r.lost)).toBe(false);
    expect(c.retransmits).toBe(0);
    expect(sent(f)).toEqual([12, 13, 14, 15, 16]); // 13 − 8 in flight
  });

  it('DT-5 genuine timeout: after the new data, a SACK of it (not of old data) ends F-RTO and retransmission goes on (cc-frto-real-loss-all)', () => {
    const f = est({ sack: true });
    rtoOfTen(f);
    ack(f, 1);
    expect(sent(f)).toEqual([10, 11]);
    ack(f, 1, [[10, 11]]);
    const c = f.h.conn(f.fd);
    expect(c.cc.frto).toBe(false);
    expect(c.cc.caState).toBe('loss');
    expect(c.ssthresh).toBe(5);
    expect(sent(f)).toEqual([1]);
  });

  it('DT-5 sysctl tcp_frto=0: the ACK of the retransmission retransmits the next lost segments instead (go-back-N)', () => {
    const f = est({ sack: false, profile: applySysctls(noTlp, { tcp_frto: 0 }).profile });
    f.h.ok({ op: 'send', fd: f.fd, bytes: 30 * f.mss });
    sent(f);
    f.h.fireNext();
    expect(sent(f)).toEqual([0]);
    expect(f.h.conn(f.fd).cc.frto).toBe(false);
    ack(f, 1);
    expect(sent(f)).toEqual([1, 2]);
  });
});
