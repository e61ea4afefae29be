/**
 * Scenarios and traces as packetdrill-like ladder text, one line per step or event:
 *
 * ```
 * 0.000 socket(3) = 3
 * 0.100 < S 0:0(0) win 65535 <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7>
 * 0.100 > S. 0:0(0) ack 1 win 65160 <mss 1460,sackOK,TS val 1 ecr 100,nop,wscale 10>
 * 0.120 event fd 3 connected
 * 0.200 state fd 3 SYN-SENT
 * ```
 *
 * `<` is a segment into the stack under test, `>` one out of it; `seq:end(len)` with end = seq + len
 * (mod 2^32); `ack N` only when the ACK flag is set; options in wire order. Times are seconds since
 * the scenario start with 3 decimals when every time in the document is a whole millisecond, and
 * 6 decimals for every line otherwise (real-kernel traces), so a column always lines up.
 */
import type { CallResult, Scenario, SocketCall, Step } from '../scenario/types.js';
import type { Trace, TraceEvent } from '../trace/types.js';
import type { Segment, TcpOption } from '../wire/types.js';
import { ACK, URG } from '../wire/types.js';
import { formatFlags } from '../scenario/flags.js';

export type Direction = '<' | '>';

function hex(data: readonly number[]): string {
  return data.map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function formatOption(o: TcpOption): string {
  switch (o.kind) {
    case 'mss':
      return `mss ${o.mss}`;
    case 'wscale':
      return `wscale ${o.shift}`;
    case 'sackOk':
      return 'sackOK';
    case 'sack':
      return o.blocks.length === 0 ? 'sack' : `sack ${o.blocks.map((b) => `${b.left}:${b.right}`).join(' ')}`;
    case 'ts':
      return `TS val ${o.val} ecr ${o.ecr}`;
    case 'nop':
      return 'nop';
    case 'eol':
      return 'eol';
    case 'unknown':
      return `opt-${o.code}[${hex(o.data)}]`;
    case 'raw':
      return `raw[${hex(o.data)}]`;
    default: {
      const never: never = o;
      return never;
    }
  }
}

/** `S. 0:0(0) ack 1 win 65160 <mss 1460,...>` (without time and direction). */
export function formatSegmentBody(s: Segment): string {
  const end = (s.seq + s.len) >>> 0;
  let out = `${formatFlags(s.flags)} ${s.seq}:${end}(${s.len})`;
  if ((s.flags & ACK) !== 0) out += ` ack ${s.ack}`;
  out += ` win ${s.window}`;
  if ((s.flags & URG) !== 0 || s.urgent !== 0) out += ` urg ${s.urgent}`;
  if (s.options.length > 0) out += ` <${s.options.map(formatOption).join(',')}>`;
  return out;
}

/** The ports, shown only where they are not the scenario's usual pair. */
function portsNote(s: Segment, dir: Direction, usual: Ports | undefined): string {
  if (usual === undefined) return '';
  const local = dir === '<' ? s.dstPort : s.srcPort;
  const remote = dir === '<' ? s.srcPort : s.dstPort;
  return local === usual.local && remote === usual.remote ? '' : ` (ports ${s.srcPort} > ${s.dstPort})`;
}

interface Ports {
  readonly local: number;
  readonly remote: number;
}

export function formatCall(c: SocketCall): string {
  switch (c.op) {
    case 'socket':
    case 'accept':
    case 'close':
    case 'abort':
      return `${c.op}(${c.fd})`;
    case 'bind':
    case 'connect':
      return `${c.op}(${c.fd}, port ${c.port})`;
    case 'listen':
      return `listen(${c.fd}, backlog ${c.backlog})`;
    case 'send':
    case 'recv':
      return `${c.op}(${c.fd}, ${c.bytes})`;
    case 'shutdown':
      return `shutdown(${c.fd}, ${c.how})`;
    case 'setsockopt':
      return `setsockopt(${c.fd}, ${c.opt}, ${c.value})`;
    default: {
      const never: never = c;
      return never;
    }
  }
}

export function formatResult(r: CallResult): string {
  return r.ok ? `${r.value}` : `-1 ${r.errno}`;
}

/** Time formatter for a set of microsecond times: 3 decimals if all are whole ms, else 6. */
export function timeFormatter(allUs: readonly number[]): (us: number) => string {
  const wholeMs = allUs.every((us) => Math.round(us) % 1000 === 0);
  return wholeMs ? (us) => (Math.round(us) / 1e6).toFixed(3) : (us) => (Math.round(us) / 1e6).toFixed(6);
}

function withNote(line: string, note: string | undefined): string {
  return note === undefined ? line : `${line}  // ${note}`;
}

/** The port pair most segments use (first segment's), so lines only mention unusual ports. */
function usualPorts(segs: readonly { seg: Segment; dir: Direction }[]): Ports | undefined {
  const first = segs[0];
  if (first === undefined) return undefined;
  return first.dir === '<'
    ? { local: first.seg.dstPort, remote: first.seg.srcPort }
    : { local: first.seg.srcPort, remote: first.seg.dstPort };
}

function stepLine(s: Step, time: string, ports: Ports | undefined): string {
  switch (s.kind) {
    case 'inject':
      return withNote(`${time} < ${formatSegmentBody(s.seg)}${portsNote(s.seg, '<', ports)}${s.corrupt === 'tcp-checksum' ? ' (bad checksum)' : ''}`, s.note);
    case 'expect':
      return withNote(`${time} > ${formatSegmentBody(s.seg)}${portsNote(s.seg, '>', ports)}`, s.note);
    case 'call':
      return withNote(`${time} ${formatCall(s.call)}${s.expect === undefined ? '' : ` = ${formatResult(s.expect)}`}`, s.note);
    case 'wait':
      return withNote(`${time} wait`, s.note);
    default: {
      const never: never = s;
      return never;
    }
  }
}

function scenarioHeaderLines(s: Scenario): string[] {
  const h = s.header;
  const lines = [`# scenario: ${h.name}`];
  if (h.description !== undefined) lines.push(`# ${h.description}`);
  lines.push(`# behaviours: ${h.behaviours.length === 0 ? '(none)' : h.behaviours.join(', ')}`);
  lines.push(`# profile: ${h.profile ?? 'linux'}  local ${h.local.addr}  remote ${h.remote.addr}  peer ISN ${h.peerIsn}`);
  if (h.sysctls !== undefined && Object.keys(h.sysctls).length > 0) {
    lines.push(`# sysctls: ${Object.entries(h.sysctls).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  }
  return lines;
}

/** A scenario as ladder lines, after a short `#` header block. */
export function formatScenario(s: Scenario): string[] {
  const times = s.steps.map((st) => st.t * 1e6);
  const fmt = timeFormatter(times);
  const ports = usualPorts(
    s.steps.flatMap((st): { seg: Segment; dir: Direction }[] => (st.kind === 'inject' ? [{ seg: st.seg, dir: '<' as const }] : st.kind === 'expect' ? [{ seg: st.seg, dir: '>' as const }] : [])),
  );
  return [...scenarioHeaderLines(s), ...s.steps.map((st) => stepLine(st, fmt(st.t * 1e6), ports))];
}

export interface TraceFormatOptions {
  /** Show the TCP_INFO / model fields of state events. Default false. */
  readonly info?: boolean;
}

export function formatEvent(e: TraceEvent, time: string, ports?: Ports, options: TraceFormatOptions = {}): string {
  switch (e.type) {
    case 'in':
      return `${time} < ${formatSegmentBody(e.seg)}${portsNote(e.seg, '<', ports)}`;
    case 'out':
      return `${time} > ${formatSegmentBody(e.seg)}${portsNote(e.seg, '>', ports)}`;
    case 'call':
      return `${time} ${formatCall(e.call)} = ${formatResult(e.result)}`;
    case 'event':
      return `${time} event fd ${e.fd} ${e.event}${e.errno === undefined ? '' : ` ${e.errno}`}`;
    case 'state': {
      const info =
        options.info === true && e.info !== undefined && Object.keys(e.info).length > 0
          ? ` {${Object.entries(e.info).map(([k, v]) => `${k}=${v}`).join(' ')}}`
          : '';
      return `${time} state fd ${e.fd} ${e.state}${info}`;
    }
    case 'note':
      return `${time} note${e.fd === undefined ? '' : ` fd ${e.fd}`}: ${e.rule}: ${e.text}`;
    default: {
      const never: never = e;
      return never;
    }
  }
}

/** A trace as ladder lines, after a short `#` header block (stack, profile, kernel, scenario). */
export function formatTrace(t: Trace, options: TraceFormatOptions = {}): string[] {
  const h = t.header;
  const sc = h.scenario.header;
  const lines = [`# trace: ${sc.name}`];
  const where = [`stack ${h.stack}`];
  if (h.profile !== undefined) where.push(`profile ${h.profile}`);
  if (h.kernel !== undefined) where.push(`kernel ${h.kernel}`);
  lines.push(`# ${where.join('  ')}`);
  lines.push(`# behaviours: ${sc.behaviours.length === 0 ? '(none)' : sc.behaviours.join(', ')}`);
  lines.push(`# local ${sc.local.addr}  remote ${sc.remote.addr}`);
  const fmt = timeFormatter(t.events.map((e) => e.t));
  const ports = usualPorts(
    t.events.flatMap((e): { seg: Segment; dir: Direction }[] => (e.type === 'in' ? [{ seg: e.seg, dir: '<' as const }] : e.type === 'out' ? [{ seg: e.seg, dir: '>' as const }] : [])),
  );
  for (const e of t.events) {
    const line = formatEvent(e, fmt(e.t), ports, options);
    // The scenario says which injected segments went out with a wrong checksum (DT-4).
    const st = e.type === 'in' ? h.scenario.steps[e.step] : undefined;
    lines.push(st !== undefined && st.kind === 'inject' && st.corrupt === 'tcp-checksum' ? `${line} (bad checksum)` : line);
  }
  return lines;
}
