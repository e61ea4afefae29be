/**
 * The fault schedule of the simulated network, as plain data (JSON-able, so arbitraries can generate
 * it and regressions can store it), and the pure function that decides what happens to one segment.
 *
 * Per direction (a→b = 'ab', b→a = 'ba') the schedule holds a base latency, rules that pick
 * segments by their index in that direction (0 = first segment sent) or by a send-time window, and
 * partitions during which nothing gets through either way. A "random faults" block adds seeded
 * probabilistic faults inside a time window; decisions are keyed by (seed, direction, index), see
 * `prng.ts`, so they do not depend on how many other decisions were drawn.
 *
 * Fault kinds (architecture.md, harness): drop; duplicate (a pristine second copy, later by
 * `extraDelay`); delay (reorder by delaying); corrupt (one header bit flips and the receiver sees
 * `checksumOk: false`, which the model must drop silently, DT-4); truncate (payload shortened, and
 * the checksum fails too); partition [from, to).
 */
import type { Segment } from '../wire/types.js';
import type { Micros } from '../scenario/types.js';
import { hash32, unit } from './prng.js';

/** Direction of travel: from endpoint a to b, or from b to a. */
export type Direction = 'ab' | 'ba';

export type FaultAction =
  | { readonly kind: 'drop' }
  /** A second, unmodified copy arrives `extraDelay` µs after the original would have. */
  | { readonly kind: 'duplicate'; readonly extraDelay: Micros }
  /** The segment arrives `extra` µs later than the base latency (reordering it behind later ones). */
  | { readonly kind: 'delay'; readonly extra: Micros }
  /**
   * Bit `bit` (0–159, network order, bit 0 = most significant bit of byte 0) of the fixed 20-byte
   * header flips; the receiver gets `checksumOk: false`. Bits in the data-offset nibble or the
   * checksum field change no Segment field but still fail the checksum.
   */
  | { readonly kind: 'corrupt'; readonly bit: number }
  /** The payload is cut to `keep` bytes (no effect on the length if already shorter); checksum fails. */
  | { readonly kind: 'truncate'; readonly keep: number };

export type FaultMatch =
  /** The n-th segment (0-based) sent in the rule's direction(s). */
  | { readonly kind: 'nth'; readonly n: number }
  /** Every segment sent at a time in [from, to). */
  | { readonly kind: 'window'; readonly from: Micros; readonly to: Micros };

export interface FaultRule {
  readonly dir: Direction | 'both';
  readonly match: FaultMatch;
  readonly action: FaultAction;
}

/** Nothing gets through either way if its flight [sent, arrival] overlaps [from, to). */
export interface Partition {
  readonly from: Micros;
  readonly to: Micros;
}

/**
 * Seeded random faults for segments sent in [from, until). Probabilities are in [0, 1]; each is
 * drawn independently per segment. Delays are uniform in [1, maxDelay] µs.
 */
export interface RandomFaults {
  readonly seed: number;
  readonly dir: Direction | 'both';
  readonly from: Micros;
  readonly until: Micros;
  readonly drop: number;
  readonly duplicate: number;
  readonly reorder: number;
  readonly corrupt: number;
  readonly truncate: number;
  readonly maxDelay: Micros;
}

export interface FaultSchedule {
  /** Base one-way latency per direction, µs (≥ 0). */
  readonly latency: { readonly ab: Micros; readonly ba: Micros };
  readonly rules: readonly FaultRule[];
  readonly partitions: readonly Partition[];
  readonly random?: RandomFaults;
}

/** A perfect network with the given one-way latency each way. */
export function cleanSchedule(latency: Micros = 1000): FaultSchedule {
  return { latency: { ab: latency, ba: latency }, rules: [], partitions: [] };
}

/** Uniform random faults in both directions over [0, until). */
export function randomSchedule(
  seed: number,
  probs: Partial<Pick<RandomFaults, 'drop' | 'duplicate' | 'reorder' | 'corrupt' | 'truncate' | 'maxDelay'>>,
  until: Micros,
  latency: Micros = 1000,
): FaultSchedule {
  return {
    latency: { ab: latency, ba: latency },
    rules: [],
    partitions: [],
    random: {
      seed,
      dir: 'both',
      from: 0,
      until,
      drop: probs.drop ?? 0,
      duplicate: probs.duplicate ?? 0,
      reorder: probs.reorder ?? 0,
      corrupt: probs.corrupt ?? 0,
      truncate: probs.truncate ?? 0,
      maxDelay: probs.maxDelay ?? 10_000,
    },
  };
}

