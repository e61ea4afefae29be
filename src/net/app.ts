/**
 * `autoApp`: a standard reactive application for two-endpoint runs, configured by plain data. It
 * behaves like a simple program using blocking sockets on top of the non-blocking API:
 *
 * - send, shutdown and close on one fd run one at a time, in script order; a send that is refused
 *   (EAGAIN) or only partly accepted keeps the rest pending and blocks later calls on that fd until
 *   it is all accepted (retried on `writable`, `connected`, and, with `retryOnSegment`, after every
 *   segment the endpoint receives); a connect in progress (EINPROGRESS) blocks the fd until
 *   `connected` or `error`. So "send 100 kB then close" means: close after the last byte is queued.
 * - calls on an fd the app has not seen yet (e.g. the fd that a later accept() will return) wait
 *   until that fd appears.
 * - `autoAccept`: accept on `accept-ready`, and keep accepting until EAGAIN.
 * - `autoRecv`: read on `readable` (and right after accept, LQ-5) until a short read; a read of 0 is
 *   end of file (CT-10).
 * - `closeOnEof`: close the fd after end of file (queued behind pending sends).
 *
 * The app also counts bytes accepted by send and bytes read per node, for whole-run checks.
 */
import type { Input, Output } from '../model/api.js';
import type { Micros, SocketCall } from '../scenario/types.js';
import type { NodeId } from './network.js';
import type { Driver, DriverStep } from './sim.js';

export interface AppOptions {
  readonly autoAccept: boolean;
  readonly autoRecv: boolean;
  readonly closeOnEof: boolean;
  /** Bytes per recv call (default 65536). */
  readonly recvChunk?: number;
  /** Retry a blocked send after every segment arrival (default true). */
  readonly retryOnSegment?: boolean;
}

export interface FdApp {
  /** The fd is open as far as the app knows (socket or accept succeeded). */
  readonly open: boolean;
  /** A send/shutdown/close of the queue is in progress (its result has not come back). */
  readonly busy: boolean;
  readonly blocked: 'connect' | 'send' | null;
  readonly pendingSend: number;
  readonly queue: readonly SocketCall[];
  readonly eof: boolean;
  readonly closed: boolean;
  readonly sent: number;
  readonly received: number;
}

export interface AppNodeState {
  readonly fds: Readonly<Record<number, FdApp>>;
  /** Total bytes send() accepted on this node. */
  readonly sent: number;
  /** Total bytes recv() returned on this node. */
  readonly received: number;
  /** Number of fds that reached end of file. */
  readonly eofs: number;
  /** Errors seen: call errnos other than EAGAIN/EINPROGRESS, and error events, in order ("send:EPIPE", "event:ECONNRESET"). */
  readonly errors: readonly string[];
}

export interface AppState {
  readonly a: AppNodeState;
  readonly b: AppNodeState;
}

const EMPTY_NODE: AppNodeState = { fds: {}, sent: 0, received: 0, eofs: 0, errors: [] };

const FRESH_FD: FdApp = {
  open: true,
  busy: false,
  blocked: null,
  pendingSend: 0,
  queue: [],
  eof: false,
  closed: false,
  sent: 0,
  received: 0,
};

const UNSEEN_FD: FdApp = { ...FRESH_FD, open: false };

function queued(op: SocketCall['op']): boolean {
  return op === 'send' || op === 'shutdown' || op === 'close';
}

