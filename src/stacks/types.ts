/**
 * A stack is anything that can run a scenario and return a trace: the model, the live Linux kernel
 * over TUN, recorded Linux traces, lwIP, or an external program speaking the stdio protocol.
 */
import type { Scenario } from '../scenario/types.js';
import type { Trace } from '../trace/types.js';

export interface StackInfo {
  readonly name: string;
  readonly version: string;
  /** Virtual-time stacks run instantly; real-time stacks wait for their timers. */
  readonly time: 'virtual' | 'real';
  /** Short list of what the stack supports, e.g. ["ipv4", "ipv6", "tcp_info"]. */
  readonly supports: readonly string[];
}

export interface RunOptions {
  /** Model profile name (model stack) or the profile to compare with (real stacks). */
  readonly profile?: string;
  /** Seed for anything random the stack does (model: ISNs, secrets). */
  readonly seed?: number;
}

export interface Stack {
  readonly info: StackInfo;
  run(scenario: Scenario, options?: RunOptions): Promise<Trace>;
  /** Release resources (namespaces, child processes). Idempotent. */
  close?(): Promise<void>;
}
