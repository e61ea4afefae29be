/**
 * Congestion-control family (reno set per socket by the recorder): the initial window, slow start
 * with per-segment and delayed ACKs, the receive window capping the flight, the RTO collapsing the
 * window to one segment with ssthresh halved, congestion avoidance after that, and fast recovery
 * with new data during recovery. Behaviours CC-1…CC-6 (RFC 5681, RFC 6582, RFC 6928; kernel
 * tcp_cong.c, tcp_input.c:tcp_enter_recovery, tcp_timer.c:tcp_enter_loss).
 */
import type { Scenario } from '../../../src/scenario/types.js';
import { nop, sack } from '../../../src/scenario/builder.js';
import { Peer, ok, passiveOpen } from './kit.js';

function initialWindow(): Scenario[] {
  const out: Scenario[] = [];
  for (const set of ['all', 'none'] as const) {
    for (const m of [536, 1460]) {
      const p = new Peer(`cc-initial-window-mss${m}-${set}`, {
        behaviours: ['CC-1', 'CC-6', 'HS-8'],
        description: `With MSS ${m} (options "${set}") a 30000-byte write puts exactly the initial window of 10 segments in flight until the first ACK.`,
      }, { opts: set, mss: m });
      passiveOpen(p);
      p.call({ op: 'send', fd: 4, bytes: 30000 }, ok(30000));
      p.at('+0.2').ack(1, 1 + 10 * p.sutMss);
      out.push(p.wait('+0.1').build());
    }
  }
  {
    const p = new Peer('cc-rwnd-caps-flight', {
      behaviours: ['CC-1', 'FC-1'],
      description: 'The peer\'s window (4 segments) is below the initial window: min(cwnd, rwnd) limits the flight.',
    }, { win: 4 * 1448 });
    passiveOpen(p);
    p.call({ op: 'send', fd: 4, bytes: 20000 }, ok(20000));
    p.at('+0.1').ack(1, 1 + 4 * 1448);
    out.push(p.wait('+0.1').build());
  }
  return out;
}

function slowStart(): Scenario[] {
  const out: Scenario[] = [];
  for (const [label, every] of [
    ['per-segment', 1],
    ['every-second', 2],
  ] as const) {
    const p = new Peer(`cc-slow-start-acks-${label}`, {
      behaviours: ['CC-2', 'CC-6', 'CC-1'],
      description: `Slow start: the peer ACKs ${every === 1 ? 'each segment' : 'every second segment'}; each ACK of new data lets the window grow by the segments it covers (initial ssthresh unlimited).`,
    });
    passiveOpen(p);
    const mss = p.sutMss;
    const total = 30 * mss;
    p.call({ op: 'send', fd: 4, bytes: total }, ok(total));
    // Round 1: ACK the 10 initial segments one by one (or in pairs), then round 2 the next 20.
    let acked = 0;
    let inFlight = 10;
    for (let round = 0; round < 2; round++) {
      p.at('+0.03');
      const end = acked + inFlight;
      for (let s = acked + every; s <= end; s += every) p.at('+0.0005').ack(1, 1 + s * mss);
      const newly = end - acked;
      acked = end;
      inFlight = Math.min(30 - acked, inFlight + newly);
    }
    out.push(p.wait('+0.2').build());
  }
  return out;
}

