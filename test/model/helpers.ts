/**
 * Test helpers for the model, smoltcp style: a `Host` wraps one pure endpoint with a virtual clock
 * and collects its outputs; `inject` plays the scripted peer, `expectSeg` / `expectNoSeg` check what
 * the host sent field by field; fixtures build each state by chaining ("ESTABLISHED = handshake
 * done", "FIN-WAIT-1 = ESTABLISHED + close()"). A `Pair` wires two hosts back to back with latency
 * and an optional loss rule, and drives them until idle.
 */
import { expect } from 'vitest';
import type { Output } from '../../src/model/api.js';
import type { Conn, Endpoint } from '../../src/model/types.js';
import type { Profile } from '../../src/model/profile-type.js';
import { createEndpoint, step } from '../../src/model/step.js';
import { linux } from '../../src/model/profiles.js';
import type { CallResult, SocketCall } from '../../src/scenario/types.js';
import type { Segment, TcpOption } from '../../src/wire/types.js';
import { ACK, SYN } from '../../src/wire/types.js';
import { seqAdd } from '../../src/wire/seq.js';

export const HOST = '192.0.2.1';
export const PEER = '192.0.2.2';
export const HOST_PORT = 80;
export const PEER_PORT = 40000;
export const PEER_ISN = 1_000_000;
export const MS = 1000;
export const S = 1_000_000;

/** A Linux-like peer SYN option set: mss 1460, sackOK, TS, nop, wscale 7. */
export function peerSynOptions(tsVal = 5000, wscale: number | null = 7): TcpOption[] {
  const o: TcpOption[] = [{ kind: 'mss', mss: 1460 }, { kind: 'sackOk' }, { kind: 'ts', val: tsVal, ecr: 0 }];
  if (wscale !== null) o.push({ kind: 'nop' }, { kind: 'wscale', shift: wscale });
  return o;
}

export function seg(p: Partial<Segment> & { flags: number }): Segment {
  return {
    srcPort: p.srcPort ?? PEER_PORT,
    dstPort: p.dstPort ?? HOST_PORT,
    seq: p.seq ?? PEER_ISN,
    ack: p.ack ?? 0,
    flags: p.flags,
    window: p.window ?? 65535,
    urgent: p.urgent ?? 0,
    options: p.options ?? [],
    len: p.len ?? 0,
  };
}

export class Host {
  ep: Endpoint;
  now = 0;
  deadline: number | null = null;
  /** Every output since creation. */
  readonly log: Output[] = [];
  /** Segments sent and not yet consumed by expectSeg / takeSegs. */
  pending: Segment[] = [];
  /** Outputs of the last step. */
  last: readonly Output[] = [];

  constructor(profile: Profile = linux, addr = HOST, peerAddr = PEER, seed = 1) {
    this.ep = createEndpoint({ profile, addr, peerAddr, seed });
  }

  private run(input: Parameters<typeof step>[1]): readonly Output[] {
    const r = step(this.ep, input, this.now);
    this.ep = r.endpoint;
    this.deadline = r.deadline;
    this.last = r.outputs;
    for (const o of r.outputs) {
      this.log.push(o);
      if (o.kind === 'segment') this.pending.push(o.seg);
    }
    return r.outputs;
  }

  /** The scripted peer sends a segment. */
  inject(s: Segment, opts: { checksumOk?: boolean; src?: string } = {}): readonly Output[] {
    const input = opts.checksumOk === false
      ? { kind: 'segment' as const, src: opts.src ?? PEER, dst: this.ep.addr, seg: s, checksumOk: false }
      : { kind: 'segment' as const, src: opts.src ?? PEER, dst: this.ep.addr, seg: s };
    return this.run(input);
  }

  call(c: SocketCall): CallResult {
    const outs = this.run({ kind: 'call', call: c });
    const results = outs.filter((o) => o.kind === 'result');
    expect(results.length).toBe(1);
    const r = results[0]!;
    if (r.kind !== 'result') throw new Error('unreachable');
    return r.result;
  }

  ok(c: SocketCall): number {
    const r = this.call(c);
    if (!r.ok) throw new Error(`${c.op} failed with ${r.errno}`);
    return r.value;
  }

