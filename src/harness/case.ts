/**
 * `HarnessCase`: the unit the property suites generate, the runner checks, the minimizer shrinks
 * and regression files store. It is a two-endpoint `PairScenario` (src/net/types.ts) plus optional
 * forged segments ("injections"): at time `t` node `from` puts a segment on the wire that its own
 * TCP did not produce — an off-path attacker or a broken peer sending RSTs, SYNs, FINs or data at
 * chosen offsets (RFC 5961 §3–§5 blind attacks, RFC 9293 §3.10.7.4 checks, RS-*, LQ-*).
 *
 * Offsets are relative to the victim's view of its connection when the segment arrives: `seqOff`
 * from its RCV.NXT, `ackOff` from its SND.NXT, ports from the connection (src/harness/forge.ts).
 * So "RST exactly at RCV.NXT", "SYN in window", "FIN one past the edge" stay meaningful whatever
 * the ISNs are, and shrink toward 0 = "exactly what the victim expects". Plain data.
 */
import type { Micros } from '../scenario/types.js';
import type { NodeId } from '../net/network.js';
import type { PairCall, PairScenario } from '../net/types.js';

export interface Injection {
  /** When it arrives, µs. */
  readonly t: Micros;
  /** The victim: the node that receives it (it appears to come from the other node's address). */
  readonly to: NodeId;
  /** TCP flags (src/wire/types.ts bits). */
  readonly flags: number;
  /** Sequence number: victim's RCV.NXT + seqOff (mod 2^32), or `seq` when given. */
  readonly seqOff: number;
  /** Acknowledgment number: victim's SND.NXT + ackOff (mod 2^32). */
  readonly ackOff: number;
  /** Payload length, bytes. */
  readonly len: number;
  /** Window field. */
  readonly window: number;
  /** Absolute sequence number (overrides seqOff), e.g. for SYN floods. */
  readonly seq?: number;
  /** Source port (a new 4-tuple: SYN floods, stray segments); the victim's listening port is the destination. */
  readonly srcPort?: number;
}

export interface HarnessCase {
  readonly pair: PairScenario;
  readonly injections: readonly Injection[];
  /**
   * Calls made "from another thread": issued at their time even when the app would hold them back
   * (a close() while connect() is still in progress, which the standard app queues behind it).
   */
  readonly direct?: readonly PairCall[];
}

/** A case without forged segments. */
export function pairCase(pair: PairScenario): HarnessCase {
  return { pair, injections: [] };
}

/** Size of a case for minimization reports: scripted and direct calls + injections + fault rules + partitions (+1 for a random block). */
export function caseSize(c: HarnessCase): number {
  const f = c.pair.faults;
  return c.pair.calls.length + (c.direct?.length ?? 0) + c.injections.length + f.rules.length + f.partitions.length + (f.random !== undefined ? 1 : 0);
}
