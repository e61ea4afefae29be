/**
 * SYN cookies (LQ-4; Linux syncookies.c, RFC 4987 §3.6): the cookie's layout and validation, the
 * timestamp option encoding, and the round trip through a listener — a stateless SYN-ACK, then a
 * connection rebuilt from the third ACK with the options the cookie carried.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { linux, rfc9293 } from '../../src/model/profiles.js';
import type { Profile } from '../../src/model/profile-type.js';
import {
  checkCookie,
  cookieCount,
  cookieMssIndex,
  cookieTsOptions,
  cookieTsVal,
  decodeCookieTs,
  makeCookie,
} from '../../src/model/syncookie.js';
import type { CookieTuple } from '../../src/model/syncookie.js';
import { tsOffset } from '../../src/model/isn.js';
import { applySysctls } from '../../src/model/sysctls.js';
import { ACK, RST, SYN } from '../../src/wire/types.js';
import type { Segment, TcpOption } from '../../src/wire/types.js';
import { seqAdd } from '../../src/wire/seq.js';
import { HOST, HOST_PORT, MS, PEER, PEER_ISN, S, listening, peerSynOptions, seg, tsOpt } from './helpers.js';

const always: Profile = { ...linux, syncookies: 'always' };
const T: CookieTuple = { peerAddr: PEER, peerPort: 40000, localAddr: HOST, localPort: HOST_PORT };
const MIN = 60 * S;

function tsOf(s: Segment): { val: number; ecr: number } {
  const o = s.options.find((x) => x.kind === 'ts');
  if (o === undefined || o.kind !== 'ts') throw new Error('no timestamp option');
  return { val: o.val, ecr: o.ecr };
}

const noTsSyn = (mss = 1460): TcpOption[] => [{ kind: 'mss', mss }, { kind: 'nop' }, { kind: 'nop' }, { kind: 'sackOk' }, { kind: 'nop' }, { kind: 'wscale', shift: 7 }];

describe('cookie layout (syncookies.c)', () => {
  it('LQ-4 the MSS index is the largest table entry at or below the peer MSS (536/1300/1440/1460)', () => {
    expect([100, 535, 536, 1000, 1299, 1300, 1439, 1440, 1459, 1460, 9000].map((m) => linux.syncookieMss[cookieMssIndex(linux, m)])).toEqual([
      536, 536, 536, 536, 536, 1300, 1300, 1440, 1440, 1460, 1460,
    ]);
  });

  it('LQ-4 a cookie validates with its MSS index during its minute and the next, not after', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 10_000 * S }), fc.integer({ min: 1, max: 0xffff }), (isn, index, now, port) => {
        const t = { ...T, peerPort: port };
        const cookie = makeCookie(7, linux, now, t, isn, index);
        const minuteEnd = (cookieCount(linux, now) + 1) * MIN; // first instant of the next minute
        expect(checkCookie(7, linux, now, t, isn, cookie)).toBe(index);
        expect(checkCookie(7, linux, minuteEnd + MIN - 1, t, isn, cookie)).toBe(index); // age 1
        expect(checkCookie(7, linux, minuteEnd + MIN, t, isn, cookie)).toBeNull(); // age 2 = MAX_SYNCOOKIE_AGE
        // Another 4-tuple, another peer ISN or another secret: the hash part no longer matches.
        expect(checkCookie(7, linux, now, { ...t, peerPort: port ^ 1 }, isn, cookie)).toBeNull();
        expect(checkCookie(8, linux, now, t, isn, cookie)).toBeNull();
      }),
      { seed: 4, numRuns: 300 },
    );
  });

  it('LQ-4 only the index range protects the low bits: cookie + 1 decodes as the next MSS, or fails past 1460', () => {
    const c536 = makeCookie(1, linux, 0, T, PEER_ISN, 0);
    expect(checkCookie(1, linux, 0, T, PEER_ISN, (c536 + 1) >>> 0)).toBe(1);
    const c1460 = makeCookie(1, linux, 0, T, PEER_ISN, 3);
    expect(checkCookie(1, linux, 0, T, PEER_ISN, (c1460 + 1) >>> 0)).toBeNull();
  });
});

describe('cookie timestamps (cookie_init_timestamp, cookie_timestamp_decode)', () => {
  it('LQ-4 TSval = clock rounded down to 64 ms with wscale in bits 0-3 and SACK in bit 4, moved back 64 when ahead', () => {
    expect(cookieTsOptions(7, true)).toBe(0x17);
    expect(cookieTsOptions(null, false)).toBe(0x0f);
    // Clock 1000 ms (1000 = 15·64 + 40): 960 + 0x17 = 983 ≤ 1000.
    expect(cookieTsVal(linux, 1000 * MS, 0x17)).toBe(983);
    // Clock 970 ms (970 = 15·64 + 10): 960 + 0x17 = 983 is ahead → 919.
    expect(cookieTsVal(linux, 970 * MS, 0x17)).toBe(919);
    // The host clock origin shifts the phase: 30 ms of origin turn clock 970 into 1000.
    expect(cookieTsVal({ ...linux, clockOriginUs: 30 * MS }, 970 * MS, 0x17)).toBe(983);
  });

  it('LQ-4 decoding: 0xF means no window scaling; options this host switched off make the cookie unusable', () => {
    expect(decodeCookieTs(linux, 983)).toEqual({ wscale: 7, sackOk: true });
    expect(decodeCookieTs(linux, 64 * 9 + 0x0f)).toEqual({ wscale: null, sackOk: false });
    expect(decodeCookieTs(linux, 64 * 9 + 0x0e)).toEqual({ wscale: 14, sackOk: false });
    expect(decodeCookieTs({ ...linux, offerSack: false }, 983)).toBeNull();
    expect(decodeCookieTs({ ...linux, offerWscale: false }, 983)).toBeNull();
    expect(decodeCookieTs({ ...linux, offerWscale: false }, 64 + 0x1f)).toEqual({ wscale: null, sackOk: true });
  });

  it('LQ-4 sysctl tcp_syncookies maps 0/1/2 onto off/overflow/always and rejects anything else', () => {
    expect(applySysctls(linux, { tcp_syncookies: '0' }).profile.syncookies).toBe('off');
    expect(applySysctls(rfc9293, { tcp_syncookies: '1' }).profile.syncookies).toBe('overflow');
    expect(applySysctls(linux, { tcp_syncookies: '2' }).profile.syncookies).toBe('always');
    expect(applySysctls(linux, { tcp_syncookies: '3' }).errors.join()).toMatch(/expected 0, 1 or 2/);
  });
});

describe('SYN cookie round trip through a listener (LQ-4)', () => {
  it('LQ-4 round trip with timestamps: stateless SYN-ACK, then the third ACK rebuilds the connection with wscale, SACK and MSS', () => {
    const h = listening(always);
    h.now = 1000 * MS;
    h.inject(seg({ flags: SYN, seq: PEER_ISN, window: 64240, options: peerSynOptions(5000, 7) }));
    const sa = h.expectSeg({ flags: SYN | ACK, ack: PEER_ISN + 1, window: 65160 });
    // The SYN-ACK of a request: mss 1460, sackOK, TS, nop, wscale 10 — and no state at all.
    expect(sa.options.map((o) => o.kind)).toEqual(['mss', 'sackOk', 'ts', 'nop', 'wscale']);
    expect(sa.seq).toBe(makeCookie(1, always, h.now, T, PEER_ISN, 3));
    const ts = tsOf(sa);
    expect(ts.ecr).toBe(5000);
    expect((ts.val - tsOffset(1, HOST, HOST_PORT, PEER, 40000)) >>> 0).toBe(983); // clock 1000 ms, options 0x17
    expect(h.ep.conns.length).toBe(1);
    expect(h.conn(3).synQueue).toEqual([]);
    expect(h.notes('LQ-4/cookie-syn-ack').length).toBe(1);

    h.now += 30 * MS;
    h.inject(seg({ flags: ACK, seq: PEER_ISN + 1, ack: seqAdd(sa.seq, 1), window: 502, options: tsOpt(5030, ts.val) }));
    h.expectNoSeg();
    expect(h.notes('LQ-4/cookie-valid').length).toBe(1);
    const fd = h.ok({ op: 'accept', fd: 3 });
    const c = h.conn(fd);
    expect(c.state).toBe('ESTABLISHED');
    expect([c.iss, c.irs, c.rcvNxt, c.sndUna]).toEqual([sa.seq, PEER_ISN, PEER_ISN + 1, seqAdd(sa.seq, 1)]);
    expect([c.tsOk, c.sackOk, c.wscaleOk, c.sndWscale, c.rcvWscale, c.mssCache]).toEqual([true, true, true, 7, 10, 1448]);
    expect(c.sndWnd).toBe(502 << 7);
    // The handshake RTT comes from the echoed cookie TSval: 1030 − 983 = 47 ms (not 30), as in Linux.
    expect(c.srtt).toBe(47 * MS);
    h.ok({ op: 'send', fd, bytes: 3000 });
    expect(h.takeSegs().map((s) => s.len)).toEqual([1448, 1448, 104]);
  });

  it('LQ-4 HS-8 without timestamps the SYN-ACK offers only the MSS, and the child uses the table MSS unscaled', () => {
    const h = listening(always);
    h.inject(seg({ flags: SYN, seq: PEER_ISN, window: 65535, options: noTsSyn(1000) }));
    const sa = h.expectSeg({ flags: SYN | ACK, window: 64240 });
    expect(sa.options).toEqual([{ kind: 'mss', mss: 1460 }]);
    h.inject(seg({ flags: ACK, seq: PEER_ISN + 1, ack: seqAdd(sa.seq, 1), window: 65535 }));
    const fd = h.ok({ op: 'accept', fd: 3 });
    const c = h.conn(fd);
    expect([c.tsOk, c.sackOk, c.wscaleOk, c.sndWscale, c.rcvWscale, c.mssCache]).toEqual([false, false, false, 0, 0, 536]);
    // tcp_select_initial_window with the cookie MSS: 65535 rounded down to 122 × 536.
    expect(c.rcvWnd).toBe(65392);
    h.ok({ op: 'send', fd, bytes: 1000 });
    expect(h.takeSegs().map((s) => [s.len, s.window])).toEqual([[536, 65392], [464, 65392]]);
  });

  it('LQ-4 RS-1 an ACK whose ack − 1 is not a valid cookie creates nothing and gets RST seq = SEG.ACK', () => {
    const h = listening(always);
    h.inject(seg({ flags: SYN, seq: PEER_ISN, options: noTsSyn() }));
    const sa = h.expectSeg({ flags: SYN | ACK });
    h.inject(seg({ flags: ACK, seq: PEER_ISN + 1, ack: seqAdd(sa.seq, 2), window: 512 }));
    h.expectSeg({ flags: RST, seq: seqAdd(sa.seq, 2) });
    expect(h.notes('LQ-4/cookie-invalid').length).toBe(1);
    expect(h.call({ op: 'accept', fd: 3 })).toEqual({ ok: false, errno: 'EAGAIN' });
  });

  it('LQ-4 a listener that sent no cookie recently does not check ACKs for cookies (TCP_SYNCOOKIE_VALID, 2 min)', () => {
    const h = listening(always);
    h.inject(seg({ flags: SYN, seq: PEER_ISN, options: noTsSyn() }));
    const sa = h.expectSeg({ flags: SYN | ACK });
    h.now = 121 * S;
    h.inject(seg({ flags: ACK, seq: PEER_ISN + 1, ack: seqAdd(sa.seq, 1), window: 512 }));
    h.expectSeg({ flags: RST, seq: seqAdd(sa.seq, 1) });
    expect(h.notes('LQ-4/cookie').filter((n) => n.kind === 'note' && n.rule !== 'LQ-4/cookie-syn-ack')).toEqual([]);
  });

  it('LQ-4 a cookie two minute-counter steps old no longer validates, even while cookies are being sent', () => {
    const h = listening(always);
    h.inject(seg({ flags: SYN, seq: PEER_ISN, options: noTsSyn() }));
    const old = h.expectSeg({ flags: SYN | ACK });
    h.now = 100 * S;
    h.inject(seg({ flags: SYN, srcPort: 40001, seq: 77, options: noTsSyn() })); // keeps the overflow recent
    h.expectSeg({ flags: SYN | ACK, dstPort: 40001 });
    h.now = 125 * S; // counter 2, the old cookie was made in counter 0
    h.inject(seg({ flags: ACK, seq: PEER_ISN + 1, ack: seqAdd(old.seq, 1), window: 512 }));
    h.expectSeg({ flags: RST, seq: seqAdd(old.seq, 1) });
    expect(h.notes('LQ-4/cookie-invalid').length).toBe(1);
  });

  it('LQ-4 LQ-2 tcp_syncookies=1: a cookie only once the SYN queue is full; its ACK joins the accept queue', () => {
    const h = listening(linux, 1);
    const synFrom = (port: number): Segment => seg({ flags: SYN, srcPort: port, seq: PEER_ISN, options: noTsSyn() });
    h.inject(synFrom(1001));
    h.inject(synFrom(1002));
    h.inject(synFrom(1003));
    const [a, b, cookie] = h.takeSegs();
    expect(h.conn(3).synQueue.length).toBe(2); // 1001 and 1002 are requests (queue full when length > backlog)
    expect(h.notes('LQ-4/cookie-syn-ack').length).toBe(1);
    expect(h.ep.conns.some((c) => c.remotePort === 1003)).toBe(false);
    h.inject(seg({ flags: ACK, srcPort: 1003, seq: PEER_ISN + 1, ack: seqAdd(cookie!.seq, 1), window: 512 }));
    expect(h.conn(3).acceptQueue.length).toBe(1);
    h.inject(seg({ flags: ACK, srcPort: 1001, seq: PEER_ISN + 1, ack: seqAdd(a!.seq, 1), window: 512 }));
    expect(h.conn(3).acceptQueue.length).toBe(2);
    // Two children with backlog 1: the queue is full (sk_acceptq_is_full: 2 > 1), the third ACK is not taken.
    h.inject(seg({ flags: ACK, srcPort: 1002, seq: PEER_ISN + 1, ack: seqAdd(b!.seq, 1), window: 512 }));
    expect(h.conn(3).acceptQueue.length).toBe(2);
  });

  it('LQ-4 LQ-1 a valid cookie ACK that finds the accept queue full is dropped silently, without state', () => {
    const h = listening(always, 0);
    const acks: Segment[] = [];
    for (const port of [1001, 1002, 1003]) {
      h.inject(seg({ flags: SYN, srcPort: port, seq: PEER_ISN, options: noTsSyn() }));
      const sa = h.expectSeg({ flags: SYN | ACK, dstPort: port });
      acks.push(seg({ flags: ACK, srcPort: port, seq: PEER_ISN + 1, ack: seqAdd(sa.seq, 1), window: 512 }));
    }
    for (const a of acks) h.inject(a);
    h.expectNoSeg();
    expect(h.conn(3).acceptQueue.length).toBe(1); // backlog 0: one child fits (length > 0 is full)
    expect(h.notes('LQ-4/cookie-accept-queue-full').length).toBe(2);
    expect(h.ep.conns.filter((c) => c.parent !== null).length).toBe(1);
  });

  it('LQ-4 rfc9293 has no cookies: a SYN to a full SYN queue is dropped', () => {
    const h = listening(rfc9293, 1);
    h.inject(seg({ flags: SYN, srcPort: 1001, seq: PEER_ISN, options: noTsSyn() }));
    h.inject(seg({ flags: SYN, srcPort: 1002, seq: PEER_ISN, options: noTsSyn() }));
    expect(h.takeSegs().length).toBe(1);
    expect(h.notes('LQ-2/syn-queue-full').length).toBe(1);
    expect(h.notes('LQ-4').length).toBe(0);
  });
});
