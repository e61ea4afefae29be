/**
 * libc through koffi: the TUN device (open, ioctl TUNSETIFF, read, write, close) and the kernel's
 * TCP socket API (socket, bind, listen, accept4, connect, send, recv, shutdown, close, setsockopt,
 * getsockopt including TCP_INFO, getsockname) plus ppoll with a nanosecond timeout. Every call is
 * synchronous and returns either a value or an errno name; nothing here throws on a failed call.
 *
 * Constants and struct layouts are x86-64 Linux (include/uapi/linux/if_tun.h, include/uapi/linux/tcp.h,
 * include/uapi/asm-generic/socket.h); `struct tcp_info` offsets as measured on 6.18 (see
 * docs/linux-tun-notes.md). Only the recorder's worker process (inside its network namespace) loads
 * this module.
 */
import koffi from 'koffi';
import { parseTcpInfo, type TcpInfo } from './tcpinfo.js';

export { errnoName, parseTcpInfo, toScenarioErrno, type TcpInfo } from './tcpinfo.js';

const libc = koffi.load('libc.so.6');

const c_open = libc.func('int open(const char *path, int flags, int mode)');
const c_ioctl = libc.func('int ioctl(int fd, unsigned long req, ...)');
const c_read = libc.func('long read(int fd, void *buf, unsigned long n)');
const c_write = libc.func('long write(int fd, void *buf, unsigned long n)');
const c_close = libc.func('int close(int fd)');
const c_fcntl = libc.func('int fcntl(int fd, int cmd, ...)');
const c_socket = libc.func('int socket(int domain, int type, int protocol)');
const c_bind = libc.func('int bind(int fd, void *addr, unsigned int len)');
const c_listen = libc.func('int listen(int fd, int backlog)');
const c_accept4 = libc.func('int accept4(int fd, void *addr, void *len, int flags)');
const c_connect = libc.func('int connect(int fd, void *addr, unsigned int len)');
const c_send = libc.func('long send(int fd, void *buf, unsigned long n, int flags)');
const c_recv = libc.func('long recv(int fd, void *buf, unsigned long n, int flags)');
const c_shutdown = libc.func('int shutdown(int fd, int how)');
const c_setsockopt = libc.func('int setsockopt(int fd, int level, int name, void *val, unsigned int len)');
const c_getsockopt = libc.func('int getsockopt(int fd, int level, int name, void *val, void *len)');
const c_getsockname = libc.func('int getsockname(int fd, void *addr, void *len)');
const c_prctl = libc.func('int prctl(int option, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5)');
const c_ppoll = libc.func('int ppoll(void *fds, unsigned long n, void *tmo, void *sigmask)');

export const O_RDWR = 0o2;
export const O_NONBLOCK = 0o4000;
export const O_CLOEXEC = 0o2000000;
export const F_GETFL = 3;
export const F_SETFL = 4;
export const TUNSETIFF = 0x400454ca;
export const IFF_TUN = 0x0001;
export const IFF_NO_PI = 0x1000;

export const AF_INET = 2;
export const SOCK_STREAM = 1;
export const SOCK_NONBLOCK = 0o4000;
export const SOCK_CLOEXEC = 0o2000000;
export const SOL_SOCKET = 1;
export const SO_REUSEADDR = 2;
export const SO_ERROR = 4;
export const SO_SNDBUF = 7;
export const SO_RCVBUF = 8;
export const SO_KEEPALIVE = 9;
export const SO_LINGER = 13;
export const IPPROTO_TCP = 6;
export const TCP_NODELAY = 1;
export const TCP_MAXSEG = 2;
export const TCP_KEEPIDLE = 4;
export const TCP_KEEPINTVL = 5;
export const TCP_KEEPCNT = 6;
export const TCP_INFO = 11;
export const TCP_QUICKACK = 12;
export const TCP_CONGESTION = 13;
export const TCP_USER_TIMEOUT = 18;
export const SHUT_RD = 0;
export const SHUT_WR = 1;
export const SHUT_RDWR = 2;
export const MSG_PEEK = 0x2;
export const MSG_DONTWAIT = 0x40;
export const MSG_NOSIGNAL = 0x4000;

export const POLLIN = 0x001;
export const POLLPRI = 0x002;
export const POLLOUT = 0x004;
export const POLLERR = 0x008;
export const POLLHUP = 0x010;
export const POLLNVAL = 0x020;
export const POLLRDHUP = 0x2000;

