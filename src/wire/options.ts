/**
 * TCP options in wire order (RFC 9293 §3.1, §3.2): EOL (0), NOP (1), MSS (2, length 4; RFC 9293
 * §3.7.1), window scale (3, length 3; RFC 7323 §2), SACK-permitted (4, length 2; RFC 2018 §2),
 * SACK (5, length 2 + 8n; RFC 2018 §3), timestamps (8, length 10; RFC 7323 §3), and any other kind
 * with a sane length kept as `unknown`.
 *
 * Parsing is total and lossless: whatever cannot be read as an option (length 0 or 1, an option
 * running past the end, a known kind with the wrong length, bytes after EOL other than the < 4 zero
 * bytes of padding) is kept verbatim as a `raw` tail, so `serialize(parse(x))` reproduces `x` byte
 * for byte. Serialising pads the list with zero bytes to a multiple of 4; Linux writes its own NOPs
 * into the option list (tcp_output.c:tcp_options_write), so only odd lists get padding.
 */
import type { SackBlock, TcpOption } from './types.js';

export const TCPOPT_EOL = 0;
export const TCPOPT_NOP = 1;
export const TCPOPT_MSS = 2;
export const TCPOPT_WSCALE = 3;
export const TCPOPT_SACK_OK = 4;
export const TCPOPT_SACK = 5;
export const TCPOPT_TS = 8;

/** Largest option area: data offset 15 words − 5 words of fixed header (RFC 9293 §3.1). */
export const MAX_OPTIONS_BYTES = 40;

function rawTail(buf: Uint8Array, from: number, end: number): TcpOption {
  return { kind: 'raw', data: Array.from(buf.subarray(from, end)) };
}

function u32At(buf: Uint8Array, i: number): number {
  return ((buf[i]! << 24) | (buf[i + 1]! << 16) | (buf[i + 2]! << 8) | buf[i + 3]!) >>> 0;
}

/**
 * Parse the option area `buf[start, end)`. Never throws; see the file comment for how malformed
 * bytes are kept.
 */
export function parseOptions(buf: Uint8Array, start = 0, end = buf.length): TcpOption[] {
  const out: TcpOption[] = [];
  let i = start;
  while (i < end) {
    const kind = buf[i]!;
    if (kind === TCPOPT_EOL) {
      out.push({ kind: 'eol' });
      i++;
      // After EOL only padding may follow. Fewer than 4 zero bytes are exactly the padding the
      // serialiser regenerates, so they are dropped; anything else is kept as a raw tail.
      if (i < end) {
        let allZero = end - i < 4;
        for (let k = i; allZero && k < end; k++) if (buf[k] !== 0) allZero = false;
        if (!allZero) out.push(rawTail(buf, i, end));
      }
      return out;
    }
    if (kind === TCPOPT_NOP) {
      out.push({ kind: 'nop' });
      i++;
      continue;
    }
    if (i + 1 >= end) return pushRaw(out, buf, i, end);
    const len = buf[i + 1]!;
    if (len < 2 || i + len > end) return pushRaw(out, buf, i, end);
    switch (kind) {
      case TCPOPT_MSS:
        if (len !== 4) return pushRaw(out, buf, i, end);
        out.push({ kind: 'mss', mss: (buf[i + 2]! << 8) | buf[i + 3]! });
        break;
      case TCPOPT_WSCALE:
        if (len !== 3) return pushRaw(out, buf, i, end);
        out.push({ kind: 'wscale', shift: buf[i + 2]! });
        break;
      case TCPOPT_SACK_OK:
        if (len !== 2) return pushRaw(out, buf, i, end);
        out.push({ kind: 'sackOk' });
        break;
      case TCPOPT_SACK: {
        // At least one block, whole blocks only (RFC 2018 §3; tcp_input.c:tcp_parse_options).
        if (len < 10 || (len - 2) % 8 !== 0) return pushRaw(out, buf, i, end);
        const blocks: SackBlock[] = [];
        for (let b = i + 2; b < i + len; b += 8) blocks.push({ left: u32At(buf, b), right: u32At(buf, b + 4) });
        out.push({ kind: 'sack', blocks });
        break;
      }
      case TCPOPT_TS:
        if (len !== 10) return pushRaw(out, buf, i, end);
        out.push({ kind: 'ts', val: u32At(buf, i + 2), ecr: u32At(buf, i + 6) });
        break;
      default:
        out.push({ kind: 'unknown', code: kind, data: Array.from(buf.subarray(i + 2, i + len)) });
    }
    i += len;
  }
  return out;
}

