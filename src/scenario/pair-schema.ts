/**
 * The `pair` document: a two-endpoint harness case (src/net/types.ts `PairScenario` plus forged
 * segments, src/harness/case.ts) stored as one JSON header line `{"type": "pair", …}`, with what is
 * known about it — the suite and run seed that found it, the invariant it broke and that
 * violation's message, the profile, the mutant if one was planted. Minimized failures in
 * `corpus/regressions/` use this form; `tcpfuzz replay` runs them on the simulator again.
 * The zod schema checks every field so a hand-edited file fails with one line naming the field.
 */
import { z } from 'zod';
import type { PairCall, PairScenario } from '../net/types.js';
import type { Injection } from '../harness/case.js';
import { SocketCallSchema } from './schema.js';
import { intIn, literal, nonEmptyStr, obj, oneOf, str, uint8 } from './schema-kit.js';

export const PAIR_DOCUMENT_FORMAT = 1;

export interface PairDocument {
  readonly format: 1;
  readonly name: string;
  readonly profile: string;
  /** Suite that generated it, and the fast-check seed of the batch. */
  readonly suite?: string;
  readonly seed?: number;
  /** The invariant it broke when it was written, and the message. */
  readonly invariant?: string;
  readonly message?: string;
  /** A planted-bug model variant (src/harness/mutants.ts) it was found with. */
  readonly mutant?: string;
  /** True once the minimizer has finished with it. */
  readonly minimized?: boolean;
  readonly scenario: PairScenario;
  readonly injections: readonly Injection[];
  /** Calls that bypass the app's per-fd ordering (src/harness/case.ts). */
  readonly direct?: readonly PairCall[];
}

const MAX_INT = Number.MAX_SAFE_INTEGER;
const micros = (): z.ZodNumber => intIn(0, MAX_INT);
const node = oneOf(['a', 'b'], 'a node (a or b)');
const dir = oneOf(['ab', 'ba', 'both'], 'a direction (ab, ba, both)');
const prob = z.number().min(0).max(1);

const FaultActionSchema = z.discriminatedUnion('kind', [
  obj({ kind: z.literal('drop') }),
  obj({ kind: z.literal('duplicate'), extraDelay: micros() }),
  obj({ kind: z.literal('delay'), extra: micros() }),
  obj({ kind: z.literal('corrupt'), bit: intIn(0, 159) }),
  obj({ kind: z.literal('truncate'), keep: intIn(0, 65535) }),
]);

const FaultMatchSchema = z.discriminatedUnion('kind', [
  obj({ kind: z.literal('nth'), n: intIn(0, MAX_INT) }),
  obj({ kind: z.literal('window'), from: micros(), to: micros() }),
]);

const FaultScheduleSchema = obj({
  latency: obj({ ab: micros(), ba: micros() }),
  rules: z.array(obj({ dir, match: FaultMatchSchema, action: FaultActionSchema })),
  partitions: z.array(obj({ from: micros(), to: micros() })),
  random: obj({
    seed: intIn(0, MAX_INT),
    dir,
    from: micros(),
    until: micros(),
    drop: prob,
    duplicate: prob,
    reorder: prob,
    corrupt: prob,
    truncate: prob,
    maxDelay: micros(),
  }).optional(),
});

const PairCallSchema = obj({ t: micros(), node, call: SocketCallSchema });

const PairScenarioSchema = obj({
  profile: nonEmptyStr(),
  seedA: intIn(0, MAX_INT),
  seedB: intIn(0, MAX_INT),
  addrA: nonEmptyStr(),
  addrB: nonEmptyStr(),
  calls: z.array(PairCallSchema),
  app: obj({ autoAccept: z.boolean(), autoRecv: z.boolean(), closeOnEof: z.boolean(), recvChunk: intIn(1, MAX_INT).optional() }),
  faults: FaultScheduleSchema,
  bounds: obj({ maxSteps: intIn(0, MAX_INT), maxTime: micros() }),
  note: str().optional(),
});

const InjectionSchema = obj({
  t: micros(),
  to: node,
  flags: uint8(),
  seqOff: intIn(-4294967295, 4294967295),
  ackOff: intIn(-4294967295, 4294967295),
  len: intIn(0, 65535),
  window: intIn(0, 65535),
  seq: intIn(0, 4294967295).optional(),
  srcPort: intIn(0, 65535).optional(),
});

export const PairHeaderSchema = obj({
  type: literal('pair'),
  format: literal(PAIR_DOCUMENT_FORMAT),
  name: nonEmptyStr(),
  profile: nonEmptyStr(),
  suite: str().optional(),
  seed: intIn(0, MAX_INT).optional(),
  invariant: str().optional(),
  message: str().optional(),
  mutant: str().optional(),
  minimized: z.boolean().optional(),
  scenario: PairScenarioSchema,
  injections: z.array(InjectionSchema),
  direct: z.array(PairCallSchema).optional(),
});

/** Drop `undefined`-valued optional keys (zod keeps the declared shape). */
function strip<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}

/** The header value (validated) as a PairDocument. */
export function pairDocumentFrom(h: z.infer<typeof PairHeaderSchema>): PairDocument {
  const { type: _type, ...rest } = h;
  const scenario = strip({ ...h.scenario, faults: strip(h.scenario.faults), app: strip(h.scenario.app) }) as PairScenario;
  return strip({ ...rest, format: PAIR_DOCUMENT_FORMAT, scenario, injections: h.injections.map((x) => strip(x)) }) as PairDocument;
}

/** The header line's JSON value, keys in a fixed order. */
export function pairHeaderJson(d: PairDocument): Record<string, unknown> {
  const o: Record<string, unknown> = { type: 'pair', format: d.format, name: d.name, profile: d.profile };
  if (d.suite !== undefined) o['suite'] = d.suite;
  if (d.seed !== undefined) o['seed'] = d.seed;
  if (d.invariant !== undefined) o['invariant'] = d.invariant;
  if (d.message !== undefined) o['message'] = d.message;
  if (d.mutant !== undefined) o['mutant'] = d.mutant;
  if (d.minimized !== undefined) o['minimized'] = d.minimized;
  o['scenario'] = d.scenario;
  o['injections'] = d.injections;
  if (d.direct !== undefined && d.direct.length > 0) o['direct'] = d.direct;
  return o;
}
