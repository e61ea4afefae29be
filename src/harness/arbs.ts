/**
 * The generators behind the property suites (suites.ts). Each draws a `HarnessCase` aimed at one
 * area: handshakes (normal, simultaneous open HS-10, refused HS-11, SYN and SYN-ACK give-up HS-5/
 * HS-6, listener closed with requests pending), transfers under faults, flow control with small
 * buffers and a slow reader (FC-*, zero windows and persist), close paths (simultaneous close CT-4,
 * close with unread data CT-8, SO_LINGER 0 CT-9, orphaned FIN-WAIT-2 CT-6, retransmission give-up
 * in every closing state), forged RST/SYN/FIN/ACK/data at chosen offsets (RS-*, RFC 5961), and
 * listener floods (LQ-*). Built from records, small integers and `constantFrom`, so fast-check
 * shrinks them toward short, clean scenarios.
 */
import fc from 'fast-check';
import { pairScenarioArb, faultScheduleArb } from '../arbitraries/index.js';
import type { FaultRule, FaultSchedule } from '../net/faults.js';
import type { PairApp, PairCall, PairScenario } from '../net/types.js';
import type { Micros, SocketCall } from '../scenario/types.js';
import { ACK, FIN, PSH, RST, SYN } from '../wire/types.js';
import type { HarnessCase, Injection } from './case.js';

const MS = 1000;
const S = 1_000_000;
const HOUR = 3600 * S;
export const ADDR_A = '192.0.2.1';
export const ADDR_B = '192.0.2.2';
const BOUNDS = { maxSteps: 20_000, maxTime: HOUR };

function clean(latencyMs = 1): FaultSchedule {
  return { latency: { ab: latencyMs * MS, ba: latencyMs * MS }, rules: [], partitions: [] };
}

function pair(profile: string, seedA: number, seedB: number, calls: PairCall[], app: PairApp, faults: FaultSchedule): PairScenario {
  return { profile, seedA, seedB, addrA: ADDR_A, addrB: ADDR_B, calls, app, faults, bounds: BOUNDS };
}

const c = (t: Micros, node: 'a' | 'b', call: SocketCall): PairCall => ({ t, node, call });

/** Server on b (fd 3 listening on `port`), client on a (fd 3) connecting at `at`. */
function connectCalls(port: number, backlog: number, at: Micros): PairCall[] {
  return [
    c(0, 'b', { op: 'socket', fd: 3 }),
    c(0, 'b', { op: 'bind', fd: 3, port }),
    c(0, 'b', { op: 'listen', fd: 3, backlog }),
    c(0, 'a', { op: 'socket', fd: 3 }),
    c(at, 'a', { op: 'connect', fd: 3, port }),
  ];
}

type End = 'close' | 'shutdown' | 'abort' | 'linger0' | 'none';
const endArb = fc.constantFrom<End>('close', 'shutdown', 'abort', 'linger0', 'none');

function endCalls(node: 'a' | 'b', fd: number, end: End, t: Micros): PairCall[] {
  switch (end) {
    case 'close':
      return [c(t, node, { op: 'close', fd })];
    case 'shutdown':
      return [c(t, node, { op: 'shutdown', fd, how: 'SHUT_WR' })];
    case 'abort':
      return [c(t, node, { op: 'abort', fd })];
    case 'linger0':
      return [c(t, node, { op: 'setsockopt', fd, opt: 'SO_LINGER', value: 0 }), c(t, node, { op: 'close', fd })];
    case 'none':
      return [];
    default: {
      const never: never = end;
      return never;
    }
  }
}

const seedArb = fc.nat();
const msArb = (max: number): fc.Arbitrary<number> => fc.nat({ max }).map((x) => x * MS);

function profileArb(profiles: readonly string[]): fc.Arbitrary<string> {
  return fc.constantFrom(...(profiles.length > 0 ? profiles : ['linux']));
}

