/**
 * State-machine invariants (family FSM): every state change is an edge of the RFC 9293 diagram
 * (the table in src/net/fsm.ts: Figure 5, the event-processing text and the profiles' documented
 * extras), every change is reported by a `transition` output whose chain matches the states
 * before and after, TIME-WAIT is entered only by an active closer whose FIN was acknowledged and
 * who received the peer's FIN, SYNs carry no data, and the application hears "connected" /
 * gets an accepted fd only for a connection whose handshake completed.
 */
import type { TcpStateName } from '../model/api.js';
import type { Conn } from '../model/types.js';
import { isAllowed } from '../net/fsm.js';
import { RST, SYN } from '../wire/types.js';
import { seqGt } from '../wire/seq.js';
import type { StepContext, StepInvariant, Violation } from './types.js';
import { connById, eachConn, eachSegment, flagStr, has, rel, synchronized, violation } from './util.js';

/**
 * The model gives each passively opened connection its own TCB, created CLOSED and moved to
 * SYN-RECEIVED at once; RFC 9293 Figure 5 draws the same event as the listener's
 * LISTEN → SYN-RECEIVED. Such a child's CLOSED → SYN-RECEIVED stands for that edge.
 */
function childOpen(ctx: StepContext, conn: number, from: TcpStateName, to: TcpStateName): boolean {
  if (from !== 'CLOSED' || to !== 'SYN-RECEIVED') return false;
  if (connById(ctx.before, conn) !== null) return false;
  const c = connById(ctx.after, conn);
  if (c === null || c.parent === null) return false;
  const l = connById(ctx.before, c.parent);
  return l !== null && l.state === 'LISTEN';
}

export const fsm1: StepInvariant = {
  kind: 'step',
  id: 'FSM-1',
  title: 'Every state change is an edge of the RFC 9293 state diagram (with the documented extras)',
  rfc: 'RFC 9293 §3.3.2 Figure 5, §3.10; table in src/net/fsm.ts',
  behaviours: ['HS-1', 'HS-10', 'CT-1', 'CT-4', 'RS-3'],
  check(ctx) {
    for (const o of ctx.outputs) {
      if (o.kind !== 'transition') continue;
      if (isAllowed(o.from, o.to) || childOpen(ctx, o.conn, o.from, o.to)) continue;
      return violation(ctx, 'FSM-1', o.conn, `transition ${o.from} → ${o.to} (cause "${o.cause}") is not an edge of the state diagram`);
    }
    return null;
  },
};

/** Follow the transition outputs of connection `id` from state `start`; returns the end state or a message. */
function followChain(ctx: StepContext, id: number, start: TcpStateName | null): { end: TcpStateName | null; error: string | null } {
  let cur = start;
  for (const o of ctx.outputs) {
    if (o.kind !== 'transition' || o.conn !== id) continue;
    if (cur !== null && o.from !== cur) return { end: cur, error: `transition ${o.from} → ${o.to} reported while the connection was in ${cur}` };
    if (o.from === o.to) return { end: cur, error: `transition ${o.from} → ${o.to} does not change the state` };
    cur = o.to;
  }
  return { end: cur, error: null };
}

export const fsm2: StepInvariant = {
  kind: 'step',
  id: 'FSM-2',
  title: 'Every state change is reported by a transition output, and the reported chain matches before → after',
  rfc: 'RFC 9293 §3.3.2 (one state at a time); architecture.md FSM coverage',
  behaviours: ['HS-1', 'CT-1'],
  check(ctx) {
    const v = eachConn(ctx, (b, c) => {
      const start = b === null ? null : b.state;
      const r = followChain(ctx, c.id, start);
      if (r.error !== null) return violation(ctx, 'FSM-2', c.id, r.error);
      const end = r.end ?? (b === null ? 'CLOSED' : b.state);
      if (end !== c.state) {
        return violation(ctx, 'FSM-2', c.id, `state ${b === null ? '(new)' : b.state} → ${c.state} but the transitions reported end in ${end}`);
      }
      return null;
    });
    if (v !== null) return v;
    // Connections that disappeared must have been (or been reported) CLOSED.
    for (const b of ctx.before.conns) {
      if (connById(ctx.after, b.id) !== null) continue;
      const r = followChain(ctx, b.id, b.state);
      if (r.error !== null) return violation(ctx, 'FSM-2', b.id, r.error);
      if (r.end !== 'CLOSED') return violation(ctx, 'FSM-2', b.id, `connection removed in state ${r.end ?? b.state} without a transition to CLOSED`);
    }
    // A transition output for a connection that exists nowhere.
    for (const o of ctx.outputs) {
      if (o.kind === 'transition' && connById(ctx.after, o.conn) === null && connById(ctx.before, o.conn) === null) {
        return violation(ctx, 'FSM-2', o.conn, `transition ${o.from} → ${o.to} for unknown connection ${o.conn}`);
      }
    }
    return null;
  },
};

