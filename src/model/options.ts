/**
 * TCP options the model reads and writes (HD-3, HS-8, HS-9, HD-4).
 *
 * Reading: options are taken in order and a repeated MSS / window-scale / timestamp option replaces
 * the earlier one (RFC 9293 does not define duplicates; Linux tcp_parse_options overwrites, as the
 * recording hd-syn-duplicate-mss shows: `<mss 1000,mss 500>` gives 500-byte segments); MSS, wscale
 * and SACK-permitted mean something only on a SYN (RFC 7323 §2.2, RFC 2018 §2); a shift above 14 is
 * used as 14 (RFC 7323 §2.3); MSS 0 counts as absent (Linux tcp_parse_options).
 *
 * Writing follows Linux's layout (tcp_output.c:tcp_options_write), which both profiles use:
 * MSS; then SACK-permitted + timestamps packed as `sackOK, TS` (or `nop, nop, TS`, or
 * `nop, nop, sackOK`); then `nop, wscale`; then `nop, nop, SACK blocks`.
 */
import type { SackBlock, TcpOption } from '../wire/types.js';

export interface PeerOptions {
  /** MSS option value, or null. */
  readonly mss: number | null;
  /** Window-scale shift (clamped to 14), or null. */
  readonly wscale: number | null;
  readonly sackOk: boolean;
  /** Timestamp option, or null. */
  readonly ts: { readonly val: number; readonly ecr: number } | null;
}

const NONE: PeerOptions = { mss: null, wscale: null, sackOk: false, ts: null };

/** Extract what the model uses from a segment's options. `isSyn` decides whether SYN-only options count. */
export function parseOptions(options: readonly TcpOption[], isSyn: boolean, maxWscale: number): PeerOptions {
  if (options.length === 0) return NONE;
  let mss: number | null = null;
  let wscale: number | null = null;
  let sackOk = false;
  let ts: { val: number; ecr: number } | null = null;
  for (const o of options) {
    switch (o.kind) {
      case 'mss':
        if (isSyn && o.mss > 0) mss = o.mss & 0xffff;
        break;
      case 'wscale':
        if (isSyn) wscale = Math.min(Math.max(0, o.shift | 0), maxWscale);
        break;
      case 'sackOk':
        if (isSyn) sackOk = true;
        break;
      case 'ts':
        ts = { val: o.val >>> 0, ecr: o.ecr >>> 0 };
        break;
      case 'eol':
      case 'nop':
      case 'sack':
      case 'unknown':
      case 'raw':
        break;
      default: {
        const never: never = o;
        void never;
      }
    }
  }
  return { mss, wscale, sackOk, ts };
}

const NOP: TcpOption = { kind: 'nop' };
const SACK_OK: TcpOption = { kind: 'sackOk' };

/** Options of a SYN or SYN-ACK in Linux order (linux-reference.md §2). */
export function synOptions(mss: number, sackOk: boolean, ts: { val: number; ecr: number } | null, wscale: number | null): TcpOption[] {
  const o: TcpOption[] = [{ kind: 'mss', mss }];
  if (ts !== null) {
    if (sackOk) o.push(SACK_OK);
    else o.push(NOP, NOP);
    o.push({ kind: 'ts', val: ts.val, ecr: ts.ecr });
  } else if (sackOk) {
    o.push(NOP, NOP, SACK_OK);
  }
  if (wscale !== null) o.push(NOP, { kind: 'wscale', shift: wscale });
  return o;
}

const EMPTY: readonly TcpOption[] = [];

/** Options of a non-SYN segment: `nop, nop, TS` when timestamps are on, then `nop, nop, SACK`. */
export function segmentOptions(ts: { val: number; ecr: number } | null, sack: readonly SackBlock[] | null): readonly TcpOption[] {
  const hasSack = sack !== null && sack.length > 0;
  if (ts === null && !hasSack) return EMPTY;
  // Array literals of the final length (this runs for every segment sent; push() from [] over-allocates).
  if (!hasSack) return [NOP, NOP, { kind: 'ts', val: ts!.val, ecr: ts!.ecr }];
  const sackOpt: TcpOption = { kind: 'sack', blocks: sack };
  if (ts === null) return [NOP, NOP, sackOpt];
  return [NOP, NOP, { kind: 'ts', val: ts.val, ecr: ts.ecr }, NOP, NOP, sackOpt];
}

