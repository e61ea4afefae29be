/**
 * Receiver-side SACK reporting (RFC 2018 §4, RFC 2883): which blocks an ACK carries, in Linux's
 * order. The kernel keeps up to four blocks (TCP_NUM_SACKS) in most-recently-changed order, not in
 * sequence order (tcp_input.c:tcp_sack_new_ofo_skb, tcp_sack_maybe_coalesce, tcp_sack_remove). An
 * arriving out-of-order segment (even a duplicate) extends the first block it touches and moves it
 * to the front, merging any later block it now overlaps; otherwise it becomes a new front block and
 * the oldest is forgotten when all four are in use. Blocks at or below RCV.NXT disappear. A D-SACK
 * block (kept apart in `Conn.dsack`) goes before them all. The sender side is sack-scoreboard.ts.
 * Pure.
 */
import { seqGt, seqLe, seqLt } from '../wire/seq.js';
import type { Conn, MConn, SackRange } from './types.js';

/** TCP_NUM_SACKS: blocks the kernel remembers. */
const NUM_SACKS = 4;

/** The remembered blocks still above RCV.NXT (tcp_sack_remove), in report order. */
export function liveSacks(c: Conn): readonly SackRange[] {
  if (c.ooo.length === 0) return [];
  return c.selectiveAcks.filter((b) => seqLt(c.rcvNxt, b.left));
}

/** tcp_sack_extend: does [left, right) touch block b? Then the union. */
function extend(b: SackRange, left: number, right: number): SackRange | null {
  if (seqLe(left, b.right) && seqLe(b.left, right)) {
    return { left: seqLt(left, b.left) ? left : b.left, right: seqGt(right, b.right) ? right : b.right };
  }
  return null;
}

/** tcp_sack_new_ofo_skb: out-of-order data [left, right) arrived (or arrived again). */
export function sackNewOfo(c: MConn, left: number, right: number): void {
  const blocks = liveSacks(c).slice();
  for (let i = 0; i < blocks.length; i++) {
    const grown = extend(blocks[i]!, left, right);
    if (grown === null) continue;
    // Rotate it to the front, then merge later blocks it now overlaps (tcp_sack_maybe_coalesce).
    blocks.splice(i, 1);
    let head = grown;
    const rest: SackRange[] = [];
    for (const b of blocks) {
      const merged = extend(b, head.left, head.right);
      if (merged !== null) head = merged;
      else rest.push(b);
    }
    c.selectiveAcks = [head, ...rest];
    return;
  }
  const kept = blocks.length >= NUM_SACKS ? blocks.slice(0, NUM_SACKS - 1) : blocks;
  c.selectiveAcks = [{ left, right }, ...kept];
}

/** The blocks of the next ACK: D-SACK first, then the remembered ones, at most `max`. */
export function reportBlocks(c: Conn, max: number, dsack = true): SackRange[] {
  const out: SackRange[] = [];
  if (c.dsack !== null && dsack) out.push({ left: c.dsack.left, right: c.dsack.right });
  for (const b of liveSacks(c)) {
    if (out.length >= max) break;
    out.push(b);
  }
  return out;
}
