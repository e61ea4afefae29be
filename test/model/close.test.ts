/**
 * Connection termination (CT-*), grouped by state with chained fixtures:
 * FIN-WAIT-1 = ESTABLISHED + close(); FIN-WAIT-2 = FIN-WAIT-1 + ACK of FIN; TIME-WAIT = FIN-WAIT-2 +
 * peer FIN; CLOSE-WAIT = ESTABLISHED + peer FIN; LAST-ACK = CLOSE-WAIT + close(); CLOSING =
 * FIN-WAIT-1 + peer FIN.
 */
import { describe, expect, it } from 'vitest';
import { ACK, FIN, PSH, RST, SYN } from '../../src/wire/types.js';
import { seqAdd } from '../../src/wire/seq.js';
import { linux, rfc9293 } from '../../src/model/profiles.js';
import { HOST_PORT, MS, PEER_ISN, S, establishedPassive, seg } from './helpers.js';

const P1 = PEER_ISN + 1;

function established(profile = linux) {
  const r = establishedPassive(profile, false);
  const conn = () => r.h.connByPorts(HOST_PORT, 40000);
  return { ...r, conn, A: (n: number) => seqAdd(r.iss, 1 + n) };
}

function finWait1(profile = linux) {
  const e = established(profile);
  e.h.ok({ op: 'close', fd: e.fd });
  e.h.expectSeg({ flags: FIN | ACK, seq: e.A(0), ack: P1 });
  expect(e.conn()!.state).toBe('FIN-WAIT-1');
  return e;
}

function finWait2(profile = linux) {
  const e = finWait1(profile);
  e.h.inject(seg({ flags: ACK, seq: P1, ack: e.A(1) }));
  e.h.expectNoSeg();
  expect(e.conn()!.state).toBe('FIN-WAIT-2');
  return e;
}

function timeWait(profile = linux) {
  const e = finWait2(profile);
  e.h.inject(seg({ flags: FIN | ACK, seq: P1, ack: e.A(1) }));
  e.h.expectSeg({ flags: ACK, seq: e.A(1), ack: P1 + 1 });
  expect(e.conn()!.state).toBe('TIME-WAIT');
  return e;
}

function closeWait(profile = linux) {
  const e = established(profile);
  e.h.inject(seg({ flags: FIN | ACK, seq: P1, ack: e.A(0) }));
  expect(e.conn()!.state).toBe('CLOSE-WAIT');
  return e;
}

