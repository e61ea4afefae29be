/**
 * HS-4 initial sequence numbers (RFC 6528 §3): ISN = M + F(4-tuple, secret), M a 4 µs clock, F
 * SipHash-2-4 keyed by a secret from the endpoint's seed. Checks the PRF against the published
 * SipHash-2-4 vectors (key 00..0f, message 00..n−1) and the ISN's properties on the model.
 */
import { describe, expect, it } from 'vitest';
import { siphash24, siphash24Lo32 } from '../../src/model/siphash.js';
import { initialSeq, tsOffset } from '../../src/model/isn.js';
import { linux, rfc9293 } from '../../src/model/profiles.js';
import { ACK, FIN, SYN } from '../../src/wire/types.js';
import { seqAdd } from '../../src/wire/seq.js';
import { HOST_PORT, PEER_ISN, S, synSent, toActive } from './helpers.js';

const K0 = 0x0706050403020100n;
const K1 = 0x0f0e0d0c0b0a0908n;
const KEY: [number, number, number, number] = [0x03020100, 0x07060504, 0x0b0a0908, 0x0f0e0d0c];
const bytes = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('HS-4 ISN generation', () => {
  it('HS-4 F is SipHash-2-4: the published test vectors, and the 32-bit-halves version agrees with the 64-bit one', () => {
    expect(siphash24(K0, K1, bytes(0))).toBe(0x726fdb47dd0e0e31n);
    expect(siphash24(K0, K1, bytes(8))).toBe(0x93f5f5799a932462n);
    expect(siphash24(K0, K1, bytes(15))).toBe(0xa129ca6149be45e5n);
    for (let n = 0; n < 40; n++) {
      const m = Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff);
      expect(siphash24Lo32(KEY, m)).toBe(Number(siphash24(K0, K1, m) & 0xffffffffn));
    }
  });

  it('HS-4 ISN = M (4 µs ticks) + F(4-tuple, secret from the seed): deterministic, keyed by tuple and seed, TS offset independent', () => {
    const a = initialSeq(1, 0, '192.0.2.1', 80, '192.0.2.2', 40000);
    expect(initialSeq(1, 0, '192.0.2.1', 80, '192.0.2.2', 40000)).toBe(a);
    expect(initialSeq(1, 0, '192.0.2.1', 80, '192.0.2.2', 40001)).not.toBe(a);
    expect(initialSeq(1, 0, '192.0.2.2', 80, '192.0.2.1', 40000)).not.toBe(a);
    expect(initialSeq(2, 0, '192.0.2.1', 80, '192.0.2.2', 40000)).not.toBe(a);
    expect((initialSeq(1, 4_000_000, '192.0.2.1', 80, '192.0.2.2', 40000) - a) >>> 0).toBe(1_000_000);
    expect(tsOffset(1, '192.0.2.1', 80, '192.0.2.2', 40000)).not.toBe(a);
    // Roughly half the output bits change when one input bit does (a PRF, not a counter).
    const b = initialSeq(1, 0, '192.0.2.1', 81, '192.0.2.2', 40000);
    let bits = 0;
    for (let x = (a ^ b) >>> 0; x !== 0; x >>>= 1) bits += x & 1;
    expect(bits).toBeGreaterThan(6);
    expect(bits).toBeLessThan(26);
  });

  it('HS-4 a later incarnation of the same 4-tuple gets an ISN larger by the elapsed time / 4 µs (rfc9293; linux ticks every 64 ns)', () => {
    const first = synSent(rfc9293);
    const port = first.port;
    // Same host, same port, 10 s later: a second connect() on a fresh socket bound to that port.
    const h = first.h;
    h.inject(toActive(port, { flags: SYN | ACK, seq: PEER_ISN, ack: seqAdd(first.syn.seq, 1), options: [{ kind: 'mss', mss: 1460 }] }));
    h.ok({ op: 'abort', fd: 3 });
    h.takeSegs();
    h.now += 10 * S;
    h.ok({ op: 'socket', fd: 3 });
    h.ok({ op: 'bind', fd: 3, port });
    h.call({ op: 'connect', fd: 3, port: HOST_PORT });
    const syn2 = h.expectSeg({ flags: SYN });
    expect((syn2.seq - first.syn.seq) >>> 0).toBe((10 * S) / 4); // RFC 6528: M ticks every 4 µs
    expect(syn2.flags & ACK).toBe(0);
    // linux: M ticks every 64 ns (secure_seq.c:seq_scale).
    expect(linux.isnTickUs).toBe(0.064);
    const a = initialSeq(1, 0, '192.0.2.1', 80, '192.0.2.2', 40000, linux.isnTickUs);
    expect((initialSeq(1, 10 * S, '192.0.2.1', 80, '192.0.2.2', 40000, linux.isnTickUs) - a) >>> 0).toBe((10 * S) / 0.064);
  });
});

describe('CT-12 TIME-WAIT reuse with timestamps', () => {
  it('CT-12 a SYN below the old RCV.NXT is still accepted when its TSval is newer than TS.Recent (PAWS); ISN = old SND.NXT + 65537; an older TSval gets the old ACK', async () => {
    const { establishedPassive, tsOpt, lastTsVal, seg: mk, peerSynOptions } = await import('./helpers.js');
    const e = establishedPassive(undefined, true);
    const h = e.h;
    const P1 = PEER_ISN + 1;
    h.ok({ op: 'close', fd: e.fd });
    const fin = h.expectSeg({ flags: FIN | ACK });
    h.inject(mk({ flags: ACK, seq: P1, ack: seqAdd(e.iss, 2), options: tsOpt(5002, lastTsVal(fin)) }));
    h.inject(mk({ flags: FIN | ACK, seq: P1, ack: seqAdd(e.iss, 2), options: tsOpt(5003, lastTsVal(fin)) }));
    h.expectSeg({ flags: ACK, ack: P1 + 1 });
    const tw = h.ep.conns.find((c) => c.state === 'TIME-WAIT')!;
    expect(tw).toBeDefined();
    h.now += 1 * S;
    // Lower sequence number, older timestamp: an old duplicate → the TIME-WAIT ACK.
    h.inject(mk({ flags: SYN, seq: P1 - 100, options: peerSynOptions(5000) }));
    h.expectSeg({ flags: ACK, seq: tw.sndNxt, ack: P1 + 1 });
    h.now += 1 * S;
    // Lower sequence number, newer timestamp: a new incarnation.
    h.inject(mk({ flags: SYN, seq: P1 - 100, options: peerSynOptions(9000) }));
    h.expectSeg({ flags: SYN | ACK, seq: seqAdd(tw.sndNxt, 65537), ack: P1 - 99 });
  });
});
