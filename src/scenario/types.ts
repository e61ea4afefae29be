/**
 * Scenario: what a tester does to one stack under test (the SUT), in time order — inject segments
 * from a scripted peer, make socket calls on the SUT, let time pass, and optionally expect segments.
 * It has the expressive power of a packetdrill script and is plain JSON (one header line, then one
 * step per line, in `.jsonl` files).
 *
 * Sequence-number space ("script space", as in packetdrill):
 * - inbound segments (peer → SUT, `inject`): `seq` is relative to the peer's ISN (`header.peerIsn`,
 *   so a peer SYN usually has seq 0); `ack` is relative to the SUT's ISN on that 4-tuple once the SUT
 *   has chosen one and only when the ACK flag is set, otherwise literal; a timestamp option's `ecr` is relative to the SUT's first TSval
 *   on that connection; `val` is literal.
 * - outbound segments (SUT → peer, `expect` steps and trace `out` events): `seq` relative to the SUT's
 *   ISN, `ack` relative to the peer's ISN (when the ACK flag is set, else literal), TS `val` relative to the SUT's first TSval, `ecr` literal.
 * - SACK blocks follow the same rule as `ack` (they name the other side's sequence space).
 * The translation lives in one place, `src/scenario/space.ts`, used by every adapter.
 *
 * Times: `t` is seconds since the start of the scenario (a float, ≥ 0, non-decreasing);
 * internally every layer uses integer microseconds (`Micros`).
 */
import type { Segment } from '../wire/types.js';

/** Integer microseconds. */
export type Micros = number;

export const SCENARIO_FORMAT = 1;

export type SockOptName =
  | 'TCP_NODELAY'
  | 'TCP_MAXSEG'
  | 'TCP_KEEPIDLE'
  | 'TCP_KEEPINTVL'
  | 'TCP_KEEPCNT'
  | 'TCP_USER_TIMEOUT'
  | 'TCP_QUICKACK'
  | 'SO_RCVBUF'
  | 'SO_SNDBUF'
  | 'SO_KEEPALIVE'
  /** value: linger seconds, or -1 for {l_onoff: 0}. */
  | 'SO_LINGER';

/**
 * An application call on the SUT. Sockets are non-blocking, as with SOCK_NONBLOCK: connect returns
 * EINPROGRESS and completion is reported as an event; accept/recv/send return EAGAIN when they would
 * block. `fd` numbers are the script's: `socket` names the fd it creates, `accept` returns the
 * lowest free fd ≥ 3 (as Linux does), and later calls use that number.
 */
export type SocketCall =
  | { readonly op: 'socket'; readonly fd: number }
  | { readonly op: 'bind'; readonly fd: number; readonly port: number }
  | { readonly op: 'listen'; readonly fd: number; readonly backlog: number }
  /** Connect to `header.remote.addr` at `port`. */
  | { readonly op: 'connect'; readonly fd: number; readonly port: number }
  | { readonly op: 'accept'; readonly fd: number }
  /** Queue `bytes` bytes of the deterministic payload pattern. Result: bytes accepted. */
  | { readonly op: 'send'; readonly fd: number; readonly bytes: number }
  /** Read up to `bytes` bytes. Result: bytes read, 0 at end of file. */
  | { readonly op: 'recv'; readonly fd: number; readonly bytes: number }
  | { readonly op: 'shutdown'; readonly fd: number; readonly how: 'SHUT_RD' | 'SHUT_WR' | 'SHUT_RDWR' }
  | { readonly op: 'close'; readonly fd: number }
  /** RFC 9293 ABORT; on a real kernel: SO_LINGER {1, 0} then close. */
  | { readonly op: 'abort'; readonly fd: number }
  | { readonly op: 'setsockopt'; readonly fd: number; readonly opt: SockOptName; readonly value: number };

export const ERRNOS = [
  'EAGAIN',
  'EINPROGRESS',
  'EALREADY',
  'EISCONN',
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTCONN',
  'EINVAL',
  'EBADF',
  'EADDRINUSE',
  'EOPNOTSUPP',
  'EMFILE',
] as const;

export type Errno = (typeof ERRNOS)[number];

export type CallResult =
  | { readonly ok: true; readonly value: number }
  | { readonly ok: false; readonly errno: Errno };

/** A segment in script space (see the file comment). */
export type ScriptSegment = Segment;

export type Step =
  /** The scripted peer sends `seg` to the SUT at time t. */
  | {
      readonly kind: 'inject';
      readonly t: number;
      readonly seg: ScriptSegment;
      readonly note?: string;
      /** 'tcp-checksum': the segment arrives with a wrong TCP checksum (DT-4: the SUT must drop it). */
      readonly corrupt?: 'tcp-checksum';
    }
  /** The SUT's application makes a call at time t; `expect`, when given, is checked. */
  | { readonly kind: 'call'; readonly t: number; readonly call: SocketCall; readonly expect?: CallResult; readonly note?: string }
  /** The SUT is expected to send `seg` at about time t (checked by `tcpfuzz check`, ignored by stacks). */
  | { readonly kind: 'expect'; readonly t: number; readonly seg: ScriptSegment; readonly note?: string }
  /** Let time pass until t (timers fire). */
  | { readonly kind: 'wait'; readonly t: number; readonly note?: string };

export interface Endpoint {
  readonly addr: string;
}

export interface ScenarioHeader {
  readonly type: 'scenario';
  readonly format: typeof SCENARIO_FORMAT;
  readonly name: string;
  readonly description?: string;
  /** Behaviour IDs from docs/behaviours.md that this scenario exercises, e.g. ["HS-1", "DT-9"]. */
  readonly behaviours: readonly string[];
  /** Model profile this scenario is meant for (default "linux"). */
  readonly profile?: string;
  readonly ipVersion: 4 | 6;
  /** The stack under test. Default 192.0.2.1 (v4) / 2001:db8::1 (v6). */
  readonly local: Endpoint;
  /** The scripted peer. Default 192.0.2.2 (v4) / 2001:db8::2 (v6). */
  readonly remote: Endpoint;
  /** The peer's initial sequence number (absolute); inbound `seq` values are relative to it. */
  readonly peerIsn: number;
  /** Kernel/profile settings the scenario needs, by sysctl name without `net.ipv4.` (e.g. tcp_sack: 0). */
  readonly sysctls?: Readonly<Record<string, number | string>>;
  /** Timing tolerance for real-time stacks; default packetdrill's 4 ms + 12.5 %. */
  readonly tolerance?: { readonly absUs: number; readonly rel: number };
}

export interface Scenario {
  readonly header: ScenarioHeader;
  readonly steps: readonly Step[];
}
