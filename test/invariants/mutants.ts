/**
 * Mutants: deliberately broken models, one per invariant, each a step wrapper around the real
 * model that corrupts its state or outputs in one targeted way (or feeds it a doctored endpoint or
 * input while the invariants see the true ones). `MUTANTS` pairs each invariant ID with its mutant
 * and the small scenario on which the invariant must catch it and hold on the real model.
 */
import type { Input, Micros, Output, StepResult } from '../../src/model/api.js';
import type { Conn, Endpoint } from '../../src/model/types.js';
import type { Segment } from '../../src/wire/types.js';
import { ACK, FIN, RST, SYN } from '../../src/wire/types.js';
import { seqAdd, seqGt } from '../../src/wire/seq.js';
import { advertisedEdge } from '../../src/invariants/window.js';
import type { StepFn } from './harness.js';
import type { Scenario } from './scenarios.js';
import * as S from './scenarios.js';

export interface Mutant {
  /** The invariant that must catch it. */
  readonly id: string;
  /** What is broken, in a few words (the test name and docs/invariants.md). */
  readonly name: string;
  readonly scenario: Scenario;
  readonly wrap: (s: StepFn) => StepFn;
}

type R = StepResult<Endpoint>;

const mapConns = (ep: Endpoint, f: (c: Conn) => Conn): Endpoint => ({ ...ep, conns: ep.conns.map(f) });
const byId = (ep: Endpoint, id: number): Conn | undefined => ep.conns.find((c) => c.id === id);
const isSeg = (o: Output): o is Extract<Output, { kind: 'segment' }> => o.kind === 'segment';
const has = (flags: number, bit: number): boolean => (flags & bit) !== 0;
const synced = (c: Conn): boolean => ['ESTABLISHED', 'FIN-WAIT-1', 'FIN-WAIT-2', 'CLOSE-WAIT', 'CLOSING', 'LAST-ACK', 'TIME-WAIT'].includes(c.state);

/** Corrupt the result (state and outputs) after the real step. */
const post = (f: (r: R, before: Endpoint, input: Input, now: Micros) => R) => (s: StepFn): StepFn => (ep, input, now) => f(s(ep, input, now), ep, input, now);

/** Corrupt each connection of the result, seeing its version before the step. */
const postConn = (f: (c: Conn, b: Conn | undefined, input: Input, now: Micros, ep: Endpoint) => Conn) =>
  post((r, before, input, now) => ({ ...r, endpoint: mapConns(r.endpoint, (c) => f(c, byId(before, c.id), input, now, before)) }));

/** Rewrite each output segment. */
const postSeg = (f: (seg: Segment, o: Extract<Output, { kind: 'segment' }>, r: R, before: Endpoint) => Segment) =>
  post((r, before) => ({ ...r, outputs: r.outputs.map((o) => (isSeg(o) ? { ...o, seg: f(o.seg, o, r, before) } : o)) }));

/** Feed the real step a doctored endpoint; copy `restore` fields back from an honest run. */
const doctor = (f: (c: Conn) => Conn, restore: readonly (keyof Conn)[]) => (s: StepFn): StepFn => (ep, input, now) => {
  const honest = s(ep, input, now);
  const m = s(mapConns(ep, f), input, now);
  return {
    ...m,
    endpoint: mapConns(m.endpoint, (c) => {
      const h = byId(honest.endpoint, c.id);
      const b = byId(ep, c.id);
      const src = h ?? b;
      if (src === undefined) return c;
      const out: Record<string, unknown> = { ...c };
      for (const k of restore) out[k] = src[k];
      return out as unknown as Conn;
    }),
  };
};

/** Feed the real step a doctored input (the invariants see the true one). */
const doctorInput = (f: (input: Input, ep: Endpoint) => Input) => (s: StepFn): StepFn => (ep, input, now) => s(ep, f(input, ep), now);

const earliestTimer = (ep: Endpoint): number | null => {
  let t: number | null = null;
  for (const c of ep.conns) for (const x of [c.retransmitAt, c.delayedAckAt, c.timeWaitAt, c.finWait2At]) if (x !== null && (t === null || x < t)) t = x;
  return t;
};

