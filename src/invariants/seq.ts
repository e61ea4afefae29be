/**
 * Sequence-space invariants (family SEQ): the send variables keep their order (SND.UNA ≤ SND.NXT ≤
 * the highest sequence number sent), the retransmission queue describes exactly the unacknowledged
 * space, every emitted segment lies in space that was really sent, acknowledgments carry RCV.NXT,
 * and the variables only move the way RFC 9293 §3.3.1 / §3.10.7.4 lets them. All comparisons are
 * modulo 2^32 through src/wire/seq.ts (DT-2).
 */
import { ACK, FIN, RST, SYN } from '../wire/types.js';
import { seqAdd, seqGe, seqGt, seqLe, seqLt } from '../wire/seq.js';
import type { StepInvariant } from './types.js';
import { connById, connOfInput, dataEnd, eachConn, eachSegment, flagStr, has, hasSendSpace, rel, segSpace, synchronized, violation } from './util.js';

/** End of the last record of the retransmission queue, or null when it is empty. */
function lastSentEnd(sent: readonly { readonly seq: number; readonly len: number }[]): number | null {
  const last = sent[sent.length - 1];
  return last === undefined ? null : seqAdd(last.seq, last.len);
}

export const seq1: StepInvariant = {
  kind: 'step',
  id: 'SEQ-1',
  title: 'SND.UNA ≤ SND.NXT ≤ highest sequence number sent (mod 2^32)',
  rfc: 'RFC 9293 §3.3.1, §3.4',
  behaviours: ['FC-8', 'DT-2'],
  check(ctx) {
    return eachConn(ctx, (_b, c) => {
      if (!hasSendSpace(c.state) || c.state === 'CLOSED') return null;
      if (!seqLe(c.sndUna, c.sndNxt)) {
        return violation(ctx, 'SEQ-1', c.id, `SND.UNA ${rel(c.sndUna, c.iss, 'iss')} is after SND.NXT ${rel(c.sndNxt, c.iss, 'iss')} in ${c.state}`);
      }
      const hi = lastSentEnd(c.sent);
      if (hi === null) {
        if (c.sndNxt !== c.sndUna) {
          return violation(ctx, 'SEQ-1', c.id, `nothing is in the retransmission queue but SND.NXT ${rel(c.sndNxt, c.iss, 'iss')} ≠ SND.UNA ${rel(c.sndUna, c.iss, 'iss')} in ${c.state}`);
        }
      } else if (!seqLe(c.sndNxt, hi)) {
        return violation(ctx, 'SEQ-1', c.id, `SND.NXT ${rel(c.sndNxt, c.iss, 'iss')} is beyond the highest sequence number sent ${rel(hi, c.iss, 'iss')} in ${c.state}`);
      }
      return null;
    });
  },
};

export const seq2: StepInvariant = {
  kind: 'step',
  id: 'SEQ-2',
  title: 'The retransmission queue is the unacknowledged space: contiguous records from SND.UNA on',
  rfc: 'RFC 9293 §3.8.1; RFC 6298 §5',
  behaviours: ['DT-1', 'FC-8'],
  check(ctx) {
    return eachConn(ctx, (_b, c) => {
      if (c.sent.length === 0 || c.state === 'CLOSED') return null;
      const first = c.sent[0]!;
      if (!(seqLe(first.seq, c.sndUna) && seqLt(c.sndUna, seqAdd(first.seq, first.len)))) {
        return violation(ctx, 'SEQ-2', c.id, `first queued record [${rel(first.seq, c.iss, 'iss')}, +${first.len}) does not hold SND.UNA ${rel(c.sndUna, c.iss, 'iss')}`);
      }
      let end = first.seq;
      for (let i = 0; i < c.sent.length; i++) {
        const r = c.sent[i]!;
        if (r.seq !== end) return violation(ctx, 'SEQ-2', c.id, `queued record ${i} starts at ${rel(r.seq, c.iss, 'iss')}, expected ${rel(end, c.iss, 'iss')} (gap or overlap)`);
        if (!(r.len > 0)) return violation(ctx, 'SEQ-2', c.id, `queued record ${i} at ${rel(r.seq, c.iss, 'iss')} has length ${r.len}`);
        end = seqAdd(r.seq, r.len);
      }
      return null;
    });
  },
};

export const seq3: StepInvariant = {
  kind: 'step',
  id: 'SEQ-3',
  title: "Every emitted segment's sequence space lies within what was ever sent (ISS ≤ SEG.SEQ, end ≤ SND.MAX)",
  rfc: 'RFC 9293 §3.4, §3.8.1',
  behaviours: ['DT-2', 'FC-8', 'HS-1'],
  check(ctx) {
    return eachSegment(ctx, (o, c) => {
      if (c === null || has(o.seg.flags, RST) || !hasSendSpace(c.state)) return null;
      const s = o.seg;
      if (has(s.flags, SYN) && s.seq !== c.iss) return violation(ctx, 'SEQ-3', c.id, `SYN sent with SEG.SEQ ${s.seq} ≠ ISS ${c.iss}`);
      if (!seqGe(s.seq, c.iss)) return violation(ctx, 'SEQ-3', c.id, `SEG.SEQ ${s.seq} is before ISS ${c.iss}`);
      const hiQ = lastSentEnd(c.sent);
      const hi = hiQ !== null && seqGt(hiQ, c.sndNxt) ? hiQ : c.sndNxt;
      const end = seqAdd(s.seq, segSpace(s));
      if (!seqLe(end, hi)) {
        return violation(ctx, 'SEQ-3', c.id, `segment [${flagStr(s.flags)}] ends at ${rel(end, c.iss, 'iss')}, beyond the highest sequence number sent ${rel(hi, c.iss, 'iss')}`);
      }
      return null;
    });
  },
};