describe('FIN-WAIT-1 / FIN-WAIT-2 / TIME-WAIT (active close)', () => {
  it('CT-1 four-way close: FIN → FIN-WAIT-1, ACK → FIN-WAIT-2, FIN → TIME-WAIT; FIN takes one sequence number', () => {
    const e = timeWait();
    const tr = e.h.log.filter((o) => o.kind === 'transition' && o.conn === e.conn()!.id).map((o) => (o.kind === 'transition' ? o.to : ''));
    expect(tr).toEqual(['SYN-RECEIVED', 'ESTABLISHED', 'FIN-WAIT-1', 'FIN-WAIT-2', 'TIME-WAIT']);
    expect(e.conn()!.sndNxt).toBe(e.A(1));
  });

  it('CT-2 TIME-WAIT lasts 60 s (linux); a retransmitted FIN is ACKed again and restarts the timer', () => {
    const e = timeWait();
    e.h.wait(30 * S);
    e.h.inject(seg({ flags: FIN | ACK, seq: P1, ack: e.A(1) }));
    e.h.expectSeg({ flags: ACK, ack: P1 + 1 });
    e.h.wait(59 * S);
    expect(e.conn()?.state).toBe('TIME-WAIT');
    e.h.wait(1 * S);
    expect(e.conn()).toBeUndefined();
  });

  it('CT-2 rfc9293 profile: TIME-WAIT is 2·MSL = 240 s', () => {
    const e = timeWait(rfc9293);
    e.h.wait(239 * S);
    expect(e.conn()?.state).toBe('TIME-WAIT');
    e.h.wait(1 * S);
    expect(e.conn()).toBeUndefined();
  });

  it('CT-2 an RST at RCV.NXT ends TIME-WAIT on linux (rfc1337 = 0) but not with RFC 1337', () => {
    const e = timeWait();
    e.h.inject(seg({ flags: RST, seq: P1 + 1 }));
    expect(e.conn()).toBeUndefined();
    const r = timeWait(rfc9293);
    r.h.inject(seg({ flags: RST, seq: P1 + 1 }));
    expect(r.conn()?.state).toBe('TIME-WAIT');
  });

  it('CT-12 a new SYN above the old RCV.NXT reopens a TIME-WAIT 4-tuple with ISN = SND.NXT + 65537; an older one gets an ACK', () => {
    const e = timeWait();
    const sndNxt = e.conn()!.sndNxt;
    e.h.inject(seg({ flags: SYN, seq: P1 - 10 }));
    e.h.expectSeg({ flags: ACK, seq: sndNxt, ack: P1 + 1 });
    expect(e.conn()!.state).toBe('TIME-WAIT');
    e.h.wait(1 * S);
    e.h.inject(seg({ flags: SYN, seq: P1 + 1000 }));
    e.h.expectSeg({ flags: SYN | ACK, seq: seqAdd(sndNxt, 65537), ack: P1 + 1001 });
    expect(e.conn()!.state).toBe('SYN-RECEIVED');
  });

  it('CT-2 close() of an fd whose connection is already in TIME-WAIT sends nothing, even with unread data', () => {
    const e = established();
    e.h.ok({ op: 'shutdown', fd: e.fd, how: 'SHUT_WR' });
    e.h.expectSeg({ flags: FIN | ACK });
    e.h.inject(seg({ flags: ACK, seq: P1, ack: e.A(1), len: 10 }));
    e.h.inject(seg({ flags: FIN | ACK, seq: P1 + 10, ack: e.A(1) }));
    e.h.takeSegs();
    expect(e.conn()!.state).toBe('TIME-WAIT');
    e.h.ok({ op: 'close', fd: e.fd });
    e.h.expectNoSeg();
    expect(e.conn()!.state).toBe('TIME-WAIT');
    expect(e.conn()!.fd).toBeNull();
  });

  it('CT-3 FIN rides on the last data segment; ACK and FIN may arrive together (three-segment close)', () => {
    const e = established();
    e.h.ok({ op: 'send', fd: e.fd, bytes: 10 });
    e.h.expectSeg({ len: 10 });
    e.h.ok({ op: 'send', fd: e.fd, bytes: 10 }); // held by Nagle
    e.h.expectNoSeg();
    e.h.ok({ op: 'close', fd: e.fd });
    e.h.expectSeg({ len: 10, flags: ACK | PSH | FIN, seq: e.A(10) });
    e.h.inject(seg({ flags: FIN | ACK, seq: P1, ack: e.A(21) }));
    e.h.expectSeg({ flags: ACK, ack: P1 + 1 });
    expect(e.conn()!.state).toBe('TIME-WAIT');
  });

  it('CT-4 simultaneous close: FIN-WAIT-1 + FIN → CLOSING (immediate ACK) → ACK → TIME-WAIT', () => {
    const e = finWait1();
    e.h.inject(seg({ flags: FIN | ACK, seq: P1, ack: e.A(0) }));
    e.h.expectSeg({ flags: ACK, ack: P1 + 1 });
    expect(e.conn()!.state).toBe('CLOSING');
    e.h.inject(seg({ flags: ACK, seq: P1 + 1, ack: e.A(1) }));
    expect(e.conn()!.state).toBe('TIME-WAIT');
  });

  it('CT-6 an orphaned FIN-WAIT-2 is dropped silently after tcp_fin_timeout (60 s)', () => {
    const e = finWait2();
    e.h.wait(59 * S);
    expect(e.conn()?.state).toBe('FIN-WAIT-2');
    e.h.wait(1 * S);
    expect(e.conn()).toBeUndefined();
    e.h.expectNoSeg();
  });

  it('CT-6 after shutdown(SHUT_WR) FIN-WAIT-2 waits for the peer indefinitely', () => {
    const e = established();
    e.h.ok({ op: 'shutdown', fd: e.fd, how: 'SHUT_WR' });
    e.h.expectSeg({ flags: FIN | ACK });
    e.h.inject(seg({ flags: ACK, seq: P1, ack: e.A(1) }));
    e.h.wait(3600 * S);
    expect(e.conn()!.state).toBe('FIN-WAIT-2');
  });

  it('CT-7 half-close: after shutdown(SHUT_WR) data is still received and ACKed', () => {
    const e = established();
    e.h.ok({ op: 'shutdown', fd: e.fd, how: 'SHUT_WR' });
    e.h.takeSegs();
    e.h.inject(seg({ flags: ACK, seq: P1, ack: e.A(1), len: 300 }));
    e.h.expectSeg({ flags: ACK, ack: P1 + 300 });
    expect(e.h.ok({ op: 'recv', fd: e.fd, bytes: 1000 })).toBe(300);
    expect(e.h.call({ op: 'send', fd: e.fd, bytes: 10 })).toEqual({ ok: false, errno: 'EPIPE' });
  });

  it('CT-7 after close() arriving data is answered with RST seq=SEG.ACK, window 0, no options', () => {
    const e = finWait2();
    e.h.inject(seg({ flags: ACK, seq: P1, ack: e.A(1), len: 100 }));
    e.h.expectSeg({ flags: RST, seq: e.A(1), window: 0, options: [] });
    expect(e.conn()).toBeUndefined();
  });
});