const dataSeg = (seg: Segment): boolean => seg.len > 0 && !has(seg.flags, SYN) && !has(seg.flags, RST);
const pureAck = (seg: Segment): boolean => seg.len === 0 && seg.flags === ACK;
const onRto = (input: Input, b: Conn | undefined, c: Conn): b is Conn => input.kind === 'timer' && b !== undefined && synced(b) && c.retransmits === b.retransmits + 1;
const segInput = (input: Input): input is Extract<Input, { kind: 'segment' }> => input.kind === 'segment';
const connOf = (ep: Endpoint, input: Input): Conn | undefined =>
  segInput(input) ? ep.conns.find((c) => c.state !== 'LISTEN' && c.remoteAddr === input.src && c.localPort === input.seg.dstPort && c.remotePort === input.seg.srcPort) : undefined;

export const MUTANTS: readonly Mutant[] = [
  // ── SEQ ──
  { id: 'SEQ-1', name: 'SND.NXT advanced by send() without sending', scenario: S.transfer, wrap: postConn((c, _b, i) => (i.kind === 'call' && i.call.op === 'send' && synced(c) ? { ...c, sndNxt: seqAdd(c.sndNxt, 1) } : c)) },
  { id: 'SEQ-2', name: 'retransmission queue loses its head record', scenario: S.transfer, wrap: postConn((c) => (c.sent.length >= 2 && synced(c) ? { ...c, sent: c.sent.slice(1) } : c)) },
  { id: 'SEQ-3', name: 'a data segment 100 kB beyond anything sent', scenario: S.transfer, wrap: postSeg((seg) => (dataSeg(seg) ? { ...seg, seq: seqAdd(seg.seq, 100_000) } : seg)) },
  { id: 'SEQ-4', name: "write end one byte behind SND.NXT (a phantom byte sent)", scenario: S.smallTransfer, wrap: postConn((c) => (c.state === 'ESTABLISHED' && c.finSeq === null && c.sndNxt === c.writeSeq && c.sndNxt !== seqAdd(c.iss, 1) ? { ...c, writeSeq: seqAdd(c.writeSeq, -1) } : c)) },
  { id: 'SEQ-5', name: 'FIN set on data segments before close()', scenario: S.transfer, wrap: postSeg((seg, o, r) => { const c = r.endpoint.conns.find((x) => x.localPort === seg.srcPort && x.remoteAddr === o.dst); return dataSeg(seg) && c !== undefined && c.finSeq === null ? { ...seg, flags: seg.flags | FIN } : seg; }) },
  { id: 'SEQ-6', name: 'acks RCV.NXT + 1', scenario: S.transfer, wrap: postSeg((seg) => (has(seg.flags, ACK) && !has(seg.flags, SYN) && !has(seg.flags, RST) ? { ...seg, ack: seqAdd(seg.ack, 1) } : seg)) },
  { id: 'SEQ-7', name: 'ACK flag cleared on data segments', scenario: S.transfer, wrap: postSeg((seg) => (dataSeg(seg) ? { ...seg, flags: seg.flags & ~ACK } : seg)) },
  { id: 'SEQ-8', name: 'any new ACK acknowledges everything sent', scenario: S.bigTransfer, wrap: postConn((c, b) => (b !== undefined && synced(c) && c.sndUna !== b.sndUna && c.sndUna !== c.sndNxt ? { ...c, sndUna: c.sndNxt, sent: [] } : c)) },
  { id: 'SEQ-9', name: 'RCV.NXT steps back one byte after data', scenario: S.transfer, wrap: postConn((c, b) => (b !== undefined && synced(b) && seqGt(c.rcvNxt, b.rcvNxt) ? { ...c, rcvNxt: seqAdd(b.rcvNxt, -1) } : c)) },
  { id: 'SEQ-10', name: 'a new ISS chosen on SYN retransmission', scenario: S.silentPeer, wrap: postConn((c, b, i) => (i.kind === 'timer' && b !== undefined && b.state === 'SYN-SENT' && c.state === 'SYN-SENT' ? { ...c, iss: seqAdd(c.iss, 7) } : c)) },
  // ── WIN ──
  { id: 'WIN-1', name: "sender ignores the peer's window", scenario: S.smallPeerWindow, wrap: doctor((c) => (synced(c) ? { ...c, sndWnd: 1 << 30 } : c), ['sndWnd']) },
  { id: 'WIN-2', name: 'sender ignores cwnd', scenario: S.bigTransfer, wrap: doctor((c) => (synced(c) ? { ...c, cwnd: 1000 } : c), ['cwnd']) },
  {
    id: 'WIN-3',
    name: 'advertises a right edge one unit left of the previous one',
    scenario: S.transfer,
    wrap: postSeg((seg, o, _r, before) => {
      if (!has(seg.flags, ACK) || has(seg.flags, SYN) || has(seg.flags, RST)) return seg;
      const b = before.conns.find((c) => c.localPort === seg.srcPort && c.remotePort === seg.dstPort && c.remoteAddr === o.dst);
      if (b === undefined || !synced(b)) return seg;
      const unit = 2 ** b.rcvWscale;
      const field = Math.floor(((advertisedEdge(b) - seg.ack) >>> 0) / unit) - 1;
      return field >= 0 && field <= 0xffff ? { ...seg, window: field } : seg;
    }),
  },
  { id: 'WIN-4', name: 'receiver accepts data beyond its window', scenario: S.beyondWindow, wrap: doctor((c) => (synced(c) ? { ...c, rcvWnd: 1 << 30 } : c), []) },
  { id: 'WIN-5', name: 'window-scale shift 15 announced in the SYN', scenario: S.transfer, wrap: postSeg((seg) => (has(seg.flags, SYN) ? { ...seg, options: seg.options.map((o) => (o.kind === 'wscale' ? { ...o, shift: 15 } : o)) } : seg)) },
  { id: 'WIN-6', name: 'SND.WND inflated by 1000 on each window update', scenario: S.transfer, wrap: postConn((c, b) => (b !== undefined && c.sndWnd !== b.sndWnd ? { ...c, sndWnd: c.sndWnd + 1000 } : c)) },
  // ── FSM ──
  {
    id: 'FSM-1',
    name: 'close() goes ESTABLISHED → LAST-ACK',
    scenario: S.transfer,
    wrap: post((r) => {
      const t = r.outputs.find((o) => o.kind === 'transition' && o.from === 'ESTABLISHED' && o.to === 'FIN-WAIT-1');
      if (t === undefined || t.kind !== 'transition') return r;
      return {
        ...r,
        outputs: r.outputs.map((o) => (o === t ? { ...t, to: 'LAST-ACK' as const } : o)),
        endpoint: mapConns(r.endpoint, (c) => (c.id === t.conn && c.state === 'FIN-WAIT-1' ? { ...c, state: 'LAST-ACK' } : c)),
      };
    }),
  },
  { id: 'FSM-2', name: 'state changes without transition outputs', scenario: S.transfer, wrap: post((r) => ({ ...r, outputs: r.outputs.filter((o) => o.kind !== 'transition') })) },
  {
    id: 'FSM-3',
    name: 'FIN-WAIT-1 + FIN (ours unacked) goes to TIME-WAIT instead of CLOSING',
    scenario: S.simultaneousClose,
    wrap: post((r, before, _i, now) => {
      const t = r.outputs.find((o) => o.kind === 'transition' && o.from === 'FIN-WAIT-1' && o.to === 'CLOSING');
      if (t === undefined || t.kind !== 'transition') return r;
      return {
        ...r,
        outputs: r.outputs.map((o) => (o === t ? { ...t, to: 'TIME-WAIT' as const } : o)),
        endpoint: mapConns(r.endpoint, (c) => (c.id === t.conn ? { ...c, state: 'TIME-WAIT', retransmitAt: null, sent: [], timeWaitAt: now + before.profile.timeWaitLen } : c)),
        deadline: Math.min(r.deadline ?? Infinity, now + before.profile.timeWaitLen),
      };
    }),
  },
  { id: 'FSM-4', name: 'SYN-ACK carries 10 bytes of data', scenario: S.passiveOpen, wrap: postSeg((seg) => (has(seg.flags, SYN) && has(seg.flags, ACK) ? { ...seg, len: 10 } : seg)) },
  {
    id: 'FSM-5',
    name: "'connected' reported as soon as the SYN is sent",
    scenario: S.transfer,
    wrap: post((r) => {
      const t = r.outputs.find((o) => o.kind === 'transition' && o.to === 'SYN-SENT' && o.fd !== undefined);
      return t !== undefined && t.kind === 'transition' && t.fd !== undefined ? { ...r, outputs: [...r.outputs, { kind: 'event', fd: t.fd, event: 'connected' }] } : r;
    }),
  },
  // ── REL ──
  { id: 'REL-1', name: 'in-order data enters the receive queue twice', scenario: S.transfer, wrap: postConn((c, b) => (b !== undefined && c.readable > b.readable ? { ...c, readable: 2 * c.readable - b.readable } : c)) },
  {
    id: 'REL-2',
    name: 'out-of-order data delivered across the hole',
    scenario: S.outOfOrder,
    wrap: postConn((c, b) => {
      const last = c.ooo[c.ooo.length - 1];
      if (b === undefined || last === undefined || c.ooo.length <= b.ooo.length) return c;
      return { ...c, rcvNxt: last.right, ooo: [], readable: c.readable + ((last.right - c.rcvNxt) >>> 0) };
    }),
  },
  { id: 'REL-3', name: 'a stale out-of-order block kept after the hole fills', scenario: S.outOfOrder, wrap: postConn((c, b) => (b !== undefined && b.ooo.length > 0 && c.ooo.length === 0 ? { ...c, ooo: b.ooo } : c)) },
  {
    id: 'REL-4',
    name: 'acknowledged data retransmitted on each new ACK',
    scenario: S.bigTransfer,
    wrap: post((r, before) => {
      const extra: Output[] = [];
      for (const c of r.endpoint.conns) {
        const b = byId(before, c.id);
        if (b === undefined || !synced(c) || !seqGt(c.sndUna, b.sndUna) || b.state !== 'ESTABLISHED') continue;
        const len = Math.min(100, (c.sndUna - b.sndUna) >>> 0);
        extra.push({ kind: 'segment', src: r.endpoint.addr, dst: c.remoteAddr ?? '', seg: { srcPort: c.localPort, dstPort: c.remotePort, seq: b.sndUna, ack: c.rcvNxt, flags: ACK, window: 0, urgent: 0, options: [], len } });
      }
      return extra.length === 0 ? r : { ...r, outputs: [...r.outputs, ...extra] };
    }),
  },
  {
    id: 'REL-5',
    name: 'recv() reports end-of-file when nothing is buffered yet',
    scenario: S.smallTransfer,
    wrap: (s) => (ep, input, now) => {
      const r = s(ep, input, now);
      if (input.kind !== 'call' || input.call.op !== 'recv') return r;
      return { ...r, outputs: r.outputs.map((o) => (o.kind === 'result' && !o.result.ok && o.result.errno === 'EAGAIN' ? { ...o, result: { ok: true, value: 0 } } : o)) };
    },
  },
  { id: 'REL-6', name: 'corrupted segments processed as valid', scenario: S.corrupted, wrap: doctorInput((i) => (segInput(i) && i.checksumOk === false ? { kind: 'segment', src: i.src, dst: i.dst, seg: i.seg } : i)) },
  { id: 'REL-7', name: 'recv() returns 100 bytes more than it read', scenario: S.transfer, wrap: post((r, _b, i) => (i.kind === 'call' && i.call.op === 'recv' ? { ...r, outputs: r.outputs.map((o) => (o.kind === 'result' && o.result.ok && o.result.value > 0 ? { ...o, result: { ok: true, value: o.result.value + 100 } } : o)) } : r)) },
  {
    id: 'REL-8',
    name: 'send() reports every byte accepted while the buffer took fewer',
    scenario: S.bigTransfer,
    wrap: post((r, _b, i) => (i.kind === 'call' && i.call.op === 'send' ? { ...r, outputs: r.outputs.map((o) => (o.kind === 'result' && o.result.ok ? { ...o, result: { ok: true, value: i.call.op === 'send' ? i.call.bytes : 0 } } : o)) } : r)),
  },
  // ── TMR ──
  { id: 'TMR-1', name: 'RTO set to half the minimum after an RTT sample', scenario: S.transfer, wrap: postConn((c, b, _i, _n, ep) => (b !== undefined && c.srtt !== b.srtt ? { ...c, rto: Math.floor(ep.profile.rtoMin / 2) } : c)) },
  { id: 'TMR-2', name: 'no exponential backoff on timeout', scenario: S.partitioned, wrap: postConn((c, b, i, now) => (onRto(i, b, c) && c.state !== 'CLOSED' ? { ...c, rto: b.rto, retransmitAt: now + b.rto } : c)) },
  {
    id: 'TMR-3',
    name: 'RTT sampled from the ACK of a retransmitted segment',
    scenario: S.partitionedNoTs,
    wrap: postConn((c, b, i, now) => {
      if (b === undefined || !segInput(i) || !synced(c) || c.sndUna === b.sndUna || c.srtt !== b.srtt || b.sent.length === 0) return c;
      // RFC 6298 §2.3 update from the (ambiguous) retransmitted segment's ACK.
      const m = Math.max(1, now - b.sent[0]!.sentAt);
      if (b.srtt === 0) return { ...c, srtt: m, rttvar: m / 2 };
      return { ...c, rttvar: (3 * b.rttvar + Math.abs(b.srtt - m)) / 4, srtt: (7 * b.srtt + m) / 8 };
    }),
  },
  { id: 'TMR-4', name: 'TIME-WAIT lasts half the profile length', scenario: S.timeWait, wrap: postConn((c, b, _i, now, ep) => (c.state === 'TIME-WAIT' && (b === undefined || b.state !== 'TIME-WAIT') ? { ...c, timeWaitAt: now + ep.profile.timeWaitLen / 2 } : c)) },
  { id: 'TMR-5', name: 'retransmitted FIN does not restart TIME-WAIT', scenario: S.timeWait, wrap: postConn((c, b) => (c.state === 'TIME-WAIT' && b !== undefined && b.state === 'TIME-WAIT' ? { ...c, timeWaitAt: b.timeWaitAt } : c)) },
  { id: 'TMR-6', name: 'deadline reported 1 s late', scenario: S.silentPeer, wrap: post((r) => (r.deadline === null ? r : { ...r, deadline: r.deadline + 1_000_000 })) },
  { id: 'TMR-7', name: 'orphaned FIN-WAIT-2 never gets its timer', scenario: S.finWait2, wrap: postConn((c) => (c.state === 'FIN-WAIT-2' && c.fd === null ? { ...c, finWait2At: null } : c)) },
  { id: 'TMR-8', name: 'retransmission timer never armed', scenario: S.transfer, wrap: post((r) => { const endpoint = mapConns(r.endpoint, (c) => (c.retransmitAt === null ? c : { ...c, retransmitAt: null })); return { ...r, endpoint, deadline: earliestTimer(endpoint) }; }) },
  {
    id: 'TMR-9',
    name: 'tcp_syn_retries ignored',
    scenario: S.silentPeer,
    wrap: (s) => (ep, input, now) => {
      const r = s({ ...ep, profile: { ...ep.profile, synRetries: 30 } }, input, now);
      return { ...r, endpoint: { ...r.endpoint, profile: ep.profile } };
    },
  },
  // ── CC ──
  { id: 'CC-1', name: 'cwnd 0 after a timeout', scenario: S.partitioned, wrap: postConn((c, b, i) => (onRto(i, b, c) ? { ...c, cwnd: 0 } : c)) },
  { id: 'CC-2', name: 'ssthresh 1 after a timeout', scenario: S.partitioned, wrap: postConn((c, b, i) => (onRto(i, b, c) ? { ...c, ssthresh: 1 } : c)) },
  { id: 'CC-3', name: 'cwnd kept on a timeout', scenario: S.partitioned, wrap: postConn((c, b, i) => (onRto(i, b, c) ? { ...c, cwnd: b.cwnd } : c)) },
  { id: 'CC-4', name: 'ssthresh set to cwnd (not halved) on a timeout', scenario: S.partitioned, wrap: postConn((c, b, i) => (onRto(i, b, c) && b.retransmits === 0 ? { ...c, ssthresh: b.cwnd } : c)) },
  { id: 'CC-5', name: 'cwnd grows by 5 extra packets per ACK', scenario: S.bigTransfer, wrap: postConn((c, b, i) => (b !== undefined && segInput(i) && synced(b) && seqGt(c.sndUna, b.sndUna) ? { ...c, cwnd: c.cwnd + 5 } : c)) },
  { id: 'CC-6', name: 'initial window of 100 packets', scenario: S.transfer, wrap: postConn((c, b) => (c.state === 'ESTABLISHED' && (b === undefined || !synced(b)) ? { ...c, cwnd: 100 } : c)) },
  // ── OPT ──
  { id: 'OPT-1', name: 'window-scale option on every non-SYN segment', scenario: S.transfer, wrap: postSeg((seg) => (has(seg.flags, SYN) ? seg : { ...seg, options: [...seg.options, { kind: 'nop' }, { kind: 'wscale', shift: 7 }] })) },
  { id: 'OPT-2', name: 'SYN-ACK offers window scale to a SYN without it', scenario: S.plainSyn, wrap: postSeg((seg) => (has(seg.flags, SYN) && has(seg.flags, ACK) ? { ...seg, options: [...seg.options, { kind: 'nop' }, { kind: 'wscale', shift: 7 }] } : seg)) },
  { id: 'OPT-3', name: 'timestamps dropped from pure ACKs', scenario: S.transfer, wrap: postSeg((seg) => (pureAck(seg) ? { ...seg, options: seg.options.filter((o) => o.kind !== 'ts' && o.kind !== 'nop') } : seg)) },
  { id: 'OPT-4', name: "sender ignores the peer's MSS", scenario: S.smallPeerMss, wrap: doctor((c) => (synced(c) ? { ...c, mssCache: 1448 } : c), ['mssCache']) },
  {
    id: 'OPT-5',
    name: 'four SACK blocks beside timestamps (48 option bytes)',
    scenario: S.transfer,
    wrap: postSeg((seg) => (pureAck(seg) && seg.options.some((o) => o.kind === 'ts') ? { ...seg, options: [...seg.options, { kind: 'nop' }, { kind: 'nop' }, { kind: 'sack', blocks: [1, 2, 3, 4].map((k) => ({ left: seqAdd(seg.ack, 1000 * k), right: seqAdd(seg.ack, 1000 * k + 500) })) }] } : seg)),
  },
  { id: 'OPT-6', name: 'SACK blocks shifted 1000 bytes beyond the data held', scenario: S.dropOne, wrap: postSeg((seg) => ({ ...seg, options: seg.options.map((o) => (o.kind === 'sack' ? { ...o, blocks: o.blocks.map((b) => ({ left: seqAdd(b.left, 1000), right: seqAdd(b.right, 1000) })) } : o)) })) },
  { id: 'OPT-7', name: 'TSecr echoes TS.Recent + 1', scenario: S.transfer, wrap: postSeg((seg) => (has(seg.flags, ACK) ? { ...seg, options: seg.options.map((o) => (o.kind === 'ts' ? { ...o, ecr: (o.ecr + 1) >>> 0 } : o)) } : seg)) },
  // ── HDR ──
  { id: 'HDR-1', name: 'sequence number not reduced modulo 2^32', scenario: S.transfer, wrap: postSeg((seg) => (dataSeg(seg) ? { ...seg, seq: seg.seq + 2 ** 32 } : seg)) },
  { id: 'HDR-2', name: 'pure ACKs sent from the wrong source port', scenario: S.transfer, wrap: postSeg((seg) => (pureAck(seg) ? { ...seg, srcPort: (seg.srcPort + 1) & 0xffff } : seg)) },
  // ── RST ──
  { id: 'RST-1', name: 'RST reply with SEQ = SEG.ACK + 1', scenario: S.noListener, wrap: postSeg((seg) => (has(seg.flags, RST) ? { ...seg, seq: seqAdd(seg.seq, 1) } : seg)) },
  {
    id: 'RST-2',
    name: 'RST instead of an ACK for an out-of-window segment',
    scenario: S.outOfWindow,
    wrap: post((r, before, input) => {
      const b = connOf(before, input);
      if (b === undefined || !synced(b)) return r;
      return { ...r, outputs: r.outputs.map((o) => (isSeg(o) && pureAck(o.seg) ? { ...o, seg: { ...o.seg, flags: RST | ACK } } : o)) };
    }),
  },
  { id: 'RST-3', name: 'accepts any in-window RST', scenario: S.inWindowRst, wrap: doctorInput((i, ep) => { const c = connOf(ep, i); return segInput(i) && c !== undefined && has(i.seg.flags, RST) ? { ...i, seg: { ...i.seg, seq: c.rcvNxt } } : i; }) },
  { id: 'RST-4', name: 'in-window RST silently dropped (no challenge ACK)', scenario: S.inWindowRst, wrap: post((r, _b, i) => (segInput(i) && has(i.seg.flags, RST) ? { ...r, outputs: r.outputs.filter((o) => !isSeg(o)) } : r)) },
  {
    id: 'RST-5',
    name: 'answers an RST with an RST',
    scenario: S.rstToClosedPort,
    wrap: post((r, ep, i) => (segInput(i) && has(i.seg.flags, RST) ? { ...r, outputs: [...r.outputs, { kind: 'segment', src: ep.addr, dst: i.src, seg: { srcPort: i.seg.dstPort, dstPort: i.seg.srcPort, seq: i.seg.ack, ack: 0, flags: RST, window: 0, urgent: 0, options: [], len: 0 } }] } : r)),
  },
  { id: 'RST-6', name: 'connection reset not reported to the application', scenario: S.refused, wrap: post((r) => ({ ...r, outputs: r.outputs.filter((o) => !(o.kind === 'event' && o.event === 'error')), endpoint: mapConns(r.endpoint, (c) => (c.error === null ? c : { ...c, error: null })) })) },
  { id: 'RST-7', name: 'an in-window SYN resets the connection', scenario: S.synInEstablished, wrap: doctorInput((i, ep) => { const c = connOf(ep, i); return segInput(i) && c !== undefined && has(i.seg.flags, SYN) ? { ...i, seg: { ...i.seg, flags: RST, seq: c.rcvNxt, options: [] } } : i; }) },
  // ── LIV / END ──
  {
    id: 'LIV-1',
    name: 'TIME-WAIT re-arms itself when it expires (never ends)',
    scenario: S.transfer,
    wrap: post((r, before, i, now) => {
      if (i.kind !== 'timer') return r;
      const keep = new Map<number, Conn>();
      for (const b of before.conns) {
        const a = byId(r.endpoint, b.id);
        if (b.state === 'TIME-WAIT' && b.timeWaitAt !== null && b.timeWaitAt <= now && (a === undefined || a.state === 'CLOSED')) keep.set(b.id, { ...b, timeWaitAt: now + before.profile.timeWaitLen });
      }
      if (keep.size === 0) return r;
      const conns = [...r.endpoint.conns.filter((c) => !keep.has(c.id)), ...keep.values()].sort((x, y) => x.id - y.id);
      const endpoint = { ...r.endpoint, conns };
      return { ...r, endpoint, outputs: r.outputs.filter((o) => !(o.kind === 'transition' && keep.has(o.conn))), deadline: earliestTimer(endpoint) };
    }),
  },
  {
    id: 'LIV-2',
    name: 'send() queues data but never transmits it',
    scenario: S.sendOnly,
    wrap: post((r, before, i) => {
      if (i.kind !== 'call' || i.call.op !== 'send') return r;
      const endpoint = mapConns(r.endpoint, (c) => { const b = byId(before, c.id); return b === undefined ? c : { ...c, sndNxt: b.sndNxt, sent: b.sent, retransmitAt: b.retransmitAt, sndSml: b.sndSml }; });
      return { ...r, endpoint, outputs: r.outputs.filter((o) => !isSeg(o)), deadline: earliestTimer(endpoint) };
    }),
  },
  { id: 'LIV-3', name: 'orphaned FIN-WAIT-2 never times out', scenario: S.finWait2, wrap: post((r) => { const endpoint = mapConns(r.endpoint, (c) => (c.state === 'FIN-WAIT-2' && c.fd === null ? { ...c, finWait2At: null } : c)); return { ...r, endpoint, deadline: earliestTimer(endpoint) }; }) },
  {
    id: 'END-1',
    name: "the peer's FIN is acknowledged but forgotten",
    scenario: S.bothClose,
    wrap: post((r, before) => {
      if (before.addr !== S.B) return r;
      const forgot = new Set<number>();
      const endpoint = mapConns(r.endpoint, (c) => {
        const b = byId(before, c.id);
        if (b === undefined || b.finReceived || !c.finReceived) return c;
        forgot.add(c.id);
        return { ...c, finReceived: false, state: b.state };
      });
      if (forgot.size === 0) return r;
      return { ...r, endpoint, outputs: r.outputs.filter((o) => !(o.kind === 'transition' && forgot.has(o.conn)) && !(o.kind === 'event' && o.event === 'eof')) };
    }),
  },
  {
    id: 'END-2',
    name: 'every RST ignored',
    scenario: S.abortMid,
    wrap: (s) => (ep, input, now) => (segInput(input) && has(input.seg.flags, RST) ? { endpoint: ep, outputs: [], deadline: earliestTimer(ep) } : s(ep, input, now)),
  },
];
