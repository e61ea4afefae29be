/**
 * The injecting wrapper: a `Node` around a model endpoint that, besides running the endpoint's own
 * TCP, hands it the case's forged segments (case.ts) at their times, as if they had just arrived
 * from the peer's address — an off-path attacker or a broken peer. The forged segment is built
 * from the victim's own connection state at that moment (RCV.NXT + seqOff, SND.NXT + ackOff, the
 * connection's ports), so "RST exactly at RCV.NXT" or "SYN one past the window" mean what they say
 * whatever the ISNs are and whatever state the connection has reached.
 *
 * The wrapper keeps its own deadline — the earlier of the endpoint's deadline and the next
 * injection — so the simulator wakes it for an injection (one injection per wake-up). The step is
 * a real model step: its actual input is kept in `injected` so invariant checks and ladders see
 * the segment, not the wake-up.
 */
import type { Input, StepResult } from '../model/api.js';
import type { Conn, Endpoint } from '../model/types.js';
import type { Micros } from '../scenario/types.js';
import type { Node } from '../net/sim.js';
import { seqAdd } from '../wire/seq.js';
import type { Injection } from './case.js';

export interface Forging {
  readonly inner: Endpoint;
  /** The endpoint's own deadline. */
  readonly innerDeadline: Micros | null;
  /** Injections still to deliver, in time order. */
  readonly queue: readonly Injection[];
  /** Port a forged segment goes to when the victim has no connection (its listening port). */
  readonly defaultPort: number;
  /** The input of the last step when it was an injection (the simulator recorded a wake-up). */
  readonly injected: Input | null;
}

function minDeadline(a: Micros | null, b: Micros | undefined): Micros | null {
  if (b === undefined) return a;
  return a === null ? b : Math.min(a, b);
}

/** The victim's connection to the peer: the newest one with a remote port that is not a listener. */
export function victimConn(e: Endpoint): Conn | null {
  let best: Conn | null = null;
  for (const c of e.conns) {
    if (c.remoteAddr !== e.peerAddr || c.remotePort === 0 || c.state === 'LISTEN') continue;
    if (best === null || best.state === 'CLOSED' || c.state !== 'CLOSED') best = c;
  }
  return best;
}

/** The forged segment as the victim would receive it now. */
export function forgedInput(e: Endpoint, inj: Injection, defaultPort: number): Input {
  const c = inj.srcPort === undefined ? victimConn(e) : null;
  return {
    kind: 'segment',
    src: e.peerAddr,
    dst: e.addr,
    seg: {
      srcPort: inj.srcPort ?? (c !== null ? c.remotePort : 40000),
      dstPort: c !== null ? c.localPort : defaultPort,
      seq: inj.seq !== undefined ? inj.seq >>> 0 : seqAdd(c !== null ? c.rcvNxt : 0, inj.seqOff),
      ack: seqAdd(c !== null ? c.sndNxt : 0, inj.ackOff),
      flags: inj.flags & 0xff,
      window: Math.max(0, Math.min(0xffff, Math.trunc(inj.window))),
      urgent: 0,
      options: [],
      len: Math.max(0, Math.min(0xffff, Math.trunc(inj.len))),
    },
  };
}

/** Wrap an endpoint with the injections aimed at it (sorted by time, stable). */
export function forging(inner: Endpoint, injections: readonly Injection[], defaultPort: number): Forging {
  const queue = injections
    .map((x, i) => ({ x, i }))
    .sort((p, q) => p.x.t - q.x.t || p.i - q.i)
    .map((p) => p.x);
  return { inner, innerDeadline: null, queue, defaultPort, injected: null };
}

/** The deadline to give the simulator for a wrapped endpoint. */
export function forgingDeadline(f: Forging): Micros | null {
  return minDeadline(f.innerDeadline, f.queue[0]?.t);
}

/** A simulator node that runs `step` for the endpoint and delivers due injections. */
export function forgingNode(step: (e: Endpoint, input: Input, now: Micros) => StepResult<Endpoint>): Node<Forging> {
  return {
    step(f: Forging, input: Input, now: Micros): StepResult<Forging> {
      const head = f.queue[0];
      let real = input;
      let queue = f.queue;
      let injected: Input | null = null;
      if (input.kind === 'timer' && head !== undefined && head.t <= now) {
        real = forgedInput(f.inner, head, f.defaultPort);
        injected = real;
        queue = f.queue.slice(1);
      }
      const r = step(f.inner, real, now);
      const next: Forging = { inner: r.endpoint, innerDeadline: r.deadline, queue, defaultPort: f.defaultPort, injected };
      return { endpoint: next, outputs: r.outputs, deadline: forgingDeadline(next) };
    },
  };
}
