/**
 * The public arbitraries produce values that pass plain sanity checks (uint32 sequence fields,
 * 16-bit ports and windows, flag bytes, option lists within 40 bytes where well-formed, API
 * preconditions for call sequences, ordered time windows) and shrink to small counterexamples.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SocketCall } from '../../src/scenario/types.js';
import type { Segment } from '../../src/wire/types.js';
import { ACK, RST, SYN } from '../../src/wire/types.js';
import { optionsLength } from '../../src/wire/options.js';
import { seqDiff, seqInWindow, seqLe } from '../../src/wire/seq.js';
import type { SegContext } from '../../src/arbitraries/index.js';
import {
  faultScheduleArb,
  handshakeSegmentArb,
  hostileOptionsArb,
  hostileSegmentArb,
  interpretIntents,
  nearValidSegmentArb,
  optionsArb,
  pairScenarioArb,
  segmentArb,
  socketCallsArb,
  timedSocketCallsArb,
  wellFormedSegmentArb,
} from '../../src/arbitraries/index.js';
import { faultsEnd } from '../../src/net/faults.js';

const SEED = Number(process.env['FC_SEED'] ?? 20261123);
const isU32 = (n: number): boolean => Number.isInteger(n) && n >= 0 && n <= 0xffff_ffff;
const isU16 = (n: number): boolean => Number.isInteger(n) && n >= 0 && n <= 0xffff;

function saneSegment(s: Segment): void {
  expect(isU16(s.srcPort) && isU16(s.dstPort)).toBe(true);
  expect(isU32(s.seq) && isU32(s.ack)).toBe(true);
  expect(Number.isInteger(s.flags) && s.flags >= 0 && s.flags <= 0xff).toBe(true);
  expect(isU16(s.window) && isU16(s.urgent)).toBe(true);
  expect(Number.isInteger(s.len) && s.len >= 0).toBe(true);
}

// A context whose window wraps past 2^32 (DT-2).
const CTX: SegContext = { localPort: 80, remotePort: 40000, sndUna: 0xffff_ff00, sndNxt: 0x0000_0200, rcvNxt: 0xffff_fff0, rcvWnd: 5000, mss: 1000 };

describe('segment arbitraries', () => {
  it('well-formed: seq in the receive window with the payload fitting, ack in [SND.UNA, SND.NXT], options ≤ 40 bytes', () => {
    fc.assert(
      fc.property(wellFormedSegmentArb(CTX), (s) => {
        saneSegment(s);
        expect(s.srcPort).toBe(40000);
        expect(s.dstPort).toBe(80);
        expect(seqInWindow(s.seq, CTX.rcvNxt, CTX.rcvWnd)).toBe(true);
        expect(seqDiff(CTX.rcvNxt, s.seq) + s.len).toBeLessThanOrEqual(CTX.rcvWnd);
        if (s.flags & ACK) expect(seqLe(CTX.sndUna, s.ack) && seqLe(s.ack, CTX.sndNxt)).toBe(true);
        if (s.flags & RST) expect(s.len).toBe(0);
        expect(s.flags & SYN).toBe(0);
        expect(optionsLength(s.options)).toBeLessThanOrEqual(40);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('handshake: SYN with ack 0 or SYN-ACK acknowledging SND.NXT, no payload, SYN options ≤ 40 bytes', () => {
    fc.assert(
      fc.property(handshakeSegmentArb(CTX), (s) => {
        saneSegment(s);
        expect([SYN, SYN | ACK]).toContain(s.flags);
        expect(s.ack).toBe(s.flags & ACK ? CTX.sndNxt : 0);
        expect(s.len).toBe(0);
        expect(optionsLength(s.options)).toBeLessThanOrEqual(40);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('near-valid: seq within 2 of RCV.NXT or the right edge, ack within 2 of SND.UNA or SND.NXT', () => {
    const right = (CTX.rcvNxt + CTX.rcvWnd) >>> 0;
    fc.assert(
      fc.property(nearValidSegmentArb(CTX), (s) => {
        saneSegment(s);
        expect(Math.min(Math.abs(seqDiff(CTX.rcvNxt, s.seq)), Math.abs(seqDiff(right, s.seq)))).toBeLessThanOrEqual(2);
        expect(Math.min(Math.abs(seqDiff(CTX.sndUna, s.ack)), Math.abs(seqDiff(CTX.sndNxt, s.ack)))).toBeLessThanOrEqual(2);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('hostile: sane field widths, and it does reach SYN|FIN|RST mixes, wrapped seqs and long option lists', () => {
    const xs = fc.sample(hostileSegmentArb(CTX), { seed: SEED, numRuns: 2000 });
    xs.forEach(saneSegment);
    expect(xs.some((s) => (s.flags & (SYN | RST)) === (SYN | RST))).toBe(true);
    expect(xs.some((s) => Math.abs(seqDiff(CTX.rcvNxt, s.seq)) > 0x4000_0000)).toBe(true);
    expect(xs.some((s) => s.window === 0)).toBe(true);
    expect(xs.some((s) => optionsLength(s.options) > 40)).toBe(true);
    expect(xs.some((s) => s.options.some((o) => o.kind === 'wscale' && o.shift > 14))).toBe(true);
    expect(xs.some((s) => s.options.some((o) => o.kind === 'raw'))).toBe(true);
    // segmentArb dispatches by name: with one seed it yields exactly what the named arbitrary yields.
    expect(fc.sample(segmentArb('near-valid', CTX), { seed: SEED, numRuns: 20 })).toEqual(fc.sample(nearValidSegmentArb(CTX), { seed: SEED, numRuns: 20 }));
    expect(fc.sample(segmentArb('hostile', CTX), { seed: SEED, numRuns: 20 })).toEqual(fc.sample(hostileSegmentArb(CTX), { seed: SEED, numRuns: 20 }));
  });

  it('optionsArb: SYN options in Linux layouts with shift ≤ 14, at most one of each, ≤ 40 bytes', () => {
    fc.assert(
      fc.property(optionsArb({ syn: true }), optionsArb(), (syn, later) => {
        expect(optionsLength(syn)).toBeLessThanOrEqual(40);
        expect(optionsLength(later)).toBeLessThanOrEqual(40);
        for (const k of ['mss', 'wscale', 'sackOk', 'ts'] as const) expect(syn.filter((o) => o.kind === k).length).toBeLessThanOrEqual(1);
        for (const o of syn) if (o.kind === 'wscale') expect(o.shift).toBeLessThanOrEqual(14);
        expect(later.every((o) => o.kind === 'nop' || o.kind === 'ts' || o.kind === 'sack')).toBe(true);
      }),
      { seed: SEED, numRuns: 300 },
    );
    const hostile = fc.sample(hostileOptionsArb(), { seed: SEED, numRuns: 1000 });
    expect(hostile.some((l) => l.filter((o) => o.kind === 'mss').length >= 2)).toBe(true);
    expect(hostile.some((l) => l.some((o) => o.kind === 'mss' && o.mss === 0))).toBe(true);
  });

  it('shrinks: "payload ≤ 100" fails with a 101-byte segment at RCV.NXT', () => {
    const r = fc.check(fc.property(wellFormedSegmentArb(CTX), (s) => s.len <= 100), { seed: SEED });
    expect(r.failed).toBe(true);
    const [s] = r.counterexample!;
    expect(s.len).toBe(101);
    expect(s.seq).toBe(CTX.rcvNxt);
    expect(s.options).toEqual([]);
    expect(s.window).toBe(0);
  });
});

/** An independent checker of the API preconditions socketCallsArb promises. */
function checkPreconditions(calls: readonly SocketCall[]): string | null {
  const st = new Map<number, string>();
  for (const [i, c] of calls.entries()) {
    const s = c.op === 'socket' ? undefined : st.get(c.fd);
    switch (c.op) {
      case 'socket':
        if (st.has(c.fd)) return `${i}: socket on open fd ${c.fd}`;
        st.set(c.fd, 'created');
        break;
      case 'bind':
        if (s !== 'created') return `${i}: bind on ${s}`;
        st.set(c.fd, 'bound');
        break;
      case 'listen':
        if (s !== 'bound') return `${i}: listen on ${s}`;
        st.set(c.fd, 'listening');
        break;
      case 'connect':
        if (s !== 'created' && s !== 'bound') return `${i}: connect on ${s}`;
        st.set(c.fd, 'connected');
        break;
      case 'accept': {
        if (s !== 'listening') return `${i}: accept on ${s}`;
        let fd = 3;
        while (st.has(fd)) fd++;
        st.set(fd, 'connected');
        break;
      }
      case 'send':
      case 'recv':
      case 'shutdown':
      case 'abort':
        if (s !== 'connected') return `${i}: ${c.op} on ${s}`;
        if (c.op === 'abort') st.delete(c.fd);
        break;
      case 'close':
      case 'setsockopt':
        if (s === undefined) return `${i}: ${c.op} on a closed fd`;
        if (c.op === 'close') st.delete(c.fd);
        break;
      default: {
        const never: never = c;
        return never;
      }
    }
  }
  return null;
}

