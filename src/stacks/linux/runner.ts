/**
 * One scenario on the live kernel, in real time: a `ScenarioRun` executes the steps at t0 + t
 * (inject → encode and write to the TUN device, call → the libc call on a real socket, wait →
 * nothing), receives the kernel's packets from the worker's dispatcher, translates everything to
 * script space, and watches its sockets (TCP_INFO state changes, poll readiness → app events).
 * It never blocks or sleeps: the worker's loop (worker.ts) owns the clock and the ppoll, asks each
 * run when it is next due (`dueNs`), and lets several runs share one namespace at once.
 *
 * The kernel answers a TUN write synchronously (docs/linux-tun-notes.md), so after every step the
 * run asks the host to drain the device; packets are stamped with the time they were read.
 * Script space ↔ absolute numbers follow the shared rules of src/scenario/space.ts (ISN and first
 * TSval of the kernel learned per connection from its SYN / SYN-ACK; the ack field translated only
 * with the ACK flag). Payload bytes follow src/wire/payload.ts in both directions and are checked.
 *
 * Fidelity notes (also in the trace's meta):
 * - An error the kernel reports on a socket (POLLERR) is read with SO_ERROR, which clears it; the
 *   run keeps it and hands it to the next recv (when nothing is readable and no FIN was seen) or
 *   send, as the kernel would have.
 * - A socket that connects without an explicit bind is first bound to the local port the
 *   scenario's injects from that remote port address (so the scenario knows its port); without
 *   such an inject the kernel's ephemeral port stands.
 * - With `remapPorts`, each scenario port the kernel binds or receives on is replaced by a fresh
 *   real port and mapped back in the trace, so concurrent runs and leftovers (TIME-WAIT, orphans)
 *   of earlier runs never meet.
 */
import { encodePacket } from '../../wire/codec.js';
import { corruptTcpChecksum } from '../../wire/checksum.js';
import { checkPayload, fillPayload } from '../../wire/payload.js';
import { SYN, type Packet, type Segment } from '../../wire/types.js';
import type { CallResult, Errno, Scenario, SocketCall, Step } from '../../scenario/types.js';
import { TRACE_FORMAT, type AppEventName, type TcpStateName, type Trace, type TraceEvent } from '../../trace/types.js';
import * as ffi from './ffi.js';
import type { PollFd } from './ffi.js';
import { ScriptSpace } from '../../scenario/space.js';
import { seqAdd, seqDist } from '../../wire/seq.js';

/** What a run needs from the worker that hosts it. */
export interface RunHost {
  /** Monotonic clock, nanoseconds. */
  nowNs(): bigint;
  /** Write one packet to the TUN device and dispatch whatever the kernel sends back. */
  inject(bytes: Uint8Array): ffi.SysResult;
  /** Read every pending packet from the TUN device and dispatch it. */
  drain(): void;
  /** A fresh real port for a scenario port (never one in use by another run). */
  allocPort(): number;
  /** Route the kernel's packets from real local port `port` to `run` (or stop routing). */
  claimPort(port: number, run: ScenarioRun): void;
  releasePort(port: number): void;
}

export interface RunConfig {
  readonly graceUs: number;
  readonly congestion: string;
  readonly remapPorts: boolean;
  readonly kernel: string;
  readonly sysctls: Readonly<Record<string, string>>;
  readonly meta: Readonly<Record<string, string | number | boolean>>;
  /** Profile to name in the trace header (else the scenario's, else "linux"). */
  readonly profile?: string;
}

interface FdState {
  real: number;
  role: 'socket' | 'listener' | 'conn';
  bound: boolean;
  connecting: boolean;
  sndOffset: number;
  rcvOffset: number;
  lastState: TcpStateName | undefined;
  readable: boolean;
  eof: boolean;
  acceptReady: boolean;
  /** POLLERR or POLLHUP was seen: leave the fd out of blocking polls (they report it forever). */
  terminal: boolean;
  wantWritable: boolean;
  pendingErrno: Errno | undefined;
  /** An error was reported on this socket. */
  errored: boolean;
}

const LINUX_STATE: readonly TcpStateName[] = [
  'CLOSED', // 0: not a state
  'ESTABLISHED',
  'SYN-SENT',
  'SYN-RECEIVED',
  'FIN-WAIT-1',
  'FIN-WAIT-2',
  'TIME-WAIT',
  'CLOSED',
  'CLOSE-WAIT',
  'LAST-ACK',
  'LISTEN',
  'CLOSING',
  'SYN-RECEIVED', // 12: TCP_NEW_SYN_RECV
];

