/**
 * Linux rules found by replaying the recorded 6.18.44 corpus on the model (agreement helper), each
 * checked on the `linux` profile and, where it is a profile field, against `rfc9293`. The scenario
 * names in the test titles are the recorded traces that show the rule on the real kernel.
 */
import { describe, expect, it } from 'vitest';
import { ACK, FIN, RST, SYN } from '../../src/wire/types.js';
import { seqAdd } from '../../src/wire/seq.js';
import { linux, rfc9293 } from '../../src/model/profiles.js';
import { HOST_PORT, MS, PEER_ISN, establishedPassive, lastTsVal, seg, synReceived, tsOpt, peerSynOptions } from './helpers.js';

const P1 = PEER_ISN + 1;

describe('SYN-RECEIVED: TSecr must be a TSval of our SYN-ACK (tcp_check_req tsecr_reject)', () => {
  it('HS-1 RS-2 linux: an RST whose TSecr is not our SYN-ACK TSval is dropped; the request survives (rs-rst-syn-received-exact)', () => {
    const { h, iss } = synReceived(linux, peerSynOptions(5000));
    const synAckTs = lastTsVal(h.log.flatMap((o) => (o.kind === 'segment' ? [o.seg] : []))[0]!);
    h.now += 20 * MS;
    h.inject(seg({ flags: RST, seq: P1, options: tsOpt(5020, synAckTs + 19) }));
    h.expectNoSeg();
    h.inject(seg({ flags: ACK, seq: P1, ack: seqAdd(iss, 1), options: tsOpt(5030, synAckTs) }));
    expect(h.connByPorts(HOST_PORT, 40000)!.state).toBe('ESTABLISHED');
  });

  it('HS-1 linux: a third ACK with a foreign TSecr is answered with an ACK and the request stays; rfc9293 accepts it', () => {
    const { h, iss } = synReceived(linux, peerSynOptions(5000));
    const synAckTs = lastTsVal(h.log.flatMap((o) => (o.kind === 'segment' ? [o.seg] : []))[0]!);
    h.inject(seg({ flags: ACK, seq: P1, ack: seqAdd(iss, 1), options: tsOpt(5001, synAckTs + 1000) }));
    h.expectSeg({ flags: ACK, seq: seqAdd(iss, 1), ack: P1 });
    expect(h.connByPorts(HOST_PORT, 40000)!.state).toBe('SYN-RECEIVED');
    const r = synReceived(rfc9293, peerSynOptions(5000));
    const ts2 = lastTsVal(r.h.log.flatMap((o) => (o.kind === 'segment' ? [o.seg] : []))[0]!);
    r.h.inject(seg({ flags: ACK, seq: P1, ack: seqAdd(r.iss, 1), options: tsOpt(5001, ts2 + 1000) }));
    expect(r.h.connByPorts(HOST_PORT, 40000)!.state).toBe('ESTABLISHED');
  });
});

describe('ACK sequence number when the peer shrank its window (tcp_acceptable_seq)', () => {
  it('FC-1 linux: a bare ACK carries SND.UNA + SND.WND when SND.NXT is beyond the peer window; rfc9293 SND.NXT (gen-1-0047)', () => {
    for (const [profile, want] of [[linux, 'edge'], [rfc9293, 'nxt']] as const) {
      const { h, iss } = establishedPassive(profile, false);
      const A = (n: number) => seqAdd(iss, 1 + n);
      h.ok({ op: 'setsockopt', fd: 4, opt: 'TCP_NODELAY', value: 1 });
      h.ok({ op: 'send', fd: 4, bytes: 2000 });
      h.takeSegs();
      // The peer acknowledges nothing, sends data, then shrinks its window to 4 units (4 << 7 =
      // 512 bytes) on a later segment (a newer seq, so tcp_may_update_window takes it). SND.NXT is
      // then 1488 bytes past the right edge: more than one unit of our window scale (2^10).
      h.inject(seg({ flags: ACK, seq: P1, ack: A(0), len: 100 }));
      h.wait(300 * MS);
      h.takeSegs();
      h.inject(seg({ flags: ACK, seq: P1 + 100, ack: A(0), window: 4, len: 100 }));
      const acks = h.takeSegs().filter((s) => s.len === 0);
      h.wait(300 * MS);
      const all = [...acks, ...h.takeSegs().filter((s) => s.len === 0 && (s.flags & FIN) === 0)];
      expect(all.length).toBeGreaterThan(0);
      expect(all[0]!.seq).toBe(want === 'edge' ? A(512) : A(2000));
    }
  });
});

describe('CLOSE-WAIT: a retransmitted FIN (tcp_rcv_state_process → tcp_data_queue)', () => {
  it('CT-4 DT-13 linux: a duplicate FIN in CLOSE-WAIT is ACKed at once with a D-SACK for it (ct-duplicate-fin-close-wait)', () => {
    const { h, iss } = establishedPassive(linux, false);
    h.inject(seg({ flags: FIN | ACK, seq: P1, ack: seqAdd(iss, 1) }));
    h.wait(50 * MS);
    h.takeSegs();
    h.inject(seg({ flags: FIN | ACK, seq: P1, ack: seqAdd(iss, 1) }));
    const a = h.expectSeg({ flags: ACK, ack: P1 + 1 });
    expect(a.options).toContainEqual({ kind: 'sack', blocks: [{ left: P1, right: P1 + 1 }] });
  });
});

