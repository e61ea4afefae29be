/**
 * The model's contract, shared by the model, the simulator, invariants and adapters:
 *
 *   step(endpoint, input, now) → { endpoint, outputs, deadline }
 *
 * An endpoint is one host's TCP layer (one IP address): its sockets, listeners with their SYN and
 * accept queues, connections without a file descriptor (embryonic, orphaned, TIME-WAIT), and the
 * profile it follows. Inputs and outputs are plain data; `now` and the returned `deadline` are
 * integer microseconds. `step` is pure, total and deterministic: it never mutates its arguments,
 * never throws, and the same (endpoint, input, now) always gives deeply equal results.
 *
 * Sequence numbers here are absolute (not script space); adapters translate.
 */
import type { Segment } from '../wire/types.js';
import type { CallResult, Errno, Micros, SocketCall } from '../scenario/types.js';
import type { AppEventName, TcpStateName } from '../trace/types.js';

export type { Micros, TcpStateName };

export type Input =
  /** A segment arrives from the network. `checksumOk: false` models a corrupted segment (DT-4). */
  | { readonly kind: 'segment'; readonly src: string; readonly dst: string; readonly seg: Segment; readonly checksumOk?: boolean }
  /** The application makes a call. */
  | { readonly kind: 'call'; readonly call: SocketCall }
  /** Time has reached the endpoint's deadline: every timer due at `now` fires. */
  | { readonly kind: 'timer' };

export type Output =
  /** A segment to put on the network. */
  | { readonly kind: 'segment'; readonly src: string; readonly dst: string; readonly seg: Segment }
  /** The result of the call input of this step (exactly one per call input). */
  | { readonly kind: 'result'; readonly call: SocketCall; readonly result: CallResult }
  /** An application notification on a file descriptor. */
  | { readonly kind: 'event'; readonly fd: number; readonly event: AppEventName; readonly errno?: Errno }
  /**
   * A state change of connection `conn` (a per-endpoint id that never changes, unlike fds, which a
   * connection gets only when accepted). `cause` names the event (e.g. "rcv SYN", "call close",
   * "timer TIME-WAIT").
   */
  | {
      readonly kind: 'transition';
      readonly conn: number;
      readonly fd?: number;
      readonly from: TcpStateName;
      readonly to: TcpStateName;
      readonly cause: string;
    }
  /** Which rule fired or why a segment was dropped; `rule` is a short stable id like "RS-2/challenge-ack". */
  | { readonly kind: 'note'; readonly conn?: number; readonly fd?: number; readonly rule: string; readonly text: string };

export interface StepResult<E> {
  readonly endpoint: E;
  readonly outputs: readonly Output[];
  /** The earliest time a timer of this endpoint is due, or null when no timer is armed. */
  readonly deadline: Micros | null;
}