  /** Fire the timers due at the current time. */
  tick(): readonly Output[] {
    return this.run({ kind: 'timer' });
  }

  /** Advance the clock by `us`, firing every timer that falls due on the way. */
  wait(us: number): void {
    const end = this.now + us;
    while (this.deadline !== null && this.deadline <= end) {
      this.now = Math.max(this.now, this.deadline);
      this.run({ kind: 'timer' });
    }
    this.now = end;
  }

  /** Advance to the next deadline and fire it. */
  fireNext(): void {
    if (this.deadline === null) throw new Error('no timer armed');
    this.now = Math.max(this.now, this.deadline);
    this.run({ kind: 'timer' });
  }

  takeSegs(): Segment[] {
    const s = this.pending;
    this.pending = [];
    return s;
  }

  /** The next sent segment must match every given field. */
  expectSeg(want: Partial<Segment>): Segment {
    const got = this.pending.shift();
    expect(got, `expected a segment ${JSON.stringify(want)}, got nothing`).toBeDefined();
    for (const [k, v] of Object.entries(want)) {
      expect((got as unknown as Record<string, unknown>)[k], `field ${k} of ${JSON.stringify(got)}`).toEqual(v);
    }
    return got!;
  }

  expectNoSeg(): void {
    expect(this.pending, 'expected no segment').toEqual([]);
  }

  events(kind?: string): Output[] {
    return this.log.filter((o) => o.kind === 'event' && (kind === undefined || (o.kind === 'event' && o.event === kind)));
  }

  notes(rulePrefix: string): Output[] {
    return this.log.filter((o) => o.kind === 'note' && o.rule.startsWith(rulePrefix));
  }

  conn(fd: number): Conn {
    const c = this.ep.conns.find((x) => x.fd === fd);
    if (c === undefined) throw new Error(`no conn with fd ${fd}`);
    return c;
  }

  connByPorts(localPort: number, remotePort: number): Conn | undefined {
    return this.ep.conns.find((x) => x.localPort === localPort && x.remotePort === remotePort && x.state !== 'LISTEN');
  }
}

// ── fixtures (passive side: the host listens on HOST_PORT) ──────────────────────────────────

export function listening(profile: Profile = linux, backlog = 128): Host {
  const h = new Host(profile);
  h.ok({ op: 'socket', fd: 3 });
  h.ok({ op: 'bind', fd: 3, port: HOST_PORT });
  h.ok({ op: 'listen', fd: 3, backlog });
  return h;
}

/** SYN-RECEIVED = LISTEN + peer SYN (Linux-like options). Returns the host's ISS. */
export function synReceived(profile: Profile = linux, options: TcpOption[] = peerSynOptions()): { h: Host; iss: number } {
  const h = listening(profile);
  h.inject(seg({ flags: SYN, seq: PEER_ISN, window: 64240, options }));
  const sa = h.expectSeg({ flags: SYN | ACK, ack: PEER_ISN + 1 });
  return { h, iss: sa.seq };
}

export function tsOpt(val: number, ecr: number): TcpOption[] {
  return [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'ts', val, ecr }];
}

/** The host's last TSval (for the peer's echo). */
export function lastTsVal(s: Segment): number {
  for (const o of s.options) if (o.kind === 'ts') return o.val;
  return 0;
}

/** ESTABLISHED (passive, accepted as fd 4) = SYN-RECEIVED + third ACK + accept(). No timestamps when `ts` is false. */
export function establishedPassive(profile: Profile = linux, ts = false): { h: Host; iss: number; fd: number } {
  const opts = ts ? peerSynOptions() : [{ kind: 'mss' as const, mss: 1460 }, { kind: 'sackOk' as const }, { kind: 'nop' as const }, { kind: 'wscale' as const, shift: 7 }];
  const { h, iss } = synReceived(profile, opts);
  h.inject(seg({ flags: ACK, seq: PEER_ISN + 1, ack: seqAdd(iss, 1), window: 502, options: ts ? tsOpt(5001, 0) : [] }));
  h.expectNoSeg();
  const fd = h.ok({ op: 'accept', fd: 3 });
  return { h, iss, fd };
}

