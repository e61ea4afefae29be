/**
 * `PairScenario`: a complete two-endpoint run as plain data (JSON-able): which profile both
 * endpoints follow, their seeds and addresses, the application calls each makes and when, the
 * reactive app policy, the fault schedule, and the bounds. Arbitraries generate it
 * (`pairScenarioArb`), `runPair` executes it, regressions store it.
 *
 * Times are integer microseconds from the start of the run (unlike `Scenario`, which uses seconds):
 * integers shrink cleanly and match the simulator's clock.
 */
import type { Micros, SocketCall } from '../scenario/types.js';
import type { FaultSchedule } from './faults.js';
import type { NodeId } from './network.js';

export const PAIR_SCENARIO_FORMAT = 1;

export interface PairApp {
  /** accept() on `accept-ready`, until EAGAIN. */
  readonly autoAccept: boolean;
  /** recv() on `readable` until a short read; 0 bytes = EOF. */
  readonly autoRecv: boolean;
  /** close() after EOF (behind pending sends). */
  readonly closeOnEof: boolean;
  /** Bytes per recv (default 65536). */
  readonly recvChunk?: number;
}

export interface PairBounds {
  readonly maxSteps: number;
  readonly maxTime: Micros;
}

export interface PairCall {
  readonly t: Micros;
  readonly node: NodeId;
  readonly call: SocketCall;
}

export interface PairScenario {
  /** Model profile name for both endpoints ("linux", "rfc9293"). */
  readonly profile: string;
  readonly seedA: number;
  readonly seedB: number;
  readonly addrA: string;
  readonly addrB: string;
  readonly calls: readonly PairCall[];
  readonly app: PairApp;
  readonly faults: FaultSchedule;
  readonly bounds: PairBounds;
  /** Free text: what the scenario is about, behaviour IDs (for stored regressions). */
  readonly note?: string;
}
