/**
 * A small TypeScript DSL for writing scenarios that read like packetdrill scripts:
 *
 * ```ts
 * const s = scenario('passive open', { behaviours: ['HS-1', 'HS-13'] })
 *   .call({ op: 'socket', fd: 3 }, ok(3)).call({ op: 'bind', fd: 3, port: 8080 }, ok(0))
 *   .call({ op: 'listen', fd: 3, backlog: 1 }, ok(0))
 *   .at('+0').inject('S', { seq: 0, win: 65535, opts: [mss(1460), sackOk(), ts(100, 0), nop(), wscale(7)] })
 *   .expect('S.', { seq: 0, ack: 1, win: 65160, opts: [mss(1460), sackOk(), ts(0, 100), nop(), wscale(7)] })
 *   .at('+0.1').inject('.', '1:1(0)', { ack: 1, win: 257 })
 *   .call({ op: 'accept', fd: 3 }, ok(4))
 *   .wait('+1.5')
 *   .build();
 * ```
 *
 * Time: a cursor that starts at 0. `at('+0.1')` moves it forward, `at('1.5')` / `at(1.5)` sets it
 * (absolute seconds); every step is stamped with the cursor; `wait(t)` moves the cursor and adds a
 * wait step. Times are kept in integer microseconds inside the builder so `+0.1` three times is
 * exactly 0.3.
 *
 * Ports: the SUT ("local", default 192.0.2.1) and the scripted peer ("remote", default 192.0.2.2).
 * Injected segments go remote → local, expected ones local → remote. The local port is
 * `local.port`, else the first `bind`'s port, else (an active open with no bind)
 * `DEFAULT_EPHEMERAL_PORT`; the remote port is `remote.port`, else the first `connect`'s port, else
 * `DEFAULT_REMOTE_PORT`. Per segment, `srcPort`/`dstPort` override them (for several connections).
 *
 * Sequence numbers are in script space (see `./types.ts`): relative to each side's ISN. A segment
 * takes `seq` and `len` either as fields or as packetdrill's `'start:end(len)'` text.
 *
 * Misuse (no seq, ACK flag without ack, time going backwards, an invalid result) throws: this is
 * test and corpus code, where a programmer error should stop loudly.
 */
import type { CallResult, Errno, Scenario, ScenarioHeader, SocketCall, Step } from './types.js';
import type { TcpOption } from '../wire/types.js';
import { ACK } from '../wire/types.js';
import { SCENARIO_FORMAT } from './types.js';
import { parseFlags } from './flags.js';
import { DEFAULT_ADDRS, ScenarioSchema } from './schema.js';
import { firstIssue } from './schema-kit.js';

export const DEFAULT_REMOTE_PORT = 40000;
/** Local port assumed for an active open without bind (inside Linux's ephemeral range 32768–60999). */
export const DEFAULT_EPHEMERAL_PORT = 50000;
/** Window of injected segments when none is given. */
export const DEFAULT_INJECT_WINDOW = 65535;

export interface EndpointOptions {
  readonly addr?: string;
  readonly port?: number;
}

export interface ScenarioOptions {
  readonly behaviours?: readonly string[];
  readonly profile?: string;
  readonly description?: string;
  readonly ipVersion?: 4 | 6;
  readonly local?: EndpointOptions;
  readonly remote?: EndpointOptions;
  readonly peerIsn?: number;
  readonly sysctls?: Readonly<Record<string, number | string>>;
  readonly tolerance?: { readonly absUs: number; readonly rel: number };
}

export interface SegFields {
  readonly seq?: number;
  readonly ack?: number;
  readonly win?: number;
  readonly urg?: number;
  readonly opts?: readonly TcpOption[];
  readonly len?: number;
  readonly srcPort?: number;
  readonly dstPort?: number;
  readonly note?: string;
  /** Inject only: send it with a wrong TCP checksum (DT-4). */
  readonly badChecksum?: boolean;
}

// ---- option and result helpers ----

