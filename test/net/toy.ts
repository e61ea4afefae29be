/**
 * A toy endpoint for testing the simulator without the real model: one connection, stop-and-wait
 * data transfer with an ACK per segment and a fixed retransmission timeout, sequence numbers as
 * plain byte offsets. Optional send-buffer limit (send returns a partial count or EAGAIN and the
 * toy emits `writable` when space frees). Pure: every step returns a new state.
 */
import type { Input, Output, StepResult } from '../../src/model/api.js';
import type { Micros } from '../../src/scenario/types.js';
import { ACK, PSH } from '../../src/wire/types.js';
import type { Node } from '../../src/net/sim.js';

export interface Toy {
  readonly addr: string;
  readonly peer: string;
  readonly sndUna: number;
  readonly sndNxt: number;
  /** Bytes the app has handed over (stream offset of the end of the send queue). */
  readonly queued: number;
  readonly rcvNxt: number;
  readonly rcvBuf: number;
  readonly timer: Micros | null;
  readonly retries: number;
  readonly sndBufLimit: number;
  readonly badChecksums: number;
  readonly dupData: number;
}

export const TOY_MSS = 1000;
export const TOY_RTO = 200_000;
export const TOY_MAX_RETRIES = 30;

export function toy(addr: string, peer: string, sndBufLimit = Infinity): Toy {
  return { addr, peer, sndUna: 0, sndNxt: 0, queued: 0, rcvNxt: 0, rcvBuf: 0, timer: null, retries: 0, sndBufLimit, badChecksums: 0, dupData: 0 };
}

function seg(t: Toy, seq: number, len: number, flags: number): Output {
  return {
    kind: 'segment',
    src: t.addr,
    dst: t.peer,
    seg: { srcPort: 1000, dstPort: 1000, seq, ack: t.rcvNxt, flags, window: 65535, urgent: 0, options: [], len },
  };
}

function transmit(t: Toy, now: Micros, out: Output[]): Toy {
  if (t.sndNxt !== t.sndUna || t.sndUna >= t.queued) return t;
  const len = Math.min(TOY_MSS, t.queued - t.sndUna);
  out.push(seg(t, t.sndUna, len, ACK | PSH));
  return { ...t, sndNxt: t.sndUna + len, timer: now + TOY_RTO, retries: 0 };
}

export function toyStep(t: Toy, input: Input, now: Micros): StepResult<Toy> {
  const out: Output[] = [];
  let s = t;
  switch (input.kind) {
    case 'call': {
      const c = input.call;
      if (c.op === 'send') {
        const room = Math.max(0, s.sndBufLimit - (s.queued - s.sndUna));
        const n = Math.min(room, c.bytes);
        if (n === 0 && c.bytes > 0) out.push({ kind: 'result', call: c, result: { ok: false, errno: 'EAGAIN' } });
        else {
          out.push({ kind: 'result', call: c, result: { ok: true, value: n } });
          s = transmit({ ...s, queued: s.queued + n }, now, out);
        }
      } else if (c.op === 'recv') {
        const n = Math.min(s.rcvBuf, c.bytes);
        if (n === 0) out.push({ kind: 'result', call: c, result: { ok: false, errno: 'EAGAIN' } });
        else {
          out.push({ kind: 'result', call: c, result: { ok: true, value: n } });
          s = { ...s, rcvBuf: s.rcvBuf - n };
        }
      } else {
        out.push({ kind: 'result', call: c, result: { ok: true, value: 0 } });
      }
      break;
    }
    case 'timer':
      if (s.timer !== null && now >= s.timer) {
        if (s.retries >= TOY_MAX_RETRIES) s = { ...s, timer: null };
        else {
          out.push(seg(s, s.sndUna, s.sndNxt - s.sndUna, ACK | PSH));
          s = { ...s, timer: now + TOY_RTO, retries: s.retries + 1 };
        }
      }
      break;
    case 'segment': {
      if (input.checksumOk === false) {
        s = { ...s, badChecksums: s.badChecksums + 1 };
        out.push({ kind: 'note', rule: 'DT-4', text: 'bad checksum, dropped' });
        break;
      }
      const g = input.seg;
      if (g.len > 0) {
        if (g.seq === s.rcvNxt) {
          s = { ...s, rcvNxt: s.rcvNxt + g.len, rcvBuf: s.rcvBuf + g.len };
          out.push({ kind: 'event', fd: 3, event: 'readable' });
        } else s = { ...s, dupData: s.dupData + 1 };
        out.push(seg(s, s.sndNxt, 0, ACK));
      } else if (g.ack > s.sndUna && g.ack <= s.sndNxt) {
        const hadRoom = s.queued - s.sndUna < s.sndBufLimit;
        s = { ...s, sndUna: g.ack, timer: null };
        if (!hadRoom) out.push({ kind: 'event', fd: 3, event: 'writable' });
        s = transmit(s, now, out);
      }
      break;
    }
    default: {
      const never: never = input;
      return never;
    }
  }
  return { endpoint: s, outputs: out, deadline: s.timer };
}

export const toyNode: Node<Toy> = { step: toyStep };
