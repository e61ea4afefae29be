/**
 * The `classic` profile: the seeds' textbook TCP (CC-1, CC-4, CC-5, CC-6, DT-6, DT-12). Fixture:
 * passive open with a peer offering MSS 1460, SACK and window scaling (classic accepts neither), a
 * large send buffer; segment n = bytes at(n)..at(n + 1).
 */
import { describe, expect, it } from 'vitest';
import { ACK, PSH, SYN } from '../../src/wire/types.js';
import { seqAdd, seqDist } from '../../src/wire/seq.js';
import { classic, profiles, rfc9293 } from '../../src/model/profiles.js';
import { Host, PEER_ISN, seg, synReceived } from './helpers.js';

const P1 = PEER_ISN + 1;
const MSS = 1460;
const at = (n: number): number => 1 + n * MSS;

function est(): { h: Host; iss: number; fd: number; synAckOptions: string[] } {
  const { h, iss } = synReceived(classic, [{ kind: 'mss', mss: MSS }, { kind: 'sackOk' }, { kind: 'nop' }, { kind: 'wscale', shift: 7 }]);
  const synAck = h.log.flatMap((o) => (o.kind === 'segment' && (o.seg.flags & SYN) !== 0 ? [o.seg] : []))[0]!;
  h.inject(seg({ flags: ACK, seq: P1, ack: seqAdd(iss, 1), window: 65535 }));
  const fd = h.ok({ op: 'accept', fd: 3 });
  h.ok({ op: 'setsockopt', fd, opt: 'SO_SNDBUF', value: 2_000_000 });
  return { h, iss, fd, synAckOptions: synAck.options.map((o) => o.kind) };
}

function ack(h: Host, iss: number, n: number): void {
  h.inject(seg({ flags: ACK, seq: P1, ack: seqAdd(iss, at(n)), window: 65535 }));
}

function sent(h: Host, iss: number): number[] {
  return h.takeSegs().filter((s) => (s.flags & SYN) === 0 && s.len > 0).map((s) => (seqDist(iss, s.seq) - 1) / MSS);
}

describe('classic profile (the seeds\' textbook TCP)', () => {
  it('CC-1 CC-6 classic: IW 1 segment, ssthresh 65535 bytes = 44 segments of 1460; slow start +1 per ACK (1 → 2 → 3)', () => {
    const { h, iss, fd, synAckOptions } = est();
    expect(synAckOptions).toEqual(['mss']); // no SACK, timestamps or window scaling offered
    expect(h.conn(fd).sackOk).toBe(false);
    h.ok({ op: 'send', fd, bytes: 20 * MSS });
    expect(sent(h, iss)).toEqual([0]);
    expect(h.conn(fd).cwnd).toBe(1);
    expect(h.conn(fd).ssthresh).toBe(44);
    ack(h, iss, 1);
    expect(sent(h, iss)).toEqual([1, 2]);
    expect(h.conn(fd).cwnd).toBe(2);
    ack(h, iss, 3); // one ACK for two segments: still +1
    expect(h.conn(fd).cwnd).toBe(3);
    expect(sent(h, iss)).toEqual([3, 4, 5]);
  });

  it('DT-6 CC-5 classic: three duplicate ACKs halve cwnd 4 into ssthresh 2, cwnd = 2 + 3 = 5; no limited transmit before', () => {
    const { h, iss, fd } = est();
    h.ok({ op: 'send', fd, bytes: 20 * MSS });
    sent(h, iss);
    ack(h, iss, 1);
    ack(h, iss, 2);
    ack(h, iss, 3);
    expect(h.conn(fd).cwnd).toBe(4);
    expect(sent(h, iss)).toEqual([1, 2, 3, 4, 5, 6]); // segments 3..6 outstanding
    ack(h, iss, 3);
    ack(h, iss, 3);
    expect(sent(h, iss)).toEqual([]);
    ack(h, iss, 3);
    // The head goes again; cwnd 5 with 4 segments outstanding lets one new segment follow.
    expect(sent(h, iss)).toEqual([3, 7]);
    expect(h.conn(fd).ssthresh).toBe(2);
    expect(h.conn(fd).cwnd).toBe(5);
  });

  it('CC-4 classic: a timeout sets ssthresh = cwnd 4 / 2 = 2 and cwnd = 1 (1 s RTO: RFC 6298 minimum)', () => {
    const { h, iss, fd } = est();
    h.ok({ op: 'send', fd, bytes: 20 * MSS });
    sent(h, iss);
    ack(h, iss, 1);
    ack(h, iss, 3);
    ack(h, iss, 4);
    sent(h, iss);
    expect(h.conn(fd).cwnd).toBe(4);
    const t0 = h.now;
    h.fireNext();
    expect(h.now - t0).toBe(classic.rtoMin);
    expect(h.conn(fd).ssthresh).toBe(2);
    expect(h.conn(fd).cwnd).toBe(1);
    expect(sent(h, iss)).toEqual([4]);
  });

  it('DT-12 classic: one data segment is ACKed 200 ms later', () => {
    const { h, iss } = est();
    h.takeSegs();
    h.inject(seg({ flags: ACK | PSH, seq: P1, ack: seqAdd(iss, 1), window: 65535, len: 100 }));
    expect(h.takeSegs()).toEqual([]);
    h.wait(199_999);
    expect(h.takeSegs()).toEqual([]);
    h.wait(1);
    const acks = h.takeSegs();
    expect(acks.length).toBe(1);
    expect(acks[0]!.ack).toBe(P1 + 100);
  });

  it('CC-1 classic is listed with the other profiles and differs from rfc9293 only where the seeds say so', () => {
    expect(Object.keys(profiles)).toContain('classic');
    const differs = Object.keys(classic).filter((k) => JSON.stringify((classic as unknown as Record<string, unknown>)[k]) !== JSON.stringify((rfc9293 as unknown as Record<string, unknown>)[k]));
    expect(differs.sort()).toEqual(['delAckMin', 'initialCwnd', 'initialSsthreshBytes', 'initialWindowRule', 'kernelRange', 'limitedTransmit', 'name', 'offerSack', 'offerTimestamps', 'offerWscale', 'recoverySsthresh', 'rtoSsthresh']);
  });
});