/** Result of a libc call: the non-negative return value, or the errno. */
export type SysResult = { readonly ok: true; readonly value: number } | { readonly ok: false; readonly errno: number };

function sys(ret: number | bigint): SysResult {
  const v = Number(ret);
  if (v < 0) return { ok: false, errno: koffi.errno() };
  return { ok: true, value: v };
}

// ---------------------------------------------------------------------------------------------
// TUN

/** Open /dev/net/tun non-blocking and attach it to a new TUN interface `name` (IFF_TUN | IFF_NO_PI). */
export function tunOpen(name: string): SysResult {
  const fd = sys(c_open('/dev/net/tun', O_RDWR | O_NONBLOCK | O_CLOEXEC, 0));
  if (!fd.ok) return fd;
  // struct ifreq: char ifr_name[16]; short ifr_flags at offset 16; 40 bytes in all.
  const ifr = Buffer.alloc(40);
  ifr.write(name.slice(0, 15), 0, 'latin1');
  ifr.writeInt16LE(IFF_TUN | IFF_NO_PI, 16);
  const r = sys(c_ioctl(fd.value, TUNSETIFF, 'void *', ifr));
  if (!r.ok) {
    c_close(fd.value);
    return r;
  }
  return fd;
}

/** read(2) into `buf`; value = bytes read. */
export function fdRead(fd: number, buf: Uint8Array): SysResult {
  return sys(c_read(fd, buf, buf.length));
}

/** write(2) of `buf`; value = bytes written. */
export function fdWrite(fd: number, buf: Uint8Array): SysResult {
  return sys(c_write(fd, buf, buf.length));
}

export function fdClose(fd: number): SysResult {
  return sys(c_close(fd));
}

/** Set or clear O_NONBLOCK on an fd. */
export function setNonBlocking(fd: number, on: boolean): SysResult {
  const fl = sys(c_fcntl(fd, F_GETFL, 'int', 0));
  if (!fl.ok) return fl;
  const want = on ? fl.value | O_NONBLOCK : fl.value & ~O_NONBLOCK;
  return sys(c_fcntl(fd, F_SETFL, 'int', want));
}

// ---------------------------------------------------------------------------------------------
// Sockets

/** Encode a `struct sockaddr_in` (family LE, port BE, 4 address bytes). */
export function sockaddrIn(addr: string, port: number): Buffer {
  const b = Buffer.alloc(16);
  b.writeUInt16LE(AF_INET, 0);
  b.writeUInt16BE(port, 2);
  const parts = addr.split('.');
  for (let i = 0; i < 4; i++) b[4 + i] = Number(parts[i] ?? 0) & 0xff;
  return b;
}

