/**
 * Build the `RunRecord` whole-run invariants read from the simulator's result (src/net/sim.ts):
 * the steps with their states, both endpoints' initial and final states, how the run ended, and
 * when the network became fault-free (src/net/network.ts:faultsSettledAt).
 */
import type { Endpoint } from '../model/types.js';
import type { SimResult } from '../net/sim.js';
import { DEFAULT_MAX_TIME } from '../net/sim.js';
import { faultsSettledAt } from '../net/network.js';
import type { RunRecord } from './types.js';

export interface RunRecordInput<S> {
  readonly sim: SimResult<Endpoint, S>;
  readonly initialA: Endpoint;
  readonly initialB: Endpoint;
  /** The run's time bound (SimBounds.maxTime); default the simulator's. */
  readonly maxTime?: number;
}

export function runRecordFromSim<S>(r: RunRecordInput<S>): RunRecord {
  const { sim } = r;
  return {
    steps: sim.record,
    a: { addr: sim.net.addrA, initial: r.initialA, final: sim.a.endpoint, deadline: sim.a.deadline },
    b: { addr: sim.net.addrB, initial: r.initialB, final: sim.b.endpoint, deadline: sim.b.deadline },
    outcome: sim.outcome,
    endTime: sim.endTime,
    maxTime: r.maxTime ?? DEFAULT_MAX_TIME,
    faultsSettledAt: faultsSettledAt(sim.net),
  };
}
