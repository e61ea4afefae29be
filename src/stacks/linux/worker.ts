/**
 * The recorder's worker process. The parent starts it inside a fresh network namespace
 * (`ip netns exec <ns> node --import tsx worker.ts`), so its TUN device and sockets live there.
 * It sets the namespace up (IPv6 off, one TUN device `tfz0` with 192.0.2.1 peer 192.0.2.2, lo up,
 * pinned sysctls), then serves JSON-lines requests on stdin (protocol.ts) until stdin closes.
 *
 * One synchronous loop owns everything: ppoll over stdin, the TUN device and the sockets of the
 * runs in progress, with a nanosecond timeout to the next due step. Several runs proceed at once
 * (distinct real ports, one shared sysctl set), so a batch of timer-bound scenarios costs about
 * its longest member, not the sum. Runs that need different sysctls wait until the namespace is
 * free, then the worker rewrites the sysctls (unset keys go back to their values at start).
 */
import { execFileSync } from 'node:child_process';
import { writeSync } from 'node:fs';
import { release } from 'node:os';
import { decodePacket } from '../../wire/codec.js';
import * as ffi from './ffi.js';
import type { PollFd } from './ffi.js';
import type { RunSettings, WorkerReply, WorkerRequest } from './protocol.js';
import { ScenarioRun, type RunHost } from './runner.js';
import { effectiveSysctls, readSysctl, RECORDED_SYSCTLS, RECORDER_DEFAULTS, sysctlKey, writeSysctl } from './sysctl.js';
import type { Scenario, Step } from '../../scenario/types.js';
import { ACK, FIN, PSH, SYN, type Segment, type TcpOption } from '../../wire/types.js';

const TUN_NAME = 'tfz0';
const DEFAULT_LOCAL = '192.0.2.1';
const DEFAULT_REMOTE = '192.0.2.2';
/** Real ports handed to runs; the namespace's ephemeral range (61000–65535) stays clear of it. */
const PORT_MIN = 10000;
const PORT_MAX = 60999;
/** Released ports after which leftover sockets are destroyed even while runs are in progress. */
const SWEEP_FORCE = 4096;
/** How long before a due time the loop stops sleeping and spins. */
const EARLY_WAKE_NS = 200_000;
/** TCPFUZZ_WORKER_DEBUG=1: timing of every step and sleep on stderr. */
const DEBUG = process.env['TCPFUZZ_WORKER_DEBUG'] === '1';

function debug(text: string): void {
  writeSync(2, `[tcpfuzz worker ${process.pid}] ${text}\n`);
}

const WARM_UP_RUNS = 150;

/** Passive open, data both ways, close; active open; a SYN to a closed port. All at t = 0. */
const WARM_UP_SCENARIO: Scenario = (() => {
  const seg = (src: number, dst: number, seq: number, ack: number, flags: number, len: number, options: TcpOption[] = []): Segment => ({
    srcPort: src,
    dstPort: dst,
    seq,
    ack,
    flags,
    window: 502,
    urgent: 0,
    options,
    len,
  });
  const syn: TcpOption[] = [{ kind: 'mss', mss: 1460 }, { kind: 'sackOk' }, { kind: 'ts', val: 1, ecr: 0 }, { kind: 'nop' }, { kind: 'wscale', shift: 7 }];
  const ts: TcpOption[] = [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'ts', val: 2, ecr: 0 }];
  const steps: Step[] = [
    { kind: 'call', t: 0, call: { op: 'socket', fd: 3 } },
    { kind: 'call', t: 0, call: { op: 'bind', fd: 3, port: 1 } },
    { kind: 'call', t: 0, call: { op: 'listen', fd: 3, backlog: 4 } },
    { kind: 'inject', t: 0, seg: seg(2, 1, 0, 0, SYN, 0, syn) },
    { kind: 'inject', t: 0, seg: seg(2, 1, 1, 1, ACK, 0, ts) },
    { kind: 'call', t: 0, call: { op: 'accept', fd: 3 } },
    { kind: 'inject', t: 0, seg: seg(2, 1, 1, 1, ACK | PSH, 100, ts) },
    { kind: 'call', t: 0, call: { op: 'recv', fd: 4, bytes: 200 } },
    { kind: 'call', t: 0, call: { op: 'send', fd: 4, bytes: 100 } },
    { kind: 'inject', t: 0, seg: seg(2, 1, 101, 101, ACK | FIN, 0, ts) },
    { kind: 'call', t: 0, call: { op: 'recv', fd: 4, bytes: 200 } },
    // abort, not close: a closed socket would stay behind retransmitting its FIN.
    { kind: 'call', t: 0, call: { op: 'abort', fd: 4 } },
    { kind: 'call', t: 0, call: { op: 'socket', fd: 5 } },
    { kind: 'call', t: 0, call: { op: 'setsockopt', fd: 5, opt: 'TCP_NODELAY', value: 1 } },
    { kind: 'call', t: 0, call: { op: 'connect', fd: 5, port: 3 } },
    { kind: 'inject', t: 0, seg: seg(3, 4, 0, 1, SYN | ACK, 0, syn) },
    { kind: 'inject', t: 0, seg: seg(2, 5, 0, 0, SYN, 0) },
    { kind: 'call', t: 0, call: { op: 'shutdown', fd: 5, how: 'SHUT_WR' } },
    { kind: 'call', t: 0, call: { op: 'abort', fd: 5 } },
  ];
  return {
    header: {
      type: 'scenario',
      format: 1,
      name: 'worker-warm-up',
      behaviours: [],
      ipVersion: 4,
      local: { addr: DEFAULT_LOCAL },
      remote: { addr: DEFAULT_REMOTE },
      peerIsn: 1000,
    },
    steps,
  };
})();

