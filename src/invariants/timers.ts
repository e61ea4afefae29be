/**
 * Timer invariants (family TMR): the RTO stays in [RTO min, RTO max] and doubles on each timeout
 * (Linux's linear SYN timeouts as a profile extra), no RTT sample comes from a retransmitted
 * segment (Karn), TIME-WAIT lasts the profile's 2·MSL and restarts on a retransmitted FIN, the
 * endpoint's deadline never lets a timer slip, an orphaned FIN-WAIT-2 times out (and only an
 * orphan), anything outstanding has the retransmission timer armed, and SYN / SYN-ACK retries are
 * bounded. RFC 6298, RFC 9293 §3.8.1, §3.10.7.4, §3.10.8, RFC 7323 §4.
 */
import type { Conn } from '../model/types.js';
import type { Profile } from '../model/profile-type.js';
import { ACK, FIN, RST, SYN } from '../wire/types.js';
import { seqAdd, seqLe, seqLt } from '../wire/seq.js';
import type { StepContext, StepInvariant, Violation } from './types.js';
import { connById, connOfInput, connOfOutput, dataEnd, eachConn, has, rel, roundUp, violation } from './util.js';

function rtoFloor(p: Profile): number {
  return Math.min(p.rtoMin, p.initialRto);
}

function rtoApplies(c: Conn): boolean {
  return c.state !== 'CLOSED' && c.state !== 'LISTEN' && c.state !== 'TIME-WAIT';
}

export const tmr1: StepInvariant = {
  kind: 'step',
  id: 'TMR-1',
  title: 'RTO stays within [RTO min, RTO max], and no retransmission timer is set beyond RTO max',
  rfc: 'RFC 6298 §2.4, §2.5; tcp_input.c:tcp_set_rto, include/net/tcp.h TCP_RTO_MIN/TCP_RTO_MAX',
  behaviours: ['DT-5'],
  check(ctx) {
    const p = ctx.before.profile;
    const lo = rtoFloor(p);
    return eachConn(ctx, (b, c) => {
      if (!rtoApplies(c)) return null;
      if (!(c.rto >= lo && c.rto <= p.rtoMax)) return violation(ctx, 'TMR-1', c.id, `RTO ${c.rto} µs outside [${lo}, ${p.rtoMax}] µs in ${c.state}`);
      if (c.retransmitAt !== null && (b === null || b.retransmitAt !== c.retransmitAt)) {
        const d = c.retransmitAt - ctx.now;
        if (d > roundUp(p.rtoMax, p.timerGranularity)) return violation(ctx, 'TMR-1', c.id, `retransmission timer set ${d} µs ahead, beyond RTO max ${p.rtoMax} µs`);
      }
      return null;
    });
  },
};

export const tmr2: StepInvariant = {
  kind: 'step',
  id: 'TMR-2',
  title: 'Each retransmission timeout doubles the RTO up to RTO max (Linux: the first SYN timeouts are linear)',
  rfc: 'RFC 6298 §5.5; RFC 9293 §3.8.1; tcp_timer.c:tcp_retransmit_timer (tcp_syn_linear_timeouts), inet_connection_sock.c:reqsk_timer_handler',
  behaviours: ['DT-5', 'HS-5', 'HS-6', 'HS-7', 'CT-5'],
  check(ctx) {
    if (ctx.input.kind !== 'timer') return null;
    const p = ctx.before.profile;
    const g = p.timerGranularity;
    return eachConn(ctx, (b, c) => {
      if (b === null || c.retransmits !== b.retransmits + 1 || !rtoApplies(c)) return null;
      if (c.state === 'SYN-RECEIVED' && c.parent !== null) {
        const want = roundUp(Math.min(p.initialRto * 2 ** c.retransmits, p.rtoMax), g);
        const got = c.retransmitAt === null ? null : c.retransmitAt - ctx.now;
        if (got !== want) return violation(ctx, 'TMR-2', c.id, `SYN-ACK timeout ${c.retransmits}: next timer in ${got} µs, expected initial RTO << ${c.retransmits} = ${want} µs`);
        return null;
      }
      const linear = b.state === 'SYN-SENT' && c.retransmits <= p.synLinearTimeouts;
      const want = linear ? b.rto : Math.min(2 * b.rto, p.rtoMax);
      if (c.rto !== want) {
        return violation(ctx, 'TMR-2', c.id, `timeout ${c.retransmits} in ${b.state}: RTO ${b.rto} → ${c.rto} µs, expected ${want} µs${linear ? ' (linear SYN timeout)' : ' (doubled, capped at RTO max)'}`);
      }
      if (c.retransmitAt === null) return violation(ctx, 'TMR-2', c.id, `timeout ${c.retransmits} in ${b.state}: retransmission timer not re-armed`);
      const d = c.retransmitAt - ctx.now;
      if (d !== roundUp(c.rto, g)) return violation(ctx, 'TMR-2', c.id, `timeout ${c.retransmits}: timer re-armed ${d} µs ahead, RTO is ${c.rto} µs`);
      return null;
    });
  },
};

