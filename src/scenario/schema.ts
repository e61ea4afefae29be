/**
 * zod schemas for scenario files (the types in `src/scenario/types.ts` and the segment types of
 * `src/wire/types.ts`). They check what JSON cannot: integers where integers, uint32 sequence
 * space (DT-2), 16-bit ports and windows, an 8-bit flags byte, options per kind and at most the
 * 40 bytes a TCP header can hold (RFC 9293 §3.1: data offset ≤ 15 words), times finite, ≥ 0 and
 * non-decreasing, behaviour IDs like "HS-1", addresses matching the IP version.
 *
 * Objects are strict (unknown keys are errors, so a typo never passes silently). Flags accept a
 * number or a tcpdump-style string ("S.") and come out as the number. A few fields have defaults
 * so hand-written files stay short: segment `urgent` 0, `options` [], `len` 0; header `behaviours`
 * [], `ipVersion` 4, `local`/`remote` the TEST-NET addresses, `peerIsn` 0.
 */
import { z } from 'zod';
import type { Scenario, ScenarioHeader, SocketCall, CallResult, Step } from './types.js';
import type { Segment, TcpOption } from '../wire/types.js';
import { SCENARIO_FORMAT } from './types.js';
import { parseFlags } from './flags.js';
import { optionsLength, MAX_OPTIONS_BYTES } from '../wire/options.js';
import { parseIpv4, parseIpv6 } from '../wire/addr.js';
import {
  arrayOf,
  describeValue,
  intIn,
  literal,
  nonEmptyStr,
  nonNegative,
  obj,
  oneOf,
  str,
  uint16,
  uint32,
  uint8,
  unknownTagError,
} from './schema-kit.js';

export const BEHAVIOUR_ID = /^[A-Z]{2}-\d+$/;

/** Flags: a number 0..255 or a flags string; the output is the number. */
export const FlagsSchema = z.unknown().transform((v, ctx): number => {
  if (typeof v === 'number') {
    if (Number.isInteger(v) && v >= 0 && v <= 255) return v;
  } else if (typeof v === 'string') {
    const r = parseFlags(v);
    if (r.ok) return r.flags;
    ctx.addIssue({ code: 'custom', message: r.message });
    return z.NEVER;
  }
  ctx.addIssue({
    code: 'custom',
    message: v === undefined ? 'missing field' : `expected integer 0..255 or a flags string like "S.", got ${describeValue(v)}`,
  });
  return z.NEVER;
});

const SackBlockSchema = obj({ left: uint32(), right: uint32() });

export const TcpOptionSchema = z.discriminatedUnion(
  'kind',
  [
    obj({ kind: z.literal('eol') }),
    obj({ kind: z.literal('nop') }),
    obj({ kind: z.literal('mss'), mss: uint16() }),
    obj({ kind: z.literal('wscale'), shift: uint8() }),
    obj({ kind: z.literal('sackOk') }),
    obj({ kind: z.literal('sack'), blocks: arrayOf(SackBlockSchema) }),
    obj({ kind: z.literal('ts'), val: uint32(), ecr: uint32() }),
    obj({ kind: z.literal('unknown'), code: uint8(), data: arrayOf(uint8()) }),
    obj({ kind: z.literal('raw'), data: arrayOf(uint8()) }),
  ],
  { error: unknownTagError('kind', 'option kind') },
);

export const SegmentSchema = obj({
  srcPort: uint16(),
  dstPort: uint16(),
  seq: uint32(),
  ack: uint32(),
  flags: FlagsSchema,
  window: uint16(),
  urgent: uint16().default(0),
  options: arrayOf(TcpOptionSchema).default([]),
  len: intIn(0, 65535).default(0),
}).superRefine((seg, ctx) => {
  const bytes = optionsLength(seg.options);
  if (bytes > MAX_OPTIONS_BYTES) {
    ctx.addIssue({
      code: 'custom',
      path: ['options'],
      message: `options take ${bytes} bytes, more than the ${MAX_OPTIONS_BYTES} a TCP header can hold`,
    });
  }
});

const fd = (): z.ZodNumber => intIn(0, 65535);
const INT32_MAX = 2147483647;

export const SocketCallSchema = z.discriminatedUnion(
  'op',
  [
    obj({ op: z.literal('socket'), fd: fd() }),
    obj({ op: z.literal('bind'), fd: fd(), port: uint16() }),
    obj({ op: z.literal('listen'), fd: fd(), backlog: intIn(0, INT32_MAX) }),
    obj({ op: z.literal('connect'), fd: fd(), port: uint16() }),
    obj({ op: z.literal('accept'), fd: fd() }),
    obj({ op: z.literal('send'), fd: fd(), bytes: intIn(0, INT32_MAX) }),
    obj({ op: z.literal('recv'), fd: fd(), bytes: intIn(0, INT32_MAX) }),
    obj({ op: z.literal('shutdown'), fd: fd(), how: oneOf(['SHUT_RD', 'SHUT_WR', 'SHUT_RDWR'], 'a shutdown mode') }),
    obj({ op: z.literal('close'), fd: fd() }),
    obj({ op: z.literal('abort'), fd: fd() }),
    obj({
      op: z.literal('setsockopt'),
      fd: fd(),
      opt: oneOf(
        [
          'TCP_NODELAY',
          'TCP_MAXSEG',
          'TCP_KEEPIDLE',
          'TCP_KEEPINTVL',
          'TCP_KEEPCNT',
          'TCP_USER_TIMEOUT',
          'TCP_QUICKACK',
          'SO_RCVBUF',
          'SO_SNDBUF',
          'SO_KEEPALIVE',
          'SO_LINGER',
        ],
        'a socket option',
      ),
      value: intIn(-2147483648, INT32_MAX),
    }),
  ],
  { error: unknownTagError('op', 'call op') },
);

