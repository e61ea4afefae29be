/**
 * Window invariants (family WIN): the sender stays inside the peer's window and its congestion
 * window, the receiver never moves its advertised right edge to the left and accepts nothing
 * beyond it, window fields fit 16 bits with shifts ≤ 14, and SND.WND only ever takes a value that
 * the peer advertised. RFC 9293 §3.8.6, RFC 1122 §4.2.2.16, RFC 7323 §2, RFC 5681 §3.1.
 */
import type { Conn, Endpoint } from '../model/types.js';
import { ACK, RST, SYN } from '../wire/types.js';
import { seqAdd, seqDist, seqGe, seqGt, seqLe, seqLt } from '../wire/seq.js';
import type { StepInvariant } from './types.js';
import { connById, connOfInput, dataEnd, eachConn, eachSegment, flagStr, has, rel, synchronized, violation } from './util.js';

/**
 * The receive window's right edge as last advertised: RCV.WUP plus the window the 16-bit field
 * could carry (the model, like Linux tcp_select_window, stores rcvWnd before clamping to
 * 65535 << shift and rounding down to the scale unit).
 */
export function advertisedEdge(c: Conn): number {
  const ws = c.rcvWscale;
  const unit = 2 ** ws;
  const field = Math.floor(Math.min(c.rcvWnd, 0xffff * unit) / unit);
  return seqAdd(c.rcvWup, field * unit);
}

/** Highest sequence number ever sent by this connection before the step (SND.NXT or queue end). */
function highestSent(c: Conn): number {
  let hi = c.sndNxt;
  const last = c.sent[c.sent.length - 1];
  if (last !== undefined && seqGt(seqAdd(last.seq, last.len), hi)) hi = seqAdd(last.seq, last.len);
  return hi;
}

export const win1: StepInvariant = {
  kind: 'step',
  id: 'WIN-1',
  title: 'No new data beyond SND.UNA + SND.WND (one-byte probe and old data retransmitted from inside the window excepted)',
  rfc: 'RFC 9293 §3.8.6.1; RFC 1122 §4.2.2.16; tcp_output.c:tcp_retransmit_skb (head may exceed)',
  behaviours: ['FC-1', 'FC-4'],
  check(ctx) {
    return eachSegment(ctx, (o, c) => {
      const s = o.seg;
      if (c === null || s.len === 0 || has(s.flags, SYN) || has(s.flags, RST) || !synchronized(c.state)) return null;
      const right = seqAdd(c.sndUna, c.sndWnd);
      const end = dataEnd(s);
      if (seqLe(end, right)) return null;
      // RFC 9293 §3.8.6.1: a zero-window probe is one new byte at the right edge.
      if (s.len === 1 && s.seq === right) return null;
      const b = connById(ctx.before, c.id);
      const oldData = b !== null && seqLe(end, highestSent(b));
      if (oldData && (seqLt(s.seq, right) || s.seq === c.sndUna)) return null;
      return violation(ctx, 'WIN-1', c.id, `${oldData ? 'retransmitted' : 'new'} data [${rel(s.seq, c.iss, 'iss')}, ${rel(end, c.iss, 'iss')}) beyond SND.UNA + SND.WND = ${rel(right, c.iss, 'iss')} (SND.WND ${c.sndWnd})`);
    });
  },
};

