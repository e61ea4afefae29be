/**
 * Resets (RS-*): RFC 9293 §3.5.2 / §3.10.7.1 reset generation for no socket and per state, RFC 5961
 * RST and SYN handling with challenge ACKs and their per-socket rate limit, and what an accepted RST
 * does to the application.
 */
import { describe, expect, it } from 'vitest';
import { ACK, FIN, RST, SYN } from '../../src/wire/types.js';
import { seqAdd } from '../../src/wire/seq.js';
import { linux, rfc9293 } from '../../src/model/profiles.js';
import { HOST_PORT, Host, MS, PEER_ISN, establishedActive, establishedPassive, seg, synSent, toActive } from './helpers.js';

const P1 = PEER_ISN + 1;

function est(profile = linux) {
  const r = establishedPassive(profile, false);
  return { ...r, A: (n: number) => seqAdd(r.iss, 1 + n), conn: () => r.h.connByPorts(HOST_PORT, 40000) };
}

describe('no connection (CLOSED)', () => {
  it('RS-1 a segment with ACK for no socket gets <SEQ=SEG.ACK><CTL=RST>', () => {
    const h = new Host();
    h.inject(seg({ flags: ACK, seq: 5, ack: 12345, len: 10 }));
    h.expectSeg({ flags: RST, seq: 12345, ack: 0, window: 0, options: [] });
  });

  it('RS-1 a segment without ACK gets RST|ACK seq 0, ack = SEG.SEQ + SYN + FIN + len', () => {
    const h = new Host();
    h.inject(seg({ flags: FIN, seq: 100, len: 20 }));
    h.expectSeg({ flags: RST | ACK, seq: 0, ack: 121 });
  });

  it('RS-3 nobody answers an RST', () => {
    const h = new Host();
    h.inject(seg({ flags: RST | ACK, seq: 5, ack: 6 }));
    h.expectNoSeg();
    const { h: l } = est();
    l.inject(seg({ flags: RST, dstPort: 80, srcPort: 999 }));
    l.expectNoSeg();
  });

  it('RS-1 an ACK to a listener gets RST seq=SEG.ACK', () => {
    const e = est();
    e.h.inject(seg({ flags: ACK, srcPort: 5555, seq: 1, ack: 777 }));
    e.h.expectSeg({ flags: RST, seq: 777, dstPort: 5555 });
  });
});

