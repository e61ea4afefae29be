/**
 * Kernel data the recorder interprets, kept apart from the FFI so it loads anywhere: errno numbers
 * and their names (asm-generic/errno-base.h, errno.h), and `struct tcp_info` (include/uapi/linux/
 * tcp.h; offsets as measured on 6.18, see docs/linux-tun-notes.md).
 */
import type { Errno } from '../../scenario/types.js';
import { ERRNOS } from '../../scenario/types.js';

/** errno numbers (asm-generic/errno*.h) by name, for the names a scenario can expect and a few more. */
const ERRNO_BY_NUMBER: Readonly<Record<number, string>> = {
  1: 'EPERM',
  2: 'ENOENT',
  4: 'EINTR',
  9: 'EBADF',
  11: 'EAGAIN',
  12: 'ENOMEM',
  13: 'EACCES',
  14: 'EFAULT',
  16: 'EBUSY',
  17: 'EEXIST',
  19: 'ENODEV',
  22: 'EINVAL',
  24: 'EMFILE',
  32: 'EPIPE',
  88: 'ENOTSOCK',
  92: 'ENOPROTOOPT',
  95: 'EOPNOTSUPP',
  97: 'EAFNOSUPPORT',
  98: 'EADDRINUSE',
  99: 'EADDRNOTAVAIL',
  101: 'ENETUNREACH',
  103: 'ECONNABORTED',
  104: 'ECONNRESET',
  105: 'ENOBUFS',
  106: 'EISCONN',
  107: 'ENOTCONN',
  110: 'ETIMEDOUT',
  111: 'ECONNREFUSED',
  113: 'EHOSTUNREACH',
  114: 'EALREADY',
  115: 'EINPROGRESS',
};

const SCENARIO_ERRNOS: ReadonlySet<string> = new Set<Errno>(ERRNOS);

/** The symbolic name of an errno number ("E123" when unknown). */
export function errnoName(n: number): string {
  return ERRNO_BY_NUMBER[n] ?? `E${n}`;
}

/** The scenario-level Errno for an errno number, or null when scenarios cannot name it. */
export function toScenarioErrno(n: number): Errno | null {
  const name = errnoName(n);
  return SCENARIO_ERRNOS.has(name) ? (name as Errno) : null;
}

/** `struct tcp_info` fields the recorder keeps (kernel 6.18 layout). */
export interface TcpInfo {
  readonly state: number;
  readonly ca_state: number;
  readonly retransmits: number;
  readonly probes: number;
  readonly backoff: number;
  readonly options: number;
  readonly snd_wscale: number;
  readonly rcv_wscale: number;
  readonly rto: number;
  readonly ato: number;
  readonly snd_mss: number;
  readonly rcv_mss: number;
  readonly unacked: number;
  readonly sacked: number;
  readonly lost: number;
  readonly retrans: number;
  readonly pmtu: number;
  readonly rcv_ssthresh: number;
  readonly rtt: number;
  readonly rttvar: number;
  readonly snd_ssthresh: number;
  readonly snd_cwnd: number;
  readonly advmss: number;
  readonly reordering: number;
  readonly rcv_space: number;
  readonly total_retrans: number;
  readonly bytes_acked: number;
  readonly bytes_received: number;
  readonly segs_out: number;
  readonly segs_in: number;
  readonly min_rtt: number;
  readonly data_segs_in: number;
  readonly data_segs_out: number;
  readonly delivered: number;
  readonly bytes_sent: number;
  readonly bytes_retrans: number;
  readonly snd_wnd: number;
  readonly rcv_wnd: number;
}

/** Parse a `struct tcp_info` (offsets per include/uapi/linux/tcp.h, 6.18). Fields past `len` read 0. */
export function parseTcpInfo(b: Uint8Array, len: number): TcpInfo {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const u8 = (o: number): number => (o < len ? (b[o] ?? 0) : 0);
  const u32 = (o: number): number => (o + 4 <= len ? v.getUint32(o, true) : 0);
  const u64 = (o: number): number => (o + 8 <= len ? Number(v.getBigUint64(o, true)) : 0);
  const ws = u8(6);
  return {
    state: u8(0),
    ca_state: u8(1),
    retransmits: u8(2),
    probes: u8(3),
    backoff: u8(4),
    options: u8(5),
    snd_wscale: ws & 0x0f,
    rcv_wscale: ws >> 4,
    rto: u32(8),
    ato: u32(12),
    snd_mss: u32(16),
    rcv_mss: u32(20),
    unacked: u32(24),
    sacked: u32(28),
    lost: u32(32),
    retrans: u32(36),
    pmtu: u32(60),
    rcv_ssthresh: u32(64),
    rtt: u32(68),
    rttvar: u32(72),
    snd_ssthresh: u32(76),
    snd_cwnd: u32(80),
    advmss: u32(84),
    reordering: u32(88),
    rcv_space: u32(96),
    total_retrans: u32(100),
    bytes_acked: u64(120),
    bytes_received: u64(128),
    segs_out: u32(136),
    segs_in: u32(140),
    min_rtt: u32(148),
    data_segs_in: u32(152),
    data_segs_out: u32(156),
    delivered: u32(192),
    bytes_sent: u64(200),
    bytes_retrans: u64(208),
    snd_wnd: u32(228),
    rcv_wnd: u32(232),
  };
}
