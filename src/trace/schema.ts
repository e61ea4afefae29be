/**
 * zod schemas for trace files (the types in `src/trace/types.ts`). Event times are integer
 * microseconds, ≥ 0 and non-decreasing; segments use the scenario's segment schema (script space,
 * flags as number or string); the header embeds the whole scenario the trace ran; `in` and `call`
 * events name a step that exists in it. Objects are strict, as in scenario files.
 */
import { z } from 'zod';
import type { Trace, TraceEvent, TraceHeader } from './types.js';
import { TRACE_FORMAT } from './types.js';
import { ErrnoSchema, CallResultSchema, ScenarioSchema, SegmentSchema, SocketCallSchema, formatVersion, timeBackwardsMessage } from '../scenario/schema.js';
import { describeValue, intIn, nonEmptyStr, obj, oneOf, str, uint32, unknownTagError } from '../scenario/schema-kit.js';

const micros = (): z.ZodNumber => intIn(0, Number.MAX_SAFE_INTEGER);
const stepIndex = (): z.ZodNumber => intIn(0, 1_000_000_000);
const fd = (): z.ZodNumber => intIn(0, 65535);

export { TCP_STATE_NAMES } from './types.js';
import { TCP_STATE_NAMES } from './types.js';

export const APP_EVENT_NAMES = ['connected', 'readable', 'writable', 'eof', 'accept-ready', 'error'] as const;

const finiteNumber = z.number({ error: (iss) => `expected a finite number, got ${describeValue(iss.input)}` }).refine(Number.isFinite, {
  error: (iss) => `expected a finite number, got ${describeValue(iss.input)}`,
});

export const TraceEventSchema = z.discriminatedUnion(
  'type',
  [
    obj({ type: z.literal('in'), t: micros(), step: stepIndex(), seg: SegmentSchema }),
    obj({ type: z.literal('out'), t: micros(), seg: SegmentSchema }),
    obj({ type: z.literal('call'), t: micros(), step: stepIndex(), call: SocketCallSchema, result: CallResultSchema }),
    obj({
      type: z.literal('event'),
      t: micros(),
      fd: fd(),
      event: oneOf(APP_EVENT_NAMES, 'an application event'),
      errno: ErrnoSchema.optional(),
    }),
    obj({
      type: z.literal('state'),
      t: micros(),
      fd: fd(),
      state: oneOf(TCP_STATE_NAMES, 'a TCP state name'),
      info: z.record(str(), finiteNumber).optional(),
    }),
    obj({ type: z.literal('note'), t: micros(), rule: nonEmptyStr(), text: str(), fd: fd().optional() }),
  ],
  { error: unknownTagError('type', 'event type') },
);

const FLOW_KEY = /^(0|[1-9]\d{0,4})\/(0|[1-9]\d{0,4})$/;

export const TraceHeaderSchema = obj({
  type: z.literal('trace', { error: (iss) => `expected "trace", got ${describeValue(iss.input)}` }),
  format: formatVersion(TRACE_FORMAT),
  stack: nonEmptyStr(),
  profile: nonEmptyStr().optional(),
  kernel: str().optional(),
  sysctls: z.record(str(), str()).optional(),
  isn: z
    .record(
      str().refine((k) => FLOW_KEY.test(k) && k.split('/').every((p) => Number(p) <= 65535), {
        error: (iss) => `expected "<sut port>/<peer port>" as key, got ${describeValue(iss.input)}`,
      }),
      obj({ local: uint32(), remote: uint32(), tsBase: uint32().optional() }),
    )
    .optional(),
  scenario: ScenarioSchema,
  meta: z
    .record(
      str(),
      z.union([z.string(), z.number(), z.boolean()], {
        error: (iss) => `expected a string, number or boolean, got ${describeValue(iss.input)}`,
      }),
    )
    .optional(),
});

/** Problems with one event given the ones before it: time order, step references. Null when fine. */
export function eventContextProblem(
  event: TraceEvent,
  previousT: number | undefined,
  stepCount: number,
): { readonly path: string; readonly message: string } | null {
  if (previousT !== undefined && event.t < previousT) {
    return { path: 't', message: timeBackwardsMessage(event.t, previousT, 'event') };
  }
  if ((event.type === 'in' || event.type === 'call') && event.step >= stepCount) {
    return { path: 'step', message: `step ${event.step} is not in the scenario (it has ${stepCount} step${stepCount === 1 ? '' : 's'})` };
  }
  return null;
}

export const TraceSchema = obj({
  header: TraceHeaderSchema,
  events: z.array(TraceEventSchema),
}).superRefine((tr, ctx) => {
  let prev: number | undefined;
  for (let i = 0; i < tr.events.length; i++) {
    const ev = tr.events[i]!;
    const problem = eventContextProblem(ev, prev, tr.header.scenario.steps.length);
    if (problem !== null) ctx.addIssue({ code: 'custom', path: ['events', i, problem.path], message: problem.message });
    prev = ev.t;
  }
});

// Compile-time checks that the schemas produce the declared types.
type Out<S extends z.ZodType> = z.output<S>;
const typeChecks: [
  Out<typeof TraceEventSchema> extends TraceEvent ? true : false,
  Out<typeof TraceHeaderSchema> extends TraceHeader ? true : false,
  Out<typeof TraceSchema> extends Trace ? true : false,
] = [true, true, true];
void typeChecks;
