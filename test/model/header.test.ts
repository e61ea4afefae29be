/**
 * Header and options in what the model emits (HD-1 … HD-4): field ranges, ACK on every segment
 * after the first SYN, Linux option layout and sizes, timestamps with a per-connection offset, PAWS.
 */
import { describe, expect, it } from 'vitest';
import { optionsLength } from '../../src/wire/options.js';
import { ACK, FIN, SYN } from '../../src/wire/types.js';
import type { Segment, TcpOption } from '../../src/wire/types.js';
import { seqAdd } from '../../src/wire/seq.js';
import { linux } from '../../src/model/profiles.js';
import { HOST_PORT, MS, PEER_ISN, Pair, S, establishedPassive, lastTsVal, listening, peerSynOptions, seg, synSent, tsOpt } from './helpers.js';


function pairRun(): Segment[] {
  const pair = new Pair(linux, 2 * MS);
  pair.drop = (s, _f, i) => s.len > 0 && i % 11 === 5;
  pair.call(1, { op: 'socket', fd: 3 });
  pair.call(1, { op: 'bind', fd: 3, port: 80 });
  pair.call(1, { op: 'listen', fd: 3, backlog: 4 });
  pair.call(0, { op: 'socket', fd: 3 });
  pair.call(0, { op: 'connect', fd: 3, port: 80 });
  pair.drive(pair.now + 1 * S);
  pair.call(1, { op: 'accept', fd: 3 });
  for (let i = 0; i < 20; i++) {
    pair.call(0, { op: 'send', fd: 3, bytes: 5000 });
    pair.drive(pair.now + 100 * MS);
    pair.call(1, { op: 'recv', fd: 4, bytes: 1 << 20 });
  }
  pair.drive(pair.now + 5 * S);
  pair.call(1, { op: 'recv', fd: 4, bytes: 1 << 20 });
  pair.call(0, { op: 'close', fd: 3 });
  pair.call(1, { op: 'close', fd: 4 });
  pair.drive(pair.now + 200 * S);
  const all: Segment[] = [];
  for (const h of pair.hosts) for (const o of h.log) if (o.kind === 'segment') all.push(o.seg);
  return all;
}

describe('header fields and options', () => {
  it('HD-1 every emitted header field is in range; data offset 20–60 bytes (options ≤ 40)', () => {
    const segs = pairRun();
    expect(segs.length).toBeGreaterThan(50);
    for (const s of segs) {
      expect(s.seq >>> 0).toBe(s.seq);
      expect(s.ack >>> 0).toBe(s.ack);
      expect(s.window).toBeLessThanOrEqual(65535);
      const optLen = optionsLength(s.options);
      expect(optLen % 4).toBe(0);
      expect(20 + optLen).toBeLessThanOrEqual(60);
    }
  });

  it('HD-2 ACK is set on every segment after the first SYN', () => {
    const segs = pairRun();
    const nonSyn = segs.filter((s) => (s.flags & SYN) === 0);
    for (const s of nonSyn) expect(s.flags & ACK).toBe(ACK);
    expect(segs.filter((s) => s.flags === SYN).length).toBe(1);
    expect(segs.some((s) => (s.flags & FIN) !== 0)).toBe(true);
  });

  it('HD-3 option sizes: the SYN carries 20 option bytes (data offset 10); MSS = MTU − 40 = 1460', () => {
    const { syn } = synSent();
    expect(optionsLength(syn.options)).toBe(20);
    expect(syn.options[0]).toEqual({ kind: 'mss', mss: 1460 });
  });

  it('HD-3 TCP_MAXSEG lowers the MSS we announce', () => {
    const h = listening();
    h.ok({ op: 'setsockopt', fd: 3, opt: 'TCP_MAXSEG', value: 1000 });
    h.inject(seg({ flags: SYN, options: peerSynOptions() }));
    const sa = h.expectSeg({ flags: SYN | ACK });
    expect(sa.options[0]).toEqual({ kind: 'mss', mss: 1000 });
    expect(h.call({ op: 'setsockopt', fd: 3, opt: 'TCP_MAXSEG', value: 10 })).toEqual({ ok: false, errno: 'EINVAL' });
  });

  it('HD-4 TSval ticks at 1 kHz from a per-connection offset; TSecr echoes TS.Recent', () => {
    const a = synSent();
    const b = listening();
    b.inject(seg({ flags: SYN, options: peerSynOptions(4242) }));
    const sa = b.expectSeg({ flags: SYN | ACK });
    const ts = sa.options.find((o) => o.kind === 'ts')!;
    expect(ts).toMatchObject({ ecr: 4242 });
    expect(lastTsVal(a.syn)).not.toBe(lastTsVal(sa)); // different connections, different offsets
    b.wait(1500 * MS);
    const re = b.expectSeg({ flags: SYN | ACK });
    expect((lastTsVal(re) - lastTsVal(sa)) >>> 0).toBe(1000);
  });

  it('HD-4 PAWS: a segment whose TSval is older than TS.Recent is dropped and answered with a duplicate ACK', () => {
    const { h, iss, fd } = establishedPassive(linux, true);
    const P1 = PEER_ISN + 1;
    h.inject(seg({ flags: ACK, seq: P1, ack: seqAdd(iss, 1), len: 100, options: tsOpt(6000, 0) }));
    h.takeSegs();
    expect(h.conn(fd).tsRecent).toBe(6000);
    h.inject(seg({ flags: ACK, seq: P1 + 100, ack: seqAdd(iss, 1), len: 100, options: tsOpt(5000, 0) }));
    h.expectSeg({ flags: ACK, ack: P1 + 100 });
    expect(h.conn(fd).readable).toBe(100);
    expect(h.notes('HD-4/paws-reject').length).toBe(1);
    void HOST_PORT;
  });
});