export const seq4: StepInvariant = {
  kind: 'step',
  id: 'SEQ-4',
  title: "Nothing is sent beyond the application's data and FIN (SND.NXT ≤ write end + FIN; FIN at the write end)",
  rfc: 'RFC 9293 §3.9.1 (SEND, CLOSE)',
  behaviours: ['DT-9', 'CT-1'],
  check(ctx) {
    return eachConn(ctx, (_b, c) => {
      if (!synchronized(c.state) && c.state !== 'SYN-RECEIVED') return null;
      if (c.finSeq !== null && c.finSeq !== c.writeSeq) {
        return violation(ctx, 'SEQ-4', c.id, `FIN queued at ${rel(c.finSeq, c.iss, 'iss')} but the write end is ${rel(c.writeSeq, c.iss, 'iss')}`);
      }
      const limit = c.finSeq !== null ? seqAdd(c.writeSeq, 1) : c.writeSeq;
      if (seqGt(c.sndNxt, limit)) {
        return violation(ctx, 'SEQ-4', c.id, `SND.NXT ${rel(c.sndNxt, c.iss, 'iss')} is beyond the application's data${c.finSeq !== null ? ' and FIN' : ''} ending at ${rel(limit, c.iss, 'iss')}`);
      }
      return null;
    });
  },
};

export const seq5: StepInvariant = {
  kind: 'step',
  id: 'SEQ-5',
  title: 'FIN is sent only after close/shutdown, at the sequence number just past the last data byte',
  rfc: 'RFC 9293 §3.6, §3.9.1 (CLOSE)',
  behaviours: ['CT-1', 'CT-3', 'CT-10'],
  check(ctx) {
    return eachSegment(ctx, (o, c) => {
      if (c === null || !has(o.seg.flags, FIN) || has(o.seg.flags, RST)) return null;
      if (c.finSeq === null) return violation(ctx, 'SEQ-5', c.id, `FIN sent at ${rel(dataEnd(o.seg), c.iss, 'iss')} but the application never closed the sending side (finSeq null)`);
      const at = dataEnd(o.seg);
      if (at !== c.finSeq) return violation(ctx, 'SEQ-5', c.id, `FIN sent at ${rel(at, c.iss, 'iss')}, expected finSeq ${rel(c.finSeq, c.iss, 'iss')}`);
      return null;
    });
  },
};

export const seq6: StepInvariant = {
  kind: 'step',
  id: 'SEQ-6',
  title: 'The ACK field is RCV.NXT on every ACK-bearing segment of a synchronized connection',
  rfc: 'RFC 9293 §3.4, §3.10.7.4',
  behaviours: ['DT-1', 'HS-1', 'FC-8'],
  check(ctx) {
    return eachSegment(ctx, (o, c) => {
      if (c === null || !has(o.seg.flags, ACK)) return null;
      if (!synchronized(c.state) && c.state !== 'SYN-RECEIVED') return null;
      // An RST|ACK answering a bad segment acknowledges that segment (RFC 9293 §3.10.7.1 form
      // <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>; Linux tcp_v4_send_reset also in SYN-RECEIVED); RST-1 checks its shape.
      if (has(o.seg.flags, RST) && ctx.input.kind === 'segment' && o.seg.ack === seqAdd(ctx.input.seg.seq, segSpace(ctx.input.seg))) return null;
      // The ACK field is RCV.NXT at the moment the segment leaves: a retransmission triggered while
      // the ACK of an arriving segment is processed goes before its text advances RCV.NXT (RFC 9293
      // §3.10.7.4 order; Linux tcp_ack runs before tcp_data_queue). So any value RCV.NXT held during
      // this step is right, and nothing else.
      const b = connById(ctx.before, c.id);
      const during = b !== null && (synchronized(b.state) || b.state === 'SYN-RECEIVED') && seqGe(o.seg.ack, b.rcvNxt) && seqLe(o.seg.ack, c.rcvNxt);
      if (o.seg.ack !== c.rcvNxt && !during) {
        return violation(ctx, 'SEQ-6', c.id, `segment [${flagStr(o.seg.flags)}] carries SEG.ACK ${rel(o.seg.ack, c.irs, 'irs')} but RCV.NXT is ${rel(c.rcvNxt, c.irs, 'irs')} in ${c.state}`);
      }
      return null;
    });
  },
};

