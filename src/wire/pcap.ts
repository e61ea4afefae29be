/**
 * Classic pcap files (the libpcap format; draft-ietf-opsawg-pcap): a 24-byte global header and one
 * 16-byte record header per packet. We write little-endian, magic 0xA1B2C3D4 (microsecond
 * timestamps), version 2.4, snaplen 262144, link type LINKTYPE_RAW (101: each record is a bare IPv4
 * or IPv6 packet), so tcpdump and Wireshark open our traces directly.
 *
 * Reading is total: it accepts either byte order, microsecond (0xA1B2C3D4) or nanosecond
 * (0xA1B23C4D) magic, and link types 101, 228 (raw IPv4) and 229 (raw IPv6); anything else, or a
 * record header or body cut short, is `{ ok: false, error }` naming the byte offset.
 */

export const PCAP_MAGIC_US = 0xa1b2c3d4;
export const PCAP_MAGIC_NS = 0xa1b23c4d;
export const LINKTYPE_RAW = 101;
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_IPV6 = 229;
export const PCAP_SNAPLEN = 262144;

const GLOBAL_HEADER = 24;
const RECORD_HEADER = 16;

export interface PcapRecord {
  /** Capture time in microseconds (from the epoch, or from the trace start: the file does not say). */
  readonly tUs: number;
  /** The captured bytes: one raw IP packet. */
  readonly bytes: Uint8Array;
}

export type PcapReadResult =
  | { readonly ok: true; readonly linkType: number; readonly records: PcapRecord[] }
  | { readonly ok: false; readonly error: { readonly offset: number; readonly message: string } };

/**
 * A pcap file holding `records` in order. Times are rounded down to whole microseconds and negative
 * times clamp to 0; records longer than the snaplen are cut to it (with the original length kept in
 * the record header, as a capture would).
 */
export function writePcap(records: readonly PcapRecord[]): Uint8Array {
  let size = GLOBAL_HEADER;
  for (const r of records) size += RECORD_HEADER + Math.min(r.bytes.length, PCAP_SNAPLEN);
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, PCAP_MAGIC_US, true);
  dv.setUint16(4, 2, true);
  dv.setUint16(6, 4, true);
  dv.setInt32(8, 0, true); // thiszone
  dv.setUint32(12, 0, true); // sigfigs
  dv.setUint32(16, PCAP_SNAPLEN, true);
  dv.setUint32(20, LINKTYPE_RAW, true);
  let o = GLOBAL_HEADER;
  for (const r of records) {
    const t = Number.isFinite(r.tUs) && r.tUs > 0 ? Math.floor(r.tUs) : 0;
    const sec = Math.floor(t / 1e6);
    const incl = Math.min(r.bytes.length, PCAP_SNAPLEN);
    dv.setUint32(o, sec >>> 0, true);
    dv.setUint32(o + 4, t - sec * 1e6, true);
    dv.setUint32(o + 8, incl, true);
    dv.setUint32(o + 12, r.bytes.length, true);
    out.set(incl === r.bytes.length ? r.bytes : r.bytes.subarray(0, incl), o + RECORD_HEADER);
    o += RECORD_HEADER + incl;
  }
  return out;
}

/** Parse a pcap file. Record bytes are subarrays of `bytes`. Total: never throws. */
export function readPcap(bytes: Uint8Array): PcapReadResult {
  if (bytes.length < GLOBAL_HEADER) {
    return { ok: false, error: { offset: 0, message: `pcap global header needs 24 bytes, have ${bytes.length}` } };
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magicLe = dv.getUint32(0, true);
  const magicBe = dv.getUint32(0, false);
  let le: boolean;
  let nanos: boolean;
  if (magicLe === PCAP_MAGIC_US || magicLe === PCAP_MAGIC_NS) {
    le = true;
    nanos = magicLe === PCAP_MAGIC_NS;
  } else if (magicBe === PCAP_MAGIC_US || magicBe === PCAP_MAGIC_NS) {
    le = false;
    nanos = magicBe === PCAP_MAGIC_NS;
  } else {
    return { ok: false, error: { offset: 0, message: `not a pcap file (magic 0x${magicBe.toString(16).padStart(8, '0')})` } };
  }
  const major = dv.getUint16(4, le);
  if (major !== 2) return { ok: false, error: { offset: 4, message: `pcap version ${major}.${dv.getUint16(6, le)}, expected 2.x` } };
  // The link type sits in the low 16 bits; the upper bits may carry FCS flags (ignored here).
  const linkType = dv.getUint32(20, le) & 0xffff;
  if (linkType !== LINKTYPE_RAW && linkType !== LINKTYPE_IPV4 && linkType !== LINKTYPE_IPV6) {
    return { ok: false, error: { offset: 20, message: `link type ${linkType} unsupported (expected 101, 228 or 229: raw IP)` } };
  }
  const records: PcapRecord[] = [];
  let o = GLOBAL_HEADER;
  while (o < bytes.length) {
    if (o + RECORD_HEADER > bytes.length) {
      return { ok: false, error: { offset: o, message: `record header cut short: ${bytes.length - o} of 16 bytes` } };
    }
    const sec = dv.getUint32(o, le);
    const frac = dv.getUint32(o + 4, le);
    const incl = dv.getUint32(o + 8, le);
    if (o + RECORD_HEADER + incl > bytes.length) {
      return { ok: false, error: { offset: o + 8, message: `record of ${incl} bytes runs past the end of the file (${bytes.length - o - RECORD_HEADER} left)` } };
    }
    const tUs = sec * 1e6 + (nanos ? Math.floor(frac / 1000) : frac);
    records.push({ tUs, bytes: bytes.subarray(o + RECORD_HEADER, o + RECORD_HEADER + incl) });
    o += RECORD_HEADER + incl;
  }
  return { ok: true, linkType, records };
}