describe('CLOSE-WAIT / LAST-ACK (passive close)', () => {
  it('CT-1 CT-10 peer FIN → CLOSE-WAIT, EOF after all data; close() → LAST-ACK; ACK → CLOSED', () => {
    const e = established();
    e.h.inject(seg({ flags: ACK | PSH, seq: P1, ack: e.A(0), len: 50 }));
    e.h.inject(seg({ flags: FIN | ACK, seq: P1 + 50, ack: e.A(0) }));
    expect(e.conn()!.state).toBe('CLOSE-WAIT');
    expect(e.h.events('eof').length).toBe(1);
    expect(e.h.call({ op: 'recv', fd: e.fd, bytes: 30 })).toEqual({ ok: true, value: 30 });
    expect(e.h.call({ op: 'recv', fd: e.fd, bytes: 30 })).toEqual({ ok: true, value: 20 });
    expect(e.h.call({ op: 'recv', fd: e.fd, bytes: 30 })).toEqual({ ok: true, value: 0 });
    e.h.takeSegs();
    e.h.ok({ op: 'close', fd: e.fd });
    e.h.expectSeg({ flags: FIN | ACK, seq: e.A(0), ack: P1 + 51 });
    expect(e.conn()!.state).toBe('LAST-ACK');
    e.h.inject(seg({ flags: ACK, seq: P1 + 51, ack: e.A(1) }));
    expect(e.conn()).toBeUndefined();
  });

  it('CT-1 the ACK of a FIN in ESTABLISHED is delayed (pingpong) unless the application closes first', () => {
    const e = closeWait();
    e.h.expectNoSeg();
    e.h.ok({ op: 'close', fd: e.fd });
    e.h.expectSeg({ flags: FIN | ACK, ack: P1 + 1 });
    const f = closeWait();
    f.h.wait(300 * MS);
    f.h.expectSeg({ flags: ACK, ack: P1 + 1 });
  });

  it('CT-10 an out-of-order FIN waits until the data before it arrives', () => {
    const e = established();
    e.h.inject(seg({ flags: FIN | ACK, seq: P1 + 100, ack: e.A(0) }));
    expect(e.conn()!.state).toBe('ESTABLISHED');
    expect(e.h.events('eof').length).toBe(0);
    e.h.inject(seg({ flags: ACK, seq: P1, ack: e.A(0), len: 100 }));
    expect(e.conn()!.state).toBe('CLOSE-WAIT');
    expect(e.h.events('eof').length).toBe(1);
    expect(e.conn()!.readable).toBe(100);
  });
});

describe('abortive close', () => {
  it('CT-8 close() with unread data sends RST|ACK (seq = SND.NXT, ack = RCV.NXT) instead of FIN', () => {
    const e = established();
    e.h.inject(seg({ flags: ACK, seq: P1, ack: e.A(0), len: 10 }));
    e.h.takeSegs();
    e.h.ok({ op: 'close', fd: e.fd });
    e.h.expectSeg({ flags: RST | ACK, seq: e.A(0), ack: P1 + 10 });
    e.h.expectNoSeg();
    expect(e.conn()).toBeUndefined();
  });

  it('CT-9 SO_LINGER {1, 0}: close() sends RST and skips TIME-WAIT', () => {
    const e = established();
    e.h.ok({ op: 'setsockopt', fd: e.fd, opt: 'SO_LINGER', value: 0 });
    e.h.ok({ op: 'close', fd: e.fd });
    e.h.expectSeg({ flags: RST | ACK, seq: e.A(0), ack: P1 });
    expect(e.conn()).toBeUndefined();
  });

  it('CT-9 abort() in ESTABLISHED sends RST; in SYN-SENT nothing', () => {
    const e = established();
    e.h.ok({ op: 'abort', fd: e.fd });
    e.h.expectSeg({ flags: RST | ACK });
    expect(e.conn()).toBeUndefined();
  });

  it('CT-11 a crashed process: the kernel closes every fd with an ordinary FIN (RST where data was unread)', () => {
    const e = established();
    e.h.ok({ op: 'close', fd: e.fd });
    e.h.ok({ op: 'close', fd: 3 });
    e.h.expectSeg({ flags: FIN | ACK });
    expect(e.conn()!.state).toBe('FIN-WAIT-1');
    expect(e.conn()!.fd).toBeNull();
  });
});