function rtoCollapse(): Scenario[] {
  const out: Scenario[] = [];
  for (const set of ['all', 'nosack'] as const) {
    const p = new Peer(`cc-rto-collapses-window-${set}`, {
      behaviours: ['CC-4', 'DT-5', 'CC-2'],
      description: `All ten initial segments are lost (options "${set}"): after the RTO one segment is retransmitted, then slow start resumes from one segment as ACKs arrive.`,
    }, { opts: set });
    passiveOpen(p);
    const mss = p.sutMss;
    p.call({ op: 'send', fd: 4, bytes: 10 * mss }, ok(10 * mss));
    p.at(0.3).ack(1, 1 + mss);
    p.at('+0.02').ack(1, 1 + 3 * mss);
    p.at('+0.02').ack(1, 1 + 7 * mss);
    p.at('+0.02').ack(1, 1 + 10 * mss);
    out.push(p.wait('+0.3').build());
  }
  {
    const p = new Peer('cc-congestion-avoidance-after-rto', {
      behaviours: ['CC-3', 'CC-4', 'CC-2'],
      description: 'After an RTO halves ssthresh, slow start runs up to ssthresh and then the window grows by about one segment per round trip.',
    });
    passiveOpen(p);
    const mss = p.sutMss;
    const total = 40 * mss;
    p.call({ op: 'send', fd: 4, bytes: total }, ok(total));
    // Nothing ACKed until after the first retransmission (RTO ≈ 210 ms): ssthresh = 5.
    p.at(0.3);
    const rounds = [1, 2, 4, 5, 6, 7, 8];
    let acked = 0;
    for (const n of rounds) {
      if (acked >= 40) break;
      const end = Math.min(40, acked + n);
      for (let s = acked + 1; s <= end; s++) p.at('+0.0005').ack(1, 1 + s * mss);
      acked = end;
      p.at('+0.03');
    }
    out.push(p.wait('+0.3').build());
  }
  return out;
}

function fastRecovery(): Scenario[] {
  const out: Scenario[] = [];
  for (const set of ['all', 'nosack'] as const) {
    const p = new Peer(`cc-fast-recovery-new-data-${set}`, {
      behaviours: ['CC-5', 'DT-6', ...(set === 'all' ? ['DT-7'] : [])],
      description: `One segment of 20 is lost (options "${set}"): duplicate ACKs trigger fast retransmit; during recovery further duplicates release new data; the ACK of the retransmission ends recovery with cwnd at ssthresh.`,
    }, { opts: set });
    passiveOpen(p);
    const mss = p.sutMss;
    const total = 20 * mss;
    p.call({ op: 'send', fd: 4, bytes: total }, ok(total));
    // The first 10 go out; segment 3 (index 2) is lost. ACK 1,2 then dupacks for 4..10.
    p.at('+0.03').ack(1, 1 + mss);
    p.at('+0.0005').ack(1, 1 + 2 * mss);
    for (let i = 3; i < 10; i++) {
      const o = set === 'all' ? { opts: [nop(), nop(), sack([1 + 3 * mss, 1 + (i + 1) * mss])] } : {};
      p.at('+0.0005').ack(1, 1 + 2 * mss, o);
    }
    // The retransmission and everything sent so far arrive: a partial or full ACK.
    p.at('+0.03').ack(1, 1 + 10 * mss);
    p.at('+0.03').ack(1, 1 + 20 * mss);
    out.push(p.wait('+0.3').build());
  }
  {
    const p = new Peer('cc-newreno-partial-ack', {
      behaviours: ['CC-5', 'DT-6'],
      description: 'Two segments lost without SACK: the partial ACK after the first retransmission makes NewReno retransmit the next hole at once.',
    }, { opts: 'nosack' });
    passiveOpen(p);
    const mss = p.sutMss;
    p.call({ op: 'send', fd: 4, bytes: 10 * mss }, ok(10 * mss));
    p.at('+0.03').ack(1, 1 + mss);
    for (let i = 0; i < 6; i++) p.at('+0.0005').ack(1, 1 + mss);
    p.at('+0.03').ack(1, 1 + 4 * mss, { note: 'partial ACK: segment 5 is the next hole' });
    p.at('+0.03').ack(1, 1 + 10 * mss);
    out.push(p.wait('+0.3').build());
  }
  return out;
}

/**
 * Undo and F-RTO (Linux tcp_input.c: tcp_try_undo_dsack, tcp_try_undo_recovery with
 * tcp_packet_delayed, tcp_process_loss with tcp_frto=2) and an RTO during fast recovery
 * (tcp_enter_loss keeps the recovery's ssthresh). A burst after the episode shows the cwnd.
 */