/** A non-blocking IPv4 TCP socket. */
export function tcpSocket(): SysResult {
  return sys(c_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
}

export function sockBind(fd: number, addr: string, port: number): SysResult {
  return sys(c_bind(fd, sockaddrIn(addr, port), 16));
}

export function sockListen(fd: number, backlog: number): SysResult {
  return sys(c_listen(fd, backlog));
}

/** accept4 with SOCK_NONBLOCK; value = the new fd. */
export function sockAccept(fd: number): SysResult {
  return sys(c_accept4(fd, null, null, SOCK_NONBLOCK | SOCK_CLOEXEC));
}

export function sockConnect(fd: number, addr: string, port: number): SysResult {
  return sys(c_connect(fd, sockaddrIn(addr, port), 16));
}

export function sockSend(fd: number, buf: Uint8Array, flags = MSG_NOSIGNAL | MSG_DONTWAIT): SysResult {
  return sys(c_send(fd, buf, buf.length, flags));
}

export function sockRecv(fd: number, buf: Uint8Array, flags = MSG_DONTWAIT): SysResult {
  return sys(c_recv(fd, buf, buf.length, flags));
}

export function sockShutdown(fd: number, how: number): SysResult {
  return sys(c_shutdown(fd, how));
}

/** setsockopt with an int value. */
export function setIntOpt(fd: number, level: number, name: number, value: number): SysResult {
  const b = Buffer.alloc(4);
  b.writeInt32LE(value | 0, 0);
  return sys(c_setsockopt(fd, level, name, b, 4));
}

/** setsockopt with raw bytes (SO_LINGER, TCP_CONGESTION). */
export function setBytesOpt(fd: number, level: number, name: number, value: Uint8Array): SysResult {
  return sys(c_setsockopt(fd, level, name, value, value.length));
}

/** SO_LINGER: `seconds` < 0 turns lingering off ({0, 0}); otherwise {1, seconds}. */
export function setLinger(fd: number, seconds: number): SysResult {
  const b = Buffer.alloc(8);
  b.writeInt32LE(seconds < 0 ? 0 : 1, 0);
  b.writeInt32LE(seconds < 0 ? 0 : seconds | 0, 4);
  return setBytesOpt(fd, SOL_SOCKET, SO_LINGER, b);
}

/** TCP_CONGESTION by algorithm name. */
export function setCongestion(fd: number, algorithm: string): SysResult {
  return setBytesOpt(fd, IPPROTO_TCP, TCP_CONGESTION, Buffer.from(algorithm, 'latin1'));
}

export function getIntOpt(fd: number, level: number, name: number): SysResult {
  const b = Buffer.alloc(4);
  const len = Buffer.alloc(4);
  len.writeUInt32LE(4, 0);
  const r = sys(c_getsockopt(fd, level, name, b, len));
  if (!r.ok) return r;
  return { ok: true, value: b.readInt32LE(0) };
}

/** The local port of a bound or connected socket. */
export function localPort(fd: number): SysResult {
  const b = Buffer.alloc(16);
  const len = Buffer.alloc(4);
  len.writeUInt32LE(16, 0);
  const r = sys(c_getsockname(fd, b, len));
  if (!r.ok) return r;
  return { ok: true, value: b.readUInt16BE(2) };
}

const tcpInfoBuf = Buffer.alloc(512);
const tcpInfoLen = Buffer.alloc(4);

/** getsockopt(TCP_INFO), parsed. */
export function tcpInfo(fd: number): { ok: true; value: TcpInfo } | { ok: false; errno: number } {
  tcpInfoLen.writeUInt32LE(tcpInfoBuf.length, 0);
  const r = sys(c_getsockopt(fd, IPPROTO_TCP, TCP_INFO, tcpInfoBuf, tcpInfoLen));
  if (!r.ok) return r;
  return { ok: true, value: parseTcpInfo(tcpInfoBuf, tcpInfoLen.readUInt32LE(0)) };
}

/** Linux TCP state numbers (include/net/tcp_states.h). */
export const LINUX_TCP_STATES: readonly string[] = [
  '?',
  'ESTABLISHED',
  'SYN_SENT',
  'SYN_RECV',
  'FIN_WAIT1',
  'FIN_WAIT2',
  'TIME_WAIT',
  'CLOSE',
  'CLOSE_WAIT',
  'LAST_ACK',
  'LISTEN',
  'CLOSING',
  'NEW_SYN_RECV',
];

// ---------------------------------------------------------------------------------------------
// ppoll

/** One pollfd: the fd, the events asked for; `revents` is filled in by `pollFds`. */
export interface PollFd {
  fd: number;
  events: number;
  revents: number;
}

let pollBuf = Buffer.alloc(8 * 16);
const timespecBuf = Buffer.alloc(16);

/**
 * ppoll(2) over `fds` with a timeout in nanoseconds (null = wait forever, 0 = just check).
 * Fills each entry's `revents`; value = number of ready fds (0 on timeout).
 */
export function pollFds(fds: PollFd[], timeoutNs: number | null): SysResult {
  if (pollBuf.length < fds.length * 8) pollBuf = Buffer.alloc(fds.length * 16);
  for (let i = 0; i < fds.length; i++) {
    const p = fds[i]!;
    pollBuf.writeInt32LE(p.fd, i * 8);
    pollBuf.writeInt16LE(p.events, i * 8 + 4);
    pollBuf.writeInt16LE(0, i * 8 + 6);
  }
  let tmo: Buffer | null = null;
  if (timeoutNs !== null) {
    const ns = Math.max(0, Math.floor(timeoutNs));
    timespecBuf.writeBigInt64LE(BigInt(Math.floor(ns / 1e9)), 0);
    timespecBuf.writeBigInt64LE(BigInt(ns % 1e9), 8);
    tmo = timespecBuf;
  }
  const r = sys(c_ppoll(pollBuf, fds.length, tmo, null));
  for (let i = 0; i < fds.length; i++) fds[i]!.revents = r.ok ? pollBuf.readUInt16LE(i * 8 + 6) : 0;
  return r;
}

/** prctl(PR_SET_TIMERSLACK): how late the kernel may wake this thread from a timed sleep, in ns. */
export function setTimerSlack(ns: number): SysResult {
  return sys(c_prctl(29, ns, 0, 0, 0));
}