/** A network that goes dark: a partition from `from` lasting `len` (long enough for every give-up timer). */
function withBlackout(f: FaultSchedule, b: { from: Micros; len: Micros } | null): FaultSchedule {
  return b === null ? f : { ...f, partitions: [...f.partitions, { from: b.from, to: b.from + b.len }] };
}

// ── handshake ───────────────────────────────────────────────────────────────────────────────

/** HS-1 … HS-12: normal opens, simultaneous open, refused, give-ups, closes and aborts mid-handshake. */
export function handshakeArb(profiles: readonly string[]): fc.Arbitrary<HarnessCase> {
  const normal = pairScenarioArb({ profiles, maxSends: 1, maxBytes: 3000, horizon: 2 * S, bounds: BOUNDS }).map((pair) => ({ pair, injections: [] }));
  const simultaneous = fc
    .record({
      profile: profileArb(profiles),
      seedA: seedArb,
      seedB: seedArb,
      latencyMs: fc.integer({ min: 1, max: 20 }),
      skewMs: fc.nat({ max: 3 }),
      endA: endArb,
      endB: endArb,
      endAtMs: fc.nat({ max: 60 }),
      bytes: fc.nat({ max: 2000 }),
      faults: fc.option(faultScheduleArb({ horizon: 500 * MS, maxRules: 2, maxPartitions: 0, random: false }), { nil: null }),
    })
    .map((r): HarnessCase => {
      // HS-10, RFC 9293 §3.5 Figure 8: both sides bind and connect to each other; the SYNs cross.
      const calls: PairCall[] = [
        c(0, 'a', { op: 'socket', fd: 3 }),
        c(0, 'a', { op: 'bind', fd: 3, port: 5000 }),
        c(0, 'b', { op: 'socket', fd: 3 }),
        c(0, 'b', { op: 'bind', fd: 3, port: 6000 }),
        c(0, 'a', { op: 'connect', fd: 3, port: 6000 }),
        c(r.skewMs * MS, 'b', { op: 'connect', fd: 3, port: 5000 }),
      ];
      if (r.bytes > 0) calls.push(c(r.skewMs * MS, 'a', { op: 'send', fd: 3, bytes: r.bytes }));
      // The ends are direct calls: a close() while the connect is still in SYN-RECEIVED (RFC 9293
      // Figure 5: SYN-RECEIVED → FIN-WAIT-1) must not wait for the handshake.
      const ends = [...endCalls('a', 3, r.endA, r.endAtMs * MS), ...endCalls('b', 3, r.endB, r.endAtMs * MS)];
      const f = r.faults === null ? clean(r.latencyMs) : { ...r.faults, latency: { ab: r.latencyMs * MS, ba: r.latencyMs * MS } };
      return { pair: pair(r.profile, r.seedA, r.seedB, calls, { autoAccept: true, autoRecv: true, closeOnEof: true }, f), injections: [], direct: ends };
    });
  const special = fc
    .record({
      profile: profileArb(profiles),
      seedA: seedArb,
      seedB: seedArb,
      kind: fc.constantFrom('refused', 'close-connecting', 'abort-connecting', 'syn-blackhole', 'synack-blackhole', 'listener-close', 'listener-abort'),
      latencyMs: fc.integer({ min: 1, max: 20 }),
      atMs: fc.nat({ max: 40 }),
    })
    .map((r): HarnessCase => {
      const lat = r.latencyMs * MS;
      const at = r.atMs * MS;
      const app: PairApp = { autoAccept: true, autoRecv: true, closeOnEof: true };
      let calls = connectCalls(80, 4, 0);
      let faults = clean(r.latencyMs);
      switch (r.kind) {
        case 'refused': // HS-11: nobody listens on port 81 → RST, ECONNREFUSED
          calls = [...connectCalls(80, 4, 0).slice(0, 4), c(0, 'a', { op: 'connect', fd: 3, port: 81 })];
          break;
        case 'close-connecting': // close() in SYN-SENT (a direct call: the app would wait for the connect)
          return { pair: pair(r.profile, r.seedA, r.seedB, calls, app, faults), injections: [], direct: [c(at % (2 * lat), 'a', { op: 'close', fd: 3 })] };
        case 'abort-connecting':
          calls.push(c(at % (2 * lat), 'a', { op: 'abort', fd: 3 }));
          break;
        case 'syn-blackhole': // HS-5: SYN retransmissions exhausted
          faults = { ...faults, partitions: [{ from: 0, to: 1000 * S }] };
          break;
        case 'synack-blackhole': // HS-6: SYN-ACKs lost, both give up
          faults = { ...faults, rules: [{ dir: 'ba', match: { kind: 'window', from: 0, to: 1000 * S }, action: { kind: 'drop' } }] };
          break;
        case 'listener-close': // the listener goes while a request is embryonic or unaccepted
          calls.push(c(at, 'b', { op: 'close', fd: 3 }));
          return { pair: pair(r.profile, r.seedA, r.seedB, calls, { ...app, autoAccept: r.atMs % 2 === 0 }, faults), injections: [] };
        case 'listener-abort':
          calls.push(c(at, 'b', { op: 'abort', fd: 3 }));
          break;
      }
      return { pair: pair(r.profile, r.seedA, r.seedB, calls, app, faults), injections: [] };
    });
  return fc.oneof({ arbitrary: normal, weight: 2 }, { arbitrary: simultaneous, weight: 2 }, { arbitrary: special, weight: 2 });
}

