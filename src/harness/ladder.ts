/**
 * Ladder text for two-endpoint runs and pair documents, in packetdrill's spirit: one line per
 * event, time in seconds, the node (`a` client side, `b` server side), `<` for a segment arriving
 * at that node and `>` for one it sends, sequence numbers relative to the connection's ISN/IRS
 * where the node has a matching connection, the network's verdict on each sent segment
 * (`[lost]`, `[dup]`, `[corrupt]` …), call results, state transitions, and forged segments (case
 * injections) marked `FORGED`. The step that broke an invariant is flagged with `!!`.
 */
import type { Output } from '../model/api.js';
import type { Conn, Endpoint } from '../model/types.js';
import type { Segment } from '../wire/types.js';
import { ACK } from '../wire/types.js';
import type { SimStep } from '../net/sim.js';
import type { Fate } from '../net/faults.js';
import type { PairDocument } from '../scenario/pair-schema.js';
import { formatFlags } from '../scenario/flags.js';
import { formatCall, formatResult } from '../report/text.js';
import type { Violation } from '../invariants/types.js';
import type { Forging } from './forge.js';

function secs(us: number): string {
  return (us / 1e6).toFixed(6);
}

function findConn(e: Endpoint, localPort: number, remotePort: number): Conn | null {
  for (const c of e.conns) if (c.localPort === localPort && c.remotePort === remotePort && c.state !== 'LISTEN') return c;
  return null;
}

/** `S. 1:1(0) ack 1 win 65535` with seq/ack relative to `seqBase`/`ackBase` (absolute when null). */
function seg(s: Segment, seqBase: number | null, ackBase: number | null): string {
  const seq = seqBase === null ? s.seq : (s.seq - seqBase) >>> 0;
  let out = `${formatFlags(s.flags)} ${seq}:${(seq + s.len) >>> 0}(${s.len})`;
  if ((s.flags & ACK) !== 0) out += ` ack ${ackBase === null ? s.ack : (s.ack - ackBase) >>> 0}`;
  out += ` win ${s.window}`;
  if (s.options.length > 0) out += ` <${s.options.length} opt>`;
  return out;
}

function fateText(f: Fate | null | undefined): string {
  if (f === null) return ' [unroutable]';
  if (f === undefined || f.faults.length === 0) return '';
  return ` [${f.faults.join(',')}${f.copies.length === 0 ? ', lost' : ''}]`;
}

function outputLines(node: string, t: string, outputs: readonly Output[], fates: readonly (Fate | null)[], after: Endpoint): string[] {
  const lines: string[] = [];
  let segIdx = 0;
  for (const o of outputs) {
    switch (o.kind) {
      case 'segment': {
        const c = findConn(after, o.seg.srcPort, o.seg.dstPort);
        const text = seg(o.seg, c?.iss ?? null, c?.irs ?? null);
        lines.push(`${t} ${node} > ${text}${o.seg.srcPort !== c?.localPort || c === null ? ` (ports ${o.seg.srcPort} > ${o.seg.dstPort})` : ''}${fateText(fates[segIdx])}`);
        segIdx++;
        break;
      }
      case 'result':
        lines.push(`${t} ${node}   ${formatCall(o.call)} = ${formatResult(o.result)}`);
        break;
      case 'event':
        lines.push(`${t} ${node}   event ${o.event} fd ${o.fd}${o.errno !== undefined ? ` ${o.errno}` : ''}`);
        break;
      case 'transition':
        lines.push(`${t} ${node}   conn ${o.conn}${o.fd !== undefined ? ` fd ${o.fd}` : ''}: ${o.from} → ${o.to} (${o.cause})`);
        break;
      case 'note':
        lines.push(`${t} ${node}   note ${o.rule}: ${o.text}`);
        break;
      default: {
        const never: never = o;
        return never;
      }
    }
  }
  return lines;
}