function timeWaitReady(c: Conn): string | null {
  if (c.finSeq === null) return 'we never sent a FIN (finSeq null)';
  if (!seqGt(c.sndUna, c.finSeq)) return `our FIN at ${rel(c.finSeq, c.iss, 'iss')} is not acknowledged (SND.UNA ${rel(c.sndUna, c.iss, 'iss')})`;
  if (!c.finReceived) return "the peer's FIN was not received";
  return null;
}

export const fsm3: StepInvariant = {
  kind: 'step',
  id: 'FSM-3',
  title: "TIME-WAIT only after an active close: our FIN sent and acknowledged, the peer's FIN received",
  rfc: 'RFC 9293 §3.3.2, §3.6 (case 1 and 3)',
  behaviours: ['CT-1', 'CT-2', 'CT-4'],
  check(ctx) {
    return eachConn(ctx, (b, c): Violation | null => {
      if (c.state !== 'TIME-WAIT' || (b !== null && b.state === 'TIME-WAIT')) return null;
      if (b !== null && (b.state === 'CLOSE-WAIT' || b.state === 'LAST-ACK')) {
        return violation(ctx, 'FSM-3', c.id, `passive closer entered TIME-WAIT from ${b.state}`);
      }
      const why = timeWaitReady(c);
      return why === null ? null : violation(ctx, 'FSM-3', c.id, `entered TIME-WAIT from ${b?.state ?? '(new)'} but ${why}`);
    });
  },
};

export const fsm4: StepInvariant = {
  kind: 'step',
  id: 'FSM-4',
  title: 'SYN and SYN-ACK carry no data, and no data is sent before the connection is established',
  rfc: 'RFC 9293 §3.5 (Fast Open out of scope), §3.10.7.3',
  behaviours: ['HS-2'],
  check(ctx) {
    return eachSegment(ctx, (o, c) => {
      const s = o.seg;
      if (s.len === 0 || has(s.flags, RST)) return null;
      if (has(s.flags, SYN)) return violation(ctx, 'FSM-4', c?.id ?? null, `${flagStr(s.flags)} segment carries ${s.len} bytes of data`);
      if (c !== null && !synchronized(c.state)) return violation(ctx, 'FSM-4', c.id, `${s.len} data bytes sent in ${c.state}`);
      return null;
    });
  },
};

function fdConn(ctx: StepContext, fd: number): Conn | null {
  for (const c of ctx.after.conns) if (c.fd === fd && c.state !== 'LISTEN') return c;
  return null;
}

export const fsm5: StepInvariant = {
  kind: 'step',
  id: 'FSM-5',
  title: "'connected' is reported and accept() returns only for a connection whose handshake completed",
  rfc: 'RFC 9293 §3.10.7.3, §3.10.7.4 (SYN-RECEIVED → ESTABLISHED); RFC 9293 §3.9.1 OPEN',
  behaviours: ['HS-13', 'LQ-1'],
  check(ctx) {
    for (const o of ctx.outputs) {
      let fd: number | null = null;
      let what = '';
      if (o.kind === 'event' && o.event === 'connected') {
        fd = o.fd;
        what = "'connected' event";
      } else if (o.kind === 'result' && o.call.op === 'accept' && o.result.ok) {
        fd = o.result.value;
        what = 'accept() result';
      }
      if (fd === null) continue;
      const c = fdConn(ctx, fd);
      if (c === null) return violation(ctx, 'FSM-5', null, `${what} for fd ${fd}, which has no connection`);
      const done = synchronized(c.state) || (c.state === 'CLOSED' && (c.done || c.error !== null));
      if (!done) return violation(ctx, 'FSM-5', c.id, `${what} for fd ${fd} whose connection is in ${c.state}`);
    }
    return null;
  },
};

export const fsmInvariants: readonly StepInvariant[] = [fsm1, fsm2, fsm3, fsm4, fsm5];
