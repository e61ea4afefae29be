/**
 * Helpers for the live-kernel tests: plain Scenario objects built inline (JSON data per
 * src/scenario/types.ts), segment shorthands, and lookups in the resulting traces.
 */
import type { Scenario, Step } from '../../src/scenario/types.js';
import type { Trace, TraceEvent } from '../../src/trace/types.js';
import { parseTrace, serializeTrace } from '../../src/scenario/jsonl.js';
import { linuxUnavailableReason } from '../../src/stacks/linux/index.js';
import type { Segment, TcpOption } from '../../src/wire/types.js';

export const PEER_ISN = 1_000_000;

let printed = false;
/** True when the tests can run; otherwise prints the reason once and returns false. */
export function linuxTestsEnabled(): boolean {
  const why = linuxUnavailableReason();
  if (why !== null && !printed) {
    printed = true;
    console.log(why);
  }
  return why === null;
}

export function scenario(name: string, steps: Step[], extra: Partial<Scenario['header']> = {}): Scenario {
  return {
    header: {
      type: 'scenario',
      format: 1,
      name,
      behaviours: [],
      ipVersion: 4,
      local: { addr: '192.0.2.1' },
      remote: { addr: '192.0.2.2' },
      peerIsn: PEER_ISN,
      ...extra,
    },
    steps,
  };
}

export function seg(fields: Partial<Segment> & Pick<Segment, 'srcPort' | 'dstPort' | 'flags'>): Segment {
  return { seq: 0, ack: 0, window: 65535, urgent: 0, options: [], len: 0, ...fields };
}

export const SYN_OPTIONS: TcpOption[] = [
  { kind: 'mss', mss: 1460 },
  { kind: 'sackOk' },
  { kind: 'ts', val: 100, ecr: 0 },
  { kind: 'nop' },
  { kind: 'wscale', shift: 7 },
];

export function tsOpts(val: number, ecr: number): TcpOption[] {
  return [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'ts', val, ecr }];
}

export function outs(events: readonly TraceEvent[]): Segment[] {
  return events.flatMap((e) => (e.type === 'out' ? [e.seg] : []));
}

/** Option kinds in wire order. */
export function kinds(s: Segment): string[] {
  return s.options.map((o) => o.kind);
}

/** The trace survives the project's own writer and reader (schema-valid); returns the problem or ''. */
export function traceProblem(trace: Trace): string {
  const r = parseTrace(serializeTrace(trace));
  return r.ok ? '' : JSON.stringify(r.error);
}