export { ERRNOS } from './types.js';
import { ERRNOS } from './types.js';

export const ErrnoSchema = oneOf(ERRNOS, 'an errno');

export const CallResultSchema = z.discriminatedUnion(
  'ok',
  [obj({ ok: z.literal(true), value: intIn(0, INT32_MAX) }), obj({ ok: z.literal(false), errno: ErrnoSchema })],
  { error: unknownTagError('ok', 'result with ok =') },
);

const seconds = (): z.ZodNumber => nonNegative('seconds');
const note = (): z.ZodOptional<z.ZodString> => str().optional();

export const StepSchema = z.discriminatedUnion(
  'kind',
  [
    obj({ kind: z.literal('inject'), t: seconds(), seg: SegmentSchema, note: note(), corrupt: z.literal('tcp-checksum').optional() }),
    obj({ kind: z.literal('call'), t: seconds(), call: SocketCallSchema, expect: CallResultSchema.optional(), note: note() }),
    obj({ kind: z.literal('expect'), t: seconds(), seg: SegmentSchema, note: note() }),
    obj({ kind: z.literal('wait'), t: seconds(), note: note() }),
  ],
  { error: unknownTagError('kind', 'step kind') },
);

/** Default addresses (TEST-NET-1 / the documentation prefix) for the SUT and the scripted peer. */
export const DEFAULT_ADDRS = {
  4: { local: '192.0.2.1', remote: '192.0.2.2' },
  6: { local: '2001:db8::1', remote: '2001:db8::2' },
} as const;

const EndpointSchema = obj({ addr: str('an IP address') });

/** The format field, with a message that says which version this build reads. */
export function formatVersion<const N extends number>(expected: N): z.ZodType<N, unknown> {
  return z.unknown().transform((v, ctx): N => {
    if (v === expected) return expected;
    ctx.addIssue({
      code: 'custom',
      message:
        v === undefined
          ? 'missing field'
          : typeof v === 'number'
            ? `unsupported format version ${v} (this tcpfuzz reads version ${expected})`
            : `expected format version ${expected}, got ${describeValue(v)}`,
    });
    return z.NEVER;
  });
}

export const ScenarioHeaderSchema = obj({
  type: literal('scenario'),
  format: formatVersion(SCENARIO_FORMAT),
  name: nonEmptyStr(),
  description: str().optional(),
  behaviours: arrayOf(
    str().regex(BEHAVIOUR_ID, { error: (iss) => `expected a behaviour ID like "HS-1", got ${describeValue(iss.input)}` }),
  ).default([]),
  profile: nonEmptyStr().optional(),
  ipVersion: z
    .union([z.literal(4), z.literal(6)], { error: (iss) => `expected 4 or 6, got ${describeValue(iss.input)}` })
    .default(4),
  local: EndpointSchema.optional(),
  remote: EndpointSchema.optional(),
  peerIsn: uint32().default(0),
  sysctls: z
    .record(
      str(),
      z.union([z.number(), z.string()], { error: (iss) => `expected a number or a string, got ${describeValue(iss.input)}` }),
    )
    .optional(),
  tolerance: obj({ absUs: intIn(0, Number.MAX_SAFE_INTEGER), rel: nonNegative('') }).optional(),
}).transform((h, ctx): ScenarioHeader => {
  const defaults = DEFAULT_ADDRS[h.ipVersion];
  const local = h.local ?? { addr: defaults.local };
  const remote = h.remote ?? { addr: defaults.remote };
  const parse = h.ipVersion === 4 ? parseIpv4 : parseIpv6;
  for (const [key, ep] of [
    ['local', local],
    ['remote', remote],
  ] as const) {
    if (parse(ep.addr) === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [key, 'addr'],
        message: `expected an IPv${h.ipVersion} address, got ${describeValue(ep.addr)}`,
      });
    }
  }
  return {
    type: 'scenario',
    format: SCENARIO_FORMAT,
    name: h.name,
    ...(h.description !== undefined ? { description: h.description } : {}),
    behaviours: h.behaviours,
    ...(h.profile !== undefined ? { profile: h.profile } : {}),
    ipVersion: h.ipVersion,
    local,
    remote,
    peerIsn: h.peerIsn,
    ...(h.sysctls !== undefined ? { sysctls: h.sysctls } : {}),
    ...(h.tolerance !== undefined ? { tolerance: h.tolerance } : {}),
  };
});

/** Message for a time that goes backwards (also used line by line by the JSONL reader). */
export function timeBackwardsMessage(t: number, previous: number, what: 'step' | 'event'): string {
  return `t ${t} is before the previous ${what}'s t ${previous}`;
}

export const ScenarioSchema = obj({
  header: ScenarioHeaderSchema,
  steps: arrayOf(StepSchema),
}).superRefine((s, ctx) => {
  for (let i = 1; i < s.steps.length; i++) {
    const prev = s.steps[i - 1]!.t;
    const t = s.steps[i]!.t;
    if (t < prev) ctx.addIssue({ code: 'custom', path: ['steps', i, 't'], message: timeBackwardsMessage(t, prev, 'step') });
  }
});

// Compile-time checks that the schemas produce exactly the declared types.
type Out<S extends z.ZodType> = z.output<S>;
const typeChecks: [
  Out<typeof TcpOptionSchema> extends TcpOption ? true : false,
  Out<typeof SegmentSchema> extends Segment ? true : false,
  Out<typeof SocketCallSchema> extends SocketCall ? true : false,
  Out<typeof CallResultSchema> extends CallResult ? true : false,
  Out<typeof StepSchema> extends Step ? true : false,
  Out<typeof ScenarioSchema> extends Scenario ? true : false,
] = [true, true, true, true, true, true];
void typeChecks;
