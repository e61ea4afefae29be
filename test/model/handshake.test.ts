/**
 * Connection establishment (HS-*): passive and active open, simultaneous open, old duplicate
 * SYN-ACK, option negotiation, MSS, SYN and SYN-ACK retransmission schedules, and the Linux
 * reference handshake byte for byte (flags, options and their order, windows, MSS).
 */
import { describe, expect, it } from 'vitest';
import { ACK, FIN, RST, SYN } from '../../src/wire/types.js';
import { seqAdd } from '../../src/wire/seq.js';
import { linux, linux612, rfc9293 } from '../../src/model/profiles.js';
import {
  HOST_PORT, Host, MS, PEER_ISN, S, establishedActive, establishedPassive, lastTsVal, listening, peerSynOptions, seg,
  synReceived, synSent, toActive, tsOpt,
} from './helpers.js';

describe('LISTEN → SYN-RECEIVED → ESTABLISHED (passive open)', () => {
  it('HS-1 passive three-way handshake: SYN → SYN-ACK(ack=ISN+1) → ACK, states LISTEN→SYN-RECEIVED→ESTABLISHED', () => {
    const { h, iss } = synReceived();
    const child = h.connByPorts(HOST_PORT, 40000)!;
    expect(child.state).toBe('SYN-RECEIVED');
    h.inject(seg({ flags: ACK, seq: PEER_ISN + 1, ack: seqAdd(iss, 1), options: tsOpt(5001, 0) }));
    expect(h.connByPorts(HOST_PORT, 40000)!.state).toBe('ESTABLISHED');
    const tr = h.log.filter((o) => o.kind === 'transition').map((o) => (o.kind === 'transition' ? `${o.from}>${o.to}` : ''));
    expect(tr).toEqual(['CLOSED>LISTEN', 'LISTEN>SYN-RECEIVED', 'SYN-RECEIVED>ESTABLISHED']);
  });

  it('HS-13 accept() returns only after the third segment', () => {
    const { h, iss } = synReceived();
    expect(h.call({ op: 'accept', fd: 3 })).toEqual({ ok: false, errno: 'EAGAIN' });
    h.inject(seg({ flags: ACK, seq: PEER_ISN + 1, ack: seqAdd(iss, 1), options: tsOpt(5001, 0) }));
    expect(h.events('accept-ready').length).toBe(1);
    expect(h.call({ op: 'accept', fd: 3 })).toEqual({ ok: true, value: 4 });
  });

  it('HS-2 the third segment may carry data, readable after accept (LQ-5)', () => {
    const { h, iss } = synReceived();
    h.inject(seg({ flags: ACK, seq: PEER_ISN + 1, ack: seqAdd(iss, 1), len: 100, options: tsOpt(5001, 0) }));
    const fd = h.ok({ op: 'accept', fd: 3 });
    expect(h.call({ op: 'recv', fd, bytes: 1000 })).toEqual({ ok: true, value: 100 });
  });

  it('HS-1 linux SYN-ACK matches the reference: mss 1460,sackOK,TS,nop,wscale 10, window 65160 with TS', () => {
    const h = listening();
    h.inject(seg({ flags: SYN, window: 64240, options: peerSynOptions(777) }));
    const sa = h.expectSeg({ flags: SYN | ACK, ack: PEER_ISN + 1, window: 65160, len: 0 });
    expect(sa.options.map((o) => o.kind)).toEqual(['mss', 'sackOk', 'ts', 'nop', 'wscale']);
    expect(sa.options[0]).toEqual({ kind: 'mss', mss: 1460 });
    expect(sa.options[2]).toMatchObject({ kind: 'ts', ecr: 777 });
    expect(sa.options[4]).toEqual({ kind: 'wscale', shift: 10 });
  });

  it('HS-9 SYN-ACK without TS in the SYN: mss,nop,nop,sackOK,nop,wscale and window 64240', () => {
    const h = listening();
    h.inject(seg({ flags: SYN, options: [{ kind: 'mss', mss: 1460 }, { kind: 'sackOk' }, { kind: 'nop' }, { kind: 'wscale', shift: 7 }] }));
    const sa = h.expectSeg({ flags: SYN | ACK, window: 64240 });
    expect(sa.options.map((o) => o.kind)).toEqual(['mss', 'nop', 'nop', 'sackOk', 'nop', 'wscale']);
  });

  it('HS-9 a SYN with no options gets a SYN-ACK with only mss 1460; no scaling afterwards', () => {
    const h = listening();
    h.inject(seg({ flags: SYN }));
    const sa = h.expectSeg({ flags: SYN | ACK, window: 64240 });
    expect(sa.options).toEqual([{ kind: 'mss', mss: 1460 }]);
    h.inject(seg({ flags: ACK, seq: PEER_ISN + 1, ack: seqAdd(sa.seq, 1), window: 1000 }));
    const c = h.connByPorts(HOST_PORT, 40000)!;
    expect(c.wscaleOk).toBe(false);
    expect(c.sndWnd).toBe(1000);
    expect(c.sackOk).toBe(false);
    expect(c.tsOk).toBe(false);
  });

  it('HS-8 MSS 536 when the SYN has no MSS option; no data segment exceeds it', () => {
    const h = listening();
    h.inject(seg({ flags: SYN }));
    const sa = h.expectSeg({ flags: SYN | ACK });
    h.inject(seg({ flags: ACK, seq: PEER_ISN + 1, ack: seqAdd(sa.seq, 1), window: 65535 }));
    const fd = h.ok({ op: 'accept', fd: 3 });
    expect(h.ok({ op: 'send', fd, bytes: 2000 })).toBe(2000);
    const lens = h.takeSegs().map((s) => s.len);
    expect(lens).toEqual([536, 536, 536, 392]);
  });

  it('HS-8 send MSS = min(peer MSS, MTU−40) − 12 with timestamps', () => {
    const { h } = establishedPassive(linux, true);
    expect(h.conn(4).mssCache).toBe(1448);
    const h2 = listening();
    h2.inject(seg({ flags: SYN, options: [{ kind: 'mss', mss: 1000 }, { kind: 'sackOk' }, { kind: 'ts', val: 1, ecr: 0 }] }));
    h2.expectSeg({ flags: SYN | ACK });
    expect(h2.connByPorts(HOST_PORT, 40000)!.mssCache).toBe(988);
  });

  it('HS-7 passive first ACK window: 64 with TS (65160 rounded up to 2^10)', () => {
    const { h } = establishedPassive(linux, true);
    h.inject(seg({ flags: ACK, seq: PEER_ISN + 1, ack: seqAdd(h.conn(4).iss, 1), len: 10, options: tsOpt(5002, 0) }));
    h.wait(200 * MS);
    h.expectSeg({ flags: ACK, window: 64 });
  });

  it('LQ-1 SYN to a listener: the child sits in the SYN queue, then the accept queue', () => {
    const { h, iss } = synReceived();
    const l = h.conn(3);
    expect(l.synQueue.length).toBe(1);
    expect(l.acceptQueue.length).toBe(0);
    h.inject(seg({ flags: ACK, seq: PEER_ISN + 1, ack: seqAdd(iss, 1), options: tsOpt(5001, 0) }));
    expect(h.conn(3).synQueue.length).toBe(0);
    expect(h.conn(3).acceptQueue.length).toBe(1);
  });
});

