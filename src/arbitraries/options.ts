/**
 * Arbitraries for TCP option lists (RFC 9293 §3.1/§3.2, RFC 7323, RFC 2018).
 *
 * - `optionsArb({ syn: true })`: what a correct stack puts on a SYN/SYN-ACK: a subset of MSS,
 *   SACK-permitted, timestamps and window scale (shift ≤ 14) with NOP padding, in one of the layouts
 *   Linux uses (linux-reference.md §2). `syn: false`: what goes on later segments: timestamps
 *   and/or SACK blocks (≤ 40 bytes in total).
 * - `hostileOptionsArb()`: anything a fuzzer should try: raw bytes, duplicate options, MSS 0, huge
 *   window scale, SACK blocks with wrapped or inverted edges, unknown kinds, EOL followed by
 *   garbage, lists longer than 40 bytes.
 *
 * All are built from records, small arrays and `constantFrom`, so they shrink toward short lists
 * of ordinary values.
 */
import fc from 'fast-check';
import type { SackBlock, TcpOption } from '../wire/types.js';
import { byteArb, u16Arb, u32Arb } from './_internals/u32.js';

export interface OptionsArbConstraints {
  /** Options for a SYN or SYN-ACK (default false). */
  readonly syn?: boolean;
  /** Base for SACK block edges (e.g. the receiver's SND.UNA); default any. */
  readonly sackBase?: number;
}

const NOP: TcpOption = { kind: 'nop' };

function synLayout(mss: number | null, sackOk: boolean, ts: { val: number; ecr: number } | null, wscale: number | null): TcpOption[] {
  // Linux order (tcp_output.c:tcp_options_write): mss, sackOK+TS (or nop,nop,TS / nop,nop,sackOK), nop, wscale.
  const out: TcpOption[] = [];
  if (mss !== null) out.push({ kind: 'mss', mss });
  if (ts !== null) {
    if (sackOk) out.push({ kind: 'sackOk' });
    else out.push(NOP, NOP);
    out.push({ kind: 'ts', val: ts.val, ecr: ts.ecr });
  } else if (sackOk) out.push(NOP, NOP, { kind: 'sackOk' });
  if (wscale !== null) out.push(NOP, { kind: 'wscale', shift: wscale });
  return out;
}

const tsArb = fc.record({ val: u32Arb(), ecr: u32Arb() });

/** Well-formed option lists (see the file comment). */
export function optionsArb(c: OptionsArbConstraints = {}): fc.Arbitrary<TcpOption[]> {
  if (c.syn === true) {
    return fc
      .record({
        mss: fc.option(fc.integer({ min: 88, max: 65495 }), { nil: null }),
        sackOk: fc.boolean(),
        ts: fc.option(fc.record({ val: u32Arb(), ecr: fc.constant(0) }), { nil: null }),
        wscale: fc.option(fc.integer({ min: 0, max: 14 }), { nil: null }),
      })
      .map((r) => synLayout(r.mss, r.sackOk, r.ts, r.wscale));
  }
  const base = c.sackBase;
  const blockArb: fc.Arbitrary<SackBlock> =
    base === undefined
      ? fc.record({ left: u32Arb(), size: fc.integer({ min: 1, max: 65535 }) }).map((b) => ({ left: b.left, right: (b.left + b.size) >>> 0 }))
      : fc
          .record({ off: fc.integer({ min: 1, max: 200_000 }), size: fc.integer({ min: 1, max: 65535 }) })
          .map((b) => ({ left: (base + b.off) >>> 0, right: (base + b.off + b.size) >>> 0 }));
  return fc
    .record({ ts: fc.option(tsArb, { nil: null }), blocks: fc.array(blockArb, { maxLength: 4 }) })
    .map((r) => {
      const out: TcpOption[] = [];
      if (r.ts !== null) out.push(NOP, NOP, { kind: 'ts', val: r.ts.val, ecr: r.ts.ecr });
      // 40 bytes: with timestamps (12) at most 3 blocks (26), without 4 (34) (RFC 2018 §3).
      const blocks = r.blocks.slice(0, r.ts !== null ? 3 : 4);
      if (blocks.length > 0) out.push(NOP, NOP, { kind: 'sack', blocks });
      return out;
    });
}

/** One hostile option. */
export function hostileOptionArb(): fc.Arbitrary<TcpOption> {
  return fc.oneof(
    fc.constantFrom<TcpOption>({ kind: 'eol' }, { kind: 'nop' }, { kind: 'sackOk' }, { kind: 'mss', mss: 0 }, { kind: 'mss', mss: 1 }, { kind: 'wscale', shift: 15 }),
    fc.record({ kind: fc.constant('mss' as const), mss: u16Arb }),
    fc.record({ kind: fc.constant('wscale' as const), shift: byteArb }),
    fc.record({ kind: fc.constant('ts' as const), val: u32Arb(), ecr: u32Arb() }),
    fc.record({
      kind: fc.constant('sack' as const),
      blocks: fc.array(fc.record({ left: u32Arb(), right: u32Arb() }), { minLength: 1, maxLength: 5 }),
    }),
    fc.record({ kind: fc.constant('unknown' as const), code: fc.integer({ min: 6, max: 255 }), data: fc.array(byteArb, { maxLength: 6 }) }),
    fc.record({ kind: fc.constant('raw' as const), data: fc.array(byteArb, { minLength: 1, maxLength: 8 }) }),
  );
}

/** Hostile option lists: any mix, duplicates allowed, possibly longer than 40 bytes. */
export function hostileOptionsArb(): fc.Arbitrary<TcpOption[]> {
  return fc.oneof(
    { arbitrary: fc.array(hostileOptionArb(), { maxLength: 6 }), weight: 4 },
    // The same well-formed option repeated (duplicate MSS / wscale / TS).
    { arbitrary: fc.tuple(hostileOptionArb(), fc.integer({ min: 2, max: 4 })).map(([o, n]) => Array.from({ length: n }, () => o)), weight: 1 },
    { arbitrary: optionsArb({ syn: true }), weight: 1 },
  );
}