// ── transfer under faults ───────────────────────────────────────────────────────────────────

/** DT-*: data both ways over drop/duplicate/reorder/corrupt/truncate/partition faults. */
export function transferArb(profiles: readonly string[]): fc.Arbitrary<HarnessCase> {
  return pairScenarioArb({ profiles, maxSends: 3, maxBytes: 30_000, horizon: 3 * S, bounds: BOUNDS }).map((p) => ({ pair: p, injections: [] }));
}

// ── flow control and zero windows ───────────────────────────────────────────────────────────

/** FC-*: a small receive buffer and a slow or stalled reader; the sender must respect zero windows and probe. */
export function flowArb(profiles: readonly string[]): fc.Arbitrary<HarnessCase> {
  return fc
    .record({
      profile: profileArb(profiles),
      seedA: seedArb,
      seedB: seedArb,
      rcvbuf: fc.constantFrom(1024, 2304, 4096, 8192, 65536),
      sndbuf: fc.option(fc.constantFrom(2048, 4608, 16384), { nil: null }),
      nodelay: fc.boolean(),
      sends: fc.array(fc.integer({ min: 1, max: 60_000 }), { minLength: 1, maxLength: 3 }),
      reads: fc.array(fc.record({ atMs: fc.nat({ max: 30_000 }), bytes: fc.integer({ min: 1, max: 20_000 }) }), { maxLength: 5 }),
      autoRecvLate: fc.boolean(),
      endA: endArb,
      faults: fc.option(faultScheduleArb({ horizon: 5 * S, maxRules: 2, maxPartitions: 1, maxPercent: 5 }), { nil: null }),
    })
    .map((r): HarnessCase => {
      const calls: PairCall[] = [
        c(0, 'b', { op: 'socket', fd: 3 }),
        c(0, 'b', { op: 'setsockopt', fd: 3, opt: 'SO_RCVBUF', value: r.rcvbuf }),
        c(0, 'b', { op: 'bind', fd: 3, port: 80 }),
        c(0, 'b', { op: 'listen', fd: 3, backlog: 4 }),
        c(0, 'a', { op: 'socket', fd: 3 }),
      ];
      if (r.sndbuf !== null) calls.push(c(0, 'a', { op: 'setsockopt', fd: 3, opt: 'SO_SNDBUF', value: r.sndbuf }));
      if (r.nodelay) calls.push(c(0, 'a', { op: 'setsockopt', fd: 3, opt: 'TCP_NODELAY', value: 1 }));
      calls.push(c(0, 'a', { op: 'connect', fd: 3, port: 80 }));
      for (const b of r.sends) calls.push(c(10 * MS, 'a', { op: 'send', fd: 3, bytes: b }));
      calls.push(...endCalls('a', 3, r.endA, 10 * MS));
      for (const x of r.reads) calls.push(c(x.atMs * MS, 'b', { op: 'recv', fd: 4, bytes: x.bytes }));
      // A reader that wakes up late reads everything from then on (so windows reopen).
      const app: PairApp = { autoAccept: true, autoRecv: false, closeOnEof: true };
      if (r.autoRecvLate) calls.push(c(40 * S, 'b', { op: 'recv', fd: 4, bytes: 1 << 20 }));
      return { pair: pair(r.profile, r.seedA, r.seedB, calls, app, r.faults ?? clean(5)), injections: [] };
    });
}