describe('socketCallsArb', () => {
  it('every sequence respects the API preconditions; fds are the lowest free ≥ 3', () => {
    fc.assert(
      fc.property(socketCallsArb({ maxCalls: 30 }), (calls) => {
        expect(checkPreconditions(calls)).toBeNull();
        for (const c of calls) if (c.op === 'send' || c.op === 'recv') expect(c.bytes).toBeGreaterThan(0);
      }),
      { seed: SEED, numRuns: 500 },
    );
    const xs = fc.sample(socketCallsArb({ maxCalls: 30 }), { seed: SEED, numRuns: 500 });
    expect(xs.some((cs) => cs.some((c) => c.op === 'accept'))).toBe(true);
    expect(xs.some((cs) => cs.some((c) => c.op === 'send'))).toBe(true);
  });

  it('intentions that fit nothing are skipped', () => {
    expect(interpretIntents([{ op: 'send', pick: 0, n: 5 }, { op: 'socket', pick: 0, n: 0 }, { op: 'listen', pick: 0, n: 0 }])).toEqual([{ op: 'socket', fd: 3 }]);
  });

  it('timed calls have non-decreasing times', () => {
    fc.assert(
      fc.property(timedSocketCallsArb(), (xs) => {
        expect(checkPreconditions(xs.map((x) => x.call))).toBeNull();
        xs.forEach((x, i) => i === 0 || expect(x.t).toBeGreaterThanOrEqual(xs[i - 1]!.t));
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('shrinks: "never send" fails with socket, connect, send of 1 byte', () => {
    const r = fc.check(fc.property(socketCallsArb(), (calls) => !calls.some((c) => c.op === 'send')), { seed: SEED });
    expect(r.failed).toBe(true);
    expect(r.counterexample![0]).toEqual([
      { op: 'socket', fd: 3 },
      { op: 'connect', fd: 3, port: 80 },
      { op: 'send', fd: 3, bytes: 1 },
    ]);
  });
});

describe('faultScheduleArb and pairScenarioArb', () => {
  it('fault schedules: windows ordered, probabilities in [0, 1], faultsEnd within the horizon', () => {
    fc.assert(
      fc.property(faultScheduleArb({ horizon: 2_000_000 }), (f) => {
        expect(f.latency.ab >= 0 && f.latency.ba >= 0).toBe(true);
        for (const r of f.rules) if (r.match.kind === 'window') expect(r.match.from).toBeLessThan(r.match.to);
        for (const p of f.partitions) expect(p.from).toBeLessThan(p.to);
        if (f.random) for (const k of ['drop', 'duplicate', 'reorder', 'corrupt', 'truncate'] as const) expect(f.random[k] >= 0 && f.random[k] <= 1).toBe(true);
        expect(faultsEnd(f)).toBeLessThanOrEqual(2_000_000 + 500_000);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('pair scenarios: JSON round trip, listener before connect, sane calls and times', () => {
    fc.assert(
      fc.property(pairScenarioArb(), (p) => {
        expect(JSON.parse(JSON.stringify(p))).toEqual(p);
        expect(p.addrA).not.toBe(p.addrB);
        expect(p.calls.every((c) => Number.isInteger(c.t) && c.t >= 0)).toBe(true);
        const a = p.calls.filter((c) => c.node === 'a').map((c) => c.call);
        const b = p.calls.filter((c) => c.node === 'b').map((c) => c.call);
        expect(checkPreconditions(a)).toBeNull();
        expect(b.slice(0, 3).map((c) => c.op)).toEqual(['socket', 'bind', 'listen']);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('shrinks: "client sends < 5000 bytes" fails with one 5000-byte send and no faults', () => {
    const total = (p: { calls: readonly { node: string; call: SocketCall }[] }): number =>
      p.calls.reduce((n, c) => n + (c.node === 'a' && c.call.op === 'send' ? c.call.bytes : 0), 0);
    const r = fc.check(fc.property(pairScenarioArb(), (p) => total(p) < 5000), { seed: SEED });
    expect(r.failed).toBe(true);
    const p = r.counterexample![0];
    const sends = p.calls.filter((c) => c.call.op === 'send');
    expect(sends).toHaveLength(1);
    expect(total(p)).toBe(5000);
    expect(p.faults.rules).toEqual([]);
    expect(p.faults.random).toBeUndefined();
    expect(p.calls.every((c) => c.t === 0)).toBe(true);
  });
});
