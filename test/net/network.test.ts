/**
 * The network applies each fault kind of the schedule as specified, orders deliveries
 * deterministically, routes by address, and stays fast with thousands of segments in flight.
 */
import { describe, expect, it } from 'vitest';
import type { Segment } from '../../src/wire/types.js';
import { ACK } from '../../src/wire/types.js';
import type { FaultRule, FaultSchedule } from '../../src/net/faults.js';
import { cleanSchedule, decideFate, faultsEnd, flipHeaderBit, randomSchedule } from '../../src/net/faults.js';
import type { Network } from '../../src/net/network.js';
import { createNetwork, deliverNext, faultsSettledAt, inFlightCount, inFlightList, nextDeliveryTime, send, sendDetailed } from '../../src/net/network.js';

const A = '192.0.2.1';
const B = '192.0.2.2';

function s(seq: number, len = 100): Segment {
  return { srcPort: 5000, dstPort: 80, seq, ack: 7, flags: ACK, window: 1000, urgent: 0, options: [], len };
}

function withRules(rules: FaultRule[], extra: Partial<FaultSchedule> = {}): FaultSchedule {
  return { ...cleanSchedule(1000), rules, ...extra };
}

function sendSeqs(net: Network, from: 'a' | 'b', seqs: number[], t0 = 0, gap = 10): Network {
  let n = net;
  seqs.forEach((q, i) => {
    n = send(n, from, from === 'a' ? { src: A, dst: B, seg: s(q) } : { src: B, dst: A, seg: s(q) }, t0 + i * gap);
  });
  return n;
}

function drain(net: Network): { at: number; seq: number; ok: boolean; len: number; to: string }[] {
  const out: { at: number; seq: number; ok: boolean; len: number; to: string }[] = [];
  let n: Network = net;
  for (;;) {
    const d = deliverNext(n);
    if (d === null) return out;
    out.push({ at: d.item.at, seq: d.item.seg.seq, ok: d.item.checksumOk, len: d.item.seg.len, to: d.item.to });
    n = d.net;
  }
}