// ── close paths ─────────────────────────────────────────────────────────────────────────────

/**
 * Close paths aimed at one state each, timed from the latency: the network goes dark right after
 * the state is reached (give-up timers in CLOSE-WAIT, CLOSING, LAST-ACK: CT-5), or the app closes
 * with unread data from FIN-WAIT-2 and LAST-ACK after a shutdown (RST, CT-8).
 */
function closeTemplateArb(profiles: readonly string[]): fc.Arbitrary<HarnessCase> {
  return fc
    .record({
      profile: profileArb(profiles),
      seedA: seedArb,
      seedB: seedArb,
      latencyMs: fc.integer({ min: 1, max: 30 }),
      kind: fc.constantFrom('close-wait-dark', 'closing-dark', 'last-ack-dark', 'fin-wait-2-unread', 'last-ack-unread', 'last-ack-abort', 'closing-abort'),
    })
    .map((r): HarnessCase => {
      const L = r.latencyMs * MS;
      const t0 = 5 * MS;
      const calls = connectCalls(80, 4, 0);
      const dark = (from: Micros): FaultSchedule => ({ ...clean(r.latencyMs), partitions: [{ from, to: from + 3000 * S }] });
      const app: PairApp = { autoAccept: true, autoRecv: true, closeOnEof: false };
      switch (r.kind) {
        case 'close-wait-dark': // b in CLOSE-WAIT sends data into the dark
          calls.push(c(t0, 'a', { op: 'close', fd: 3 }), c(t0 + 3 * L, 'b', { op: 'send', fd: 4, bytes: 1000 }));
          return { pair: pair(r.profile, r.seedA, r.seedB, calls, app, dark(t0 + 2 * L)), injections: [] };
        case 'closing-dark': // both FINs cross, both ACKs are lost
          calls.push(c(t0, 'a', { op: 'close', fd: 3 }), c(t0, 'b', { op: 'close', fd: 4 }));
          return { pair: pair(r.profile, r.seedA, r.seedB, calls, app, dark(t0 + L + Math.floor(L / 2))), injections: [] };
        case 'last-ack-dark': // b closes on EOF; the ACK of its FIN is lost
          calls.push(c(t0, 'a', { op: 'close', fd: 3 }));
          return { pair: pair(r.profile, r.seedA, r.seedB, calls, { ...app, closeOnEof: true }, dark(t0 + L + Math.floor(L / 2))), injections: [] };
        case 'fin-wait-2-unread': // a half-closes, b's data arrives unread, a closes → RST from FIN-WAIT-2
          calls.push(c(t0, 'a', { op: 'shutdown', fd: 3, how: 'SHUT_WR' }), c(t0 + 3 * L, 'b', { op: 'send', fd: 4, bytes: 100 }), c(t0 + 6 * L, 'a', { op: 'close', fd: 3 }));
          return { pair: pair(r.profile, r.seedA, r.seedB, calls, { ...app, autoRecv: false }, clean(r.latencyMs)), injections: [] };
        case 'last-ack-unread': // b leaves a's data unread, half-closes from CLOSE-WAIT, closes before the last ACK
          calls.push(c(t0, 'a', { op: 'send', fd: 3, bytes: 100 }), c(t0, 'a', { op: 'shutdown', fd: 3, how: 'SHUT_WR' }));
          calls.push(c(t0 + 3 * L, 'b', { op: 'shutdown', fd: 4, how: 'SHUT_WR' }), c(t0 + 3 * L + 1, 'b', { op: 'close', fd: 4 }));
          return { pair: pair(r.profile, r.seedA, r.seedB, calls, { ...app, autoRecv: false }, clean(r.latencyMs)), injections: [] };
        case 'last-ack-abort': // b half-closes from CLOSE-WAIT and aborts before the last ACK (CT-9)
          calls.push(c(t0, 'a', { op: 'shutdown', fd: 3, how: 'SHUT_WR' }));
          calls.push(c(t0 + 3 * L, 'b', { op: 'shutdown', fd: 4, how: 'SHUT_WR' }), c(t0 + 3 * L + 1, 'b', { op: 'abort', fd: 4 }));
          return { pair: pair(r.profile, r.seedA, r.seedB, calls, app, clean(r.latencyMs)), injections: [] };
        case 'closing-abort': // both half-close at once (CLOSING, fds still open), a aborts before the ACK (CT-9)
          calls.push(c(t0, 'a', { op: 'shutdown', fd: 3, how: 'SHUT_WR' }), c(t0, 'b', { op: 'shutdown', fd: 4, how: 'SHUT_WR' }));
          calls.push(c(t0 + L + Math.floor(L / 2), 'a', { op: 'abort', fd: 3 }));
          return { pair: pair(r.profile, r.seedA, r.seedB, calls, app, clean(r.latencyMs)), injections: [] };
        default:
          return { pair: pair(r.profile, r.seedA, r.seedB, calls, app, clean(r.latencyMs)), injections: [] };
      }
    });
}