/** SYN-SENT = socket + connect(). */
export function synSent(profile: Profile = linux): { h: Host; syn: Segment; port: number } {
  const h = new Host(profile);
  h.ok({ op: 'socket', fd: 3 });
  const r = h.call({ op: 'connect', fd: 3, port: HOST_PORT });
  expect(r).toEqual({ ok: false, errno: 'EINPROGRESS' });
  const syn = h.expectSeg({ flags: SYN, dstPort: HOST_PORT });
  return { h, syn, port: syn.srcPort };
}

/** ESTABLISHED (active, fd 3) = SYN-SENT + SYN-ACK (no timestamps, wscale 7, window 65535 field). */
export function establishedActive(profile: Profile = linux): { h: Host; iss: number; port: number } {
  const { h, syn, port } = synSent(profile);
  h.inject(
    seg({
      flags: SYN | ACK,
      srcPort: HOST_PORT,
      dstPort: port,
      seq: PEER_ISN,
      ack: seqAdd(syn.seq, 1),
      window: 65535,
      options: [{ kind: 'mss', mss: 1460 }, { kind: 'sackOk' }, { kind: 'nop' }, { kind: 'wscale', shift: 7 }],
    }),
  );
  h.expectSeg({ flags: ACK, ack: PEER_ISN + 1 });
  return { h, iss: syn.seq, port };
}

/** A segment from the peer of an active-open host (ports swapped). */
export function toActive(port: number, p: Partial<Segment> & { flags: number }): Segment {
  return seg({ srcPort: HOST_PORT, dstPort: port, ...p });
}

// ── two hosts back to back ─────────────────────────────────────────────────────────────────

interface InFlight {
  at: number;
  to: 0 | 1;
  seg: Segment;
  order: number;
}

export class Pair {
  readonly hosts: [Host, Host];
  now = 0;
  private flight: InFlight[] = [];
  private order = 0;
  /** Return true to drop a segment (index counts every segment sent). */
  drop: (seg: Segment, from: 0 | 1, index: number) => boolean = () => false;
  private sentCount = 0;
  readonly latency: number;

  constructor(profile: Profile = linux, latency = 10 * MS) {
    this.hosts = [new Host(profile, HOST, PEER, 11), new Host(profile, PEER, HOST, 22)];
    this.latency = latency;
  }

  /** Move segments each host sent into flight. */
  private collect(): void {
    for (const i of [0, 1] as const) {
      const h = this.hosts[i];
      for (const s of h.takeSegs()) {
        const idx = this.sentCount++;
        if (this.drop(s, i, idx)) continue;
        this.flight.push({ at: this.now + this.latency, to: i === 0 ? 1 : 0, seg: s, order: this.order++ });
      }
    }
  }

  call(i: 0 | 1, c: SocketCall): CallResult {
    const h = this.hosts[i];
    h.now = this.now;
    const r = h.call(c);
    this.collect();
    return r;
  }

  /** Run until nothing is in flight and no timer is due before `until`. Returns the number of steps. */
  drive(until: number, maxSteps = 1_000_000): number {
    let steps = 0;
    while (steps < maxSteps) {
      this.collect();
      let next: number | null = null;
      for (const f of this.flight) if (next === null || f.at < next) next = f.at;
      for (const h of this.hosts) if (h.deadline !== null && (next === null || h.deadline < next)) next = h.deadline;
      if (next === null || next > until) {
        if (Number.isFinite(until)) this.now = Math.max(this.now, until);
        break;
      }
      this.now = Math.max(this.now, next);
      const due = this.flight.filter((f) => f.at <= this.now).sort((a, b) => a.at - b.at || a.order - b.order);
      if (due.length > 0) {
        const f = due[0]!;
        this.flight.splice(this.flight.indexOf(f), 1);
        const h = this.hosts[f.to];
        h.now = this.now;
        h.inject(f.seg, { src: this.hosts[f.to === 0 ? 1 : 0].ep.addr });
      } else {
        for (const h of this.hosts) {
          if (h.deadline !== null && h.deadline <= this.now) {
            h.now = this.now;
            h.tick();
          }
        }
      }
      steps++;
    }
    this.collect();
    return steps;
  }
}