export const mss = (value: number): TcpOption => ({ kind: 'mss', mss: value });
export const wscale = (shift: number): TcpOption => ({ kind: 'wscale', shift });
export const sackOk = (): TcpOption => ({ kind: 'sackOk' });
/** `sack([1, 1001], [2001, 3001])`: blocks as [left, right) pairs. */
export const sack = (...blocks: readonly (readonly [number, number])[]): TcpOption => ({
  kind: 'sack',
  blocks: blocks.map(([left, right]) => ({ left, right })),
});
export const ts = (val: number, ecr: number): TcpOption => ({ kind: 'ts', val, ecr });
export const nop = (): TcpOption => ({ kind: 'nop' });
export const eol = (): TcpOption => ({ kind: 'eol' });
export const unknownOption = (code: number, data: readonly number[]): TcpOption => ({ kind: 'unknown', code, data });
export const rawOption = (data: readonly number[]): TcpOption => ({ kind: 'raw', data });

export const ok = (value: number): CallResult => ({ ok: true, value });
export const err = (errno: Errno): CallResult => ({ ok: false, errno });

/** Parse packetdrill's `start:end(len)`; throws on bad text or end ≠ start + len. */
export function parseRange(text: string): { readonly seq: number; readonly len: number } {
  const m = /^(\d+):(\d+)\((\d+)\)$/.exec(text.trim());
  if (m === null) throw new Error(`bad segment range "${text}" (expected start:end(len), e.g. 1:1001(1000))`);
  const start = Number(m[1]);
  const end = Number(m[2]);
  const len = Number(m[3]);
  if ((start + len) % 2 ** 32 !== end) throw new Error(`bad segment range "${text}": ${start} + ${len} is not ${end}`);
  return { seq: start, len };
}

/** Parse a time: '+0.1' relative to `cursorUs`, '1.5' or 1.5 absolute; returns microseconds. */
export function parseTime(time: string | number, cursorUs: number): number {
  if (typeof time === 'number') {
    if (!Number.isFinite(time) || time < 0) throw new Error(`bad time ${time}`);
    return Math.round(time * 1e6);
  }
  const m = /^(\+)?(\d+(?:\.\d+)?)$/.exec(time.trim());
  if (m === null) throw new Error(`bad time "${time}" (expected "+0.1" or "1.5")`);
  const us = Math.round(Number(m[2]) * 1e6);
  return m[1] === '+' ? cursorUs + us : us;
}

function flagsOf(flags: string | number): number {
  if (typeof flags === 'number') return flags;
  const r = parseFlags(flags);
  if (!r.ok) throw new Error(r.message);
  return r.flags;
}

export class ScenarioBuilder {
  private readonly steps: Step[] = [];
  private cursorUs = 0;
  private localPort: number | undefined;
  private remotePort: number | undefined;

  constructor(
    private readonly name: string,
    private readonly options: ScenarioOptions = {},
  ) {
    this.localPort = options.local?.port;
    this.remotePort = options.remote?.port;
  }

  /** Move the time cursor: '+0.1' forward, '1.5' / 1.5 to an absolute time (seconds). */
  at(time: string | number): this {
    const us = parseTime(time, this.cursorUs);
    if (us < this.cursorUs) throw new Error(`time ${us / 1e6} s is before the current ${this.cursorUs / 1e6} s`);
    this.cursorUs = us;
    return this;
  }

  /** An application call on the SUT at the cursor, with the result it should return. */
  call(call: SocketCall, expect?: CallResult, note?: string): this {
    if (call.op === 'bind' && this.localPort === undefined) this.localPort = call.port;
    if (call.op === 'connect' && this.remotePort === undefined) this.remotePort = call.port;
    if (call.op === 'connect' && this.localPort === undefined) this.localPort = DEFAULT_EPHEMERAL_PORT;
    this.push({
      kind: 'call',
      t: this.now(),
      call,
      ...(expect !== undefined ? { expect } : {}),
      ...(note !== undefined ? { note } : {}),
    });
    return this;
  }

  /** The peer sends a segment to the SUT at the cursor. */
  inject(flags: string | number, rangeOrFields?: string | SegFields, fields?: SegFields): this {
    return this.segment('inject', flags, rangeOrFields, fields);
  }