function undoAndFrto(): Scenario[] {
  const out: Scenario[] = [];
  // Fast retransmission of segment 1 (SACKs for 2..5), then the full ACK; evidence that the original
  // was only delayed: a D-SACK for the retransmission, or the original's TSval echoed, or none.
  for (const [name, set, evidence] of [
    ['cc-undo-dsack-all', 'all', 'dsack'],
    ['cc-undo-dsack-nots', 'nots', 'dsack'],
    ['cc-undo-timestamp', 'all', 'ts'],
    ['cc-undo-none', 'all', 'none'],
  ] as const) {
    const p = new Peer(name, {
      behaviours: ['CC-5', 'DT-8', 'DT-6'],
      description: evidence === 'none'
        ? 'Control: a fast retransmission without evidence of a spurious loss; after recovery the next burst is limited by cwnd = ssthresh.'
        : `A fast retransmission turns out spurious (${evidence === 'dsack' ? 'the peer D-SACKs the retransmitted segment' : 'the full ACK echoes the original segment\'s timestamp'}); Linux undoes the window reduction and the next burst shows the restored cwnd.`,
    }, { opts: set });
    passiveOpen(p);
    // A locked, large send buffer: every send() is taken whole on both sides (no sndbuf autotuning).
    p.call({ op: 'setsockopt', fd: 4, opt: 'SO_SNDBUF', value: 1_000_000 }, ok(0));
    const mss = p.sutMss;
    p.call({ op: 'send', fd: 4, bytes: 6 * mss }, ok(6 * mss));
    p.at('+0.02');
    for (let i = 1; i <= 4; i++) p.at('+0.001').ack(1, 1, { opts: [nop(), nop(), sack([1 + mss, 1 + (i + 1) * mss])] });
    // The SUT's data went out at 20 ms: its TSval is 10 (relative to the SYN-ACK's at 10 ms).
    p.at('+0.01').ack(1, 1 + 6 * mss, evidence === 'ts' ? { ecr: 10 } : {});
    if (evidence === 'dsack') p.at('+0.01').ack(1, 1 + 6 * mss, { opts: [nop(), nop(), sack([1, 1 + mss])] });
    else p.at('+0.01');
    p.call({ op: 'send', fd: 4, bytes: 20 * mss }, ok(20 * mss));
    p.at('+0.02').ack(1, 1 + 11 * mss);
    out.push(p.wait('+0.3').build());
  }
  // An RTO while in fast recovery: ssthresh stays what recovery set; slow start up to it again.
  for (const set of ['all', 'nosack'] as const) {
    const p = new Peer(`cc-rto-during-recovery-${set}`, {
      behaviours: ['CC-4', 'CC-5', 'DT-5', 'DT-6'],
      description: `Segment 1 of 10 is lost and so is its fast retransmission (options "${set}"): the RTO fires during fast recovery; Linux keeps the recovery's ssthresh (tcp_enter_loss) and slow-starts from one segment up to it.`,
    }, { opts: set });
    passiveOpen(p);
    // A locked, large send buffer: every send() is taken whole on both sides (no sndbuf autotuning).
    p.call({ op: 'setsockopt', fd: 4, opt: 'SO_SNDBUF', value: 1_000_000 }, ok(0));
    const mss = p.sutMss;
    p.call({ op: 'send', fd: 4, bytes: 10 * mss }, ok(10 * mss));
    p.at('+0.02');
    for (let i = 1; i <= 4; i++) {
      const o = set === 'all' ? { opts: [nop(), nop(), sack([1 + mss, 1 + (i + 1) * mss])] } : {};
      p.at('+0.001').ack(1, 1, o);
    }
    // No answer to the fast retransmission: the RTO (≈ 210 ms) resends segment 1; then ACK the
    // retransmissions one round at a time.
    // With SACK the retransmission fills the only hole below the SACKed 2..5.
    const acks = set === 'all' ? [5, 7, 11, 16] : [1, 3, 7, 12];
    // More data once the RTO has fired (none is queued while the dup ACKs arrive).
    p.at('+0.3').call({ op: 'send', fd: 4, bytes: 30 * mss }, ok(30 * mss));
    p.at('+0.1');
    for (const a of acks) p.at('+0.03').ack(1, 1 + a * mss);
    out.push(p.wait('+0.3').build());
  }
  // F-RTO (sysctl tcp_frto=2): nothing ACKed until after the RTO; the ACK of the retransmission lets
  // new data go; the next ACK covers never-retransmitted data (spurious: undo) or SACKs only the new
  // data (the loss was real: go on retransmitting).
  for (const [name, set, spurious] of [
    ['cc-frto-spurious-all', 'all', true],
    ['cc-frto-spurious-nosack', 'nosack', true],
    ['cc-frto-real-loss-all', 'all', false],
  ] as const) {
    const p = new Peer(name, {
      behaviours: ['CC-4', 'DT-5'],
      // No tail loss probe (it would send new data before the RTO) and no RACK (its reordering
      // timer would resend old data after the undo); F-RTO alone decides.
      sysctls: { tcp_early_retrans: 0, tcp_recovery: 0 },
      description: spurious
        ? `The first 10 segments are only delayed past the RTO (options "${set}"): after the retransmission of segment 1 is ACKed, F-RTO sends new data; the next ACK covers never-retransmitted data, so the timeout was spurious and cwnd/ssthresh are restored.`
        : 'After the RTO, F-RTO sends new data; the peer SACKs the new data but not the old: the loss was real and retransmission continues.',
    }, { opts: set });
    passiveOpen(p);
    // A locked, large send buffer: every send() is taken whole on both sides (no sndbuf autotuning).
    p.call({ op: 'setsockopt', fd: 4, opt: 'SO_SNDBUF', value: 1_000_000 }, ok(0));
    const mss = p.sutMss;
    p.call({ op: 'send', fd: 4, bytes: 30 * mss }, ok(30 * mss));
    p.at(0.3).ack(1, 1 + mss);
    if (spurious) p.at('+0.01').ack(1, 1 + 4 * mss);
    else p.at('+0.01').ack(1, 1 + mss, { opts: [nop(), nop(), sack([1 + 10 * mss, 1 + 11 * mss])] });
    p.at('+0.03').ack(1, 1 + 12 * mss);
    out.push(p.wait('+0.3').build());
  }
  {
    // RACK after an F-RTO undo: the originals sent before the acknowledged retransmission are lost
    // once reo_wnd (min_rtt/4) has passed; shutdown(SHUT_WR) 12 ms after the undo reads TCP_INFO
    // (6.18.44 at 6 ms after it: ca_state Recovery, ssthresh 6, cwnd 8, lost 6, retrans 1).
    const p = new Peer('cc-rack-after-frto-undo', {
      behaviours: ['DT-7', 'CC-4', 'CC-5'],
      sysctls: { tcp_early_retrans: 0 },
      description: 'After an RTO that F-RTO finds spurious, RACK still marks the segments sent before the acknowledged retransmission lost a quarter of the minimum RTT later: fast recovery begins and the first of them is retransmitted.',
    }, { opts: 'all' });
    passiveOpen(p);
    p.call({ op: 'setsockopt', fd: 4, opt: 'SO_SNDBUF', value: 1_000_000 }, ok(0));
    const mss = p.sutMss;
    p.call({ op: 'send', fd: 4, bytes: 30 * mss }, ok(30 * mss));
    p.at(0.3).ack(1, 1 + mss);
    p.at('+0.01').ack(1, 1 + 4 * mss);
    p.at('+0.012').call({ op: 'shutdown', fd: 4, how: 'SHUT_WR' }, ok(0));
    out.push(p.wait('+0.05').build());
  }
  return out;
}

export function congestionScenarios(): Scenario[] {
  return [...initialWindow(), ...slowStart(), ...rtoCollapse(), ...fastRecovery(), ...undoAndFrto()];
}
