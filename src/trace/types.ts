/**
 * Trace: what one stack did when it ran one scenario. Plain data, stored as JSON Lines: a header
 * line (format version, stack, profile, kernel release, sysctls, and the scenario itself) and one
 * event per line in time order.
 *
 * Segments are stored in script space (see `src/scenario/types.ts`): sequence and ack numbers
 * relative to each side's ISN and TSvals relative to the sender's first, so traces from different
 * stacks and runs compare field by field. `isn` in the header keeps the absolute values.
 */
import type { Micros, Scenario, SocketCall, CallResult, Errno } from '../scenario/types.js';
import type { Segment } from '../wire/types.js';

export const TRACE_FORMAT = 1;

/** RFC 9293 §3.3.2 state names, spelled as in the RFC, in the RFC's order. */
export const TCP_STATE_NAMES = [
  'CLOSED',
  'LISTEN',
  'SYN-SENT',
  'SYN-RECEIVED',
  'ESTABLISHED',
  'FIN-WAIT-1',
  'FIN-WAIT-2',
  'CLOSE-WAIT',
  'CLOSING',
  'LAST-ACK',
  'TIME-WAIT',
] as const;

export type TcpStateName = (typeof TCP_STATE_NAMES)[number];

export type AppEventName = 'connected' | 'readable' | 'writable' | 'eof' | 'accept-ready' | 'error';

export type TraceEvent =
  /** A segment delivered to the stack (scenario step `step`). */
  | { readonly type: 'in'; readonly t: Micros; readonly step: number; readonly seg: Segment }
  /** A segment the stack sent. */
  | { readonly type: 'out'; readonly t: Micros; readonly seg: Segment }
  /** An application call and its result. */
  | { readonly type: 'call'; readonly t: Micros; readonly step: number; readonly call: SocketCall; readonly result: CallResult }
  /** An application notification (connect completed, data readable, EOF, accept ready, error). */
  | { readonly type: 'event'; readonly t: Micros; readonly fd: number; readonly event: AppEventName; readonly errno?: Errno }
  /** A state snapshot (model: always; Linux: from TCP_INFO, so TIME-WAIT reads CLOSED). */
  | {
      readonly type: 'state';
      readonly t: Micros;
      readonly fd: number;
      readonly state: TcpStateName;
      readonly info?: Readonly<Record<string, number>>;
    }
  /** A note from the stack: which rule fired, why a segment was dropped (model only). */
  | { readonly type: 'note'; readonly t: Micros; readonly rule: string; readonly text: string; readonly fd?: number };

export interface TraceHeader {
  readonly type: 'trace';
  readonly format: typeof TRACE_FORMAT;
  /** Stack name: "model", "linux", "lwip", "stdio:<cmd>". */
  readonly stack: string;
  /** Model profile used, or the profile a real stack's recording should be compared with. */
  readonly profile?: string;
  /** `uname -r` for kernel recordings. */
  readonly kernel?: string;
  /** Every sysctl the recorder set or relied on, by full name. */
  readonly sysctls?: Readonly<Record<string, string>>;
  /** Absolute ISNs and TS bases per connection, keyed `<SUT port>/<peer port>` (see `src/scenario/space.ts`). */
  readonly isn?: Readonly<Record<string, { readonly local: number; readonly remote: number; readonly tsBase?: number }>>;
  readonly scenario: Scenario;
  /** Free-form provenance: tool version, recorder options, date. */
  readonly meta?: Readonly<Record<string, string | number | boolean>>;
}

export interface Trace {
  readonly header: TraceHeader;
  readonly events: readonly TraceEvent[];
}