/**
 * The time after which no time-based fault applies: the end of every window rule, partition and
 * random block. Index rules (`nth`) are not time-bound; the network records when they actually hit
 * (`Network.lastFaultEffect`), and `faultsSettledAt` in network.ts combines both.
 */
export function faultsEnd(s: FaultSchedule): Micros {
  let end = 0;
  for (const r of s.rules) if (r.match.kind === 'window' && r.match.to > end) end = r.match.to;
  for (const p of s.partitions) if (p.to > end) end = p.to;
  if (s.random && s.random.until > end) end = s.random.until;
  return end;
}

/** One copy of a segment that the network will deliver. */
export interface Copy {
  /** Delay from the send time, µs (latency + any extra). */
  readonly delay: Micros;
  readonly seg: Segment;
  readonly checksumOk: boolean;
}

/** What the network did with one sent segment. */
export interface Fate {
  readonly dir: Direction;
  /** Index of the segment in its direction (0-based). */
  readonly index: number;
  /** Copies to deliver (empty: lost). */
  readonly copies: readonly Copy[];
  /** Fault kinds applied, in order (e.g. ["delay", "duplicate"]; "partition", "random-drop"). */
  readonly faults: readonly string[];
}

function dirMatches(d: Direction | 'both', dir: Direction): boolean {
  return d === 'both' || d === dir;
}

function clampBit(bit: number): number {
  const b = Math.trunc(bit);
  return b >= 0 && b < 160 ? b : ((b % 160) + 160) % 160;
}

/**
 * Flip bit `bit` of the 20-byte fixed TCP header (RFC 9293 §3.1 layout) in a Segment. Pure.
 * Bytes: 0–1 source port, 2–3 destination port, 4–7 seq, 8–11 ack, 12 data offset/reserved,
 * 13 flags, 14–15 window, 16–17 checksum, 18–19 urgent pointer.
 */
export function flipHeaderBit(seg: Segment, bit: number): Segment {
  const b = clampBit(bit);
  const byte = b >> 3;
  const mask8 = 0x80 >>> (b & 7);
  if (byte < 2) return { ...seg, srcPort: seg.srcPort ^ (mask8 << (8 * (1 - byte))) };
  if (byte < 4) return { ...seg, dstPort: seg.dstPort ^ (mask8 << (8 * (3 - byte))) };
  if (byte < 8) return { ...seg, seq: (seg.seq ^ (mask8 << (8 * (7 - byte)))) >>> 0 };
  if (byte < 12) return { ...seg, ack: (seg.ack ^ (mask8 << (8 * (11 - byte)))) >>> 0 };
  if (byte === 13) return { ...seg, flags: seg.flags ^ mask8 };
  if (byte === 14 || byte === 15) return { ...seg, window: seg.window ^ (mask8 << (8 * (15 - byte))) };
  if (byte >= 18) return { ...seg, urgent: seg.urgent ^ (mask8 << (8 * (19 - byte))) };
  // Data offset / reserved (byte 12) and the checksum (16–17): no Segment field changes.
  return seg;
}

function apply(copies: Copy[], pristine: Segment, latency: Micros, a: FaultAction, faults: string[]): Copy[] {
  if (copies.length === 0) return copies; // already dropped
  const first = copies[0]!;
  switch (a.kind) {
    case 'drop':
      faults.push('drop');
      return [];
    case 'duplicate':
      faults.push('duplicate');
      return [...copies, { delay: latency + Math.max(0, a.extraDelay), seg: pristine, checksumOk: true }];
    case 'delay':
      faults.push('delay');
      return [{ ...first, delay: first.delay + Math.max(0, a.extra) }, ...copies.slice(1)];
    case 'corrupt':
      faults.push('corrupt');
      return [{ ...first, seg: flipHeaderBit(first.seg, a.bit), checksumOk: false }, ...copies.slice(1)];
    case 'truncate': {
      faults.push('truncate');
      const keep = Math.max(0, Math.trunc(a.keep));
      const seg = keep < first.seg.len ? { ...first.seg, len: keep } : first.seg;
      return [{ ...first, seg, checksumOk: false }, ...copies.slice(1)];
    }
    default: {
      const never: never = a;
      return never;
    }
  }
}