describe('synchronized states', () => {
  it('RS-1 an unacceptable segment in ESTABLISHED gets an empty ACK, not an RST', () => {
    const e = est();
    e.h.inject(seg({ flags: ACK, seq: P1 + 10_000_000, ack: e.A(0), len: 10 }));
    e.h.expectSeg({ flags: ACK, seq: e.A(0), ack: P1, len: 0 });
  });

  it('RS-2 an RST at exactly RCV.NXT resets; RS-3 the app sees ECONNRESET once, then EOF; send gives EPIPE', () => {
    const e = est();
    e.h.inject(seg({ flags: ACK, seq: P1, ack: e.A(0), len: 5 }));
    e.h.inject(seg({ flags: RST, seq: P1 + 5 }));
    e.h.expectSeg({ flags: ACK }); // the ACK of the 5 bytes went before
    e.h.expectNoSeg();
    expect(e.h.conn(e.fd).state).toBe('CLOSED');
    expect(e.h.events('error')).toEqual([{ kind: 'event', fd: e.fd, event: 'error', errno: 'ECONNRESET' }]);
    expect(e.h.call({ op: 'recv', fd: e.fd, bytes: 100 })).toEqual({ ok: true, value: 5 });
    expect(e.h.call({ op: 'recv', fd: e.fd, bytes: 100 })).toEqual({ ok: false, errno: 'ECONNRESET' });
    expect(e.h.call({ op: 'recv', fd: e.fd, bytes: 100 })).toEqual({ ok: true, value: 0 });
    expect(e.h.call({ op: 'send', fd: e.fd, bytes: 100 })).toEqual({ ok: false, errno: 'EPIPE' });
  });

  it('RS-2 an in-window RST not at RCV.NXT gets a challenge ACK; one out of window is dropped', () => {
    const e = est();
    e.h.inject(seg({ flags: RST, seq: P1 + 100 }));
    e.h.expectSeg({ flags: ACK, seq: e.A(0), ack: P1 });
    expect(e.conn()!.state).toBe('ESTABLISHED');
    e.h.inject(seg({ flags: RST, seq: P1 + 50_000_000 }));
    e.h.expectNoSeg();
    expect(e.conn()!.state).toBe('ESTABLISHED');
  });

  it('RS-2 a SYN in ESTABLISHED gets a challenge ACK; challenge ACKs are limited to one per 500 ms per socket', () => {
    const e = est();
    e.h.inject(seg({ flags: SYN, seq: 5 }));
    e.h.expectSeg({ flags: ACK, ack: P1 });
    e.h.inject(seg({ flags: SYN, seq: 5 }));
    e.h.expectNoSeg();
    e.h.wait(500 * MS);
    e.h.inject(seg({ flags: RST, seq: P1 + 7 }));
    e.h.expectSeg({ flags: ACK, ack: P1 });
    expect(e.h.notes('RS-2/challenge-ack-limited').length).toBe(1);
  });

  it('RS-2 rfc9293 profile has no rate limit', () => {
    const e = est(rfc9293);
    e.h.inject(seg({ flags: SYN, seq: 5 }));
    e.h.inject(seg({ flags: SYN, seq: 5 }));
    expect(e.h.takeSegs().length).toBe(2);
  });

  it('RS-3 an RST in CLOSE-WAIT reports EPIPE on linux (tcp_reset) and ECONNRESET under rfc9293', () => {
    for (const [p, errno] of [[linux, 'EPIPE'], [rfc9293, 'ECONNRESET']] as const) {
      const e = est(p);
      e.h.inject(seg({ flags: FIN | ACK, seq: P1, ack: e.A(0) }));
      e.h.inject(seg({ flags: RST, seq: P1 + 1 }));
      expect(e.h.events('error')[0]).toMatchObject({ errno });
    }
  });

  it('RS-2 linux accepts an RST at RCV.NXT − 1 after the peer FIN (tcp_reset_check)', () => {
    const e = est();
    e.h.inject(seg({ flags: FIN | ACK, seq: P1, ack: e.A(0) }));
    e.h.inject(seg({ flags: RST, seq: P1 }));
    expect(e.h.conn(e.fd).state).toBe('CLOSED');
  });

  it('RS-3 RS-4 in SYN-SENT an RST counts only with an acceptable ACK (ECONNREFUSED)', () => {
    const { h, syn, port } = synSent();
    h.inject(toActive(port, { flags: RST | ACK, seq: 0, ack: seqAdd(syn.seq, 7) }));
    expect(h.conn(3).state).toBe('SYN-SENT');
    h.inject(toActive(port, { flags: RST, seq: 0 }));
    expect(h.conn(3).state).toBe('SYN-SENT');
    h.inject(toActive(port, { flags: RST | ACK, seq: 0, ack: seqAdd(syn.seq, 1) }));
    expect(h.conn(3).state).toBe('CLOSED');
    h.expectNoSeg();
  });

  it('RS-3 an RST in SYN-RECEIVED (passive) drops the embryo silently; the listener is unaffected', () => {
    const h = new Host();
    h.ok({ op: 'socket', fd: 3 });
    h.ok({ op: 'bind', fd: 3, port: HOST_PORT });
    h.ok({ op: 'listen', fd: 3, backlog: 5 });
    h.inject(seg({ flags: SYN }));
    h.takeSegs();
    h.inject(seg({ flags: RST, seq: P1 }));
    h.expectNoSeg();
    expect(h.conn(3).synQueue).toEqual([]);
    expect(h.conn(3).state).toBe('LISTEN');
    expect(h.ep.conns.length).toBe(1);
  });

  it('RS-1 KA-2 data to a peer that forgot the connection is answered with RST (no socket)', () => {
    const { h, iss, port } = establishedActive();
    const other = new Host(linux, '192.0.2.2', '192.0.2.1', 9);
    h.ok({ op: 'send', fd: 3, bytes: 100 });
    const d = h.expectSeg({ len: 100 });
    other.inject({ ...d }, { src: '192.0.2.1' });
    other.expectSeg({ flags: RST, seq: d.ack, dstPort: port });
    expect(iss).toBe(d.seq - 1);
  });
});
