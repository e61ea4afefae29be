/**
 * Scenario and trace files as JSON Lines text, both ways. Pure: text in, values out.
 *
 * A file is a header line (`"type": "scenario"` or `"type": "trace"`) followed by one step (scenario)
 * or one event (trace) per line; or a single `"type": "pair"` line holding a two-endpoint harness
 * case (pair-schema.ts). Blank lines and lines whose first non-blank characters are `//`
 * are skipped. Reading never throws: a problem comes back as `{ ok: false, error: { line, message } }`
 * with the 1-based line number and a one-line message such as
 * `step 3: seg.seq: expected integer 0..4294967295, got -1`. Steps and events are numbered from 0,
 * as trace events refer to steps (`"step": 3` is `steps[3]`).
 *
 * Writing puts one object per line with keys in a fixed order (the order of the type declarations)
 * and flags in their string form ("S."), so equal values give byte-equal files.
 */
import type { z } from 'zod';
import type { CallResult, Scenario, ScenarioHeader, SocketCall, Step } from './types.js';
import type { Trace, TraceEvent, TraceHeader } from '../trace/types.js';
import type { Segment, TcpOption } from '../wire/types.js';
import { ScenarioHeaderSchema, StepSchema, timeBackwardsMessage } from './schema.js';
import { TraceEventSchema, TraceHeaderSchema, eventContextProblem } from '../trace/schema.js';
import { firstIssue } from './schema-kit.js';
import { formatFlags } from './flags.js';
import type { PairDocument } from './pair-schema.js';
import { PairHeaderSchema, pairDocumentFrom, pairHeaderJson } from './pair-schema.js';

export interface ParseError {
  /** 1-based line number in the text. */
  readonly line: number;
  /** One line saying what is wrong. */
  readonly message: string;
}

export type ParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ParseError };

/** A file's content, scenario or trace, as decided by its header line. */
export type Document =
  | { readonly kind: 'scenario'; readonly scenario: Scenario }
  | { readonly kind: 'trace'; readonly trace: Trace }
  | { readonly kind: 'pair'; readonly pair: PairDocument };

interface JsonLine {
  readonly line: number;
  readonly value: unknown;
}

const HEADER_TYPES = new Set(['scenario', 'trace', 'pair']);

function fail(line: number, message: string): { ok: false; error: ParseError } {
  return { ok: false, error: { line, message } };
}

