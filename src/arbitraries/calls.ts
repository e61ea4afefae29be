/**
 * `socketCallsArb`: sequences of application calls that respect the socket API's preconditions,
 * model-based style (fast-check's commands: a precondition and an action). The arbitrary draws
 * abstract intentions — an operation name and small integers to pick an fd, a port, a size — and a
 * pure interpreter turns each into a concrete call whose precondition holds in the state built so far
 * (socket before bind, listen only on a bound socket, send/recv only on a connected or accepted fd
 * …), skipping intentions that fit nothing. The interpreter runs after shrinking, so removing an
 * early intention still yields a valid sequence: shrinking stays effective without `.filter`.
 *
 * The state is what the API contract guarantees statically; results are not known (a connect may be
 * refused later), so "connected" means "connect was called". Accepted fds are predicted the way
 * Linux numbers them: the lowest free fd ≥ 3.
 */
import fc from 'fast-check';
import type { Micros, SockOptName, SocketCall } from '../scenario/types.js';

export type CallIntentOp =
  | 'socket'
  | 'bind'
  | 'listen'
  | 'connect'
  | 'accept'
  | 'send'
  | 'recv'
  | 'shutdown'
  | 'close'
  | 'abort'
  | 'setsockopt';

export interface CallIntent {
  readonly op: CallIntentOp;
  /** Picks among the fds that satisfy the precondition (modulo their number). */
  readonly pick: number;
  /** Picks a port, size, backlog or option value. */
  readonly n: number;
}

type FdState = 'created' | 'bound' | 'listening' | 'connected';

export interface CallsArbConstraints {
  /** Most intentions (default 20). */
  readonly maxCalls?: number;
  /** Ports bind/connect choose from (default [80, 8080]). */
  readonly ports?: readonly number[];
  /** Largest send/recv size (default 100 000). */
  readonly maxBytes?: number;
  /** Operations to draw from (default all). */
  readonly ops?: readonly CallIntentOp[];
}

const ALL_OPS: readonly CallIntentOp[] = ['socket', 'bind', 'listen', 'connect', 'accept', 'send', 'recv', 'shutdown', 'close', 'abort', 'setsockopt'];

const OP_WEIGHT: Readonly<Record<CallIntentOp, number>> = {
  socket: 3,
  bind: 2,
  listen: 2,
  connect: 3,
  accept: 2,
  send: 3,
  recv: 2,
  shutdown: 1,
  close: 1,
  abort: 1,
  setsockopt: 1,
};

const SOCKOPTS: readonly { readonly opt: SockOptName; readonly values: readonly number[] }[] = [
  { opt: 'TCP_NODELAY', values: [0, 1] },
  { opt: 'TCP_MAXSEG', values: [536, 1000, 1460] },
  { opt: 'SO_RCVBUF', values: [2048, 65536, 1 << 20] },
  { opt: 'SO_SNDBUF', values: [4096, 65536] },
  { opt: 'SO_KEEPALIVE', values: [0, 1] },
  { opt: 'TCP_KEEPIDLE', values: [1, 60] },
  { opt: 'SO_LINGER', values: [-1, 0, 5] },
];

function lowestFree(fds: ReadonlyMap<number, FdState>): number {
  let fd = 3;
  while (fds.has(fd)) fd++;
  return fd;
}

function pickFd(fds: ReadonlyMap<number, FdState>, ok: (s: FdState) => boolean, pick: number): number | null {
  const cands = [...fds].filter(([, s]) => ok(s)).map(([fd]) => fd);
  cands.sort((a, b) => a - b);
  return cands.length === 0 ? null : cands[pick % cands.length]!;
}

/**
 * Turn intentions into calls whose preconditions hold (see the file comment). Pure; exported so
 * properties can replay stored intentions.
 */