/** Does the ACK segment of this step newly acknowledge (cumulatively or by SACK) a record never retransmitted? */
function freshSampleSource(ctx: StepContext, b: Conn): boolean {
  const inp = ctx.input;
  if (inp.kind !== 'segment' || !has(inp.seg.flags, ACK)) return false;
  const ack = inp.seg.ack;
  for (const r of b.sent) {
    const end = seqAdd(r.seq, r.len);
    if (!r.retransmitted && seqLe(end, ack) && seqLt(b.sndUna, end)) return true;
  }
  for (const o of inp.seg.options) {
    if (o.kind !== 'sack') continue;
    for (const blk of o.blocks) {
      for (const r of b.sent) {
        if (!r.retransmitted && seqLe(blk.left, r.seq) && seqLe(seqAdd(r.seq, r.len), blk.right)) return true;
      }
    }
  }
  return false;
}

function tsEcho(ctx: StepContext): boolean {
  const inp = ctx.input;
  if (inp.kind !== 'segment') return false;
  for (const o of inp.seg.options) if (o.kind === 'ts' && o.ecr !== 0) return true;
  return false;
}

export const tmr3: StepInvariant = {
  kind: 'step',
  id: 'TMR-3',
  title: "No RTT sample from a retransmitted segment (Karn), unless a timestamp echo identifies the transmission",
  rfc: 'RFC 6298 §3 (Karn); RFC 7323 §4.1 (RTTM)',
  behaviours: ['DT-5', 'HD-4'],
  check(ctx) {
    return eachConn(ctx, (b, c) => {
      if (b === null || c.state === 'CLOSED' || (b.srtt === c.srtt && b.rttvar === c.rttvar)) return null;
      // RFC 6298 §5.7 / tcp_init_metrics: a handshake without a valid sample leaves SRTT unset and
      // moves the variance to the fallback RTO (3 s): that is Karn applied, not a sample.
      if (b.srtt === 0 && c.srtt === 0 && c.rto === ctx.before.profile.fallbackRto) return null;
      const inp = ctx.input;
      if (inp.kind !== 'segment') return violation(ctx, 'TMR-3', c.id, `SRTT ${b.srtt} → ${c.srtt} µs changed on a ${inp.kind} input (no ACK, no sample)`);
      const owner = connOfInput(ctx.before, inp.src, inp.seg);
      if (owner === null || owner.id !== c.id) return violation(ctx, 'TMR-3', c.id, `SRTT ${b.srtt} → ${c.srtt} µs changed on a segment for another connection`);
      if (freshSampleSource(ctx, b)) return null;
      if (c.tsOk && tsEcho(ctx)) return null;
      return violation(ctx, 'TMR-3', c.id, `RTT sample taken (SRTT ${b.srtt} → ${c.srtt} µs) from an ACK (${rel(inp.seg.ack, b.iss, 'iss')}) that acknowledges only retransmitted segments, without timestamps`);
    });
  },
};

function twWindow(p: Profile): [number, number] {
  return [p.timeWaitLen, roundUp(p.timeWaitLen, p.timerGranularity)];
}

export const tmr4: StepInvariant = {
  kind: 'step',
  id: 'TMR-4',
  title: "TIME-WAIT lasts the profile's 2·MSL: armed on entry, left on its timer (or an RST / new SYN)",
  rfc: 'RFC 9293 §3.3.2, §3.10.8 (2 MSL); include/net/tcp.h TCP_TIMEWAIT_LEN',
  behaviours: ['CT-2', 'CT-12'],
  check(ctx) {
    const p = ctx.before.profile;
    const [lo, hi] = twWindow(p);
    const v = eachConn(ctx, (b, c): Violation | null => {
      if (c.state === 'TIME-WAIT') {
        if (c.timeWaitAt === null) return violation(ctx, 'TMR-4', c.id, 'in TIME-WAIT without the TIME-WAIT timer');
        if (b === null || b.state !== 'TIME-WAIT') {
          const d = c.timeWaitAt - ctx.now;
          if (d < lo || d > hi) return violation(ctx, 'TMR-4', c.id, `entered TIME-WAIT for ${d} µs, profile ${p.name} says ${p.timeWaitLen} µs`);
        }
        return null;
      }
      if (b !== null && b.state === 'TIME-WAIT') return leftTimeWait(ctx, b, c.state);
      return null;
    });
    if (v !== null) return v;
    for (const b of ctx.before.conns) {
      if (b.state === 'TIME-WAIT' && connById(ctx.after, b.id) === null) {
        const w = leftTimeWait(ctx, b, 'CLOSED');
        if (w !== null) return w;
      }
    }
    return null;
  },
};

