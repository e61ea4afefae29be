/**
 * Replay a recorded trace's scenario on the model the way the oracle must: under the profile the
 * trace's header names (default `linux`) and with the same trailing grace period the recorder used
 * (`meta.graceUs`), so both traces cover the same span of time.
 */
import type { Trace } from '../trace/types.js';
import { runOnModel, DEFAULT_GRACE_US } from '../stacks/model.js';

export function modelTraceFor(recorded: Trace, seed = 1): Trace {
  const g = recorded.header.meta?.['graceUs'];
  const graceUs = typeof g === 'number' && Number.isFinite(g) && g >= 0 ? g : DEFAULT_GRACE_US;
  return runOnModel(recorded.header.scenario, { profile: recorded.header.profile ?? 'linux', graceUs, seed, notes: false });
}