/** Mutable scratch used inside one pure driver call; never escapes. */
class Work {
  node: AppNodeState;
  calls: SocketCall[] = [];
  /** A private copy of node.fds, made on the first write. */
  private fds: Record<number, FdApp> | null = null;
  constructor(node: AppNodeState) {
    this.node = node;
  }
  fd(fd: number): FdApp {
    return (this.fds ?? this.node.fds)[fd] ?? UNSEEN_FD;
  }
  setFd(fd: number, f: FdApp): void {
    // Copy on the first write (same keys, same ascending integer-key order as a for…in copy; a spread is several times faster).
    if (this.fds === null) this.fds = { ...this.node.fds };
    this.fds[fd] = f;
  }
  /** The fd table as it stands (the private copy once written). */
  table(): Readonly<Record<number, FdApp>> {
    return this.fds ?? this.node.fds;
  }
  fdNumbers(): number[] {
    // Own keys in for…in order (ascending integers); the tables have no inherited keys.
    return Object.keys(this.fds ?? this.node.fds).map(Number);
  }
  error(s: string): void {
    this.node = { ...this.node, errors: [...this.node.errors, s] };
  }
  /** The node state with every change applied. */
  result(): AppNodeState {
    const n = this.node;
    return this.fds === null ? n : { fds: this.fds, sent: n.sent, received: n.received, eofs: n.eofs, errors: n.errors };
  }
  /** Issue the head of fd's queue if nothing holds it back. */
  pump(fd: number): void {
    for (;;) {
      const f = this.fd(fd);
      if (!f.open || f.busy || f.blocked !== null || f.queue.length === 0) return;
      const head = f.queue[0]!;
      this.setFd(fd, { ...f, queue: f.queue.slice(1) });
      this.submit(head, true);
    }
  }
  /** Issue `call` now or queue it on its fd (`fromQueue`: it is the queue's head, ahead of the rest). */
  submit(call: SocketCall, fromQueue = false): void {
    if (call.op === 'socket') {
      this.calls.push(call);
      return;
    }
    const f = this.fd(call.fd);
    const mustWait = !f.open || (queued(call.op) && (f.busy || f.blocked !== null || (!fromQueue && f.queue.length > 0)));
    if (mustWait && call.op !== 'abort') {
      this.setFd(call.fd, { ...f, queue: fromQueue ? [call, ...f.queue] : [...f.queue, call] });
      return;
    }
    if (call.op === 'abort') this.setFd(call.fd, { ...f, queue: [], pendingSend: 0, blocked: null });
    else if (queued(call.op)) this.setFd(call.fd, { ...f, busy: true });
    this.calls.push(call);
  }
}

function onResult(w: Work, call: SocketCall, result: { ok: true; value: number } | { ok: false; errno: string }, opts: AppOptions): void {
  // EAGAIN and EINPROGRESS are the normal flow of a non-blocking app, not errors.
  if (!result.ok && result.errno !== 'EAGAIN' && result.errno !== 'EINPROGRESS') w.error(`${call.op}:${result.errno}`);
  switch (call.op) {
    case 'socket':
      if (result.ok) {
        const old = w.fd(call.fd);
        w.setFd(call.fd, { ...FRESH_FD, queue: old.open ? [] : old.queue });
        w.pump(call.fd);
      }
      return;
    case 'connect': {
      const f = w.fd(call.fd);
      if (!result.ok && result.errno === 'EINPROGRESS') {
        w.setFd(call.fd, { ...f, blocked: 'connect' });
        return;
      }
      w.setFd(call.fd, { ...f, blocked: f.blocked === 'connect' ? null : f.blocked });
      w.pump(call.fd);
      return;
    }
    case 'send': {
      const f = w.fd(call.fd);
      const accepted = result.ok ? Math.max(0, Math.min(call.bytes, result.value)) : 0;
      const rest = result.ok || result.errno === 'EAGAIN' ? call.bytes - accepted : 0;
      w.node = { ...w.node, sent: w.node.sent + accepted };
      w.setFd(call.fd, {
        ...f,
        busy: false,
        sent: f.sent + accepted,
        pendingSend: rest,
        blocked: rest > 0 ? 'send' : f.blocked === 'send' ? null : f.blocked,
      });
      w.pump(call.fd);
      return;
    }
    case 'shutdown':
    case 'close': {
      const f = w.fd(call.fd);
      w.setFd(call.fd, { ...f, busy: false, closed: f.closed || (call.op === 'close' && result.ok) });
      w.pump(call.fd);
      return;
    }
    case 'abort':
      if (result.ok) w.setFd(call.fd, { ...w.fd(call.fd), closed: true });
      return;
    case 'accept':
      if (result.ok) {
        const fd = result.value;
        const old = w.fd(fd);
        w.setFd(fd, { ...FRESH_FD, queue: old.open ? [] : old.queue });
        w.calls.push({ op: 'accept', fd: call.fd });
        if (opts.autoRecv) w.calls.push({ op: 'recv', fd, bytes: opts.recvChunk ?? 65536 });
        w.pump(fd);
      }
      return;
    case 'recv': {
      if (!result.ok) return;
      const f = w.fd(call.fd);
      if (result.value > 0) {
        w.node = { ...w.node, received: w.node.received + result.value };
        w.setFd(call.fd, { ...f, received: f.received + result.value });
        if (opts.autoRecv && result.value >= call.bytes) w.calls.push({ op: 'recv', fd: call.fd, bytes: call.bytes });
        return;
      }
      if (call.bytes > 0 && !f.eof) {
        w.node = { ...w.node, eofs: w.node.eofs + 1 };
        w.setFd(call.fd, { ...f, eof: true });
        if (opts.closeOnEof && !f.closed) w.submit({ op: 'close', fd: call.fd });
      }
      return;
    }
    case 'bind':
    case 'listen':
    case 'setsockopt':
      return;
    default: {
      const never: never = call;
      return never;
    }
  }
}

