/**
 * `pairScenarioArb`: whole two-endpoint runs (src/net/types.ts PairScenario): a server on node b
 * (socket, bind, listen on fd 3), a client on node a (socket, connect on fd 3), data each way in a
 * few send() calls (the server uses fd 4, the fd its first accept() returns), a way of ending for
 * each side (close, shutdown(SHUT_WR), abort, or nothing), the reactive app policy, and a fault
 * schedule. Everything is drawn as a record of small knobs and mapped to the scenario, so shrinking
 * removes sends, zeroes sizes, drops faults and moves times toward 0.
 */
import fc from 'fast-check';
import type { Micros, SocketCall } from '../scenario/types.js';
import type { FaultSchedule } from '../net/faults.js';
import type { PairCall, PairScenario } from '../net/types.js';
import { faultScheduleArb } from './faults.js';

export interface PairScenarioConstraints {
  /** Profile name (default "linux"); pass several to draw among them. */
  readonly profiles?: readonly string[];
  /** Largest single send, bytes (default 20 000). */
  readonly maxBytes?: number;
  /** Most sends per side (default 3). */
  readonly maxSends?: number;
  /** Generate faults (default true); false gives a clean 1 ms network. */
  readonly faults?: boolean;
  /** Time window for faults and calls, µs (default 5 s). */
  readonly horizon?: Micros;
  readonly addrA?: string;
  readonly addrB?: string;
  /** Step and time bounds (default 50 000 steps, 1 h). */
  readonly bounds?: { readonly maxSteps: number; readonly maxTime: Micros };
}

export type EndMode = 'close' | 'shutdown' | 'abort' | 'none';

const MS = 1000;
const CLIENT_FD = 3;
const LISTEN_FD = 3;
const ACCEPTED_FD = 4;

export function pairScenarioArb(c: PairScenarioConstraints = {}): fc.Arbitrary<PairScenario> {
  const horizonMs = Math.max(1, Math.floor((c.horizon ?? 5_000 * MS) / MS));
  const maxBytes = c.maxBytes ?? 20_000;
  const send = fc.record({ gapMs: fc.nat({ max: Math.max(1, Math.floor(horizonMs / 10)) }), bytes: fc.integer({ min: 1, max: maxBytes }) });
  const sideArb = fc.record({
    sends: fc.array(send, { maxLength: c.maxSends ?? 3 }),
    end: fc.constantFrom<EndMode>('close', 'shutdown', 'none', 'abort'),
    endGapMs: fc.nat({ max: Math.max(1, Math.floor(horizonMs / 10)) }),
  });
  const faultsArb: fc.Arbitrary<FaultSchedule> =
    c.faults === false
      ? fc.constant({ latency: { ab: MS, ba: MS }, rules: [], partitions: [] })
      : faultScheduleArb({ horizon: c.horizon ?? 5_000 * MS });
  return fc
    .record({
      profile: fc.constantFrom(...(c.profiles ?? ['linux'])),
      seedA: fc.nat(),
      seedB: fc.nat(),
      port: fc.constantFrom(80, 443, 8080, 1),
      backlog: fc.integer({ min: 1, max: 8 }),
      connectAtMs: fc.nat({ max: Math.max(1, Math.floor(horizonMs / 10)) }),
      client: sideArb,
      server: sideArb,
      autoRecv: fc.oneof({ arbitrary: fc.constant(true), weight: 4 }, { arbitrary: fc.constant(false), weight: 1 }),
      closeOnEof: fc.boolean(),
      faults: faultsArb,
    })
    .map((r): PairScenario => {
      const calls: PairCall[] = [
        { t: 0, node: 'b', call: { op: 'socket', fd: LISTEN_FD } },
        { t: 0, node: 'b', call: { op: 'bind', fd: LISTEN_FD, port: r.port } },
        { t: 0, node: 'b', call: { op: 'listen', fd: LISTEN_FD, backlog: r.backlog } },
        { t: 0, node: 'a', call: { op: 'socket', fd: CLIENT_FD } },
        { t: r.connectAtMs * MS, node: 'a', call: { op: 'connect', fd: CLIENT_FD, port: r.port } },
      ];
      const side = (node: 'a' | 'b', fd: number, s: typeof r.client, t0: Micros): void => {
        let t = t0;
        for (const x of s.sends) {
          t += x.gapMs * MS;
          calls.push({ t, node, call: { op: 'send', fd, bytes: x.bytes } });
        }
        t += s.endGapMs * MS;
        const end: SocketCall | null =
          s.end === 'close'
            ? { op: 'close', fd }
            : s.end === 'shutdown'
              ? { op: 'shutdown', fd, how: 'SHUT_WR' }
              : s.end === 'abort'
                ? { op: 'abort', fd }
                : null;
        if (end !== null) calls.push({ t, node, call: end });
      };
      side('a', CLIENT_FD, r.client, r.connectAtMs * MS);
      side('b', ACCEPTED_FD, r.server, r.connectAtMs * MS);
      return {
        profile: r.profile,
        seedA: r.seedA,
        seedB: r.seedB,
        addrA: c.addrA ?? '192.0.2.1',
        addrB: c.addrB ?? '192.0.2.2',
        calls,
        app: { autoAccept: true, autoRecv: r.autoRecv, closeOnEof: r.closeOnEof },
        faults: r.faults,
        bounds: c.bounds ?? { maxSteps: 50_000, maxTime: 3600 * 1_000_000 },
      };
    });
}
