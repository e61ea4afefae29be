/**
 * The `linux` stack: scenarios run on the live kernel of this machine, through a TUN device in a
 * private network namespace, and come back as traces (the ground truth for the `linux` model
 * profile). This file is the parent side: it checks that recording is possible, sweeps namespaces
 * left by dead runs, starts N worker processes (one namespace each, `worker.ts`), spreads
 * scenarios over them, and tears everything down on `close()` (and, through netns.ts, on exit and
 * signals). All FFI happens in the workers; this process only spawns `ip` and talks JSON lines.
 *
 * Safety: workers only ever talk to their TUN device inside their own namespace (TEST-NET-1
 * addresses, no route out); nothing reaches the host's network.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Scenario } from '../../scenario/types.js';
import type { Trace } from '../../trace/types.js';
import type { RunOptions, Stack, StackInfo } from '../types.js';
import { createNamespace, deleteNamespace, forgetNamespace, sweepStaleNamespaces } from './netns.js';
import type { RunSettings, WorkerReply, WorkerRequest } from './protocol.js';

const here = dirname(fileURLToPath(import.meta.url));
const projectRoot = join(here, '..', '..', '..');
const workerScript = join(here, 'worker.ts');

export interface LinuxStackOptions {
  /** Worker processes (namespaces) run in parallel. Default 1. */
  readonly workers?: number;
  /** Scenarios one worker runs at once (distinct ports, shared sysctls). Default 32. */
  readonly concurrency?: number;
  /** Sysctl overrides for every run (scenario keys or full names); the scenario's own win. */
  readonly sysctls?: Readonly<Record<string, string | number>>;
  /** Keep the namespaces after close() for debugging (a later sweep removes them). */
  readonly keepNamespace?: boolean;
  /** Capture time after the last step, milliseconds. Default 20. */
  readonly graceMs?: number;
  /** Per-socket congestion control unless the scenario names one (`sysctls.congestion`). Default reno. */
  readonly congestion?: string;
  /** Map scenario ports to fresh real ports (mapped back in the trace). Default true. */
  readonly remapPorts?: boolean;
}

/** Why the linux stack cannot run here (one line), or null when it can. */
export function linuxUnavailableReason(uid: number = process.getuid?.() ?? -1): string | null {
  if (process.platform !== 'linux') return `linux stack unavailable: needs Linux (this is ${process.platform})`;
  if (uid !== 0) return `linux stack unavailable: needs root (uid ${uid})`;
  if (!existsSync('/dev/net/tun')) return 'linux stack unavailable: /dev/net/tun missing';
  if (!['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip'].some((p) => existsSync(p))) {
    return "linux stack unavailable: iproute2's ip command not found";
  }
  return null;
}

/** True when this process can record from the live kernel. */
export const linuxAvailable: boolean = linuxUnavailableReason() === null;

function toolVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

interface Pending {
  readonly resolve: (t: Trace) => void;
  readonly reject: (e: Error) => void;
}

/** One worker process in its namespace. */
class WorkerHandle {
  readonly ns: string;
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly pending = new Map<number, Pending>();
  private readonly stderrTail: string[] = [];
  private exited = false;
  private readonly exitPromise: Promise<void>;
  kernel = '';

