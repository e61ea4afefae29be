/**
 * `runPair`: execute a `PairScenario` (types.ts) with a model: create both endpoints from the
 * profile, addresses and seeds, drive them with `autoApp` over the scenario's faulty network, and
 * return the simulator's run record. The model is passed in (`PairModel`) so the harness does not
 * depend on one model implementation, and so mutants and other virtual-time stacks can be run the
 * same way.
 */
import type { AppState } from './app.js';
import { autoApp } from './app.js';
import type { Node, SimResult } from './sim.js';
import { runSim } from './sim.js';
import type { PairScenario } from './types.js';

/** What `runPair` needs from a model. */
export interface PairModel<E> {
  readonly node: Node<E>;
  /**
   * A fresh endpoint at `addr`, talking to `peer` (the address `connect` goes to), following the
   * named profile, with its secrets and ISN clock derived from `seed`. An error string when the
   * profile is unknown or an argument is bad.
   */
  createEndpoint(opts: { readonly profile: string; readonly addr: string; readonly peer: string; readonly seed: number }): { readonly ok: true; readonly endpoint: E } | { readonly ok: false; readonly error: string };
}

export type PairRunResult<E> =
  | ({ readonly ok: true } & SimResult<E, AppState>)
  | { readonly ok: false; readonly error: string };

export interface RunPairOptions {
  /** Keep endpoint states before/after each step (for per-step invariants). */
  readonly recordStates?: boolean;
}

export function runPair<E>(pair: PairScenario, model: PairModel<E>, opts: RunPairOptions = {}): PairRunResult<E> {
  const a = model.createEndpoint({ profile: pair.profile, addr: pair.addrA, peer: pair.addrB, seed: pair.seedA });
  if (!a.ok) return { ok: false, error: `endpoint a: ${a.error}` };
  const b = model.createEndpoint({ profile: pair.profile, addr: pair.addrB, peer: pair.addrA, seed: pair.seedB });
  if (!b.ok) return { ok: false, error: `endpoint b: ${b.error}` };
  if (pair.addrA === pair.addrB) return { ok: false, error: `addrA and addrB are both ${pair.addrA}` };
  const res = runSim<E, AppState>({
    a: { addr: pair.addrA, endpoint: a.endpoint, node: model.node },
    b: { addr: pair.addrB, endpoint: b.endpoint, node: model.node },
    script: pair.calls,
    faults: pair.faults,
    driver: autoApp(pair.app),
    bounds: pair.bounds,
    recordStates: opts.recordStates === true,
  });
  return { ok: true, ...res };
}
