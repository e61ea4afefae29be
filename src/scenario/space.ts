/**
 * Script space ↔ absolute sequence space, shared by every stack adapter so that the model, the live
 * kernel and any other stack translate scenarios and traces the same way (packetdrill's rule).
 *
 * Per connection (keyed by the SUT's local port and the peer's port) the translator learns:
 * - the SUT's ISN: the sequence number of the first SYN-flagged segment the SUT sent on it;
 * - the SUT's TS base: the first TSval the SUT sent on it.
 * The peer's ISN is the scenario header's `peerIsn`.
 *
 * Inbound (peer → SUT): seq += peerIsn; ack, SACK blocks += SUT ISN (when known and the ACK flag is
 * set — without ACK the field is literal); TS ecr += SUT TS base (when known).
 * Outbound (SUT → peer): the inverse: seq −= SUT ISN; ack, SACK −= peerIsn (ACK flag set);
 * TS val −= SUT TS base.
 *
 * Pure and allocation-light: segments without options or without anything to translate are
 * rebuilt with one object spread.
 */
import { ACK, SYN } from '../wire/types.js';
import type { Segment, TcpOption } from '../wire/types.js';
import { u32 } from '../wire/seq.js';

export interface FlowSpace {
  /** SUT's ISN on this flow, once seen. */
  sutIsn: number | null;
  /** SUT's first TSval on this flow, once seen. */
  sutTsBase: number | null;
}

/** Mutable per-run translation state (owned by one adapter run; not shared). */
export class ScriptSpace {
  private readonly flows = new Map<string, FlowSpace>();

  constructor(readonly peerIsn: number) {}

  private key(sutPort: number, peerPort: number): string {
    return `${sutPort}/${peerPort}`;
  }

  flow(sutPort: number, peerPort: number): FlowSpace {
    const k = this.key(sutPort, peerPort);
    let f = this.flows.get(k);
    if (f === undefined) {
      f = { sutIsn: null, sutTsBase: null };
      this.flows.set(k, f);
    }
    return f;
  }

  /** All flows with a known SUT ISN, for the trace header. */
  known(): Record<string, { local: number; remote: number; tsBase?: number }> {
    const out: Record<string, { local: number; remote: number; tsBase?: number }> = {};
    for (const [k, f] of this.flows) {
      if (f.sutIsn === null) continue;
      out[k] = f.sutTsBase === null ? { local: f.sutIsn, remote: this.peerIsn } : { local: f.sutIsn, remote: this.peerIsn, tsBase: f.sutTsBase };
    }
    return out;
  }

  /** Translate a segment the scripted peer sends (script space) into absolute numbers. */
  inbound(seg: Segment): Segment {
    const f = this.flow(seg.dstPort, seg.srcPort);
    const ackOff = (seg.flags & ACK) !== 0 && f.sutIsn !== null ? f.sutIsn : 0;
    const tsOff = f.sutTsBase ?? 0;
    return shiftSegment(seg, this.peerIsn, ackOff, 0, tsOff);
  }

  /**
   * Learn from, then translate, a segment the SUT sent (absolute) into script space.
   * Call it for every SUT segment in order.
   */
  outbound(seg: Segment): Segment {
    const f = this.flow(seg.srcPort, seg.dstPort);
    if (f.sutIsn === null && (seg.flags & SYN) !== 0) f.sutIsn = seg.seq;
    if (f.sutTsBase === null) {
      for (const o of seg.options) if (o.kind === 'ts') f.sutTsBase = o.val;
    }
    const seqOff = f.sutIsn ?? 0;
    const ackOff = (seg.flags & ACK) !== 0 ? this.peerIsn : 0;
    return shiftSegment(seg, -seqOff, -ackOff, -(f.sutTsBase ?? 0), 0);
  }
}

/** Add offsets (mod 2^32) to seq, ack (and SACK blocks), TS val and TS ecr. */
export function shiftSegment(seg: Segment, dSeq: number, dAck: number, dVal: number, dEcr: number): Segment {
  if (dSeq === 0 && dAck === 0 && dVal === 0 && dEcr === 0) return seg;
  let options = seg.options;
  if (options.length > 0 && (dAck !== 0 || dVal !== 0 || dEcr !== 0)) {
    options = options.map((o): TcpOption => {
      switch (o.kind) {
        case 'ts':
          return { kind: 'ts', val: u32(o.val + dVal), ecr: u32(o.ecr + dEcr) };
        case 'sack':
          return dAck === 0 ? o : { kind: 'sack', blocks: o.blocks.map((b) => ({ left: u32(b.left + dAck), right: u32(b.right + dAck) })) };
        default:
          return o;
      }
    });
  }
  return { ...seg, seq: u32(seg.seq + dSeq), ack: u32(seg.ack + dAck), options };
}