function leftTimeWait(ctx: StepContext, b: Conn, to: string): Violation | null {
  const inp = ctx.input;
  if (inp.kind === 'timer') {
    if (b.timeWaitAt !== null && ctx.now >= b.timeWaitAt) return null;
    return violation(ctx, 'TMR-4', b.id, `left TIME-WAIT for ${to} at ${ctx.now} µs, before its timer (${b.timeWaitAt ?? 'unarmed'})`);
  }
  if (inp.kind === 'segment' && (has(inp.seg.flags, RST) || has(inp.seg.flags, SYN))) {
    const owner = connOfInput(ctx.before, inp.src, inp.seg);
    if (owner !== null && owner.id === b.id) return null;
  }
  return violation(ctx, 'TMR-4', b.id, `left TIME-WAIT for ${to} on a ${inp.kind} input before its timer (${b.timeWaitAt ?? 'unarmed'})`);
}

export const tmr5: StepInvariant = {
  kind: 'step',
  id: 'TMR-5',
  title: 'In TIME-WAIT a retransmitted FIN is acknowledged again and restarts the 2·MSL timer',
  rfc: 'RFC 9293 §3.10.7.4 (eighth, TIME-WAIT); tcp_minisocks.c:tcp_timewait_state_process',
  behaviours: ['CT-2'],
  check(ctx) {
    const inp = ctx.input;
    if (inp.kind !== 'segment' || inp.checksumOk === false) return null;
    const s = inp.seg;
    if (!has(s.flags, FIN) || has(s.flags, RST) || has(s.flags, SYN) || !has(s.flags, ACK)) return null;
    const b = connOfInput(ctx.before, inp.src, s);
    if (b === null || b.state !== 'TIME-WAIT' || dataEnd(s) !== seqAdd(b.rcvNxt, -1)) return null;
    if (b.tsOk) {
      for (const o of s.options) if (o.kind === 'ts' && seqLt(o.val, b.tsRecent)) return null; // PAWS drop (RFC 7323 §5)
    }
    const c = connById(ctx.after, b.id);
    if (c === null || c.state !== 'TIME-WAIT') return null;
    const p = ctx.before.profile;
    const [lo, hi] = twWindow(p);
    const d = c.timeWaitAt === null ? null : c.timeWaitAt - ctx.now;
    if (d === null || d < lo || d > hi) return violation(ctx, 'TMR-5', c.id, `retransmitted FIN in TIME-WAIT: timer ${d === null ? 'unarmed' : `${d} µs ahead`}, expected a restart to ${p.timeWaitLen} µs`);
    for (const o of ctx.outputs) {
      if (o.kind === 'segment' && has(o.seg.flags, ACK) && !has(o.seg.flags, RST) && connOfOutput(ctx.after, o)?.id === c.id) return null;
    }
    return violation(ctx, 'TMR-5', c.id, 'retransmitted FIN in TIME-WAIT was not acknowledged');
  },
};

function earliest(t: number | null, x: number | null): number | null {
  return x !== null && (t === null || x < t) ? x : t;
}

/** The earliest armed timer of a connection (no allocation). */
function armed(c: Conn): number | null {
  return earliest(earliest(earliest(c.retransmitAt, c.delayedAckAt), c.timeWaitAt), c.finWait2At);
}

export const tmr6: StepInvariant = {
  kind: 'step',
  id: 'TMR-6',
  title: 'No timer slips: the returned deadline is no later than any armed timer, and a timer step fires every due timer',
  rfc: 'RFC 9293 §3.8.1, §3.10.8 (timeouts); api.ts step contract',
  behaviours: ['DT-5', 'DT-12', 'CT-2', 'CT-6'],
  check(ctx) {
    const timerStep = ctx.input.kind === 'timer';
    for (const c of ctx.after.conns) {
      const t = armed(c);
      if (t === null) continue;
      if (ctx.deadline !== undefined && (ctx.deadline === null || ctx.deadline > t)) {
        return violation(ctx, 'TMR-6', c.id, `a timer of ${c.state} connection ${c.id} is due at ${t} µs but the endpoint's deadline is ${ctx.deadline ?? 'null'}`);
      }
      if (timerStep && t <= ctx.now) return violation(ctx, 'TMR-6', c.id, `after a timer step at ${ctx.now} µs a timer due at ${t} µs is still armed (${c.state})`);
    }
    return null;
  },
};

