/**
 * Shared by the model's totality and timer properties: hostile inputs described relative to a
 * connection's state (sequence numbers at RCV.NXT, the window edge, SND.UNA …, resolved when they
 * are injected), socket calls, time steps, and the well-formedness checks every output and every
 * endpoint must pass. Not a test file itself (no `.prop.ts`).
 */
import { optionsLength } from '../src/wire/options.js';
import fc from 'fast-check';
import type { Input, Output } from '../src/model/api.js';
import type { Endpoint } from '../src/model/types.js';
import type { Segment, TcpOption } from '../src/wire/types.js';
import { seqAdd, seqLe } from '../src/wire/seq.js';
import type { SocketCall } from '../src/scenario/types.js';
import { HOST } from '../test/model/helpers.js';
import type { StateFixture } from '../test/model/states.js';

export const SEED = Number(process.env['TCPFUZZ_SEED'] ?? 20261123);
const STATE_NAMES = new Set(['CLOSED', 'LISTEN', 'SYN-SENT', 'SYN-RECEIVED', 'ESTABLISHED', 'FIN-WAIT-1', 'FIN-WAIT-2', 'CLOSE-WAIT', 'CLOSING', 'LAST-ACK', 'TIME-WAIT']);
const EVENTS = new Set(['connected', 'readable', 'writable', 'eof', 'accept-ready', 'error']);

// ── arbitraries ────────────────────────────────────────────────────────────────────────────────

/** A sequence number described relative to the connection's state, resolved at injection time. */
export type SeqRef = { base: 'rcvNxt' | 'rightEdge' | 'rcvWup' | 'irs' | 'sndUna' | 'sndNxt' | 'iss' | 'abs'; off: number };

const offset = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.integer({ min: -70000, max: 70000 }),
  fc.constantFrom(0x7fffffff, -0x7fffffff, 0x80000000, 0xffffffff),
);
export const seqRef: fc.Arbitrary<SeqRef> = fc.record({
  base: fc.constantFrom('rcvNxt', 'rightEdge', 'rcvWup', 'irs', 'sndUna', 'sndNxt', 'iss', 'abs'),
  off: offset,
});
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const byteArr = fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 12 });
export const option: fc.Arbitrary<TcpOption> = fc.oneof(
  fc.constant({ kind: 'nop' as const }),
  fc.constant({ kind: 'eol' as const }),
  fc.integer({ min: 0, max: 65535 }).map((mss) => ({ kind: 'mss' as const, mss })),
  fc.integer({ min: 0, max: 255 }).map((shift) => ({ kind: 'wscale' as const, shift })),
  fc.constant({ kind: 'sackOk' as const }),
  fc.array(fc.record({ left: u32, right: u32 }), { maxLength: 4 }).map((blocks) => ({ kind: 'sack' as const, blocks })),
  fc.record({ val: u32, ecr: u32 }).map(({ val, ecr }) => ({ kind: 'ts' as const, val, ecr })),
  fc.record({ code: fc.integer({ min: 0, max: 255 }), data: byteArr }).map(({ code, data }) => ({ kind: 'unknown' as const, code, data })),
  byteArr.map((data) => ({ kind: 'raw' as const, data })),
);

export interface SegDesc {
  seq: SeqRef;
  ack: SeqRef;
  flags: number;
  window: number;
  len: number;
  options: TcpOption[];
  checksumOk: boolean;
  tuple: 'match' | 'wrongPort' | 'wrongAddr' | 'listener';
}

export const segDesc: fc.Arbitrary<SegDesc> = fc.record({
  seq: seqRef,
  ack: seqRef,
  flags: fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x10, 0x18, 0x11, 0x02, 0x12, 0x04, 0x14, 0x01, 0x19)),
  window: fc.oneof(fc.constantFrom(0, 1, 65535), fc.integer({ min: 0, max: 65535 })),
  len: fc.oneof(fc.constantFrom(0, 1, 1448, 1460, 65535), fc.integer({ min: 0, max: 3000 })),
  options: fc.oneof(fc.constant<TcpOption[]>([]), fc.array(option, { maxLength: 8 })),
  checksumOk: fc.oneof(fc.constant(true), fc.constant(true), fc.constant(true), fc.constant(false)),
  tuple: fc.constantFrom('match', 'match', 'match', 'match', 'wrongPort', 'wrongAddr', 'listener'),
});

