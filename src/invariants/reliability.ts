/**
 * Reliability invariants per step (family REL): each received byte enters the receive queue
 * exactly once and in order (RCV.NXT only advances over bytes this segment or the out-of-order
 * queue hold), the out-of-order queue stays a sorted set of disjoint blocks above RCV.NXT, no fully
 * acknowledged data is sent again, end-of-file is reported only after every byte before the FIN,
 * and a segment with a bad checksum changes nothing. The whole-run counterparts (exactly-once
 * delivery end to end, FIN after all data) are in reliability-run.ts.
 */
import type { Conn } from '../model/types.js';
import { RST, SYN } from '../wire/types.js';
import { seqAdd, seqDist, seqGe, seqGt, seqInRange, seqLe, seqLt } from '../wire/seq.js';
import type { StepInvariant } from './types.js';
import { connById, connOfInput, eachConn, eachSegment, flagStr, has, rel, recvBytes, segSpace, synchronized, violation } from './util.js';

function receiving(c: Conn): boolean {
  return synchronized(c.state) || c.state === 'SYN-RECEIVED';
}

export const rel1: StepInvariant = {
  kind: 'step',
  id: 'REL-1',
  title: 'Exactly-once into the receive queue: readable grows by the in-order data RCV.NXT advanced over, less what recv returned',
  rfc: 'RFC 9293 §3.10.7.4 (seventh: segment text)',
  behaviours: ['DT-3', 'DT-1', 'LQ-5'],
  check(ctx) {
    return eachConn(ctx, (b, c) => {
      if (b === null || !receiving(b) || c.state === 'CLOSED' || c.rcvShutdown || b.rcvShutdown) return null;
      let advance = seqDist(b.rcvNxt, c.rcvNxt);
      if (c.finReceived && !b.finReceived) advance--;
      const read = recvBytes(ctx, c.fd ?? b.fd);
      const want = b.readable + advance - read;
      if (c.readable !== want) {
        return violation(ctx, 'REL-1', c.id, `readable ${b.readable} → ${c.readable}, but RCV.NXT advanced over ${advance} data bytes and recv returned ${read} (expected ${want})`);
      }
      return null;
    });
  },
};

export const rel2: StepInvariant = {
  kind: 'step',
  id: 'REL-2',
  title: 'RCV.NXT advances only over bytes this segment or the out-of-order queue hold (in order, no holes)',
  rfc: 'RFC 9293 §3.10.7.4 (seventh); RFC 9293 §3.4',
  behaviours: ['DT-3', 'DT-1'],
  check(ctx) {
    const inp = ctx.input;
    if (inp.kind !== 'segment') return null;
    const b = connOfInput(ctx.before, inp.src, inp.seg);
    if (b === null || !receiving(b)) return null;
    const c = connById(ctx.after, b.id);
    if (c === null || c.state === 'CLOSED' || !seqGt(c.rcvNxt, b.rcvNxt)) return null;
    const s = inp.seg;
    const segEnd = seqAdd(s.seq, segSpace(s));
    let x = b.rcvNxt;
    for (let round = 0; round <= b.ooo.length + 1; round++) {
      if (seqGe(x, c.rcvNxt)) return null;
      if (seqLe(s.seq, x) && seqLt(x, segEnd)) {
        x = segEnd;
        continue;
      }
      let moved = false;
      for (const r of b.ooo) {
        if (seqInRange(x, r.left, r.right)) {
          x = r.right;
          moved = true;
          break;
        }
      }
      if (!moved) break;
    }
    if (seqGe(x, c.rcvNxt)) return null;
    return violation(ctx, 'REL-2', c.id, `RCV.NXT advanced from ${rel(b.rcvNxt, b.irs, 'irs')} to ${rel(c.rcvNxt, c.irs, 'irs')} but only bytes up to ${rel(x, b.irs, 'irs')} were held (segment [${rel(s.seq, b.irs, 'irs')}, +${segSpace(s)}), ${b.ooo.length} out-of-order blocks)`);
  },
};

