/**
 * The initial congestion-control / loss-recovery state of a connection (types.ts CcState): Open,
 * no dup ACKs, no recovery point, not cwnd-limited, no data sent yet. Kept apart so conn.ts can
 * build a Conn without importing the algorithms (congestion.ts, recovery.ts).
 */
import type { CcState } from './types.js';

export function initialCcState(seq: number): CcState {
  return {
    caState: 'open',
    cwndCnt: 0,
    sackedOut: 0,
    dupAcks: 0,
    highSeq: seq,
    priorCwnd: 0,
    prrDelivered: 0,
    prrOut: 0,
    isCwndLimited: false,
    maxPacketsOut: 0,
    cwndUsageSeq: seq,
    lastDataSentAt: null,
  };
}