export const seq7: StepInvariant = {
  kind: 'step',
  id: 'SEQ-7',
  title: 'ACK is set on every segment after the first SYN (RST excepted)',
  rfc: 'RFC 9293 §3.10.7.4 ("the ACK bit is always set after the first SYN")',
  behaviours: ['HD-2'],
  check(ctx) {
    return eachSegment(ctx, (o, c) => {
      if (c === null || has(o.seg.flags, RST) || has(o.seg.flags, ACK)) return null;
      if (synchronized(c.state) || c.state === 'SYN-RECEIVED') {
        return violation(ctx, 'SEQ-7', c.id, `segment [${flagStr(o.seg.flags)}] at ${rel(o.seg.seq, c.iss, 'iss')} sent without ACK in ${c.state}`);
      }
      return null;
    });
  },
};

export const seq8: StepInvariant = {
  kind: 'step',
  id: 'SEQ-8',
  title: 'SND.UNA only moves forward, and only to an acknowledgment number that arrived',
  rfc: 'RFC 9293 §3.10.7.4 (ESTABLISHED: SND.UNA ← SEG.ACK)',
  behaviours: ['DT-1', 'FC-8'],
  check(ctx) {
    const inp = ctx.input;
    return eachConn(ctx, (b, c) => {
      if (b === null || b.sndUna === c.sndUna || c.state === 'CLOSED' || !hasSendSpace(b.state)) return null;
      if (!seqGt(c.sndUna, b.sndUna)) return violation(ctx, 'SEQ-8', c.id, `SND.UNA moved back from ${rel(b.sndUna, b.iss, 'iss')} to ${rel(c.sndUna, c.iss, 'iss')}`);
      if (inp.kind !== 'segment' || !has(inp.seg.flags, ACK)) {
        return violation(ctx, 'SEQ-8', c.id, `SND.UNA advanced from ${rel(b.sndUna, b.iss, 'iss')} to ${rel(c.sndUna, c.iss, 'iss')} on a ${inp.kind} input, without an ACK`);
      }
      const owner = connOfInput(ctx.before, inp.src, inp.seg);
      if (owner === null || owner.id !== c.id) return violation(ctx, 'SEQ-8', c.id, `SND.UNA advanced to ${rel(c.sndUna, c.iss, 'iss')} on a segment for another connection`);
      if (c.sndUna !== inp.seg.ack) {
        return violation(ctx, 'SEQ-8', c.id, `SND.UNA advanced to ${rel(c.sndUna, c.iss, 'iss')} but SEG.ACK is ${rel(inp.seg.ack, c.iss, 'iss')}`);
      }
      return null;
    });
  },
};

export const seq9: StepInvariant = {
  kind: 'step',
  id: 'SEQ-9',
  title: 'RCV.NXT never moves backward and moves only when a segment for the connection arrives',
  rfc: 'RFC 9293 §3.3.1, §3.10.7.4 (seventh: RCV.NXT advances over accepted data)',
  behaviours: ['DT-1', 'DT-3', 'FC-8'],
  check(ctx) {
    const inp = ctx.input;
    return eachConn(ctx, (b, c) => {
      if (b === null || !synchronized(b.state) || c.state === 'CLOSED' || b.rcvNxt === c.rcvNxt) return null;
      if (!seqGt(c.rcvNxt, b.rcvNxt)) return violation(ctx, 'SEQ-9', c.id, `RCV.NXT moved back from ${rel(b.rcvNxt, b.irs, 'irs')} to ${rel(c.rcvNxt, c.irs, 'irs')}`);
      if (inp.kind !== 'segment') return violation(ctx, 'SEQ-9', c.id, `RCV.NXT advanced from ${rel(b.rcvNxt, b.irs, 'irs')} to ${rel(c.rcvNxt, c.irs, 'irs')} on a ${inp.kind} input`);
      const owner = connOfInput(ctx.before, inp.src, inp.seg);
      if (owner === null || owner.id !== c.id) return violation(ctx, 'SEQ-9', c.id, `RCV.NXT advanced to ${rel(c.rcvNxt, c.irs, 'irs')} on a segment for another connection`);
      return null;
    });
  },
};

export const seq10: StepInvariant = {
  kind: 'step',
  id: 'SEQ-10',
  title: 'ISS and IRS never change once chosen',
  rfc: 'RFC 9293 §3.4.1',
  behaviours: ['HS-1', 'HS-4', 'HS-5'],
  check(ctx) {
    return eachConn(ctx, (b, c) => {
      if (b === null || c.state === 'CLOSED') return null;
      if (hasSendSpace(b.state) && b.iss !== c.iss) return violation(ctx, 'SEQ-10', c.id, `ISS changed from ${b.iss} to ${c.iss} (${b.state} → ${c.state})`);
      if ((synchronized(b.state) || b.state === 'SYN-RECEIVED') && b.irs !== c.irs) {
        return violation(ctx, 'SEQ-10', c.id, `IRS changed from ${b.irs} to ${c.irs} (${b.state} → ${c.state})`);
      }
      return null;
    });
  },
};

export const seqInvariants: readonly StepInvariant[] = [seq1, seq2, seq3, seq4, seq5, seq6, seq7, seq8, seq9, seq10];