export type CallDesc = { op: SocketCall['op']; fdKind: 'main' | 'other' | 'listener'; n: number; opt: number };
export const callDesc: fc.Arbitrary<CallDesc> = fc.record({
  op: fc.constantFrom('socket', 'bind', 'listen', 'connect', 'accept', 'send', 'send', 'recv', 'recv', 'shutdown', 'close', 'abort', 'setsockopt'),
  fdKind: fc.constantFrom('main', 'main', 'other', 'listener'),
  n: fc.oneof(fc.integer({ min: -5, max: 70000 }), fc.constantFrom(0, 1, 80)),
  opt: fc.integer({ min: 0, max: 10 }),
});

export type Act = { kind: 'seg'; d: SegDesc } | { kind: 'call'; d: CallDesc } | { kind: 'time'; dt: number; fire: boolean };
export const act: fc.Arbitrary<Act> = fc.oneof(
  { weight: 90, arbitrary: segDesc.map((d) => ({ kind: 'seg' as const, d })) },
  { weight: 6, arbitrary: callDesc.map((d) => ({ kind: 'call' as const, d })) },
  { weight: 4, arbitrary: fc.record({ dt: fc.integer({ min: 0, max: 200_000_000 }), fire: fc.boolean() }).map((t) => ({ kind: 'time' as const, ...t })) },
);

// ── resolving descriptions against the current endpoint ─────────────────────────────────────────

export function resolveSeq(ep: Endpoint, f: StateFixture, r: SeqRef): number {
  const c = ep.conns.find((x) => x.localPort === f.hostPort && x.remotePort === f.peerPort && x.state !== 'CLOSED') ?? ep.conns[0];
  if (c === undefined || r.base === 'abs') return r.off >>> 0;
  const base =
    r.base === 'rightEdge' ? seqAdd(c.rcvWup, c.rcvWnd) : (c[r.base] as number);
  return seqAdd(base, r.off);
}

export function toInput(ep: Endpoint, f: StateFixture, a: Act): Input | null {
  if (a.kind === 'time') return a.fire ? { kind: 'timer' } : null;
  if (a.kind === 'seg') {
    const d = a.d;
    const seg: Segment = {
      srcPort: d.tuple === 'wrongPort' ? 4242 : f.peerPort,
      dstPort: d.tuple === 'listener' ? 80 : f.hostPort,
      seq: resolveSeq(ep, f, d.seq),
      ack: resolveSeq(ep, f, d.ack),
      flags: d.flags,
      window: d.window,
      urgent: 0,
      options: d.options,
      len: d.len,
    };
    return d.checksumOk
      ? { kind: 'segment', src: d.tuple === 'wrongAddr' ? '198.51.100.7' : f.peer, dst: HOST, seg }
      : { kind: 'segment', src: f.peer, dst: HOST, seg, checksumOk: false };
  }
  const d = a.d;
  const fd = d.fdKind === 'main' ? f.fd : d.fdKind === 'listener' ? 3 : 7;
  const opts = ['TCP_NODELAY', 'TCP_MAXSEG', 'SO_RCVBUF', 'SO_SNDBUF', 'SO_KEEPALIVE', 'SO_LINGER', 'TCP_QUICKACK', 'TCP_KEEPIDLE', 'TCP_USER_TIMEOUT', 'TCP_KEEPCNT', 'TCP_KEEPINTVL'] as const;
  let call: SocketCall;
  switch (d.op) {
    case 'socket': call = { op: 'socket', fd }; break;
    case 'bind': call = { op: 'bind', fd, port: d.n }; break;
    case 'listen': call = { op: 'listen', fd, backlog: d.n }; break;
    case 'connect': call = { op: 'connect', fd, port: d.n }; break;
    case 'accept': call = { op: 'accept', fd }; break;
    case 'send': call = { op: 'send', fd, bytes: d.n }; break;
    case 'recv': call = { op: 'recv', fd, bytes: d.n }; break;
    case 'shutdown': call = { op: 'shutdown', fd, how: (['SHUT_RD', 'SHUT_WR', 'SHUT_RDWR'] as const)[d.opt % 3]! }; break;
    case 'close': call = { op: 'close', fd }; break;
    case 'abort': call = { op: 'abort', fd }; break;
    case 'setsockopt': call = { op: 'setsockopt', fd, opt: opts[d.opt % opts.length]!, value: d.n }; break;
    default: return null;
  }
  return { kind: 'call', call };
}