/** CT-1 … CT-9: every way of ending, at overlapping times, with unread data, lingering, and a network that goes dark. */
export function closeArb(profiles: readonly string[]): fc.Arbitrary<HarnessCase> {
  return fc.oneof({ arbitrary: closeRandomArb(profiles), weight: 4 }, { arbitrary: closeTemplateArb(profiles), weight: 1 });
}

function closeRandomArb(profiles: readonly string[]): fc.Arbitrary<HarnessCase> {
  return fc
    .record({
      profile: profileArb(profiles),
      seedA: seedArb,
      seedB: seedArb,
      latencyMs: fc.integer({ min: 1, max: 30 }),
      bytesA: fc.nat({ max: 5000 }),
      bytesB: fc.nat({ max: 5000 }),
      endA: endArb,
      endB: endArb,
      endAtMsA: fc.nat({ max: 100 }),
      endAtMsB: fc.nat({ max: 100 }),
      autoRecv: fc.boolean(),
      closeOnEof: fc.boolean(),
      // After shutdown(SHUT_WR) the fd stays: a later close/abort/linger-0 close from FIN-WAIT-*, CLOSING, LAST-ACK (CT-8, CT-9).
      thenA: fc.option(fc.record({ end: fc.constantFrom<End>('close', 'abort', 'linger0'), gapHalfRtts: fc.nat({ max: 6 }) }), { nil: null }),
      thenB: fc.option(fc.record({ end: fc.constantFrom<End>('close', 'abort', 'linger0'), gapHalfRtts: fc.nat({ max: 6 }) }), { nil: null }),
      // Data after the peer's FIN (CLOSE-WAIT) or after our own shutdown (refused, EPIPE).
      lateA: fc.nat({ max: 3000 }),
      lateB: fc.nat({ max: 3000 }),
      // The network goes dark some half round trips after the end (give-up timers in every closing state).
      blackout: fc.option(fc.record({ halfRtts: fc.nat({ max: 5 }), len: fc.constantFrom(1, 200, 3000).map((x) => x * S) }), { nil: null }),
      lose: fc.array(fc.record({ dir: fc.constantFrom('ab' as const, 'ba' as const), n: fc.nat({ max: 12 }) }), { maxLength: 2 }),
    })
    .map((r): HarnessCase => {
      const half = r.latencyMs * MS;
      const endA = 5 * MS + r.endAtMsA * MS;
      const endB = 5 * MS + r.endAtMsB * MS;
      const calls = connectCalls(80, 4, 0);
      if (r.bytesA > 0) calls.push(c(5 * MS, 'a', { op: 'send', fd: 3, bytes: r.bytesA }));
      if (r.bytesB > 0) calls.push(c(5 * MS, 'b', { op: 'send', fd: 4, bytes: r.bytesB }));
      calls.push(...endCalls('a', 3, r.endA, endA), ...endCalls('b', 4, r.endB, endB));
      if (r.lateA > 0) calls.push(c(Math.max(endA, endB) + 3 * half, 'a', { op: 'send', fd: 3, bytes: r.lateA }));
      if (r.lateB > 0) calls.push(c(Math.max(endA, endB) + 3 * half, 'b', { op: 'send', fd: 4, bytes: r.lateB }));
      const direct: PairCall[] = [];
      if (r.thenA !== null && r.endA === 'shutdown') direct.push(...endCalls('a', 3, r.thenA.end, endA + r.thenA.gapHalfRtts * half));
      if (r.thenB !== null && r.endB === 'shutdown') direct.push(...endCalls('b', 4, r.thenB.end, endB + r.thenB.gapHalfRtts * half));
      const rules: FaultRule[] = r.lose.map((l) => ({ dir: l.dir, match: { kind: 'nth', n: l.n }, action: { kind: 'drop' } }));
      const dark = r.blackout === null ? null : { from: Math.min(endA, endB) + r.blackout.halfRtts * half, len: r.blackout.len };
      const faults = withBlackout({ ...clean(r.latencyMs), rules }, dark);
      const p = pair(r.profile, r.seedA, r.seedB, calls, { autoAccept: true, autoRecv: r.autoRecv, closeOnEof: r.closeOnEof }, faults);
      return direct.length > 0 ? { pair: p, injections: [], direct } : { pair: p, injections: [] };
    });
}