describe('network faults', () => {
  it('clean: delivers each segment once after the base latency, in order', () => {
    const net = sendSeqs(createNetwork(A, B, cleanSchedule(1000)), 'a', [1, 2, 3]);
    expect(drain(net)).toEqual([
      { at: 1000, seq: 1, ok: true, len: 100, to: 'b' },
      { at: 1010, seq: 2, ok: true, len: 100, to: 'b' },
      { at: 1020, seq: 3, ok: true, len: 100, to: 'b' },
    ]);
  });

  it('per-direction latency', () => {
    let net = createNetwork(A, B, { latency: { ab: 100, ba: 7000 }, rules: [], partitions: [] });
    net = send(net, 'a', { src: A, dst: B, seg: s(1) }, 0);
    net = send(net, 'b', { src: B, dst: A, seg: s(2) }, 0);
    expect(drain(net).map((d) => [d.at, d.to])).toEqual([
      [100, 'b'],
      [7000, 'a'],
    ]);
  });

  it('drop: the n-th segment of a direction is lost, other direction untouched', () => {
    const net0 = createNetwork(A, B, withRules([{ dir: 'ab', match: { kind: 'nth', n: 1 }, action: { kind: 'drop' } }]));
    const net = sendSeqs(sendSeqs(net0, 'a', [1, 2, 3]), 'b', [10, 20]);
    expect(drain(net).map((d) => d.seq)).toEqual([1, 10, 20, 3]);
    expect(net.stats.lost).toBe(1);
  });

  it('duplicate: a pristine second copy arrives extraDelay later', () => {
    const net0 = createNetwork(A, B, withRules([{ dir: 'both', match: { kind: 'nth', n: 0 }, action: { kind: 'duplicate', extraDelay: 500 } }]));
    const net = sendSeqs(net0, 'a', [1, 2]);
    expect(drain(net).map((d) => [d.at, d.seq])).toEqual([
      [1000, 1],
      [1010, 2],
      [1500, 1],
    ]);
    expect(net.stats.duplicated).toBe(1);
  });

  it('delay: reorders a segment behind later ones', () => {
    const net0 = createNetwork(A, B, withRules([{ dir: 'ab', match: { kind: 'nth', n: 0 }, action: { kind: 'delay', extra: 5000 } }]));
    const net = sendSeqs(net0, 'a', [1, 2, 3]);
    expect(drain(net).map((d) => d.seq)).toEqual([2, 3, 1]);
    expect(drain(net)[2]!.at).toBe(6000);
  });

  it('corrupt (DT-4): receiver gets checksumOk false and the flipped bit', () => {
    const net0 = createNetwork(A, B, withRules([{ dir: 'ab', match: { kind: 'nth', n: 0 }, action: { kind: 'corrupt', bit: 32 } }]));
    const net = sendSeqs(net0, 'a', [1, 2]);
    const got = inFlightList(net);
    expect(got[0]!.checksumOk).toBe(false);
    expect(got[0]!.seg.seq).toBe((1 ^ 0x8000_0000) >>> 0);
    expect(got[1]!.checksumOk).toBe(true);
    expect(net.stats.corrupted).toBe(1);
  });

  it('flipHeaderBit hits the RFC 9293 §3.1 header fields', () => {
    const g = s(0);
    expect(flipHeaderBit(g, 0).srcPort).toBe(5000 ^ 0x8000);
    expect(flipHeaderBit(g, 31).dstPort).toBe(80 ^ 1);
    expect(flipHeaderBit(g, 95).ack).toBe(7 ^ 1);
    expect(flipHeaderBit(g, 13 * 8 + 3).flags).toBe(ACK ^ 0x10);
    expect(flipHeaderBit(g, 14 * 8).window).toBe(1000 ^ 0x8000);
    expect(flipHeaderBit(g, 159).urgent).toBe(1);
    expect(flipHeaderBit(g, 16 * 8)).toEqual(g); // checksum field: no Segment field changes
    expect(flipHeaderBit(g, 12 * 8)).toEqual(g); // data offset
  });

  it('truncate: payload shortened and checksum bad', () => {
    const net0 = createNetwork(A, B, withRules([{ dir: 'ab', match: { kind: 'nth', n: 0 }, action: { kind: 'truncate', keep: 30 } }]));
    const net = sendSeqs(net0, 'a', [1]);
    expect(drain(net)).toEqual([{ at: 1000, seq: 1, ok: false, len: 30, to: 'b' }]);
  });

  it('window rule: applies to segments sent in [from, to)', () => {
    const net0 = createNetwork(A, B, withRules([{ dir: 'both', match: { kind: 'window', from: 10, to: 30 }, action: { kind: 'drop' } }]));
    const net = sendSeqs(net0, 'a', [1, 2, 3, 4]); // sent at 0, 10, 20, 30
    expect(drain(net).map((d) => d.seq)).toEqual([1, 4]);
  });

  it('partition: everything whose flight overlaps [from, to) is lost, both ways', () => {
    const sched = withRules([], { partitions: [{ from: 5000, to: 8000 }] });
    let net = createNetwork(A, B, sched);
    net = send(net, 'a', { src: A, dst: B, seg: s(1) }, 3000); // arrives 4000: before
    net = send(net, 'a', { src: A, dst: B, seg: s(2) }, 4500); // arrives 5500: flight overlaps
    net = send(net, 'b', { src: B, dst: A, seg: s(3) }, 6000); // during
    net = send(net, 'a', { src: A, dst: B, seg: s(4) }, 7999); // during
    net = send(net, 'b', { src: B, dst: A, seg: s(5) }, 8000); // after
    expect(drain(net).map((d) => d.seq)).toEqual([1, 5]);
    expect(net.stats.lost).toBe(3);
  });

  it('rules combine in order: delay then duplicate then corrupt of the original', () => {
    const f = decideFate(
      withRules([
        { dir: 'ab', match: { kind: 'nth', n: 0 }, action: { kind: 'delay', extra: 100 } },
        { dir: 'ab', match: { kind: 'nth', n: 0 }, action: { kind: 'duplicate', extraDelay: 50 } },
        { dir: 'ab', match: { kind: 'nth', n: 0 }, action: { kind: 'corrupt', bit: 159 } },
      ]),
      'ab',
      0,
      0,
      s(1),
    );
    expect(f.faults).toEqual(['delay', 'duplicate', 'corrupt']);
    expect(f.copies.map((c) => [c.delay, c.checksumOk, c.seg.urgent])).toEqual([
      [1100, false, 1],
      [1050, true, 0],
    ]);
  });

  it('equal arrival times keep send order; routing by address; unroutable and loopback', () => {
    let net = createNetwork(A, B, cleanSchedule(0));
    net = send(net, 'a', { src: A, dst: B, seg: s(1) }, 5);
    net = send(net, 'b', { src: B, dst: A, seg: s(2) }, 5);
    net = send(net, 'a', { src: A, dst: A, seg: s(3) }, 5); // land attack style: back to itself (LQ-6)
    const r = sendDetailed(net, 'a', { src: A, dst: '198.51.100.9', seg: s(4) }, 5);
    expect(r.fate).toBeNull();
    net = r.net;
    expect(drain(net).map((d) => [d.seq, d.to])).toEqual([
      [1, 'b'],
      [2, 'a'],
      [3, 'a'],
    ]);
    expect(net.stats.unroutable).toBe(1);
  });

  it('send is pure: older versions are unchanged', () => {
    const n0 = createNetwork(A, B, cleanSchedule(10));
    const n1 = send(n0, 'a', { src: A, dst: B, seg: s(1) }, 0);
    const n2 = send(n1, 'a', { src: A, dst: B, seg: s(2) }, 0);
    expect(inFlightCount(n0)).toBe(0);
    expect(inFlightCount(n1)).toBe(1);
    expect(inFlightCount(n2)).toBe(2);
    const d = deliverNext(n2)!;
    expect(inFlightCount(d.net)).toBe(1);
    expect(inFlightCount(n2)).toBe(2);
    expect(nextDeliveryTime(n0)).toBeNull();
  });

  it('random faults: same seed same fates; rates near the probabilities', () => {
    const sched = randomSchedule(42, { drop: 0.1, duplicate: 0.05, reorder: 0.05, corrupt: 0.02, truncate: 0.02, maxDelay: 3000 }, 1e12);
    const fates1 = Array.from({ length: 20_000 }, (_, i) => decideFate(sched, i % 2 === 0 ? 'ab' : 'ba', i >> 1, i, s(i)));
    const fates2 = Array.from({ length: 20_000 }, (_, i) => decideFate(sched, i % 2 === 0 ? 'ab' : 'ba', i >> 1, i, s(i)));
    expect(fates2).toEqual(fates1);
    const count = (k: string): number => fates1.filter((f) => f.faults.includes(k)).length / fates1.length;
    expect(count('random-drop')).toBeGreaterThan(0.09);
    expect(count('random-drop')).toBeLessThan(0.11);
    // Duplicates, delays, corruption are drawn only for segments not dropped (0.9 of them).
    expect(count('random-duplicate')).toBeGreaterThan(0.035);
    expect(count('random-duplicate')).toBeLessThan(0.055);
    expect(count('random-delay')).toBeGreaterThan(0.035);
    expect(count('random-corrupt')).toBeGreaterThan(0.012);
    expect(count('random-truncate')).toBeGreaterThan(0.012);
    const other = decideFate({ ...sched, random: { ...sched.random!, seed: 43 } }, 'ab', 0, 0, s(0));
    const differs = Array.from({ length: 200 }, (_, i) =>
      JSON.stringify(decideFate({ ...sched, random: { ...sched.random!, seed: 43 } }, 'ab', i, 0, s(i))) !== JSON.stringify(fates1[2 * i]),
    );
    expect(other.dir).toBe('ab');
    expect(differs.some((x) => x)).toBe(true);
  });

  it('random faults stop at `until`; faultsEnd and faultsSettledAt', () => {
    const sched: FaultSchedule = {
      ...randomSchedule(1, { drop: 1 }, 50_000),
      rules: [
        { dir: 'ab', match: { kind: 'window', from: 0, to: 70_000 }, action: { kind: 'delay', extra: 1 } },
        { dir: 'ab', match: { kind: 'nth', n: 3 }, action: { kind: 'delay', extra: 500_000 } },
      ],
      partitions: [{ from: 10, to: 60_000 }],
    };
    expect(faultsEnd(sched)).toBe(70_000);
    expect(decideFate(sched, 'ba', 0, 49_999, s(0)).copies).toHaveLength(0);
    expect(decideFate(sched, 'ba', 0, 60_000, s(0)).copies).toHaveLength(1);
    let net = createNetwork(A, B, sched);
    net = sendSeqs(net, 'a', [0, 1, 2, 3], 100_000, 1);
    expect(faultsSettledAt(net)).toBe(100_003 + 1000 + 500_000);
  });

  it('thousands in flight: 20 000 sends and deliveries stay fast (persistent heap)', () => {
    const sched = randomSchedule(7, { reorder: 0.5, maxDelay: 100_000 }, 1e12);
    let net = createNetwork(A, B, sched);
    const t0 = performance.now();
    for (let i = 0; i < 20_000; i++) net = send(net, i % 2 === 0 ? 'a' : 'b', { src: i % 2 === 0 ? A : B, dst: i % 2 === 0 ? B : A, seg: s(i) }, i);
    expect(inFlightCount(net)).toBe(20_000);
    let last = -1;
    let lastOrder = -1;
    let n = 0;
    for (;;) {
      const d = deliverNext(net);
      if (d === null) break;
      expect(d.item.at > last || (d.item.at === last && d.item.order > lastOrder)).toBe(true);
      last = d.item.at;
      lastOrder = d.item.order;
      net = d.net;
      n++;
    }
    const ms = performance.now() - t0;
    expect(n).toBe(20_000);
    // Measured ≈ 40–60 ms on the dev machine; a copied sorted array would be O(n²) ≈ seconds.
    expect(ms).toBeLessThan(2000);
  });
});
