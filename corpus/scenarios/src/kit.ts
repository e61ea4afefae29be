/**
 * Shared building blocks of the hand-written scenario corpus: a `Peer` that wraps the scenario
 * builder and writes the scripted peer's segments the way a well-behaved TCP would (timestamps on
 * every segment once negotiated, windows in the peer's own scale, option layouts as Linux orders
 * them), plus the usual openings (passive and active open) so that each family module only writes
 * what its scenarios probe.
 *
 * Conventions (every family relies on them):
 * - The SUT listens on / connects to port 8080; the peer's port is 40000 (builder defaults).
 * - Passive open: listener fd 3 at t=0, peer SYN at 10 ms, third ACK at 20 ms, accept → fd 4.
 *   Active open: connect fd 3 at t=0, peer SYN-ACK at 10 ms.
 * - The peer's timestamp clock is 1 ms, starting at 1000 at t=0 (so it never decreases); its echo
 *   is the SUT's first TSval (relative 0) on the handshake and afterwards (elapsed ms since the
 *   SUT's first TSval) − 1, a value the SUT's own 1 ms clock has already passed (RFC 7323 §4.3).
 * - Peer windows are given in bytes and converted to the field with the peer's shift when window
 *   scaling is negotiated (RFC 7323 §2.3); SYN and SYN-ACK fields are never scaled.
 */
import type { ScenarioOptions } from '../../../src/scenario/builder.js';
import { ScenarioBuilder, mss, nop, sackOk, ts, wscale, ok, err } from '../../../src/scenario/builder.js';
import type { CallResult, Scenario, SockOptName, SocketCall } from '../../../src/scenario/types.js';
import type { TcpOption } from '../../../src/wire/types.js';

/** Which options the peer offers in its SYN / SYN-ACK. */
export type OptSet = 'all' | 'nots' | 'nosack' | 'nows' | 'none';
export const OPT_SETS: readonly OptSet[] = ['all', 'nots', 'nosack', 'nows', 'none'];

export const SUT_PORT = 8080;
export const PEER_PORT = 40000;
/** The SUT's window-scale shift on the recording kernel (6.16+: 10, linux-reference.md §2). */
export const SUT_WS = 10;

export interface PeerOptions {
  /** Options the peer offers (default 'all'). */
  readonly opts?: OptSet;
  /** The peer's MSS option value; null leaves the option out (default 1460). */
  readonly mss?: number | null;
  /** The peer's window-scale shift when offered (default 7). */
  readonly ws?: number;
  /** The peer's receive window in bytes (default 65535). */
  readonly win?: number;
}

export interface SegOpts {
  readonly len?: number;
  /** Urgent pointer (with the URG flag). */
  readonly urg?: number;
  /** Window in bytes (converted with the peer's scale); default the peer's window. */
  readonly win?: number;
  /** Raw 16-bit window field, bypassing the conversion. */
  readonly winField?: number;
  /** Options after the timestamp (e.g. SACK blocks). */
  readonly opts?: readonly TcpOption[];
  /** Replace every option (no automatic timestamp). */
  readonly rawOpts?: readonly TcpOption[];
  /** Leave the automatic timestamp out. */
  readonly noTs?: boolean;
  readonly tsVal?: number;
  readonly ecr?: number;
  readonly srcPort?: number;
  readonly dstPort?: number;
  readonly note?: string;
}

function sysctlOn(so: ScenarioOptions, key: string): boolean {
  const v = so.sysctls?.[key];
  return v === undefined || Number(v) !== 0;
}

/** The peer's SYN options in Linux's layout (tcp_output.c:tcp_options_write). */
export function synOptions(set: OptSet, mssValue: number | null, shift: number, tsVal: number, ecr: number): TcpOption[] {
  const m: TcpOption[] = mssValue === null ? [] : [mss(mssValue)];
  switch (set) {
    case 'all':
      return [...m, sackOk(), ts(tsVal, ecr), nop(), wscale(shift)];
    case 'nots':
      return [...m, nop(), nop(), sackOk(), nop(), wscale(shift)];
    case 'nosack':
      return [...m, nop(), nop(), ts(tsVal, ecr), nop(), wscale(shift)];
    case 'nows':
      return [...m, sackOk(), ts(tsVal, ecr)];
    case 'none':
      return m;
    default: {
      const never: never = set;
      return never;
    }
  }
}