// ── resets and hostile input ────────────────────────────────────────────────────────────────

const FORGED_FLAGS = [RST, RST | ACK, SYN, SYN | ACK, FIN | ACK, ACK, PSH | ACK, FIN | PSH | ACK, RST | SYN, 0, FIN, SYN | FIN];

/** Offsets that matter: exact, just inside/outside the window, far away (RFC 5961 §3–§5 blind attacks). */
const offsetArb: fc.Arbitrary<number> = fc.oneof(
  { arbitrary: fc.constant(0), weight: 3 },
  { arbitrary: fc.integer({ min: -3, max: 3 }), weight: 3 },
  { arbitrary: fc.integer({ min: 1, max: 70_000 }), weight: 2 },
  { arbitrary: fc.integer({ min: -70_000, max: -1 }), weight: 1 },
  { arbitrary: fc.integer({ min: 1, max: 0x7fffffff }), weight: 1 },
);

export const injectionArb = (horizonMs: number): fc.Arbitrary<Injection> =>
  fc.record({
    t: fc.oneof(msArb(horizonMs), fc.nat({ max: 50_000 })),
    to: fc.constantFrom('a' as const, 'b' as const),
    flags: fc.constantFrom(...FORGED_FLAGS),
    seqOff: offsetArb,
    ackOff: offsetArb,
    len: fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, { arbitrary: fc.integer({ min: 1, max: 1460 }), weight: 1 }),
    window: fc.constantFrom(0, 1, 512, 65535),
  });

