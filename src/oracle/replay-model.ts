/**
 * Replay a recorded trace's scenario on the model the way the oracle must: under the profile the
 * trace's header names (default `linux`), with the same trailing grace period the recorder used
 * (`meta.graceUs`), so both traces cover the same span of time, and with the recorder's host clock
 * at time 0 (`meta.clockOriginUs`), so TS ticks and syncookie timestamps fall where the kernel's did.
 */
import type { Trace } from '../trace/types.js';
import type { ModelRunOptions } from '../stacks/model.js';
import { runOnModel, DEFAULT_GRACE_US } from '../stacks/model.js';

/** Model run options that reproduce a recording's conditions (grace period, host clock origin). */
export function modelOptionsFor(recorded: Trace): ModelRunOptions {
  const meta = recorded.header.meta;
  const g = meta?.['graceUs'];
  const graceUs = typeof g === 'number' && Number.isFinite(g) && g >= 0 ? g : DEFAULT_GRACE_US;
  const o = meta?.['clockOriginUs'];
  const clockOriginUs = typeof o === 'number' && Number.isFinite(o) && o >= 0 ? o : undefined;
  return clockOriginUs === undefined ? { graceUs } : { graceUs, clockOriginUs };
}

export function modelTraceFor(recorded: Trace, seed = 1): Trace {
  return runOnModel(recorded.header.scenario, { ...modelOptionsFor(recorded), profile: recorded.header.profile ?? 'linux', seed, notes: false });
}