describe('CLOSED → SYN-SENT → ESTABLISHED (active open)', () => {
  it('HS-1 linux SYN matches the reference: mss 1460,sackOK,TS val X ecr 0,nop,wscale 10, window 64240', () => {
    const { syn } = synSent();
    expect(syn.flags).toBe(SYN);
    expect(syn.window).toBe(64240);
    expect(syn.ack).toBe(0);
    expect(syn.len).toBe(0);
    expect(syn.options.map((o) => o.kind)).toEqual(['mss', 'sackOk', 'ts', 'nop', 'wscale']);
    expect(syn.options[0]).toEqual({ kind: 'mss', mss: 1460 });
    expect(syn.options[2]).toMatchObject({ kind: 'ts', ecr: 0 });
    expect(syn.options[4]).toEqual({ kind: 'wscale', shift: 10 });
  });

  it('HS-1 linux612 profile offers window scale 7', () => {
    const { syn } = synSent(linux612);
    expect(syn.options[4]).toEqual({ kind: 'wscale', shift: 7 });
  });

  it('HS-13 connect() completes on the SYN-ACK; first ACK window 63 (active open)', () => {
    const { h, syn, port } = synSent();
    h.inject(toActive(port, { flags: SYN | ACK, seq: PEER_ISN, ack: seqAdd(syn.seq, 1), window: 65160, options: [{ kind: 'mss', mss: 1460 }, { kind: 'sackOk' }, { kind: 'ts', val: 99, ecr: lastTsVal(syn) }, { kind: 'nop' }, { kind: 'wscale', shift: 10 }] }));
    const a = h.expectSeg({ flags: ACK, seq: seqAdd(syn.seq, 1), ack: PEER_ISN + 1, window: 63, len: 0 });
    expect(a.options.map((o) => o.kind)).toEqual(['nop', 'nop', 'ts']);
    expect(a.options[2]).toMatchObject({ ecr: 99 });
    expect(h.events('connected')).toEqual([{ kind: 'event', fd: 3, event: 'connected' }]);
    expect(h.conn(3).state).toBe('ESTABLISHED');
    expect(h.call({ op: 'connect', fd: 3, port: HOST_PORT })).toEqual({ ok: true, value: 0 });
    expect(h.call({ op: 'connect', fd: 3, port: HOST_PORT })).toEqual({ ok: false, errno: 'EISCONN' });
  });

  // The SYN timer is re-armed at TCP_TIMEOUT_MIN (2 jiffies = 8 ms); on 6.18.44 the SYN went out
  // 12.7 ms (rs-rst-syn-sent-ack-iss) and 15.2 ms (hs-old-duplicate-synack-ack-below) later, so
  // the linux profile uses the midpoint of the wheel's 8–16 ms.
  it('HS-3 old duplicate SYN-ACK (ack ≠ ISS+1) → RST seq=SEG.ACK, stay in SYN-SENT, SYN again after 12 ms', () => {
    const { h, syn, port } = synSent();
    h.inject(toActive(port, { flags: SYN | ACK, seq: 5, ack: seqAdd(syn.seq, 1000) }));
    h.expectSeg({ flags: RST, seq: seqAdd(syn.seq, 1000), window: 0, options: [] });
    expect(h.conn(3).state).toBe('SYN-SENT');
    h.wait(11 * MS);
    h.expectNoSeg();
    h.wait(1 * MS);
    h.expectSeg({ flags: SYN, seq: syn.seq });
  });

  it('HS-11 RST|ACK to our SYN → ECONNREFUSED, CLOSED; RS-4 RST without ACK ignored', () => {
    const { h, syn, port } = synSent();
    h.inject(toActive(port, { flags: RST, seq: 0 }));
    expect(h.conn(3).state).toBe('SYN-SENT');
    h.inject(toActive(port, { flags: RST | ACK, seq: 0, ack: seqAdd(syn.seq, 1) }));
    expect(h.conn(3).state).toBe('CLOSED');
    expect(h.events('error')).toEqual([{ kind: 'event', fd: 3, event: 'error', errno: 'ECONNREFUSED' }]);
    expect(h.call({ op: 'connect', fd: 3, port: HOST_PORT })).toEqual({ ok: false, errno: 'ECONNREFUSED' });
    h.expectNoSeg();
  });

  it('HS-11 SYN to a port with no listener → RST|ACK ack=SEG.SEQ+1, window 0, no options', () => {
    const h = new Host();
    h.inject(seg({ flags: SYN, seq: 77, options: peerSynOptions() }));
    h.expectSeg({ flags: RST | ACK, seq: 0, ack: 78, window: 0, options: [], srcPort: HOST_PORT, dstPort: 40000 });
  });

  it('HS-9 options take effect only when both sides offer them (peer without TS/SACK/wscale)', () => {
    const { h, syn, port } = synSent();
    h.inject(toActive(port, { flags: SYN | ACK, seq: PEER_ISN, ack: seqAdd(syn.seq, 1), window: 5000, options: [{ kind: 'mss', mss: 1200 }] }));
    const a = h.expectSeg({ flags: ACK });
    expect(a.options).toEqual([]);
    const c = h.conn(3);
    expect([c.tsOk, c.sackOk, c.wscaleOk, c.rcvWscale, c.sndWscale]).toEqual([false, false, false, 0, 0]);
    expect(c.mssCache).toBe(1200);
    expect(a.window).toBe(64240);
  });

  it('HS-9 the window field of a SYN-ACK is not scaled, later ones are', () => {
    const { h, iss } = establishedActive();
    expect(h.conn(3).sndWnd).toBe(65535);
    h.inject(toActive(h.conn(3).localPort, { flags: ACK, seq: PEER_ISN + 1, ack: seqAdd(iss, 1), window: 100 }));
    expect(h.conn(3).sndWnd).toBe(100 << 7);
  });

  it('HS-5 HS-12 SYN retransmissions at 0,1,2,3,4,5,7,11,19,35,67 s, ETIMEDOUT at 131 s (linux)', () => {
    const { h } = synSent();
    const times: number[] = [0];
    for (;;) {
      if (h.deadline === null) break;
      h.fireNext();
      for (const s of h.takeSegs()) {
        expect(s.flags).toBe(SYN);
        times.push(h.now / S);
      }
    }
    expect(times).toEqual([0, 1, 2, 3, 4, 5, 7, 11, 19, 35, 67]);
    expect(h.now).toBe(131 * S);
    expect(h.events('error')).toEqual([{ kind: 'event', fd: 3, event: 'error', errno: 'ETIMEDOUT' }]);
    expect(h.conn(3).state).toBe('CLOSED');
  });

  it('HS-5 rfc9293 profile: exponential SYN backoff 1,2,4,…, RTO capped at 60 s, give-up at 123 s', () => {
    const { h } = synSent(rfc9293);
    const times: number[] = [0];
    while (h.deadline !== null) {
      h.fireNext();
      for (const _ of h.takeSegs()) times.push(h.now / S);
    }
    expect(times).toEqual([0, 1, 3, 7, 15, 31, 63]);
    expect(h.now).toBe(123 * S);
    expect(h.events('error')[0]).toMatchObject({ errno: 'ETIMEDOUT' });
  });

  it('HS-5 data RTO after retransmitted SYNs falls back to 3 s (RFC 6298 §5.7)', () => {
    const { h, syn, port } = synSent();
    h.wait(1 * S);
    h.takeSegs();
    h.inject(toActive(port, { flags: SYN | ACK, seq: PEER_ISN, ack: seqAdd(syn.seq, 1), options: [{ kind: 'mss', mss: 1460 }] }));
    expect(h.conn(3).rto).toBe(3 * S);
  });
});