/** A scenario under construction with a well-behaved scripted peer. */
export class Peer {
  readonly b: ScenarioBuilder;
  readonly set: OptSet;
  readonly peerMss: number | null;
  readonly shift: number;
  winBytes: number;
  /** Negotiated (both sides offer it): filled in by the openings. */
  ts: boolean;
  sack: boolean;
  ws: boolean;
  /** Time cursor in µs, mirroring the builder's. */
  tUs = 0;
  /** When the SUT sent its first TSval (µs). */
  t0Us = 0;
  /** The SUT's connection fd after an opening. */
  fd = 3;
  /** A handshake echo: the next segment echoes the SUT's first TSval exactly. */
  echoFirst = false;

  constructor(name: string, so: ScenarioOptions, po: PeerOptions = {}) {
    this.b = new ScenarioBuilder(name, so);
    this.set = po.opts ?? 'all';
    this.peerMss = po.mss === undefined ? 1460 : po.mss;
    this.shift = po.ws ?? 7;
    this.winBytes = po.win ?? 65535;
    const offersTs = this.set === 'all' || this.set === 'nosack' || this.set === 'nows';
    const offersSack = this.set === 'all' || this.set === 'nots' || this.set === 'nows';
    const offersWs = this.set === 'all' || this.set === 'nots' || this.set === 'nosack';
    this.ts = offersTs && sysctlOn(so, 'tcp_timestamps');
    this.sack = offersSack && sysctlOn(so, 'tcp_sack');
    this.ws = offersWs && sysctlOn(so, 'tcp_window_scaling');
  }

  /** Effective send MSS of the SUT towards this peer (HS-8; −12 with timestamps). */
  get sutMss(): number {
    return Math.min(this.peerMss ?? 536, 1460) - (this.ts ? 12 : 0);
  }

  /** Move the cursor ('+0.1' or absolute seconds). */
  at(time: string | number): this {
    this.b.at(time);
    this.tUs = parseT(time, this.tUs);
    return this;
  }

  wait(time: string | number, note?: string): this {
    this.b.wait(time, note);
    this.tUs = parseT(time, this.tUs);
    return this;
  }

  call(c: SocketCall, expect?: CallResult, note?: string): this {
    this.b.call(c, expect, note);
    return this;
  }

  /** The window field for `bytes` in the peer's scale. */
  winField(bytes: number, syn = false): number {
    if (syn || !this.ws) return Math.min(bytes, 65535);
    return Math.min(Math.ceil(bytes / 2 ** this.shift), 65535);
  }

  tsVal(): number {
    return 1000 + Math.floor(this.tUs / 1000);
  }

  ecr(): number {
    if (this.echoFirst) return 0;
    return Math.max(0, Math.floor((this.tUs - this.t0Us) / 1000) - 1);
  }

  /** Options of a non-SYN segment: timestamps when negotiated, then `extra`. */
  segOptions(o: SegOpts): TcpOption[] {
    if (o.rawOpts !== undefined) return [...o.rawOpts];
    const out: TcpOption[] = [];
    if (this.ts && o.noTs !== true) out.push(nop(), nop(), ts(o.tsVal ?? this.tsVal(), o.ecr ?? this.ecr()));
    for (const x of o.opts ?? []) out.push(x);
    return out;
  }

  /** Inject a segment; `ack` is ignored when the flags have no ACK. */
  inject(flags: string, seq: number, ack: number, o: SegOpts = {}): this {
    const hasAck = flags.includes('.');
    const isSyn = flags.includes('S');
    this.b.inject(flags, {
      seq: seq >>> 0,
      ...(hasAck ? { ack: ack >>> 0 } : {}),
      win: o.winField ?? this.winField(o.win ?? this.winBytes, isSyn),
      len: o.len ?? 0,
      ...(o.urg !== undefined ? { urg: o.urg } : {}),
      opts: this.segOptions(o),
      ...(o.srcPort !== undefined ? { srcPort: o.srcPort } : {}),
      ...(o.dstPort !== undefined ? { dstPort: o.dstPort } : {}),
      ...(o.note !== undefined ? { note: o.note } : {}),
    });
    this.echoFirst = false;
    return this;
  }

  /** Data with PSH|ACK. */
  data(seq: number, len: number, ack: number, o: SegOpts = {}): this {
    return this.inject('P.', seq, ack, { ...o, len });
  }