  constructor(ns: string, concurrency: number) {
    this.ns = ns;
    this.child = spawn('ip', ['netns', 'exec', ns, process.execPath, '--import', 'tsx', workerScript, '--concurrency', String(concurrency)], {
      cwd: projectRoot,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.exitPromise = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exited = true;
        const why = `linux recorder worker in ${ns} exited (${signal ?? `code ${code}`})${this.tail()}`;
        this.failAll(why);
        resolve();
      });
      this.child.once('error', (e) => {
        this.exited = true;
        this.failAll(`linux recorder worker could not start: ${e.message}`);
        resolve();
      });
    });
    createInterface({ input: this.child.stdout }).on('line', (line) => this.onLine(line));
    createInterface({ input: this.child.stderr }).on('line', (line) => {
      this.stderrTail.push(line);
      if (this.stderrTail.length > 20) this.stderrTail.shift();
    });
  }

  private tail(): string {
    return this.stderrTail.length > 0 ? `: ${this.stderrTail.slice(-5).join(' | ')}` : '';
  }

  private failAll(message: string): void {
    for (const p of this.pending.values()) p.reject(new Error(message));
    this.pending.clear();
  }

  get load(): number {
    return this.pending.size;
  }

  private onLine(line: string): void {
    let msg: WorkerReply;
    try {
      msg = JSON.parse(line) as WorkerReply;
    } catch {
      this.stderrTail.push(`stdout: ${line.slice(0, 200)}`);
      return;
    }
    switch (msg.type) {
      case 'ready':
        this.kernel = msg.kernel;
        return;
      case 'result': {
        const p = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        p?.resolve(msg.trace);
        return;
      }
      case 'error': {
        const p = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        p?.reject(new Error(msg.message));
        return;
      }
      case 'fatal':
        this.stderrTail.push(msg.message);
        this.failAll(`linux recorder worker failed: ${msg.message}`);
        return;
      default: {
        const never: never = msg;
        return never;
      }
    }
  }

  run(id: number, scenario: Scenario, settings: RunSettings): Promise<Trace> {
    if (this.exited) return Promise.reject(new Error(`linux recorder worker in ${this.ns} is gone${this.tail()}`));
    return new Promise<Trace>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const req: WorkerRequest = { type: 'run', id, scenario, settings };
      this.child.stdin.write(JSON.stringify(req) + '\n');
    });
  }

  async stop(): Promise<void> {
    if (!this.exited) {
      this.child.stdin.end();
      const timer = setTimeout(() => {
        if (!this.exited) this.child.kill('SIGKILL');
      }, 2000);
      await this.exitPromise;
      clearTimeout(timer);
    }
  }
}

/** The live Linux kernel as a Stack. */
export class LinuxStack implements Stack {
  readonly info: StackInfo;
  private readonly opts: LinuxStackOptions;
  private workers: WorkerHandle[] | null = null;
  private nextId = 1;
  private closed = false;
  private readonly settings: RunSettings;

  constructor(options: LinuxStackOptions = {}) {
    this.opts = options;
    const workers = Math.max(1, Math.min(options.workers ?? 1, cpus().length * 4));
    this.opts = { ...options, workers };
    this.info = {
      name: 'linux',
      version: 'live',
      time: 'real',
      supports: ['ipv4', 'tcp_info', 'sysctls', 'sack', 'timestamps', 'window_scaling'],
    };
    this.settings = {
      graceUs: Math.round((options.graceMs ?? 20) * 1000),
      congestion: options.congestion ?? 'reno',
      remapPorts: options.remapPorts ?? true,
      meta: { tool: 'tcpfuzz', toolVersion: toolVersion(), recorder: 'linux-tun' },
      ...(options.sysctls !== undefined ? { sysctls: options.sysctls } : {}),
    };
  }

  /** One line saying why recording is impossible here, or null. */
  static unavailableReason(): string | null {
    return linuxUnavailableReason();
  }

  /** True when recording is possible here (root, /dev/net/tun, iproute2). */
  static available(): boolean {
    return linuxUnavailableReason() === null;
  }

  /** The namespaces of the running workers (empty before the first run). */
  namespaces(): string[] {
    return (this.workers ?? []).map((w) => w.ns);
  }

  private start(): WorkerHandle[] {
    if (this.workers !== null) return this.workers;
    sweepStaleNamespaces();
    const list: WorkerHandle[] = [];
    try {
      for (let i = 0; i < (this.opts.workers ?? 1); i++) {
        const ns = createNamespace();
        if (!ns.ok) throw new Error(`linux stack unavailable: ${ns.message}`);
        if (this.opts.keepNamespace === true) forgetNamespace(ns.name);
        list.push(new WorkerHandle(ns.name, this.opts.concurrency ?? 32));
      }
    } catch (e) {
      for (const w of list) {
        void w.stop();
        deleteNamespace(w.ns);
      }
      throw e;
    }
    this.workers = list;
    return list;
  }

  async run(scenario: Scenario, options?: RunOptions): Promise<Trace> {
    const why = linuxUnavailableReason();
    if (why !== null) throw new Error(why);
    if (this.closed) throw new Error('linux stack: run() after close()');
    const workers = this.start();
    let best = workers[0]!;
    for (const w of workers) if (w.load < best.load) best = w;
    const settings = options?.profile !== undefined ? { ...this.settings, profile: options.profile } : this.settings;
    return best.run(this.nextId++, scenario, settings);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const workers = this.workers ?? [];
    this.workers = null;
    await Promise.all(workers.map((w) => w.stop()));
    if (this.opts.keepNamespace !== true) for (const w of workers) deleteNamespace(w.ns);
  }
}