/** Split into JSON values with their line numbers, skipping blanks and `//` comments. */
function jsonLines(text: string): ParseResult<JsonLine[]> {
  const out: JsonLine[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('//')) continue;
    try {
      out.push({ line: i + 1, value: JSON.parse(trimmed) as unknown });
    } catch (e) {
      return fail(i + 1, `invalid JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return { ok: true, value: out };
}

function headerType(v: unknown): string | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const t = (v as Record<string, unknown>)['type'];
  return typeof t === 'string' ? t : undefined;
}

function isHeaderLike(v: unknown): boolean {
  const t = headerType(v);
  return t !== undefined && HEADER_TYPES.has(t);
}

function validate<T>(schema: z.ZodType<T>, value: unknown, line: number, prefix: string): ParseResult<T> {
  const r = schema.safeParse(value);
  if (r.success) return { ok: true, value: r.data };
  return fail(line, `${prefix}: ${firstIssue(r.error)}`);
}

/** Parse a scenario or a trace; the header line decides which. */
export function parseDocument(text: string): ParseResult<Document> {
  const lines = jsonLines(text);
  if (!lines.ok) return lines;
  const first = lines.value[0];
  if (first === undefined) return fail(1, 'missing header line (the file has no content)');
  const t = headerType(first.value);
  if (t === undefined || !HEADER_TYPES.has(t)) {
    const looksLikeHeader =
      t !== undefined && typeof first.value === 'object' && first.value !== null && !('kind' in first.value) && !('t' in first.value);
    return fail(
      first.line,
      looksLikeHeader
        ? `unknown header type ${JSON.stringify(t)} (expected "scenario" or "trace")`
        : 'missing header line (the first line must be a {"type": "scenario"} or {"type": "trace"} header)',
    );
  }
  const rest = lines.value.slice(1);
  if (t === 'pair') {
    const h = validate(PairHeaderSchema, first.value, first.line, 'header');
    if (!h.ok) return h;
    const extra = rest[0];
    if (extra !== undefined) return fail(extra.line, 'a pair document is a single header line; nothing may follow it');
    return { ok: true, value: { kind: 'pair', pair: pairDocumentFrom(h.value) } };
  }
  if (t === 'scenario') {
    const r = scenarioFrom(first, rest);
    return r.ok ? { ok: true, value: { kind: 'scenario', scenario: r.value } } : r;
  }
  const r = traceFrom(first, rest);
  return r.ok ? { ok: true, value: { kind: 'trace', trace: r.value } } : r;
}

function scenarioFrom(first: JsonLine, rest: readonly JsonLine[]): ParseResult<Scenario> {
  const header = validate<ScenarioHeader>(ScenarioHeaderSchema, first.value, first.line, 'header');
  if (!header.ok) return header;
  const steps: Step[] = [];
  for (const { line, value } of rest) {
    if (isHeaderLike(value)) return fail(line, 'a header line must be the first line of the file');
    const step = validate<Step>(StepSchema, value, line, `step ${steps.length}`);
    if (!step.ok) return step;
    const prev = steps[steps.length - 1];
    if (prev !== undefined && step.value.t < prev.t) {
      return fail(line, `step ${steps.length}: ${timeBackwardsMessage(step.value.t, prev.t, 'step')}`);
    }
    steps.push(step.value);
  }
  return { ok: true, value: { header: header.value, steps } };
}

function traceFrom(first: JsonLine, rest: readonly JsonLine[]): ParseResult<Trace> {
  const header = validate<TraceHeader>(TraceHeaderSchema, first.value, first.line, 'header');
  if (!header.ok) return header;
  const stepCount = header.value.scenario.steps.length;
  const events: TraceEvent[] = [];
  for (const { line, value } of rest) {
    if (isHeaderLike(value)) return fail(line, 'a header line must be the first line of the file');
    const ev = validate<TraceEvent>(TraceEventSchema, value, line, `event ${events.length}`);
    if (!ev.ok) return ev;
    const problem = eventContextProblem(ev.value, events[events.length - 1]?.t, stepCount);
    if (problem !== null) return fail(line, `event ${events.length}: ${problem.message}`);
    events.push(ev.value);
  }
  return { ok: true, value: { header: header.value, events } };
}

/** Parse a scenario file's text; a trace file is an error. */
export function parseScenario(text: string): ParseResult<Scenario> {
  const r = parseDocument(text);
  if (!r.ok) return r;
  if (r.value.kind !== 'scenario') return fail(1, `expected a scenario, found a ${r.value.kind} header`);
  return { ok: true, value: r.value.scenario };
}

/** Parse a trace file's text; a scenario file is an error. */
export function parseTrace(text: string): ParseResult<Trace> {
  const r = parseDocument(text);
  if (!r.ok) return r;
  if (r.value.kind !== 'trace') return fail(1, `expected a trace, found a ${r.value.kind} header`);
  return { ok: true, value: r.value.trace };
}

// ---- writing ----

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

function optionJson(o: TcpOption): Json {
  switch (o.kind) {
    case 'eol':
    case 'nop':
    case 'sackOk':
      return { kind: o.kind };
    case 'mss':
      return { kind: o.kind, mss: o.mss };
    case 'wscale':
      return { kind: o.kind, shift: o.shift };
    case 'sack':
      return { kind: o.kind, blocks: o.blocks.map((b) => ({ left: b.left, right: b.right })) };
    case 'ts':
      return { kind: o.kind, val: o.val, ecr: o.ecr };
    case 'unknown':
      return { kind: o.kind, code: o.code, data: [...o.data] };
    case 'raw':
      return { kind: o.kind, data: [...o.data] };
    default: {
      const never: never = o;
      return never;
    }
  }
}

export function segmentJson(s: Segment): Json {
  return {
    srcPort: s.srcPort,
    dstPort: s.dstPort,
    seq: s.seq,
    ack: s.ack,
    flags: formatFlags(s.flags),
    window: s.window,
    urgent: s.urgent,
    options: s.options.map(optionJson),
    len: s.len,
  };
}

function callJson(c: SocketCall): Json {
  switch (c.op) {
    case 'socket':
    case 'accept':
    case 'close':
    case 'abort':
      return { op: c.op, fd: c.fd };
    case 'bind':
    case 'connect':
      return { op: c.op, fd: c.fd, port: c.port };
    case 'listen':
      return { op: c.op, fd: c.fd, backlog: c.backlog };
    case 'send':
    case 'recv':
      return { op: c.op, fd: c.fd, bytes: c.bytes };
    case 'shutdown':
      return { op: c.op, fd: c.fd, how: c.how };
    case 'setsockopt':
      return { op: c.op, fd: c.fd, opt: c.opt, value: c.value };
    default: {
      const never: never = c;
      return never;
    }
  }
}

function resultJson(r: CallResult): Json {
  return r.ok ? { ok: true, value: r.value } : { ok: false, errno: r.errno };
}

function withNote(o: { [k: string]: Json }, note: string | undefined): Json {
  if (note !== undefined) o['note'] = note;
  return o;
}

function stepJson(s: Step): Json {
  switch (s.kind) {
    case 'inject': {
      const o: { [k: string]: Json } = { kind: s.kind, t: s.t, seg: segmentJson(s.seg) };
      if (s.corrupt !== undefined) o['corrupt'] = s.corrupt;
      return withNote(o, s.note);
    }
    case 'expect':
      return withNote({ kind: s.kind, t: s.t, seg: segmentJson(s.seg) }, s.note);
    case 'call': {
      const o: { [k: string]: Json } = { kind: s.kind, t: s.t, call: callJson(s.call) };
      if (s.expect !== undefined) o['expect'] = resultJson(s.expect);
      return withNote(o, s.note);
    }
    case 'wait':
      return withNote({ kind: s.kind, t: s.t }, s.note);
    default: {
      const never: never = s;
      return never;
    }
  }
}

function recordJson<V extends Json>(r: Readonly<Record<string, V>>): Json {
  const o: { [k: string]: Json } = {};
  for (const [k, v] of Object.entries(r)) o[k] = v;
  return o;
}

function scenarioHeaderJson(h: ScenarioHeader): Json {
  const o: { [k: string]: Json } = { type: 'scenario', format: h.format, name: h.name };
  if (h.description !== undefined) o['description'] = h.description;
  o['behaviours'] = [...h.behaviours];
  if (h.profile !== undefined) o['profile'] = h.profile;
  o['ipVersion'] = h.ipVersion;
  o['local'] = { addr: h.local.addr };
  o['remote'] = { addr: h.remote.addr };
  o['peerIsn'] = h.peerIsn;
  if (h.sysctls !== undefined) o['sysctls'] = recordJson(h.sysctls);
  if (h.tolerance !== undefined) o['tolerance'] = { absUs: h.tolerance.absUs, rel: h.tolerance.rel };
  return o;
}

function eventJson(e: TraceEvent): Json {
  switch (e.type) {
    case 'in':
      return { type: e.type, t: e.t, step: e.step, seg: segmentJson(e.seg) };
    case 'out':
      return { type: e.type, t: e.t, seg: segmentJson(e.seg) };
    case 'call':
      return { type: e.type, t: e.t, step: e.step, call: callJson(e.call), result: resultJson(e.result) };
    case 'event': {
      const o: { [k: string]: Json } = { type: e.type, t: e.t, fd: e.fd, event: e.event };
      if (e.errno !== undefined) o['errno'] = e.errno;
      return o;
    }
    case 'state': {
      const o: { [k: string]: Json } = { type: e.type, t: e.t, fd: e.fd, state: e.state };
      if (e.info !== undefined) o['info'] = recordJson(e.info);
      return o;
    }
    case 'note': {
      const o: { [k: string]: Json } = { type: e.type, t: e.t, rule: e.rule, text: e.text };
      if (e.fd !== undefined) o['fd'] = e.fd;
      return o;
    }
    default: {
      const never: never = e;
      return never;
    }
  }
}

function scenarioJson(s: Scenario): Json {
  return { header: scenarioHeaderJson(s.header), steps: s.steps.map(stepJson) };
}

function traceHeaderJson(h: TraceHeader): Json {
  const o: { [k: string]: Json } = { type: 'trace', format: h.format, stack: h.stack };
  if (h.profile !== undefined) o['profile'] = h.profile;
  if (h.kernel !== undefined) o['kernel'] = h.kernel;
  if (h.sysctls !== undefined) o['sysctls'] = recordJson(h.sysctls);
  if (h.isn !== undefined) {
    const isn: { [k: string]: Json } = {};
    for (const [port, v] of Object.entries(h.isn)) {
      isn[port] = v.tsBase === undefined ? { local: v.local, remote: v.remote } : { local: v.local, remote: v.remote, tsBase: v.tsBase };
    }
    o['isn'] = isn;
  }
  o['scenario'] = scenarioJson(h.scenario);
  if (h.meta !== undefined) o['meta'] = recordJson(h.meta);
  return o;
}

function lines(values: readonly Json[]): string {
  return values.map((v) => `${JSON.stringify(v)}\n`).join('');
}

/** A scenario as JSONL text (header line, then one step per line; ends with a newline). */
export function serializeScenario(s: Scenario): string {
  return lines([scenarioHeaderJson(s.header), ...s.steps.map(stepJson)]);
}

/** A trace as JSONL text (header line with the scenario, then one event per line). */
export function serializeTrace(t: Trace): string {
  return lines([traceHeaderJson(t.header), ...t.events.map(eventJson)]);
}

/** A pair document as its one JSONL line. */
export function serializePair(d: PairDocument): string {
  return `${JSON.stringify(pairHeaderJson(d))}\n`;
}

/** Any kind of document. */
export function serializeDocument(d: Document): string {
  switch (d.kind) {
    case 'scenario':
      return serializeScenario(d.scenario);
    case 'trace':
      return serializeTrace(d.trace);
    case 'pair':
      return serializePair(d.pair);
    default: {
      const never: never = d;
      return never;
    }
  }
}