// ── well-formedness ────────────────────────────────────────────────────────────────────────────

export function must(cond: boolean, what: string): void {
  if (!cond) throw new Error(`malformed: ${what}`);
}

export function isU32(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= 0xffffffff;
}


export function checkOutput(o: Output, ep: Endpoint, input: Input): void {
  switch (o.kind) {
    case 'segment': {
      const s = o.seg;
      must(o.src === ep.addr, 'segment src is the endpoint address');
      must(typeof o.dst === 'string', 'segment dst');
      for (const p of [s.srcPort, s.dstPort]) must(Number.isInteger(p) && p >= 0 && p <= 65535, `port ${p}`);
      must(isU32(s.seq) && isU32(s.ack), 'seq/ack u32');
      must(Number.isInteger(s.window) && s.window >= 0 && s.window <= 65535, `window ${s.window}`);
      must(Number.isInteger(s.len) && s.len >= 0 && s.len <= 65535, `len ${s.len}`);
      must((s.flags & ~0x1f) === 0, `flags ${s.flags}`); // only FIN SYN RST PSH ACK
      if (s.flags & 0x02) must((s.flags & 0x05) === 0, 'SYN with FIN/RST'); // SYN never with FIN or RST
      if (s.flags & 0x04) must(s.len === 0, 'RST with data');
      if ((s.flags & 0x02) === 0 && (s.flags & 0x04) === 0) must((s.flags & 0x10) !== 0, 'HD-2 ACK missing'); // HD-2
      must(optionsLength(s.options) <= 40, 'options > 40 bytes');
      for (const x of s.options) {
        if (x.kind === 'ts') must(isU32(x.val) && isU32(x.ecr), 'ts u32');
        if (x.kind === 'sack') for (const b of x.blocks) must(isU32(b.left) && isU32(b.right), 'sack u32');
      }
      break;
    }
    case 'result':
      must(input.kind === 'call', 'result without a call');
      if (o.result.ok) must(Number.isInteger(o.result.value), 'result value');
      else must(typeof o.result.errno === 'string', 'errno');
      break;
    case 'event':
      must(Number.isInteger(o.fd) && o.fd >= 0, 'event fd');
      must(EVENTS.has(o.event), 'event name');
      break;
    case 'transition':
      must(STATE_NAMES.has(o.from) && STATE_NAMES.has(o.to), 'state names');
      must(o.from !== o.to, 'transition to the same state');
      break;
    case 'note':
      must(typeof o.rule === 'string' && o.rule.length > 0, 'note rule');
      break;
    default: {
      const never: never = o;
      throw new Error(`unknown output ${JSON.stringify(never)}`);
    }
  }
}

export function checkEndpoint(ep: Endpoint): void {
  for (const c of ep.conns) {
    must(STATE_NAMES.has(c.state), 'state');
    must(c.readable >= 0, 'readable ≥ 0');
    must(Number.isFinite(c.rcvWnd) && c.rcvWnd >= 0, 'rcvWnd');
    if (c.state !== 'CLOSED' && c.state !== 'LISTEN') {
      must(seqLe(c.sndUna, c.sndNxt), 'FC-8 SND.UNA ≤ SND.NXT');
      must(isU32(c.sndUna) && isU32(c.sndNxt) && isU32(c.rcvNxt), 'sequence variables u32');
    }
    must(c.cwnd >= 1, 'cwnd ≥ 1');
  }
}