/** Ladder lines of a run's steps (each step: its input, then its outputs). */
export function formatRun(record: readonly SimStep<Forging>[], violation: Violation | null = null, maxLines = 600): string[] {
  const lines: string[] = [];
  for (let i = 0; i < record.length; i++) {
    const s = record[i]!;
    const t = secs(s.time);
    const before = s.before?.inner;
    const after = s.after?.inner ?? before;
    const input = s.after?.injected ?? s.input;
    const forged = s.after?.injected != null;
    const mark = violation !== null && violation.step === i ? '!!' : '';
    switch (input.kind) {
      case 'segment': {
        const inp = input;
        const c = after !== undefined ? findConn(after, inp.seg.dstPort, inp.seg.srcPort) ?? (before !== undefined ? findConn(before, inp.seg.dstPort, inp.seg.srcPort) : null) : null;
        lines.push(`${t} ${s.node} < ${seg(inp.seg, c?.irs ?? null, c?.iss ?? null)}${forged ? ' FORGED' : ''}${inp.checksumOk === false ? ' (bad checksum)' : ''}${mark}`);
        break;
      }
      case 'call':
        if (mark !== '') lines.push(`${t} ${s.node}   (call ${formatCall(input.call)})${mark}`);
        break;
      case 'timer':
        lines.push(`${t} ${s.node}   timer${mark}`);
        break;
      default: {
        const never: never = input;
        return never;
      }
    }
    if (after !== undefined) lines.push(...outputLines(s.node, t, s.outputs, s.fates, after));
    if (mark !== '' && violation !== null) lines.push(`!! ${violation.id}: ${violation.message}`);
  }
  if (lines.length <= maxLines) return lines;
  const head = Math.floor(maxLines / 3);
  const tail = maxLines - head;
  return [...lines.slice(0, head), `… ${lines.length - maxLines} lines omitted …`, ...lines.slice(lines.length - tail)];
}

/** The scenario of a pair document as lines (for `tcpfuzz show`). */
export function formatPairDocument(d: PairDocument): string[] {
  const p = d.scenario;
  const lines: string[] = [
    `pair case "${d.name}" profile ${d.profile}${d.suite !== undefined ? ` suite ${d.suite}` : ''}${d.seed !== undefined ? ` seed ${d.seed}` : ''}${d.mutant !== undefined ? ` mutant ${d.mutant}` : ''}`,
  ];
  if (d.invariant !== undefined) lines.push(`broke ${d.invariant}${d.message !== undefined ? `: ${d.message}` : ''}`);
  lines.push(`a ${p.addrA} (seed ${p.seedA})  b ${p.addrB} (seed ${p.seedB})  app ${JSON.stringify(p.app)}`);
  lines.push(`faults: latency ab ${p.faults.latency.ab} µs, ba ${p.faults.latency.ba} µs; ${p.faults.rules.length} rule(s), ${p.faults.partitions.length} partition(s)${p.faults.random !== undefined ? ', random block' : ''}`);
  for (const r of p.faults.rules) lines.push(`  rule ${r.dir} ${r.match.kind === 'nth' ? `#${r.match.n}` : `[${secs(r.match.from)}, ${secs(r.match.to)})`} ${JSON.stringify(r.action)}`);
  for (const x of p.faults.partitions) lines.push(`  partition [${secs(x.from)}, ${secs(x.to)})`);
  for (const c of p.calls) lines.push(`${secs(c.t)} ${c.node}   ${formatCall(c.call)}`);
  for (const c of d.direct ?? []) lines.push(`${secs(c.t)} ${c.node}   ${formatCall(c.call)} (direct)`);
  for (const x of d.injections) {
    lines.push(`${secs(x.t)} ${x.to} < ${formatFlags(x.flags)} FORGED seq ${x.seq !== undefined ? x.seq : `rcv.nxt${x.seqOff >= 0 ? '+' : ''}${x.seqOff}`} ack snd.nxt${x.ackOff >= 0 ? '+' : ''}${x.ackOff} len ${x.len} win ${x.window}${x.srcPort !== undefined ? ` sport ${x.srcPort}` : ''}`);
  }
  return lines;
}