describe('initial sequence numbers', () => {
  it('HS-4 ISN is keyed by the 4-tuple and seed and driven by a 4 µs clock; incarnations differ, runs repeat', async () => {
    const { initialSeq } = await import('../../src/model/isn.js');
    const a = initialSeq(1, 0, '192.0.2.1', 80, '192.0.2.2', 40000);
    expect(initialSeq(1, 0, '192.0.2.1', 80, '192.0.2.2', 40000)).toBe(a); // deterministic
    expect(initialSeq(1, 0, '192.0.2.1', 80, '192.0.2.2', 40001)).not.toBe(a); // keyed by the tuple
    expect(initialSeq(2, 0, '192.0.2.1', 80, '192.0.2.2', 40000)).not.toBe(a); // keyed by the secret
    expect((initialSeq(1, 4_000_000, '192.0.2.1', 80, '192.0.2.2', 40000) - a) >>> 0).toBe(1_000_000); // M ticks every 4 µs (RFC 6528)
    expect((initialSeq(1, 1000, '192.0.2.1', 80, '192.0.2.2', 40000, linux.isnTickUs) - a) >>> 0).toBe(15625); // Linux: ns >> 6
    const h = synSent();
    const h2 = synSent();
    expect(h.syn.seq).toBe(h2.syn.seq);
  });
});