const SOCKOPTS: Readonly<Record<string, readonly [number, number]>> = {
  TCP_NODELAY: [ffi.IPPROTO_TCP, ffi.TCP_NODELAY],
  TCP_MAXSEG: [ffi.IPPROTO_TCP, ffi.TCP_MAXSEG],
  TCP_KEEPIDLE: [ffi.IPPROTO_TCP, ffi.TCP_KEEPIDLE],
  TCP_KEEPINTVL: [ffi.IPPROTO_TCP, ffi.TCP_KEEPINTVL],
  TCP_KEEPCNT: [ffi.IPPROTO_TCP, ffi.TCP_KEEPCNT],
  TCP_USER_TIMEOUT: [ffi.IPPROTO_TCP, ffi.TCP_USER_TIMEOUT],
  TCP_QUICKACK: [ffi.IPPROTO_TCP, ffi.TCP_QUICKACK],
  SO_RCVBUF: [ffi.SOL_SOCKET, ffi.SO_RCVBUF],
  SO_SNDBUF: [ffi.SOL_SOCKET, ffi.SO_SNDBUF],
  SO_KEEPALIVE: [ffi.SOL_SOCKET, ffi.SO_KEEPALIVE],
};

const SHUT: Readonly<Record<string, number>> = { SHUT_RD: ffi.SHUT_RD, SHUT_WR: ffi.SHUT_WR, SHUT_RDWR: ffi.SHUT_RDWR };

export class ScenarioRun {
  readonly scenario: Scenario;
  private readonly host: RunHost;
  private readonly cfg: RunConfig;
  private readonly peerIsn: number;
  private readonly local: string;
  private readonly remote: string;
  private readonly congestion: string;
  private t0 = 0n;
  private next = 0;
  private endNs = 0n;
  private finished = false;
  private readonly events: TraceEvent[] = [];
  private readonly fds = new Map<number, FdState>();
  /** Script space ↔ absolute, per connection (shared rules: src/scenario/space.ts). */
  private readonly space: ScriptSpace;
  /** scenario port → real port, and back. */
  private readonly toReal = new Map<number, number>();
  private readonly toScenario = new Map<number, number>();
  private ipId = 1;
  private trace: Trace | undefined;

  constructor(scenario: Scenario, host: RunHost, cfg: RunConfig) {
    this.scenario = scenario;
    this.host = host;
    this.cfg = cfg;
    this.peerIsn = scenario.header.peerIsn >>> 0;
    this.space = new ScriptSpace(this.peerIsn);
    this.local = scenario.header.local.addr;
    this.remote = scenario.header.remote.addr;
    const c = scenario.header.sysctls?.['congestion'];
    this.congestion = typeof c === 'string' && c !== '' ? c : cfg.congestion;
  }

  /** Claim ports and start the clock. */
  start(): void {
    const ports = new Set<number>();
    for (const s of this.scenario.steps) {
      if (s.kind === 'inject') ports.add(s.seg.dstPort);
      if (s.kind === 'call' && s.call.op === 'bind' && s.call.port !== 0) ports.add(s.call.port);
      if (s.kind === 'call' && s.call.op === 'connect') {
        const p = this.inferLocalPort(s.call.port);
        if (p !== null) ports.add(p);
      }
    }
    for (const p of [...ports].sort((a, b) => a - b)) {
      const real = this.cfg.remapPorts ? this.host.allocPort() : p;
      this.mapPort(p, real);
    }
    this.t0 = this.host.nowNs();
    const last = this.scenario.steps.reduce((m, s) => Math.max(m, s.t), 0);
    this.endNs = this.t0 + BigInt(Math.round(last * 1e6) + this.cfg.graceUs) * 1000n;
  }

  private mapPort(scenarioPort: number, real: number): void {
    this.toReal.set(scenarioPort, real);
    this.toScenario.set(real, scenarioPort);
    this.host.claimPort(real, this);
  }

  /** The local port the scenario's injects from remote port `remotePort` address, if any. */
  private inferLocalPort(remotePort: number): number | null {
    for (const s of this.scenario.steps) if (s.kind === 'inject' && s.seg.srcPort === remotePort) return s.seg.dstPort;
    return null;
  }

  private micros(ns: bigint): number {
    return Number((ns - this.t0) / 1000n);
  }