export function interpretIntents(intents: readonly CallIntent[], c: CallsArbConstraints = {}): SocketCall[] {
  const ports = c.ports ?? [80, 8080];
  const maxBytes = c.maxBytes ?? 100_000;
  const fds = new Map<number, FdState>();
  const out: SocketCall[] = [];
  const any = (): boolean => true;
  for (const it of intents) {
    switch (it.op) {
      case 'socket': {
        const fd = lowestFree(fds);
        fds.set(fd, 'created');
        out.push({ op: 'socket', fd });
        break;
      }
      case 'bind': {
        const fd = pickFd(fds, (s) => s === 'created', it.pick);
        if (fd === null) break;
        fds.set(fd, 'bound');
        out.push({ op: 'bind', fd, port: ports[it.n % ports.length] ?? 80 });
        break;
      }
      case 'listen': {
        const fd = pickFd(fds, (s) => s === 'bound', it.pick);
        if (fd === null) break;
        fds.set(fd, 'listening');
        out.push({ op: 'listen', fd, backlog: 1 + (it.n % 16) });
        break;
      }
      case 'connect': {
        const fd = pickFd(fds, (s) => s === 'created' || s === 'bound', it.pick);
        if (fd === null) break;
        fds.set(fd, 'connected');
        out.push({ op: 'connect', fd, port: ports[it.n % ports.length] ?? 80 });
        break;
      }
      case 'accept': {
        const fd = pickFd(fds, (s) => s === 'listening', it.pick);
        if (fd === null) break;
        out.push({ op: 'accept', fd });
        fds.set(lowestFree(fds), 'connected');
        break;
      }
      case 'send':
      case 'recv': {
        const fd = pickFd(fds, (s) => s === 'connected', it.pick);
        if (fd === null) break;
        out.push({ op: it.op, fd, bytes: 1 + (it.n % maxBytes) });
        break;
      }
      case 'shutdown': {
        const fd = pickFd(fds, (s) => s === 'connected', it.pick);
        if (fd === null) break;
        const how = (['SHUT_WR', 'SHUT_RD', 'SHUT_RDWR'] as const)[it.n % 3]!;
        out.push({ op: 'shutdown', fd, how });
        break;
      }
      case 'close':
      case 'abort': {
        const fd = pickFd(fds, it.op === 'close' ? any : (s) => s === 'connected', it.pick);
        if (fd === null) break;
        fds.delete(fd);
        out.push({ op: it.op, fd });
        break;
      }
      case 'setsockopt': {
        const fd = pickFd(fds, any, it.pick);
        if (fd === null) break;
        const o = SOCKOPTS[it.n % SOCKOPTS.length]!;
        out.push({ op: 'setsockopt', fd, opt: o.opt, value: o.values[(it.n >> 3) % o.values.length]! });
        break;
      }
      default: {
        const never: never = it.op;
        return never;
      }
    }
  }
  return out;
}

export function callIntentArb(c: CallsArbConstraints = {}): fc.Arbitrary<CallIntent> {
  const ops = c.ops ?? ALL_OPS;
  // Ops that open the way for others come more often, so fewer intentions are skipped.
  const weighted = ops.flatMap((op) => Array.from({ length: OP_WEIGHT[op] }, () => op));
  return fc.record({
    op: fc.constantFrom(...weighted),
    pick: fc.nat({ max: 7 }),
    n: fc.nat({ max: 0xffff }),
  });
}

/** Sequences of socket calls that respect the API preconditions (see the file comment). */
export function socketCallsArb(c: CallsArbConstraints = {}): fc.Arbitrary<SocketCall[]> {
  return fc.array(callIntentArb(c), { maxLength: c.maxCalls ?? 20, size: 'medium' }).map((xs) => interpretIntents(xs, c));
}

/** The same with times: gaps between calls in [0, maxGap] µs (default 100 ms), non-decreasing. */
export function timedSocketCallsArb(c: CallsArbConstraints & { readonly maxGap?: Micros } = {}): fc.Arbitrary<{ t: Micros; call: SocketCall }[]> {
  return fc
    .array(fc.tuple(callIntentArb(c), fc.nat({ max: c.maxGap ?? 100_000 })), { maxLength: c.maxCalls ?? 20, size: 'medium' })
    .map((xs) => {
      const calls = interpretIntents(
        xs.map((x) => x[0]),
        c,
      );
      let t = 0;
      // Gaps pair with calls by position; skipped intentions simply leave their gap unused.
      return calls.map((call, i) => {
        t += xs[i]?.[1] ?? 0;
        return { t, call };
      });
    });
}