/** RS-1 … RS-4, RFC 5961: forged segments at every stage of a connection's life, including TIME-WAIT. */
export function hostileArb(profiles: readonly string[]): fc.Arbitrary<HarnessCase> {
  const base = fc.record({
    profile: profileArb(profiles),
    seedA: seedArb,
    seedB: seedArb,
    latencyMs: fc.integer({ min: 1, max: 20 }),
    bytesA: fc.nat({ max: 4000 }),
    bytesB: fc.nat({ max: 4000 }),
    endA: endArb,
    endB: endArb,
    endAtMsA: fc.nat({ max: 80 }),
    endAtMsB: fc.nat({ max: 80 }),
    autoRecv: fc.boolean(),
    injections: fc.array(injectionArb(400), { minLength: 1, maxLength: 4 }),
    lateInjections: fc.array(fc.record({ inj: injectionArb(0), atS: fc.integer({ min: 1, max: 70 }) }), { maxLength: 2 }),
  });
  return base.map((r): HarnessCase => {
    const calls = connectCalls(80, 4, 0);
    if (r.bytesA > 0) calls.push(c(5 * MS, 'a', { op: 'send', fd: 3, bytes: r.bytesA }));
    if (r.bytesB > 0) calls.push(c(5 * MS, 'b', { op: 'send', fd: 4, bytes: r.bytesB }));
    calls.push(...endCalls('a', 3, r.endA, 5 * MS + r.endAtMsA * MS), ...endCalls('b', 4, r.endB, 5 * MS + r.endAtMsB * MS));
    // Late injections land in TIME-WAIT, FIN-WAIT-2 and friends (seconds after the close).
    const late = r.lateInjections.map((l) => ({ ...l.inj, t: l.atS * S }));
    return {
      pair: pair(r.profile, r.seedA, r.seedB, calls, { autoAccept: true, autoRecv: r.autoRecv, closeOnEof: true }, clean(r.latencyMs)),
      injections: [...r.injections, ...late],
    };
  });
}

// ── listener and SYN floods ─────────────────────────────────────────────────────────────────

/** LQ-1 … LQ-7: small backlogs, several clients, a lazy accept()or, forged SYN floods, the listener closing. */
export function listenerArb(profiles: readonly string[]): fc.Arbitrary<HarnessCase> {
  return fc
    .record({
      profile: profileArb(profiles),
      seedA: seedArb,
      seedB: seedArb,
      backlog: fc.integer({ min: 0, max: 3 }),
      clients: fc.integer({ min: 1, max: 4 }),
      autoAccept: fc.boolean(),
      accepts: fc.array(msArb(3000), { maxLength: 3 }),
      flood: fc.array(fc.record({ atMs: fc.nat({ max: 200 }), port: fc.integer({ min: 1024, max: 65535 }), seq: fc.nat() }), { maxLength: 6 }),
      closeListenerAtMs: fc.option(fc.nat({ max: 5000 }), { nil: null }),
      synackLoss: fc.boolean(),
      bytes: fc.nat({ max: 2000 }),
    })
    .map((r): HarnessCase => {
      const calls: PairCall[] = [
        c(0, 'b', { op: 'socket', fd: 3 }),
        c(0, 'b', { op: 'bind', fd: 3, port: 80 }),
        c(0, 'b', { op: 'listen', fd: 3, backlog: r.backlog }),
      ];
      for (let i = 0; i < r.clients; i++) {
        const fd = 3 + i;
        calls.push(c(i * MS, 'a', { op: 'socket', fd }), c(i * MS, 'a', { op: 'connect', fd, port: 80 }));
        if (r.bytes > 0) calls.push(c(i * MS, 'a', { op: 'send', fd, bytes: r.bytes }));
      }
      for (const t of r.accepts) calls.push(c(t, 'b', { op: 'accept', fd: 3 }));
      if (r.closeListenerAtMs !== null) calls.push(c(r.closeListenerAtMs * MS, 'b', { op: 'close', fd: 3 }));
      const injections: Injection[] = r.flood.map((f) => ({ t: f.atMs * MS, to: 'b', flags: SYN, seqOff: 0, ackOff: 0, len: 0, window: 65535, seq: f.seq, srcPort: f.port }));
      const faults: FaultSchedule = r.synackLoss
        ? { ...clean(2), rules: [{ dir: 'ba', match: { kind: 'nth', n: 0 }, action: { kind: 'drop' } }] }
        : clean(2);
      return { pair: pair(r.profile, r.seedA, r.seedB, calls, { autoAccept: r.autoAccept, autoRecv: true, closeOnEof: true }, faults), injections };
    });
}

