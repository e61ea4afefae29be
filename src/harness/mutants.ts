/**
 * Planted bugs for demonstrations and for showing that the harness finds, shrinks and replays a
 * failure: each mutant wraps the real model's `step` and breaks one rule on purpose. They are
 * reachable from the CLI through the hidden `tcpfuzz run --mutant NAME` option and from tests.
 * A mutant run counts as failing only on a violation the unmutated model does not show on the same
 * case (mutants.ts `differential` in runner.ts), so a bug the real model has does not hide the
 * planted one.
 *
 * - `window-left`: while unread data sits in the receive queue, the advertised window field is
 *   halved — the right edge moves left (RFC 9293 §3.8.6.2.2 / RFC 1122 §4.2.2.16 forbid it; WIN-3).
 * - `timewait-no-restart`: a retransmitted FIN in TIME-WAIT is acknowledged but the 2·MSL timer is
 *   not restarted (RFC 9293 §3.10.7.4 eighth check, TIME-WAIT; TMR-5).
 * - `rst-any-in-window`: an RST anywhere in the receive window is taken as exact, as before
 *   RFC 5961 §3.2 (no challenge ACK).
 */
import type { Input, Micros, StepResult } from '../model/api.js';
import type { Conn, Endpoint } from '../model/types.js';
import { step as modelStep } from '../model/index.js';
import type { PairModel } from '../net/pair.js';
import { tcpModel } from '../net/model.js';
import { ACK, FIN, RST, SYN } from '../wire/types.js';
import { seqAdd, seqInRange } from '../wire/seq.js';

export interface Mutant {
  readonly name: string;
  readonly title: string;
  /** The invariant expected to catch it. */
  readonly caughtBy: string;
  /** The suite that finds it fastest. */
  readonly suite: string;
  readonly model: PairModel<Endpoint>;
}

type StepFn = (e: Endpoint, input: Input, now: Micros) => StepResult<Endpoint>;

function withStep(step: StepFn): PairModel<Endpoint> {
  return { node: { step }, createEndpoint: tcpModel.createEndpoint };
}

function connFor(e: Endpoint, localPort: number, remotePort: number): Conn | undefined {
  return e.conns.find((c) => c.localPort === localPort && c.remotePort === remotePort && c.state !== 'LISTEN');
}

const SYNCHRONIZED = new Set(['ESTABLISHED', 'FIN-WAIT-1', 'FIN-WAIT-2', 'CLOSE-WAIT', 'CLOSING', 'LAST-ACK', 'TIME-WAIT']);

const windowLeft: StepFn = (e, input, now) => {
  const r = modelStep(e, input, now);
  let changed = false;
  const outputs = r.outputs.map((o) => {
    if (o.kind !== 'segment' || (o.seg.flags & ACK) === 0 || (o.seg.flags & (SYN | RST)) !== 0) return o;
    const c = connFor(r.endpoint, o.seg.srcPort, o.seg.dstPort);
    if (c === undefined || !SYNCHRONIZED.has(c.state) || c.readable === 0 || o.seg.window < 2) return o;
    changed = true;
    return { ...o, seg: { ...o.seg, window: Math.floor(o.seg.window / 2) } };
  });
  return changed ? { ...r, outputs } : r;
};

const timeWaitNoRestart: StepFn = (e, input, now) => {
  const r = modelStep(e, input, now);
  if (input.kind !== 'segment' || (input.seg.flags & FIN) === 0) return r;
  const before = connFor(e, input.seg.dstPort, input.seg.srcPort);
  if (before === undefined || before.state !== 'TIME-WAIT') return r;
  let restored: Micros | null = null;
  const conns = r.endpoint.conns.map((c) => {
    if (c.id !== before.id || c.state !== 'TIME-WAIT' || c.timeWaitAt === before.timeWaitAt) return c;
    restored = before.timeWaitAt;
    return { ...c, timeWaitAt: before.timeWaitAt };
  });
  if (restored === null) return r;
  const d: Micros = restored;
  return { ...r, endpoint: { ...r.endpoint, conns }, deadline: r.deadline === null ? d : Math.min(r.deadline, d) };
};

const rstAnyInWindow: StepFn = (e, input, now) => {
  if (input.kind !== 'segment' || (input.seg.flags & RST) === 0) return modelStep(e, input, now);
  const c = connFor(e, input.seg.dstPort, input.seg.srcPort);
  if (c === undefined || !SYNCHRONIZED.has(c.state) || c.rcvWnd === 0) return modelStep(e, input, now);
  if (!seqInRange(input.seg.seq, c.rcvNxt, seqAdd(c.rcvNxt, c.rcvWnd))) return modelStep(e, input, now);
  return modelStep(e, { ...input, seg: { ...input.seg, seq: c.rcvNxt } }, now);
};

export const MUTANTS: readonly Mutant[] = [
  { name: 'window-left', title: 'the advertised right edge moves left while data is unread', caughtBy: 'WIN-3', suite: 'transfer', model: withStep(windowLeft) },
  { name: 'timewait-no-restart', title: 'TIME-WAIT is not restarted by a retransmitted FIN', caughtBy: 'TMR-5', suite: 'close', model: withStep(timeWaitNoRestart) },
  { name: 'rst-any-in-window', title: 'any in-window RST resets the connection (no RFC 5961 challenge ACK)', caughtBy: 'RS-*', suite: 'hostile', model: withStep(rstAnyInWindow) },
];

export function findMutant(name: string): Mutant | undefined {
  return MUTANTS.find((m) => m.name === name);
}
