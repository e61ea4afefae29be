/**
 * LISTEN: the SYN queue and the accept queue (LQ-1, LQ-2, LQ-3, LQ-5, LQ-6).
 */
import { describe, expect, it } from 'vitest';
import { ACK, RST, SYN } from '../../src/wire/types.js';
import { seqAdd } from '../../src/wire/seq.js';
import { linux } from '../../src/model/profiles.js';
import type { Profile } from '../../src/model/profile-type.js';
import type { Segment } from '../../src/wire/types.js';
import { HOST, HOST_PORT, Host, PEER_ISN, S, listening, seg } from './helpers.js';

function synFrom(port: number): Segment {
  return seg({ flags: SYN, srcPort: port, options: [{ kind: 'mss', mss: 1460 }] });
}

function ackFrom(port: number, synack: Segment): Segment {
  return seg({ flags: ACK, srcPort: port, seq: PEER_ISN + 1, ack: seqAdd(synack.seq, 1) });
}

describe('LISTEN', () => {
  it('LQ-1 the backlog is min(backlog, somaxconn); a negative backlog means somaxconn', () => {
    const h = listening(linux, 100000);
    expect(h.conn(3).backlog).toBe(4096);
    const g = new Host();
    g.ok({ op: 'socket', fd: 3 });
    g.ok({ op: 'listen', fd: 3, backlog: -1 });
    expect(g.conn(3).backlog).toBe(4096);
  });

  it('LQ-1 LQ-3 accept queue full (length > backlog): SYNs dropped; a third ACK is ignored, the SYN-ACK retransmitted, the ACK gets in later', () => {
    const h = listening(linux, 1);
    h.inject(synFrom(1001));
    h.inject(ackFrom(1001, h.expectSeg({ flags: SYN | ACK })));
    h.inject(synFrom(1002));
    h.inject(ackFrom(1002, h.expectSeg({ flags: SYN | ACK })));
    expect(h.conn(3).acceptQueue.length).toBe(2); // full only when length > backlog
    h.inject(synFrom(1003));
    h.expectNoSeg(); // accept queue full: new SYNs are dropped silently
    expect(h.notes('LQ-1/accept-queue-full').length).toBe(1);
    h.ok({ op: 'accept', fd: 3 });
    h.inject(synFrom(1003));
    const sa3 = h.expectSeg({ flags: SYN | ACK });
    h.inject(synFrom(1004));
    const sa4 = h.expectSeg({ flags: SYN | ACK });
    h.inject(ackFrom(1003, sa3));
    h.inject(ackFrom(1004, sa4));
    h.expectNoSeg();
    expect(h.notes('LQ-3/accept-queue-full').length).toBe(1);
    expect(h.conn(3).acceptQueue.length).toBe(2);
    h.wait(1 * S);
    h.expectSeg({ flags: SYN | ACK, dstPort: 1004 });
    h.ok({ op: 'accept', fd: 3 });
    h.inject(ackFrom(1004, sa4));
    expect(h.conn(3).acceptQueue.length).toBe(2);
  });

  it('LQ-3 with tcp_abort_on_overflow = 1 the third ACK on a full accept queue is answered with RST', () => {
    const p: Profile = { ...linux, abortOnOverflow: true };
    const h = listening(p, 1);
    h.inject(synFrom(1001));
    const sa1 = h.expectSeg({ flags: SYN | ACK });
    h.inject(synFrom(1002));
    const sa2 = h.expectSeg({ flags: SYN | ACK });
    h.inject(ackFrom(1001, sa1));
    h.inject(synFrom(1003));
    const sa3 = h.expectSeg({ flags: SYN | ACK });
    h.inject(ackFrom(1002, sa2));
    h.inject(ackFrom(1003, sa3));
    h.expectSeg({ flags: RST, seq: seqAdd(sa3.seq, 1), dstPort: 1003 });
    expect(h.conn(3).synQueue).toEqual([]);
    expect(h.conn(3).acceptQueue.length).toBe(2);
  });

  it('LQ-2 SYN queue full with tcp_syncookies=0: new SYNs are dropped silently (a retransmission may get in later)', () => {
    const h = listening({ ...linux, syncookies: 'off' }, 1);
    h.inject(synFrom(1001));
    h.inject(synFrom(1002));
    expect(h.takeSegs().length).toBe(2);
    h.inject(synFrom(1003));
    h.expectNoSeg();
    expect(h.notes('LQ-2/syn-queue-full').length).toBe(1);
    expect(h.conn(3).synQueue.length).toBe(2);
  });

  it('LQ-5 data arriving before accept() is queued and readable after accept()', () => {
    const h = listening();
    h.inject(synFrom(1001));
    const sa = h.expectSeg({ flags: SYN | ACK });
    h.inject(ackFrom(1001, sa));
    h.inject(seg({ flags: ACK, srcPort: 1001, seq: PEER_ISN + 1, ack: seqAdd(sa.seq, 1), len: 700 }));
    const fd = h.ok({ op: 'accept', fd: 3 });
    expect(h.events('readable').some((e) => e.kind === 'event' && e.fd === fd)).toBe(true);
    expect(h.call({ op: 'recv', fd, bytes: 1000 })).toEqual({ ok: true, value: 700 });
  });

  it('LQ-6 land attack: a SYN from our own address and port does not make the host talk to itself forever', () => {
    const h = listening();
    const land = seg({ flags: SYN, srcPort: HOST_PORT, dstPort: HOST_PORT, options: [{ kind: 'mss', mss: 1460 }] });
    h.inject(land, { src: HOST });
    let rounds = 0;
    while (h.pending.length > 0 && rounds < 100) {
      const s = h.pending.shift()!;
      h.inject(s, { src: HOST });
      rounds++;
    }
    expect(rounds).toBeLessThan(10);
    h.wait(200 * S);
    let more = 0;
    while (h.pending.length > 0 && more < 100) {
      h.inject(h.pending.shift()!, { src: HOST });
      more++;
    }
    expect(more).toBeLessThan(20);
    expect(h.deadline).toBeNull();
  });

  it('LQ-6 the rfc9293 profile drops a land SYN outright', async () => {
    const { rfc9293 } = await import('../../src/model/profiles.js');
    const h = listening(rfc9293);
    h.inject(seg({ flags: SYN, srcPort: HOST_PORT, dstPort: HOST_PORT }), { src: HOST });
    h.expectNoSeg();
    expect(h.notes('LQ-6/land').length).toBe(1);
  });

  it('LQ-1 close() of a listener resets accepted-queue children and forgets the SYN queue', () => {
    const h = listening();
    h.inject(synFrom(1001));
    const sa = h.expectSeg({ flags: SYN | ACK });
    h.inject(ackFrom(1001, sa));
    h.inject(synFrom(1002));
    h.takeSegs();
    h.ok({ op: 'close', fd: 3 });
    h.expectSeg({ flags: RST | ACK, dstPort: 1001 });
    h.expectNoSeg();
    expect(h.ep.conns.length).toBe(0);
  });
});
