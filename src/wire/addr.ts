/**
 * IP address text ↔ bytes. IPv4 as dotted quads ("192.0.2.1", no leading zeros beyond a lone "0",
 * which avoids the octal ambiguity of inet_aton). IPv6 in any RFC 4291 §2.2 text form on input
 * (hex groups, one `::`, an optional dotted IPv4 tail, any case) and in the canonical RFC 5952 form
 * on output: lowercase, no leading zeros, the longest run of two or more zero groups (the first on
 * a tie) shortened to `::`, and `::ffff:a.b.c.d` for IPv4-mapped addresses (RFC 5952 §5).
 *
 * Writers put the bytes straight into a caller's buffer and return false on bad text, so the codec
 * can parse without allocating. The codec's hot path uses the cached variants at the end of the
 * file: a trace repeats the same few addresses, so text ↔ bytes is computed once per address. The
 * caches are bounded and invisible (same answer with or without them), so purity is kept.
 */

/** Write the 4 bytes of dotted-quad `s` into `buf[off, off+4)`. False (buffer untouched or partly written) on bad text. */
export function writeIpv4(s: string, buf: Uint8Array, off: number): boolean {
  return parseDotted(s, 0, s.length, buf, off);
}

function parseDotted(s: string, from: number, to: number, buf: Uint8Array, off: number): boolean {
  let part = 0;
  let value = 0;
  let digits = 0;
  for (let i = from; i <= to; i++) {
    const c = i < to ? s.charCodeAt(i) : 46; // treat the end as a final '.'
    if (c >= 48 && c <= 57) {
      if (digits > 0 && value === 0) return false; // leading zero
      value = value * 10 + (c - 48);
      digits++;
      if (value > 255) return false;
    } else if (c === 46) {
      if (digits === 0 || part > 3) return false;
      buf[off + part] = value;
      part++;
      value = 0;
      digits = 0;
    } else {
      return false;
    }
  }
  return part === 4;
}