// ── congestion and recovery ─────────────────────────────────────────────────────────────────

/**
 * CC-*, DT-6 … DT-9: bulk transfers (tens to hundreds of kB) over a lossy, reordering,
 * duplicating path with a real round-trip time, so slow start, congestion avoidance, fast
 * retransmit and recovery, RTO backoff and (with SACK) loss recovery all run; sometimes both ways.
 */
export function congestionArb(profiles: readonly string[]): fc.Arbitrary<HarnessCase> {
  return fc
    .record({
      profile: profileArb(profiles),
      seedA: seedArb,
      seedB: seedArb,
      latencyMs: fc.integer({ min: 1, max: 50 }),
      bytesA: fc.integer({ min: 10_000, max: 300_000 }),
      bytesB: fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, { arbitrary: fc.integer({ min: 1, max: 100_000 }), weight: 1 }),
      nodelay: fc.boolean(),
      lossSeed: fc.nat(),
      dropPct: fc.nat({ max: 10 }),
      reorderPct: fc.nat({ max: 10 }),
      dupPct: fc.nat({ max: 5 }),
      maxDelayMs: fc.integer({ min: 1, max: 100 }),
      lossUntilS: fc.integer({ min: 1, max: 30 }),
      lose: fc.array(fc.record({ dir: fc.constantFrom('ab' as const, 'ba' as const), n: fc.nat({ max: 60 }) }), { maxLength: 3 }),
    })
    .map((r): HarnessCase => {
      const calls = connectCalls(80, 4, 0);
      if (r.nodelay) calls.splice(4, 0, c(0, 'a', { op: 'setsockopt', fd: 3, opt: 'TCP_NODELAY', value: 1 }));
      calls.push(c(1 * MS, 'a', { op: 'send', fd: 3, bytes: r.bytesA }), c(1 * MS, 'a', { op: 'close', fd: 3 }));
      if (r.bytesB > 0) calls.push(c(1 * MS, 'b', { op: 'send', fd: 4, bytes: r.bytesB }));
      const faults: FaultSchedule = {
        latency: { ab: r.latencyMs * MS, ba: r.latencyMs * MS },
        rules: r.lose.map((l): FaultRule => ({ dir: l.dir, match: { kind: 'nth', n: l.n }, action: { kind: 'drop' } })),
        partitions: [],
        random: {
          seed: r.lossSeed,
          dir: 'both',
          from: 0,
          until: r.lossUntilS * S,
          drop: r.dropPct / 100,
          duplicate: r.dupPct / 100,
          reorder: r.reorderPct / 100,
          corrupt: 0,
          truncate: 0,
          maxDelay: r.maxDelayMs * MS,
        },
      };
      return { pair: pair(r.profile, r.seedA, r.seedB, calls, { autoAccept: true, autoRecv: true, closeOnEof: true }, faults), injections: [] };
    });
}