  /** When the run next needs the CPU (a step or the end of the grace period), or null when done. */
  dueNs(): bigint | null {
    if (this.finished) return null;
    const step = this.scenario.steps[this.next];
    if (step === undefined) return this.endNs;
    return this.t0 + BigInt(Math.round(step.t * 1e6)) * 1000n;
  }

  isFinished(): boolean {
    return this.finished;
  }

  /** Run every step that is due at `now`; finish when past the end. */
  advance(now: bigint): void {
    if (this.finished) return;
    for (;;) {
      const step = this.scenario.steps[this.next];
      if (step === undefined) break;
      const due = this.t0 + BigInt(Math.round(step.t * 1e6)) * 1000n;
      if (due > now) return;
      const index = this.next++;
      this.execute(step, index);
      this.host.drain();
      this.check();
      now = this.host.nowNs();
    }
    if (now >= this.endNs) this.finish();
  }

  private execute(step: Step, index: number): void {
    switch (step.kind) {
      case 'inject':
        this.inject(step.seg, index, step.corrupt === 'tcp-checksum');
        return;
      case 'call': {
        const t = this.micros(this.host.nowNs());
        const result = this.call(step.call);
        this.events.push({ type: 'call', t, step: index, call: step.call, result });
        return;
      }
      case 'expect':
      case 'wait':
        return;
      default: {
        const never: never = step;
        return never;
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // Inbound

  private inject(seg: Segment, index: number, badChecksum = false): void {
    const abs = this.space.inbound(seg);
    const realDst = this.toReal.get(seg.dstPort) ?? seg.dstPort;
    const payload = new Uint8Array(seg.len);
    if (seg.len > 0) fillPayload(payload, streamOffset(this.peerIsn, abs.seq, abs.flags));
    const packet: Packet = {
      ip: { version: 4, src: this.remote, dst: this.local, tos: 0, id: this.ipId++ & 0xffff, ipFlags: 0x2, fragOffset: 0, ttl: 64, options: [] },
      tcp: { ...abs, dstPort: realDst },
      payload,
    };
    let bytes: Uint8Array;
    try {
      bytes = encodePacket(packet);
    } catch (e) {
      this.note('linux/inject-unencodable', `step ${index}: ${(e as Error).message}`);
      return;
    }
    if (badChecksum) corruptTcpChecksum(bytes); // DT-4
    const t = this.micros(this.host.nowNs());
    this.events.push({ type: 'in', t, step: index, seg });
    const r = this.host.inject(bytes);
    if (!r.ok) this.note('linux/inject-failed', `step ${index}: TUN write failed: ${ffi.errnoName(r.errno)}`);
  }

  // -------------------------------------------------------------------------------------------
  // Outbound

  /** A decoded packet the kernel sent from one of this run's real ports, read at `tNs`. */
  onPacket(p: Packet, tNs: bigint): void {
    if (this.finished) return;
    const seg = p.tcp;
    const scenarioPort = this.toScenario.get(seg.srcPort) ?? seg.srcPort;
    const script = this.space.outbound({ ...seg, srcPort: scenarioPort });
    this.events.push({ type: 'out', t: this.micros(tNs), seg: script });
    const sutIsn = this.space.flow(scenarioPort, seg.dstPort).sutIsn;
    if (seg.len > 0 && p.payload !== undefined && sutIsn !== null) {
      const off = streamOffset(sutIsn, seg.seq, seg.flags);
      const bad = checkPayload(p.payload, off);
      if (bad >= 0) this.note('linux/payload-mismatch', `kernel segment seq ${script.seq}: byte ${bad} differs from the stream pattern`);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Calls

  private lowestFreeFd(): number {
    let fd = 3;
    while (this.fds.has(fd)) fd++;
    return fd;
  }

  private err(n: number, what: string): CallResult {
    const e = ffi.toScenarioErrno(n);
    if (e !== null) return { ok: false, errno: e };
    this.note('linux/unmapped-errno', `${what}: ${ffi.errnoName(n)} reported as EINVAL`);
    return { ok: false, errno: 'EINVAL' };
  }

  private fresh(real: number, role: FdState['role']): FdState {
    return {
      real,
      role,
      bound: role === 'conn',
      connecting: false,
      sndOffset: 0,
      rcvOffset: 0,
      lastState: undefined,
      readable: false,
      eof: false,
      acceptReady: false,
      terminal: false,
      wantWritable: false,
      pendingErrno: undefined,
      errored: false,
    };
  }

  private call(c: SocketCall): CallResult {
    if (c.op === 'socket') {
      if (this.fds.has(c.fd)) {
        this.note('linux/fd-in-use', `socket: scenario fd ${c.fd} is already open`);
        return { ok: false, errno: 'EINVAL' };
      }
      const r = ffi.tcpSocket();
      if (!r.ok) return this.err(r.errno, 'socket');
      const cc = ffi.setCongestion(r.value, this.congestion);
      if (!cc.ok) this.note('linux/congestion', `TCP_CONGESTION ${this.congestion}: ${ffi.errnoName(cc.errno)}`);
      this.fds.set(c.fd, this.fresh(r.value, 'socket'));
      return { ok: true, value: c.fd };
    }
    const f = this.fds.get(c.fd);
    if (f === undefined) return { ok: false, errno: 'EBADF' };
    switch (c.op) {
      case 'bind': {
        const real = c.port === 0 ? 0 : (this.toReal.get(c.port) ?? c.port);
        const r = ffi.sockBind(f.real, this.local, real);
        if (!r.ok) return this.err(r.errno, 'bind');
        f.bound = true;
        if (real === 0) this.learnEphemeral(f);
        return { ok: true, value: 0 };
      }
      case 'listen': {
        const r = ffi.sockListen(f.real, c.backlog);
        if (!r.ok) return this.err(r.errno, 'listen');
        f.role = 'listener';
        f.bound = true;
        this.learnEphemeral(f);
        return { ok: true, value: 0 };
      }
      case 'connect': {
        if (!f.bound) {
          const p = this.inferLocalPort(c.port);
          if (p !== null) {
            const b = ffi.sockBind(f.real, this.local, this.toReal.get(p) ?? p);
            if (!b.ok) this.note('linux/implicit-bind', `bind before connect to port ${p}: ${ffi.errnoName(b.errno)}`);
          }
        }
        const r = ffi.sockConnect(f.real, this.remote, c.port);
        f.bound = true;
        this.learnEphemeral(f);
        if (!r.ok) {
          if (r.errno === 115) f.connecting = true;
          return this.err(r.errno, 'connect');
        }
        f.role = 'conn';
        return { ok: true, value: 0 };
      }
      case 'accept': {
        const r = ffi.sockAccept(f.real);
        if (!r.ok) return this.err(r.errno, 'accept');
        const fd = this.lowestFreeFd();
        this.fds.set(fd, this.fresh(r.value, 'conn'));
        return { ok: true, value: fd };
      }
      case 'send': {
        if (f.pendingErrno !== undefined) return this.takePending(f);
        const n = Math.max(0, Math.floor(c.bytes));
        const buf = new Uint8Array(n);
        fillPayload(buf, f.sndOffset);
        const r = ffi.sockSend(f.real, buf);
        if (!r.ok) {
          if (r.errno === 11) f.wantWritable = true;
          return this.err(r.errno, 'send');
        }
        f.sndOffset += r.value;
        if (r.value < n) f.wantWritable = true;
        return { ok: true, value: r.value };
      }
      case 'recv': {
        const n = Math.max(0, Math.floor(c.bytes));
        const buf = new Uint8Array(n);
        const r = ffi.sockRecv(f.real, buf);
        if (r.ok && r.value > 0) {
          const bad = checkPayload(buf.subarray(0, r.value), f.rcvOffset);
          if (bad >= 0) this.note('linux/payload-mismatch', `recv on fd ${c.fd}: byte ${bad} differs from the peer's stream pattern`);
          f.rcvOffset += r.value;
          return { ok: true, value: r.value };
        }
        // tcp_recvmsg_locked checks SOCK_DONE (the peer's FIN arrived) before sk_err: after a FIN the
        // kernel's recv() says 0 and leaves the error for send().
        if (f.pendingErrno !== undefined && n > 0 && !f.eof) return this.takePending(f);
        if (!r.ok) return this.err(r.errno, 'recv');
        return { ok: true, value: 0 };
      }
      case 'shutdown': {
        const r = ffi.sockShutdown(f.real, SHUT[c.how] ?? ffi.SHUT_RDWR);
        if (!r.ok) return this.err(r.errno, 'shutdown');
        return { ok: true, value: 0 };
      }
      case 'close': {
        this.fds.delete(c.fd);
        const r = ffi.fdClose(f.real);
        if (!r.ok) return this.err(r.errno, 'close');
        return { ok: true, value: 0 };
      }
      case 'abort': {
        ffi.setLinger(f.real, 0);
        this.fds.delete(c.fd);
        const r = ffi.fdClose(f.real);
        if (!r.ok) return this.err(r.errno, 'abort');
        return { ok: true, value: 0 };
      }
      case 'setsockopt': {
        if (c.opt === 'SO_LINGER') {
          const r = ffi.setLinger(f.real, c.value);
          return r.ok ? { ok: true, value: 0 } : this.err(r.errno, 'setsockopt SO_LINGER');
        }
        const o = SOCKOPTS[c.opt];
        if (o === undefined) return { ok: false, errno: 'EINVAL' };
        const r = ffi.setIntOpt(f.real, o[0], o[1], c.value);
        return r.ok ? { ok: true, value: 0 } : this.err(r.errno, `setsockopt ${c.opt}`);
      }
      default: {
        const never: never = c;
        return never;
      }
    }
  }

  private takePending(f: FdState): CallResult {
    const e = f.pendingErrno!;
    f.pendingErrno = undefined;
    return { ok: false, errno: e };
  }

  /** A socket bound to an ephemeral port: map that port to itself so its packets reach us. */
  private learnEphemeral(f: FdState): void {
    const r = ffi.localPort(f.real);
    if (!r.ok || r.value === 0 || this.toScenario.has(r.value)) return;
    this.mapPort(r.value, r.value);
  }

  // -------------------------------------------------------------------------------------------
  // Socket watch: TCP_INFO states and readiness events

  /** Record state changes and app events of every open fd (call after anything happened). */
  check(): void {
    if (this.finished || this.fds.size === 0) return;
    const now = this.host.nowNs();
    const t = this.micros(now);
    const order = [...this.fds.keys()].sort((a, b) => a - b);
    const polls: PollFd[] = order.map((fd) => ({ fd: this.fds.get(fd)!.real, events: ffi.POLLIN | ffi.POLLOUT, revents: 0 }));
    ffi.pollFds(polls, 0);
    order.forEach((sfd, i) => {
      const f = this.fds.get(sfd)!;
      const info = ffi.tcpInfo(f.real);
      if (info.ok) {
        const state = LINUX_STATE[info.value.state] ?? 'CLOSED';
        if (state !== f.lastState) {
          f.lastState = state;
          const { state: _s, ...rest } = info.value;
          this.events.push({ type: 'state', t, fd: sfd, state, info: { ...rest, linux_state: info.value.state } });
        }
      }
      this.readiness(sfd, f, polls[i]!.revents, t);
    });
  }

  private event(t: number, fd: number, event: AppEventName, errno?: Errno): void {
    this.events.push(errno === undefined ? { type: 'event', t, fd, event } : { type: 'event', t, fd, event, errno });
  }

  private readiness(sfd: number, f: FdState, rev: number, t: number): void {
    const errOrHup = (rev & (ffi.POLLERR | ffi.POLLHUP)) !== 0;
    if (errOrHup) f.terminal = true;
    if (f.role === 'listener') {
      const ready = (rev & ffi.POLLIN) !== 0;
      if (ready && !f.acceptReady) this.event(t, sfd, 'accept-ready');
      f.acceptReady = ready;
      return;
    }
    if (f.connecting) {
      if ((rev & ffi.POLLOUT) === 0 && !errOrHup) return;
      f.connecting = false;
      f.role = 'conn';
      const so = ffi.getIntOpt(f.real, ffi.SOL_SOCKET, ffi.SO_ERROR);
      const code = so.ok ? so.value : 0;
      if (code === 0) {
        this.event(t, sfd, 'connected');
      } else {
        const e = this.errnoOf(code);
        f.pendingErrno = e;
        f.errored = true;
        this.event(t, sfd, 'error', e);
      }
      // fall through: the same poll may also show data or EOF
    }
    if (f.role !== 'conn') return;
    if ((rev & ffi.POLLERR) !== 0 && f.pendingErrno === undefined) {
      const so = ffi.getIntOpt(f.real, ffi.SOL_SOCKET, ffi.SO_ERROR);
      if (so.ok && so.value !== 0) {
        const e = this.errnoOf(so.value);
        f.pendingErrno = e;
        f.errored = true;
        this.event(t, sfd, 'error', e);
      }
    }
    // After an error the connection is over: no 'eof' follows (the app learns the error instead).
    if ((rev & ffi.POLLIN) !== 0 && (rev & ffi.POLLERR) === 0 && !f.errored) {
      // MSG_PEEK is safe here: no error is pending (it would consume it).
      const r = ffi.sockRecv(f.real, peekBuf, ffi.MSG_PEEK | ffi.MSG_DONTWAIT);
      if (r.ok && r.value > 0) {
        if (!f.readable) this.event(t, sfd, 'readable');
        f.readable = true;
      } else if (r.ok && r.value === 0) {
        f.readable = false;
        if (!f.eof) this.event(t, sfd, 'eof');
        f.eof = true;
      } else {
        f.readable = false;
      }
    } else {
      f.readable = false;
    }
    if (f.wantWritable && (rev & ffi.POLLOUT) !== 0) {
      f.wantWritable = false;
      this.event(t, sfd, 'writable');
    }
  }

  private errnoOf(code: number): Errno {
    const e = ffi.toScenarioErrno(code);
    if (e !== null) return e;
    this.note('linux/unmapped-errno', `socket error ${ffi.errnoName(code)} reported as EINVAL`);
    return 'EINVAL';
  }

  /** The fds the worker's blocking poll should watch for this run, with the events still unseen. */
  pollInterest(): PollFd[] {
    const out: PollFd[] = [];
    if (this.finished) return out;
    for (const f of this.fds.values()) {
      if (f.terminal) continue;
      let ev = 0;
      if (f.role === 'listener') ev = f.acceptReady ? 0 : ffi.POLLIN;
      else if (f.connecting) ev = ffi.POLLOUT;
      else if (f.role === 'conn') ev = (f.readable || f.eof ? 0 : ffi.POLLIN) | (f.wantWritable ? ffi.POLLOUT : 0);
      // events = 0 still reports POLLERR/POLLHUP, which is what an idle socket can still do.
      out.push({ fd: f.real, events: ev, revents: 0 });
    }
    return out;
  }

  private note(rule: string, text: string): void {
    this.events.push({ type: 'note', t: this.micros(this.host.nowNs()), rule, text });
  }

  // -------------------------------------------------------------------------------------------
  // End

  private finish(): void {
    this.check();
    this.finished = true;
    const isn = this.space.known();
    const ports: string[] = [];
    for (const [s, r] of [...this.toReal].sort((a, b) => a[0] - b[0])) ports.push(`${s}->${r}`);
    this.trace = {
      header: {
        type: 'trace',
        format: TRACE_FORMAT,
        stack: 'linux',
        profile: this.cfg.profile ?? this.scenario.header.profile ?? 'linux',
        kernel: this.cfg.kernel,
        sysctls: this.cfg.sysctls,
        isn,
        scenario: this.scenario,
        meta: {
          ...this.cfg.meta,
          congestion: this.congestion,
          graceUs: this.cfg.graceUs,
          // CLOCK_MONOTONIC (process.hrtime, the clock tcp_clock_ns reads) at t = 0, in µs: the
          // oracle replays the model with it (TS tick phase, syncookie timestamps).
          clockOriginUs: Number(this.t0 / 1000n),
          remapPorts: this.cfg.remapPorts,
          portMap: ports.join(' '),
          ipId: 'masked (not stored)',
        },
      },
      events: sortEvents(this.events),
    };
    // Leave nothing for the next run: reset every leftover socket, swallow what that sends.
    for (const f of this.fds.values()) {
      ffi.setLinger(f.real, 0);
      ffi.fdClose(f.real);
    }
    this.fds.clear();
    this.host.drain();
    for (const real of this.toScenario.keys()) this.host.releasePort(real);
  }

  /** The finished trace (undefined until `dueNs()` returns null). */
  result(): Trace | undefined {
    return this.trace;
  }
}

const peekBuf = new Uint8Array(1);

/** Events in time order; equal times keep their recording order (stable sort). */
function sortEvents(events: readonly TraceEvent[]): TraceEvent[] {
  return events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.t - b.e.t || a.i - b.i)
    .map((x) => x.e);
}

/**
 * Stream offset of the first payload byte of a segment whose (absolute) seq is `seq`, for a
 * sender with initial sequence number `isn`: the SYN takes one sequence number, so data starts at
 * isn + 1 = offset 0.
 */
export function streamOffset(isn: number, seq: number, flags: number): number {
  const dataStart = (flags & SYN) !== 0 ? seqAdd(seq, 1) : seq;
  return seqDist(seqAdd(isn, 1), dataStart);
}
