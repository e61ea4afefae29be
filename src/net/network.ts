/**
 * The pure network between two endpoints 'a' and 'b': segments in flight with their delivery times,
 * the fault schedule, and per-direction counters. `send` applies the schedule (faults.ts) to an
 * output segment and returns a new network; `deliverNext` pops the earliest arrival. Every function
 * is pure; versions share structure (a persistent leftist heap, heap.ts), so keeping old versions
 * costs O(log n) per operation.
 *
 * Delivery order is deterministic: by arrival time, then by the order copies entered the network.
 * Routing is by destination address: a segment for the other endpoint's address goes there, one for
 * the sender's own address loops back to it (LQ-6, land attack), anything else is unroutable and
 * counted as lost.
 */
import type { Segment } from '../wire/types.js';
import type { Micros } from '../scenario/types.js';
import type { Direction, Fate, FaultSchedule } from './faults.js';
import { decideFate, faultsEnd } from './faults.js';
import type { Heap } from './heap.js';
import { heapInsert, heapPeek, heapPop, heapSize, heapToSortedArray } from './heap.js';

export type NodeId = 'a' | 'b';

/** One copy of a segment travelling through the network. */
export interface InFlight {
  readonly at: Micros;
  /** Tie-break among equal arrival times: the order copies entered the network. */
  readonly order: number;
  readonly from: NodeId;
  readonly to: NodeId;
  readonly src: string;
  readonly dst: string;
  readonly seg: Segment;
  readonly checksumOk: boolean;
}

export interface NetworkStats {
  readonly sent: number;
  readonly delivered: number;
  readonly lost: number;
  readonly duplicated: number;
  readonly corrupted: number;
  readonly unroutable: number;
}

export interface Network {
  readonly addrA: string;
  readonly addrB: string;
  readonly schedule: FaultSchedule;
  readonly inFlight: Heap<InFlight>;
  /** Segments sent so far per direction (the next segment's index). */
  readonly sentAb: number;
  readonly sentBa: number;
  readonly nextOrder: number;
  /** Latest time any fault took effect (send time of a loss, arrival of a faulted copy), or -1. */
  readonly lastFaultEffect: Micros;
  readonly stats: NetworkStats;
}

const ZERO_STATS: NetworkStats = { sent: 0, delivered: 0, lost: 0, duplicated: 0, corrupted: 0, unroutable: 0 };

export function createNetwork(addrA: string, addrB: string, schedule: FaultSchedule): Network {
  return { addrA, addrB, schedule, inFlight: null, sentAb: 0, sentBa: 0, nextOrder: 0, lastFaultEffect: -1, stats: ZERO_STATS };
}

export function earlier(x: InFlight, y: InFlight): boolean {
  return x.at < y.at || (x.at === y.at && x.order < y.order);
}

/** The result of sending one segment: the new network and what the schedule did to it. */
export interface SendResult {
  readonly net: Network;
  /** Null when the segment was unroutable (destination is neither endpoint). */
  readonly fate: Fate | null;
}

/**
 * Put segment `seg` (from `src` to `dst`) sent by node `from` at `now` into the network, after the
 * fault schedule has had its way. Pure.
 */
export function sendDetailed(net: Network, from: NodeId, out: { readonly src: string; readonly dst: string; readonly seg: Segment }, now: Micros): SendResult {
  const own = from === 'a' ? net.addrA : net.addrB;
  const other = from === 'a' ? net.addrB : net.addrA;
  const to: NodeId | null = out.dst === other ? (from === 'a' ? 'b' : 'a') : out.dst === own ? from : null;
  const s = net.stats;
  if (to === null) {
    return { net: { ...net, stats: { ...s, sent: s.sent + 1, unroutable: s.unroutable + 1 } }, fate: null };
  }
  const dir: Direction = from === 'a' ? 'ab' : 'ba';
  const index = dir === 'ab' ? net.sentAb : net.sentBa;
  const fate = decideFate(net.schedule, dir, index, now, out.seg);
  let heap = net.inFlight;
  let order = net.nextOrder;
  let corrupted = 0;
  for (const c of fate.copies) {
    const item: InFlight = { at: now + c.delay, order, from, to, src: out.src, dst: out.dst, seg: c.seg, checksumOk: c.checksumOk };
    order++;
    if (!c.checksumOk) corrupted++;
    heap = heapInsert(heap, item, earlier);
  }
  let lastFaultEffect = net.lastFaultEffect;
  if (fate.faults.length > 0) {
    let effect = now;
    for (const c of fate.copies) if (now + c.delay > effect) effect = now + c.delay;
    if (effect > lastFaultEffect) lastFaultEffect = effect;
  }
  // Explicit constructors rather than object spreads: this runs for every segment of every run.
  const stats: NetworkStats =
    fate.faults.length === 0
      ? { sent: s.sent + 1, delivered: s.delivered, lost: s.lost, duplicated: s.duplicated, corrupted: s.corrupted, unroutable: s.unroutable }
      : {
          sent: s.sent + 1,
          delivered: s.delivered,
          lost: s.lost + (fate.copies.length === 0 ? 1 : 0),
          duplicated: s.duplicated + Math.max(0, fate.copies.length - 1),
          corrupted: s.corrupted + corrupted,
          unroutable: s.unroutable,
        };
  return {
    net: {
      addrA: net.addrA,
      addrB: net.addrB,
      schedule: net.schedule,
      inFlight: heap,
      sentAb: dir === 'ab' ? index + 1 : net.sentAb,
      sentBa: dir === 'ba' ? index + 1 : net.sentBa,
      nextOrder: order,
      lastFaultEffect,
      stats,
    },
    fate,
  };
}

/** `sendDetailed` without the fate. */
export function send(net: Network, from: NodeId, out: { readonly src: string; readonly dst: string; readonly seg: Segment }, now: Micros): Network {
  return sendDetailed(net, from, out, now).net;
}

/** Arrival time of the next copy, or null when nothing is in flight. */
export function nextDeliveryTime(net: Network): Micros | null {
  const top = heapPeek(net.inFlight);
  return top === undefined ? null : top.at;
}

/** Pop the earliest copy in flight. Null when the network is empty. */
export function deliverNext(net: Network): { readonly net: Network; readonly item: InFlight } | null {
  const top = heapPeek(net.inFlight);
  if (top === undefined) return null;
  const s = net.stats;
  return {
    net: {
      addrA: net.addrA,
      addrB: net.addrB,
      schedule: net.schedule,
      inFlight: heapPop(net.inFlight, earlier),
      sentAb: net.sentAb,
      sentBa: net.sentBa,
      nextOrder: net.nextOrder,
      lastFaultEffect: net.lastFaultEffect,
      stats: { sent: s.sent, delivered: s.delivered + 1, lost: s.lost, duplicated: s.duplicated, corrupted: s.corrupted, unroutable: s.unroutable },
    },
    item: top,
  };
}

export function inFlightCount(net: Network): number {
  return heapSize(net.inFlight);
}

/** Everything in flight in delivery order (for inspection, reports and tests). */
export function inFlightList(net: Network): InFlight[] {
  return heapToSortedArray(net.inFlight, earlier);
}

/**
 * The time after which the network is fault-free: the static end of the schedule's time-based
 * faults combined with the latest effect of any fault actually applied so far (index rules,
 * delayed copies still in flight).
 */
export function faultsSettledAt(net: Network): Micros {
  return Math.max(faultsEnd(net.schedule), net.lastFaultEffect);
}