export const tmr7: StepInvariant = {
  kind: 'step',
  id: 'TMR-7',
  title: 'An orphaned FIN-WAIT-2 times out within max(tcp_fin_timeout, 3.5·RTO); after shutdown(SHUT_WR) it waits for the peer',
  rfc: 'RFC 9293 §3.10.8 (user timeout); tcp.h:tcp_fin_time, tcp_timer.c:tcp_keepalive_timer',
  behaviours: ['CT-6'],
  check(ctx) {
    const p = ctx.before.profile;
    return eachConn(ctx, (_b, c) => {
      if (c.state !== 'FIN-WAIT-2') return null;
      if (c.fd === null) {
        if (c.finWait2At === null) return violation(ctx, 'TMR-7', c.id, 'orphaned FIN-WAIT-2 without the FIN-WAIT-2 timer');
        // tcp.h:tcp_fin_time: tcp_fin_timeout, but at least 3.5 RTO.
        const limit = roundUp(Math.max(p.finTimeout, Math.floor(3.5 * c.rto)), p.timerGranularity);
        const d = c.finWait2At - ctx.now;
        if (d > limit) return violation(ctx, 'TMR-7', c.id, `orphaned FIN-WAIT-2 timer ${d} µs ahead, beyond max(tcp_fin_timeout ${p.finTimeout}, 3.5·RTO ${Math.floor(3.5 * c.rto)}) µs`);
        return null;
      }
      if (c.finWait2At !== null) return violation(ctx, 'TMR-7', c.id, `FIN-WAIT-2 with fd ${c.fd} (shutdown, not orphaned) has a FIN-WAIT-2 timer at ${c.finWait2At} µs`);
      return null;
    });
  },
};

function retransmitting(c: Conn): boolean {
  switch (c.state) {
    case 'SYN-SENT':
    case 'SYN-RECEIVED':
    case 'ESTABLISHED':
    case 'FIN-WAIT-1':
    case 'CLOSE-WAIT':
    case 'CLOSING':
    case 'LAST-ACK':
      return true;
    default:
      return false;
  }
}

export const tmr8: StepInvariant = {
  kind: 'step',
  id: 'TMR-8',
  title: 'While anything (SYN, data, FIN) is unacknowledged, the retransmission timer is armed',
  rfc: 'RFC 6298 §5.1; RFC 9293 §3.8.1',
  behaviours: ['DT-5', 'HS-5', 'HS-7', 'CT-5', 'KA-3'],
  check(ctx) {
    return eachConn(ctx, (_b, c) => {
      if (!retransmitting(c) || c.sent.length === 0 || c.retransmitAt !== null) return null;
      return violation(ctx, 'TMR-8', c.id, `${c.sent.length} unacknowledged segments from ${rel(c.sndUna, c.iss, 'iss')} in ${c.state} and no retransmission timer`);
    });
  },
};

export const tmr9: StepInvariant = {
  kind: 'step',
  id: 'TMR-9',
  title: 'SYN and SYN-ACK retransmissions stop at the profile limits (tcp_syn_retries + linear timeouts, tcp_synack_retries)',
  rfc: 'RFC 9293 §3.8.3 (R2 for SYN); tcp_timer.c:tcp_write_timeout, inet_connection_sock.c:reqsk_timer_handler',
  behaviours: ['HS-5', 'HS-6', 'HS-12', 'LQ-7'],
  check(ctx) {
    const p = ctx.before.profile;
    return eachConn(ctx, (_b, c) => {
      if (c.state === 'SYN-SENT' && c.retransmits > p.synRetries + p.synLinearTimeouts) {
        return violation(ctx, 'TMR-9', c.id, `${c.retransmits} SYN retransmissions, limit ${p.synRetries} + ${p.synLinearTimeouts} linear`);
      }
      if (c.state === 'SYN-RECEIVED' && c.parent !== null && c.retransmits > p.synAckRetries) {
        return violation(ctx, 'TMR-9', c.id, `${c.retransmits} SYN-ACK timeouts, limit tcp_synack_retries ${p.synAckRetries}`);
      }
      return null;
    });
  },
};

export const timerInvariants: readonly StepInvariant[] = [tmr1, tmr2, tmr3, tmr4, tmr5, tmr6, tmr7, tmr8, tmr9];