  /** The SUT should send a segment at about the cursor. */
  expect(flags: string | number, rangeOrFields?: string | SegFields, fields?: SegFields): this {
    return this.segment('expect', flags, rangeOrFields, fields);
  }

  /** Let time pass to '+d' or an absolute time, as a wait step. */
  wait(time: string | number, note?: string): this {
    this.at(time);
    this.push({ kind: 'wait', t: this.now(), ...(note !== undefined ? { note } : {}) });
    return this;
  }

  /** Attach a note to the last step. */
  note(text: string): this {
    const last = this.steps.pop();
    if (last === undefined) throw new Error('note() before any step');
    this.steps.push({ ...last, note: text });
    return this;
  }

  /** Validate and return the scenario; throws with the first problem. */
  build(): Scenario {
    const o = this.options;
    const ipVersion = o.ipVersion ?? 4;
    const header: ScenarioHeader = {
      type: 'scenario',
      format: SCENARIO_FORMAT,
      name: this.name,
      ...(o.description !== undefined ? { description: o.description } : {}),
      behaviours: o.behaviours ?? [],
      profile: o.profile ?? 'linux',
      ipVersion,
      local: { addr: o.local?.addr ?? DEFAULT_ADDRS[ipVersion].local },
      remote: { addr: o.remote?.addr ?? DEFAULT_ADDRS[ipVersion].remote },
      peerIsn: o.peerIsn ?? 0,
      ...(o.sysctls !== undefined ? { sysctls: o.sysctls } : {}),
      ...(o.tolerance !== undefined ? { tolerance: o.tolerance } : {}),
    };
    const r = ScenarioSchema.safeParse({ header, steps: this.steps });
    if (!r.success) throw new Error(`scenario "${this.name}": ${firstIssue(r.error)}`);
    return r.data;
  }

  private now(): number {
    return this.cursorUs / 1e6;
  }

  private push(step: Step): void {
    this.steps.push(step);
  }

  private segment(kind: 'inject' | 'expect', flagsIn: string | number, rangeOrFields?: string | SegFields, more?: SegFields): this {
    const flags = flagsOf(flagsIn);
    const range = typeof rangeOrFields === 'string' ? parseRange(rangeOrFields) : undefined;
    const f: SegFields = { ...(typeof rangeOrFields === 'object' ? rangeOrFields : {}), ...(more ?? {}) };
    const seq = f.seq ?? range?.seq;
    if (seq === undefined) throw new Error(`${kind} ${String(flagsIn)}: seq is required (a field or 'start:end(len)')`);
    if ((flags & ACK) !== 0 && f.ack === undefined) throw new Error(`${kind} ${String(flagsIn)}: the ACK flag is set, so ack is required`);
    const win = f.win ?? (kind === 'inject' ? DEFAULT_INJECT_WINDOW : undefined);
    if (win === undefined) throw new Error(`expect ${String(flagsIn)}: win is required for expected segments`);
    const local = this.localPort;
    const remote = this.remotePort ?? DEFAULT_REMOTE_PORT;
    const localPort = kind === 'inject' ? f.dstPort : f.srcPort;
    const remotePort = kind === 'inject' ? f.srcPort : f.dstPort;
    const lp = localPort ?? local;
    if (lp === undefined) {
      throw new Error(`${kind} ${String(flagsIn)}: the local port is unknown (bind or connect first, or pass local.port)`);
    }
    const rp = remotePort ?? remote;
    this.push({
      kind,
      t: this.now(),
      seg: {
        srcPort: kind === 'inject' ? rp : lp,
        dstPort: kind === 'inject' ? lp : rp,
        seq,
        ack: f.ack ?? 0,
        flags,
        window: win,
        urgent: f.urg ?? 0,
        options: f.opts ?? [],
        len: f.len ?? range?.len ?? 0,
      },
      ...(f.note !== undefined ? { note: f.note } : {}),
      ...(kind === 'inject' && f.badChecksum === true ? { corrupt: 'tcp-checksum' as const } : {}),
    } as Step);
    return this;
  }
}

/** Start a scenario. */
export function scenario(name: string, options?: ScenarioOptions): ScenarioBuilder {
  return new ScenarioBuilder(name, options);
}
