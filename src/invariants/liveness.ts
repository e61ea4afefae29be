/**
 * Liveness and agreement invariants over a whole run (families LIV, END): once faults stop, the
 * pair goes idle within a bound derived from the profile's timers; at idle every transfer has
 * completed (nothing unsent or unacknowledged), every close has finished (no orphan left, no
 * connection stuck in a state that needs a timer); and both ends agree on how each connection
 * ended (a graceful close on one side means the other received its FIN; a reset sent after the
 * faults stopped leaves no synchronized peer behind).
 */
import type { Conn, Endpoint } from '../model/types.js';
import type { Profile } from '../model/profile-type.js';
import { seqAdd, seqDist, seqGt } from '../wire/seq.js';
import type { NodeId, RunInvariant, RunRecord, Violation } from './types.js';
import { indexRun, peerOf } from './run-util.js';
import { synchronized } from './util.js';

/**
 * How long after the faults stop (and the last application call) a pair may take to go idle: one
 * backed-off retransmission (RTO max), an orphaned FIN-WAIT-2 (tcp_fin_time: max(tcp_fin_timeout,
 * 3.5·RTO)), TIME-WAIT, two delayed ACKs, and 10 s for the round trips of the remaining exchange.
 */
export function livenessBound(p: Profile): number {
  return p.rtoMax + Math.max(p.finTimeout, 3.5 * p.rtoMax) + p.timeWaitLen + 2 * p.delAckMax + 10_000_000;
}

function lastCallTime(run: RunRecord): number {
  let t = 0;
  for (const st of run.steps) if (st.input.kind === 'call' && st.time > t) t = st.time;
  return t;
}

function anyConn(run: RunRecord, pred: (c: Conn) => boolean): Conn | null {
  for (const ep of [run.a.final, run.b.final]) for (const c of ep.conns) if (pred(c)) return c;
  return null;
}

function armedSummary(ep: Endpoint): string {
  const parts: string[] = [];
  for (const c of ep.conns) {
    const t = [c.retransmitAt, c.delayedAckAt, c.timeWaitAt, c.finWait2At].filter((x) => x !== null);
    if (t.length > 0) parts.push(`conn ${c.id} ${c.state} timers ${t.join('/')}`);
  }
  return parts.length === 0 ? 'no timers armed' : parts.join('; ');
}

export const liv1: RunInvariant = {
  kind: 'run',
  id: 'LIV-1',
  title: "Once faults stop, the pair goes idle within a bound derived from the profile's timers",
  rfc: 'RFC 9293 §3.8.1, §3.10.8; RFC 6298 §5',
  behaviours: ['DT-5', 'CT-2', 'CT-5', 'CT-6', 'HS-5', 'FC-4'],
  check(run) {
    if (run.outcome === 'idle') return [];
    // Keepalive probes and an application that never reads legitimately keep a pair busy.
    if (anyConn(run, (c) => c.keepalive || c.readable > 0) !== null) return [];
    const p = run.a.initial.profile;
    const start = Math.max(run.faultsSettledAt, lastCallTime(run));
    const deadline = start + livenessBound(p);
    const reached = run.outcome === 'time-bound' ? run.maxTime : run.endTime;
    if (reached < deadline) return [];
    return [{ id: 'LIV-1', time: run.endTime, message: `not idle by ${deadline} µs (faults settled at ${run.faultsSettledAt} µs, bound ${livenessBound(p)} µs): ${run.outcome}; a: ${armedSummary(run.a.final)}; b: ${armedSummary(run.b.final)}` }];
  },
};

function eachFinal(run: RunRecord, fn: (node: NodeId, c: Conn) => Violation | null): Violation[] {
  const out: Violation[] = [];
  for (const node of ['a', 'b'] as const) {
    for (const c of run[node].final.conns) {
      const v = fn(node, c);
      if (v !== null) out.push(v);
    }
  }
  return out;
}

export const liv2: RunInvariant = {
  kind: 'run',
  id: 'LIV-2',
  title: 'At idle every transfer has completed: nothing unsent, nothing unacknowledged',
  rfc: 'RFC 9293 §3.8.1, §3.8.6.1 (persist); RFC 1122 §4.2.2.17',
  behaviours: ['DT-1', 'DT-5', 'FC-4', 'DT-13'],
  check(run) {
    if (run.outcome !== 'idle') return [];
    return eachFinal(run, (node, c) => {
      if (!synchronized(c.state) || c.state === 'TIME-WAIT') return null;
      const end = c.finSeq !== null ? seqAdd(c.writeSeq, 1) : c.writeSeq;
      if (c.sent.length > 0 || c.sndUna !== c.sndNxt) {
        return { id: 'LIV-2', node, conn: c.id, time: run.endTime, message: `idle with ${seqDist(c.sndUna, c.sndNxt)} bytes unacknowledged in ${c.state} (${c.sent.length} queued segments, retransmission timer ${c.retransmitAt ?? 'off'})` };
      }
      if (seqGt(end, c.sndNxt)) {
        return { id: 'LIV-2', node, conn: c.id, time: run.endTime, message: `idle with ${seqDist(c.sndNxt, end)} bytes${c.finSeq !== null ? ' (with FIN)' : ''} never sent in ${c.state} (SND.WND ${c.sndWnd})` };
      }
      return null;
    });
  },
};