function onEvent(w: Work, o: Extract<Output, { kind: 'event' }>, opts: AppOptions): void {
  const f = w.fd(o.fd);
  switch (o.event) {
    case 'connected':
      if (f.blocked === 'connect') {
        w.setFd(o.fd, { ...f, blocked: null });
        w.pump(o.fd);
      }
      return;
    case 'writable':
      if (f.blocked === 'send' && !f.busy) {
        w.setFd(o.fd, { ...f, blocked: null, queue: [{ op: 'send', fd: o.fd, bytes: f.pendingSend }, ...f.queue], pendingSend: 0 });
        w.pump(o.fd);
      }
      return;
    case 'readable':
      if (opts.autoRecv && f.open && !f.closed) w.calls.push({ op: 'recv', fd: o.fd, bytes: opts.recvChunk ?? 65536 });
      return;
    case 'eof':
      if (opts.autoRecv && f.open && !f.closed) w.calls.push({ op: 'recv', fd: o.fd, bytes: opts.recvChunk ?? 65536 });
      else if (!opts.autoRecv && opts.closeOnEof && !f.eof && !f.closed) {
        w.node = { ...w.node, eofs: w.node.eofs + 1 };
        w.setFd(o.fd, { ...f, eof: true });
        w.submit({ op: 'close', fd: o.fd });
      }
      return;
    case 'accept-ready':
      if (opts.autoAccept) w.calls.push({ op: 'accept', fd: o.fd });
      return;
    case 'error':
      w.error(`event:${o.errno ?? '?'}`);
      // A blocking app's pending operation returns with the error; what is queued then runs and fails.
      w.setFd(o.fd, { ...f, blocked: null, pendingSend: 0 });
      w.pump(o.fd);
      return;
    default: {
      const never: never = o.event;
      return never;
    }
  }
}

/** Retry a blocked send as if `writable` had arrived (retryOnSegment). */
function retryBlockedSends(w: Work): void {
  // Nothing to retry unless some fd is blocked in send now (the loop below acts only on such an
  // fd, and nothing changes until it acts).
  if (!anyBlockedSend(w.table())) return;
  for (const fd of w.fdNumbers()) {
    const f = w.fd(fd);
    if (f.blocked === 'send' && !f.busy && f.pendingSend > 0 && !w.calls.some((c) => c.op === 'send' && c.fd === fd)) {
      w.setFd(fd, { ...f, blocked: null, queue: [{ op: 'send', fd, bytes: f.pendingSend }, ...f.queue], pendingSend: 0 });
      w.pump(fd);
    }
  }
}

const NO_CALLS: readonly SocketCall[] = [];

/** Whether some fd of an fd table is blocked in send. */
function anyBlockedSend(fds: Readonly<Record<number, FdApp>>): boolean {
  // Object.values: the own values, as for…in would visit them, without the string keys.
  const all = Object.values(fds);
  for (let i = 0; i < all.length; i++) if (all[i]!.blocked === 'send') return true;
  return false;
}

function needsApp(n: AppNodeState, input: Input, outputs: readonly Output[], opts: AppOptions): boolean {
  for (let i = 0; i < outputs.length; i++) {
    const k = outputs[i]!.kind;
    if (k === 'result' || k === 'event') return true;
  }
  if (input.kind !== 'segment' || opts.retryOnSegment === false) return false;
  return anyBlockedSend(n.fds);
}

/** The driver step after `w` has run: the node's new state in place of the old one, and w's calls. */
function finish(state: AppState, node: NodeId, w: Work): DriverStep<AppState> {
  const n = w.result();
  return { state: node === 'a' ? { a: n, b: state.b } : { a: state.a, b: n }, calls: w.calls };
}

/** The standard reactive app (see the file comment). */
export function autoApp(opts: AppOptions): Driver<AppState> {
  return {
    init: { a: EMPTY_NODE, b: EMPTY_NODE },
    onScripted: (state, node, call, _now: Micros) => {
      const w = new Work(state[node]);
      w.submit(call);
      return finish(state, node, w);
    },
    onStep: (state, node, input: Input, outputs, _now: Micros) => {
      // Fast path: most steps (ACK arrivals, timers) carry nothing the app reacts to.
      if (!needsApp(state[node], input, outputs, opts)) return { state, calls: NO_CALLS };
      const w = new Work(state[node]);
      for (const o of outputs) {
        if (o.kind === 'result') onResult(w, o.call, o.result, opts);
        else if (o.kind === 'event') onEvent(w, o, opts);
      }
      if (input.kind === 'segment' && opts.retryOnSegment !== false) retryBlockedSends(w);
      return finish(state, node, w);
    },
  };
}
