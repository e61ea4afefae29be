/**
 * TIME-WAIT (RFC 9293 §3.10.7.4 for TIME-WAIT, CT-2, CT-12), following Linux's time-wait socket
 * (tcp_minisocks.c:tcp_timewait_state_process): an in-window bare ACK restarts the 2·MSL timer, an
 * RST at RCV.NXT ends TIME-WAIT unless RFC 1337 protection is on, a new SYN above the old RCV.NXT (or
 * with a newer timestamp) opens a new connection through the listener with ISN = SND.NXT + 65537,
 * and every other segment (a retransmitted FIN above all) is ACKed and restarts the timer.
 */
import type { Segment } from '../wire/types.js';
import { ACK, RST, SYN } from '../wire/types.js';
import { seqAdd, seqDiff, seqGt } from '../wire/seq.js';
import type { Ctx } from './ctx.js';
import { note } from './ctx.js';
import type { Conn, MConn } from './types.js';
import type { PeerOptions } from './options.js';
import { oowRateLimited, sendAck } from './emit.js';
import { segSpace } from './arrival.js';
import { closeConn } from './teardown.js';

export type TimeWaitVerdict = { readonly kind: 'done' } | { readonly kind: 'new-syn'; readonly isn: number };

export function timeWaitArrival(ctx: Ctx, c: MConn, seg: Segment, po: PeerOptions, hasListener: (c: Conn) => boolean): TimeWaitVerdict {
  const p = ctx.profile;
  const rst = (seg.flags & RST) !== 0;
  const syn = (seg.flags & SYN) !== 0;
  const hasAck = (seg.flags & ACK) !== 0;
  const pawsReject = !rst && c.tsOk && po.ts !== null && c.tsRecent !== 0 && seqDiff(po.ts.val, c.tsRecent) > p.pawsWindow;
  const empty = segSpace(seg) === 0;
  if (!pawsReject && seg.seq === c.rcvNxt && (empty || rst)) {
    if (rst) {
      if (!p.rfc1337) {
        note(ctx, c, 'CT-2/tw-rst', 'RST at RCV.NXT in TIME-WAIT: TIME-WAIT ends (RFC 1337 protection off)');
        closeConn(ctx, c, null, 'rcv RST');
        return { kind: 'done' };
      }
      note(ctx, c, 'CT-2/tw-rst-ignored', 'RST in TIME-WAIT ignored (RFC 1337)');
    } else {
      c.timeWaitAt = ctx.now + p.timeWaitLen;
    }
    if (po.ts !== null && c.tsOk) {
      c.tsRecent = po.ts.val;
      c.tsRecentAt = ctx.now;
    }
    return { kind: 'done' };
  }
  // CT-12: a new SYN that cannot be an old duplicate reopens the 4-tuple.
  if (
    syn &&
    !rst &&
    !hasAck &&
    !pawsReject &&
    (seqGt(seg.seq, c.rcvNxt) || (po.ts !== null && c.tsOk && seqDiff(c.tsRecent, po.ts.val) > 0)) &&
    hasListener(c)
  ) {
    let isn = seqAdd(c.sndNxt, 65537);
    if (isn === 0) isn = 1;
    note(ctx, c, 'CT-12/tw-reuse', `new SYN in TIME-WAIT accepted; ISN ${isn}`);
    closeConn(ctx, c, null, 'rcv SYN (TIME-WAIT reuse)');
    return { kind: 'new-syn', isn };
  }
  if (!rst) {
    // CT-2: ACK it (a retransmitted FIN lands here) and restart the timer.
    if (pawsReject || hasAck) c.timeWaitAt = ctx.now + p.timeWaitLen;
    if (oowRateLimited(ctx, c, seg)) {
      note(ctx, c, 'CT-2/tw-ack-limited', 'TIME-WAIT ACK suppressed by the rate limit');
    } else {
      note(ctx, c, 'CT-2/tw-ack', 'segment in TIME-WAIT: ACK and restart the 2·MSL timer');
      sendAck(ctx, c);
    }
    return { kind: 'done' };
  }
  note(ctx, c, 'CT-2/tw-rst-out', 'RST in TIME-WAIT not at RCV.NXT; ignored');
  return { kind: 'done' };
}