export const win2: StepInvariant = {
  kind: 'step',
  id: 'WIN-2',
  title: 'After sending new data, flight ≤ min(cwnd, SND.WND) (packets ≤ cwnd, bytes ≤ SND.WND + a one-byte probe)',
  rfc: 'RFC 5681 §3.1; RFC 9293 §3.8.6.1',
  behaviours: ['CC-1', 'FC-1'],
  check(ctx) {
    return eachConn(ctx, (b, c) => {
      if (b === null || !synchronized(c.state) || !seqGt(c.sndNxt, b.sndNxt)) return null;
      // Linux tcp_packets_in_flight: not lost, not SACKed; without SACK the dup ACKs counted in
      // cc.sackedOut are delivered packets too (reno sacked_out).
      let packets = 0;
      for (const r of c.sent) if (!r.lost && r.sacked !== true) packets++;
      if (!c.sackOk) packets = Math.max(0, packets - c.cc.sackedOut);
      if (packets > c.cwnd) return violation(ctx, 'WIN-2', c.id, `${packets} packets in flight after sending new data, cwnd ${c.cwnd}`);
      let bytes = seqDist(c.sndUna, c.sndNxt);
      if (c.finSeq !== null && c.sndNxt === seqAdd(c.finSeq, 1)) bytes--;
      const allowed = c.sndWnd === 0 ? 1 : c.sndWnd;
      if (bytes > allowed) return violation(ctx, 'WIN-2', c.id, `${bytes} bytes in flight after sending new data, SND.WND ${c.sndWnd}`);
      return null;
    });
  },
};

export const win3: StepInvariant = {
  kind: 'step',
  id: 'WIN-3',
  title: 'The advertised right edge (SEG.ACK + window) never moves left',
  rfc: 'RFC 7323 §2.4; RFC 9293 §3.8.6.2.2; RFC 1122 §4.2.2.16',
  behaviours: ['FC-3'],
  check(ctx) {
    let runningFor = -1;
    let running = 0;
    return eachSegment(ctx, (o, c) => {
      const s = o.seg;
      if (c === null || !has(s.flags, ACK) || has(s.flags, SYN) || has(s.flags, RST) || !synchronized(c.state)) return null;
      if (runningFor !== c.id) {
        const b = connById(ctx.before, c.id);
        if (b === null || !synchronized(b.state)) return null;
        runningFor = c.id;
        running = advertisedEdge(b);
      }
      const edge = seqAdd(s.ack, s.window * 2 ** c.rcvWscale);
      if (!seqGe(edge, running)) {
        return violation(ctx, 'WIN-3', c.id, `advertised right edge ${rel(edge, c.irs, 'irs')} (ack ${rel(s.ack, c.irs, 'irs')} + ${s.window} << ${c.rcvWscale}) is left of the previous edge ${rel(running, c.irs, 'irs')}`);
      }
      running = edge;
      return null;
    });
  },
};

function maxOooRight(c: Conn, base: number): number {
  let hi = base;
  for (const r of c.ooo) if (seqGt(r.right, hi)) hi = r.right;
  return hi;
}

export const win4: StepInvariant = {
  kind: 'step',
  id: 'WIN-4',
  title: 'Nothing is accepted beyond RCV.NXT + RCV.WND (Linux keeps a segment that starts inside it)',
  rfc: 'RFC 9293 §3.10.7.4 (first: acceptability); tcp_input.c:tcp_data_queue (profile trimToWindow)',
  behaviours: ['FC-2'],
  check(ctx) {
    const inp = ctx.input;
    if (inp.kind !== 'segment') return null;
    const b = connOfInput(ctx.before, inp.src, inp.seg);
    if (b === null || !synchronized(b.state)) return null;
    const c = connById(ctx.after, b.id);
    if (c === null) return null;
    const edge = advertisedEdge(b);
    let allowed = edge;
    if (!ctx.before.profile.trimToWindow && seqLt(inp.seg.seq, edge) && seqGt(dataEnd(inp.seg), edge)) allowed = dataEnd(inp.seg);
    let rcvEnd = c.rcvNxt;
    if (c.finReceived && !b.finReceived) rcvEnd = seqAdd(rcvEnd, -1);
    if (seqGt(c.rcvNxt, b.rcvNxt) && seqGt(rcvEnd, allowed)) {
      return violation(ctx, 'WIN-4', c.id, `accepted data up to ${rel(rcvEnd, c.irs, 'irs')}, beyond the advertised right edge ${rel(edge, c.irs, 'irs')} (segment [${rel(inp.seg.seq, c.irs, 'irs')}, +${inp.seg.len}))`);
    }
    const ooo = maxOooRight(c, c.rcvNxt);
    if (seqGt(ooo, maxOooRight(b, allowed)) && seqGt(ooo, allowed)) {
      return violation(ctx, 'WIN-4', c.id, `queued out-of-order data up to ${rel(ooo, c.irs, 'irs')}, beyond the advertised right edge ${rel(edge, c.irs, 'irs')}`);
    }
    return null;
  },
};