/** Dotted-quad text of the 4 bytes at `buf[off]`. */
export function formatIpv4(buf: Uint8Array, off: number): string {
  return `${buf[off]}.${buf[off + 1]}.${buf[off + 2]}.${buf[off + 3]}`;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Write the 16 bytes of IPv6 text `s` into `buf[off, off+16)`. False on bad text. */
export function writeIpv6(s: string, buf: Uint8Array, off: number): boolean {
  // Parse into 8 groups; `gap` is the group index where `::` sits (−1 when absent).
  const groups = [0, 0, 0, 0, 0, 0, 0, 0];
  let n = 0;
  let gap = -1;
  let i = 0;
  const len = s.length;
  if (len === 0) return false;
  if (s.charCodeAt(0) === 58) {
    if (len < 2 || s.charCodeAt(1) !== 58) return false;
    gap = 0;
    i = 2;
    if (i === len) return finishIpv6(groups, n, gap, buf, off);
  }
  for (;;) {
    // One group: hex digits, or a dotted IPv4 tail.
    const start = i;
    let value = 0;
    while (i < len && i - start < 5) {
      const h = hexValue(s.charCodeAt(i));
      if (h < 0) break;
      value = value * 16 + h;
      i++;
    }
    if (i < len && s.charCodeAt(i) === 46) {
      // IPv4 tail: takes two groups and must end the string.
      if (n > 6) return false;
      const tmp = new Uint8Array(4);
      if (!parseDotted(s, start, len, tmp, 0)) return false;
      groups[n++] = (tmp[0]! << 8) | tmp[1]!;
      groups[n++] = (tmp[2]! << 8) | tmp[3]!;
      return finishIpv6(groups, n, gap, buf, off);
    }
    const digits = i - start;
    if (digits === 0 || digits > 4) return false;
    if (n >= 8) return false;
    groups[n++] = value;
    if (i === len) return finishIpv6(groups, n, gap, buf, off);
    if (s.charCodeAt(i) !== 58) return false;
    i++;
    if (i < len && s.charCodeAt(i) === 58) {
      if (gap >= 0) return false; // a second '::'
      gap = n;
      i++;
      if (i === len) return finishIpv6(groups, n, gap, buf, off);
    } else if (i === len) {
      return false; // trailing single ':'
    }
  }
}

function finishIpv6(groups: number[], n: number, gap: number, buf: Uint8Array, off: number): boolean {
  if (gap < 0 && n !== 8) return false;
  if (gap >= 0 && n > 7) return false; // '::' must stand for at least one group
  const missing = 8 - n;
  for (let g = 0, src = 0; g < 8; g++) {
    let v = 0;
    if (gap >= 0 && g >= gap && g < gap + missing) v = 0;
    else v = groups[src++]!;
    buf[off + 2 * g] = v >>> 8;
    buf[off + 2 * g + 1] = v & 0xff;
  }
  return true;
}

/** Canonical RFC 5952 text of the 16 bytes at `buf[off]`. */
export function formatIpv6(buf: Uint8Array, off: number): string {
  const g0 = (k: number): number => (buf[off + 2 * k]! << 8) | buf[off + 2 * k + 1]!;
  // IPv4-mapped ::ffff:a.b.c.d (RFC 5952 §5).
  if (g0(0) === 0 && g0(1) === 0 && g0(2) === 0 && g0(3) === 0 && g0(4) === 0 && g0(5) === 0xffff) {
    return `::ffff:${formatIpv4(buf, off + 12)}`;
  }
  // Longest run of zero groups of length ≥ 2, first one on ties (RFC 5952 §4.2).
  let bestStart = -1;
  let bestLen = 1;
  let runStart = -1;
  for (let k = 0; k <= 8; k++) {
    if (k < 8 && g0(k) === 0) {
      if (runStart < 0) runStart = k;
    } else if (runStart >= 0) {
      if (k - runStart > bestLen) {
        bestStart = runStart;
        bestLen = k - runStart;
      }
      runStart = -1;
    }
  }
  let out = '';
  for (let k = 0; k < 8; k++) {
    if (k === bestStart) {
      out += '::';
      k += bestLen - 1;
      continue;
    }
    if (out.length > 0 && !out.endsWith(':')) out += ':';
    out += g0(k).toString(16);
  }
  return out;
}

/** The 4 bytes of a dotted quad, or undefined for bad text. */
export function parseIpv4(s: string): Uint8Array | undefined {
  const b = new Uint8Array(4);
  return writeIpv4(s, b, 0) ? b : undefined;
}

/** The 16 bytes of IPv6 text, or undefined for bad text. */
export function parseIpv6(s: string): Uint8Array | undefined {
  const b = new Uint8Array(16);
  return writeIpv6(s, b, 0) ? b : undefined;
}

/** Canonical text of an IPv6 address given as text, or undefined for bad text. */
export function canonicalIpv6(s: string): string | undefined {
  const b = parseIpv6(s);
  return b === undefined ? undefined : formatIpv6(b, 0);
}

// ---- Caches for the codec's hot path -------------------------------------------------------------

const CACHE_SLOTS = 64;
const v4Keys = new Float64Array(CACHE_SLOTS).fill(-1);
const v4Text: string[] = new Array<string>(CACHE_SLOTS).fill('');

/** `formatIpv4` through a small direct-mapped cache keyed by the address as a u32. */
export function formatIpv4Cached(buf: Uint8Array, off: number): string {
  const key = ((buf[off]! << 24) | (buf[off + 1]! << 16) | (buf[off + 2]! << 8) | buf[off + 3]!) >>> 0;
  const slot = (key ^ (key >>> 8) ^ (key >>> 16) ^ (key >>> 24)) & (CACHE_SLOTS - 1);
  if (v4Keys[slot] === key) return v4Text[slot]!;
  const text = formatIpv4(buf, off);
  v4Keys[slot] = key;
  v4Text[slot] = text;
  return text;
}

const v6Keys = new Int32Array(CACHE_SLOTS * 4);
const v6Text: (string | undefined)[] = new Array<string | undefined>(CACHE_SLOTS).fill(undefined);

/** `formatIpv6` through a small direct-mapped cache keyed by the four 32-bit words. */
export function formatIpv6Cached(buf: Uint8Array, off: number): string {
  const w0 = (buf[off]! << 24) | (buf[off + 1]! << 16) | (buf[off + 2]! << 8) | buf[off + 3]!;
  const w1 = (buf[off + 4]! << 24) | (buf[off + 5]! << 16) | (buf[off + 6]! << 8) | buf[off + 7]!;
  const w2 = (buf[off + 8]! << 24) | (buf[off + 9]! << 16) | (buf[off + 10]! << 8) | buf[off + 11]!;
  const w3 = (buf[off + 12]! << 24) | (buf[off + 13]! << 16) | (buf[off + 14]! << 8) | buf[off + 15]!;
  const h = w0 ^ w1 ^ w2 ^ w3;
  const slot = (h ^ (h >>> 8) ^ (h >>> 16) ^ (h >>> 24)) & (CACHE_SLOTS - 1);
  const k = slot * 4;
  const cached = v6Text[slot];
  if (cached !== undefined && v6Keys[k] === w0 && v6Keys[k + 1] === w1 && v6Keys[k + 2] === w2 && v6Keys[k + 3] === w3) {
    return cached;
  }
  const text = formatIpv6(buf, off);
  v6Keys[k] = w0;
  v6Keys[k + 1] = w1;
  v6Keys[k + 2] = w2;
  v6Keys[k + 3] = w3;
  v6Text[slot] = text;
  return text;
}

const MAX_PARSED = 1024;
const parsedV4 = new Map<string, number>();
const parsedV6 = new Map<string, Uint8Array>();

/** `writeIpv4` through a bounded cache of parsed text (cleared when full). */
export function writeIpv4Cached(s: string, buf: Uint8Array, off: number): boolean {
  const hit = parsedV4.get(s);
  if (hit !== undefined) {
    buf[off] = hit >>> 24;
    buf[off + 1] = hit >>> 16;
    buf[off + 2] = hit >>> 8;
    buf[off + 3] = hit;
    return true;
  }
  if (!writeIpv4(s, buf, off)) return false;
  if (parsedV4.size >= MAX_PARSED) parsedV4.clear();
  parsedV4.set(s, ((buf[off]! << 24) | (buf[off + 1]! << 16) | (buf[off + 2]! << 8) | buf[off + 3]!) >>> 0);
  return true;
}

/** `writeIpv6` through a bounded cache of parsed text (cleared when full). */
export function writeIpv6Cached(s: string, buf: Uint8Array, off: number): boolean {
  const hit = parsedV6.get(s);
  if (hit !== undefined) {
    buf.set(hit, off);
    return true;
  }
  if (!writeIpv6(s, buf, off)) return false;
  if (parsedV6.size >= MAX_PARSED) parsedV6.clear();
  parsedV6.set(s, buf.slice(off, off + 16));
  return true;
}
