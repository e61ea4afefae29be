/**
 * The JSON-lines protocol between the recorder's parent (LinuxStack) and a worker process inside a
 * network namespace. One JSON object per line on the worker's stdin (requests) and stdout
 * (replies). The worker exits when its stdin closes, so it never outlives its parent.
 */
import type { Scenario } from '../../scenario/types.js';
import type { Trace } from '../../trace/types.js';

/** Settings the parent passes to every run. */
export interface RunSettings {
  /** Sysctl overrides of the stack (scenario keys or full names), under the scenario's own. */
  readonly sysctls?: Readonly<Record<string, string | number>>;
  /** Capture time after the last step, microseconds. */
  readonly graceUs: number;
  /** Per-socket congestion control when the scenario does not name one. */
  readonly congestion: string;
  /** Map the scenario's local ports to fresh real ports (and back in the trace). */
  readonly remapPorts: boolean;
  /** Profile the trace should name (RunOptions.profile), over the scenario's. */
  readonly profile?: string;
  /** Extra provenance for the trace header's meta. */
  readonly meta?: Readonly<Record<string, string | number | boolean>>;
}

export type WorkerRequest =
  | { readonly type: 'run'; readonly id: number; readonly scenario: Scenario; readonly settings: RunSettings }
  | { readonly type: 'shutdown' };

export type WorkerReply =
  | { readonly type: 'ready'; readonly kernel: string; readonly tun: string; readonly pid: number }
  | { readonly type: 'result'; readonly id: number; readonly trace: Trace }
  | { readonly type: 'error'; readonly id: number; readonly message: string }
  | { readonly type: 'fatal'; readonly message: string };
