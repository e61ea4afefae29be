/**
 * The deterministic payload pattern. The model carries payload as a byte count only; adapters that
 * must put real bytes on the wire (Linux over TUN, pcap export, other stacks) derive each byte from
 * its offset in the stream, and receivers can check what they got against the same function.
 *
 * Pattern: byte at stream offset `o` is `(o * 31 + 7) & 0xff`. 31 is odd, so the pattern has
 * period 256 and every byte value occurs once per period; a shifted or duplicated chunk shows up
 * as wrong bytes as long as the shift is not a multiple of 256. Offsets are stream offsets (from
 * 0 at the first data byte after the SYN), not sequence numbers.
 */

/** The pattern byte at stream offset `offset` (any integer ≥ 0). */
export function payloadByte(offset: number): number {
  // Only the low 8 bits of the offset matter, which also keeps the product exact for huge offsets.
  return ((offset & 0xff) * 31 + 7) & 0xff;
}

/** Two periods of the pattern, so any 256-byte window starting at offset o & 0xff is contiguous. */
const TABLE: Uint8Array = (() => {
  const t = new Uint8Array(512);
  for (let i = 0; i < 512; i++) t[i] = ((i & 0xff) * 31 + 7) & 0xff;
  return t;
})();

/** Fill `buf` with the pattern bytes for stream offsets `streamOffset` … `streamOffset + buf.length − 1`. */
export function fillPayload(buf: Uint8Array, streamOffset: number): void {
  fillPayloadAt(buf, 0, buf.length, streamOffset);
}

/**
 * Fill `buf[start, end)` with the pattern from stream offset `streamOffset`, without allocating
 * per call beyond one view: the first period is copied from the table, the rest doubles in place
 * with `copyWithin` (the pattern repeats every 256 bytes).
 */
export function fillPayloadAt(buf: Uint8Array, start: number, end: number, streamOffset: number): void {
  const n = end - start;
  if (n <= 0) return;
  const o = streamOffset & 0xff;
  const first = n < 256 ? n : 256;
  buf.set(TABLE.subarray(o, o + first), start);
  for (let done = first; done < n; ) {
    const chunk = Math.min(done, n - done);
    buf.copyWithin(start + done, start, start + chunk);
    done += chunk;
  }
}

/**
 * The first index in `buf` whose byte differs from the pattern at `streamOffset + index`, or −1 when
 * every byte matches.
 */
export function checkPayload(buf: Uint8Array, streamOffset: number): number {
  let o = streamOffset & 0xff;
  for (let i = 0; i < buf.length; i++) {
    if (buf[i] !== ((o * 31 + 7) & 0xff)) return i;
    o = (o + 1) & 0xff;
  }
  return -1;
}