export const rel3: StepInvariant = {
  kind: 'step',
  id: 'REL-3',
  title: 'The out-of-order queue is sorted, disjoint, non-adjacent blocks strictly above RCV.NXT',
  rfc: 'RFC 9293 §3.10.7.4 (seventh: out-of-order segments held); RFC 2018 §4',
  behaviours: ['DT-3', 'DT-7'],
  check(ctx) {
    return eachConn(ctx, (_b, c) => {
      if (c.ooo.length === 0 || c.state === 'CLOSED') return null;
      let prev = c.rcvNxt;
      for (let i = 0; i < c.ooo.length; i++) {
        const r = c.ooo[i]!;
        if (!seqLt(r.left, r.right)) return violation(ctx, 'REL-3', c.id, `out-of-order block ${i} [${rel(r.left, c.irs, 'irs')}, ${rel(r.right, c.irs, 'irs')}) is empty or reversed`);
        if (!seqGt(r.left, prev)) {
          return violation(ctx, 'REL-3', c.id, `out-of-order block ${i} starts at ${rel(r.left, c.irs, 'irs')}, not above ${i === 0 ? 'RCV.NXT' : 'the previous block end'} ${rel(prev, c.irs, 'irs')}`);
        }
        // A FIN need not sit in the last block: a hostile peer can send contradicting FINs at
        // different sequence numbers; like Linux's out-of-order queue the model holds them all and
        // the first one reached in order ends the stream (tcp_ofo_queue → tcp_fin purges the rest).
        prev = r.right;
      }
      return null;
    });
  },
};

export const rel4: StepInvariant = {
  kind: 'step',
  id: 'REL-4',
  title: 'No fully acknowledged data or FIN is sent again (a one-byte keepalive at SND.UNA−1 excepted)',
  rfc: 'RFC 9293 §3.8.1; RFC 6298 §5; RFC 1122 §4.2.3.6 (keepalive)',
  behaviours: ['DT-1', 'DT-5', 'KA-1'],
  check(ctx) {
    return eachSegment(ctx, (o, c) => {
      const s = o.seg;
      if (c === null || has(s.flags, RST) || has(s.flags, SYN) || !synchronized(c.state)) return null;
      const space = segSpace(s);
      if (space === 0) return null;
      if (s.len === 1 && s.seq === seqAdd(c.sndUna, -1)) return null;
      if (seqLe(seqAdd(s.seq, space), c.sndUna)) {
        return violation(ctx, 'REL-4', c.id, `segment [${flagStr(s.flags)}] [${rel(s.seq, c.iss, 'iss')}, +${space}) was already acknowledged (SND.UNA ${rel(c.sndUna, c.iss, 'iss')})`);
      }
      return null;
    });
  },
};

export const rel5: StepInvariant = {
  kind: 'step',
  id: 'REL-5',
  title: 'recv() reports end-of-file only after every byte before the FIN was read',
  rfc: 'RFC 9293 §3.10.7.4 (eighth: FIN), §3.9.1 RECEIVE',
  behaviours: ['CT-10', 'DT-3'],
  check(ctx) {
    const inp = ctx.input;
    if (inp.kind !== 'call' || inp.call.op !== 'recv' || inp.call.bytes <= 0) return null;
    let zero = false;
    for (const o of ctx.outputs) if (o.kind === 'result' && o.result.ok && o.result.value === 0) zero = true;
    if (!zero) return null;
    const fd = inp.call.fd;
    let b: Conn | null = null;
    for (const x of ctx.before.conns) if (x.fd === fd && x.state !== 'LISTEN') b = x;
    if (b === null || b.rcvShutdown || b.done) return null;
    if (!b.finReceived) return violation(ctx, 'REL-5', b.id, `recv on fd ${fd} returned 0 (end of file) but the peer's FIN was not received (RCV.NXT ${rel(b.rcvNxt, b.irs, 'irs')})`);
    if (b.readable > 0) return violation(ctx, 'REL-5', b.id, `recv on fd ${fd} returned 0 (end of file) with ${b.readable} bytes still unread`);
    return null;
  },
};

export const rel6: StepInvariant = {
  kind: 'step',
  id: 'REL-6',
  title: 'A segment with a bad checksum is dropped silently: no segment sent, no connection changed',
  rfc: 'RFC 9293 §3.1 (checksum), §3.10.7',
  behaviours: ['DT-4'],
  check(ctx) {
    const inp = ctx.input;
    if (inp.kind !== 'segment' || inp.checksumOk !== false) return null;
    for (const o of ctx.outputs) {
      if (o.kind === 'segment') return violation(ctx, 'REL-6', null, `a segment with a bad checksum was answered with [${flagStr(o.seg.flags)}] seq ${o.seg.seq}`);
    }
    const bs = ctx.before.conns;
    const as = ctx.after.conns;
    if (bs.length !== as.length) return violation(ctx, 'REL-6', null, `a segment with a bad checksum changed the number of connections ${bs.length} → ${as.length}`);
    for (let i = 0; i < as.length; i++) {
      if (as[i] !== bs[i]) return violation(ctx, 'REL-6', as[i]!.id, `a segment with a bad checksum changed connection ${as[i]!.id} (${bs[i]!.state} → ${as[i]!.state})`);
    }
    return null;
  },
};

export const reliabilityStepInvariants: readonly StepInvariant[] = [rel1, rel2, rel3, rel4, rel5, rel6];
