/**
 * send() acceptance (DT-9, DT-11; sendbuf.ts): Linux fills skbs of the size goal, starts a new one
 * only below the send buffer (each skb charged 808 bytes beyond its payload), pushes a full skb at
 * the head at once, and grows SO_SNDBUF at establishment (tcp_sndbuf_expand). The numbers are the
 * recorded kernel's (corpus/linux/hand/dt-sndbuf-*).
 */
import { describe, expect, it } from 'vitest';
import { ACK, SYN } from '../../src/wire/types.js';
import { seqAdd } from '../../src/wire/seq.js';
import { linux, rfc9293 } from '../../src/model/profiles.js';
import type { Profile } from '../../src/model/profile-type.js';
import { HOST_PORT, PEER_ISN, listening, seg } from './helpers.js';

function established(profile: Profile, peerMss: number, window: number, before?: (h: ReturnType<typeof listening>) => void): { h: ReturnType<typeof listening>; fd: number } {
  const h = listening(profile);
  before?.(h);
  h.now = 10_000;
  h.inject(seg({ flags: SYN, seq: PEER_ISN, window, options: [{ kind: 'mss', mss: peerMss }] }));
  const sa = h.expectSeg({ flags: SYN | ACK });
  h.now = 20_000;
  h.inject(seg({ flags: ACK, seq: PEER_ISN + 1, ack: seqAdd(sa.seq, 1), window }));
  const fd = h.ok({ op: 'accept', fd: 3 });
  h.takeSegs();
  return { h, fd };
}

describe('send() acceptance', () => {
  it('DT-9 linux: the send buffer grows at establishment to 2·10·(roundup_pow2(MSS + 576) + 256): 46080 for MSS 536..1460, 332800 for 9000', () => {
    for (const [m, want] of [[536, 46080], [1000, 46080], [1460, 46080], [9000, 332800]] as const) {
      const { h, fd } = established(linux, m, 65535);
      expect(h.conn(fd).sndBuf).toBe(want);
    }
  });

  it('DT-9 DT-11 linux: send(10^6) takes 46720 — a 22-segment skb, the first 10 pushed, the tail refilled to 22, then the buffer is full (dt-sndbuf-mss1460-win65535-nots)', () => {
    const { h, fd } = established(linux, 1460, 65535);
    expect(h.call({ op: 'send', fd, bytes: 1_000_000 })).toEqual({ ok: true, value: 46720 });
    expect(h.takeSegs().length).toBe(10); // the initial window went out during the send()
    expect(h.call({ op: 'send', fd, bytes: 1_000_000 })).toEqual({ ok: false, errno: 'EAGAIN' });
  });

  it('DT-9 linux: with MSS 536 a third skb still fits: 70752 (132 segments; dt-sndbuf-mss536-win65535-nots)', () => {
    const { h, fd } = established(linux, 536, 65535);
    expect(h.call({ op: 'send', fd, bytes: 1_000_000 })).toEqual({ ok: true, value: 70752 });
  });

  it('DT-9 FC-6 linux: a peer window of 8 bytes makes one 48-byte skb per MSS, each charged 808 more: 54 fit in 46080 (dt-sndbuf-mss1460-win8-nots)', () => {
    const { h, fd } = established(linux, 1460, 8);
    expect(h.call({ op: 'send', fd, bytes: 1_000_000 })).toEqual({ ok: true, value: 54 * 48 });
  });

  it('DT-9 linux: SO_SNDBUF set by the application is not expanded (SOCK_SNDBUF_LOCK)', () => {
    const { h, fd } = established(linux, 1460, 65535, (l) => l.ok({ op: 'setsockopt', fd: 3, opt: 'SO_SNDBUF', value: 8192 }));
    expect(h.conn(fd).sndBuf).toBe(16384);
  });

  it('DT-9 rfc9293: the buffer holds SO_SNDBUF bytes, no skb accounting: send(10^6) takes 16384', () => {
    const { h, fd } = established(rfc9293, 1460, 65535);
    expect(h.call({ op: 'send', fd, bytes: 1_000_000 })).toEqual({ ok: true, value: 16384 });
    expect(h.connByPorts(HOST_PORT, 40000)!.sndBuf).toBe(16384);
  });

  it('DT-9 a writer that found the buffer full is woken (writable) once ACKs free half of what is queued, and only then', () => {
    const { h, fd } = established(linux, 1460, 65535);
    expect(h.call({ op: 'send', fd, bytes: 1_000_000 })).toEqual({ ok: true, value: 46720 });
    const sent = h.takeSegs();
    const c = h.conn(fd);
    expect(c.sndNoSpace).toBe(true);
    h.now += 10_000;
    // ACK of the first 2 segments: 2920 bytes freed, not enough (free < queued / 2).
    h.inject(seg({ flags: ACK, seq: PEER_ISN + 1, ack: seqAdd(sent[0]!.seq, 2920), window: 65535 }));
    expect(h.events('writable')).toEqual([]);
    // ACK of all 10: 14600 freed, still below half; then the rest goes out and is ACKed.
    h.inject(seg({ flags: ACK, seq: PEER_ISN + 1, ack: seqAdd(sent[0]!.seq, 14600), window: 65535 }));
    expect(h.events('writable')).toEqual([]);
    const more = h.takeSegs();
    expect(more.length).toBeGreaterThan(0);
    const end = more[more.length - 1]!;
    h.inject(seg({ flags: ACK, seq: PEER_ISN + 1, ack: seqAdd(end.seq, end.len), window: 65535 }));
    expect(h.events('writable').length).toBe(1);
    expect(h.conn(fd).sndNoSpace).toBe(false);
  });
});
