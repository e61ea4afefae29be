/**
 * Helpers for whole-run invariants: the last snapshot of every connection each endpoint ever had
 * (connections leave the endpoint when they close), pairing a connection with its peer on the other
 * endpoint (same 4-tuple, ISS/IRS crossed), bytes each connection's application sent and read, and
 * the data ranges each connection put on the wire. Run checks are not on the per-step hot path, so
 * these build small maps once per run.
 */
import type { Conn, Endpoint } from '../model/types.js';
import { RST } from '../wire/types.js';
import { seqAdd, seqGt, seqLe } from '../wire/seq.js';
import type { NodeId, RunRecord } from './types.js';
import { connOfOutput, dataStart, has, synchronized } from './util.js';

export interface ConnHistory {
  readonly node: NodeId;
  /** Last snapshot seen. */
  last: Conn;
  /** Ever in a synchronized state. */
  synced: boolean;
  /** Bytes accepted by send() / returned by recv() on this connection's fd. */
  sent: number;
  received: number;
  /** Time recv() first returned 0 (end of file), or null. */
  eofAt: number | null;
  /** Bytes received when the application saw end of file. */
  receivedAtEof: number;
  /** Data ranges [start, end) this connection sent, merged when contiguous. */
  ranges: [number, number][];
  /** Time of the last RST this connection sent, or null. */
  lastRstAt: number | null;
  /** Time of the last segment (any) this connection sent, or null. */
  lastSentAt: number | null;
  /** The connection reached CLOSED or left its endpoint (its last snapshot may predate that). */
  closed: boolean;
}

export interface RunIndex {
  readonly a: Map<number, ConnHistory>;
  readonly b: Map<number, ConnHistory>;
}

function fdConn(ep: Endpoint, fd: number): Conn | null {
  for (const c of ep.conns) if (c.fd === fd && c.state !== 'LISTEN') return c;
  return null;
}

function hasConnId(conns: readonly Conn[], id: number): boolean {
  for (let i = 0; i < conns.length; i++) if (conns[i]!.id === id) return true;
  return false;
}

function addRange(h: ConnHistory, start: number, end: number): void {
  for (const r of h.ranges) {
    if (seqLe(r[0], start) && seqLe(start, r[1])) {
      if (seqGt(end, r[1])) r[1] = end;
      return;
    }
  }
  h.ranges.push([start, end]);
}

/**
 * The per-connection history of a run: the record's own `index` when its producer built one
 * (src/harness/check.ts builds it once, lazily, for all whole-run invariants of a run), else built
 * here. Steps without states contribute nothing.
 */
export function indexRun(run: RunRecord): RunIndex {
  return run.index ?? buildIndex(run);
}

/** Build the per-connection history of a run from its steps (what `RunRecord.index` must equal). */
export function buildIndex(run: RunRecord): RunIndex {
  const idx: RunIndex = { a: new Map(), b: new Map() };
  const touch = (node: NodeId, c: Conn): ConnHistory => {
    const m = idx[node];
    let h = m.get(c.id);
    if (h === undefined) {
      h = { node, last: c, synced: false, sent: 0, received: 0, eofAt: null, receivedAtEof: 0, ranges: [], lastRstAt: null, lastSentAt: null, closed: false };
      m.set(c.id, h);
    }
    h.last = c;
    if (synchronized(c.state)) h.synced = true;
    if (c.state === 'CLOSED') h.closed = true;
    return h;
  };
  for (const st of run.steps) {
    if (st.before === undefined || st.after === undefined) continue;
    const inp = st.input;
    if (inp.kind === 'call' && (inp.call.op === 'send' || inp.call.op === 'recv')) {
      const c = fdConn(st.before, inp.call.fd);
      if (c !== null) {
        const h = touch(st.node, c);
        for (const o of st.outputs) {
          if (o.kind !== 'result' || !o.result.ok) continue;
          if (inp.call.op === 'send') h.sent += Math.max(0, o.result.value);
          else if (o.result.value > 0) h.received += o.result.value;
          else if (inp.call.bytes > 0 && h.eofAt === null && !c.done) {
            h.eofAt = st.time;
            h.receivedAtEof = h.received;
          }
        }
      }
    }
    for (const o of st.outputs) {
      if (o.kind !== 'segment') continue;
      const c = connOfOutput(st.after, o) ?? connOfOutput(st.before, o);
      if (c === null) continue;
      const h = touch(st.node, c);
      h.lastSentAt = st.time;
      if (has(o.seg.flags, RST)) h.lastRstAt = st.time;
      else if (o.seg.len > 0) addRange(h, dataStart(o.seg), seqAdd(dataStart(o.seg), o.seg.len));
    }
    for (const c of st.after.conns) touch(st.node, c);
    for (const c of st.before.conns) {
      if (hasConnId(st.after.conns, c.id)) continue;
      const gone = idx[st.node].get(c.id);
      if (gone !== undefined) gone.closed = true;
    }
  }
  return idx;
}

/** The connection on the other node that is this one's peer (crossed ISS/IRS and ports), or null. */
export function peerOf(idx: RunIndex, run: RunRecord, h: ConnHistory): ConnHistory | null {
  const other = h.node === 'a' ? idx.b : idx.a;
  const myAddr = h.node === 'a' ? run.a.addr : run.b.addr;
  const x = h.last;
  for (const o of other.values()) {
    const y = o.last;
    if (!o.synced || y.localPort !== x.remotePort || y.remotePort !== x.localPort || y.remoteAddr !== myAddr) continue;
    if (y.iss === x.irs && y.irs === x.iss) return o;
  }
  return null;
}

/** Does the union of `ranges` cover [from, to)? */
export function covered(ranges: readonly (readonly [number, number])[], from: number, to: number): number {
  let x = from;
  for (let round = 0; round <= ranges.length; round++) {
    if (!seqGt(to, x)) return to;
    let moved = false;
    for (const r of ranges) {
      if (seqLe(r[0], x) && seqGt(r[1], x)) {
        x = r[1];
        moved = true;
      }
    }
    if (!moved) break;
  }
  return seqGt(to, x) ? x : to;
}

/** In-order data bytes a connection received: RCV.NXT − IRS − 1, less the FIN. */
export function dataReceived(c: Conn): number {
  let n = (c.rcvNxt - c.irs - 1) >>> 0;
  if (c.finReceived) n--;
  return Math.max(0, n);
}

/** Data bytes a connection's application wrote: write end − ISS − 1. */
export function dataWritten(c: Conn): number {
  return Math.max(0, ((c.writeSeq - c.iss - 1) >>> 0));
}