const DIR_CODE: Record<Direction, number> = { ab: 1, ba: 2 };
// Salts separate the independent draws for one segment.
const SALT_DROP = 1;
const SALT_DUP = 2;
const SALT_REORDER = 3;
const SALT_CORRUPT = 4;
const SALT_TRUNCATE = 5;
const SALT_AMOUNT = 16;

function delayOf(r: RandomFaults, index: number, key: number): Micros {
  return 1 + (hash32(r.seed, index, key) % Math.max(1, Math.trunc(r.maxDelay)));
}

const DROP: readonly FaultAction[] = [{ kind: 'drop' }];
const NONE: readonly FaultAction[] = [];

// Hot path (every segment of every run): no closures, no allocation when nothing is drawn.
function randomActions(r: RandomFaults, dir: Direction, index: number, len: number): readonly FaultAction[] {
  const k = DIR_CODE[dir] * 64;
  if (unit(r.seed, index, k + SALT_DROP) < r.drop) return DROP;
  let out: FaultAction[] | null = null;
  if (r.reorder > 0 && unit(r.seed, index, k + SALT_REORDER) < r.reorder)
    (out ??= []).push({ kind: 'delay', extra: delayOf(r, index, k + SALT_REORDER + SALT_AMOUNT) });
  if (r.corrupt > 0 && unit(r.seed, index, k + SALT_CORRUPT) < r.corrupt)
    (out ??= []).push({ kind: 'corrupt', bit: hash32(r.seed, index, k + SALT_CORRUPT + SALT_AMOUNT) % 160 });
  if (r.truncate > 0 && unit(r.seed, index, k + SALT_TRUNCATE) < r.truncate)
    (out ??= []).push({ kind: 'truncate', keep: hash32(r.seed, index, k + SALT_TRUNCATE + SALT_AMOUNT) % Math.max(1, len) });
  if (r.duplicate > 0 && unit(r.seed, index, k + SALT_DUP) < r.duplicate)
    (out ??= []).push({ kind: 'duplicate', extraDelay: delayOf(r, index, k + SALT_DUP + SALT_AMOUNT) });
  return out ?? NONE;
}

function partitioned(s: FaultSchedule, now: Micros, delay: Micros): boolean {
  for (const p of s.partitions) if (now < p.to && now + delay >= p.from) return true;
  return false;
}

/**
 * Decide the fate of the `index`-th segment sent in direction `dir` at time `now`. Order: rules in
 * list order, then random faults, then partitions (a partition overlapping a copy's flight drops that
 * copy). Pure and total.
 */
export function decideFate(s: FaultSchedule, dir: Direction, index: number, now: Micros, seg: Segment): Fate {
  const latency = Math.max(0, dir === 'ab' ? s.latency.ab : s.latency.ba);
  const faults: string[] = [];
  let copies: Copy[] = [{ delay: latency, seg, checksumOk: true }];
  const rnd = s.random;
  const rndOn = rnd !== undefined && dirMatches(rnd.dir, dir) && now >= rnd.from && now < rnd.until;
  if (s.rules.length === 0 && s.partitions.length === 0 && !rndOn) return { dir, index, copies, faults };
  for (const r of s.rules) {
    if (!dirMatches(r.dir, dir)) continue;
    const m = r.match;
    const hit = m.kind === 'nth' ? m.n === index : now >= m.from && now < m.to;
    if (hit) copies = apply(copies, seg, latency, r.action, faults);
  }
  if (rndOn) {
    for (const a of randomActions(rnd, dir, index, seg.len)) {
      const before = faults.length;
      copies = apply(copies, seg, latency, a, faults);
      for (let i = before; i < faults.length; i++) faults[i] = `random-${faults[i]}`;
    }
  }
  if (s.partitions.length > 0 && copies.length > 0) {
    const kept: Copy[] = [];
    for (const c of copies) if (!partitioned(s, now, c.delay)) kept.push(c);
    if (kept.length !== copies.length) faults.push('partition');
    copies = kept;
  }
  return { dir, index, copies, faults };
}