interface Queued {
  readonly id: number;
  readonly scenario: Scenario;
  readonly settings: RunSettings;
  readonly sysctls: Record<string, string>;
  readonly key: string;
}

function reply(msg: WorkerReply): void {
  const data = Buffer.from(JSON.stringify(msg) + '\n');
  let off = 0;
  while (off < data.length) {
    try {
      off += writeSync(1, data, off);
    } catch (e) {
      if ((e as { code?: string }).code !== 'EAGAIN') throw e;
      // The parent is slow to read: wait until the pipe takes more instead of spinning.
      ffi.pollFds([{ fd: 1, events: ffi.POLLOUT, revents: 0 }], 100_000_000);
    }
  }
}

function fatal(message: string): never {
  try {
    reply({ type: 'fatal', message });
  } catch {
    // the parent is gone
  }
  process.exit(1);
}

function run(cmd: string, args: readonly string[]): void {
  execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

class Worker implements RunHost {
  private readonly tun: number;
  private readonly concurrency: number;
  private readonly baseline = new Map<string, string | null>();
  private readonly applied = new Map<string, string>();
  private appliedKey: string | null = null;
  private headerSysctls: Record<string, string> = {};
  private readonly queue: Queued[] = [];
  private readonly active = new Map<number, ScenarioRun>();
  private readonly ports = new Map<number, ScenarioRun>();
  private nextPort = PORT_MIN;
  private released: number[] = [];
  private readonly kernel = release();
  private readonly readBuf = new Uint8Array(65536);
  private readonly addrPairs = new Set<string>([`${DEFAULT_LOCAL} ${DEFAULT_REMOTE}`]);
  private stdinOpen = true;
  private stdinRest = '';
  private touched = new Set<ScenarioRun>();

  constructor(concurrency: number) {
    this.concurrency = concurrency;
    ffi.setTimerSlack(1);
    // IPv6 off before the device exists, so it never sends router solicitations.
    for (const k of ['net.ipv6.conf.all.disable_ipv6', 'net.ipv6.conf.default.disable_ipv6']) writeSysctl(k, '1');
    const t = ffi.tunOpen(TUN_NAME);
    if (!t.ok) fatal(`cannot create TUN device: ${ffi.errnoName(t.errno)}`);
    this.tun = t.value;
    run('ip', ['addr', 'add', `${DEFAULT_LOCAL}/32`, 'peer', `${DEFAULT_REMOTE}/32`, 'dev', TUN_NAME]);
    run('ip', ['link', 'set', TUN_NAME, 'up']);
    run('ip', ['link', 'set', 'lo', 'up']);
    for (const name of [...RECORDED_SYSCTLS, ...Object.keys(RECORDER_DEFAULTS)]) this.baseline.set(name, readSysctl(name));
    this.warmUp();
  }

  /** Call every FFI path once: koffi's first call of a function costs milliseconds. */
  private warmUp(): void {
    const s = ffi.tcpSocket();
    if (s.ok) {
      const fd = s.value;
      ffi.setCongestion(fd, 'reno');
      ffi.setIntOpt(fd, ffi.IPPROTO_TCP, ffi.TCP_NODELAY, 0);
      ffi.getIntOpt(fd, ffi.SOL_SOCKET, ffi.SO_ERROR);
      ffi.tcpInfo(fd);
      ffi.localPort(fd);
      ffi.sockRecv(fd, new Uint8Array(1), ffi.MSG_PEEK | ffi.MSG_DONTWAIT);
      ffi.sockSend(fd, new Uint8Array(1));
      ffi.sockShutdown(fd, ffi.SHUT_RDWR);
      ffi.sockBind(fd, '127.0.0.1', 0);
      ffi.sockListen(fd, 1);
      ffi.sockAccept(fd);
      ffi.pollFds([{ fd, events: ffi.POLLIN, revents: 0 }], 0);
      ffi.setLinger(fd, 0);
      ffi.fdClose(fd);
      const c = ffi.tcpSocket();
      if (c.ok) {
        ffi.sockConnect(c.value, '127.0.0.1', 9);
        ffi.fdClose(c.value);
      }
    }
    ffi.fdWrite(-1, new Uint8Array(1));
    this.drain();
    // Then whole timer-free scenarios, so the hot paths are compiled before the first real step.
    const cfg = { graceUs: 0, congestion: 'reno', remapPorts: true, kernel: this.kernel, sysctls: {}, meta: {} };
    for (let i = 0; i < WARM_UP_RUNS; i++) {
      const r = new ScenarioRun(WARM_UP_SCENARIO, this, cfg);
      r.start();
      while (!r.isFinished()) r.advance(this.nowNs());
    }
  }

  // RunHost ------------------------------------------------------------------------------------

  nowNs(): bigint {
    return process.hrtime.bigint();
  }

  inject(bytes: Uint8Array): ffi.SysResult {
    const r = ffi.fdWrite(this.tun, bytes);
    this.drain();
    return r;
  }

  drain(): void {
    for (;;) {
      const r = ffi.fdRead(this.tun, this.readBuf);
      if (!r.ok) break;
      const t = this.nowNs();
      const d = decodePacket(this.readBuf.subarray(0, r.value));
      if (!d.ok || d.packet.ip.version !== 4) continue;
      const owner = this.ports.get(d.packet.tcp.srcPort);
      if (owner === undefined) continue;
      owner.onPacket(d.packet, t);
      this.touched.add(owner);
    }
    if (this.touched.size > 0) {
      const runs = [...this.touched];
      this.touched = new Set();
      for (const r of runs) r.check();
    }
  }

  allocPort(): number {
    for (let i = 0; i <= PORT_MAX - PORT_MIN; i++) {
      const p = this.nextPort;
      this.nextPort = p >= PORT_MAX ? PORT_MIN : p + 1;
      if (!this.ports.has(p)) return p;
    }
    return 0;
  }

  claimPort(port: number, r: ScenarioRun): void {
    this.ports.set(port, r);
  }

  releasePort(port: number): void {
    this.ports.delete(port);
    this.released.push(port);
  }

  /**
   * Destroy every socket the kernel still keeps on released ports (orphans still sending their
   * FIN, TIME-WAIT, half-open requests) with `ss -K` (sock_destroy, CONFIG_INET_DIAG_DESTROY), so
   * they neither wake the loop with retransmissions nor meet a later run that gets the same port.
   * Ports claimed again meanwhile are left out. Costs a few ms, so the loop calls it when idle.
   */
  private sweepSockets(): void {
    const ports = [...new Set(this.released)].filter((p) => !this.ports.has(p)).sort((a, b) => a - b);
    this.released = [];
    if (ports.length === 0) return;
    const ranges: [number, number][] = [];
    for (const p of ports) {
      const last = ranges[ranges.length - 1];
      // Merge across gaps that no run holds, so the filter stays short.
      if (last !== undefined && !this.claimedBetween(last[1], p)) last[1] = p;
      else ranges.push([p, p]);
    }
    const filter = ranges.map(([a, b]) => (a === b ? `sport = :${a}` : `( sport >= :${a} and sport <= :${b} )`)).join(' or ');
    try {
      execFileSync('ss', ['-K', '-a', '-t', filter], { stdio: 'ignore' });
    } catch (e) {
      if (DEBUG) debug(`ss -K failed: ${(e as Error).message}`);
    }
    this.drain();
  }

  private claimedBetween(a: number, b: number): boolean {
    for (let p = a + 1; p < b; p++) if (this.ports.has(p)) return true;
    return false;
  }

  // Requests -----------------------------------------------------------------------------------

  private onLine(line: string): void {
    if (line.trim() === '') return;
    let msg: WorkerRequest;
    try {
      msg = JSON.parse(line) as WorkerRequest;
    } catch {
      reply({ type: 'fatal', message: `bad request line: ${line.slice(0, 80)}` });
      return;
    }
    if (msg.type === 'shutdown') {
      this.stdinOpen = false;
      return;
    }
    const h = msg.scenario?.header;
    if (h === undefined || !Array.isArray(msg.scenario.steps)) {
      reply({ type: 'error', id: msg.id, message: 'not a scenario' });
      return;
    }
    if (h.ipVersion !== 4) {
      reply({ type: 'error', id: msg.id, message: `linux recorder: IPv${h.ipVersion} scenarios are not supported yet (IPv4 only)` });
      return;
    }
    const pair = this.ensureAddresses(h.local?.addr ?? DEFAULT_LOCAL, h.remote?.addr ?? DEFAULT_REMOTE);
    if (pair !== null) {
      reply({ type: 'error', id: msg.id, message: pair });
      return;
    }
    const sysctls = effectiveSysctls(msg.settings.sysctls, h.sysctls);
    this.queue.push({ id: msg.id, scenario: msg.scenario, settings: msg.settings, sysctls, key: sysctlKey(sysctls) });
  }

  /** Make sure `local peer remote` is configured on the TUN device; TEST-NET-1 addresses only. */
  private ensureAddresses(local: string, remote: string): string | null {
    const pair = `${local} ${remote}`;
    if (this.addrPairs.has(pair)) return null;
    const testNet = /^192\.0\.2\.(\d{1,3})$/;
    if (!testNet.test(local) || !testNet.test(remote) || local === remote) {
      return `linux recorder: addresses must be distinct TEST-NET-1 (192.0.2.0/24) addresses, got ${local} and ${remote}`;
    }
    try {
      run('ip', ['addr', 'add', `${local}/32`, 'peer', `${remote}/32`, 'dev', TUN_NAME]);
    } catch (e) {
      return `linux recorder: cannot add ${local} peer ${remote}: ${(e as Error).message}`;
    }
    this.addrPairs.add(pair);
    return null;
  }

  private applySysctls(target: Readonly<Record<string, string>>): string | null {
    const names = new Set([...this.applied.keys(), ...Object.keys(target)]);
    for (const name of names) {
      if (!this.baseline.has(name)) this.baseline.set(name, readSysctl(name));
      const want = target[name] ?? this.baseline.get(name) ?? null;
      if (want === null) continue;
      if (readSysctl(name) === want) {
        this.applied.set(name, want);
        continue;
      }
      const w = writeSysctl(name, want);
      if (!w.ok) return w.message;
      this.applied.set(name, want);
    }
    const header: Record<string, string> = {};
    for (const name of [...new Set([...RECORDED_SYSCTLS, ...Object.keys(target)])].sort()) {
      const v = readSysctl(name);
      if (v !== null) header[name] = v;
    }
    this.headerSysctls = header;
    return null;
  }

  /** Start queued runs while they fit: same sysctl set as the runs in progress, and room left. */
  private admit(): void {
    while (this.queue.length > 0 && this.active.size < this.concurrency) {
      const q = this.queue[0]!;
      if (q.key !== this.appliedKey) {
        if (this.active.size > 0) return;
        const err = this.applySysctls(q.sysctls);
        if (err !== null) {
          this.queue.shift();
          this.appliedKey = null;
          reply({ type: 'error', id: q.id, message: `linux recorder: ${err}` });
          continue;
        }
        this.appliedKey = q.key;
      }
      this.queue.shift();
      const r = new ScenarioRun(q.scenario, this, {
        graceUs: q.settings.graceUs,
        congestion: q.settings.congestion,
        remapPorts: q.settings.remapPorts,
        kernel: this.kernel,
        sysctls: this.headerSysctls,
        meta: { ...(q.settings.meta ?? {}), worker: process.pid, concurrency: this.concurrency },
        ...(q.settings.profile !== undefined ? { profile: q.settings.profile } : {}),
      });
      r.start();
      this.active.set(q.id, r);
    }
  }

  private readStdin(): void {
    const r = ffi.fdRead(0, this.readBuf);
    if (!r.ok) {
      if (r.errno === 11 || r.errno === 4) return;
      this.stdinOpen = false;
      return;
    }
    if (r.value === 0) {
      this.stdinOpen = false;
      return;
    }
    const text = this.stdinRest + Buffer.from(this.readBuf.subarray(0, r.value)).toString('utf8');
    const lines = text.split('\n');
    this.stdinRest = lines.pop() ?? '';
    for (const line of lines) this.onLine(line);
  }

  /** The loop: admit, run what is due, sleep in ppoll until the next due time or any input. */
  loop(): void {
    for (;;) {
      this.admit();
      let now = this.nowNs();
      for (const [id, r] of this.active) {
        const due = r.dueNs();
        if (due !== null && due <= now) {
          const a = now;
          r.advance(now);
          now = this.nowNs();
          if (DEBUG) debug(`run ${id}: step late by ${(Number(a - due) / 1e3).toFixed(0)}us, took ${(Number(now - a) / 1e3).toFixed(0)}us`);
        }
        if (r.isFinished()) {
          this.active.delete(id);
          const trace = r.result();
          if (trace !== undefined) reply({ type: 'result', id, trace });
        }
      }
      if (!this.stdinOpen) return;
      if (this.released.length > 0 && ((this.active.size === 0 && this.queue.length === 0) || this.released.length >= SWEEP_FORCE)) this.sweepSockets();
      if (this.active.size < this.concurrency && this.queue.length > 0) {
        const before = this.active.size;
        this.admit();
        if (this.active.size !== before) continue;
      }
      let next: bigint | null = null;
      for (const r of this.active.values()) {
        const d = r.dueNs();
        if (d !== null && (next === null || d < next)) next = d;
      }
      const polls: PollFd[] = [
        { fd: 0, events: ffi.POLLIN, revents: 0 },
        { fd: this.tun, events: ffi.POLLIN, revents: 0 },
      ];
      const owners: (ScenarioRun | null)[] = [null, null];
      for (const r of this.active.values()) {
        for (const p of r.pollInterest()) {
          polls.push(p);
          owners.push(r);
        }
      }
      now = this.nowNs();
      if (next !== null && next <= now) continue;
      // Wake a little early and spin the rest: a sleeping wake-up is late by 50–300 µs.
      const timeout = next === null ? null : Math.max(0, Number(next - now) - EARLY_WAKE_NS);
      const pa = DEBUG ? this.nowNs() : 0n;
      ffi.pollFds(polls, timeout);
      if (DEBUG && timeout !== 0) debug(`poll ${polls.length} fds asked ${timeout === null ? 'inf' : (timeout / 1e3).toFixed(0)}us slept ${(Number(this.nowNs() - pa) / 1e3).toFixed(0)}us revents ${polls.map((p) => p.revents).join(',')}`);
      if (polls[1]!.revents !== 0) this.drain();
      const woken = new Set<ScenarioRun>();
      for (let i = 2; i < polls.length; i++) if (polls[i]!.revents !== 0) woken.add(owners[i]!);
      for (const r of woken) r.check();
      if (polls[0]!.revents !== 0) this.readStdin();
    }
  }
}

function main(): void {
  const arg = process.argv.indexOf('--concurrency');
  const concurrency = arg >= 0 ? Math.max(1, Number(process.argv[arg + 1]) || 1) : 32;
  let w: Worker;
  try {
    w = new Worker(concurrency);
  } catch (e) {
    fatal(`worker setup failed: ${(e as Error).message}`);
  }
  reply({ type: 'ready', kernel: release(), tun: TUN_NAME, pid: process.pid });
  try {
    w.loop();
  } catch (e) {
    fatal(`worker failed: ${(e as Error).stack ?? String(e)}`);
  }
  process.exit(0);
}

main();