describe('SACK blocks in Linux order (tcp_sack_new_ofo_skb)', () => {
  it('DT-3 linux: a block extended by new data moves to the front (dt-ooo-aceg-fdb-*)', () => {
    const { h, iss } = establishedPassive(linux, false);
    const A1 = seqAdd(iss, 1);
    const data = (off: number) => h.inject(seg({ flags: ACK, seq: P1 + off, ack: A1, len: 1000 }));
    data(2000); // [2001, 3001)
    data(4000); // [4001, 5001)
    data(6000); // [6001, 7001)
    h.takeSegs();
    data(5000); // extends [4001, 5001) to [4001, 7001): merged block first, the older one after
    const a = h.expectSeg({ flags: ACK, ack: P1 });
    expect(a.options).toContainEqual({ kind: 'sack', blocks: [{ left: P1 + 4000, right: P1 + 6000 + 1000 }, { left: P1 + 2000, right: P1 + 3000 }] });
  });
});

describe('delayed ACK with ato 0 (tcp_send_delayed_ack)', () => {
  it('DT-12 linux: the ACK of a FIN on a connection that received no data goes one jiffy later, and at once on the next ACK check (gen-1-0082, gen-1-0408)', () => {
    const { h, iss } = establishedPassive(linux, false);
    h.inject(seg({ flags: FIN | ACK, seq: P1, ack: seqAdd(iss, 1) }));
    h.expectNoSeg();
    expect(h.deadline).toBe(h.now + linux.timerGranularity);
    h.inject(seg({ flags: ACK, seq: P1 + 1000, ack: seqAdd(iss, 1) }));
    h.expectSeg({ flags: ACK, ack: P1 + 1 });
  });
});

describe('repeated options in a SYN (tcp_parse_options overwrites)', () => {
  it('HS-8 HD-3 the last of two MSS options counts: <mss 1000,mss 500> gives 500-byte segments (hd-syn-duplicate-mss)', () => {
    const { h, iss } = synReceived(linux, [{ kind: 'mss', mss: 1000 }, { kind: 'mss', mss: 500 }]);
    h.inject(seg({ flags: ACK, seq: P1, ack: seqAdd(iss, 1) }));
    const fd = h.ok({ op: 'accept', fd: 3 });
    h.ok({ op: 'send', fd, bytes: 1200 });
    expect(h.takeSegs().map((s) => s.len)).toEqual([500, 500, 200]);
  });

  it('HS-9 the last window scale and timestamp options count; an MSS of 0 does not replace a real one', () => {
    const { h } = synReceived(linux, [
      { kind: 'mss', mss: 1200 },
      { kind: 'mss', mss: 0 },
      { kind: 'wscale', shift: 2 },
      { kind: 'wscale', shift: 5 },
      { kind: 'ts', val: 1, ecr: 0 },
      { kind: 'ts', val: 77, ecr: 0 },
    ]);
    const c = h.connByPorts(HOST_PORT, 40000)!;
    expect([c.peerMss, c.sndWscale, c.tsRecent]).toEqual([1200, 5, 77]);
  });
});

describe('timewait minisock window (tcp_time_wait tw_rcv_wnd, tcp_v4_timewait_ack)', () => {
  const closeActive = (profile: typeof linux, finWithAck: boolean): number[] => {
    const { h, iss } = synReceived(profile, [{ kind: 'mss', mss: 1460 }]);
    h.inject(seg({ flags: ACK, seq: P1, ack: seqAdd(iss, 1) }));
    const fd = h.ok({ op: 'accept', fd: 3 });
    h.ok({ op: 'close', fd });
    h.takeSegs();
    if (!finWithAck) h.inject(seg({ flags: ACK, seq: P1, ack: seqAdd(iss, 2) }));
    h.inject(seg({ flags: ACK | FIN, seq: P1, ack: seqAdd(iss, 2) }));
    h.now += 300 * MS;
    h.inject(seg({ flags: ACK | FIN, seq: P1, ack: seqAdd(iss, 2) })); // retransmitted FIN, answered from TIME-WAIT
    return h.takeSegs().map((s) => s.window);
  };

  it('CT-2 CT-7 linux: an orphan in FIN-WAIT-2 is a minisock: the ACKs of the FIN keep its window, 64240 not 64239 (ct-active-close-none)', () => {
    expect(closeActive(linux, false)).toEqual([64240, 64240]);
  });

  it('CT-2 CT-7 linux: a FIN on the ACK of our FIN is answered by the full socket (64239), and TIME-WAIT keeps that (ct-three-segment-close-active-none); rfc9293 offers the current window', () => {
    expect(closeActive(linux, true)).toEqual([64239, 64239]);
    expect(closeActive(rfc9293, false)).toEqual([64239, 64239]);
  });
});
