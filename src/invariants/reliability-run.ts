/**
 * Whole-run reliability invariants: each byte stream is delivered exactly once and in order under
 * any fault schedule (the receiver never holds or hands to its application more than the sender's
 * application wrote, and every byte it took in order was really put on the wire by the sender),
 * and end-of-file reaches the application only after every byte written before the FIN.
 * RFC 9293 §1 (reliable, in-order byte stream), §3.10.7.4.
 */
import type { RunInvariant, Violation } from './types.js';
import { covered, dataReceived, dataWritten, indexRun, peerOf } from './run-util.js';
import { seqAdd, seqDist } from '../wire/seq.js';

export const rel7: RunInvariant = {
  kind: 'run',
  id: 'REL-7',
  title: 'Exactly-once, in-order delivery of each byte stream under any fault schedule',
  rfc: 'RFC 9293 §1, §3.4, §3.10.7.4',
  behaviours: ['DT-1', 'DT-3', 'DT-4', 'DT-13'],
  check(run) {
    const out: Violation[] = [];
    const idx = indexRun(run);
    for (const m of [idx.a, idx.b]) {
      for (const y of m.values()) {
        if (!y.synced) continue;
        const x = peerOf(idx, run, y);
        if (x === null) continue;
        const conn = y.last.id;
        const rcv = dataReceived(y.last);
        const written = dataWritten(x.last);
        if (rcv > written) {
          out.push({ id: 'REL-7', node: y.node, conn, message: `${y.node} took ${rcv} bytes in order but ${x.node}'s application wrote only ${written}` });
          continue;
        }
        const from = seqAdd(x.last.iss, 1);
        const to = seqAdd(from, rcv);
        const upTo = covered(x.ranges, from, to);
        if (upTo !== to) {
          out.push({ id: 'REL-7', node: y.node, conn, message: `${y.node} took bytes up to ${x.node}'s offset ${rcv}, but ${x.node} never sent the byte at offset ${seqDist(from, upTo)}` });
          continue;
        }
        if (y.received > rcv) out.push({ id: 'REL-7', node: y.node, conn, message: `${y.node}'s application read ${y.received} bytes but only ${rcv} arrived in order` });
        else if (y.received > x.sent) out.push({ id: 'REL-7', node: y.node, conn, message: `${y.node}'s application read ${y.received} bytes but ${x.node}'s send() accepted ${x.sent}` });
      }
    }
    return out;
  },
};

export const rel8: RunInvariant = {
  kind: 'run',
  id: 'REL-8',
  title: 'The FIN reaches the application after all data: at end-of-file it has read exactly what the peer wrote',
  rfc: 'RFC 9293 §3.10.7.4 (eighth: FIN "after all preceding segments")',
  behaviours: ['CT-10', 'CT-3', 'DT-3'],
  check(run) {
    const out: Violation[] = [];
    const idx = indexRun(run);
    for (const m of [idx.a, idx.b]) {
      for (const y of m.values()) {
        if (y.eofAt === null) continue;
        const x = peerOf(idx, run, y);
        if (x === null) continue;
        const fin = x.last.finSeq;
        const base = { id: 'REL-8', node: y.node, conn: y.last.id, time: y.eofAt };
        if (fin === null) {
          out.push({ ...base, message: `${y.node}'s application saw end of file but ${x.node} never closed its sending side` });
          continue;
        }
        const beforeFin = seqDist(seqAdd(x.last.iss, 1), fin);
        if (y.receivedAtEof !== beforeFin || y.receivedAtEof !== x.sent) {
          out.push({ ...base, message: `${y.node}'s application saw end of file after reading ${y.receivedAtEof} bytes; ${x.node} wrote ${beforeFin} bytes before its FIN (send() accepted ${x.sent})` });
        }
      }
    }
    return out;
  },
};

export const reliabilityRunInvariants: readonly RunInvariant[] = [rel7, rel8];