function transient(c: Conn): boolean {
  switch (c.state) {
    case 'SYN-SENT':
    case 'SYN-RECEIVED':
    case 'FIN-WAIT-1':
    case 'CLOSING':
    case 'LAST-ACK':
    case 'TIME-WAIT':
      return true;
    default:
      return false;
  }
}

export const liv3: RunInvariant = {
  kind: 'run',
  id: 'LIV-3',
  title: 'At idle every close has finished: no orphan left open, no connection stuck in a state that needs a timer',
  rfc: 'RFC 9293 §3.6, §3.10.8; tcp.h:tcp_fin_time',
  behaviours: ['CT-1', 'CT-2', 'CT-5', 'CT-6', 'LQ-7'],
  check(run) {
    if (run.outcome !== 'idle') return [];
    return eachFinal(run, (node, c) => {
      if (transient(c)) return { id: 'LIV-3', node, conn: c.id, time: run.endTime, message: `idle with connection ${c.id} still in ${c.state}` };
      if (c.fd === null && c.parent === null && c.state !== 'CLOSED') {
        return { id: 'LIV-3', node, conn: c.id, time: run.endTime, message: `idle with orphaned connection ${c.id} (closed by the application) still in ${c.state}` };
      }
      return null;
    });
  },
};

function graceful(c: Conn): boolean {
  return c.finSeq !== null && seqGt(c.sndUna, c.finSeq) && c.finReceived;
}

export const end1: RunInvariant = {
  kind: 'run',
  id: 'END-1',
  title: "Both ends agree on a graceful close: if one side's FIN was acknowledged and it got the peer's FIN, the peer received its FIN",
  rfc: 'RFC 9293 §3.6',
  behaviours: ['CT-1', 'CT-3', 'CT-4', 'CT-10'],
  check(run) {
    const out: Violation[] = [];
    const idx = indexRun(run);
    for (const m of [idx.a, idx.b]) {
      for (const h of m.values()) {
        if (!h.synced || !graceful(h.last)) continue;
        const p = peerOf(idx, run, h);
        if (p === null) continue;
        const y = p.last;
        if (!y.finReceived || y.finSeq === null) {
          out.push({ id: 'END-1', node: p.node, conn: y.id, message: `${h.node} closed gracefully (its FIN acknowledged, the peer's FIN received) but ${p.node} ${!y.finReceived ? `never received ${h.node}'s FIN` : 'never sent a FIN'} (${p.node} in ${y.state})` });
        }
      }
    }
    return out;
  },
};

export const end2: RunInvariant = {
  kind: 'run',
  id: 'END-2',
  title: 'Both ends agree on a reset: an RST sent after the faults stopped leaves no synchronized peer at idle',
  rfc: 'RFC 9293 §3.5.2, §3.10.7.4 (second: RST); RFC 5961 §3',
  behaviours: ['RS-2', 'RS-3', 'CT-8', 'CT-9', 'KA-2'],
  check(run) {
    if (run.outcome !== 'idle') return [];
    const out: Violation[] = [];
    const idx = indexRun(run);
    for (const m of [idx.a, idx.b]) {
      for (const h of m.values()) {
        // Strictly after: an RST sent at the instant the last fault took effect may be that fault's victim.
        if (!h.synced || h.lastRstAt === null || h.lastRstAt <= run.faultsSettledAt || !h.closed) continue;
        const p = peerOf(idx, run, h);
        // A peer that reached CLOSED or left its endpoint agrees: its last snapshot (taken before it
        // was removed, e.g. an orphan closed by the RST) may still show the earlier state.
        if (p === null || p.closed) continue;
        const y = p.last;
        if (synchronized(y.state) && y.state !== 'TIME-WAIT') {
          out.push({ id: 'END-2', node: p.node, conn: y.id, message: `${h.node} reset the connection at ${h.lastRstAt} µs (faults settled at ${run.faultsSettledAt} µs) but ${p.node} is still ${y.state} at idle` });
        }
      }
    }
    return out;
  },
};

export const livenessInvariants: readonly RunInvariant[] = [liv1, liv2, liv3, end1, end2];
