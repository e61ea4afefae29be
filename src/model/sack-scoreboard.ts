/**
 * Sender-side SACK scoreboard (DT-7, DT-8; RFC 2018, RFC 2883, RFC 6675; Linux
 * tcp_input.c:tcp_sacktag_write_queue, tcp_update_scoreboard / tcp_mark_head_lost with RACK off).
 *
 * Each acceptable ACK's SACK blocks mark the retransmission-queue records they fully cover as
 * SACKed (`SentSegment.sacked`). A first block below the cumulative ACK, or inside the second
 * block, is a D-SACK (RFC 2883 §4) and marks nothing. Blocks outside (SND.UNA, SND.NXT] are
 * ignored (tcp_is_sackblock_valid). Loss marking follows RFC 6675 §4 IsLost / Linux
 * tcp_mark_head_lost: a record that is not SACKed is lost once at least DupThresh (tcp_reordering)
 * SACKed records lie above it. Records are MSS-sized, so a block covering part of a record (Linux
 * would split the skb) leaves it unmarked.
 */
import type { Segment, SackBlock } from '../wire/types.js';
import { seqAdd, seqGe, seqGt, seqLe, seqLt } from '../wire/seq.js';
import type { Ctx } from './ctx.js';
import { note } from './ctx.js';
import type { MConn, SentSegment } from './types.js';
import { countDsack } from './undo.js';
import { rackAdvance, rackOn } from './rack.js';

export interface SackResult {
  /** Records newly marked SACKed by this ACK (delivered, Linux tcp_sacktag_write_queue). */
  readonly newlySacked: number;
  /** The ACK reported a duplicate (RFC 2883 D-SACK; Linux FLAG_DSACKING_ACK). */
  readonly dsack: boolean;
  /** A newly SACKed record was never retransmitted and ends at or below the recovery point (Linux FLAG_ORIG_SACK_ACKED). */
  readonly origSacked: boolean;
}

const NONE: SackResult = { newlySacked: 0, dsack: false, origSacked: false };

function blocksOf(seg: Segment): readonly SackBlock[] {
  for (const o of seg.options) if (o.kind === 'sack') return o.blocks;
  return [];
}

/** RFC 2883 §4: the first block is a D-SACK when it lies below the cumulative ACK or inside the second block. */
export function isDsack(blocks: readonly SackBlock[], ack: number): boolean {
  const first = blocks[0];
  if (first === undefined) return false;
  if (seqLe(first.right, ack) || seqLt(first.left, ack)) return true;
  const second = blocks[1];
  return second !== undefined && seqGe(first.left, second.left) && seqLe(first.right, second.right);
}

/** Mark what the ACK's SACK blocks cover (after SND.UNA moved). */
export function processSackBlocks(ctx: Ctx, c: MConn, seg: Segment): SackResult {
  if (!c.sackOk) return NONE;
  const blocks = blocksOf(seg);
  if (blocks.length === 0) return NONE;
  const dsack = isDsack(blocks, seg.ack);
  if (dsack) {
    note(ctx, c, 'DT-8/dsack-received', `D-SACK ${blocks[0]!.left}..${blocks[0]!.right} (RFC 2883): a segment arrived twice`);
    countDsack(c, blocks[0]!, c.mssCache); // undo.ts: retransmissions the peer got twice
  }
  // tcp_sacktag_write_queue: the D-SACK check comes before "nothing outstanding".
  if (c.sent.length === 0) return { newlySacked: 0, dsack, origSacked: false };
  let copy: SentSegment[] | null = null;
  let newly = 0;
  let origSacked = false;
  const rack = rackOn(ctx.profile, c);
  for (let b = dsack ? 1 : 0; b < blocks.length; b++) {
    const blk = blocks[b]!;
    // tcp_is_sackblock_valid: inside (SND.UNA, SND.NXT], non-empty.
    if (!seqLt(blk.left, blk.right) || seqLt(blk.left, c.sndUna) || seqGt(blk.right, c.sndNxt)) continue;
    for (let i = 0; i < c.sent.length; i++) {
      const r = (copy ?? c.sent)[i]!;
      if (r.sacked === true) continue;
      if (seqGe(r.seq, blk.left) && seqLe(seqAdd(r.seq, r.len), blk.right)) {
        if (copy === null) copy = c.sent.slice();
        copy[i] = { ...r, sacked: true, lost: false };
        newly++;
        if (rack) rackAdvance(c, r, ctx.now); // tcp_sacktag_one → tcp_rack_advance
        if (!r.retransmitted && seqLe(seqAdd(r.seq, r.len), c.cc.highSeq)) origSacked = true;
      }
    }
  }
  if (copy !== null) c.sent = copy;
  return { newlySacked: newly, dsack, origSacked };
}

/** SACKed records on the retransmission queue (Linux sacked_out). */
export function sackedCount(c: MConn): number {
  let n = 0;
  for (const r of c.sent) if (r.sacked === true) n++;
  return n;
}

/**
 * RFC 6675 §4 IsLost / Linux tcp_update_scoreboard → tcp_mark_head_lost: mark every record that is
 * neither SACKed nor already lost, and has at least `dupThresh` SACKed records above it, lost
 * (not already retransmitted in this episode). With `forceHead` (entering recovery on the dup-ACK
 * heuristic) the head is marked even without enough SACKs. Returns the records newly marked.
 */
export function markLostBySack(ctx: Ctx, c: MConn, dupThresh: number, forceHead: boolean): number {
  let above = 0;
  const n = c.sent.length;
  const sackedAbove: number[] = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    sackedAbove[i] = above;
    if (c.sent[i]!.sacked === true) above++;
  }
  let copy: SentSegment[] | null = null;
  let newly = 0;
  for (let i = 0; i < n; i++) {
    const r = c.sent[i]!;
    if (r.sacked === true || r.lost || r.retransmitted) continue;
    if (sackedAbove[i]! < dupThresh && !(forceHead && i === 0)) continue;
    if (copy === null) copy = c.sent.slice();
    copy[i] = { ...r, lost: true };
    newly++;
  }
  if (copy !== null) {
    c.sent = copy;
    note(ctx, c, 'DT-7/sack-lost', `${newly} record(s) below ≥ ${dupThresh} SACKed records marked lost (RFC 6675 IsLost)`);
  }
  return newly;
}