describe('simultaneous open and SYN-ACK retransmission', () => {
  it('HS-10 SYN-SENT + SYN → SYN-RECEIVED with SYN|ACK (same ISN and options) → ESTABLISHED with D-SACK 0:1', () => {
    const { h, syn, port } = synSent();
    h.inject(toActive(port, { flags: SYN, seq: PEER_ISN, window: 64240, options: peerSynOptions(300, 10) }));
    const sa = h.expectSeg({ flags: SYN | ACK, seq: syn.seq, ack: PEER_ISN + 1, window: 64240 });
    expect(sa.options.map((o) => o.kind)).toEqual(['mss', 'sackOk', 'ts', 'nop', 'wscale']);
    expect(sa.options[2]).toMatchObject({ ecr: 300 });
    expect(h.conn(3).state).toBe('SYN-RECEIVED');
    h.inject(toActive(port, { flags: SYN | ACK, seq: PEER_ISN, ack: seqAdd(syn.seq, 1), window: 64240, options: peerSynOptions(301, 10) }));
    expect(h.conn(3).state).toBe('ESTABLISHED');
    expect(h.events('connected').length).toBe(1);
    const a = h.expectSeg({ flags: ACK, ack: PEER_ISN + 1 });
    const sack = a.options.find((o) => o.kind === 'sack');
    expect(sack).toEqual({ kind: 'sack', blocks: [{ left: PEER_ISN, right: PEER_ISN + 1 }] });
  });

  it('HS-6 HS-7 SYN-ACK retransmitted at 1,3,7,15,31 s; request dropped silently at 63 s (LQ-7)', () => {
    const { h } = synReceived();
    const times: number[] = [];
    while (h.deadline !== null) {
      h.fireNext();
      for (const s of h.takeSegs()) {
        expect(s.flags).toBe(SYN | ACK);
        times.push(h.now / S);
      }
    }
    expect(times).toEqual([1, 3, 7, 15, 31]);
    expect(h.now).toBe(63 * S);
    expect(h.conn(3).synQueue).toEqual([]);
    expect(h.ep.conns.length).toBe(1);
  });

  it('HS-6 a retransmitted SYN gets an immediate SYN-ACK, at most one per 500 ms', () => {
    const { h } = synReceived();
    h.wait(100 * MS);
    h.inject(seg({ flags: SYN, window: 64240, options: peerSynOptions() }));
    h.expectSeg({ flags: SYN | ACK });
    h.inject(seg({ flags: SYN, window: 64240, options: peerSynOptions() }));
    h.expectNoSeg();
    h.wait(500 * MS);
    h.takeSegs();
    h.inject(seg({ flags: SYN, window: 64240, options: peerSynOptions() }));
    h.expectSeg({ flags: SYN | ACK });
  });

  it('HS-7 lost third ACK: data from the client completes the handshake', () => {
    const { h, iss } = synReceived();
    h.wait(1 * S);
    h.expectSeg({ flags: SYN | ACK });
    h.inject(seg({ flags: ACK, seq: PEER_ISN + 1, ack: seqAdd(iss, 1), len: 50, options: tsOpt(6000, 0) }));
    expect(h.connByPorts(HOST_PORT, 40000)!.state).toBe('ESTABLISHED');
    expect(h.connByPorts(HOST_PORT, 40000)!.readable).toBe(50);
  });

  it('HS-1 SYN-RECEIVED: an ACK that does not acknowledge our SYN → RST seq=SEG.ACK', () => {
    const { h, iss } = synReceived();
    h.inject(seg({ flags: ACK, seq: PEER_ISN + 1, ack: seqAdd(iss, 5) }));
    h.expectSeg({ flags: RST, seq: seqAdd(iss, 5) });
    expect(h.connByPorts(HOST_PORT, 40000)!.state).toBe('SYN-RECEIVED');
  });

  it('HS-1 SYN+FIN to a listener is dropped', () => {
    const h = listening();
    h.inject(seg({ flags: SYN | FIN }));
    h.expectNoSeg();
    expect(h.conn(3).synQueue).toEqual([]);
  });
});