function shiftOk(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= 14;
}

function badShift(ep: Endpoint): Conn | null {
  for (const c of ep.conns) if (!shiftOk(c.sndWscale) || !shiftOk(c.rcvWscale)) return c;
  return null;
}

export const win5: StepInvariant = {
  kind: 'step',
  id: 'WIN-5',
  title: 'Window fields are 16-bit integers and window-scale shifts are at most 14',
  rfc: 'RFC 9293 §3.1; RFC 7323 §2.2, §2.3',
  behaviours: ['FC-7', 'HS-9'],
  check(ctx) {
    const v = eachSegment(ctx, (o, c) => {
      const w = o.seg.window;
      if (!Number.isInteger(w) || w < 0 || w > 0xffff) return violation(ctx, 'WIN-5', c?.id ?? null, `segment [${flagStr(o.seg.flags)}] has window field ${w}, not a 16-bit value`);
      for (const opt of o.seg.options) {
        if (opt.kind === 'wscale' && !shiftOk(opt.shift)) return violation(ctx, 'WIN-5', c?.id ?? null, `window-scale option with shift ${opt.shift} (> 14)`);
      }
      return null;
    });
    if (v !== null) return v;
    const c = badShift(ctx.after);
    if (c !== null) return violation(ctx, 'WIN-5', c.id, `window-scale shifts sndWscale ${c.sndWscale}, rcvWscale ${c.rcvWscale}: must be integers in [0, 14]`);
    return null;
  },
};

export const win6: StepInvariant = {
  kind: 'step',
  id: 'WIN-6',
  title: "SND.WND only takes a window the peer advertised (field << shift; SYN windows unscaled)",
  rfc: 'RFC 9293 §3.10.7.4 (SND.WND ← SEG.WND); RFC 7323 §2.3',
  behaviours: ['FC-7', 'FC-8', 'HS-9'],
  check(ctx) {
    const inp = ctx.input;
    return eachConn(ctx, (b, c) => {
      if (b === null || b.sndWnd === c.sndWnd || c.state === 'CLOSED') return null;
      if (inp.kind !== 'segment') return violation(ctx, 'WIN-6', c.id, `SND.WND changed from ${b.sndWnd} to ${c.sndWnd} on a ${inp.kind} input`);
      const owner = connOfInput(ctx.before, inp.src, inp.seg);
      if (owner === null || owner.id !== c.id) return violation(ctx, 'WIN-6', c.id, `SND.WND changed from ${b.sndWnd} to ${c.sndWnd} on a segment for another connection`);
      // Linux (profile scaleSynAckWindowInSynReceived, tcp_rcv_state_process SYN-RECEIVED step): the
      // SYN-ACK that completes a simultaneous open sets SND.WND from its field scaled.
      const scaledSynAck =
        has(inp.seg.flags, SYN) && has(inp.seg.flags, ACK) && b.state === 'SYN-RECEIVED' && ctx.before.profile.scaleSynAckWindowInSynReceived;
      const want = has(inp.seg.flags, SYN) && !scaledSynAck ? inp.seg.window : inp.seg.window * 2 ** c.sndWscale;
      if (c.sndWnd !== want) {
        return violation(ctx, 'WIN-6', c.id, `SND.WND set to ${c.sndWnd} but the segment advertised ${inp.seg.window}${has(inp.seg.flags, SYN) ? ' (SYN, unscaled)' : ` << ${c.sndWscale} = ${want}`}`);
      }
      return null;
    });
  },
};

export const windowInvariants: readonly StepInvariant[] = [win1, win2, win3, win4, win5, win6];
