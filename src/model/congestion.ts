/**
 * Congestion control seam (CC-1, CC-2, CC-4), part 1: Linux counts cwnd in packets; the initial
 * window is profile.initialCwnd (TCP_INIT_CWND = 10), slow start adds one packet per newly
 * acknowledged packet up to ssthresh (tcp_cong.c:tcp_slow_start), and an RTO sets
 * ssthresh = max(cwnd/2, 2) and cwnd = 1 (tcp_input.c:tcp_enter_loss, reno ssthresh).
 * Part 2 replaces this module (congestion avoidance, fast recovery, PRR, cwnd-limited checks).
 */
import type { MConn } from './types.js';

export function onNewAck(c: MConn, ackedPackets: number): void {
  if (ackedPackets <= 0) return;
  if (c.cwnd < c.ssthresh) c.cwnd = Math.min(c.cwnd + ackedPackets, c.ssthresh);
}

export function onRto(c: MConn, firstTimeout: boolean): void {
  if (firstTimeout) c.ssthresh = Math.max(c.cwnd >> 1, 2);
  c.cwnd = 1;
}

/** Packets in flight: sent, not acknowledged, not marked lost (Linux tcp_packets_in_flight without SACK). */
export function packetsInFlight(c: MConn): number {
  let n = 0;
  for (const s of c.sent) if (!s.lost) n++;
  return n;
}