function pushRaw(out: TcpOption[], buf: Uint8Array, from: number, end: number): TcpOption[] {
  out.push(rawTail(buf, from, end));
  return out;
}

/** Bytes one option occupies on the wire. */
export function optionLength(o: TcpOption): number {
  switch (o.kind) {
    case 'eol':
    case 'nop':
      return 1;
    case 'mss':
      return 4;
    case 'wscale':
      return 3;
    case 'sackOk':
      return 2;
    case 'sack':
      return 2 + 8 * o.blocks.length;
    case 'ts':
      return 10;
    case 'unknown':
      return 2 + o.data.length;
    case 'raw':
      return o.data.length;
    default: {
      const never: never = o;
      return never;
    }
  }
}

/** Bytes of the option list without padding. */
export function optionsLength(opts: readonly TcpOption[]): number {
  let n = 0;
  for (const o of opts) n += optionLength(o);
  return n;
}

/** Bytes of the option list padded to a multiple of 4 (what goes into the header). */
export function paddedOptionsLength(opts: readonly TcpOption[]): number {
  return (optionsLength(opts) + 3) & ~3;
}

function put32(buf: Uint8Array, i: number, v: number): void {
  buf[i] = v >>> 24;
  buf[i + 1] = v >>> 16;
  buf[i + 2] = v >>> 8;
  buf[i + 3] = v;
}

/**
 * Write the option list at `buf[off]` followed by zero padding to a multiple of 4; returns the
 * number of bytes written. Field values are truncated to their wire widths; the caller sizes `buf`
 * with `paddedOptionsLength`.
 */
export function writeOptions(opts: readonly TcpOption[], buf: Uint8Array, off: number): number {
  let i = off;
  for (const o of opts) {
    switch (o.kind) {
      case 'eol':
        buf[i++] = TCPOPT_EOL;
        break;
      case 'nop':
        buf[i++] = TCPOPT_NOP;
        break;
      case 'mss':
        buf[i] = TCPOPT_MSS;
        buf[i + 1] = 4;
        buf[i + 2] = o.mss >>> 8;
        buf[i + 3] = o.mss;
        i += 4;
        break;
      case 'wscale':
        buf[i] = TCPOPT_WSCALE;
        buf[i + 1] = 3;
        buf[i + 2] = o.shift;
        i += 3;
        break;
      case 'sackOk':
        buf[i] = TCPOPT_SACK_OK;
        buf[i + 1] = 2;
        i += 2;
        break;
      case 'sack':
        buf[i] = TCPOPT_SACK;
        buf[i + 1] = 2 + 8 * o.blocks.length;
        i += 2;
        for (const b of o.blocks) {
          put32(buf, i, b.left);
          put32(buf, i + 4, b.right);
          i += 8;
        }
        break;
      case 'ts':
        buf[i] = TCPOPT_TS;
        buf[i + 1] = 10;
        put32(buf, i + 2, o.val);
        put32(buf, i + 6, o.ecr);
        i += 10;
        break;
      case 'unknown':
        buf[i] = o.code;
        buf[i + 1] = 2 + o.data.length;
        i += 2;
        for (const d of o.data) buf[i++] = d;
        break;
      case 'raw':
        for (const d of o.data) buf[i++] = d;
        break;
      default: {
        const never: never = o;
        return never;
      }
    }
  }
  while ((i - off) & 3) buf[i++] = TCPOPT_EOL;
  return i - off;
}

/** The option list as bytes, zero-padded to a multiple of 4. */
export function serializeOptions(opts: readonly TcpOption[]): Uint8Array {
  const buf = new Uint8Array(paddedOptionsLength(opts));
  writeOptions(opts, buf, 0);
  return buf;
}
