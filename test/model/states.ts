/**
 * Endpoints in every RFC 9293 state, built with the chained fixtures, for the totality property
 * and the purity / determinism tests. Each entry has the endpoint, the time, and the peer-side
 * 4-tuple a segment must use to reach the connection in that state.
 */
import type { TcpStateName } from '../../src/model/api.js';
import type { Endpoint } from '../../src/model/types.js';
import type { Profile } from '../../src/model/profile-type.js';
import { ACK, FIN, SYN } from '../../src/wire/types.js';
import { seqAdd } from '../../src/wire/seq.js';
import { HOST_PORT, Host, PEER, PEER_ISN, establishedActive, establishedPassive, listening, seg, synReceived, synSent } from './helpers.js';

export interface StateFixture {
  readonly state: TcpStateName;
  readonly ep: Endpoint;
  readonly now: number;
  /** The peer's address and ports for segments aimed at the connection. */
  readonly peer: string;
  readonly peerPort: number;
  readonly hostPort: number;
  /** An fd the application holds (for calls). */
  readonly fd: number;
}

function fx(state: TcpStateName, h: Host, peerPort: number, hostPort: number, fd: number): StateFixture {
  const c = h.ep.conns.find((x) => x.state === state);
  if (c === undefined) throw new Error(`fixture for ${state} did not reach it`);
  return { state, ep: h.ep, now: h.now, peer: PEER, peerPort, hostPort, fd };
}

export function everyState(profile: Profile): StateFixture[] {
  const P1 = PEER_ISN + 1;
  const out: StateFixture[] = [];
  {
    const h = new Host(profile);
    h.ok({ op: 'socket', fd: 3 });
    out.push(fx('CLOSED', h, 40000, HOST_PORT, 3));
  }
  out.push(fx('LISTEN', listening(profile), 40000, HOST_PORT, 3));
  {
    const { h, port } = synSent(profile);
    out.push(fx('SYN-SENT', h, HOST_PORT, port, 3));
  }
  out.push(fx('SYN-RECEIVED', synReceived(profile).h, 40000, HOST_PORT, 3));
  {
    const { h, port } = establishedActive(profile);
    out.push(fx('ESTABLISHED', h, HOST_PORT, port, 3));
  }
  const closeOf = (fin: boolean, ackFin: boolean) => {
    const { h, iss, fd } = establishedPassive(profile, true);
    h.ok({ op: 'send', fd, bytes: 3000 });
    h.ok({ op: 'close', fd });
    h.takeSegs();
    if (ackFin) h.inject(seg({ flags: ACK, seq: P1, ack: seqAdd(iss, 3002) }));
    if (fin) h.inject(seg({ flags: FIN | ACK, seq: P1, ack: ackFin ? seqAdd(iss, 3002) : seqAdd(iss, 1) }));
    return h;
  };
  out.push(fx('FIN-WAIT-1', closeOf(false, false), 40000, HOST_PORT, 3));
  out.push(fx('FIN-WAIT-2', closeOf(false, true), 40000, HOST_PORT, 3));
  out.push(fx('CLOSING', closeOf(true, false), 40000, HOST_PORT, 3));
  out.push(fx('TIME-WAIT', closeOf(true, true), 40000, HOST_PORT, 3));
  {
    const { h, iss, fd } = establishedPassive(profile, true);
    h.inject(seg({ flags: ACK, seq: P1, ack: seqAdd(iss, 1), len: 100 }));
    h.inject(seg({ flags: FIN | ACK, seq: P1 + 100, ack: seqAdd(iss, 1) }));
    out.push(fx('CLOSE-WAIT', h, 40000, HOST_PORT, fd));
  }
  {
    const { h, iss, fd } = establishedPassive(profile, true);
    h.inject(seg({ flags: FIN | ACK, seq: P1, ack: seqAdd(iss, 1) }));
    h.ok({ op: 'send', fd, bytes: 2000 });
    h.ok({ op: 'shutdown', fd, how: 'SHUT_WR' });
    out.push(fx('LAST-ACK', h, 40000, HOST_PORT, fd));
  }
  void SYN;
  return out;
}