  ack(seq: number, ack: number, o: SegOpts = {}): this {
    return this.inject('.', seq, ack, o);
  }

  fin(seq: number, ack: number, o: SegOpts = {}): this {
    return this.inject('F.', seq, ack, o);
  }

  /** The peer's own SYN options (for SYN and SYN-ACK). */
  synOpts(ecr = 0): TcpOption[] {
    return synOptions(this.set, this.peerMss, this.shift, this.tsVal(), ecr);
  }

  /** An expected SUT segment (only for behaviour confirmed on the kernel). */
  expect(flags: string, seq: number, ack: number, win: number, opts: readonly TcpOption[], len = 0): this {
    this.b.expect(flags, { seq, ack, win, opts, len });
    return this;
  }

  build(): Scenario {
    return this.b.build();
  }
}

function parseT(time: string | number, cur: number): number {
  if (typeof time === 'number') return Math.round(time * 1e6);
  const t = time.trim();
  return t.startsWith('+') ? cur + Math.round(Number(t.slice(1)) * 1e6) : Math.round(Number(t) * 1e6);
}

// ---- openings ----

export interface ListenOpts {
  readonly backlog?: number;
  /** Socket options set on the listener before listen (inherited by children). */
  readonly sockopts?: readonly (readonly [SockOptName, number])[];
}

/** socket(3), bind(8080), optional setsockopts, listen(backlog). */
export function listen(p: Peer, lo: ListenOpts = {}): Peer {
  p.call({ op: 'socket', fd: 3 }, ok(3)).call({ op: 'bind', fd: 3, port: SUT_PORT }, ok(0));
  for (const [opt, value] of lo.sockopts ?? []) p.call({ op: 'setsockopt', fd: 3, opt, value }, ok(0));
  p.call({ op: 'listen', fd: 3, backlog: lo.backlog ?? 8 }, ok(0));
  return p;
}

export interface PassiveOpts extends ListenOpts {
  /** Call accept after the third ACK (default true); the connection is then fd 4. */
  readonly accept?: boolean;
  /** Bytes carried by the third segment (HS-2). */
  readonly thirdData?: number;
  /** Leave out the third ACK entirely. */
  readonly noThird?: boolean;
  /**
   * The SUT answers with a SYN cookie: without timestamps a cookie cannot carry window scaling or
   * SACK (syncookies.c:cookie_v4_check), so the peer treats both as off.
   */
  readonly cookie?: boolean;
}

/** A passive open: listener, peer SYN at 10 ms, third ACK at 20 ms, accept → fd 4. */
export function passiveOpen(p: Peer, o: PassiveOpts = {}): Peer {
  listen(p, o);
  p.at(0.01);
  p.t0Us = p.tUs;
  p.inject('S', 0, 0, { rawOpts: p.synOpts() });
  if (o.cookie === true && !p.ts) {
    p.ws = false;
    p.sack = false;
  }
  if (o.noThird === true) return p;
  p.at(0.02);
  p.echoFirst = true;
  if (o.thirdData !== undefined && o.thirdData > 0) p.data(1, o.thirdData, 1);
  else p.ack(1, 1);
  if (o.accept !== false) {
    p.call({ op: 'accept', fd: 3 }, ok(4));
    p.fd = 4;
  }
  return p;
}

export interface ActiveOpts {
  /** Socket options set before connect. */
  readonly sockopts?: readonly (readonly [SockOptName, number])[];
  /** Leave out the SYN-ACK. */
  readonly noSynAck?: boolean;
}

/** An active open: connect(fd 3) at 0 → EINPROGRESS, peer SYN-ACK at 10 ms. */
export function activeOpen(p: Peer, o: ActiveOpts = {}): Peer {
  p.call({ op: 'socket', fd: 3 }, ok(3));
  for (const [opt, value] of o.sockopts ?? []) {
    p.call({ op: 'setsockopt', fd: 3, opt, value }, ok(0));
  }
  p.call({ op: 'connect', fd: 3, port: SUT_PORT }, err('EINPROGRESS'));
  p.t0Us = p.tUs;
  p.fd = 3;
  if (o.noSynAck === true) return p;
  p.at('+0.01');
  p.inject('S.', 0, 1, { rawOpts: p.synOpts(0) });
  return p;
}

/** Peer options → a short label for names. */
export function optLabel(set: OptSet): string {
  return set;
}

export { ok, err };
